//! The pipelined publisher: many publishes in flight in a bounded window.
//!
//! `tryPublish` is the synchronous fast path: it queues the message and
//! returns its ticket, or returns `null` when the window is full — no Promise
//! is created. Only when the window is full does JavaScript await
//! `publish` (which waits for room). Acks are tracked by the core; `flush`
//! reports what happened to every message since the previous flush.

use jetbridge::{FlushReport, PublisherOptions, TryPublish};
use napi::Env;
use napi::bindgen_prelude::{Either, PromiseRaw, Uint8ArraySlice, Uint32ArraySlice};

use crate::client::NativeClient;
use crate::convert::{num, size};
use crate::error;
use crate::publish::{NativePublishOptions, message, payload_bytes, unpack};
use crate::runtime::{guard, promise};

/// Window sizes; absent fields keep the core defaults (1024 messages, 32 MiB).
#[napi_derive::napi(object)]
pub struct NativePublisherOptions {
    /// Most messages awaiting their ack.
    pub max_in_flight: Option<f64>,
    /// Most bytes awaiting their ack.
    pub max_in_flight_bytes: Option<f64>,
}

/// One publish that did not end in an ack.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativePublishFailure {
    /// The ticket `publish` returned.
    pub ticket: f64,
    /// Its message id.
    pub msg_id: String,
    /// Its subject.
    pub subject: String,
    /// Why (a `JetBridgeError`; `PUBLISH_OUTCOME_UNKNOWN` = may be stored).
    pub error: napi::Error,
}

/// What happened since the previous flush.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeFlushReport {
    /// Messages acked (duplicates included).
    pub acked: f64,
    /// Of those, duplicates.
    pub duplicates: f64,
    /// Every failure, in ticket order.
    pub failures: Vec<NativePublishFailure>,
}

/// Messages and bytes awaiting their ack.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeInFlight {
    /// Messages.
    pub messages: f64,
    /// Bytes.
    pub bytes: f64,
}

fn report(env: &Env, r: FlushReport) -> NativeFlushReport {
    NativeFlushReport {
        acked: num(r.acked),
        duplicates: num(r.duplicates),
        failures: r
            .failures
            .into_iter()
            .map(|f| NativePublishFailure {
                ticket: num(f.ticket),
                msg_id: f.msg_id,
                subject: f.subject,
                error: error::to_js(env, &f.error),
            })
            .collect(),
    }
}

/// A pipelined publisher (a core `Publisher`; clones share the window).
#[napi_derive::napi]
pub struct NativePublisher {
    inner: jetbridge::Publisher,
}

#[napi_derive::napi]
impl NativeClient {
    /// A pipelined publisher with its own window.
    #[napi]
    pub fn publisher(
        &self,
        env: &Env,
        options: Option<NativePublisherOptions>,
    ) -> napi::Result<NativePublisher> {
        guard(env, || {
            let mut o = PublisherOptions::default();
            if let Some(js) = options {
                if let Some(n) = js.max_in_flight {
                    o.max_in_flight = size("maxInFlight", n)?;
                }
                if let Some(n) = js.max_in_flight_bytes {
                    o.max_in_flight_bytes = size("maxInFlightBytes", n)?;
                }
            }
            self.inner.publisher(o)
        })
        .map(|inner| NativePublisher { inner })
    }
}

#[napi_derive::napi]
impl NativePublisher {
    /// Queues a message if the window has room and returns its ticket;
    /// returns `null` (queuing nothing) when the window is full.
    #[napi]
    pub fn try_publish(
        &self,
        env: &Env,
        subject: String,
        data: Either<String, Uint8ArraySlice<'_>>,
        options: Option<NativePublishOptions>,
    ) -> napi::Result<Option<f64>> {
        guard(env, || {
            let msg = message(subject, payload_bytes(&data), options)?;
            Ok(match self.inner.try_publish(msg)? {
                TryPublish::Queued(ticket) => Some(num(ticket)),
                _ => None,
            })
        })
    }

    /// Queues a message, waiting while the window is full; resolves with its
    /// ticket.
    #[napi]
    pub fn publish<'env>(
        &self,
        env: &'env Env,
        subject: String,
        data: Either<String, Uint8ArraySlice<'_>>,
        options: Option<NativePublishOptions>,
    ) -> napi::Result<PromiseRaw<'env, f64>> {
        let msg = guard(env, || message(subject, payload_bytes(&data), options))?;
        let publisher = self.inner.clone();
        promise(
            env,
            async move { publisher.publish(msg).await },
            |_, ticket| Ok(num(ticket)),
        )
    }

    /// Queues a packed batch in order (see `publish.rs`), waiting for room as
    /// needed; resolves with the tickets. If one message is invalid, nothing
    /// is queued and the error names its index.
    #[napi]
    pub fn publish_many<'env>(
        &self,
        env: &'env Env,
        subjects: Vec<String>,
        payloads: Uint8ArraySlice<'_>,
        lengths: Uint32ArraySlice<'_>,
        options: Option<Vec<Option<NativePublishOptions>>>,
    ) -> napi::Result<PromiseRaw<'env, Vec<f64>>> {
        let messages = guard(env, || unpack(subjects, &payloads, &lengths, options))?;
        let publisher = self.inner.clone();
        promise(
            env,
            async move { publisher.publish_many(messages).await },
            |_, tickets| Ok(tickets.into_iter().map(num).collect()),
        )
    }

    /// Waits until every queued message is settled; resolves with what
    /// happened since the previous flush.
    #[napi]
    pub fn flush<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, NativeFlushReport>> {
        let publisher = self.inner.clone();
        promise(env, async move { publisher.flush().await }, |env, r| {
            Ok(report(env, r))
        })
    }

    /// Flushes, then refuses further publishes with `CLOSED`.
    #[napi]
    pub fn close<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, NativeFlushReport>> {
        let publisher = self.inner.clone();
        promise(env, async move { publisher.close().await }, |env, r| {
            Ok(report(env, r))
        })
    }

    /// Messages and bytes awaiting their ack right now.
    #[napi]
    pub fn in_flight(&self) -> NativeInFlight {
        let (messages, bytes) = self.inner.in_flight();
        NativeInFlight {
            messages: num(messages as u64),
            bytes: num(bytes as u64),
        }
    }

    /// The most messages ever in flight at once.
    #[napi]
    pub fn peak_in_flight(&self) -> f64 {
        num(self.inner.peak_in_flight() as u64)
    }

    /// The window sizes in use.
    #[napi]
    pub fn options(&self) -> NativePublisherOptions {
        let o = self.inner.options();
        NativePublisherOptions {
            max_in_flight: Some(num(o.max_in_flight as u64)),
            max_in_flight_bytes: Some(num(o.max_in_flight_bytes as u64)),
        }
    }
}
