"""Durable consumers: configuration, start positions, info, and the asyncio
``Consumer`` handle (``fetch`` and ``messages()``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from . import _native
from .message_stream import MessagesOptions, MessageStream, _messages_options
from .options import Seconds

if TYPE_CHECKING:
    from ._native import Message

__all__ = [
    "StartPosition",
    "ConsumerConfig",
    "SequencePair",
    "ConsumerInfo",
    "Consumer",
]


@dataclass(frozen=True)
class StartPosition:
    """Where a consumer or replay starts. Build one with the class methods;
    a plain policy name (``"all"``, ``"last"``, ``"last_per_subject"``,
    ``"new"``) is accepted wherever a ``StartPosition`` is.

    Attributes:
        policy: ``all``, ``last``, ``last_per_subject``, ``new``,
            ``sequence`` or ``time``.
        sequence: The first stream sequence (policy ``sequence``).
        time: The first storage time, Unix nanoseconds (policy ``time``).
    """

    policy: str = "all"
    sequence: Optional[int] = None
    time: Optional[int] = None

    @classmethod
    def all(cls) -> "StartPosition":
        """The first message in the stream (the default)."""
        return cls("all")

    @classmethod
    def last(cls) -> "StartPosition":
        """The last message in the stream."""
        return cls("last")

    @classmethod
    def last_per_subject(cls) -> "StartPosition":
        """The last message of each subject."""
        return cls("last_per_subject")

    @classmethod
    def new(cls) -> "StartPosition":
        """Only messages stored after the consumer is created."""
        return cls("new")

    @classmethod
    def at_sequence(cls, sequence: int) -> "StartPosition":
        """The message with this stream sequence, or the next one after it."""
        return cls("sequence", sequence=sequence)

    @classmethod
    def at_time(cls, when: Union[datetime, int]) -> "StartPosition":
        """The first message stored at or after ``when``: a ``datetime``
        (naive means local time) or Unix nanoseconds (``time.time_ns()``)."""
        if isinstance(when, datetime):
            when = int(when.timestamp() * 1_000_000_000)
        return cls("time", time=when)

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "StartPosition":
        return cls(**d)


StartLike = Union[StartPosition, str]


@dataclass
class ConsumerConfig:
    """A consumer's configuration; ``None`` means the server's or core's
    default (ack wait 30 s, max ack pending 1000, unlimited deliveries).

    Attributes:
        durable_name: Durable name; ``None`` makes an ephemeral consumer.
        description: Free text.
        start: Where delivery starts (default ``StartPosition.all()``).
        ack_policy: ``"explicit"`` (default), ``"all"`` or ``"none"``.
        ack_wait: How long the server waits for an ack before redelivering.
        max_deliver: Most deliveries of one message (-1 or None: unlimited).
        backoff: Redelivery delays; the last repeats (at most max_deliver).
        max_ack_pending: Most unacked messages outstanding.
        filter_subjects: Only these subjects (wildcards allowed).
        replay: ``"instant"`` (default) or ``"original"`` speed.
        inactive_threshold: Delete the consumer after this long idle.
        replicas: Replicas of the consumer state; 0 (default) = the stream's.
        memory_storage: Keep the consumer state in memory.
        rate_limit_bps: Delivery rate limit in bits per second (push).
        max_waiting: Most pull requests waiting at once (pull).
        deliver_subject: Push consumers: where messages are pushed.
        deliver_group: Push consumers: the queue group sharing the work.
        flow_control: Push consumers: flow control.
        idle_heartbeat: Push consumers: idle heartbeat interval.
    """

    durable_name: Optional[str] = None
    description: Optional[str] = None
    start: Optional[StartLike] = None
    ack_policy: Optional[str] = None
    ack_wait: Optional[Seconds] = None
    max_deliver: Optional[int] = None
    backoff: List[Seconds] = field(default_factory=list)
    max_ack_pending: Optional[int] = None
    filter_subjects: List[str] = field(default_factory=list)
    replay: Optional[str] = None
    inactive_threshold: Optional[Seconds] = None
    replicas: Optional[int] = None
    memory_storage: Optional[bool] = None
    rate_limit_bps: Optional[int] = None
    max_waiting: Optional[int] = None
    deliver_subject: Optional[str] = None
    deliver_group: Optional[str] = None
    flow_control: Optional[bool] = None
    idle_heartbeat: Optional[Seconds] = None

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "ConsumerConfig":
        d = dict(d)
        d["start"] = StartPosition._from_native(d["start"])
        return cls(**d)


def _consumer_config(config: Optional[ConsumerConfig], fields: Dict[str, Any]) -> ConsumerConfig:
    """A config from an object and/or keyword fields (fields win)."""
    if config is None:
        return ConsumerConfig(**fields)
    if fields:
        import dataclasses

        return dataclasses.replace(config, **fields)
    return config


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
    ) -> List[Message]:
        """Fetches up to ``max_messages``, waiting up to ``max_wait``
        (``None``: the core's defaults). Returns 0..n messages; zero is not an
        error. With ``heartbeat``, a silent server fails an empty fetch with
        ``HeartbeatMissedError``. Cancelling the awaiting task loses nothing:
        what the fetch still receives is returned by the next ``fetch`` on this
        handle."""
        await self._n.fetch(max_messages, max_wait, max_bytes, no_wait, heartbeat)
        return self._n.take(max_messages)

    def messages(self, options: Optional[MessagesOptions] = None, **fields: Any) -> MessageStream:
        """A continuous stream of this consumer's messages with heartbeats
        and automatic recovery (reconnect, restart, deleted consumer). Use it
        with ``async for``, or ``await`` it to start it explicitly. Fields
        are those of ``MessagesOptions``."""
        opts = _messages_options(options, fields)
        return MessageStream(lambda: self._n.messages(opts))

    async def delete(self) -> None:
        """Deletes this consumer on the server."""
        await self._n.delete()

    def __repr__(self) -> str:
        return f"Consumer(stream={self.stream!r}, name={self.name!r})"
