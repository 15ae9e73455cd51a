"""Key-value buckets (asyncio): ``await client.create_key_value(KvConfig(...))``.

A bucket keeps a value per key with its revisions (``history``), and
compare-and-set writes (``create``, ``update``). ``watch`` follows changes:
it yields each matching entry, and ``None`` exactly once, when every value
that existed at the start was delivered (the "caught up" marker).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Callable, Dict, Generator, List, Optional, Union

from . import _native
from ._types import KvConfig, KvStatus, KvWatchOptions
from .errors import ClosedError
from .message_stream import _abort_on_cancel
from .options import Seconds

__all__ = ["KvConfig", "KvStatus", "KvWatchOptions", "KvEntry", "KeyValue", "KvWatcher", "WATCH_ALL"]

#: The filter that matches every key: ``watch``'s default (the core's).
WATCH_ALL: str = _native.WATCH_ALL

#: A value: ``bytes`` (or ``bytearray``, ``memoryview``) or ``str`` (UTF-8).
Value = Union[bytes, bytearray, memoryview, str]

#: Longest single native wait of ``async for`` (``stop()`` wakes it at once).
_WAIT_SLICE = 60.0
#: Most events taken from the native buffer per crossing.
_TAKE = 256


@dataclass(frozen=True)
class KvEntry:
    """One revision of a key."""

    bucket: str
    key: str
    value: bytes
    """The value (empty for a delete or purge)."""
    revision: int
    """The bucket-wide revision of this entry."""
    created: datetime
    """When it was written (aware, UTC)."""
    operation: str
    """``"put"``, ``"delete"`` or ``"purge"``."""

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "KvEntry":
        return cls(**d)


def _entry(d: Optional[Dict[str, Any]]) -> Optional[KvEntry]:
    return None if d is None else KvEntry(**d)


class KeyValue:
    """A bucket (asyncio). Cheap to share between tasks."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.KeyValue) -> None:
        self._n = native

    def __repr__(self) -> str:
        return repr(self._n)

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self._n.bucket

    async def status(self) -> KvStatus:
        """The bucket's configuration as the server holds it, and how many
        entries (every kept revision and marker) and bytes it stores."""
        return KvStatus._from_native(await self._n.status())

    async def get(self, key: str, revision: Optional[int] = None) -> KvEntry:
        """The key's current value, or its entry at ``revision``. Raises
        ``NotFoundError`` when the key was never written, is deleted or
        purged, or ``revision`` is not one of this key's."""
        return KvEntry(**await self._n.get(key, revision))

    async def entry(self, key: str) -> Optional[KvEntry]:
        """The key's latest entry, delete and purge markers included;
        ``None`` when it was never written."""
        return _entry(await self._n.entry(key))

    async def put(self, key: str, value: Value) -> int:
        """Writes a value; returns its revision."""
        return await self._n.put(key, value)

    async def create(self, key: str, value: Value, ttl: Optional[Seconds] = None) -> int:
        """Writes a value only if the key has none (never written, deleted or
        purged); ``WrongLastSequenceError`` otherwise. Returns its revision.
        With ``ttl`` (seconds or a ``timedelta``; whole seconds, at least 1)
        the server removes the key after that long; the bucket needs
        ``limit_marker_ttl`` (server 2.11+)."""
        return await self._n.create(key, value, ttl)

    async def update(self, key: str, value: Value, revision: int) -> int:
        """Writes a value only if ``revision`` is the key's latest
        (compare-and-set); ``WrongLastSequenceError`` otherwise."""
        return await self._n.update(key, value, revision)

    async def delete(self, key: str, revision: Optional[int] = None) -> int:
        """Deletes the key (its history is kept); with ``revision``, only if
        that is its latest. Returns the delete marker's revision."""
        return await self._n.delete(key, revision)

    async def purge(self, key: str, revision: Optional[int] = None) -> int:
        """Deletes the key with its history; with ``revision``, only if that
        is its latest. Returns the purge marker's revision."""
        return await self._n.purge(key, revision)

    async def history(self, key: str) -> List[KvEntry]:
        """Every kept revision of the key, oldest first (``NotFoundError``
        when there is none)."""
        return [KvEntry(**d) for d in await self._n.history(key)]

    async def keys(self, filter: Optional[str] = None) -> List[str]:
        """The keys that hold a value (in no particular order); with
        ``filter``, only those matching it (``*`` one token, a final ``>``
        the rest)."""
        return await self._n.keys(filter)

    def watch(
        self,
        filter: Optional[str] = None,
        *,
        include_history: bool = False,
        updates_only: bool = False,
        ignore_deletes: bool = False,
        meta_only: bool = False,
    ) -> "KvWatcher":
        """Watches the keys matching ``filter`` (default ``WATCH_ALL``: every
        key; ``*`` one token, a final ``>`` the rest):
        first the current entries (every kept revision with
        ``include_history``; none with ``updates_only``), then ``None`` once,
        then every change. ``ignore_deletes`` leaves deletes and purges out;
        ``meta_only`` leaves the values out (empty). Iterate with ``async for``; ``async with`` stops it on exit; or
        ``await`` it to start it now."""
        options = KvWatchOptions(
            include_history=include_history,
            updates_only=updates_only,
            ignore_deletes=ignore_deletes,
            meta_only=meta_only,
        )
        return KvWatcher(lambda: self._n.watch(filter, options))


