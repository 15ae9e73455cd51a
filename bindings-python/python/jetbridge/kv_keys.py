"""A bucket's keys, streamed (asyncio): ``async for key in kv.list_keys()``.
One key at a time as the server sends them, so a bucket of any size is
listed in bounded memory; ``stop()`` (or leaving ``async with``) ends the
listing early."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Generator, List, Optional

from . import _native
from .message_stream import _abort_on_cancel

#: Most keys taken from the native buffer per crossing.
_TAKE = 256


class KvKeys:
    """The keys with a value that match a filter, each once, in the order
    the server holds them (each key's latest revision): an async iterator
    of ``str``. Started on first use (or ``await``); an error (a bad
    filter, the client closed) is raised once, then it ends."""

    def __init__(self, start: Callable[[], Awaitable[_native.KvKeys]]) -> None:
        self._start: Optional[Callable[[], Awaitable[_native.KvKeys]]] = start
        self._n: Optional[_native.KvKeys] = None
        self._stopped = False
        self._buf: List[str] = []
        self._pos = 0

    async def start(self) -> "KvKeys":
        """Starts the listing; idempotent."""
        if self._n is None and self._start is not None:
            start, self._start = self._start, None
            self._n = await start()
        return self

    def __await__(self) -> Generator[Any, None, "KvKeys"]:
        return self.start().__await__()

    async def __aenter__(self) -> "KvKeys":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        self.stop()

    def __aiter__(self) -> "KvKeys":
        return self

    async def __anext__(self) -> str:
        if self._pos < len(self._buf):
            key = self._buf[self._pos]
            self._pos += 1
            return key
        await self.start()
        n = self._n
        if n is None or self._stopped:
            raise StopAsyncIteration
        batch = n.take_ready(_TAKE)
        if not batch and await _abort_on_cancel(n.fill(_TAKE)) > 0:
            batch = n.take_ready(_TAKE)
        if not batch or self._stopped:
            raise StopAsyncIteration
        self._buf, self._pos = batch, 1
        return batch[0]

    def stop(self) -> None:
        """Ends the listing: the iteration ends, the server stops sending."""
        self._start = None
        self._stopped = True
        self._buf, self._pos = [], 0
        if self._n is not None:
            self._n.stop()

    async def close(self) -> None:
        """Same as ``stop``."""
        self.stop()
