"""Durable pull consumers: administration, fetch, acks, lag, messages()."""

from __future__ import annotations

import asyncio
from typing import List

import pytest

import jetbridge


async def publish_n(client: jetbridge.Client, subject: str, n: int) -> None:
    results = await client.publish_many([(subject, str(i)) for i in range(n)])
    assert all(isinstance(r, jetbridge.PubAck) for r in results)


async def test_consumer_admin(client: jetbridge.Client, stream: str) -> None:
    cfg = jetbridge.ConsumerConfig(
        durable_name="proc",
        description="d",
        start=jetbridge.StartPosition.at_sequence(2),
        ack_policy="explicit",
        max_deliver=5,
        backoff=[1, 2],
        max_ack_pending=50,
        filter_subjects=[f"{stream}.a", f"{stream}.b"],
        replay="instant",
        inactive_threshold=3600,
        max_waiting=16,
    )
    c = await client.create_consumer(stream, cfg)
    assert (c.stream, c.name) == (stream, "proc")
    got = c.config
    assert got.start == jetbridge.StartPosition.at_sequence(2)
    # The server sets ack_wait to the first backoff step.
    assert (got.ack_wait, got.max_deliver, got.backoff, got.max_ack_pending) == (1.0, 5, [1.0, 2.0], 50)
    assert sorted(got.filter_subjects) == [f"{stream}.a", f"{stream}.b"]
    same = await client.get_or_create_consumer(stream, cfg)
    assert same.name == "proc"
    bound = await client.bind_consumer(stream, "proc", cfg)
    assert bound.name == "proc"
    updated = await client.update_consumer(stream, cfg, max_ack_pending=60)
    assert updated.config.max_ack_pending == 60
    info = await client.consumer_info(stream, "proc")
    assert (info.stream, info.name, info.num_pending, info.config.max_ack_pending) == (stream, "proc", 0, 60)
    await c.delete()
    with pytest.raises(jetbridge.NotFoundError):
        await client.consumer_info(stream, "proc")
    other = await client.get_or_create_consumer(stream, durable_name="other")
    await client.delete_consumer(stream, other.name)
    with pytest.raises(jetbridge.NotFoundError):
        await client.update_consumer(stream, durable_name="other")
    with pytest.raises(jetbridge.InvalidArgumentError, match="backoff"):
        await client.create_consumer(stream, durable_name="x", max_deliver=1, backoff=[1, 2])
    eph = await client.create_consumer(stream)  # ephemeral: server-chosen name
    assert eph.name


async def test_fetch_acks_and_lag(client: jetbridge.Client, stream: str) -> None:
    await publish_n(client, f"{stream}.a", 6)
    c = await client.create_consumer(stream, durable_name="d", ack_wait=30)
    assert (await c.info()).num_pending == 6
    batch = await c.fetch(4, 2)
    assert [m.stream_sequence for m in batch] == [1, 2, 3, 4]
    m = batch[0]
    assert (m.subject, m.payload, m.stream, m.consumer, m.delivered) == (f"{stream}.a", b"0", stream, "d", 1)
    assert m.consumer_sequence == 1 and m.pending == 5 and m.timestamp > 0
    assert m.msg_id and m.header("nats-msg-id") == m.msg_id and m.headers
    assert m.payload is m.payload  # cached, not copied per access
    info = await c.info()
    assert (info.num_pending, info.num_ack_pending) == (2, 4)
    batch[0].ack()
    batch[1].term("bad input")
    batch[2].in_progress()
    batch[2].in_progress()
    await batch[2].ack_sync()
    batch[3].nak()
    assert all(b.is_acked for b in batch)
    # Redeliveries: seq 4 comes back (delivered 2), is nak'd with a delay,
    # and comes back again (delivered 3). Order against 5 and 6 is the server's.
    seen: dict = {}
    for _ in range(20):
        for x in await c.fetch(10, 1):
            seen.setdefault(x.stream_sequence, []).append(x.delivered)
            if (x.stream_sequence, x.delivered) == (4, 2):
                x.nak(delay=0.2)
            else:
                x.ack()
        if seen.get(4) == [2, 3] and 5 in seen and 6 in seen:
            break
    assert seen == {4: [2, 3], 5: [1], 6: [1]}
    empty = await c.fetch(5, 0.2)
    assert empty == []
    assert await c.fetch(5, no_wait=True) == []
    for _ in range(50):
        info = await c.info()
        if info.num_ack_pending == 0:
            break
        await asyncio.sleep(0.05)
    assert (info.num_pending, info.num_ack_pending) == (0, 0)
    assert info.ack_floor.stream_seq == 6
    counters = client.counters()
    assert counters.delivered >= 7 and counters.redelivered >= 2 and counters.acks_sent >= 7


