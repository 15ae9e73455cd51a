"""A message's own time to live (``ttl``, sent as ``Nats-TTL``; nats-server
2.11+, which the session's server is): every way of publishing carries it,
the core checks it, a stream without ``allow_msg_ttl`` refuses it."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Callable

import pytest

import jetbridge
import jetbridge.sync as jbs


async def _ttl_stream(client: jetbridge.Client, name: Callable[[str], str]) -> str:
    s = name("TTL")
    await client.create_stream(name=s, subjects=[f"{s}.>"], allow_msg_ttl=True)
    return s


async def _messages(client: jetbridge.Client, stream: str) -> int:
    return (await client.stream_info(stream)).state.messages


async def test_a_message_with_a_ttl_expires(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    s = await _ttl_stream(client, name)
    try:
        ack = await client.publish(f"{s}.a", b"short", ttl=1)
        assert ack.stream == s
        await client.publish(f"{s}.a", b"kept")
        assert await _messages(client, s) == 2
        deadline = time.monotonic() + 10
        while await _messages(client, s) != 1:
            assert time.monotonic() < deadline, "the message with a 1 s TTL did not expire within 10 s"
            await asyncio.sleep(0.2)
    finally:
        await client.delete_stream(s)


async def test_every_publish_path_carries_the_ttl(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    s = await _ttl_stream(client, name)
    try:
        await client.publish(f"{s}.a", b"x", ttl=timedelta(minutes=1))
        results = await client.publish_many(
            [
                jetbridge.PublishMessage(f"{s}.a", b"x", ttl=60),
                jetbridge.PublishMessage(f"{s}.a", b"x", ttl=0.5),
                (f"{s}.a", b"no ttl"),
            ]
        )
        assert isinstance(results[0], jetbridge.PubAck)
        assert isinstance(results[1], jetbridge.InvalidArgumentError) and "ttl" in str(results[1])
        assert isinstance(results[2], jetbridge.PubAck)

        p = client.publisher()
        await p.publish(f"{s}.a", b"x", ttl=60)
        await p.publish_many([jetbridge.PublishMessage(f"{s}.a", b"x", ttl=60.0)])
        with pytest.raises(jetbridge.InvalidArgumentError, match="ttl"):
            await p.publish(f"{s}.a", b"x", ttl=1.5)
        with pytest.raises(jetbridge.InvalidArgumentError, match="ttl"):
            await p.publish_many([jetbridge.PublishMessage(f"{s}.a", b"x", ttl=0)])
        report = await p.close()
        assert report.failures == [] and report.acked == 2
        stored = await client.get_message(s, 1)
        assert stored.header("Nats-TTL") == "60s"
        assert await _messages(client, s) == 5
    finally:
        await client.delete_stream(s)


async def test_a_ttl_is_checked(client: jetbridge.Client, name: Callable[[str], str], stream: str) -> None:
    s = await _ttl_stream(client, name)
    try:
        for bad in (0.5, 1.5, 0):
            with pytest.raises(jetbridge.InvalidArgumentError, match="ttl"):
                await client.publish(f"{s}.a", b"x", ttl=bad)
        with pytest.raises(jetbridge.InvalidArgumentError, match="ttl"):
            await client.publish(f"{s}.a", b"x", ttl=5, headers={"Nats-TTL": "5s"})
        with pytest.raises(TypeError, match="ttl"):
            await client.publish(f"{s}.a", b"x", ttl="5s")  # type: ignore[arg-type]
        assert await _messages(client, s) == 0
    finally:
        await client.delete_stream(s)
    # A stream without allow_msg_ttl: the server refuses it.
    with pytest.raises(jetbridge.InvalidArgumentError):
        await client.publish(f"{stream}.a", b"x", ttl=5)
    assert await _messages(client, stream) == 0


def test_blocking_publish_carries_the_ttl(url: str, name: Callable[[str], str]) -> None:
    with jbs.connect(url) as c:
        s = name("TTL")
        c.create_stream(name=s, subjects=[f"{s}.>"], allow_msg_ttl=True)
        try:
            assert c.publish(f"{s}.a", b"x", ttl=30).sequence == 1
            p = c.publisher()
            p.publish(f"{s}.a", b"x", ttl=30)
            assert p.close().acked == 1
            with pytest.raises(jetbridge.InvalidArgumentError, match="ttl"):
                c.publish(f"{s}.a", b"x", ttl=0.5)
        finally:
            c.delete_stream(s)
