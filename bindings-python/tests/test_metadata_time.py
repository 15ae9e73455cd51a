"""Maps and times of the declared types: ``metadata`` (a dict of str to str) on streams and
consumers, and a consumer's ``pause_until`` (a ``datetime``, nats-server 2.11+), through a
real server and back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable, Dict, Optional

import pytest

import jetbridge

#: 2100-01-01T00:00:00Z, far enough ahead that the consumer stays paused.
PAUSE_NS = 4102444800000000000
PAUSE = datetime(2100, 1, 1, tzinfo=timezone.utc)


def user_metadata(md: Optional[Dict[str, str]]) -> Dict[str, str]:
    """The metadata without the keys nats-server 2.11+ adds (``_nats.*``)."""
    assert md is not None
    return {k: v for k, v in md.items() if not k.startswith("_nats.")}


async def test_stream_metadata_round_trip(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    s = name("META")
    info = await client.create_stream(name=s, subjects=[f"{s}.*"], metadata={"owner": "payments", "tier": "gold"})
    assert user_metadata(info.config.metadata) == {"owner": "payments", "tier": "gold"}
    updated = await client.update_stream(info.config, metadata={"owner": "billing"})
    assert user_metadata(updated.config.metadata) == {"owner": "billing"}
    assert user_metadata((await client.stream_info(s)).config.metadata) == {"owner": "billing"}
    await client.delete_stream(s)


async def test_consumer_metadata_and_pause_until_round_trip(client: jetbridge.Client, stream: str) -> None:
    cfg = jetbridge.ConsumerConfig(
        durable_name="paused",
        metadata={"team": "payments", "empty": ""},
        pause_until=PAUSE,
    )
    c = await client.create_consumer(stream, cfg)
    assert user_metadata(c.config.metadata) == {"team": "payments", "empty": ""}
    info = await client.consumer_info(stream, "paused")
    got = info.config.pause_until
    assert isinstance(got, datetime)
    assert got == PAUSE and got.utcoffset() == timedelta(0)  # aware, in UTC
    assert user_metadata(info.config.metadata) == {"team": "payments", "empty": ""}
    # Unset: not paused, and the metadata the server adds (if any) only.
    plain = await client.create_consumer(stream, durable_name="plain")
    assert plain.config.pause_until is None
    assert user_metadata(plain.config.metadata or {}) == {}


async def test_pause_until_in_any_time_zone_is_the_same_instant(client: jetbridge.Client, stream: str) -> None:
    # An aware datetime in another zone, with microseconds: exact to the microsecond.
    east = timezone(timedelta(hours=5, minutes=30))
    at = datetime(2100, 1, 1, 5, 30, 0, 123456, tzinfo=east)
    c = await client.create_consumer(stream, durable_name="east", pause_until=at)
    assert c.config.pause_until == at
    assert c.config.pause_until == PAUSE + timedelta(microseconds=123456)
    # A naive datetime is local time, as datetime.timestamp() reads it.
    naive = datetime(2100, 1, 1, 12, 0, 0, 250)
    n = await client.create_consumer(stream, durable_name="naive", pause_until=naive)
    got = n.config.pause_until
    assert got is not None and got == naive.astimezone()
    assert (got - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(microseconds=1) == int(
        naive.timestamp()
    ) * 1_000_000 + 250


async def test_wrong_types_are_type_errors(client: jetbridge.Client, stream: str) -> None:
    with pytest.raises(TypeError, match=r'metadata\["team"\] must be str, not int'):
        await client.create_consumer(stream, durable_name="x", metadata={"team": 1})
    with pytest.raises(TypeError, match=r"metadata key must be str, not int"):
        await client.create_consumer(stream, durable_name="x", metadata={1: "a"})
    with pytest.raises(TypeError, match=r"metadata must be a dict of str to str, not list"):
        await client.create_stream(name="X", subjects=["x"], metadata=[("a", "b")])
    with pytest.raises(TypeError, match=r"pause_until must be a datetime, not int"):
        await client.create_consumer(stream, durable_name="x", pause_until=PAUSE_NS)
    with pytest.raises(TypeError, match=r"pause_until must be a datetime, not date"):
        await client.create_consumer(stream, durable_name="x", pause_until=PAUSE.date())
    # Right type, but outside the ±292 years of Unix nanoseconds.
    with pytest.raises(jetbridge.InvalidArgumentError, match="pause_until.*out of range"):
        await client.create_consumer(stream, durable_name="x", pause_until=datetime(2300, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(jetbridge.InvalidArgumentError, match="pause_until.*out of range"):
        await client.create_consumer(stream, durable_name="x", pause_until=datetime(1, 1, 1))
    with pytest.raises(jetbridge.NotFoundError):
        await client.consumer_info(stream, "x")
