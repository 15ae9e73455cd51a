"""Object stores (SPEC.md §4.11): ``obj_*``. ``obj_put`` hands its content to the binding's
streaming write (an iterable of pieces), ``obj_get`` reads through ``ObjectReader.read``."""

from __future__ import annotations

import time
from typing import Any, Dict, Iterator, List, Optional

import jetbridge

import printing
import record
from args import Args
from outcome import RunnerError
from state import State

#: The largest content printed as text.
_MAX_DATA = 64


def info(i: jetbridge.ObjectInfo) -> Dict[str, Any]:
    """OBJECT_INFO."""
    return {
        "name": i.name,
        "bucket": i.bucket,
        "description": i.description,
        "size": i.size,
        "chunks": i.chunks,
        "digest": i.digest,
        "deleted": i.deleted,
        "metadata": dict(i.metadata or {}),
        "link": None if i.link is None else {"bucket": i.link.bucket, "name": i.link.name},
    }


def _event(i: Optional[jetbridge.ObjectInfo]) -> Dict[str, Any]:
    """OBJ_WATCH_EVENT: ``None`` is the caught-up marker."""
    if i is None:
        return {"kind": "caught_up", "info": None}
    return {"kind": "info", "info": info(i)}


def _pattern(start: int, length: int) -> bytes:
    """Bytes ``start`` to ``start + length`` of the ``data_size`` pattern: byte i is i*31 mod 251."""
    return bytes((i * 31) % 251 for i in range(start, start + length))


def _pieces(content: bytes, size: int, piece: int) -> Iterator[bytes]:
    """The content in pieces of ``piece`` bytes (the pattern made piece by piece)."""
    if size < 0:
        for i in range(0, len(content), piece):
            yield content[i : i + piece]
        return
    for i in range(0, size, piece):
        yield _pattern(i, min(piece, size - i))


def _piece(a: Args) -> int:
    piece = a.u64("piece")
    if piece == 0:
        raise RunnerError("piece must be at least 1")
    return 65536 if piece is None else piece


async def obj_create(st: State, a: Args) -> Dict[str, Any]:
    c = a.object("config")
    config = jetbridge.ObjectStoreConfig(**({} if c is None else record.read(jetbridge.ObjectStoreConfig, c)))
    store = await st.get_client().create_object_store(config)
    st.stores[a.string("as") or store.bucket] = store
    return {"bucket": store.bucket}


def _status(s: jetbridge.ObjectStoreStatus) -> Dict[str, Any]:
    """OBJ_STATUS: the declared ``ObjectStoreStatus`` as the generic record printer prints
    it, without ``bytes``."""
    out = printing.record(s)
    del out["bytes"]
    return out


async def obj_status(st: State, a: Args) -> Dict[str, Any]:
    return _status(await st.get_client().object_store_status(a.required_string("bucket")))


async def obj_names(st: State, a: Args) -> Dict[str, Any]:
    return {"names": await st.get_client().object_store_names()}


async def obj_seal(st: State, a: Args) -> Dict[str, Any]:
    return _status(await st.store(a.required_string("from")).seal())


async def obj_open(st: State, a: Args) -> Dict[str, Any]:
    bucket = a.required_string("bucket")
    store = await st.get_client().object_store(bucket)
    st.stores[a.string("as") or bucket] = store
    return {"bucket": store.bucket}


async def obj_delete_store(st: State, a: Args) -> Dict[str, Any]:
    await st.get_client().delete_object_store(a.required_string("bucket"))
    return {}


async def obj_put(st: State, a: Args) -> Dict[str, Any]:
    store = st.store(a.required_string("from"))
    name, description = a.required_string("name"), a.string("description")
    metadata = a.string_map("metadata")
    text, size = a.raw("data"), a.u64("data_size")
    if (text is None) == (size is None):
        raise RunnerError("obj_put needs data or data_size")
    if text is not None and not isinstance(text, str):
        raise RunnerError("data must be a string")
    content = b"" if text is None else text.encode()
    pieces = _pieces(content, -1 if size is None else size, _piece(a))
    return info(await store.put(name, pieces, description=description, metadata=metadata))


async def obj_get(st: State, a: Args) -> Dict[str, Any]:
    store = st.store(a.required_string("from"))
    name, piece = a.required_string("name"), _piece(a)
    reader = await store.get(name)
    total, head, pattern = 0, b"", True
    while True:
        data = await reader.read(piece)
        if not data:
            break
        if len(data) > piece:
            raise RunnerError(f"read({piece}) returned {len(data)} bytes")
        if pattern and data != _pattern(total, len(data)):
            pattern = False
        if total < _MAX_DATA + 1:
            head += data[: _MAX_DATA + 1 - total]
        total += len(data)
    return {
        "info": info(reader.info),
        "bytes": total,
        "data": head.decode("utf-8", errors="replace") if total <= _MAX_DATA else None,
        "pattern": pattern,
    }


async def obj_info(st: State, a: Args) -> Dict[str, Any]:
    return info(await st.store(a.required_string("from")).info(a.required_string("name")))


async def obj_delete(st: State, a: Args) -> Dict[str, Any]:
    await st.store(a.required_string("from")).delete(a.required_string("name"))
    return {}


async def obj_list(st: State, a: Args) -> Dict[str, Any]:
    objects = await st.store(a.required_string("from")).list()
    return {"objects": [info(i) for i in sorted(objects, key=lambda i: i.name or "")]}


async def obj_add_link(st: State, a: Args) -> Dict[str, Any]:
    """Reads ``to``'s info from the store ``to_from`` and links ``name`` to it."""
    store = st.store(a.required_string("from"))
    target = await st.store(a.required_string("to_from")).info(a.required_string("to"))
    return info(await store.add_link(a.required_string("name"), target))


async def obj_add_bucket_link(st: State, a: Args) -> Dict[str, Any]:
    store = st.store(a.required_string("from"))
    return info(await store.add_bucket_link(a.required_string("name"), a.required_string("bucket")))


async def obj_update_meta(st: State, a: Args) -> Dict[str, Any]:
    """``meta``: the fields of the declared ``ObjectMeta`` (``record.read``)."""
    store = st.store(a.required_string("from"))
    m = a.object("meta")
    if m is None:
        raise RunnerError("obj_update_meta needs meta")
    meta = jetbridge.ObjectMeta(**record.read(jetbridge.ObjectMeta, m))
    return info(await store.update_meta(a.required_string("name"), meta))


async def obj_watch(st: State, a: Args) -> Dict[str, Any]:
    """The fields of ``ObjectWatchOptions`` (``record.read``) and ``as``; the watch starts
    now, so that its errors belong to this step."""
    store = st.store(a.required_string("from"))
    watcher = store.watch(**record.read(jetbridge.ObjectWatchOptions, a))
    await watcher.start()
    st.obj_watchers[a.required_string("as")] = watcher
    return {}


async def obj_watch_next(st: State, a: Args) -> Dict[str, Any]:
    """Up to ``max`` events (default 1) within ``wait_ms`` (default 2000) in total."""
    watcher = st.obj_watcher(a.required_string("from"))
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
        events.extend(_event(i) for i in batch)
    return {"events": events}


async def obj_watch_stop(st: State, a: Args) -> Dict[str, Any]:
    st.obj_watcher(a.required_string("from")).stop()
    return {}
