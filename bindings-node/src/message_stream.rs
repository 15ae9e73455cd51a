//! Continuous consumers: a durable's `messages()`, ordered `replay`, push
//! subscriptions and Dapr-style `subscribe` all hand JavaScript a
//! `NativeMessageStream`, which `lib/message_stream.js` turns into an async
//! iterator.
//!
//! JavaScript pulls a batch at a time (`nextBatch`, one crossing per batch)
//! and yields from its own buffer. `stop()` ends the core stream: a pending
//! `nextBatch` resolves with `CLOSED` and takes no message, the background
//! pull loop ends and its inbox subscription goes away. Messages that were
//! delivered but never acked are redelivered by the server after their ack
//! wait; acks already made are queued in the core and still sent.

use std::sync::Arc;

use jetbridge::{
    ConsumerConfig, Error, Health, HealthMonitor, MessageStream, MessagesOptions, Named,
    ReplayOptions, Result,
};
use napi::Env;
use napi::bindgen_prelude::{BigInt, Object, PromiseRaw};
use tokio::sync::{Mutex, watch};

use crate::client::NativeClient;
use crate::consumer::NativeConsumer;
use crate::convert::{NativeStartPosition, big, millis, named, record};
use crate::dapr::NativeDaprConfig;
use crate::message::NativeBatch;
use crate::runtime::{guard, promise};

/// What an ordered replay reads and how.
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativeReplayOptions {
    /// Where to start.
    pub start: Option<NativeStartPosition>,
    /// Only these subjects.
    pub filter_subjects: Option<Vec<String>>,
    /// `instant` or `original`.
    pub speed: Option<String>,
}

/// One health transition.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeHealthEvent {
    /// The state entered.
    pub health: &'static str,
    /// Why.
    pub reason: String,
    /// When, Unix nanoseconds.
    pub at_nanos: BigInt,
}

fn replay_options(
    o: Option<NativeReplayOptions>,
    messages: MessagesOptions,
) -> Result<ReplayOptions> {
    let mut r = ReplayOptions {
        messages,
        ..ReplayOptions::default()
    };
    if let Some(o) = o {
        if let Some(start) = o.start {
            r.start = start.to_core()?;
        }
        r.filter_subjects = o.filter_subjects.unwrap_or_default();
        r.speed = named(o.speed.as_deref())?;
    }
    Ok(r)
}

/// The shared state behind a stream handle. `stream` is locked by the one
/// `nextBatch` in progress; `stopped` wakes it up when JavaScript stops.
struct Slot {
    stream: Mutex<Option<MessageStream>>,
    stopped: watch::Sender<bool>,
}

/// A continuous stream of messages (a core `MessageStream`).
#[napi_derive::napi]
pub struct NativeMessageStream {
    slot: Arc<Slot>,
    monitor: HealthMonitor,
}

impl NativeMessageStream {
    fn new(stream: MessageStream) -> NativeMessageStream {
        NativeMessageStream {
            monitor: stream.health_monitor(),
            slot: Arc::new(Slot {
                stream: Mutex::new(Some(stream)),
                stopped: watch::Sender::new(false),
            }),
        }
    }
}

fn closed() -> Error {
    Error::closed("message stream")
}

/// The core's default number of messages per pull
/// (`MessagesOptions::default().batch`): the batch `lib/message_stream.js`
/// asks for when the stream's options leave it out.
#[napi_derive::napi(js_name = "defaultBatch")]
pub fn default_batch() -> u32 {
    u32::try_from(MessagesOptions::default().batch).unwrap_or(u32::MAX)
}

/// Throws the core's `CLOSED` error of a message stream: what
/// `lib/message_stream.js` rejects with once a stopped stream is drained.
#[napi_derive::napi(js_name = "messageStreamClosed")]
pub fn message_stream_closed(env: &Env) -> napi::Result<()> {
    guard(env, || Err(closed()))
}

