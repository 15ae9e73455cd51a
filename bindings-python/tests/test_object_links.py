"""Object-store links and meta: a link reads its target (also across
stores), a link to a whole store is the typed error, update_meta renames
and sets description and metadata, put keeps metadata."""

from __future__ import annotations

from typing import AsyncIterator, Callable, Tuple

import pytest

import jetbridge
import jetbridge.sync as jbs


@pytest.fixture
async def stores(
    client: jetbridge.Client, name: Callable[[str], str]
) -> AsyncIterator[Tuple[jetbridge.ObjectStore, jetbridge.ObjectStore]]:
    docs, other = name("docs"), name("other")
    a = await client.create_object_store(jetbridge.ObjectStoreConfig(bucket=docs))
    b = await client.create_object_store(jetbridge.ObjectStoreConfig(bucket=other))
    yield a, b
    if not client.is_closed:
        await client.delete_object_store(docs)
        await client.delete_object_store(other)


async def test_a_link_reads_its_target(stores: Tuple[jetbridge.ObjectStore, jetbridge.ObjectStore]) -> None:
    docs, other = stores
    target = await other.put("report", b"content")
    link = await docs.add_link("latest", target)
    assert link.link == jetbridge.ObjectLink(bucket=other.bucket, name="report")
    assert (link.name, link.bucket, link.size) == ("latest", docs.bucket, 0)
    reader = await docs.get("latest")
    assert (reader.info.name, reader.info.bucket) == ("report", other.bucket)
    assert await reader.read() == b"content"
    assert await docs.get_bytes("latest") == b"content"
    assert [i.name for i in await docs.list()] == ["latest"]
    await docs.delete("latest")
    assert await other.get_bytes("report") == b"content"  # the target stays


async def test_link_errors(stores: Tuple[jetbridge.ObjectStore, jetbridge.ObjectStore]) -> None:
    docs, other = stores
    await docs.add_bucket_link("all", other.bucket)
    info = await docs.info("all")
    assert info.link == jetbridge.ObjectLink(bucket=other.bucket, name=None)
    with pytest.raises(jetbridge.InvalidArgumentError):
        await docs.get("all")  # a store has no content of its own
    with pytest.raises(jetbridge.InvalidArgumentError):
        await docs.add_link("x", info)  # a link to a link
    plain = await docs.put("plain", b"p")
    with pytest.raises(jetbridge.AlreadyExistsError):
        await docs.add_link("plain", plain)


async def test_update_meta_and_metadata(stores: Tuple[jetbridge.ObjectStore, jetbridge.ObjectStore]) -> None:
    docs, _ = stores
    put = await docs.put("tagged", b"t", description="first", metadata={"k": "v"})
    assert (put.description, put.metadata) == ("first", {"k": "v"})
    assert (await docs.info("tagged")).metadata == {"k": "v"}
    meta = jetbridge.ObjectMeta(name="renamed", description="d", metadata={"owner": "ops"})
    info = await docs.update_meta("tagged", meta)
    assert (info.name, info.description, info.metadata, info.size) == ("renamed", "d", {"owner": "ops"}, 1)
    with pytest.raises(jetbridge.NotFoundError):
        await docs.info("tagged")
    assert await docs.get_bytes("renamed") == b"t"
    await docs.put("other", b"o")
    with pytest.raises(jetbridge.AlreadyExistsError):
        await docs.update_meta("renamed", jetbridge.ObjectMeta(name="other"))
    with pytest.raises(jetbridge.NotFoundError):
        await docs.update_meta("missing", jetbridge.ObjectMeta(name="m"))
    with pytest.raises(TypeError):
        await docs.put("bad", b"x", metadata={"k": 1})  # type: ignore[dict-item]


def test_blocking(url: str, name: Callable[[str], str]) -> None:
    bucket = name("sync_links")
    with jbs.connect(url) as client:
        store = client.create_object_store(bucket=bucket)
        target = store.put("a", b"data", metadata={"m": "1"})
        assert store.add_link("b", target).link == jetbridge.ObjectLink(bucket=bucket, name="a")
        assert store.get("b").read() == b"data"
        assert store.add_bucket_link("c", bucket).link == jetbridge.ObjectLink(bucket=bucket, name=None)
        assert store.update_meta("a", jetbridge.ObjectMeta(name="z")).name == "z"
        client.delete_object_store(bucket)
