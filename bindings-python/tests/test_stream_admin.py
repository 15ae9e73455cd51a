"""Stream administration: create, update, info, delete, purge, get message."""

from __future__ import annotations

from typing import Callable

import pytest

import jetbridge


async def test_create_info_update_delete(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    s = name("ADMIN")
    cfg = jetbridge.StreamConfig(
        name=s,
        subjects=[f"{s}.*"],
        storage="memory",
        retention="limits",
        max_msgs=100,
        max_bytes=1 << 20,
        max_age=3600,
        max_msg_size=1024,
        max_msgs_per_subject=10,
        discard="old",
        duplicate_window=30,
        description="test stream",
    )
    info = await client.create_stream(cfg)
    c = info.config
    assert (c.name, c.subjects, c.storage, c.max_msgs, c.max_age) == (s, [f"{s}.*"], "memory", 100, 3600.0)
    assert (c.max_msgs_per_subject, c.duplicate_window, c.description) == (10, 30.0, "test stream")
    assert info.created > 0 and info.state.messages == 0
    assert (await client.create_stream(cfg)).config == c  # idempotent
    updated = await client.update_stream(cfg, max_msgs=200)
    assert updated.config.max_msgs == 200
    assert (await client.stream_info(s)).config.max_msgs == 200
    assert await client.stream_by_subject(f"{s}.x") == s
    await client.delete_stream(s)
    with pytest.raises(jetbridge.NotFoundError):
        await client.stream_info(s)
    with pytest.raises(jetbridge.NotFoundError):
        await client.update_stream(cfg)
    with pytest.raises(jetbridge.NotFoundError):
        await client.stream_by_subject(f"{s}.x")


async def test_fields_left_out_take_the_core_defaults(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    s = name("DEFAULTS")
    c = (await client.create_stream(name=s, subjects=[f"{s}.*"])).config
    assert (c.retention, c.storage, c.replicas, c.discard) == ("limits", "file", 1, "old")
    assert (c.max_msgs, c.max_bytes, c.max_msg_size, c.max_msgs_per_subject) == (-1, -1, -1, -1)
    assert c.max_age == 0.0 and c.description is None
    await client.delete_stream(s)


async def test_invalid_configs(client: jetbridge.Client) -> None:
    with pytest.raises(jetbridge.InvalidArgumentError, match="stream name"):
        await client.create_stream(name="a.b", subjects=["x"])
    with pytest.raises(jetbridge.InvalidArgumentError, match="storage"):
        await client.create_stream(name="OK", subjects=["x"], storage="disk")
    with pytest.raises(jetbridge.InvalidArgumentError, match="replicas"):
        await client.create_stream(name="OK", subjects=["x"], replicas=7)


async def test_purge_and_get(client: jetbridge.Client, stream: str) -> None:
    for i in range(10):
        await client.publish(f"{stream}.{'a' if i % 2 else 'b'}", str(i))
    last_a = await client.get_last_message(stream, f"{stream}.a")
    assert (last_a.sequence, last_a.payload, last_a.subject) == (10, b"9", f"{stream}.a")
    one = await client.get_message(stream, 3)
    assert one.payload == b"2" and one.timestamp > 0
    with pytest.raises(jetbridge.NotFoundError):
        await client.get_message(stream, 99)
    assert await client.purge_stream(stream, subject=f"{stream}.a") == 5
    assert await client.purge_stream(stream, up_to_sequence=5) == 2
    assert await client.purge_stream(stream, keep=1) == 2
    info = await client.stream_info(stream)
    assert (info.state.messages, info.state.last_sequence) == (1, 10)
    assert await client.purge_stream(stream) == 1
    with pytest.raises(jetbridge.InvalidArgumentError):
        await client.purge_stream(stream, keep=1, up_to_sequence=2)
