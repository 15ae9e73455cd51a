"""The client's own calls: state, counters, drain, repr without secrets,
runtime configuration, and the small helpers of the public API."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest

import jetbridge
from jetbridge import _native


async def test_state_servers_and_drain(url: str) -> None:
    c = await jetbridge.connect(servers=[url], name="tester", request_timeout=timedelta(seconds=2))
    state = c.connection_state()
    assert (state.connected, state.generation, state.closed) == (True, 1, False)
    assert c.servers == [url] and not c.is_closed and c.max_payload >= 1 << 20
    assert c.counters() == jetbridge.Counters(*([0] * 13))
    await c.drain()
    assert c.is_closed and c.connection_state().closed
    with pytest.raises(jetbridge.ClosedError):
        await c.stream_info("X")


async def test_no_secret_in_repr_or_errors(url: str, harness: Callable[..., Any]) -> None:
    host = url.split("//")[1]
    c = await jetbridge.connect(f"nats://app:s3cret-pw@{host}")  # the server has no auth
    try:
        assert "s3cret-pw" not in repr(c) and "s3cret-pw" not in str(c.servers)
        assert "[REDACTED]" in repr(c)
    finally:
        await c.close()
    opts = jetbridge.ConnectOptions(servers=f"nats://app:s3cret-pw@{host}", token="T0K-9f2", jwt_seed="SUSEED")
    for secret in ("s3cret-pw", "T0K-9f2", "SUSEED"):
        assert secret not in repr(opts)
    h = harness(auth="user")
    wrong = "wrong-" + h.auth["password"]
    with pytest.raises(jetbridge.AuthError) as e:
        await jetbridge.connect(h.urls[0], user="app", password=wrong)
    assert wrong not in str(e.value)
    with pytest.raises(jetbridge.InvalidArgumentError, match="one of"):
        await jetbridge.connect(h.urls[0], token="t", user="u", password="p")


async def test_credentials_in_the_url(harness: Callable[..., Any]) -> None:
    h = harness(auth="user")
    host = h.urls[0].split("//")[1]
    c = await jetbridge.connect(f"nats://app:{h.auth['password']}@{host}")
    await c.close()


def test_configure_runtime_after_start_is_refused() -> None:
    # The session's earlier connects started the runtime.
    with pytest.raises(jetbridge.InvalidArgumentError, match="runtime"):
        jetbridge.configure_runtime(worker_threads=2)
    with pytest.raises(jetbridge.InvalidArgumentError, match="worker_threads"):
        jetbridge.configure_runtime(worker_threads=0)


async def test_stop_and_start_positions(client: jetbridge.Client, stream: str) -> None:
    before = datetime.now(timezone.utc)
    await asyncio.sleep(0.01)
    await client.publish(f"{stream}.a", b"1")
    replay = await client.replay(stream, jetbridge.StartPosition.at_time(before))
    assert (await replay.next()).payload == b"1"
    replay.stop()
    with pytest.raises(jetbridge.ClosedError):
        await replay.next_batch(5, 0.5)
    assert jetbridge.StartPosition.at_time(before).time == int(before.timestamp() * 1e9)
    assert jetbridge.StartPosition.at_sequence(3) == jetbridge.StartPosition("sequence", sequence=3)


def test_default_options_are_the_cores() -> None:
    d = dataclasses.asdict(jetbridge.ConnectOptions.defaults())
    assert d["servers"] == ["nats://127.0.0.1:4222"]
    assert (d["connect_timeout"], d["request_timeout"], d["publish_retry_budget"]) == (5.0, 5.0, 25.0)
    assert d["max_reconnects"] is None and d["inbox_prefix"] == "_INBOX"
    assert jetbridge.MessagesOptions.defaults().batch == 500
