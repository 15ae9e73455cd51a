"""Cancellation: a cancelled await leaves no task behind, loses no message
and no ack, and leaves the event loop clean."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import jetbridge
from jetbridge import _native


async def settle(timeout: float = 5.0) -> int:
    """Waits until every spawned native call has ended; returns how many remain."""
    for _ in range(int(timeout / 0.02)):
        if _native._unfinished_calls() == 0:
            return 0
        await asyncio.sleep(0.02)
    return _native._unfinished_calls()


async def pull_waiting(consumer: jetbridge.Consumer, timeout: float = 5.0) -> bool:
    """Waits until the server holds a pull request of `consumer`."""
    for _ in range(int(timeout / 0.02)):
        if (await consumer.info()).num_waiting > 0:
            return True
        await asyncio.sleep(0.02)
    return False


def capture_loop_errors() -> List[Dict[str, Any]]:
    errors: List[Dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    return errors


async def test_cancelled_async_for_loses_nothing_and_leaves_no_task(
    client: jetbridge.Client, stream: str
) -> None:
    errors = capture_loop_errors()
    consumer = await client.create_consumer(stream, durable_name="d", ack_wait=30)
    messages = await consumer.messages(heartbeat=1, expires=5)

    async def first() -> jetbridge.Message:
        async for m in messages:
            return m
        raise AssertionError("stream ended")

    for _ in range(3):
        reader = asyncio.ensure_future(first())
        await asyncio.sleep(0.2)
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
        assert reader.cancelled()
    # The native wait of each cancelled read was aborted, not left running.
    assert await settle() == 0
    await client.publish(f"{stream}.a", b"after-cancel")
    m = await asyncio.wait_for(messages.next(), 5)
    assert (m.payload, m.delivered) == (b"after-cancel", 1)
    m.ack()
    await messages.close()
    assert await settle() == 0
    assert errors == []


async def test_cancelled_fetch_hands_its_messages_to_the_next_fetch(
    client: jetbridge.Client, stream: str
) -> None:
    errors = capture_loop_errors()
    consumer = await client.create_consumer(stream, durable_name="d", ack_wait=30)
    waiting = asyncio.ensure_future(consumer.fetch(1, max_wait=3))
    # Cancel only once the fetch's pull request is on the server.
    assert await pull_waiting(consumer), "the fetch's pull request never reached the server"
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    # The server answers the cancelled fetch's pull request with this message.
    await client.publish(f"{stream}.a", b"caught-by-cancelled-fetch")
    got = await consumer.fetch(1, max_wait=5)
    assert [(m.payload, m.delivered) for m in got] == [(b"caught-by-cancelled-fetch", 1)]
    got[0].ack()
    assert await settle() == 0
    assert errors == []


async def test_cancelled_ack_sync_still_acks(url: str, stream: str) -> None:
    async with jetbridge.connect(url) as client:
        errors = capture_loop_errors()
        await client.publish(f"{stream}.a", b"1")
        consumer = await client.create_consumer(stream, durable_name="d", ack_wait=1)
        [m] = await consumer.fetch(1, 5)
        confirm = asyncio.ensure_future(m.ack_sync())
        await asyncio.sleep(0)
        confirm.cancel()
        await asyncio.gather(confirm, return_exceptions=True)
        for _ in range(100):
            info = await consumer.info()
            if info.num_ack_pending == 0:
                break
            await asyncio.sleep(0.05)
        assert (info.num_ack_pending, info.ack_floor.stream_seq) == (0, 1)
        # Past the 1 s ack wait: not redelivered, the ack was not lost.
        assert await consumer.fetch(1, max_wait=1.5) == []
        assert await settle() == 0
        assert errors == []


async def test_many_cancelled_calls_leave_the_loop_clean(client: jetbridge.Client, stream: str) -> None:
    errors = capture_loop_errors()
    calls = [asyncio.ensure_future(client.publish(f"{stream}.a", str(i))) for i in range(200)]
    await asyncio.sleep(0)
    for c in calls[::2]:
        c.cancel()
    results = await asyncio.gather(*calls, return_exceptions=True)
    done = [r for r in results if isinstance(r, jetbridge.PubAck)]
    assert len(done) >= 100
    assert all(isinstance(r, (jetbridge.PubAck, asyncio.CancelledError)) for r in results)
    assert await settle() == 0
    await asyncio.sleep(0.1)
    # Cancelled publishes may still be stored (the core finishes what it
    # started); none is stored twice.
    info = await client.stream_info(stream)
    assert len(done) <= info.state.messages <= 200
    assert errors == []
