"""The asyncio client: ``await jetbridge.connect(...)``.

Every awaitable resolves on the caller's event loop; the I/O runs on the
core's own threads, and the GIL is free while waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Generator, List, Optional, Sequence, Union

from . import _inject, _native
from ._start import StartLike
from .core_nats import ConnectionEvents, CoreMessage, CoreSubscription
from .consumer import Consumer, ConsumerConfig, ConsumerInfo, ConsumerPauseState
from .dapr import SubscriptionOptions
from ._log import refresh_log_level
from .errors import JetBridgeError
from .kv import KeyValue, KvConfig, KvStatus
from .message_stream import MessagesOptions, MessageStream
from .object_store import ObjectStore, ObjectStoreConfig, ObjectStoreStatus
from .options import ConnectOptions, Seconds, _merged
from .publish import BatchAck, Expect, Headers, MessageLike, Payload, PubAck, Publisher, PublisherOptions
from .stream import AccountInfo, GetMessagesOptions, PurgeOptions, StoredMessage, StreamConfig, StreamInfo

__all__ = ["DEFAULT_DRAIN_TIMEOUT", "Counters", "ConnectionState", "Client", "Connecting", "connect", "_connect_options"]

#: How long ``Client.drain()`` waits for work in flight when given no
#: ``timeout``, in seconds: the core's default, read from it.
DEFAULT_DRAIN_TIMEOUT: float = _native.default_drain_timeout()


@dataclass(frozen=True)
class Counters:
    """A client's counters since it connected."""

    published: int
    """Publishes accepted for sending (each message once, however retried)."""
    acked: int
    """Publishes acknowledged, duplicates included."""
    duplicates: int
    """Publishes the server reported as duplicates."""
    retries: int
    """Extra publish attempts for retryable failures."""
    unknown_outcomes: int
    """Publishes that ended as ``PublishOutcomeUnknownError``."""
    rejected: int
    """Publishes rejected by the server with a typed error."""
    delivered: int
    """Messages delivered to the application by consumers."""
    redelivered: int
    """Deliveries with a delivery count above 1."""
    acks_sent: int
    """Acks of any kind sent."""
    heartbeat_misses: int
    """Heartbeat intervals missed twice in a row."""
    reconnects: int
    """Reconnects after a lost connection."""
    consumer_recreations: int
    """Consumers re-created after the server lost them."""
    redeliveries_suppressed: int
    """Redeliveries of messages already acked on the same consumer handle,
    acked again and not handed to the application."""


@dataclass(frozen=True)
class ConnectionState:
    """The connection as consumers see it."""

    connected: bool
    generation: int
    """Successful connects so far (1 after the initial connect)."""
    closed: bool


def _connect_options(
    servers: Union[str, Sequence[str], None], options: Optional[ConnectOptions], fields: Dict[str, Any]
) -> ConnectOptions:
    """The options of a ``connect`` (asyncio or blocking), which also
    re-reads the log level."""
    refresh_log_level()
    if servers is not None:
        fields["servers"] = servers if isinstance(servers, str) else list(servers)
    return _merged(ConnectOptions, options, fields)


