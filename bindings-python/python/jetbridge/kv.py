"""Key-value buckets (asyncio): ``await client.create_key_value(KvConfig(...))``.

A bucket keeps a value per key with its revisions (``history``), and
compare-and-set writes (``create``, ``update``). ``watch`` follows changes:
it yields each matching entry, and ``None`` exactly once, when every value
that existed at the start was delivered (the "caught up" marker).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Union

from . import _native
from ._types import KvConfig, KvStatus, KvWatchOptions
from ._watch import Watch
from .kv_keys import KvKeys
from .options import Seconds

__all__ = ["KvConfig", "KvStatus", "KvWatchOptions", "KvEntry", "KeyValue", "KvWatcher", "KvKeys", "WATCH_ALL"]

#: The filter that matches every key: ``watch``'s default (the core's).
WATCH_ALL: str = _native.WATCH_ALL

#: A value: ``bytes`` (or ``bytearray``, ``memoryview``) or ``str`` (UTF-8).
Value = Union[bytes, bytearray, memoryview, str]


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

    def list_keys(self, filter: Optional[str] = None) -> KvKeys:
        """Streams the keys that hold a value, matching ``filter`` (default
        ``WATCH_ALL``: every key; ``*`` one token, a final ``>`` the rest),
        each once: ``async for key in kv.list_keys()``. Unlike ``keys()`` it
        never holds them all; ``stop()`` (or leaving ``async with``) ends it
        early."""
        return KvKeys(lambda: self._n.list_keys(filter))

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


class KvWatcher(Watch[KvEntry]):
    """A running watch (asyncio): an async iterator of ``KvEntry`` and, once,
    ``None`` (caught up). Ends when stopped; errors that end it (the bucket
    deleted, the client closed) are raised once. ``next()``,
    ``next_batch(max_events, max_wait)``, ``stop()``; ``async with`` stops
    it on exit; ``await`` starts it now."""

    _WHAT = "kv watcher"

    def _item(self, d: Dict[str, Any]) -> KvEntry:
        return KvEntry(**d)
