"""A bucket that mirrors another reads its origin's keys (KvConfig.mirror);
the copy is made in the background, so reads are retried, bounded."""

from __future__ import annotations

import asyncio
from typing import Callable

import jetbridge

#: Most tries (0.1 s apart) for the mirror to copy a key.
TRIES = 100


async def get_eventually(kv: jetbridge.KeyValue, key: str) -> jetbridge.KvEntry:
    for _ in range(TRIES - 1):
        try:
            return await kv.get(key)
        except jetbridge.NotFoundError:
            await asyncio.sleep(0.1)
    return await kv.get(key)


async def test_a_mirror_reads_its_origin(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    origin_name, copy_name = name("origin"), name("copy")
    origin = await client.create_key_value(jetbridge.KvConfig(bucket=origin_name))
    try:
        await origin.put("a", b"1")
        source = jetbridge.StreamSource(name=origin_name)
        copy = await client.create_key_value(jetbridge.KvConfig(bucket=copy_name, mirror=source))
        try:
            e = await get_eventually(copy, "a")
            assert (e.bucket, e.key, e.value) == (copy_name, "a", b"1")
            status = await client.key_value_status(copy_name)
            assert status.config is not None and status.config.mirror is not None
            assert status.config.mirror.name == origin_name
        finally:
            await client.delete_key_value(copy_name)
    finally:
        await client.delete_key_value(origin_name)
