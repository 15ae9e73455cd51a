"""Object-store watch: current infos, the caught-up marker (``None``) once,
then changes; options; stop; the blocking iterator."""

from __future__ import annotations

import asyncio
import threading
from typing import AsyncIterator, Callable, List, Optional

import pytest

import jetbridge
import jetbridge.sync as jbs


@pytest.fixture
async def store(client: jetbridge.Client, name: Callable[[str], str]) -> AsyncIterator[jetbridge.ObjectStore]:
    bucket = name("watched")
    store = await client.create_object_store(jetbridge.ObjectStoreConfig(bucket=bucket))
    await store.put("one", b"1")
    await store.put("two", b"22")
    await store.delete("two")
    yield store
    if not client.is_closed:
        await client.delete_object_store(bucket)


def names(events: List[Optional[jetbridge.ObjectInfo]]) -> List[Optional[str]]:
    return [None if i is None else i.name for i in events]


async def test_marker_then_changes(store: jetbridge.ObjectStore) -> None:
    async with store.watch() as w:
        first = await w.next_batch(3, 5)
        assert names(first) == ["one", "two", None]
        assert first[1] is not None and first[1].deleted
        await store.put("three", b"333", metadata={"k": "v"})
        info = await asyncio.wait_for(w.next(), 5)
        assert info is not None and (info.name, info.size, info.metadata) == ("three", 3, {"k": "v"})
    with pytest.raises(jetbridge.ClosedError):
        await w.next()


async def test_options(store: jetbridge.ObjectStore) -> None:
    async with store.watch(ignore_deletes=True) as w:
        assert names(await w.next_batch(2, 5)) == ["one", None]
    async with store.watch(updates_only=True) as w:
        assert await w.next() is None
        await store.delete("one")
        info = await asyncio.wait_for(w.next(), 5)
        assert info is not None and (info.name, info.deleted) == ("one", True)


async def test_async_for_ends_when_stopped(store: jetbridge.ObjectStore) -> None:
    w = store.watch()
    seen: List[Optional[str]] = []

    async def consume() -> None:
        async for i in w:
            seen.append(None if i is None else i.name)
            if i is None:
                w.stop()

    await asyncio.wait_for(consume(), 5)
    assert seen == ["one", "two", None]


def test_blocking(url: str, name: Callable[[str], str]) -> None:
    bucket = name("sync_watch")
    with jbs.connect(url) as client:
        store = client.create_object_store(bucket=bucket)
        store.put("a", b"1")
        with store.watch() as w:
            assert names(w.next_batch(2, 5)) == ["a", None]
            threading.Timer(0.3, w.stop).start()
            assert list(w) == []  # ends once stopped from another thread
        client.delete_object_store(bucket)


async def test_cancelled_next_loses_nothing(store: jetbridge.ObjectStore) -> None:
    w = await store.watch(updates_only=True)  # started by await
    try:
        assert await w.next() is None
        waiting = asyncio.create_task(w.next())
        await asyncio.sleep(0.1)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await store.put("after", b"x")
        info = await asyncio.wait_for(w.next(), 5)
        assert info is not None and info.name == "after"
    finally:
        w.stop()
