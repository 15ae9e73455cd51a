"""Publishing: messages, expectations, results, and the pipelined
``Publisher`` (asyncio)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any, Dict, Generator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _inject, _native
from ._native import BatchAck, PubAck
from ._types import PublisherOptions
from .errors import JetBridgeError
from .options import Seconds
from .message_stream import _abort_on_cancel

__all__ = [
    "Payload",
    "Headers",
    "Expect",
    "PublishMessage",
    "PubAck",
    "BatchAck",
    "PublishFailure",
    "FlushReport",
    "Publisher",
    "PublisherOptions",
    "TrackedPublish",
]

#: What a payload may be; ``str`` is sent as UTF-8. Received payloads are ``bytes``.
Payload = Union[bytes, bytearray, memoryview, str]
#: Headers: a dict, or ``(name, value)`` pairs when a name repeats.
Headers = Union[Mapping[str, str], Sequence[Tuple[str, str]]]


@dataclass(frozen=True)
class Expect:
    """Conditions the server checks before storing a message. A mismatch
    raises ``WrongLastSequenceError`` (``StreamMismatchError`` for ``stream``).

    Attributes:
        stream: The subject must belong to this stream.
        last_sequence: The stream's last sequence must be this.
        last_msg_id: The stream's last msg id must be this.
        last_subject_sequence: The last sequence on this subject must be this
            (0: no message on it yet).
    """

    stream: Optional[str] = None
    last_sequence: Optional[int] = None
    last_msg_id: Optional[str] = None
    last_subject_sequence: Optional[int] = None


@dataclass
class PublishMessage:
    """One message for ``publish_many`` or ``publish_batch``. Plain
    ``(subject, payload)`` or ``(subject, payload, msg_id)`` tuples are
    accepted too.

    Attributes:
        subject: Subject, no wildcards.
        payload: May be empty only when the message has headers.
        msg_id: Message id for deduplication; generated when ``None``
            (except in ``publish_batch``, which sends only a given one).
        headers: Extra headers.
        expect: Server-side expectations.
        ttl: This message's own time to live (``Nats-TTL``): whole seconds,
            at least 1; the stream must allow it (``allow_msg_ttl``, server
            2.11+). ``None``: the stream's own limits.
    """

    subject: str
    payload: Payload
    msg_id: Optional[str] = None
    headers: Optional[Headers] = None
    expect: Optional[Expect] = None
    ttl: Optional[Seconds] = None


#: While the window is full, ``publish`` waits until
#: ``max_in_flight // _REFILL_DIVISOR`` messages could be queued.
_REFILL_DIVISOR = 2

MessageLike = Union[PublishMessage, Tuple[str, Payload], Tuple[str, Payload, str]]


@dataclass(frozen=True)
class PublishFailure:
    """One pipelined publish that did not end in an ack."""

    ticket: int
    """The ticket ``publish`` returned for it."""
    msg_id: str
    subject: str
    error: JetBridgeError
    """Why (``PublishOutcomeUnknownError`` means it may have been stored)."""


@dataclass(frozen=True)
class FlushReport:
    """What happened to the messages settled since the previous flush."""

    acked: int
    """Messages acked, duplicates included."""
    duplicates: int
    """Of those, how many the server reported as duplicates."""
    failures: List[PublishFailure]
    """Every failed message, in ticket order."""

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "FlushReport":
        return cls(d["acked"], d["duplicates"], [PublishFailure(**f) for f in d["failures"]])


class TrackedPublish:
    """A pipelined publish with its own outcome: ``ticket`` at once, and
    ``await tracked`` for its ``PubAck`` (or the typed error it failed
    with), whenever the caller wants it, as often as it wants. Not awaiting
    it does not cancel the publish, and it counts in the next
    ``Publisher.flush`` like any other. The blocking facade's
    ``result(timeout)`` waits without an event loop."""

    __slots__ = ("ticket", "_call", "_future", "_lock", "_outcome")

    def __init__(self, ticket: int, call: _native.Call[PubAck]) -> None:
        self.ticket: int = ticket
        """The ticket, as ``Publisher.publish`` returns it."""
        self._call = call
        self._future: Optional["asyncio.Future[PubAck]"] = None
        self._lock = threading.Lock()
        self._outcome: Optional[Union[PubAck, JetBridgeError]] = None

    async def _ack(self) -> PubAck:
        return await self._call

    def __await__(self) -> Generator[Any, None, PubAck]:
        if self._future is None:
            self._future = asyncio.ensure_future(self._ack())
        # A cancelled waiter leaves the ack for the next one.
        return asyncio.shield(self._future).__await__()

    def result(self, timeout: Optional[Seconds] = None) -> PubAck:
        """Blocks (GIL released) until the ack is there and returns it, or
        raises the publish's typed error. With ``timeout``, Python's
        ``TimeoutError`` when it is not there by then (as
        ``concurrent.futures.Future.result``); the publish goes on."""
        with self._lock:
            if self._outcome is None:
                try:
                    self._outcome = self._call.wait(timeout)
                except JetBridgeError as e:
                    self._outcome = e
        if isinstance(self._outcome, JetBridgeError):
            raise self._outcome
        return self._outcome

    def __repr__(self) -> str:
        return f"TrackedPublish(ticket={self.ticket})"


class Publisher:
    """A pipelined publisher (asyncio): many publishes in flight, bounded by
    a window of messages and bytes. ``publish`` returns a ticket as soon as
    the message is queued; acks are tracked in the core with the same retry
    rules as a single publish; ``flush`` reports every failure.

    While the window has room, ``publish`` queues through a non-blocking
    native call and creates no asyncio future. When it is full it waits
    (back-pressure, never a drop) until half of the window is free.

    As an ``async with`` context it is closed on exit: ``close()`` waits
    until every queued message is settled (acked or failed), then refuses
    further publishes. The exit's ``FlushReport`` is not returned: to see
    failures, ``await publisher.flush()`` as the block's last step (the exit
    then has nothing left to report). An exception in the block is not
    hidden; the publisher is closed all the same.
    """

    __slots__ = ("_n", "_refill")

    def __init__(self, native: _native.Publisher) -> None:
        self._n = native
        self._refill = max(1, native.window()[0] // _REFILL_DIVISOR)

    async def publish(
        self,
        subject: str,
        payload: Payload,
        *,
        msg_id: Optional[str] = None,
        headers: Optional[Headers] = None,
        expect: Optional[Expect] = None,
        ttl: Optional[Seconds] = None,
    ) -> int:
        """Queues a message and returns its ticket (0, 1, 2, …). Waits only
        while the window is full. Raises only for invalid input or a closed
        publisher; delivery failures are reported by ``flush``. ``ttl`` as
        in ``Client.publish``."""
        if _inject.hook is not None:  # jetbridge.otel.instrument(): the one check
            headers = _inject.headers(headers)
        ticket = self._n.try_publish(subject, payload, msg_id, headers, expect, ttl)
        if ticket is None:
            ticket = await _abort_on_cancel(
                self._n.publish(subject, payload, msg_id, headers, expect, ttl, self._refill)
            )
        return ticket

    async def publish_tracked(
        self,
        subject: str,
        payload: Payload,
        *,
        msg_id: Optional[str] = None,
        headers: Optional[Headers] = None,
        expect: Optional[Expect] = None,
        ttl: Optional[Seconds] = None,
    ) -> TrackedPublish:
        """Queues a message like ``publish`` (waiting only while the window
        is full) and also tracks its own outcome: ``tracked.ticket``, and
        ``await tracked`` for its ``PubAck`` or typed error."""
        ticket, call = await _abort_on_cancel(
            self._n.publish_tracked(subject, payload, msg_id, _inject.headers(headers), expect, ttl)
        )
        return TrackedPublish(ticket, call)

    async def publish_many(self, messages: Sequence[MessageLike]) -> List[int]:
        """Queues a batch in order with one native call, waiting for room as
        needed. All are validated first: if one is invalid, none is queued
        and the error names its index. Returns their tickets."""
        return await self._n.publish_many(_inject.messages(messages))

    async def flush(self) -> FlushReport:
        """Waits until every queued message is settled; reports what
        happened since the previous flush."""
        return FlushReport._from_native(await self._n.flush())

    async def close(self) -> FlushReport:
        """Flushes, then refuses further publishes with ``ClosedError``."""
        return FlushReport._from_native(await self._n.close())

    async def __aenter__(self) -> "Publisher":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def in_flight(self) -> Tuple[int, int]:
        """``(messages, bytes)`` awaiting their ack now."""
        return self._n.in_flight()

    @property
    def peak_in_flight(self) -> int:
        """The most messages ever in flight at once."""
        return self._n.peak_in_flight()

    @property
    def window(self) -> Tuple[int, int]:
        """``(max_in_flight, max_in_flight_bytes)``."""
        return self._n.window()

    @property
    def options(self) -> PublisherOptions:
        """The options in effect, the core's defaults filled in."""
        return PublisherOptions._from_native(self._n.options())