async def test_fetch_options_are_validated(client: jetbridge.Client, stream: str) -> None:
    c = await client.create_consumer(stream, durable_name="d")
    with pytest.raises(jetbridge.InvalidArgumentError, match="max_messages"):
        await c.fetch(0)
    with pytest.raises(jetbridge.InvalidArgumentError, match="heartbeat"):
        await c.fetch(1, max_wait=1, heartbeat=0.9)
    with pytest.raises(TypeError, match="max_wait"):
        await c.fetch(1, max_wait="1s")  # type: ignore[arg-type]


async def test_messages_async_for_with_health(client: jetbridge.Client, stream: str) -> None:
    await publish_n(client, f"{stream}.a", 1200)
    c = await client.create_consumer(stream, durable_name="d")
    seen = []
    stream_ = c.messages(batch=100, heartbeat=1, expires=5)
    assert stream_.health == "recovering"
    async for m in stream_:
        seen.append(m.stream_sequence)
        m.ack()
        if len(seen) == 1200:
            break
    assert seen == list(range(1, 1201))
    assert stream_.health == "active"
    events = stream_.take_events()
    assert events and events[-1].health == "active" and events[0].at > 0
    assert stream_.take_events() == []
    await client.publish(f"{stream}.a", b"late")
    m = await stream_.next()
    assert m.payload == b"late"
    m.ack()
    assert await stream_.next_batch(10, 0.2) == []
    assert await stream_.wait_health_change("active", 0.1) == "active"
    await stream_.close()
    async for _ in stream_:
        pytest.fail("a closed stream yields nothing")
    with pytest.raises(jetbridge.ClosedError):
        await stream_.next()


async def test_messages_context_manager_and_deleted_stream(client: jetbridge.Client, stream: str) -> None:
    c = await client.create_consumer(stream, durable_name="d")
    async with c.messages(heartbeat=0.5, expires=2) as ms:
        await client.publish(f"{stream}.a", b"1")
        batch = await ms.next_batch(10, 5)
        assert [m.payload for m in batch] == [b"1"]
        batch[0].ack()
        await client.delete_stream(stream)
        with pytest.raises(jetbridge.NotFoundError):
            for _ in range(20):
                await ms.next_batch(10, 1)
    with pytest.raises(jetbridge.InvalidArgumentError, match="heartbeat"):
        await c.messages(heartbeat=0.01)


async def test_stop_from_another_task_wakes_a_waiting_reader(client: jetbridge.Client, stream: str) -> None:
    c = await client.create_consumer(stream, durable_name="d")
    ms = await c.messages(heartbeat=1, expires=5)

    async def read_all() -> List[bytes]:
        return [m.payload async for m in ms]

    reader = asyncio.ensure_future(read_all())
    # Until the reader's native wait is running (it waits up to 60 s per slice).
    for _ in range(250):
        if jetbridge._native._unfinished_calls() > 0:
            break
        await asyncio.sleep(0.02)
    assert jetbridge._native._unfinished_calls() > 0
    ms.stop()
    assert await asyncio.wait_for(reader, 5) == []