class Client:
    """A connected client (asyncio). Also an ``async with`` context that
    closes it. Cheap to share between tasks."""

    __slots__ = ("_n", "_name", "__weakref__")

    def __init__(self, native: _native.Client, name: Optional[str] = None) -> None:
        self._n = native
        self._name = name

    @property
    def name(self) -> Optional[str]:
        """The connection name it was given (``ConnectOptions.name``), or ``None``."""
        return self._name

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        return repr(self._n)

    # -- connection ---------------------------------------------------------

    async def close(self) -> None:
        """Flushes queued acks and closes. Later calls raise ``ClosedError``."""
        await self._n.close()

    async def drain(self, timeout: Optional[Seconds] = None) -> None:
        """Graceful shutdown (what a service does on SIGTERM), then closed.

        At once, new publishes, publishers, fetches and message streams raise
        ``ClosedError`` (acks are still taken) and every message stream stops
        pulling. Then it waits, up to ``timeout`` (``None``: the core's
        default, ``DEFAULT_DRAIN_TIMEOUT``), until every publish accepted
        before is settled (pipelined ones included) and every message handed
        out got its ``ack``, ``nak`` or ``term`` (or was dropped); then queued
        acks are flushed and the client closes. Later calls raise
        ``ClosedError``; draining a closed client is fine.

        Raises ``TimeoutError`` (naming what was left) when ``timeout`` ran
        out: the client is closed all the same; unanswered messages are
        redelivered after their ack wait, unsettled publishes end as
        ``PublishOutcomeUnknownError``. Runs to completion even if the
        awaiting task is cancelled."""
        await self._n.drain(timeout)

    async def flush_acks(self, *, confirm: bool = False) -> None:
        """Returns once every ack queued so far (``ack``, ``nak``,
        ``in_progress``, ``term``: they are sent in the background) was written
        to the connection and, with ``confirm=True``, once the server answered
        a round trip sent after them, so it has processed them. Bounded by the
        client's request timeout: ``TimeoutError``, or ``ConnectionError``
        while disconnected; ``ClosedError`` on a closed client. (``ack_sync``
        confirms one message's ack instead.)"""
        await self._n.flush_acks(confirm)

    @property
    def is_closed(self) -> bool:
        """True once the client is closed: by ``close``, or when ``drain`` ends."""
        return self._n.is_closed()

    @property
    def servers(self) -> List[str]:
        """The server URLs, with any ``user:pass@`` redacted."""
        return self._n.redacted_servers()

    @property
    def max_payload(self) -> int:
        """The server's maximum payload in bytes."""
        return self._n.max_payload()

    def connection_state(self) -> ConnectionState:
        """Connected?, connect generation, closed?"""
        return ConnectionState(*self._n.connection_state())

    def counters(self) -> Counters:
        """Counters since connect."""
        return Counters(**self._n.counters())

    # -- publishing ---------------------------------------------------------

    async def publish(
        self,
        subject: str,
        payload: Payload,
        *,
        msg_id: Optional[str] = None,
        headers: Optional[Headers] = None,
        expect: Optional[Expect] = None,
        ttl: Optional[Seconds] = None,
    ) -> PubAck:
        """Publishes one message and waits for its ack. Every message carries
        a ``Nats-Msg-Id`` (``msg_id`` or a generated one), so retries after
        no-responders, 409 and ack timeouts never store it twice. Raises a
        typed error when rejected, ``PublishOutcomeUnknownError`` when the
        retry budget ran out (resending with the same msg id is safe).
        ``ttl`` gives the message its own time to live (``Nats-TTL``: whole
        seconds, at least 1; the stream must allow it with ``allow_msg_ttl``,
        server 2.11+)."""
        return await self._n.publish(subject, payload, msg_id, _inject.headers(headers), expect, ttl)

    async def publish_many(self, messages: Sequence[MessageLike]) -> List[Union[PubAck, JetBridgeError]]:
        """Publishes a batch pipelined, crossing into the core once. Returns
        one entry per message, in order: its ``PubAck``, or the exception
        (not raised) that message failed with."""
        return await self._n.publish_many(_inject.messages(messages))

    async def publish_batch(self, messages: Sequence[MessageLike]) -> BatchAck:
        """Publishes ``messages`` (the forms ``publish_many`` takes) as one
        atomic batch, crossing into the core once: the stream stores all of
        them in order, or none. Returns one ``BatchAck`` (the last message's
        sequence and the count). Needs nats-server 2.12+
        (``ServerTooOldError``) and a stream made with ``allow_atomic``
        (otherwise ``InvalidArgumentError``, api code 10174). A batch holds 1
        to 1000 messages; no message may expect a last msg id, only the first
        may expect a last sequence, and no msg id is generated (one is sent
        only when given) — the core refuses the rest with
        ``InvalidArgumentError`` before sending. A lost answer to the commit
        raises ``PublishOutcomeUnknownError`` (read the stream to learn
        whether the batch landed)."""
        return await self._n.publish_batch(_inject.messages(messages))

    def publisher(self, /, options: Optional[PublisherOptions] = None, **fields: Any) -> Publisher:
        """A pipelined publisher with its own window, from ``PublisherOptions``
        and/or its fields (``None``: the core's default, see
        ``Publisher.options``). ``fast_ingest=True`` publishes in fast-ingest
        batches where the stream allows it."""
        options = _merged(PublisherOptions, options, fields)
        return Publisher(self._n.publisher(options))

    # -- core NATS ----------------------------------------------------------

    async def core_publish(
        self,
        subject: str,
        data: Payload = b"",
        *,
        headers: Optional[Headers] = None,
        reply: Optional[str] = None,
    ) -> None:
        """Publishes a core NATS message on this connection: no JetStream
        ack, fire-and-forget (a stream whose subjects match stores it all the
        same). ``reply`` asks for an answer on that subject."""
        await self._n.core_publish(subject, data, _inject.headers(headers), reply)

    async def core_subscribe(self, subject: str, *, queue: Optional[str] = None) -> CoreSubscription:
        """Subscribes to ``subject`` (wildcards allowed); subscribers of the
        same ``queue`` group share its messages, each to one. Returns once
        the server has the subscription, so anything published afterwards,
        from any connection, reaches it."""
        return CoreSubscription(await self._n.core_subscribe(subject, queue))

    async def core_request(
        self,
        subject: str,
        data: Payload = b"",
        *,
        headers: Optional[Headers] = None,
        timeout: Optional[Seconds] = None,
    ) -> CoreMessage:
        """Sends a request and returns the first reply, waiting up to
        ``timeout`` (``None``: the connection's ``request_timeout``).
        Raises ``NoRespondersError`` when nobody listens on ``subject``,
        ``TimeoutError`` when nobody answered in time."""
        return CoreMessage(await self._n.core_request(subject, data, _inject.headers(headers), timeout))

    def events(self) -> ConnectionEvents:
        """The connection events from now on (``async for event in
        client.events()``), ending after ``closed``. Each call is its own
        listener; the first connect happened before any listener exists, so
        a listener's first event is a later one."""
        return ConnectionEvents(self._n.events())

    # -- streams --------------------------------------------------------------

    async def create_stream(self, /, config: Optional[StreamConfig] = None, **fields: Any) -> StreamInfo:
        """Creates a stream from a ``StreamConfig`` and/or its fields. The same
        configuration again returns its info; another one raises
        ``AlreadyExistsError``."""
        return StreamInfo._from_native(await self._n.create_stream(_merged(StreamConfig, config, fields)))

    async def update_stream(self, /, config: Optional[StreamConfig] = None, **fields: Any) -> StreamInfo:
        """Replaces a stream's configuration (``NotFoundError`` if missing)."""
        return StreamInfo._from_native(await self._n.update_stream(_merged(StreamConfig, config, fields)))

    async def stream_info(self, name: str) -> StreamInfo:
        """A stream's configuration and state."""
        return StreamInfo._from_native(await self._n.stream_info(name))

    async def list_streams(self, subject: Optional[str] = None) -> List[StreamInfo]:
        """Every stream of the account, in the server's order (by name), all
        pages read; with ``subject``, only those whose subjects overlap it
        (wildcards allowed; an invalid subject raises
        ``InvalidArgumentError``)."""
        return [StreamInfo._from_native(d) for d in await self._n.list_streams(subject)]

    async def delete_stream(self, name: str) -> None:
        """Deletes a stream with its messages and consumers."""
        await self._n.delete_stream(name)

    async def purge_stream(
        self,
        name: str,
        *,
        subject: Optional[str] = None,
        up_to_sequence: Optional[int] = None,
        keep: Optional[int] = None,
    ) -> int:
        """Removes messages (all, or on ``subject``, below ``up_to_sequence``,
        or all but the newest ``keep``: ``PurgeOptions``' fields); returns how
        many."""
        options = PurgeOptions(subject=subject, up_to_sequence=up_to_sequence, keep=keep)
        return await self._n.purge_stream(name, options)

    async def get_message(self, stream: str, sequence: int) -> StoredMessage:
        """Reads one stored message by sequence (``NotFoundError`` if absent)."""
        return StoredMessage._from_native(await self._n.get_message(stream, sequence))

    async def delete_message(self, stream: str, sequence: int, *, erase: bool = False) -> None:
        """Deletes the message at ``sequence`` from ``stream``; with ``erase``,
        its bytes are overwritten on disk too (secure erase, slower). A
        sequence that holds no message (or a missing stream) raises
        ``NotFoundError``, sequence 0 ``InvalidArgumentError``; a stream with ``deny_delete`` refuses with
        ``ServerError``."""
        await self._n.delete_message(stream, sequence, erase)

    async def get_last_message(self, stream: str, subject: str) -> StoredMessage:
        """Reads the newest stored message on ``subject``."""
        return StoredMessage._from_native(await self._n.get_last_message(stream, subject))

    async def get_next_message(self, stream: str, subject: str, from_sequence: int) -> StoredMessage:
        """Reads the first stored message at or after ``from_sequence`` whose
        subject matches ``subject`` (wildcards allowed; ``NotFoundError`` if
        none, sequence 0 ``InvalidArgumentError``)."""
        return StoredMessage._from_native(await self._n.get_next_message(stream, subject, from_sequence))

    async def get_messages(
        self,
        stream: str,
        *,
        max_messages: Optional[int] = None,
        subject: Optional[str] = None,
        start_sequence: Optional[int] = None,
        start_time: Optional[datetime] = None,
        max_bytes: Optional[int] = None,
    ) -> List[StoredMessage]:
        """Reads up to ``max_messages`` stored messages in stream order with
        one request, from ``start_sequence`` or ``start_time`` (unset: the
        first), only those on ``subject`` if given, at most ``max_bytes`` of
        payload (``GetMessagesOptions``' fields; ``None``: the core's
        defaults). Needs server 2.11+ (``ServerTooOldError`` before) and a
        stream with ``allow_direct`` (``InvalidArgumentError`` without).
        Nothing at or after the start is an empty list, not an error."""
        options = GetMessagesOptions(
            max_messages=max_messages,
            subject=subject,
            start_sequence=start_sequence,
            start_time=start_time,
            max_bytes=max_bytes,
        )
        return [StoredMessage._from_native(d) for d in await self._n.get_messages(stream, options)]

    async def stream_by_subject(self, subject: str) -> str:
        """The name of the stream that captures ``subject``."""
        return await self._n.stream_by_subject(subject)

    async def account_info(self) -> AccountInfo:
        """The account's JetStream usage and limits (a limit of -1 is
        unlimited)."""
        return AccountInfo._from_native(await self._n.account_info())

    # -- consumers ------------------------------------------------------------

    async def create_consumer(self, /, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any) -> Consumer:
        """Creates a consumer; the same configuration again returns it, a
        different one raises ``AlreadyExistsError``."""
        return Consumer(await self._n.create_consumer(stream, _merged(ConsumerConfig, config, fields)))

    async def update_consumer(self, /, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any) -> Consumer:
        """Changes an existing durable consumer (``NotFoundError`` if missing)."""
        return Consumer(await self._n.update_consumer(stream, _merged(ConsumerConfig, config, fields)))

    async def get_or_create_consumer(
        self, /, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any
    ) -> Consumer:
        """Creates the consumer, or binds to it when it exists with the same
        configuration (``ConfigMismatchError`` otherwise)."""
        return Consumer(await self._n.get_or_create_consumer(stream, _merged(ConsumerConfig, config, fields)))

    async def bind_consumer(self, stream: str, name: str, expected: Optional[ConsumerConfig] = None) -> Consumer:
        """Binds to an existing consumer. With ``expected``, any set field that
        differs raises ``ConfigMismatchError`` naming the fields."""
        return Consumer(await self._n.bind_consumer(stream, name, expected))

    async def consumer_info(self, stream: str, name: str) -> ConsumerInfo:
        """A consumer's configuration and progress."""
        return ConsumerInfo._from_native(await self._n.consumer_info(stream, name))

    async def list_consumers(self, stream: str) -> List[ConsumerInfo]:
        """Every consumer of ``stream``, in the server's order, all pages
        read (``NotFoundError`` if the stream does not exist)."""
        return [ConsumerInfo._from_native(d) for d in await self._n.list_consumers(stream)]

    async def delete_consumer(self, stream: str, name: str) -> None:
        """Deletes a consumer."""
        await self._n.delete_consumer(stream, name)

    async def pause_consumer(self, stream: str, name: str, until: datetime) -> ConsumerPauseState:
        """Pauses a running consumer until ``until``: it delivers nothing
        before then and resumes by itself afterwards (or on
        ``resume_consumer``). An aware ``datetime`` is exact, a naive one is
        local time. Returns the pause as the server reports it. ``until`` in
        the past raises ``InvalidArgumentError``, a missing consumer
        ``NotFoundError``, a server older than 2.11 ``ServerTooOldError``."""
        return ConsumerPauseState._from_native(await self._n.pause_consumer(stream, name, until))

    async def resume_consumer(self, stream: str, name: str) -> ConsumerPauseState:
        """Resumes a paused consumer at once (one that is not paused is left
        as it is); returns its state (``paused`` false). Errors as
        ``pause_consumer``."""
        return ConsumerPauseState._from_native(await self._n.resume_consumer(stream, name))

    async def unpin_consumer(self, stream: str, name: str, group: str) -> None:
        """Unpins the client pinned in priority group ``group`` of a consumer
        with the ``"pinned_client"`` priority policy; the server pins the
        next client that pulls. A group the consumer does not have raises
        ``InvalidArgumentError``, a missing consumer ``NotFoundError``, a
        server older than 2.11 ``ServerTooOldError``."""
        await self._n.unpin_consumer(stream, name, group)

    # -- key-value and object stores ------------------------------------------------

    async def create_key_value(self, /, config: Optional[KvConfig] = None, **fields: Any) -> KeyValue:
        """Creates a key-value bucket from a ``KvConfig`` and/or its fields
        (``bucket`` is required). The same configuration again returns it;
        another one raises ``AlreadyExistsError``."""
        return KeyValue(await self._n.create_key_value(_merged(KvConfig, config, fields)))

    async def create_or_update_key_value(
        self, /, config: Optional[KvConfig] = None, **fields: Any
    ) -> KeyValue:
        """Creates a key-value bucket, or updates the existing one to this
        configuration (a ``KvConfig`` and/or its fields; ``bucket`` is
        required). What the server cannot change (the storage) raises its
        error."""
        return KeyValue(await self._n.create_or_update_key_value(_merged(KvConfig, config, fields)))

    async def key_value_status(self, bucket: str) -> KvStatus:
        """A bucket's configuration as the server holds it and what it
        stores (``NotFoundError`` if there is none)."""
        return KvStatus._from_native(await self._n.key_value_status(bucket))

    async def key_value_names(self) -> List[str]:
        """The names of the account's key-value buckets, sorted."""
        return await self._n.key_value_names()

    async def key_value(self, bucket: str) -> KeyValue:
        """Opens an existing bucket (``NotFoundError`` if there is none)."""
        return KeyValue(await self._n.key_value(bucket))

    async def delete_key_value(self, bucket: str) -> None:
        """Deletes a bucket with every entry."""
        await self._n.delete_key_value(bucket)

    async def create_object_store(
        self, /, config: Optional[ObjectStoreConfig] = None, **fields: Any
    ) -> ObjectStore:
        """Creates an object store from an ``ObjectStoreConfig`` and/or its
        fields (``bucket`` is required). The same configuration again returns
        it; another one raises ``AlreadyExistsError``."""
        return ObjectStore(await self._n.create_object_store(_merged(ObjectStoreConfig, config, fields)))

    async def object_store_status(self, bucket: str) -> ObjectStoreStatus:
        """A store's configuration as the server holds it, whether it is
        sealed and what it stores (``NotFoundError`` if there is none)."""
        return ObjectStoreStatus._from_native(await self._n.object_store_status(bucket))

    async def object_store_names(self) -> List[str]:
        """The names of the account's object stores, sorted."""
        return await self._n.object_store_names()

    async def object_store(self, bucket: str) -> ObjectStore:
        """Opens an existing object store (``NotFoundError`` if there is none)."""
        return ObjectStore(await self._n.object_store(bucket))

    async def delete_object_store(self, bucket: str) -> None:
        """Deletes an object store with every object."""
        await self._n.delete_object_store(bucket)

    # -- continuous consumers ---------------------------------------------------

    def replay(
        self,
        stream: str,
        start: Optional[StartLike] = None,
        *,
        filter_subjects: Optional[Sequence[str]] = None,
        speed: Optional[str] = None,
        options: Optional[MessagesOptions] = None,
    ) -> MessageStream:
        """An ordered replay of ``stream`` from ``start`` (default: all): every
        stored message once, in stream order, through an ephemeral consumer
        that resets itself across gaps, restarts and deletion. ``speed`` is
        ``"instant"`` (default) or ``"original"``. Messages take no acks.
        Iterate it with ``async for``, or ``await`` it to start it now."""
        subjects = list(filter_subjects) if filter_subjects is not None else None
        return MessageStream(lambda: self._n.replay(stream, start, subjects, speed, options))

    def push_subscribe(self, /, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any) -> MessageStream:
        """Creates (or joins) a push consumer and receives its messages.
        Members sharing a durable name and ``deliver_group`` split the work."""
        cfg = _merged(ConsumerConfig, config, fields)
        return MessageStream(lambda: self._n.push_subscribe(stream, cfg))

    def subscribe(self, topic: str, options: Optional[SubscriptionOptions] = None) -> MessageStream:
        """Subscribes to ``topic`` as the Dapr component does: a push consumer
        filtered on the topic, on ``options.stream_name`` or the stream that
        captures the topic, shared by ``deliver_group`` if set."""
        opts = options if options is not None else SubscriptionOptions()
        return MessageStream(lambda: self._n.subscribe(topic, opts))


class Connecting:
    """What ``connect`` returns: ``await`` it for a ``Client``, or use it as
    ``async with jetbridge.connect(...) as client:`` (closed on exit)."""

    __slots__ = ("_options", "_client")

    def __init__(self, options: ConnectOptions) -> None:
        self._options = options
        self._client: Optional[Client] = None

    async def _connect(self) -> Client:
        return Client(await _native.connect(self._options), self._options.name)

    def __await__(self) -> Generator[Any, None, Client]:
        return self._connect().__await__()

    async def __aenter__(self) -> Client:
        self._client = await self._connect()
        return self._client

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.close()


def connect(
    servers: Union[str, Sequence[str], None] = None, *, options: Optional[ConnectOptions] = None, **fields: Any
) -> Connecting:
    """Connects to NATS: ``client = await jetbridge.connect("nats://host:4222")``.

    Options come from ``options`` (a ``ConnectOptions``, e.g. from
    ``DaprConfig``) and/or keyword fields of ``ConnectOptions`` (fields win).
    Raises ``AuthError``, ``TlsError``, ``ConnectionError``, ``TimeoutError``
    or ``InvalidArgumentError``; never falls back to plaintext when TLS was
    asked for."""
    return Connecting(_connect_options(servers, options, fields))
