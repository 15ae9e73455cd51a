"""Bucket and store administration: status with the configuration read back,
create-or-update, the account's names, keys matching a filter, sealing an
object store, a key's own TTL (asyncio and blocking)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Callable

import pytest

import jetbridge
import jetbridge.sync as jbs


async def test_kv_status_and_create_or_update(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    bucket = name("adm")
    config = jetbridge.KvConfig(
        bucket=bucket, history=3, description="app settings", compression=True, metadata={"team": "core"}
    )
    kv = await client.create_key_value(config)
    try:
        await kv.put("a.x", b"1")
        await kv.put("a.y", b"2")
        await kv.put("b.z", b"3")
        await kv.delete("a.y")

        status = await kv.status()
        assert isinstance(status, jetbridge.KvStatus)
        assert (status.bucket, status.values) == (bucket, 4)
        assert status.bytes is not None and status.bytes > 0
        c = status.config
        assert c is not None
        assert (c.bucket, c.history, c.description, c.compression) == (bucket, 3, "app settings", True)
        assert c.metadata == {"team": "core"}  # the server's _nats.* keys left out
        assert (c.ttl, c.storage, c.replicas, c.limit_marker_ttl) == (None, "file", 1, None)
        assert await client.key_value_status(bucket) == status

        # The status's configuration goes back unchanged; a changed one updates.
        await client.create_or_update_key_value(c)
        c.history, c.ttl = 10, timedelta(hours=1)
        again = await client.create_or_update_key_value(c)
        assert again.bucket == bucket
        updated = await client.key_value_status(bucket)
        assert updated.values == 4
        assert updated.config is not None
        assert (updated.config.history, updated.config.ttl) == (10, 3600.0)
        with pytest.raises(jetbridge.AlreadyExistsError):
            await client.create_key_value(bucket=bucket)

        assert sorted(await kv.keys()) == ["a.x", "b.z"]
        assert await kv.keys("a.*") == ["a.x"]
        assert await kv.keys(filter="b.>") == ["b.z"]
        with pytest.raises(jetbridge.InvalidArgumentError):
            await kv.keys("a..b")
    finally:
        await client.delete_key_value(bucket)

    with pytest.raises(jetbridge.NotFoundError):
        await client.key_value_status(bucket)
    with pytest.raises(jetbridge.InvalidArgumentError, match="limit_marker_ttl"):
        await client.create_key_value(bucket=name("x"), limit_marker_ttl=0.01)


async def test_names_and_create_or_update_creates(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    fresh, files = name("fresh"), name("files")
    kv = await client.create_or_update_key_value(bucket=fresh)
    store = await client.create_object_store(bucket=files)
    try:
        assert await kv.put("k", "v") == 1
        kv_names = await client.key_value_names()
        assert fresh in kv_names and kv_names == sorted(kv_names)
        assert files not in kv_names
        obj_names = await client.object_store_names()
        assert files in obj_names and obj_names == sorted(obj_names)
        assert fresh not in obj_names
    finally:
        await client.delete_key_value(fresh)
        await store.status()
        await client.delete_object_store(files)
    assert fresh not in await client.key_value_names()


async def test_object_store_status_and_seal(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    bucket = name("files")
    store = await client.create_object_store(
        jetbridge.ObjectStoreConfig(bucket=bucket, description="docs", metadata={"k": "v"})
    )
    try:
        await store.put("a", b"kept")
        status = await client.object_store_status(bucket)
        assert isinstance(status, jetbridge.ObjectStoreStatus)
        assert (status.bucket, status.sealed) == (bucket, False)
        assert status.bytes is not None and status.bytes > 4
        assert status.config is not None
        assert (status.config.description, status.config.metadata, status.config.compression) == (
            "docs",
            {"k": "v"},
            False,
        )

        sealed = await store.seal()
        assert sealed.sealed is True
        assert (await store.status()).sealed is True
        with pytest.raises(jetbridge.InvalidArgumentError) as e:
            await store.put("b", b"new")
        assert e.value.api_code == 10109
        with pytest.raises(jetbridge.InvalidArgumentError):
            await store.delete("a")
        assert await store.get_bytes("a") == b"kept"
        assert [i.name for i in await store.list()] == ["a"]
    finally:
        await client.delete_object_store(bucket)
    with pytest.raises(jetbridge.NotFoundError):
        await client.object_store_status(bucket)


async def test_key_ttl(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    bucket, plain = name("leases"), name("plain")
    kv = await client.create_key_value(bucket=bucket, limit_marker_ttl=1)
    try:
        status = await kv.status()
        assert status.config is not None and status.config.limit_marker_ttl == 1.0
        assert await kv.create("leader", b"node-1", ttl=timedelta(seconds=1)) == 1
        with pytest.raises(jetbridge.WrongLastSequenceError):
            await kv.create("leader", b"node-2")
        assert (await kv.get("leader")).value == b"node-1"
        await asyncio.sleep(2.5)
        with pytest.raises(jetbridge.NotFoundError):
            await kv.get("leader")
        await kv.create("leader", b"node-2", ttl=1)
        assert (await kv.get("leader")).value == b"node-2"
        with pytest.raises(jetbridge.InvalidArgumentError):
            await kv.create("bad", b"v", ttl=-1)

        other = await client.create_key_value(bucket=plain)
        with pytest.raises(jetbridge.InvalidArgumentError):
            await other.create("k", b"v", ttl=1)
    finally:
        await client.delete_key_value(bucket)
        await client.delete_key_value(plain)


async def test_config_round_trips(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    bucket = name("rt")
    republish = jetbridge.Republish(src=f"$KV.{bucket}.>", dest="rp.>", headers_only=True)
    kv = await client.create_key_value(bucket=bucket, republish=republish, metadata={"a": "b"})
    try:
        status = await kv.status()
        assert status.config is not None
        assert (status.config.republish, status.config.placement) == (republish, None)
        assert status.config.metadata == {"a": "b"}
        await client.create_or_update_key_value(status.config)  # given back unchanged
        assert await client.key_value_status(bucket) == status
    finally:
        await client.delete_key_value(bucket)


def test_watch_default_filter_is_the_cores() -> None:
    assert jetbridge.WATCH_ALL == jetbridge._native.WATCH_ALL


def test_blocking(url: str, name: Callable[[str], str]) -> None:
    bucket, files = name("sync"), name("syncfiles")
    with jbs.connect(url) as client:
        kv = client.create_or_update_key_value(bucket=bucket, history=2)
        try:
            kv.create("a.b", b"1", ttl=None)
            kv.put("c", b"2")
            assert kv.keys("a.>") == ["a.b"]
            assert kv.status().values == 2
            assert client.key_value_status(bucket).config.history == 2  # type: ignore[union-attr]
            assert bucket in client.key_value_names()
            store = client.create_object_store(bucket=files)
            assert files in client.object_store_names()
            assert client.object_store_status(files).sealed is False
            assert store.seal().sealed is True
            assert store.status().sealed is True
        finally:
            client.delete_key_value(bucket)
            client.delete_object_store(files)
