"""The blocking facade, for code without an event loop (scripts, Django or
Flask workers, threads): the same calls as the asyncio API, without ``await``.

Every call waits with the GIL released (other Python threads run) and checks
for signals about every 100 ms, so Ctrl-C interrupts a blocking wait with
``KeyboardInterrupt``. Do not call it from inside a running event loop: it
would block the loop (use the asyncio API there).

    import jetbridge.sync as jb

    with jb.connect("nats://127.0.0.1:4222") as client:
        client.create_stream(name="ORDERS", subjects=["orders.*"])
        print(client.publish("orders.created", b"{}").sequence)
        consumer = client.create_consumer("ORDERS", durable_name="proc")
        for msg in consumer.fetch(10, max_wait=1):
            msg.ack()
"""

from __future__ import annotations

from typing import Any, Iterator, List, Optional, Sequence, Tuple, Union

from . import _native
from ._native import PubAck
from ._native import SyncMessage as Message
from .client import ConnectionState, Counters, _connect_options, _stream_config
from .consumer import ConsumerConfig, ConsumerInfo, StartLike, _consumer_config
from .dapr import SubscriptionOptions
from .errors import ClosedError, JetBridgeError
from .message_stream import _TAKE, _WAIT_SLICE, HealthEvent, MessagesOptions, _messages_options
from .options import ConnectOptions, Seconds
from .publish import _REFILL_DIVISOR, Expect, FlushReport, Headers, MessageLike, Payload
from .stream import StoredMessage, StreamConfig, StreamInfo

__all__ = ["connect", "Client", "Publisher", "Consumer", "MessageStream", "Message"]


