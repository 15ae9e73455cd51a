"""Object stores (asyncio): ``await client.create_object_store(ObjectStoreConfig(...))``.

Objects of any size move in chunks: ``put`` streams its data through the
core's writer piece by piece (bytes, str, a binary file object, an iterable
or async iterable of bytes), and ``get`` returns an ``ObjectReader`` that
hands out one chunk at a time, checking size and SHA-256 digest at the end
(a mismatch is an error, never data). Neither holds the whole object in
memory; ``get_bytes`` does, as a convenience.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterable, AsyncIterator, Dict, Iterable, Iterator, List, Optional, Union

from . import _native
from ._types import ObjectInfo, ObjectLink, ObjectMeta, ObjectStoreConfig, ObjectStoreStatus, ObjectWatchOptions
from ._watch import Watch
from .errors import JetBridgeError
from .message_stream import _abort_on_cancel

__all__ = [
    "ObjectStoreConfig",
    "ObjectStoreStatus",
    "ObjectInfo",
    "ObjectLink",
    "ObjectMeta",
    "ObjectWatchOptions",
    "ObjectStore",
    "ObjectReader",
    "ObjectWatcher",
    "ObjectData",
]

#: How many bytes ``put`` reads from a file object (or slices from bytes) at
#: a time: the core's chunk size.
_PIECE = _native.OBJECT_CHUNK_SIZE

_Bytes = Union[bytes, bytearray, memoryview]

#: What ``ObjectStore.put`` stores: bytes-like, ``str`` (UTF-8), a binary
#: file object (anything with ``read(n)``), or an iterable or async iterable
#: of bytes-like pieces.
ObjectData = Union[_Bytes, str, Any, Iterable[_Bytes], AsyncIterable[_Bytes]]


def _info(d: Any) -> ObjectInfo:
    return ObjectInfo._from_native(d)


def _slices(data: _Bytes) -> Iterator[_Bytes]:
    view = memoryview(data).cast("B")
    for start in range(0, len(view), _PIECE):
        yield view[start : start + _PIECE]


def _file_pieces(f: Any) -> Iterator[_Bytes]:
    while True:
        piece = f.read(_PIECE)
        if not piece:
            return
        yield piece


def _pieces(data: ObjectData) -> Union[Iterator[Any], AsyncIterator[Any]]:
    if isinstance(data, str):
        return _slices(data.encode())
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _slices(data)
    if callable(getattr(data, "read", None)):
        return _file_pieces(data)
    if hasattr(data, "__aiter__"):
        return data.__aiter__()
    if hasattr(data, "__iter__"):
        return iter(data)
    raise TypeError(
        "data must be bytes, bytearray, memoryview, str, a binary file object "
        f"or an (async) iterable of bytes, not {type(data).__name__}"
    )


class ObjectReader:
    """An object being read (asyncio): ``async for chunk in reader`` or
    ``await reader.read(n)``. ``info`` is the object's info. After the last
    chunk the size and digest are checked; a mismatch raises (and keeps
    raising) instead of ending."""

    __slots__ = ("_n", "info", "_rest", "_off", "_done", "_error")

    def __init__(self, native: _native.ObjectReader) -> None:
        self._n = native
        self.info: ObjectInfo = _info(native.info())
        self._rest = b""  # the chunk being read by ``read(n)``, from ``_off``
        self._off = 0
        self._done = False
        self._error: Optional[JetBridgeError] = None

    def __repr__(self) -> str:
        return f"ObjectReader(name={self.info.name!r}, size={self.info.size})"

    async def _chunk(self) -> Optional[bytes]:
        """The next chunk, ``None`` at the (checked) end."""
        if self._error is not None:
            raise self._error
        if self._done:
            return None
        chunk = self._n.take_chunk()
        if chunk is None:
            try:
                more = await _abort_on_cancel(self._n.fill())
            except JetBridgeError as e:
                self._error = e
                raise
            if not more:
                self._done = True
                return None
            chunk = self._n.take_chunk()
        return chunk

    def __aiter__(self) -> "ObjectReader":
        return self

    async def __anext__(self) -> bytes:
        if self._off < len(self._rest):
            out, self._rest, self._off = self._rest[self._off :], b"", 0
            return out
        chunk = await self._chunk()
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    async def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (fewer at a chunk's end; ``b""`` at the end of
        the object). ``n`` < 0 reads everything left into memory."""
        if n is None or n < 0:
            return b"".join([piece async for piece in self])
        if n == 0:
            return b""
        if self._off >= len(self._rest):
            chunk = await self._chunk()
            if chunk is None:
                return b""
            self._rest, self._off = chunk, 0
        start, self._off = self._off, min(self._off + n, len(self._rest))
        if start == 0 and self._off == len(self._rest):
            return self._rest  # the whole chunk, not copied
        return self._rest[start : self._off]