#[napi_derive::napi]
impl NativeMessageStream {
    /// Up to `max` messages: waits up to `maxWaitMs` for the first, then takes
    /// what is already there. Resolves with an empty batch on timeout;
    /// rejects once with a terminal error (e.g. the stream was deleted), and
    /// with `CLOSED` once the client is closed. Once stopped it hands out what
    /// the stream had already buffered, without waiting, then rejects with
    /// `CLOSED` (the core's `next_batch` after `stop`).
    #[napi]
    pub fn next_batch<'env>(
        &self,
        env: &'env Env,
        max: u32,
        max_wait_ms: f64,
    ) -> napi::Result<PromiseRaw<'env, NativeBatch>> {
        let wait = guard(env, || millis("maxWaitMs", max_wait_ms))?;
        let slot = self.slot.clone();
        promise(
            env,
            async move {
                let mut stopped = slot.stopped.subscribe();
                let mut guard = slot.stream.lock().await;
                let Some(stream) = guard.as_mut() else {
                    return Err(closed());
                };
                if *stopped.borrow() {
                    // The core hands out what it buffered, then CLOSED at once.
                    stream.stop();
                    return stream.next_batch(max as usize, wait).await;
                }
                tokio::select! {
                    biased;
                    _ = stopped.wait_for(|s| *s) => Err(closed()),
                    batch = stream.next_batch(max as usize, wait) => batch,
                }
            },
            |_, messages| Ok(NativeBatch::new(messages)),
        )
    }

    /// Stops the stream: a pending `nextBatch` rejects with `CLOSED`, the
    /// background task ends (and reports `stopped`), its subscription goes
    /// away; what it had buffered stays readable through `nextBatch`.
    /// Idempotent. The core stream itself is dropped with this handle.
    #[napi]
    pub fn stop(&self) {
        if self.slot.stopped.send_replace(true) {
            return;
        }
        let slot = self.slot.clone();
        let stop = async move {
            if let Some(stream) = slot.stream.lock().await.as_mut() {
                stream.stop();
            }
        };
        // Without a runtime (forked process) the stream is dropped with the
        // handle instead, which stops it as well.
        let _ = jetbridge::runtime::spawn(stop);
    }

    /// The current health: `active`, `reconnecting`, `stalled`, `recovering`
    /// or `stopped`.
    #[napi(getter)]
    pub fn health(&self) -> &'static str {
        self.monitor.health().name()
    }

    /// Resolves with the health once it differs from `current`, or after
    /// `maxWaitMs` with the health at that time.
    #[napi]
    pub fn wait_health_change<'env>(
        &self,
        env: &'env Env,
        current: String,
        max_wait_ms: f64,
    ) -> napi::Result<PromiseRaw<'env, &'static str>> {
        let (current, wait) = guard(env, || {
            Ok((Health::parse(&current)?, millis("maxWaitMs", max_wait_ms)?))
        })?;
        let mut monitor = self.monitor.clone();
        promise(
            env,
            async move { Ok(monitor.wait_health_change(current, wait).await) },
            |_, h| Ok(h.name()),
        )
    }

    /// The health transitions recorded since the last call.
    #[napi]
    pub fn take_events(&self) -> Vec<NativeHealthEvent> {
        self.monitor
            .take_events()
            .into_iter()
            .map(|e| NativeHealthEvent {
                health: e.health.name(),
                reason: e.reason,
                at_nanos: big(e.at),
            })
            .collect()
    }
}

fn wrap(stream: MessageStream) -> napi::Result<NativeMessageStream> {
    Ok(NativeMessageStream::new(stream))
}

#[napi_derive::napi]
impl NativeConsumer {
    /// A continuous stream of this consumer's messages, with heartbeats and
    /// automatic recovery.
    #[napi]
    pub fn messages<'env>(
        &self,
        env: &'env Env,
        options: Option<Object<'_>>,
    ) -> napi::Result<PromiseRaw<'env, NativeMessageStream>> {
        let options = record(env, options, "options")?;
        let consumer = self.inner.clone();
        promise(
            env,
            async move { consumer.messages(options).await },
            |_, s| wrap(s),
        )
    }
}

#[napi_derive::napi]
impl NativeClient {
    /// An ordered replay of a stream from a start position; its messages take
    /// no acks. `messages` is the options' pull tuning (a `MessagesOptions`).
    #[napi]
    pub fn replay<'env>(
        &self,
        env: &'env Env,
        stream: String,
        options: Option<NativeReplayOptions>,
        messages: Option<Object<'_>>,
    ) -> napi::Result<PromiseRaw<'env, NativeMessageStream>> {
        let messages = record(env, messages, "options.messages")?;
        let options = guard(env, || replay_options(options, messages))?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.replay(&stream, options).await },
            |_, s| wrap(s),
        )
    }

    /// Creates (or joins) a push consumer and starts receiving.
    #[napi]
    pub fn push_subscribe<'env>(
        &self,
        env: &'env Env,
        stream: String,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeMessageStream>> {
        let config: ConsumerConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.push_subscribe(&stream, config).await },
            |_, s| wrap(s),
        )
    }

    /// Subscribes to a topic the way the Dapr component does, with the
    /// subscription half of a Dapr configuration.
    #[napi]
    pub fn subscribe<'env>(
        &self,
        env: &'env Env,
        topic: String,
        config: &NativeDaprConfig,
    ) -> napi::Result<PromiseRaw<'env, NativeMessageStream>> {
        let options = config.inner.subscription.clone();
        let client = self.inner.clone();
        promise(
            env,
            async move { client.subscribe(&topic, &options).await },
            |_, s| wrap(s),
        )
    }
}
