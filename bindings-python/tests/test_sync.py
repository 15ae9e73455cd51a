"""The blocking facade: the same calls without await, GIL released while
waiting, Ctrl-C interrupts a wait."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Callable, Iterator

import pytest

import jetbridge
import jetbridge.sync as jbs


@pytest.fixture
def sclient(url: str) -> Iterator[jbs.Client]:
    with jbs.connect(url) as c:
        yield c


@pytest.fixture
def sstream(sclient: jbs.Client, name: Callable[[str], str]) -> Iterator[str]:
    s = name("SYNC")
    sclient.create_stream(name=s, subjects=[f"{s}.>"])
    yield s
    sclient.delete_stream(s)


def test_blocking_round_trip(sclient: jbs.Client, sstream: str) -> None:
    s = sstream
    assert sclient.stream_info(s).config.name == s
    assert sclient.stream_by_subject(f"{s}.a") == s
    ack = sclient.publish(f"{s}.a", b"1", msg_id="one")
    assert (ack.sequence, ack.duplicate) == (1, False)
    assert sclient.publish(f"{s}.a", b"1", msg_id="one").duplicate
    assert all(isinstance(r, jetbridge.PubAck) for r in sclient.publish_many([(f"{s}.b", b"2"), (f"{s}.b", b"3")]))
    pub = sclient.publisher(max_in_flight=8)
    assert [pub.publish(f"{s}.c", b"x") for _ in range(20)] == list(range(20))
    assert pub.publish_many([(f"{s}.c", b"y")]) == [20]
    assert pub.flush().acked == 21 and pub.in_flight == (0, 0) and pub.peak_in_flight <= 8
    assert pub.close().acked == 0 and pub.window[0] == 8
    assert sclient.get_message(s, 1).payload == b"1"
    assert sclient.get_last_message(s, f"{s}.b").payload == b"3"

    c = sclient.create_consumer(s, durable_name="d")
    assert sclient.get_or_create_consumer(s, durable_name="d").name == "d"
    assert sclient.bind_consumer(s, "d").config.durable_name == "d"
    assert sclient.update_consumer(s, durable_name="d", max_ack_pending=77).config.max_ack_pending == 77
    batch = c.fetch(3, 2)
    assert [m.stream_sequence for m in batch] == [1, 2, 3]
    assert all(isinstance(m, jbs.Message) for m in batch)
    batch[0].ack_sync()  # blocks until confirmed, returns None
    batch[1].ack()
    batch[2].nak()
    assert c.info().num_pending == 21 and sclient.consumer_info(s, "d").name == "d"
    seen = {}
    for _ in range(10):
        for m in c.fetch(30, 1):
            seen.setdefault(m.stream_sequence, []).append(m.delivered)
            m.ack()
        if len(seen) == 22:
            break
    assert sorted(seen) == list(range(3, 25)) and seen[3] == [2]

    with c.messages(heartbeat=1, expires=5) as ms:
        sclient.publish_many([(f"{s}.d", str(i)) for i in range(5)])
        got = []
        for m in ms:
            got.append(m.stream_sequence)
            m.ack()
            if len(got) == 5:
                break
        assert got == list(range(25, 30))
        assert ms.health == "active" and ms.take_events()
        assert ms.next_batch(5, 0.1) == []
        assert ms.wait_health_change("active", 0.05) == "active"
    for _ in ms:
        pytest.fail("a closed stream yields nothing")

    with sclient.replay(s, jetbridge.StartPosition.at_sequence(28)) as r:
        assert [r.next().stream_sequence, r.next().stream_sequence] == [28, 29]
    with sclient.push_subscribe(s, durable_name="push") as p:
        assert p.next().stream_sequence == 1
    sub = jetbridge.SubscriptionOptions(stream_name=s, consumer=jetbridge.ConsumerConfig(durable_name="dapr"))
    with sclient.subscribe(f"{s}.b", sub) as d:
        assert [d.next().payload, d.next().payload] == [b"2", b"3"]
    c.delete()
    sclient.delete_consumer(s, "push")
    assert sclient.purge_stream(s, subject=f"{s}.c") == 21
    assert sclient.update_stream(name=s, subjects=[f"{s}.>"], max_msgs=10).config.max_msgs == 10
    assert sclient.counters().published >= 30 and sclient.connection_state().connected
    assert sclient.max_payload > 0 and sclient.servers and not sclient.is_closed


def test_gil_is_released_while_blocking(sclient: jbs.Client, sstream: str) -> None:
    c = sclient.create_consumer(sstream, durable_name="idle")
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    try:
        assert c.fetch(1, max_wait=0.6) == []
    finally:
        stop.set()
        t.join()
    # With the GIL held for 0.6 s the thread could not have counted at all.
    assert ticks > 50


def test_ctrl_c_interrupts_a_blocking_wait(sclient: jbs.Client, sstream: str) -> None:
    c = sclient.create_consumer(sstream, durable_name="wait")
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            c.fetch(1, max_wait=30)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, old)
    assert time.monotonic() - started < 5
    # The client is still usable.
    sclient.publish(f"{sstream}.a", b"after")
    assert [m.payload for m in c.fetch(1, 5)] == [b"after"]


def test_blocking_errors_are_the_same_classes(sclient: jbs.Client) -> None:
    with pytest.raises(jetbridge.NotFoundError):
        sclient.stream_info("NOPE_SYNC")
    with pytest.raises(jetbridge.InvalidArgumentError):
        sclient.publish("bad subject", b"x")
    with pytest.raises(jetbridge.ConnectionError):
        jbs.connect("nats://127.0.0.1:1", connect_timeout=1)
