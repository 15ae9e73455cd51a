"""Stream administration: create, update, info, delete, purge, get message."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

import jetbridge

import printing
from args import Args
from outcome import Unsupported
from state import State


def _choice(a: Args, key: str, allowed: Tuple[str, ...]) -> Optional[str]:
    value = a.string(key)
    if value is not None and value not in allowed:
        raise Unsupported(f"{key} {value!r}")
    return value


def _config(a: Args) -> jetbridge.StreamConfig:
    c = jetbridge.StreamConfig(name=a.required_string("name"), subjects=a.strings("subjects") or [])
    c.storage = _choice(a, "storage", ("file", "memory"))
    c.retention = _choice(a, "retention", ("limits", "interest", "workqueue"))
    c.discard = _choice(a, "discard", ("old", "new"))
    c.replicas = a.u64("replicas")
    c.max_msgs = a.i64("max_msgs")
    c.max_bytes = a.i64("max_bytes")
    c.max_msgs_per_subject = a.i64("max_msgs_per_subject")
    c.max_msg_size = a.i64("max_msg_size")
    c.max_age = a.seconds("max_age_ms")
    c.duplicate_window = a.seconds("duplicate_window_ms")
    c.description = a.string("description")
    return c


async def create_stream(st: State, a: Args) -> Dict[str, Any]:
    c = _config(a)
    return printing.stream_info(await st.get_client().create_stream(c))


async def update_stream(st: State, a: Args) -> Dict[str, Any]:
    c = _config(a)
    return printing.stream_info(await st.get_client().update_stream(c))


async def stream_info(st: State, a: Args) -> Dict[str, Any]:
    name = a.required_string("name")
    return printing.stream_info(await st.get_client().stream_info(name))


async def delete_stream(st: State, a: Args) -> Dict[str, Any]:
    name = a.required_string("name")
    await st.get_client().delete_stream(name)
    return {}


async def purge_stream(st: State, a: Args) -> Dict[str, Any]:
    name = a.required_string("name")
    subject, up_to, keep = a.string("subject"), a.u64("up_to_sequence"), a.u64("keep")
    purged = await st.get_client().purge_stream(name, subject=subject, up_to_sequence=up_to, keep=keep)
    return {"purged": purged}


async def get_message(st: State, a: Args) -> Dict[str, Any]:
    stream, seq = a.required_string("stream"), a.required_u64("seq")
    return printing.stored(await st.get_client().get_message(stream, seq))


async def get_last_message(st: State, a: Args) -> Dict[str, Any]:
    stream, subject = a.required_string("stream"), a.required_string("subject")
    return printing.stored(await st.get_client().get_last_message(stream, subject))


async def stream_by_subject(st: State, a: Args) -> Dict[str, Any]:
    subject = a.required_string("subject")
    return {"stream": await st.get_client().stream_by_subject(subject)}
