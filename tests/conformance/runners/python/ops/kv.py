"""Key-value buckets and watches (SPEC.md §4.11): ``kv_*``."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Optional

import jetbridge

import printing
import record
from args import Args
from state import State


def entry(e: jetbridge.KvEntry) -> Dict[str, Any]:
    """ENTRY."""
    return {
        "bucket": e.bucket,
        "key": e.key,
        "value": e.value.decode("utf-8", errors="replace"),
        "revision": e.revision,
        "operation": e.operation,
        "has_created": e.created != record.EPOCH,
    }


def _event(e: Optional[jetbridge.KvEntry]) -> Dict[str, Any]:
    """WATCH_EVENT: ``None`` is the caught-up marker."""
    if e is None:
        return {"kind": "caught_up", "entry": None}
    return {"kind": "entry", "entry": entry(e)}


def _value(a: Args) -> str:
    return a.required_string("value")


def _config(a: Args) -> jetbridge.KvConfig:
    c = a.object("config")
    return jetbridge.KvConfig(**({} if c is None else record.read(jetbridge.KvConfig, c)))


async def kv_create(st: State, a: Args) -> Dict[str, Any]:
    kv = await st.get_client().create_key_value(_config(a))
    st.buckets[a.string("as") or kv.bucket] = kv
    return {"bucket": kv.bucket}


async def kv_create_or_update(st: State, a: Args) -> Dict[str, Any]:
    kv = await st.get_client().create_or_update_key_value(_config(a))
    st.buckets[a.string("as") or kv.bucket] = kv
    return {"bucket": kv.bucket}


async def kv_status(st: State, a: Args) -> Dict[str, Any]:
    """KV_STATUS: the declared ``KvStatus`` as the generic record printer prints it."""
    return printing.record(await st.get_client().key_value_status(a.required_string("bucket")))


async def kv_names(st: State, a: Args) -> Dict[str, Any]:
    return {"names": await st.get_client().key_value_names()}


async def kv_open(st: State, a: Args) -> Dict[str, Any]:
    bucket = a.required_string("bucket")
    kv = await st.get_client().key_value(bucket)
    st.buckets[a.string("as") or bucket] = kv
    return {"bucket": kv.bucket}


async def kv_delete_bucket(st: State, a: Args) -> Dict[str, Any]:
    await st.get_client().delete_key_value(a.required_string("bucket"))
    return {}


async def kv_put(st: State, a: Args) -> Dict[str, Any]:
    kv = st.bucket(a.required_string("from"))
    return {"revision": await kv.put(a.required_string("key"), _value(a))}


async def kv_create_key(st: State, a: Args) -> Dict[str, Any]:
    kv = st.bucket(a.required_string("from"))
    return {"revision": await kv.create(a.required_string("key"), _value(a), ttl=a.seconds("ttl_ms"))}


async def kv_update(st: State, a: Args) -> Dict[str, Any]:
    kv = st.bucket(a.required_string("from"))
    key, value, revision = a.required_string("key"), _value(a), a.required_u64("revision")
    return {"revision": await kv.update(key, value, revision)}


async def kv_delete(st: State, a: Args) -> Dict[str, Any]:
    kv = st.bucket(a.required_string("from"))
    return {"revision": await kv.delete(a.required_string("key"), a.u64("revision"))}


async def kv_purge(st: State, a: Args) -> Dict[str, Any]:
    kv = st.bucket(a.required_string("from"))
    return {"revision": await kv.purge(a.required_string("key"), a.u64("revision"))}


#: How often ``kv_get`` with ``wait_ms`` tries again while the key is ``NOT_FOUND``.
_RETRY_S = 0.05


async def kv_get(st: State, a: Args) -> Dict[str, Any]:
    """With ``wait_ms``: while the get is ``NOT_FOUND``, tries again every 50 ms for up to
    that long (a mirror or source copies in the background)."""
    kv = st.bucket(a.required_string("from"))
    key, revision, wait_ms = a.required_string("key"), a.u64("revision"), a.u64("wait_ms")
    deadline = time.monotonic() + (wait_ms or 0) / 1000
    for _ in range(int((wait_ms or 0) / 1000 / _RETRY_S) + 1):  # bounded; the deadline decides
        if time.monotonic() + _RETRY_S > deadline:
            break
        try:
            return entry(await kv.get(key, revision))
        except jetbridge.NotFoundError:
            await asyncio.sleep(_RETRY_S)
    return entry(await kv.get(key, revision))  # the last try: its error is the step's


async def kv_entry(st: State, a: Args) -> Dict[str, Any]:
    e = await st.bucket(a.required_string("from")).entry(a.required_string("key"))
    return {"entry": None if e is None else entry(e)}


async def kv_history(st: State, a: Args) -> Dict[str, Any]:
    entries = await st.bucket(a.required_string("from")).history(a.required_string("key"))
    return {"entries": [entry(e) for e in entries]}


async def kv_keys(st: State, a: Args) -> Dict[str, Any]:
    kv = st.bucket(a.required_string("from"))
    return {"keys": sorted(await kv.keys(a.string("filter")))}


async def kv_list_keys(st: State, a: Args) -> Dict[str, Any]:
    """Reads the streamed listing one key at a time; after ``max`` keys stops reading and
    ends the listing."""
    kv = st.bucket(a.required_string("from"))
    most = a.u64("max")
    keys: List[str] = []
    async with kv.list_keys(a.string("filter")) as listing:
        async for key in listing:
            keys.append(key)
            if most is not None and len(keys) >= most:
                break
    return {"keys": keys}


async def kv_watch(st: State, a: Args) -> Dict[str, Any]:
    """The fields of ``KvWatchOptions`` (``record.read``), ``filter`` and ``as``; the watch
    starts now, so that its errors belong to this step."""
    kv = st.bucket(a.required_string("from"))
    options = record.read(jetbridge.KvWatchOptions, a)
    watcher = kv.watch(a.string("filter"), **options)
    await watcher.start()
    st.watchers[a.required_string("as")] = watcher
    return {}


async def kv_watch_next(st: State, a: Args) -> Dict[str, Any]:
    """Up to ``max`` events (default 1) within ``wait_ms`` (default 2000) in total."""
    watcher = st.watcher(a.required_string("from"))
    most = a.u64("max")
    most = 1 if most is None else most
    wait_ms = a.u64("wait_ms")
    deadline = time.monotonic() + (2000 if wait_ms is None else wait_ms) / 1000
    events: List[Dict[str, Any]] = []
    while len(events) < most:
        left = max(0.0, deadline - time.monotonic())
        batch = await watcher.next_batch(most - len(events), left)
        if not batch:
            break
        events.extend(_event(e) for e in batch)
    return {"events": events}


async def kv_watch_stop(st: State, a: Args) -> Dict[str, Any]:
    st.watcher(a.required_string("from")).stop()
    return {}
