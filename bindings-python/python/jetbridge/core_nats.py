"""Core NATS on the client's connection (asyncio): fire-and-forget publish,
subscriptions with queue groups, request-reply; and the client's connection
events. No JetStream here: no acks, no storage, no retries.

    async with await client.core_subscribe("svc.echo", queue="svc") as sub:
        async for msg in sub:
            await msg.respond(b"echo: " + msg.data, headers=msg.headers)

    reply = await client.core_request("svc.echo", b"ping", timeout=2)

Validation, the request timeout's default and every error are the core's:
``InvalidArgumentError`` for a bad subject, reply subject, queue name or an
oversized payload, ``NoRespondersError`` when nobody listens to a request,
``TimeoutError`` when nobody answered in time, ``ClosedError`` after
``unsubscribe`` or ``close``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from . import _inject, _native
from ._native import MessageHeaders
from .errors import ClosedError
from .message_stream import _abort_on_cancel
from .options import Seconds
from .publish import Headers, Payload

__all__ = ["CoreMessage", "CoreSubscription", "ConnectionEvent", "ConnectionEvents", "CONNECTION_EVENT_KINDS"]

#: Longest single native wait of ``async for`` (``unsubscribe`` and close
#: end it at once).
_WAIT_SLICE = 60.0

#: Every ``ConnectionEvent.kind``, in the core's order (its
#: ``ConnectionEvent::NAMES``, read from it).
CONNECTION_EVENT_KINDS: Tuple[str, ...] = tuple(_native.connection_event_kinds())


class CoreMessage:
    """A core NATS message: what a subscription receives or a request
    returns."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.CoreMessage) -> None:
        self._n = native

    @property
    def subject(self) -> str:
        """Its subject."""
        return self._n.subject

    @property
    def data(self) -> bytes:
        """Its payload."""
        return self._n.data

    @property
    def headers(self) -> MessageHeaders:
        """Its headers as a read-only multi-dict (as ``Message.headers``)."""
        return self._n.headers

    @property
    def reply(self) -> Optional[str]:
        """Where a reply goes, or ``None`` when the sender asked for none."""
        return self._n.reply

    async def respond(self, data: Payload = b"", *, headers: Optional[Headers] = None) -> None:
        """Answers this message: a core publish to its reply subject.
        ``InvalidArgumentError`` when it has no reply subject (nobody waits
        for an answer)."""
        await self._n.respond(data, _inject.headers(headers))

    def __repr__(self) -> str:
        return repr(self._n)


class CoreSubscription:
    """A core NATS subscription (asyncio). Iterate it with ``async for``
    (which ends once it is unsubscribed or the client closed), or ``await
    sub.next(timeout)``. As an ``async with`` context it unsubscribes on
    exit. Tasks may share it: ``unsubscribe`` from one ends a ``next``
    waiting in another at once."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.CoreSubscription) -> None:
        self._n = native

    async def next(self, timeout: Optional[Seconds] = None) -> Optional[CoreMessage]:
        """The next message, waiting up to ``timeout`` (``None``: as long as
        it takes); ``None`` when none came in time. ``ClosedError`` once
        unsubscribed or the client closed."""
        while True:
            m = await _abort_on_cancel(self._n.next(_WAIT_SLICE if timeout is None else timeout))
            if m is not None:
                return CoreMessage(m)
            if timeout is not None:
                return None

    def __aiter__(self) -> "CoreSubscription":
        return self

    async def __anext__(self) -> CoreMessage:
        try:
            m = await self.next()
        except ClosedError:
            raise StopAsyncIteration from None
        assert m is not None
        return m

    async def unsubscribe(self) -> None:
        """Ends the subscription; messages not yet read are dropped. Twice is
        fine."""
        await self._n.unsubscribe()

    async def __aenter__(self) -> "CoreSubscription":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.unsubscribe()


@dataclass(frozen=True)
class ConnectionEvent:
    """Something that happened to the client's connection."""

    kind: str
    """The core's name: one of ``CONNECTION_EVENT_KINDS`` (``connected``,
    ``disconnected``, ``reconnected``, ``lame_duck``, ``slow_consumer``,
    ``server_error``, ``closed``, ``missed``)."""
    detail: Optional[str]
    """The server's error text of ``server_error``, the count of ``missed``
    (this listener fell behind); ``None`` for the others."""


class ConnectionEvents:
    """The connection events of a client from when ``Client.events()`` was
    called (asyncio): iterate with ``async for``; it ends after ``closed``
    (at once, empty, for a client already closed). Each ``events()`` call is
    its own listener."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.EventListener) -> None:
        self._n = native

    async def next(self, timeout: Optional[Seconds] = None) -> Optional[ConnectionEvent]:
        """The next event, waiting up to ``timeout`` (``None``: as long as it
        takes); ``None`` when none came in time or the listener has ended
        (see ``ended``)."""
        while True:
            e = await _abort_on_cancel(self._n.next(_WAIT_SLICE if timeout is None else timeout))
            if e is not None:
                return ConnectionEvent(*e)
            if timeout is not None or self._n.ended:
                return None

    @property
    def ended(self) -> bool:
        """True once the listener has ended (after ``closed``)."""
        return self._n.ended

    def __aiter__(self) -> "ConnectionEvents":
        return self

    async def __anext__(self) -> ConnectionEvent:
        e = await self.next()
        if e is None:
            raise StopAsyncIteration
        return e
