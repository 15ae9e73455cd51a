"""Graceful shutdown: ``drain()`` settles queued acks and pipelined publishes,
then closes; a message held unanswered makes ``drain(timeout=...)`` raise
``TimeoutError`` with the client closed all the same."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import AsyncIterator, Awaitable, Callable

import pytest

import jetbridge
import jetbridge.sync as jbs


@pytest.fixture
async def orders(url: str, name: Callable[[str], str]) -> AsyncIterator[str]:
    """A fresh stream with three messages on ``<stream>.a`` and a durable
    consumer ``proc``, deleted afterwards by a client of its own."""
    s = name("DRAIN")
    async with jetbridge.connect(url) as admin:
        await admin.create_stream(name=s, subjects=[f"{s}.>"])
        for data in (b"1", b"2", b"3"):
            await admin.publish(f"{s}.a", data)
        await admin.create_consumer(s, durable_name="proc")
        yield s
        await admin.delete_stream(s)


async def test_drain_settles_queued_acks_and_pipelined_publishes(
    url: str, orders: str, settled: Callable[..., Awaitable[jetbridge.ConsumerInfo]]
) -> None:
    s = orders
    c = await jetbridge.connect(url)
    consumer = await c.bind_consumer(s, "proc")
    held = await consumer.fetch(2, max_wait=5)
    assert [m.stream_sequence for m in held] == [1, 2]
    for m in held:
        m.ack()  # queued, not yet written
    pub = c.publisher()
    assert [await pub.publish(f"{s}.b", b"4"), await pub.publish(f"{s}.b", b"5")] == [0, 1]

    await c.drain()
    state = c.connection_state()
    assert c.is_closed and (state.connected, state.closed) == (False, True)
    with pytest.raises(jetbridge.ClosedError):
        await c.publish(f"{s}.a", b"6")
    with pytest.raises(jetbridge.ClosedError):
        await consumer.fetch(1, max_wait=0.2)
    await c.drain()  # draining a closed client is fine

    async with jetbridge.connect(url) as check:
        info = await check.stream_info(s)
        assert (info.state.messages, info.state.last_sequence) == (5, 5)
        ci = await settled(check, s, "proc", 2)
        assert (ci.ack_floor.stream_seq, ci.num_ack_pending) == (2, 0)


async def test_drain_times_out_on_a_held_message_and_closes(url: str, orders: str) -> None:
    c = await jetbridge.connect(url)
    consumer = await c.bind_consumer(orders, "proc")
    [held] = await consumer.fetch(1, max_wait=5)
    started = time.monotonic()
    with pytest.raises(jetbridge.TimeoutError, match="drain") as e:
        await c.drain(timeout=0.5)
    assert 0.45 <= time.monotonic() - started < 5
    assert e.value.code == "TIMEOUT"
    assert c.is_closed
    with pytest.raises(jetbridge.ClosedError):
        await c.publish(f"{orders}.a", b"x")
    assert held.stream_sequence == 1  # held to the end: drain had to wait for it


async def test_drain_timeout_is_checked_before_draining(client: jetbridge.Client) -> None:
    with pytest.raises(jetbridge.InvalidArgumentError, match="timeout"):
        await client.drain(timeout=-1)
    with pytest.raises(TypeError, match="timeout"):
        await client.drain(timeout="5")  # type: ignore[arg-type]
    assert not client.is_closed
    await client.drain(timeout=timedelta(seconds=2))  # nothing in flight: at once
    assert client.is_closed


def test_blocking_drain_takes_a_timedelta(url: str, name: Callable[[str], str]) -> None:
    s = name("SDRAIN")
    with jbs.connect(url) as admin:
        admin.create_stream(name=s, subjects=[f"{s}.>"])
        try:
            admin.publish(f"{s}.a", b"1")
            admin.create_consumer(s, durable_name="proc")
            c = jbs.connect(url)
            [held] = c.bind_consumer(s, "proc").fetch(1, max_wait=5)
            with pytest.raises(jetbridge.TimeoutError):
                c.drain(timeout=timedelta(milliseconds=300))
            assert c.is_closed and held.stream_sequence == 1
        finally:
            admin.delete_stream(s)


def test_default_drain_timeout_is_the_cores() -> None:
    assert jetbridge.DEFAULT_DRAIN_TIMEOUT == jetbridge._native.default_drain_timeout() == 30.0
