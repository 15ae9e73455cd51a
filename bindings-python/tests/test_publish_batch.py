"""Atomic batch publish (``publish_batch``; nats-server 2.12+, which the
session's server is): a batch is stored whole with one ``BatchAck``, a stream
without ``allow_atomic`` refuses it and stores nothing, the core checks the
batch before sending."""

from __future__ import annotations

from typing import Callable

import pytest

import jetbridge
import jetbridge.sync as jbs
from jetbridge import Expect, PublishMessage


async def _messages(client: jetbridge.Client, stream: str) -> int:
    return (await client.stream_info(stream)).state.messages


async def test_a_batch_is_stored_whole(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    s = name("ATOMIC")
    await client.create_stream(name=s, subjects=[f"{s}.>"], allow_atomic=True)
    try:
        await client.publish(f"{s}.before", b"0")
        ack = await client.publish_batch(
            [
                PublishMessage(f"{s}.created", b"o-1", headers=[("X-Order", "1")], expect=Expect(last_sequence=1)),
                (f"{s}.paid", "o-1 paid", "paid-1"),
                (f"{s}.shipped", b"o-1 shipped"),
            ]
        )
        assert isinstance(ack, jetbridge.BatchAck)
        assert (ack.stream, ack.sequence, ack.count) == (s, 4, 3)
        assert ack.batch_id
        assert repr(ack) == f'BatchAck(stream="{s}", sequence=4, count=3, batch_id="{ack.batch_id}")'
        assert await _messages(client, s) == 4
        first = await client.get_message(s, 2)
        assert (first.subject, first.payload, first.header("X-Order")) == (f"{s}.created", b"o-1", "1")
        assert (await client.get_message(s, 3)).header("Nats-Msg-Id") == "paid-1"
        # A batch whose message fails its expectation stores nothing.
        with pytest.raises(jetbridge.WrongLastSequenceError):
            await client.publish_batch(
                [(f"{s}.a", b"x"), PublishMessage(f"{s}.b", b"y", expect=Expect(last_subject_sequence=99))]
            )
        assert await _messages(client, s) == 4
    finally:
        await client.delete_stream(s)


async def test_a_stream_without_allow_atomic_refuses_a_batch(client: jetbridge.Client, stream: str) -> None:
    for n in (1, 3):
        with pytest.raises(jetbridge.InvalidArgumentError) as e:
            await client.publish_batch([(f"{stream}.a", str(i)) for i in range(n)])
        assert e.value.api_code == 10174
    assert await _messages(client, stream) == 0


async def test_bad_batches_are_refused_before_sending(client: jetbridge.Client, stream: str) -> None:
    with pytest.raises(jetbridge.InvalidArgumentError, match="at least one"):
        await client.publish_batch([])
    with pytest.raises(jetbridge.InvalidArgumentError, match="last_msg_id"):
        await client.publish_batch([PublishMessage(f"{stream}.a", b"x", expect=Expect(last_msg_id="m"))])
    with pytest.raises(TypeError, match="messages"):
        await client.publish_batch("not a list")  # type: ignore[arg-type]
    assert await _messages(client, stream) == 0


def test_blocking_publish_batch(url: str, name: Callable[[str], str]) -> None:
    with jbs.connect(url) as c:
        s = name("ATOMIC")
        c.create_stream(name=s, subjects=[f"{s}.>"], allow_atomic=True)
        try:
            ack = c.publish_batch([(f"{s}.a", b"1"), (f"{s}.b", b"2")])
            assert (ack.stream, ack.sequence, ack.count) == (s, 2, 2)
            with pytest.raises(jetbridge.InvalidArgumentError, match="at least one"):
                c.publish_batch([])
        finally:
            c.delete_stream(s)
