"""Python idioms of issue 22: awaitable acks, ``ConnectionError``, headers as
a read-only multi-dict, ``timedelta`` durations, ``Publisher`` as an async
context manager, and what ``break`` in ``async for`` does."""

from __future__ import annotations

import asyncio
import builtins
import inspect
import socket
import warnings
from datetime import timedelta
from typing import Awaitable, Callable

import pytest

import jetbridge

Settled = Callable[..., Awaitable[jetbridge.ConsumerInfo]]


async def test_ack_forms_plain_and_awaited(url: str, client: jetbridge.Client, stream: str, settled: Settled) -> None:
    for i in range(5):
        await client.publish(f"{stream}.a", f"m{i}")
    await client.create_consumer(stream, durable_name="acks")
    acker = await jetbridge.connect(url)
    msgs = await (await acker.bind_consumer(stream, "acks")).fetch(5, timedelta(seconds=5))
    assert len(msgs) == 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "never awaited" warning would fail here
        plain = msgs[0].ack()
        assert inspect.isawaitable(plain) and not asyncio.iscoroutine(plain)
        assert await msgs[1].ack() is None
        assert await msgs[2].in_progress() is None
        msgs[2].in_progress()
        assert await msgs[2].term("done") is None
        assert await msgs[3].nak(timedelta(minutes=5)) is None
        msgs[4].nak(timedelta(minutes=5))
        del plain
    assert all(m.is_acked for m in msgs)
    await acker.close()  # flushes the queued acks
    info = await settled(client, stream, "acks", 3)
    assert info.ack_floor.stream_seq == 3  # 1, 2 acked, 3 termed; 4 and 5 wait for redelivery


async def test_connection_error_is_the_builtin_one() -> None:
    assert issubclass(jetbridge.ConnectionError, builtins.ConnectionError)
    assert issubclass(jetbridge.ConnectionError, jetbridge.JetBridgeError)
    assert issubclass(jetbridge.TimeoutError, builtins.TimeoutError)
    with socket.socket() as s:  # a port nobody listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(builtins.ConnectionError) as caught:
        await jetbridge.connect(f"nats://127.0.0.1:{port}", connect_timeout=5)
    assert isinstance(caught.value, jetbridge.ConnectionError) and caught.value.code == "CONNECTION"


async def test_headers_are_a_read_only_multidict(client: jetbridge.Client, stream: str) -> None:
    sent = [("X-A", "1"), ("X-A", "2"), ("X-B", "3")]
    ack = await client.publish(f"{stream}.h", b"h", msg_id="h-1", headers=sent)
    consumer = await client.create_consumer(stream, durable_name="hdr")
    (msg,) = await consumer.fetch(1, 5)
    stored = await client.get_message(stream, ack.sequence)
    for h in (msg.headers, stored.headers):
        assert isinstance(h, jetbridge.MessageHeaders)
        assert h.get("x-A") == "1" and h["X-a"] == "1"
        assert h.getall("X-A") == ["1", "2"]
        assert "x-b" in h and "X-C" not in h and 1 not in h
        assert h.get("X-C") is None and h.get("X-C", "d") == "d"
        assert h.getall("X-C") == [] and h.getall("X-C", None) is None
        with pytest.raises(KeyError):
            h["X-C"]
        pairs = list(h.items())
        # The core's order: the values of one name in the order sent.
        assert sorted(p for p in pairs if not p[0].lower().startswith("nats-")) == sent
        assert ("Nats-Msg-Id", "h-1") in pairs
        assert list(h) == [k for k, _ in pairs] and len(h) == len(pairs)
        with pytest.raises((AttributeError, TypeError)):
            h["X-A"] = "x"  # type: ignore[index]
    assert stored.header("X-B") == msg.header("x-b") == "3"
    # Received headers go back into a publish as they are.
    again = await client.publish(f"{stream}.h", b"again", headers=msg.headers)
    back = await client.get_message(stream, again.sequence)
    assert back.headers.getall("x-a") == ["1", "2"]


async def test_every_duration_takes_a_timedelta(client: jetbridge.Client, stream: str) -> None:
    await client.publish(f"{stream}.d", b"d")
    consumer = await client.create_consumer(
        stream, durable_name="dur", ack_wait=timedelta(seconds=30), inactive_threshold=timedelta(minutes=10)
    )
    assert consumer.config.ack_wait == 30
    (msg,) = await consumer.fetch(1, max_wait=timedelta(seconds=5), heartbeat=timedelta(seconds=1))
    msg.nak(delay=timedelta(milliseconds=1))
    async with consumer.messages(expires=timedelta(seconds=10), heartbeat=timedelta(seconds=2)) as ms:
        again = await ms.next_batch(1, timedelta(seconds=10))
        assert [m.payload for m in again] == [b"d"]
        again[0].ack()
    with pytest.raises(jetbridge.InvalidArgumentError):
        msg.nak(delay=timedelta(seconds=-1))


async def test_publisher_context_flushes_and_closes(client: jetbridge.Client, stream: str) -> None:
    async with client.publisher() as p:
        tickets = [await p.publish(f"{stream}.p", f"m{i}") for i in range(50)]
    assert tickets == list(range(50))
    assert p.in_flight == (0, 0)
    assert (await client.stream_info(stream)).state.messages == 50
    with pytest.raises(jetbridge.ClosedError):
        await p.publish(f"{stream}.p", b"late")


async def test_blocking_publisher_context_flushes_and_closes(url: str, stream: str) -> None:
    import jetbridge.sync

    with jetbridge.sync.connect(url) as client:
        with client.publisher() as p:
            for i in range(20):
                p.publish(f"{stream}.p", f"m{i}")
        assert p.in_flight == (0, 0)
        assert client.stream_info(stream).state.messages == 20


async def test_publisher_context_closes_on_error(client: jetbridge.Client, stream: str) -> None:
    with pytest.raises(LookupError):
        async with client.publisher() as p:
            await p.publish(f"{stream}.p", b"one")
            raise LookupError("the block's own error")
    assert (await client.stream_info(stream)).state.messages == 1
    with pytest.raises(jetbridge.ClosedError):
        await p.publish(f"{stream}.p", b"late")


async def test_break_leaves_the_stream_running(client: jetbridge.Client, stream: str) -> None:
    """The contract stated in ``MessageStream``'s docstring."""
    for i in range(3):
        await client.publish(f"{stream}.b", f"m{i}")
    consumer = await client.create_consumer(stream, durable_name="brk")
    ms = consumer.messages()
    seen = []
    async for m in ms:
        seen.append(m.stream_sequence)
        m.ack()
        break
    assert ms.health != "stopped"
    async for m in ms:
        seen.append(m.stream_sequence)
        m.ack()
        if len(seen) == 3:
            break
    assert seen == [1, 2, 3]
    await ms.close()
    async for m in ms:  # stopped: the loop ends (the health turns "stopped" in the background)
        raise AssertionError(f"unexpected {m!r}")
