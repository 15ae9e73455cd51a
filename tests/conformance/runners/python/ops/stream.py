"""Stream administration: create, update, info, delete, purge, get message (by sequence,
last or next on a subject, a batch); listing streams and consumers, deleting a message,
account info."""

from __future__ import annotations

from typing import Any, Dict

import jetbridge

import printing
import record
from args import Args
from state import State


def _config(a: Args) -> jetbridge.StreamConfig:
    """A stream configuration from a ``create_stream`` / ``update_stream`` step
    (``record.read``)."""
    return jetbridge.StreamConfig(**record.read(jetbridge.StreamConfig, a))


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
    purged = await st.get_client().purge_stream(name, **record.read(jetbridge.PurgeOptions, a))
    return {"purged": purged}


async def get_message(st: State, a: Args) -> Dict[str, Any]:
    stream, seq = a.required_string("stream"), a.required_u64("seq")
    return printing.stored(await st.get_client().get_message(stream, seq))


async def get_last_message(st: State, a: Args) -> Dict[str, Any]:
    stream, subject = a.required_string("stream"), a.required_string("subject")
    return printing.stored(await st.get_client().get_last_message(stream, subject))


async def get_next_message(st: State, a: Args) -> Dict[str, Any]:
    """The first message at or after ``seq`` on ``subject``."""
    stream, subject, seq = a.required_string("stream"), a.required_string("subject"), a.required_u64("seq")
    return printing.stored(await st.get_client().get_next_message(stream, subject, seq))


async def get_messages(st: State, a: Args) -> Dict[str, Any]:
    """A batch read, its options the fields of ``GetMessagesOptions`` (``record.read``)
    → STORED_LIST."""
    stream = a.required_string("stream")
    batch = await st.get_client().get_messages(stream, **record.read(jetbridge.GetMessagesOptions, a))
    return {"count": len(batch), "messages": [printing.stored(m) for m in batch]}


async def stream_by_subject(st: State, a: Args) -> Dict[str, Any]:
    subject = a.required_string("subject")
    return {"stream": await st.get_client().stream_by_subject(subject)}


async def list_streams(st: State, a: Args) -> Dict[str, Any]:
    """→ ``{"names": [...]}``, in the order listed."""
    subject = a.string("subject")
    return {"names": [i.config.name for i in await st.get_client().list_streams(subject)]}


async def list_consumers(st: State, a: Args) -> Dict[str, Any]:
    """→ ``{"names": [...]}``, in the order listed."""
    stream = a.required_string("stream")
    return {"names": [i.name for i in await st.get_client().list_consumers(stream)]}


async def delete_message(st: State, a: Args) -> Dict[str, Any]:
    stream, seq = a.required_string("stream"), a.required_u64("seq")
    erase = a.bool("erase") or False
    await st.get_client().delete_message(stream, seq, erase=erase)
    return {}


async def account_info(st: State, a: Args) -> Dict[str, Any]:
    """→ ACCOUNT_INFO."""
    return printing.account_info(await st.get_client().account_info())
