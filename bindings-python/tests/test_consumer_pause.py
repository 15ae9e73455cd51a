"""Pausing, resuming and unpinning consumers against real servers: the
session's (2.11+) and, for ``ServerTooOldError``, the oldest supported one
(``.tools/nats-server-oldest``, installed by ``scripts/setup.sh``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import jetbridge
import jetbridge.sync as jbs

OLDEST_SERVER = Path(__file__).resolve().parents[2] / ".tools" / "nats-server-oldest" / "bin" / "nats-server"


async def test_a_paused_consumer_delivers_nothing_until_resumed(client: jetbridge.Client, stream: str) -> None:
    consumer = await client.create_consumer(stream, durable_name="d")
    await client.publish(f"{stream}.a", b"one")

    # An aware datetime in any zone is its instant; whole microseconds come back exactly.
    until = datetime.now(timezone(timedelta(hours=2))).replace(microsecond=123456) + timedelta(hours=1)
    state = await client.pause_consumer(stream, "d", until)
    assert isinstance(state, jetbridge.ConsumerPauseState)
    assert state.paused is True
    assert state.pause_until == until
    assert state.pause_until is not None and state.pause_until.tzinfo == timezone.utc
    # About an hour (the microseconds set above may add up to a second).
    assert isinstance(state.pause_remaining, float) and 3500 < state.pause_remaining < 3602
    info = await client.consumer_info(stream, "d")
    assert info.config.pause_until == until
    assert await consumer.fetch(1, max_wait=0.3) == []

    state = await client.resume_consumer(stream, "d")
    assert state == jetbridge.ConsumerPauseState(paused=False, pause_until=None, pause_remaining=None)
    got = await consumer.fetch(1, max_wait=3)
    assert [m.payload for m in got] == [b"one"]
    got[0].ack()
    # Resuming a consumer that is not paused leaves it as it is.
    assert (await client.resume_consumer(stream, "d")).paused is False


async def test_bad_pause_requests_are_typed_errors(client: jetbridge.Client, stream: str) -> None:
    await client.create_consumer(stream, durable_name="d")
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    with pytest.raises(jetbridge.InvalidArgumentError, match="pause_until") as e:
        await client.pause_consumer(stream, "d", past)
    assert isinstance(e.value, ValueError)
    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    with pytest.raises(jetbridge.NotFoundError):
        await client.pause_consumer(stream, "MISSING", later)
    with pytest.raises(jetbridge.NotFoundError):
        await client.resume_consumer(stream, "MISSING")
    with pytest.raises(jetbridge.InvalidArgumentError, match="consumer name"):
        await client.pause_consumer(stream, "bad name", later)
    with pytest.raises(TypeError, match="until must be a datetime, not int"):
        await client.pause_consumer(stream, "d", 1_000_000_000)  # type: ignore[arg-type]


async def test_unpin_a_pinned_client_group(client: jetbridge.Client, stream: str) -> None:
    await client.create_consumer(
        stream, durable_name="pin", priority_groups=["jobs"], priority_policy="pinned_client"
    )
    assert await client.unpin_consumer(stream, "pin", "jobs") is None
    with pytest.raises(jetbridge.InvalidArgumentError):
        await client.unpin_consumer(stream, "pin", "other")
    with pytest.raises(jetbridge.InvalidArgumentError, match="priority group"):
        await client.unpin_consumer(stream, "pin", "bad group")
    with pytest.raises(jetbridge.NotFoundError):
        await client.unpin_consumer(stream, "MISSING", "jobs")


@pytest.fixture
def sclient(url: str) -> Iterator[jbs.Client]:
    with jbs.connect(url) as c:
        yield c


def test_blocking_pause_resume_unpin(sclient: jbs.Client, name: Callable[[str], str]) -> None:
    s = name("PAUSE")
    sclient.create_stream(name=s, subjects=[f"{s}.>"])
    try:
        c = sclient.create_consumer(s, durable_name="d", priority_groups=["jobs"], priority_policy="pinned_client")
        sclient.publish(f"{s}.a", b"one")
        until = datetime.now(timezone.utc) + timedelta(hours=1)
        state = sclient.pause_consumer(s, "d", until)
        assert (state.paused, state.pause_until) == (True, until)
        assert c.fetch(1, max_wait=0.3, group="jobs") == []
        assert sclient.resume_consumer(s, "d").paused is False
        sclient.unpin_consumer(s, "d", "jobs")
        with pytest.raises(jetbridge.InvalidArgumentError):
            sclient.unpin_consumer(s, "d", "other")
    finally:
        sclient.delete_stream(s)


async def test_a_server_older_than_2_11_is_server_too_old(
    harness: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not OLDEST_SERVER.exists():
        pytest.skip(f"no {OLDEST_SERVER} (scripts/setup.sh installs it)")
    monkeypatch.setenv("NATS_SERVER_BIN", str(OLDEST_SERVER))
    h = harness()
    async with jetbridge.connect(h.urls[0]) as c:
        await c.create_stream(name="OLD", subjects=["old.>"])
        await c.create_consumer("OLD", durable_name="d")
        later = datetime.now(timezone.utc) + timedelta(minutes=1)
        with pytest.raises(jetbridge.ServerTooOldError) as e:
            await c.pause_consumer("OLD", "d", later)
        assert e.value.code == "SERVER_TOO_OLD" and not e.value.retryable
        assert "2.11" in str(e.value)
        with pytest.raises(jetbridge.ServerTooOldError):
            await c.resume_consumer("OLD", "d")
        with pytest.raises(jetbridge.ServerTooOldError):
            await c.unpin_consumer("OLD", "d", "jobs")
        with pytest.raises(jetbridge.ServerTooOldError):
            await c.create_consumer("OLD", durable_name="p", priority_groups=["jobs"], priority_policy="pinned_client")