class Publisher:
    """Blocking form of ``jetbridge.Publisher``."""

    __slots__ = ("_n", "_refill")

    def __init__(self, native: _native.Publisher) -> None:
        self._n = native
        self._refill = max(1, native.window()[0] // _REFILL_DIVISOR)

    def publish(
        self,
        subject: str,
        payload: Payload,
        *,
        msg_id: Optional[str] = None,
        headers: Optional[Headers] = None,
        expect: Optional[Expect] = None,
    ) -> int:
        """Queues a message and returns its ticket; blocks only while the
        window is full."""
        ticket = self._n.try_publish(subject, payload, msg_id, headers, expect)
        if ticket is None:
            ticket = self._n.publish(subject, payload, msg_id, headers, expect, self._refill).wait()
        return ticket

    def publish_many(self, messages: Sequence[MessageLike]) -> List[int]:
        """Queues a batch in order; returns the tickets."""
        return self._n.publish_many(messages).wait()

    def flush(self) -> FlushReport:
        """Blocks until every queued message is settled."""
        return FlushReport._from_native(self._n.flush().wait())

    def close(self) -> FlushReport:
        """Flushes, then refuses further publishes."""
        return FlushReport._from_native(self._n.close().wait())

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


class MessageStream:
    """Blocking form of ``jetbridge.MessageStream``: iterate with ``for``; a
    ``with`` block stops it on exit."""

    def __init__(self, native: _native.MessageStream) -> None:
        self._n = native
        self._buf: List[Message] = []
        self._pos = 0
        self._stopped = False

    def __enter__(self) -> "MessageStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> "MessageStream":
        return self

    def __next__(self) -> Message:
        if self._pos < len(self._buf):
            m = self._buf[self._pos]
            self._pos += 1
            return m
        while True:
            batch: List[Message] = self._n.take(_TAKE, True)
            if batch:
                self._buf = batch
                self._pos = 1
                return batch[0]
            try:
                self._n.fill(_TAKE, _WAIT_SLICE).wait()
            except ClosedError:
                if self._stopped:
                    raise StopIteration from None
                raise

    def next(self) -> Message:
        """The next message, blocking as long as it takes."""
        try:
            return self.__next__()
        except StopIteration:
            raise _native._closed_error("message stream") from None

    def next_batch(self, max_messages: int, max_wait: Seconds) -> List[Message]:
        """Up to ``max_messages``, waiting up to ``max_wait`` for the first."""
        out = self._buf[self._pos : self._pos + max_messages]
        self._pos += len(out)
        if out:
            return out
        batch = self._n.take(max_messages, True)
        if not batch:
            self._n.fill(max_messages, max_wait).wait()
            batch = self._n.take(max_messages, True)
        return batch

    @property
    def health(self) -> str:
        """``active``, ``reconnecting``, ``stalled``, ``recovering`` or ``stopped``."""
        return self._n.health

    def take_events(self) -> List[HealthEvent]:
        """Health transitions since the last call."""
        return [HealthEvent(*e) for e in self._n.take_events()]

    def wait_health_change(self, current: str, max_wait: Seconds) -> str:
        """Blocks until the health differs from ``current`` (up to ``max_wait``)."""
        return self._n.wait_health_change(current, max_wait).wait()

    def close(self) -> None:
        """Stops the stream; unacked messages are redelivered after ack wait."""
        self._stopped = True
        self._n.stop()


class Consumer:
    """Blocking form of ``jetbridge.Consumer``."""

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

    def info(self) -> ConsumerInfo:
        """Current configuration and progress."""
        return ConsumerInfo._from_native(self._n.info().wait())

    def fetch(
        self,
        max_messages: Optional[int] = None,
        max_wait: Optional[Seconds] = None,
        *,
        max_bytes: Optional[int] = None,
        no_wait: Optional[bool] = None,
        heartbeat: Optional[Seconds] = None,
    ) -> List[Message]:
        """Fetches up to ``max_messages`` (default 1), blocking up to
        ``max_wait`` (default 5 s). Zero messages is not an error. After a
        Ctrl-C, what the interrupted fetch still receives is returned by the
        next ``fetch`` on this handle."""
        self._n.fetch(max_messages, max_wait, max_bytes, no_wait, heartbeat).wait()
        return self._n.take(max_messages, True)

    def messages(self, options: Optional[MessagesOptions] = None, **fields: Any) -> MessageStream:
        """A continuous stream of this consumer's messages (started now)."""
        opts = _messages_options(options, fields)
        return MessageStream(self._n.messages(opts).wait())

    def delete(self) -> None:
        """Deletes this consumer on the server."""
        self._n.delete().wait()

    def __repr__(self) -> str:
        return f"Consumer(stream={self.stream!r}, name={self.name!r})"


class Client:
    """Blocking form of ``jetbridge.Client``; a ``with`` block closes it."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.Client) -> None:
        self._n = native

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self._n)

    def close(self) -> None:
        """Flushes queued acks and closes."""
        self._n.close().wait()

    def drain(self) -> None:
        """Like ``close``, after subscriptions deliver what they received."""
        self._n.drain().wait()

    @property
    def is_closed(self) -> bool:
        """True once ``close`` or ``drain`` was called."""
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

    def publish(
        self,
        subject: str,
        payload: Payload,
        *,
        msg_id: Optional[str] = None,
        headers: Optional[Headers] = None,
        expect: Optional[Expect] = None,
    ) -> PubAck:
        """Publishes one message and blocks until its ack."""
        return self._n.publish(subject, payload, msg_id, headers, expect).wait()

    def publish_many(self, messages: Sequence[MessageLike]) -> List[Union[PubAck, JetBridgeError]]:
        """Publishes a batch pipelined; one ``PubAck`` or exception per message."""
        return self._n.publish_many(messages).wait()

    def publisher(
        self, max_in_flight: Optional[int] = None, max_in_flight_bytes: Optional[int] = None
    ) -> Publisher:
        """A pipelined publisher with its own window."""
        return Publisher(self._n.publisher(max_in_flight, max_in_flight_bytes))

    def create_stream(self, config: Optional[StreamConfig] = None, **fields: Any) -> StreamInfo:
        """Creates a stream."""
        return StreamInfo._from_native(self._n.create_stream(_stream_config(config, fields)).wait())

    def update_stream(self, config: Optional[StreamConfig] = None, **fields: Any) -> StreamInfo:
        """Replaces a stream's configuration."""
        return StreamInfo._from_native(self._n.update_stream(_stream_config(config, fields)).wait())

    def stream_info(self, name: str) -> StreamInfo:
        """A stream's configuration and state."""
        return StreamInfo._from_native(self._n.stream_info(name).wait())

    def delete_stream(self, name: str) -> None:
        """Deletes a stream."""
        self._n.delete_stream(name).wait()

    def purge_stream(
        self,
        name: str,
        *,
        subject: Optional[str] = None,
        up_to_sequence: Optional[int] = None,
        keep: Optional[int] = None,
    ) -> int:
        """Removes messages; returns how many."""
        return self._n.purge_stream(name, subject, up_to_sequence, keep).wait()

    def get_message(self, stream: str, sequence: int) -> StoredMessage:
        """Reads one stored message by sequence."""
        return StoredMessage._from_native(self._n.get_message(stream, sequence).wait())

    def get_last_message(self, stream: str, subject: str) -> StoredMessage:
        """Reads the newest stored message on a subject."""
        return StoredMessage._from_native(self._n.get_last_message(stream, subject).wait())

    def stream_by_subject(self, subject: str) -> str:
        """The name of the stream that captures ``subject``."""
        return self._n.stream_by_subject(subject).wait()

    def create_consumer(self, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any) -> Consumer:
        """Creates a consumer."""
        return Consumer(self._n.create_consumer(stream, _consumer_config(config, fields)).wait())

    def update_consumer(self, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any) -> Consumer:
        """Changes an existing durable consumer."""
        return Consumer(self._n.update_consumer(stream, _consumer_config(config, fields)).wait())

    def get_or_create_consumer(self, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any) -> Consumer:
        """Creates the consumer or binds to an identical one."""
        return Consumer(self._n.get_or_create_consumer(stream, _consumer_config(config, fields)).wait())

    def bind_consumer(self, stream: str, name: str, expected: Optional[ConsumerConfig] = None) -> Consumer:
        """Binds to an existing consumer, checking ``expected`` if given."""
        return Consumer(self._n.bind_consumer(stream, name, expected).wait())

    def consumer_info(self, stream: str, name: str) -> ConsumerInfo:
        """A consumer's configuration and progress."""
        return ConsumerInfo._from_native(self._n.consumer_info(stream, name).wait())

    def delete_consumer(self, stream: str, name: str) -> None:
        """Deletes a consumer."""
        self._n.delete_consumer(stream, name).wait()

    def replay(
        self,
        stream: str,
        start: Optional[StartLike] = None,
        *,
        filter_subjects: Optional[Sequence[str]] = None,
        speed: Optional[str] = None,
        options: Optional[MessagesOptions] = None,
    ) -> MessageStream:
        """An ordered replay of ``stream`` from ``start`` (started now)."""
        subjects = list(filter_subjects) if filter_subjects is not None else None
        opts = _messages_options(options, {})
        return MessageStream(self._n.replay(stream, start, subjects, speed, opts).wait())

    def push_subscribe(self, stream: str, config: Optional[ConsumerConfig] = None, **fields: Any) -> MessageStream:
        """Creates (or joins) a push consumer and receives its messages."""
        return MessageStream(self._n.push_subscribe(stream, _consumer_config(config, fields)).wait())

    def subscribe(self, topic: str, options: Optional[SubscriptionOptions] = None) -> MessageStream:
        """Subscribes to ``topic`` as the Dapr component does."""
        opts = options if options is not None else SubscriptionOptions()
        return MessageStream(self._n.subscribe(topic, opts).wait())


def connect(
    servers: Union[str, Sequence[str], None] = None, *, options: Optional[ConnectOptions] = None, **fields: Any
) -> Client:
    """Connects (blocking); see ``jetbridge.connect`` for the options."""
    return Client(_native.connect(_connect_options(servers, options, fields)).wait())
