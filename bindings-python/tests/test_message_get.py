"""Reading stored messages back: the next on a subject (``get_next_message``) and a
batch (``get_messages``, nats-server 2.11+, which the session's server is; a stream
with ``allow_direct``), async and blocking."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import pytest

import jetbridge
import jetbridge.sync as jbs


async def test_next_by_subject(client: jetbridge.Client, stream: str) -> None:
    for i, sub in enumerate(["a", "b", "a", "b"], start=1):
        await client.publish(f"{stream}.{sub}", f"m{i}")
    nxt = await client.get_next_message(stream, f"{stream}.b", 3)
    assert (nxt.sequence, nxt.subject, nxt.payload) == (4, f"{stream}.b", b"m4")
    assert (await client.get_next_message(stream, f"{stream}.*", 2)).sequence == 2
    with pytest.raises(jetbridge.NotFoundError) as e:
        await client.get_next_message(stream, f"{stream}.a", 4)
    assert e.value.api_code == 10037
    with pytest.raises(jetbridge.InvalidArgumentError, match="from_sequence"):
        await client.get_next_message(stream, f"{stream}.a", 0)


async def test_a_batch_on_a_subject_from_a_sequence(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    s = name("DIRECT")
    await client.create_stream(name=s, subjects=[f"{s}.>"], allow_direct=True)
    try:
        for i, sub in enumerate(["a", "b", "a", "b", "a"], start=1):
            await client.publish(f"{s}.{sub}", f"m{i}", headers={"X-N": str(i)})
        everything = await client.get_messages(s)
        assert [m.sequence for m in everything] == [1, 2, 3, 4, 5]
        batch = await client.get_messages(s, subject=f"{s}.a", start_sequence=2)
        assert [(m.sequence, m.payload) for m in batch] == [(3, b"m3"), (5, b"m5")]
        assert batch[0].subject == f"{s}.a" and batch[0].timestamp > 0
        assert batch[0].header("X-N") == "3"
        one = await client.get_messages(s, subject=f"{s}.b", max_messages=1)
        assert [m.sequence for m in one] == [2]
        since = await client.get_messages(s, start_time=datetime(2000, 1, 1, tzinfo=timezone.utc), max_messages=2)
        assert [m.sequence for m in since] == [1, 2]
        assert await client.get_messages(s, start_sequence=50) == []
        with pytest.raises(jetbridge.InvalidArgumentError, match="max_messages"):
            await client.get_messages(s, max_messages=0)
    finally:
        await client.delete_stream(s)


async def test_a_batch_needs_allow_direct(client: jetbridge.Client, stream: str) -> None:
    await client.publish(f"{stream}.a", b"x")
    with pytest.raises(jetbridge.InvalidArgumentError, match="allow_direct"):
        await client.get_messages(stream)


def test_blocking(url: str, name: Callable[[str], str]) -> None:
    s = name("SYNC_DIRECT")
    with jbs.connect(url) as sclient:
        sclient.create_stream(name=s, subjects=[f"{s}.>"], allow_direct=True)
        try:
            for sub in ["a", "b", "a"]:
                sclient.publish(f"{s}.{sub}", sub)
            assert sclient.get_next_message(s, f"{s}.a", 2).sequence == 3
            assert [m.sequence for m in sclient.get_messages(s, subject=f"{s}.a")] == [1, 3]
        finally:
            sclient.delete_stream(s)
