"""JetBridge: NATS JetStream for Python, on one Rust core.

Publish with guaranteed msg ids and safe retries, pipelined publishing,
durable pull and push consumers with heartbeats and self-recovery, acks with
confirmed double-ack, ordered replay from any start position, key-value
buckets and object stores, and core
NATS (publish, subscribe, request-reply) on the same connection — with the
same defaults, errors and guarantees as every other JetBridge language.

    import jetbridge

    async with jetbridge.connect("nats://127.0.0.1:4222") as client:
        await client.create_stream(name="ORDERS", subjects=["orders.*"])
        ack = await client.publish("orders.created", b'{"id": 1}', msg_id="order-1")
        consumer = await client.create_consumer("ORDERS", durable_name="proc")
        async for msg in consumer.messages():
            msg.ack()

Log records go to the ``jetbridge`` logger (see ``refresh_log_level``);
traces and metrics through OpenTelemetry with ``jetbridge.otel`` (optional:
it needs ``opentelemetry-api``, which ``import jetbridge`` never imports).
The blocking facade is ``jetbridge.sync``. Every error is a
``jetbridge.JetBridgeError`` subclass (see ``jetbridge.errors``).
"""

from ._native import BatchAck, Message, MessageBase, MessageHeaders, PubAck, Queued, SyncMessage, configure_runtime
from ._native import CORE_VERSION as _CORE_VERSION
from ._log import refresh_log_level
from .client import DEFAULT_DRAIN_TIMEOUT, Client, Connecting, ConnectionState, Counters, connect
from .core_nats import CONNECTION_EVENT_KINDS, ConnectionEvent, ConnectionEvents, CoreMessage, CoreSubscription
from .consumer import ConsumerConfig, ConsumerInfo, ConsumerPauseState, Consumer, FetchOptions, SequencePair, StartPosition
from .dapr import DaprConfig, SubscriptionOptions
from .dapr_state import DaprStateConfig, dapr_state_key
from .errors import *  # noqa: F403 (the error classes, listed in errors.__all__)
from .errors import __all__ as _error_names
from .kv import WATCH_ALL, KeyValue, KvConfig, KvEntry, KvKeys, KvStatus, KvWatcher, KvWatchOptions
from .message_stream import HealthEvent, MessagesOptions, MessageStream
from .object_store import (
    ObjectData,
    ObjectInfo,
    ObjectLink,
    ObjectMeta,
    ObjectReader,
    ObjectStore,
    ObjectStoreConfig,
    ObjectStoreStatus,
    ObjectWatcher,
    ObjectWatchOptions,
)
from .options import ConnectOptions, Seconds
from .publish import Expect, FlushReport, Headers, Payload, PublishFailure, PublishMessage, Publisher, PublisherOptions, TrackedPublish
from .stream import (
    AccountInfo,
    ExternalStream,
    GetMessagesOptions,
    Placement,
    PurgeOptions,
    Republish,
    StoredMessage,
    StreamConfig,
    StreamInfo,
    StreamSource,
    StreamState,
    SubjectTransform,
)

#: JetBridge's version (every artifact carries the same one), from the core.
__version__: str = _CORE_VERSION

__all__ = [
    "connect",
    "configure_runtime",
    "refresh_log_level",
    "Client",
    "DEFAULT_DRAIN_TIMEOUT",
    "Connecting",
    "ConnectOptions",
    "ConnectionState",
    "Counters",
    "Seconds",
    "Payload",
    "Headers",
    "Expect",
    "PublishMessage",
    "PubAck",
    "BatchAck",
    "Publisher",
    "PublisherOptions",
    "TrackedPublish",
    "FlushReport",
    "PublishFailure",
    "StreamConfig",
    "StreamInfo",
    "StreamState",
    "StoredMessage",
    "GetMessagesOptions",
    "PurgeOptions",
    "AccountInfo",
    "Placement",
    "Republish",
    "StartPosition",
    "ConsumerConfig",
    "ConsumerInfo",
    "ConsumerPauseState",
    "SequencePair",
    "Consumer",
    "FetchOptions",
    "MessagesOptions",
    "MessageStream",
    "HealthEvent",
    "Message",
    "MessageBase",
    "SyncMessage",
    "MessageHeaders",
    "Queued",
    "CoreMessage",
    "CoreSubscription",
    "ConnectionEvent",
    "ConnectionEvents",
    "CONNECTION_EVENT_KINDS",
    "DaprConfig",
    "DaprStateConfig",
    "dapr_state_key",
    "SubscriptionOptions",
    "StreamSource",
    "SubjectTransform",
    "ExternalStream",
    "KvConfig",
    "KvStatus",
    "WATCH_ALL",
    "KvWatchOptions",
    "KvEntry",
    "KeyValue",
    "KvWatcher",
    "KvKeys",
    "ObjectStoreConfig",
    "ObjectStoreStatus",
    "ObjectInfo",
    "ObjectStore",
    "ObjectReader",
    "ObjectWatcher",
    "ObjectWatchOptions",
    "ObjectLink",
    "ObjectMeta",
    "ObjectData",
    *_error_names,
]
