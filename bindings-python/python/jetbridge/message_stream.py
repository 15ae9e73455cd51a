"""Continuous consumers (``Consumer.messages()``, replay, push) for asyncio.

Messages cross from the core in batches and are handed out from a buffer, so
``async for`` costs one native call per batch, not per message. Cancelling a
task that waits in ``async for`` loses nothing: a batch that arrives after the
cancellation stays buffered for the next read.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Generator, List, Optional, TypeVar

from . import _native, _types
from .errors import ClosedError
from .options import Seconds

if TYPE_CHECKING:
    from ._native import Message

__all__ = ["MessagesOptions", "HealthEvent", "MessageStream"]

#: Longest single native wait of ``async for`` (``close()`` wakes it at once).
_WAIT_SLICE = 60.0
#: Most messages taken from the native buffer per crossing.
_TAKE = 1024


_T = TypeVar("_T")


async def _abort_on_cancel(call: _native.Call[_T]) -> _T:
    """Awaits a native call; if the awaiting task is cancelled, the native
    wait is aborted too (``fill`` is cancel-safe: nothing it received is lost)."""
    try:
        return await call
    except asyncio.CancelledError:
        call.cancel()
        raise


class MessagesOptions(_types.MessagesOptions):
    __doc__ = _types.MessagesOptions.__doc__

    @classmethod
    def defaults(cls) -> "MessagesOptions":
        """The core's defaults, every field filled in."""
        return cls(**_native.default_messages_options())


@dataclass(frozen=True)
class HealthEvent:
    """One health transition of a continuous consumer."""

    health: str
    """``active``, ``reconnecting``, ``stalled``, ``recovering`` or ``stopped``."""
    reason: str
    at: int
    """When, Unix nanoseconds."""


class MessageStream:
    """A continuous stream of messages with its health (asyncio).

    Iterate with ``async for``; or ``await`` it (starts it and returns it),
    then ``await stream.next()`` / ``await stream.next_batch(n, wait)``. As an
    ``async with`` context it is stopped on exit. Errors that end the stream
    (its stream deleted, client closed) are raised once.

    ``break`` inside ``async for`` leaves the loop and nothing else: the
    stream is not stopped. It keeps receiving in the background (up to its
    buffer limits), and a later ``async for`` (or ``next()``) over the same
    object goes on with the next message, none skipped. The stream stops on
    ``close()``/``stop()``, at the end of ``async with``, or when the object
    is garbage-collected (``async for msg in consumer.messages(): ... break``
    keeps no reference, so in CPython it stops right after the loop).
    Messages it received but never handed out are not acked: the server
    redelivers them after their ack wait.
    """

    def __init__(self, start: Callable[[], Awaitable[_native.MessageStream]]) -> None:
        self._start: Optional[Callable[[], Awaitable[_native.MessageStream]]] = start
        self._n: Optional[_native.MessageStream] = None
        self._buf: List[Message] = []
        self._pos = 0

    async def _native(self) -> _native.MessageStream:
        if self._n is None:
            if self._start is None:
                raise _native._closed_error("message stream")
            start, self._start = self._start, None
            self._n = await start()
        return self._n

    async def start(self) -> "MessageStream":
        """Starts the stream (creating consumers as needed); idempotent."""
        await self._native()
        return self

    def __await__(self) -> Generator[Any, None, "MessageStream"]:
        return self.start().__await__()

    async def __aenter__(self) -> "MessageStream":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __aiter__(self) -> "MessageStream":
        return self

    async def __anext__(self) -> Message:
        if self._pos < len(self._buf):
            m = self._buf[self._pos]
            self._pos += 1
            return m
        return await self._refill()

    async def _refill(self) -> Message:
        n = self._n if self._n is not None else await self._native()
        while True:
            batch: List[Message] = n.take(_TAKE)
            if batch:
                self._buf = batch
                self._pos = 1
                return batch[0]
            try:
                await _abort_on_cancel(n.fill(_TAKE, _WAIT_SLICE))
            except ClosedError:
                if n.is_stopped:
                    raise StopAsyncIteration from None
                raise

    async def next(self) -> Message:
        """The next message, waiting as long as it takes."""
        try:
            return await self.__anext__()
        except StopAsyncIteration:
            raise _native._closed_error("message stream") from None

    async def next_batch(self, max_messages: int, max_wait: Seconds) -> List[Message]:
        """Up to ``max_messages``: waits up to ``max_wait`` for the first,
        then takes what is already there. Zero messages is not an error."""
        out = self._buf[self._pos : self._pos + max_messages]
        self._pos += len(out)
        if out:
            return out
        n = await self._native()
        batch = n.take(max_messages)
        if not batch:
            await _abort_on_cancel(n.fill(max_messages, max_wait))
            batch = n.take(max_messages)
        return batch

    @property
    def health(self) -> str:
        """``active``, ``reconnecting``, ``stalled``, ``recovering`` or
        ``stopped`` (``recovering`` before the stream started)."""
        return self._n.health if self._n is not None else "recovering"

    def take_events(self) -> List[HealthEvent]:
        """Health transitions since the last call; none is ever dropped."""
        if self._n is None:
            return []
        return [HealthEvent(*e) for e in self._n.take_events()]

    async def wait_health_change(self, current: str, max_wait: Seconds) -> str:
        """Waits until the health differs from ``current`` (up to
        ``max_wait``) and returns it."""
        return await _abort_on_cancel((await self._native()).wait_health_change(current, max_wait))

    async def close(self) -> None:
        """Stops the stream. Messages already handed out can still be acked;
        unacked ones are redelivered by the server after their ack wait."""
        self.stop()

    def stop(self) -> None:
        """Same as ``close``, without awaiting."""
        self._start = None
        if self._n is not None:
            self._n.stop()