class KvWatcher:
    """A running watch (asyncio): an async iterator of ``KvEntry`` and, once,
    ``None`` (caught up). Ends when stopped; errors that end it (the bucket
    deleted, the client closed) are raised once."""

    def __init__(self, start: Callable[[], Awaitable[_native.KvWatcher]]) -> None:
        self._stopped = False
        self._start: Optional[Callable[[], Awaitable[_native.KvWatcher]]] = start
        self._n: Optional[_native.KvWatcher] = None
        self._buf: List[Optional[Dict[str, Any]]] = []
        self._pos = 0

    async def _native(self) -> _native.KvWatcher:
        if self._n is None:
            if self._start is None:
                raise _native._closed_error("kv watcher")
            start, self._start = self._start, None
            self._n = await start()
        return self._n

    async def start(self) -> "KvWatcher":
        """Starts the watch; idempotent."""
        await self._native()
        return self

    def __await__(self) -> Generator[Any, None, "KvWatcher"]:
        return self.start().__await__()

    async def __aenter__(self) -> "KvWatcher":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        self.stop()

    def __aiter__(self) -> "KvWatcher":
        return self

    async def __anext__(self) -> Optional[KvEntry]:
        if self._pos < len(self._buf):
            d = self._buf[self._pos]
            self._pos += 1
            return _entry(d)
        n = self._n if self._n is not None else await self._native()
        while True:
            batch = n.take_ready(_TAKE)
            if batch:
                self._buf, self._pos = batch, 1
                return _entry(batch[0])
            try:
                await _abort_on_cancel(n.fill(_TAKE, _WAIT_SLICE))
            except ClosedError:
                if self._stopped:
                    raise StopAsyncIteration from None
                raise

    async def next(self) -> Optional[KvEntry]:
        """The next entry or the ``None`` marker, waiting as long as it
        takes. ``ClosedError`` once stopped."""
        try:
            return await self.__anext__()
        except StopAsyncIteration:
            raise _native._closed_error("kv watcher") from None

    async def next_batch(self, max_events: int, max_wait: Seconds) -> List[Optional[KvEntry]]:
        """Up to ``max_events`` (entries, and the ``None`` marker in its
        place): waits up to ``max_wait`` for the first, then takes what is
        already there. None in time is an empty list. ``ClosedError`` once
        stopped."""
        out = self._buf[self._pos : self._pos + max_events]
        self._pos += len(out)
        if not out:
            n = await self._native()
            out = n.take_ready(max_events)
            if not out:
                await _abort_on_cancel(n.fill(max_events, max_wait))
                out = n.take_ready(max_events)
        return [_entry(d) for d in out]

    def stop(self) -> None:
        """Ends the watch (a waiting ``async for`` ends)."""
        self._start = None
        self._stopped = True
        if self._n is not None:
            self._n.stop()

    async def close(self) -> None:
        """Same as ``stop``."""
        self.stop()
