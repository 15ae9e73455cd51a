"""Core NATS on the JetBridge client (publish, subscribe with queue groups,
request-reply), connection events and tracked publishes, asyncio and
blocking, against real servers."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta
from typing import Any, Callable, List

import pytest

import jetbridge
import jetbridge.sync as jbs
from jetbridge import _native


async def test_request_reply_with_a_responder_in_the_same_process(
    client: jetbridge.Client, name: Callable[[str], str]
) -> None:
    subject = name("svc.echo")

    async def serve(sub: jetbridge.CoreSubscription) -> None:
        async for msg in sub:
            await msg.respond(b"echo: " + msg.data, headers=msg.headers)

    async with await client.core_subscribe(subject, queue="svc") as sub:
        task = asyncio.ensure_future(serve(sub))
        reply = await client.core_request(subject, b"ping", headers={"X-Trace": "t1"}, timeout=2)
        assert isinstance(reply, jetbridge.CoreMessage)
        assert reply.data == b"echo: ping"
        assert reply.headers.items() == [("X-Trace", "t1")]
        reply = await client.core_request(subject, "text", timeout=timedelta(seconds=2))
        assert reply.data == b"echo: text"
        assert (await client.core_request(subject)).data == b"echo: "  # the core's timeout
    await asyncio.wait_for(task, 5)  # iteration ended with the unsubscribe


async def test_publish_subscribe_with_headers_and_reply(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    prefix = name("greet")
    sub = await client.core_subscribe(f"{prefix}.*")
    await client.core_publish(f"{prefix}.a", b"hi", headers=[("X-Kind", "hello")])
    await client.core_publish(f"{prefix}.b", reply="answers.here")
    a = await sub.next(timeout=2)
    b = await sub.next(timeout=2)
    assert a is not None and b is not None
    assert (a.subject, a.data, a.headers.items(), a.reply) == (f"{prefix}.a", b"hi", [("X-Kind", "hello")], None)
    assert (b.subject, b.data, b.reply) == (f"{prefix}.b", b"", "answers.here")
    assert await sub.next(timeout=0.1) is None
    with pytest.raises(jetbridge.InvalidArgumentError, match="no reply subject"):
        await a.respond(b"no")
    await sub.unsubscribe()
    await sub.unsubscribe()  # twice is fine
    with pytest.raises(jetbridge.ClosedError):
        await sub.next(timeout=0.1)


async def test_queue_group_shares_messages(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    subject = name("work")
    members = [await client.core_subscribe(subject, queue="workers") for _ in range(2)]
    for i in range(20):
        await client.core_publish(subject, str(i))
    got: List[List[bytes]] = [[], []]
    deadline = time.monotonic() + 5
    while sum(map(len, got)) < 20 and time.monotonic() < deadline:
        for i, m in enumerate(members):
            msg = await m.next(timeout=0.05)
            if msg is not None:
                got[i].append(msg.data)
    assert sorted(got[0] + got[1], key=int) == [str(i).encode() for i in range(20)]
    for m in members:
        assert await m.next(timeout=0.2) is None  # each message reached one member
        await m.unsubscribe()


async def test_request_errors(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    with pytest.raises(jetbridge.NoRespondersError):
        await client.core_request(name("nobody"), b"ping", timeout=2)
    silent = name("silent")
    async with await client.core_subscribe(silent):
        with pytest.raises(jetbridge.TimeoutError):
            await client.core_request(silent, b"q", timeout=0.3)
    with pytest.raises(jetbridge.InvalidArgumentError):
        await client.core_publish("bad subject.*", b"x")
    with pytest.raises(jetbridge.InvalidArgumentError):
        await client.core_subscribe("a.>", queue="bad queue")


async def test_unsubscribe_ends_a_waiting_next_at_once(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    sub = await client.core_subscribe(name("quiet"))
    waiting = asyncio.ensure_future(sub.next(timeout=30))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await sub.unsubscribe()
    with pytest.raises(jetbridge.ClosedError):
        await asyncio.wait_for(waiting, 5)
    assert time.monotonic() - started < 2


async def test_close_ends_iteration_and_refuses_core_calls(url: str, name: Callable[[str], str]) -> None:
    client = await jetbridge.connect(url)
    sub = await client.core_subscribe(name("x"))
    events = client.events()
    await client.close()
    assert [m async for m in sub] == []
    assert [e async for e in events] == [jetbridge.ConnectionEvent("closed", None)]
    assert events.ended
    assert [e async for e in client.events()] == []  # a listener made after close has ended
    with pytest.raises(jetbridge.ClosedError):
        await client.core_publish("a", b"x")
    with pytest.raises(jetbridge.ClosedError):
        await client.core_subscribe("a")
    with pytest.raises(jetbridge.ClosedError):
        await client.core_request("a")


def test_event_kinds_are_the_cores() -> None:
    assert jetbridge.CONNECTION_EVENT_KINDS == tuple(_native.connection_event_kinds())
    assert "disconnected" in jetbridge.CONNECTION_EVENT_KINDS
    assert "reconnected" in jetbridge.CONNECTION_EVENT_KINDS


async def test_events_across_a_server_restart(harness: Callable[..., Any]) -> None:
    h = harness()
    client = await jetbridge.connect(h.urls[0], connect_timeout=2)
    events = client.events()
    other = client.events()
    assert await events.next(timeout=0.2) is None  # quiet connection
    await asyncio.to_thread(h.kill9, 0)
    first = await events.next(timeout=10)
    assert first == jetbridge.ConnectionEvent("disconnected", None)
    await asyncio.to_thread(h.restart, 0)
    seen = []
    while True:
        e = await events.next(timeout=20)
        assert e is not None, seen
        seen.append(e.kind)
        if e.kind == "reconnected":
            break
    await client.close()
    rest = [e.kind async for e in events]
    assert rest[-1] == "closed"
    assert events.ended
    kinds = [e.kind async for e in other]  # each listener saw everything
    assert kinds[0] == "disconnected" and "reconnected" in kinds and kinds[-1] == "closed"


async def test_tracked_publish(client: jetbridge.Client, stream: str) -> None:
    p = client.publisher(max_in_flight=16)
    first = await p.publish_tracked(f"{stream}.a", b"1", msg_id="a-1")
    dup = await p.publish_tracked(f"{stream}.a", b"1", msg_id="a-1")
    plain = await p.publish(f"{stream}.b", b"2")
    wrong = await p.publish_tracked(f"{stream}.c", b"3", expect=jetbridge.Expect(last_sequence=99))
    assert [first.ticket, dup.ticket, plain, wrong.ticket] == [0, 1, 2, 3]
    ack = await first
    assert (ack.stream, ack.sequence, ack.duplicate, ack.msg_id) == (stream, 1, False, "a-1")
    assert await first == ack  # awaiting again gives the same ack
    d = await dup
    assert (d.sequence, d.duplicate) == (1, True)
    with pytest.raises(jetbridge.WrongLastSequenceError):
        await wrong
    report = await p.flush()
    assert (report.acked, report.duplicates, len(report.failures)) == (3, 1, 1)
    with pytest.raises(jetbridge.InvalidArgumentError):
        await p.publish_tracked(f"{stream}.*", b"bad")
    await p.close()
    with pytest.raises(jetbridge.ClosedError):
        await p.publish_tracked(f"{stream}.a", b"late")


async def test_cancelled_wait_for_a_tracked_ack_leaves_it(client: jetbridge.Client, stream: str) -> None:
    p = client.publisher()
    t = await p.publish_tracked(f"{stream}.a", b"1")
    waiter = asyncio.ensure_future(_await(t))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert (await t).sequence == 1


async def _await(t: jetbridge.TrackedPublish) -> jetbridge.PubAck:
    return await t


def test_blocking_core_nats_events_and_tracked(url: str, name: Callable[[str], str]) -> None:
    subject = name("sync.echo")
    with jbs.connect(url) as client:
        events = client.events()
        sub = client.core_subscribe(subject)

        def serve() -> None:
            for msg in sub:
                msg.respond(b"re: " + msg.data)

        t = threading.Thread(target=serve)
        t.start()
        reply = client.core_request(subject, b"x", timeout=2)
        assert isinstance(reply, jbs.CoreMessage)
        assert (reply.data, reply.headers.items()) == (b"re: x", [])
        sub.unsubscribe()  # ends the iteration in the other thread
        t.join(5)
        assert not t.is_alive()
        with pytest.raises(jetbridge.NoRespondersError):
            client.core_request(subject, b"x", timeout=2)
        with client.core_subscribe(subject) as s2:
            client.core_publish(subject, b"y", headers={"K": "v"})
            m = s2.next(timeout=2)
            assert m is not None and (m.data, m.headers.items()) == (b"y", [("K", "v")])
            assert s2.next(timeout=0.05) is None

        s = name("SYNC")
        client.create_stream(name=s, subjects=[f"{s}.>"])
        p = client.publisher()
        tracked = p.publish_tracked(f"{s}.a", b"1", msg_id="m-1")
        assert tracked.result(timeout=5).sequence == 1
        assert tracked.result().sequence == 1
        bad = p.publish_tracked(f"{s}.a", b"2", expect=jetbridge.Expect(last_sequence=7))
        with pytest.raises(jetbridge.WrongLastSequenceError):
            bad.result()
        p.close()
        client.delete_stream(s)
        assert events.next(timeout=0.05) is None
    assert [e.kind for e in events] == ["closed"]
