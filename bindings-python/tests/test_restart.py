"""A server restart (kill -9, then start on the same store) in the middle of
``async for msg in consumer.messages()``: every message is still delivered and
acked; nothing is lost."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Set

import jetbridge

BEFORE = 2000
AFTER = 500


async def test_restart_during_messages_loses_nothing(harness: Callable[..., Any]) -> None:
    h = harness(sync_interval="always")
    client = await jetbridge.connect(h.urls[0], connect_timeout=2)
    try:
        await client.create_stream(name="ORDERS", subjects=["orders.>"])
        results = await client.publish_many([("orders.a", str(i)) for i in range(BEFORE)])
        assert all(isinstance(r, jetbridge.PubAck) for r in results)
        consumer = await client.create_consumer("ORDERS", durable_name="proc", ack_wait=3)
        acked: Set[int] = set()
        restarted = False
        deadline = time.monotonic() + 90
        stream = consumer.messages(batch=200, heartbeat=0.5, expires=2)
        async for msg in stream:
            acked.add(msg.stream_sequence)
            msg.ack()
            if not restarted and len(acked) >= 500:
                restarted = True
                await asyncio.to_thread(h.kill9, 0)
                await asyncio.to_thread(h.restart, 0)
                more = await client.publish_many([("orders.b", str(i)) for i in range(AFTER)])
                assert all(isinstance(r, jetbridge.PubAck) for r in more), more[:3]
            if len(acked) == BEFORE + AFTER or time.monotonic() > deadline:
                break
        assert restarted
        missing = set(range(1, BEFORE + AFTER + 1)) - acked
        assert not missing, f"{len(missing)} never delivered, e.g. {sorted(missing)[:5]}"
        events = [e.health for e in stream.take_events()]
        # The outage shows in the health history (reconnecting, stalled or
        # recovering, depending on what the consumer saw first).
        assert set(events) & {"reconnecting", "stalled", "recovering"}, events
        assert client.counters().reconnects >= 1
        # Acks sent while the server was down are lost: those messages come
        # back after their ack wait. Keep acking until the consumer is settled.
        for _ in range(60):
            for m in await stream.next_batch(500, 0.5):
                m.ack()
            info = await consumer.info()
            if (info.num_pending, info.num_ack_pending) == (0, 0):
                break
        assert (info.num_pending, info.num_ack_pending) == (0, 0)
        assert info.ack_floor.stream_seq == BEFORE + AFTER
        await stream.close()
    finally:
        await client.close()
