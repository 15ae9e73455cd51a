"""Key-value buckets: put/get, compare-and-set, delete vs never written,
history, keys, and watches with the caught-up marker (asyncio and blocking)."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timezone
from typing import AsyncIterator, Callable, List, Optional

import pytest

import jetbridge
import jetbridge.sync as jbs


@pytest.fixture
async def kv(client: jetbridge.Client, name: Callable[[str], str]) -> AsyncIterator[jetbridge.KeyValue]:
    bucket = name("cfg")
    kv = await client.create_key_value(jetbridge.KvConfig(bucket=bucket, history=5))
    yield kv
    if not client.is_closed:
        await client.delete_key_value(bucket)


async def test_put_get_revisions(kv: jetbridge.KeyValue) -> None:
    r1 = await kv.put("db.host", b"a")
    r2 = await kv.put("db.host", "b")  # str is UTF-8
    assert r2 > r1
    e = await kv.get("db.host")
    assert (e.bucket, e.key, e.value, e.revision, e.operation) == (kv.bucket, "db.host", b"b", r2, "put")
    assert isinstance(e.created, datetime) and e.created.tzinfo is not None
    assert abs((datetime.now(timezone.utc) - e.created).total_seconds()) < 60
    assert (await kv.get("db.host", revision=r1)).value == b"a"
    assert [h.value for h in await kv.history("db.host")] == [b"a", b"b"]
    with pytest.raises(TypeError):
        await kv.put("k", 42)  # type: ignore[arg-type]


async def test_compare_and_set(kv: jetbridge.KeyValue) -> None:
    r1 = await kv.create("lock", b"me")
    with pytest.raises(jetbridge.WrongLastSequenceError):
        await kv.create("lock", b"you")
    r2 = await kv.update("lock", b"me again", r1)
    with pytest.raises(jetbridge.WrongLastSequenceError):
        await kv.update("lock", b"stale", r1)
    with pytest.raises(jetbridge.WrongLastSequenceError):
        await kv.delete("lock", revision=r1)
    await kv.delete("lock", revision=r2)
    assert await kv.create("lock", b"free again") > r2  # a deleted key can be created


async def test_delete_vs_never_written(kv: jetbridge.KeyValue, client: jetbridge.Client) -> None:
    await kv.put("a", b"1")
    await kv.put("b", b"2")
    rd = await kv.delete("a")
    with pytest.raises(jetbridge.NotFoundError):
        await kv.get("a")
    with pytest.raises(jetbridge.NotFoundError):
        await kv.get("never")
    marker = await kv.entry("a")
    assert marker is not None and (marker.operation, marker.revision, marker.value) == ("delete", rd, b"")
    assert await kv.entry("never") is None
    with pytest.raises(jetbridge.NotFoundError):
        await kv.history("never")
    assert sorted(await kv.keys()) == ["b"]
    await kv.purge("b")
    assert [e.operation for e in await kv.history("b")] == ["purge"]
    assert await kv.keys() == []
    again = await client.key_value(kv.bucket)
    assert (await again.entry("b")) is not None
    with pytest.raises(jetbridge.NotFoundError):
        await client.key_value(kv.bucket + "_missing")
    with pytest.raises(jetbridge.InvalidArgumentError):
        await kv.put("a b", b"x")


async def test_watch_caught_up_then_changes(kv: jetbridge.KeyValue) -> None:
    await kv.put("a", b"1")
    await kv.put("b", b"2")
    await kv.put("a", b"3")
    seen: List[Optional[jetbridge.KvEntry]] = []
    async with kv.watch() as w:
        async for e in w:
            seen.append(e)
            if e is None:
                break
        assert [(e.key, e.value) for e in seen if e is not None] == [("b", b"2"), ("a", b"3")]
        assert seen[-1] is None and seen.count(None) == 1
        await kv.put("c", b"4")
        await kv.delete("b")
        later = [await w.next(), await w.next()]
        assert [(e.key, e.operation) for e in later if e is not None] == [("c", "put"), ("b", "delete")]
        assert await w.next_batch(5, 0.2) == []  # nothing more, and no second marker
    with pytest.raises(jetbridge.ClosedError):
        await w.next()


async def test_watch_options(kv: jetbridge.KeyValue) -> None:
    await kv.put("x.1", b"a")
    await kv.put("x.1", b"b")
    await kv.put("y", b"c")
    await kv.delete("y")
    async with kv.watch("x.*", include_history=True) as w:
        assert [e and e.value for e in await w.next_batch(3, 5)] == [b"a", b"b", None]
    async with kv.watch(ignore_deletes=True) as w:
        assert [e and e.key for e in await w.next_batch(3, 5)] == ["x.1", None]
    async with kv.watch(updates_only=True) as w:
        assert await w.next() is None  # the marker first
        await kv.put("z", b"new")
        e = await w.next()
        assert e is not None and e.key == "z"
    with pytest.raises(jetbridge.InvalidArgumentError):
        await kv.watch("a..b").start()


async def test_watch_ends_when_stopped_from_another_task(kv: jetbridge.KeyValue) -> None:
    w = await kv.watch()
    got: List[Optional[jetbridge.KvEntry]] = []

    async def consume() -> None:
        async for e in w:
            got.append(e)

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.3)
    w.stop()
    await asyncio.wait_for(task, 5)
    assert got == [None]  # an empty bucket: the marker alone


async def test_cancelled_next_loses_nothing(kv: jetbridge.KeyValue) -> None:
    async with kv.watch(updates_only=True) as w:
        assert await w.next() is None
        waiting = asyncio.create_task(w.next())
        await asyncio.sleep(0.1)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await kv.put("k", b"v")
        e = await asyncio.wait_for(w.next(), 5)
        assert e is not None and e.value == b"v"


def test_blocking(url: str, name: Callable[[str], str]) -> None:
    bucket = name("sync")
    with jbs.connect(url) as client:
        kv = client.create_key_value(bucket=bucket)
        assert kv.bucket == bucket
        r = kv.put("k", b"v1")
        assert kv.update("k", b"v2", r) > r
        assert kv.get("k").value == b"v2"
        assert kv.entry("none") is None
        with pytest.raises(jetbridge.WrongLastSequenceError):
            kv.create("k", b"x")
        with kv.watch() as w:
            assert [e and e.value for e in w.next_batch(2, 5)] == [b"v2", None]
            threading.Timer(0.3, w.stop).start()
            assert list(w) == []  # ends once stopped from another thread
        client.delete_key_value(bucket)
        with pytest.raises(jetbridge.NotFoundError):
            client.key_value(bucket)