class ObjectWatcher(Watch[ObjectInfo]):
    """A running object-store watch (asyncio): an async iterator of
    ``ObjectInfo`` (puts, meta updates, links, delete markers) and, once,
    ``None`` (caught up). Ends when stopped; errors that end it (the store
    deleted, the client closed) are raised once. ``next()``,
    ``next_batch(max_events, max_wait)``, ``stop()``; ``async with`` stops
    it on exit; ``await`` starts it now."""

    _WHAT = "object watcher"

    def _item(self, d: Dict[str, Any]) -> ObjectInfo:
        return _info(d)


class ObjectStore:
    """An object store (asyncio). Cheap to share between tasks."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.ObjectStore) -> None:
        self._n = native

    def __repr__(self) -> str:
        return repr(self._n)

    @property
    def bucket(self) -> str:
        """The store's name."""
        return self._n.bucket

    async def status(self) -> ObjectStoreStatus:
        """The store's configuration as the server holds it, whether it is
        sealed, and how many bytes it stores."""
        return ObjectStoreStatus._from_native(await self._n.status())

    async def seal(self) -> ObjectStoreStatus:
        """Seals the store, for good: from then on writes and deletes raise
        ``InvalidArgumentError`` (the server refuses); the objects stay
        readable. Returns the status afterwards."""
        return ObjectStoreStatus._from_native(await self._n.seal())

    async def info(self, name: str) -> ObjectInfo:
        """An object's info (``NotFoundError`` when missing or deleted)."""
        return _info(await self._n.info(name))

    async def delete(self, name: str) -> None:
        """Deletes an object."""
        await self._n.delete(name)

    async def list(self) -> List[ObjectInfo]:
        """The objects, deleted ones left out, links included."""
        return [_info(d) for d in await self._n.list()]

    async def put(
        self,
        name: str,
        data: ObjectData,
        *,
        description: Optional[str] = None,
        metadata: Optional[Dict[str, str]] = None,
    ) -> ObjectInfo:
        """Stores ``data`` as ``name`` (replacing an object of that name),
        with ``description`` and ``metadata`` (text keys and values), and
        returns its info. ``data`` is bytes-like or ``str``, a binary file
        object (read in pieces of 128 KiB; reads block the loop briefly, as
        local files do), or an iterable or async iterable of bytes-like
        pieces: it is streamed through, never held whole. Until it is all
        stored nothing is visible; if it fails or the task is cancelled,
        nothing becomes visible and what was sent is removed."""
        pieces = _pieces(data)
        writer = self._n.writer(ObjectMeta(name=name, description=description, metadata=metadata))
        try:
            if isinstance(pieces, AsyncIterator):
                async for piece in pieces:
                    await writer.write(piece)
            else:
                for piece in pieces:
                    await writer.write(piece)
            return _info(await writer.finish())
        except BaseException as e:
            abort = writer.abort()  # runs to its end even if not awaited
            if not isinstance(e, asyncio.CancelledError):
                await abort
            raise

    async def get(self, name: str) -> ObjectReader:
        """Starts reading an object (``NotFoundError`` when missing or
        deleted): an ``ObjectReader``, one chunk at a time. A link reads
        its target (``info`` is the target's); a link to a whole store
        raises ``InvalidArgumentError``."""
        return ObjectReader(await self._n.get(name))

    async def get_bytes(self, name: str) -> bytes:
        """A whole object, in memory (checked like ``get``)."""
        return await self._n.get_bytes(name)

    async def add_link(self, name: str, target: ObjectInfo) -> ObjectInfo:
        """Makes ``name`` a link to the object ``target`` describes (an info
        read from this store or another); returns the link's info.
        ``AlreadyExistsError`` when ``name`` is an object (a link of that
        name is replaced); ``InvalidArgumentError`` for a deleted target or
        a link."""
        return _info(await self._n.add_link(name, target))

    async def add_bucket_link(self, name: str, bucket: str) -> ObjectInfo:
        """Makes ``name`` a link to the whole store ``bucket`` (it has no
        content: ``get`` of it raises ``InvalidArgumentError``)."""
        return _info(await self._n.add_bucket_link(name, bucket))

    async def update_meta(self, name: str, meta: ObjectMeta) -> ObjectInfo:
        """Sets the object's name, description and metadata to ``meta``'s
        (renaming it when the name differs); the content stays. Returns the
        new info. ``NotFoundError`` for a missing object,
        ``AlreadyExistsError`` when renaming onto another one."""
        return _info(await self._n.update_meta(name, meta))

    def watch(
        self,
        *,
        include_history: bool = False,
        updates_only: bool = False,
        ignore_deletes: bool = False,
    ) -> ObjectWatcher:
        """Watches the store: first each object's latest info (every kept
        version with ``include_history``; none with ``updates_only``),
        delete markers included unless ``ignore_deletes``, then ``None``
        once, then every change. Iterate with ``async for``; ``async with``
        stops it on exit; or ``await`` it to start it now."""
        options = ObjectWatchOptions(
            include_history=include_history,
            updates_only=updates_only,
            ignore_deletes=ignore_deletes,
        )
        return ObjectWatcher(lambda: self._n.watch(options))
