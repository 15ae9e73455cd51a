"""Ordered replay from every start position, push consumers with a deliver
group, and Dapr-style subscriptions."""

from __future__ import annotations

import asyncio
import time
from typing import List

import pytest

import jetbridge


async def read(stream: jetbridge.MessageStream, n: int, timeout: float = 10) -> List[jetbridge.Message]:
    """The next ``n`` messages of ``stream``; fails after ``timeout`` seconds."""

    async def take() -> List[jetbridge.Message]:
        out: List[jetbridge.Message] = []
        async for m in stream:
            out.append(m)
            if len(out) == n:
                break
        return out

    return await asyncio.wait_for(take(), timeout)


async def test_replay_every_start_position(client: jetbridge.Client, stream: str) -> None:
    for i in range(3):
        await client.publish(f"{stream}.a", f"a{i}")
        await client.publish(f"{stream}.b", f"b{i}")
    mid = time.time_ns()
    await asyncio.sleep(0.05)
    await client.publish(f"{stream}.a", b"a3")  # seq 7

    async def seqs(start: object, n: int, **kw: object) -> List[int]:
        r = client.replay(stream, start, **kw)  # type: ignore[arg-type]
        try:
            return [m.stream_sequence for m in await read(r, n)]
        finally:
            await r.close()

    assert await seqs(None, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert await seqs(jetbridge.StartPosition.all(), 7) == list(range(1, 8))
    assert await seqs(jetbridge.StartPosition.at_sequence(5), 3) == [5, 6, 7]
    assert await seqs(jetbridge.StartPosition.at_time(mid), 1) == [7]
    assert await seqs("last", 1) == [7]
    assert await seqs(jetbridge.StartPosition.last_per_subject(), 2) == [6, 7]
    assert await seqs("all", 4, filter_subjects=[f"{stream}.a"]) == [1, 3, 5, 7]
    assert await seqs("all", 7, speed="original") == list(range(1, 8))
    new = client.replay(stream, jetbridge.StartPosition.new())
    await new.start()
    await client.publish(f"{stream}.b", b"after")
    [m] = await read(new, 1)
    assert (m.stream_sequence, m.payload) == (8, b"after")
    with pytest.raises(jetbridge.InvalidArgumentError, match="ack"):
        m.ack()
    await new.close()
    with pytest.raises(jetbridge.InvalidArgumentError):
        await client.replay(stream, jetbridge.StartPosition.at_sequence(0))
    with pytest.raises(jetbridge.InvalidArgumentError, match="deliver policy"):
        await client.replay(stream, "sometime")


async def test_push_consumer_with_deliver_group_splits_the_work(client: jetbridge.Client, stream: str) -> None:
    cfg = jetbridge.ConsumerConfig(durable_name="workers", deliver_group="g", ack_wait=30)
    a = await client.push_subscribe(stream, cfg)
    b = await client.push_subscribe(stream, cfg)
    results = await client.publish_many([(f"{stream}.x", str(i)) for i in range(200)])
    assert all(isinstance(r, jetbridge.PubAck) for r in results)
    got: List[int] = []
    for _ in range(100):
        for s in (a, b):
            for m in await s.next_batch(100, 0.05):
                got.append(m.stream_sequence)
                m.ack()
        if len(got) >= 200:
            break
    assert sorted(got) == list(range(1, 201))
    assert a.health == "active"
    await a.close()
    await b.close()
    info = await client.consumer_info(stream, "workers")
    assert info.config.deliver_group == "g" and info.config.deliver_subject


async def test_push_consumer_with_flow_control_and_heartbeat(client: jetbridge.Client, stream: str) -> None:
    async with client.push_subscribe(stream, durable_name="fc", flow_control=True, idle_heartbeat=1) as s:
        await client.publish_many([(f"{stream}.x", b"x" * 1000) for _ in range(300)])
        got = await read(s, 300)
        for m in got:
            m.ack()
        assert [m.stream_sequence for m in got] == list(range(1, 301))


async def test_dapr_subscribe(client: jetbridge.Client, stream: str) -> None:
    cfg = jetbridge.DaprConfig.from_metadata(
        {"natsURL": "nats://unused:4222", "durableName": "dapr", "queueGroupName": "q", "ackWait": "10s"}
    )
    assert cfg.subscription.consumer.durable_name == "dapr"
    s = client.subscribe(f"{stream}.orders", cfg.subscription)
    await s.start()
    await client.publish(f"{stream}.orders", b"o1")
    await client.publish(f"{stream}.other", b"skip")
    await client.publish(f"{stream}.orders", b"o2")
    got = await read(s, 2)
    assert [m.payload for m in got] == [b"o1", b"o2"]
    for m in got:
        await m.ack_sync()
    await s.close()
