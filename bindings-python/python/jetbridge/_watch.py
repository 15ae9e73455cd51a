"""What the KV watch and the object-store watch share (asyncio): started on
first use, an async iterator of items and, exactly once, ``None`` (the
caught-up marker), over a native watcher whose ``fill`` buffers events and
``take_ready`` hands them out (nothing is lost when a wait is cancelled)."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Generator, Generic, List, Optional, TypeVar

from . import _native
from .errors import ClosedError
from .message_stream import _abort_on_cancel
from .options import Seconds

_T = TypeVar("_T")
_Self = TypeVar("_Self", bound="Watch[Any]")

#: Longest single native wait of ``async for`` (``stop()`` wakes it at once).
_WAIT_SLICE = 60.0
#: Most events taken from the native buffer per crossing.
_TAKE = 256


class Watch(Generic[_T]):
    """A running watch: an async iterator of items and, once, ``None``
    (caught up). Ends when stopped; errors that end it (the bucket deleted,
    the client closed) are raised once. Subclasses set ``_WHAT`` (the name
    in ``ClosedError``) and ``_item`` (a native dict as the item)."""

    _WHAT = "watcher"

    def __init__(self, start: Callable[[], Awaitable[Any]]) -> None:
        self._stopped = False
        self._start: Optional[Callable[[], Awaitable[Any]]] = start
        self._n: Any = None
        self._buf: List[Optional[Dict[str, Any]]] = []
        self._pos = 0

    def _item(self, d: Dict[str, Any]) -> _T:
        raise NotImplementedError

    def _event(self, d: Optional[Dict[str, Any]]) -> Optional[_T]:
        return None if d is None else self._item(d)

    async def _native(self) -> Any:
        if self._n is None:
            if self._start is None:
                raise _native._closed_error(self._WHAT)
            start, self._start = self._start, None
            self._n = await start()
        return self._n

    async def start(self: _Self) -> _Self:
        """Starts the watch; idempotent."""
        await self._native()
        return self

    def __await__(self: _Self) -> Generator[Any, None, _Self]:
        return self.start().__await__()

    async def __aenter__(self: _Self) -> _Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        self.stop()

    def __aiter__(self: _Self) -> _Self:
        return self

    async def __anext__(self) -> Optional[_T]:
        if self._pos < len(self._buf):
            d = self._buf[self._pos]
            self._pos += 1
            return self._event(d)
        n = self._n if self._n is not None else await self._native()
        while True:
            batch = n.take_ready(_TAKE)
            if batch:
                self._buf, self._pos = batch, 1
                return self._event(batch[0])
            try:
                await _abort_on_cancel(n.fill(_TAKE, _WAIT_SLICE))
            except ClosedError:
                if self._stopped:
                    raise StopAsyncIteration from None
                raise

    async def next(self) -> Optional[_T]:
        """The next item or the ``None`` marker, waiting as long as it
        takes. ``ClosedError`` once stopped."""
        try:
            return await self.__anext__()
        except StopAsyncIteration:
            raise _native._closed_error(self._WHAT) from None

    async def next_batch(self, max_events: int, max_wait: Seconds) -> List[Optional[_T]]:
        """Up to ``max_events`` (items, and the ``None`` marker in its
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
        return [self._event(d) for d in out]

    def stop(self) -> None:
        """Ends the watch (a waiting ``async for`` ends)."""
        self._start = None
        self._stopped = True
        if self._n is not None:
            self._n.stop()

    async def close(self) -> None:
        """Same as ``stop``."""
        self.stop()
