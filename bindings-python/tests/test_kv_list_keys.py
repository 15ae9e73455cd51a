"""Streamed key listing: keys with a value in the server's order, one at a
time, a filter, a listing ended early, and the blocking iterator."""

from __future__ import annotations

from typing import AsyncIterator, Callable, List

import pytest

import jetbridge
import jetbridge.sync as jbs


@pytest.fixture
async def kv(client: jetbridge.Client, name: Callable[[str], str]) -> AsyncIterator[jetbridge.KeyValue]:
    bucket = name("listed")
    kv = await client.create_key_value(jetbridge.KvConfig(bucket=bucket))
    for key in ("k.1", "k.2", "k.3", "other.x"):
        await kv.put(key, b"v")
    await kv.put("k.1", b"again")
    await kv.delete("k.3")
    yield kv
    if not client.is_closed:
        await client.delete_key_value(bucket)


async def test_keys_streamed_in_order(kv: jetbridge.KeyValue) -> None:
    assert [k async for k in kv.list_keys()] == ["k.2", "other.x", "k.1"]
    assert [k async for k in kv.list_keys("k.*")] == ["k.2", "k.1"]
    assert [k async for k in kv.list_keys("none.>")] == []


async def test_ended_early(kv: jetbridge.KeyValue) -> None:
    got: List[str] = []
    async with kv.list_keys() as keys:
        async for key in keys:
            got.append(key)
            break
    assert got == ["k.2"]
    assert [k async for k in keys] == []  # stopped: nothing more
    listing = kv.list_keys()
    assert await listing.__anext__() == "k.2"
    listing.stop()
    with pytest.raises(StopAsyncIteration):
        await listing.__anext__()


async def test_errors(kv: jetbridge.KeyValue, client: jetbridge.Client) -> None:
    with pytest.raises(jetbridge.InvalidArgumentError):
        await kv.list_keys("k..x")
    bucket = kv.bucket
    await client.delete_key_value(bucket)
    await client.close()
    with pytest.raises(jetbridge.ClosedError):
        [k async for k in kv.list_keys()]


def test_blocking(url: str, name: Callable[[str], str]) -> None:
    bucket = name("sync_keys")
    with jbs.connect(url) as client:
        kv = client.create_key_value(bucket=bucket)
        for key in ("a", "b", "c"):
            kv.put(key, b"v")
        assert list(kv.list_keys()) == ["a", "b", "c"]
        with kv.list_keys() as keys:
            assert next(keys) == "a"
        assert list(keys) == []
        client.delete_key_value(bucket)
