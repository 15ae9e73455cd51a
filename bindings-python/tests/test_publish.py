"""Publishing: single publish, dedup, headers, payload types, publish_many and
the pipelined publisher."""

from __future__ import annotations

import asyncio

import pytest

import jetbridge


async def test_publish_acks_and_dedups(client: jetbridge.Client, stream: str) -> None:
    ack = await client.publish(f"{stream}.a", b"one")
    assert (ack.stream, ack.sequence, ack.duplicate) == (stream, 1, False)
    assert ack.msg_id.startswith("jb-") and ack.domain is None
    first = await client.publish(f"{stream}.a", b"two", msg_id="id-2")
    again = await client.publish(f"{stream}.a", b"two", msg_id="id-2")
    assert (first.sequence, first.duplicate, again.sequence, again.duplicate) == (2, False, 2, True)
    assert again.msg_id == "id-2"
    assert "PubAck(" in repr(ack) and ack == ack and ack != first
    info = await client.stream_info(stream)
    assert info.state.messages == 2
    c = client.counters()
    assert (c.published, c.acked, c.duplicates) == (3, 3, 1)


async def test_payload_types_and_headers(client: jetbridge.Client, stream: str) -> None:
    payloads = [b"bytes", bytearray(b"bytearray"), memoryview(b"memoryview"), "str \u00e9"]
    for p in payloads:
        await client.publish(f"{stream}.p", p, headers={"X-Kind": type(p).__name__})
    await client.publish(f"{stream}.p", b"multi", headers=[("X-A", "1"), ("X-A", "2")])
    for seq, want in enumerate([b"bytes", b"bytearray", b"memoryview", "str \u00e9".encode()], start=1):
        stored = await client.get_message(stream, seq)
        assert stored.payload == want
        assert stored.header("x-kind") is not None
        assert stored.header("Nats-Msg-Id") is not None
    multi = await client.get_message(stream, 5)
    assert [v for k, v in multi.headers.items() if k == "X-A"] == ["1", "2"]
    with pytest.raises(jetbridge.InvalidArgumentError, match="payload"):
        await client.publish(f"{stream}.p", b"")
    with pytest.raises(jetbridge.InvalidArgumentError):
        await client.publish(f"{stream}.p", b"x", headers={"X-Bad": "a\r\nb"})
    with pytest.raises(jetbridge.InvalidArgumentError, match="max_payload"):
        await client.publish(f"{stream}.p", b"x" * (client.max_payload + 1))


async def test_missing_stream_is_not_found_not_a_retry(client: jetbridge.Client, name: object) -> None:
    with pytest.raises(jetbridge.NotFoundError):
        await client.publish("no.stream.here", b"x")


async def test_publish_many_outcomes_in_order(client: jetbridge.Client, stream: str) -> None:
    results = await client.publish_many(
        [
            (f"{stream}.a", b"1"),
            (f"{stream}.a", b"2", "dup"),
            jetbridge.PublishMessage(f"{stream}.a", "3", msg_id="dup"),
            ("bad subject", b"4"),
            jetbridge.PublishMessage(f"{stream}.b", b"5", headers={"X": "y"}),
        ]
    )
    assert len(results) == 5
    ok = [r for r in results if isinstance(r, jetbridge.PubAck)]
    assert [r.sequence for r in ok] == [1, 2, 2, 3]
    assert [r.duplicate for r in ok] == [False, False, True, False]
    assert isinstance(results[3], jetbridge.InvalidArgumentError)
    assert (await client.stream_info(stream)).state.messages == 3
    assert await client.publish_many([]) == []


async def test_publisher_pipelines_and_flushes(client: jetbridge.Client, stream: str) -> None:
    pub = client.publisher(max_in_flight=64)
    assert pub.window[0] == 64
    assert pub.options == jetbridge.PublisherOptions(
        max_in_flight=64, max_in_flight_bytes=32 << 20, fast_ingest=False
    )
    tickets = [await pub.publish(f"{stream}.a", b"x" * 128) for _ in range(1000)]
    assert tickets == list(range(1000))
    assert 0 < pub.peak_in_flight <= 64
    more = await pub.publish_many([(f"{stream}.b", b"y")] * 10)
    assert more == list(range(1000, 1010))
    report = await pub.flush()
    assert (report.acked, report.duplicates, report.failures) == (1010, 0, [])
    assert pub.in_flight == (0, 0)
    info = await client.stream_info(stream)
    assert info.state.messages == 1010


async def test_publisher_reports_failures_with_tickets(client: jetbridge.Client, stream: str) -> None:
    pub = client.publisher()
    await pub.publish(f"{stream}.a", b"1", msg_id="m1")
    bad = await pub.publish(f"{stream}.a", b"2", expect=jetbridge.Expect(last_sequence=99))
    await pub.publish(f"{stream}.a", b"3", msg_id="m1")
    report = await pub.close()
    assert report.acked == 2 and report.duplicates == 1
    [failure] = report.failures
    assert failure.ticket == bad and failure.subject == f"{stream}.a"
    assert isinstance(failure.error, jetbridge.WrongLastSequenceError)
    with pytest.raises(jetbridge.ClosedError):
        await pub.publish(f"{stream}.a", b"4")
    with pytest.raises(jetbridge.InvalidArgumentError, match="message 1"):
        await client.publisher().publish_many([(f"{stream}.a", b"1"), ("bad subject", b"2")])
    with pytest.raises(jetbridge.InvalidArgumentError):
        client.publisher(max_in_flight=0)


async def test_publisher_waits_when_the_window_is_full(client: jetbridge.Client, stream: str) -> None:
    pub = client.publisher(max_in_flight=4)
    done = await asyncio.gather(*(pub.publish(f"{stream}.a", bytes([i + 1])) for i in range(50)))
    assert sorted(done) == list(range(50))
    assert pub.peak_in_flight <= 4
    report = await pub.flush()
    assert report.acked == 50 and not report.failures
