//! JetBridge: one Rust core for NATS JetStream.
//!
//! Publish with guaranteed message ids and safe retries, pipelined publishing
//! with bounded windows, durable pull and push consumers with heartbeats and
//! self-recovery, acks with confirmed double-ack, and ordered replay from any
//! start position — with one error taxonomy shared by every language binding.
//! Every async function runs its I/O on the core's own runtime and can be
//! awaited from any executor.
#![warn(missing_docs)]

mod ack_queue;
mod ack_router;
mod api;
mod auth_fields;
mod batch_publish;
mod cancel;
mod catch_up;
mod client;
mod config_overlay;
mod consumer;
mod consumer_config;
mod consumer_pause;
mod core_nats;
mod counters;
mod dapr;
mod dapr_state;
mod delivery;
mod drain;
mod error;
mod error_map;
mod events;
pub mod fault;
mod fetch;
/// Entry points for the fuzz targets (`core/fuzz`), built only with the
/// `fuzzing` feature (and for the property tests); releases do not have them.
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzz;
mod kv;
pub mod log;
mod message;
mod message_get;
pub mod names;
mod object;
mod options;
#[cfg(feature = "otel")]
pub mod otel;
mod priority_pull;
mod publish;
mod publisher;
mod pull_stream;
mod push;
pub mod record;
pub mod record_json;
pub mod runtime;
mod server_version;
mod start;
mod stream;
mod stream_admin;
mod stream_handle;
mod stream_nested;
mod trace;
mod tracker;
pub mod validate;
mod window_cache;

pub use auth_fields::AuthFields;
pub use batch_publish::{BatchAck, MAX_BATCH_MESSAGES};
pub use cancel::CancelToken;
pub use client::{Client, ConnectionState};
pub use consumer::Consumer;
pub use consumer_config::{AckPolicy, ConsumerConfig, ConsumerInfo, PriorityPolicy, SequencePair};
pub use consumer_pause::ConsumerPauseState;
pub use core_nats::{CoreMessage, CoreSubscription};
pub use counters::CountersSnapshot;
pub use dapr::{
    ConcurrencyMode, DEFAULT_NAME as DAPR_DEFAULT_NAME, DaprConfig, KEYS as DAPR_KEYS,
    SubscriptionOptions, parse_go_duration,
};
pub use dapr_state::{
    DEFAULT_STATE_NAME as DAPR_DEFAULT_STATE_NAME, DaprStateConfig, STATE_KEYS as DAPR_STATE_KEYS,
    dapr_state_key,
};
pub use drain::DEFAULT_DRAIN_TIMEOUT;
pub use error::{Error, ErrorKind, Result};
pub use events::ConnectionEvent;
pub use fetch::FetchOptions;
pub use kv::{
    KeyValue, KvConfig, KvEntry, KvKeys, KvOperation, KvStatus, KvWatchEvent, KvWatchOptions,
    KvWatcher, WATCH_ALL,
};
pub use log::{LogLevel, LogRecord, clear_log_sink, set_log_sink};
pub use message::Message;
pub use message_get::{GetMessagesOptions, StoredMessage};
pub use names::Named;
pub use object::{
    DEFAULT_CHUNK_SIZE, ObjectAsyncRead, ObjectAsyncWrite, ObjectInfo, ObjectLink, ObjectMeta,
    ObjectReader, ObjectStore, ObjectStoreConfig, ObjectStoreStatus, ObjectWatchEvent,
    ObjectWatchOptions, ObjectWatcher, ObjectWriter,
};
pub use options::{Auth, ConnectOptions, Secret, TlsOptions, redact_url};
pub use priority_pull::{MAX_PRIORITY, PIN_ID_HEADER};
pub use publish::{Expectations, MSG_ID_HEADER, PubAck, PublishMessage, TTL_HEADER, new_msg_id};
pub use publisher::{
    FlushReport, PendingAck, PublishFailure, Publisher, PublisherOptions, TryPublish,
};
pub use pull_stream::{MessagesOptions, ReplayOptions};
pub use runtime::RuntimeOptions;
pub use start::{ReplaySpeed, StartPosition};
pub use stream::{
    ClusterInfo, Compression, DiscardPolicy, PurgeOptions, RetentionPolicy, StorageType,
    StreamConfig, StreamInfo, StreamState,
};
pub use stream_admin::AccountInfo;
pub use stream_handle::{Health, HealthEvent, HealthMonitor, MessageStream};
pub use stream_nested::{
    ConsumerLimits, ExternalStream, Placement, Republish, StreamSource, SubjectTransform,
};
pub use trace::{SpanSpec, TRACEPARENT_HEADER, TRACESTATE_HEADER, TraceContext};
pub use window_cache::DEFAULT_DUPLICATE_WINDOW;
