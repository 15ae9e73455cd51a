"""Durable consumers: configuration, start positions, info, and the asyncio
``Consumer`` handle (``fetch`` and ``messages()``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from . import _native
from .message_stream import MessagesOptions, MessageStream
from ._start import StartPosition
from ._types import ConsumerConfig, ConsumerPauseState, FetchOptions
from .options import Seconds, _merged

if TYPE_CHECKING:
    from ._native import Message

__all__ = [
    "StartPosition",
    "ConsumerConfig",
    "ConsumerPauseState",
    "FetchOptions",
    "SequencePair",
    "ConsumerInfo",
    "Consumer",
]


@dataclass(frozen=True)
class SequencePair:
    """Consumer and stream sequence of one message."""

    consumer_seq: int
    stream_seq: int


@dataclass(frozen=True)
class ConsumerInfo:
    """A consumer's configuration and progress (its lag is ``num_pending``)."""

    stream: str
    name: str
    config: ConsumerConfig
    created: int
    """Creation time, Unix nanoseconds."""
    delivered: SequencePair
    """The last delivered message."""
    ack_floor: SequencePair
    """Everything up to here is acked."""
    num_ack_pending: int
    """Delivered but not yet acked."""
    num_redelivered: int
    """Redelivered at least once and still pending."""
    num_waiting: int
    """Pull requests waiting."""
    num_pending: int
    """Messages not yet delivered: the consumer's lag."""
    cluster_leader: Optional[str]

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "ConsumerInfo":
        d = dict(d)
        d["config"] = ConsumerConfig._from_native(d["config"])
        d["delivered"] = SequencePair(*d["delivered"])
        d["ack_floor"] = SequencePair(*d["ack_floor"])
        return cls(**d)


class Consumer:
    """A handle to one consumer of one stream (asyncio). Made by
    ``Client.create_consumer`` and friends; cheap to keep and share."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.Consumer) -> None:
        self._n = native

    @property
    def stream(self) -> str:
        """The stream this consumer reads."""
        return self._n.stream

    @property
    def name(self) -> str:
        """The consumer's name."""
        return self._n.name

    @property
    def config(self) -> ConsumerConfig:
        """The configuration the server reported when this handle was made."""
        return ConsumerConfig._from_native(self._n.config())

    async def info(self) -> ConsumerInfo:
        """Current configuration and progress (lag: ``num_pending``,
        ``num_ack_pending``)."""
        return ConsumerInfo._from_native(await self._n.info())

    async def fetch(
        self,
        max_messages: Optional[int] = None,
        max_wait: Optional[Seconds] = None,
        *,
        max_bytes: Optional[int] = None,
        no_wait: Optional[bool] = None,
        heartbeat: Optional[Seconds] = None,
        group: Optional[str] = None,
        min_pending: Optional[int] = None,
        min_ack_pending: Optional[int] = None,
        priority: Optional[int] = None,
    ) -> List[Message]:
        """Fetches up to ``max_messages``, waiting up to ``max_wait``
        (``None``: the core's defaults). Returns 0..n messages; zero is not an
        error. With ``heartbeat``, a silent server fails an empty fetch with
        ``HeartbeatMissedError``. Cancelling the awaiting task loses nothing:
        what the fetch still receives is returned by the next ``fetch`` on this
        handle. ``group`` (with ``min_pending``, ``min_ack_pending`` or
        ``priority``) is for consumers with priority groups. The arguments are
        ``FetchOptions``' fields."""
        options = FetchOptions(
            max_messages=max_messages,
            max_wait=max_wait,
            max_bytes=max_bytes,
            no_wait=no_wait,
            heartbeat=heartbeat,
            group=group,
            min_pending=min_pending,
            min_ack_pending=min_ack_pending,
            priority=priority,
        )
        await self._n.fetch(options)
        return self._n.take(max_messages)

    def messages(self, options: Optional[MessagesOptions] = None, **fields: Any) -> MessageStream:
        """A continuous stream of this consumer's messages with heartbeats
        and automatic recovery (reconnect, restart, deleted consumer). Use it
        with ``async for``, or ``await`` it to start it explicitly. Fields
        are those of ``MessagesOptions``."""
        opts = _merged(MessagesOptions, options, fields)
        return MessageStream(lambda: self._n.messages(opts))

    async def delete(self) -> None:
        """Deletes this consumer on the server."""
        await self._n.delete()

    def __repr__(self) -> str:
        return f"Consumer(stream={self.stream!r}, name={self.name!r})"
