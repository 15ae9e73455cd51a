"""Object stores: objects bigger than a chunk streamed in (bytes, file
objects, async iterables) and out (chunks, ``read(n)``, the blocking file
object), and corrupted or missing objects giving typed errors."""

from __future__ import annotations

import asyncio
import hashlib
import io
import shutil
from pathlib import Path
from typing import AsyncIterator, Callable, Iterator

import pytest

import jetbridge
import jetbridge.sync as jbs

CHUNK = 128 * 1024
SIZE = 2 * CHUNK + 12345  # three chunks, the last one partial


def pattern(size: int) -> bytes:
    return bytes((i * 31) % 251 for i in range(size))


@pytest.fixture
async def store(client: jetbridge.Client, name: Callable[[str], str]) -> AsyncIterator[jetbridge.ObjectStore]:
    bucket = name("files")
    store = await client.create_object_store(jetbridge.ObjectStoreConfig(bucket=bucket))
    yield store
    if not client.is_closed:
        await client.delete_object_store(bucket)


async def test_streamed_in_and_out(store: jetbridge.ObjectStore, tmp_path: Path) -> None:
    data = pattern(SIZE)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    with open(path, "rb") as f:
        info = await store.put("big.bin", f, description="three chunks")
    assert (info.name, info.size, info.chunks, info.description, info.deleted) == (
        "big.bin", SIZE, 3, "three chunks", False)
    assert info.digest and info.digest.startswith("SHA-256=")

    reader = await store.get("big.bin")
    assert reader.info.size == SIZE
    chunks = [c async for c in reader]
    assert [len(c) for c in chunks] == [CHUNK, CHUNK, 12345]
    assert hashlib.sha256(b"".join(chunks)).digest() == hashlib.sha256(data).digest()

    reader = await store.get("big.bin")
    parts = []
    while True:
        part = await reader.read(50_000)
        if not part:
            break
        assert len(part) <= 50_000
        parts.append(part)
    assert b"".join(parts) == data
    assert await store.get_bytes("big.bin") == data


async def test_put_forms(store: jetbridge.ObjectStore) -> None:
    async def pieces() -> AsyncIterator[bytes]:
        for i in range(0, SIZE, 10_000):
            yield pattern(SIZE)[i : i + 10_000]

    assert (await store.put("async", pieces())).size == SIZE
    assert (await store.put("gen", (b"ab" for _ in range(3)))).size == 6
    assert (await store.put("text", "héllo")).size == len("héllo".encode())
    empty = await store.put("empty", b"")
    assert (empty.size, empty.chunks) == (0, 0)
    assert await (await store.get("empty")).read() == b""
    assert await store.get_bytes("async") == pattern(SIZE)
    assert sorted(i.name or "" for i in await store.list()) == ["async", "empty", "gen", "text"]
    with pytest.raises(TypeError):
        await store.put("bad", 42)  # type: ignore[arg-type]


async def test_failed_put_leaves_nothing(store: jetbridge.ObjectStore) -> None:
    await store.put("doc", b"v1")

    def broken() -> Iterator[bytes]:
        yield b"x" * CHUNK
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError):
        await store.put("doc", broken())
    assert await store.get_bytes("doc") == b"v1"  # the previous version stays


async def test_cancelled_put_leaves_nothing(store: jetbridge.ObjectStore, client: jetbridge.Client) -> None:
    sent = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield b"x" * (CHUNK + 1)  # one whole chunk is sent at once
        sent.set()
        await asyncio.sleep(3600)
        yield b"never"

    task = asyncio.create_task(store.put("slow", slow()))
    await asyncio.wait_for(sent.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(jetbridge.NotFoundError):
        await store.info("slow")
    for _ in range(50):  # the abort purges the sent chunk (it runs to its end)
        if (await client.stream_info(f"OBJ_{store.bucket}")).state.messages == 0:
            break
        await asyncio.sleep(0.1)
    assert (await client.stream_info(f"OBJ_{store.bucket}")).state.messages == 0


async def test_missing_and_deleted(store: jetbridge.ObjectStore, client: jetbridge.Client) -> None:
    with pytest.raises(jetbridge.NotFoundError):
        await store.get("nope")
    with pytest.raises(jetbridge.NotFoundError):
        await store.info("nope")
    await store.put("gone", b"data")
    await store.delete("gone")
    with pytest.raises(jetbridge.NotFoundError):
        await store.get("gone")
    assert await store.list() == []
    with pytest.raises(jetbridge.NotFoundError):
        await client.object_store(store.bucket + "_missing")


async def test_corrupted_object_is_an_error_never_data(store: jetbridge.ObjectStore, client: jetbridge.Client) -> None:
    await store.put("big", pattern(SIZE))  # chunks at sequences 1-3, the info at 4
    await client.delete_message(f"OBJ_{store.bucket}", 2)
    reader = await store.get("big")
    with pytest.raises(jetbridge.ServerError, match="corrupted or incomplete"):
        while await reader.read(CHUNK):
            pass
    with pytest.raises(jetbridge.ServerError):  # and it stays an error, never an end
        await reader.read(1)
    with pytest.raises(jetbridge.ServerError):
        await store.get_bytes("big")


def test_blocking_file_object(url: str, name: Callable[[str], str], tmp_path: Path) -> None:
    bucket = name("sfiles")
    data = pattern(SIZE)
    with jbs.connect(url) as client:
        store = client.create_object_store(bucket=bucket)
        assert store.put("big", io.BytesIO(data)).chunks == 3
        reader = store.get("big")
        assert reader.info.size == SIZE and reader.readable()
        out = tmp_path / "copy.bin"
        with open(out, "wb") as f:
            shutil.copyfileobj(reader, f)
        assert out.read_bytes() == data
        reader = store.get("big")
        buf = bytearray(1000)
        assert reader.readinto(buf) == 1000 and bytes(buf) == data[:1000]
        assert reader.read(10) == data[1000:1010]
        assert reader.read() == data[1010:]
        assert [len(c) for c in store.get("big").chunks()] == [CHUNK, CHUNK, 12345]
        assert store.get_bytes("big") == data
        client.delete_object_store(bucket)
