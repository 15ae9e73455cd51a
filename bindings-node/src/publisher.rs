//! The pipelined publisher: many publishes in flight in a bounded window.
//!
//! A publisher is a handle (see `handle.rs`) passed to free functions, so
//! the per-message `tryPublish` is as cheap a call as napi allows.
//!
//! `tryPublish` is the synchronous fast path: it queues the message and
//! returns its ticket, or returns `null` when the window is full — no Promise
//! is created. Only when the window is full does JavaScript await, and then
//! for a quarter of the window at once (`waitForRoom`), so a steady stream of
//! publishes creates one Promise per many messages. Acks are tracked by the core; `flush`
//! reports what happened to every message since the previous flush.

use jetbridge::{FlushReport, TryPublish};
use napi::Env;
use napi::bindgen_prelude::{
    Either, Object, PromiseRaw, Uint8ArraySlice, Uint32ArraySlice, Unknown,
};

use crate::client::NativeClient;
use crate::convert::{num, record, record_to_js};
use crate::error;
use crate::handle::{self, Handle, NewHandle};
use crate::publish::{NativePublishOptions, message, payload_bytes, unpack};
use crate::runtime::{guard, promise};

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
pub struct Publisher {
    pub(crate) inner: jetbridge::Publisher,
}

impl Handle for Publisher {
    const TAG: napi::sys::napi_type_tag = napi::sys::napi_type_tag {
        lower: 0x6a62_6e6f_6465_0002,
        upper: 0x41f0_2c9b_77de_5e02,
    };
    const WHAT: &'static str = "publisher";
}

#[napi_derive::napi]
impl NativeClient {
    /// A pipelined publisher with its own window.
    #[napi(ts_return_type = "unknown")]
    pub fn publisher(
        &self,
        env: &Env,
        options: Option<Object<'_>>,
    ) -> napi::Result<NewHandle<Publisher>> {
        let options = record(env, options, "options")?;
        guard(env, || self.inner.publisher(options)).map(|inner| NewHandle(Publisher { inner }))
    }
}

/// Queues a message if the window has room and returns its ticket; returns
/// `null` (queuing nothing) when the window is full.
#[napi_derive::napi(js_name = "publisherTryPublish")]
pub fn publisher_try_publish(
    env: &Env,
    publisher: Unknown<'_>,
    subject: String,
    data: Either<String, Uint8ArraySlice<'_>>,
    options: Option<NativePublishOptions>,
) -> napi::Result<Option<f64>> {
    let p = handle::get::<Publisher>(env, &publisher)?;
    guard(env, || {
        let msg = message(subject, payload_bytes(&data), options)?;
        Ok(match p.inner.try_publish(msg)? {
            TryPublish::Queued(ticket) => Some(num(ticket)),
            _ => None,
        })
    })
}

/// Queues a message, waiting while the window is full; resolves with its
/// ticket.
#[napi_derive::napi(js_name = "publisherPublish")]
pub fn publisher_publish<'env>(
    env: &'env Env,
    publisher: Unknown<'_>,
    subject: String,
    data: Either<String, Uint8ArraySlice<'_>>,
    options: Option<NativePublishOptions>,
) -> napi::Result<PromiseRaw<'env, f64>> {
    let p = handle::get::<Publisher>(env, &publisher)?.inner.clone();
    let msg = guard(env, || message(subject, payload_bytes(&data), options))?;
    promise(env, async move { p.publish(msg).await }, |_, ticket| {
        Ok(num(ticket))
    })
}

/// Resolves once at least `count` messages (capped at the window) could be
/// queued without waiting. Only the message window is counted, not bytes.
#[napi_derive::napi(js_name = "publisherWaitForRoom")]
pub fn publisher_wait_for_room<'env>(
    env: &'env Env,
    publisher: Unknown<'_>,
    count: u32,
) -> napi::Result<PromiseRaw<'env, ()>> {
    let p = handle::get::<Publisher>(env, &publisher)?.inner.clone();
    promise(
        env,
        async move { p.wait_for_room(count as usize).await },
        |_, ()| Ok(()),
    )
}

/// Queues a packed batch in order (see `publish.rs`), waiting for room as
/// needed; resolves with the tickets. If one message is invalid, nothing is
/// queued and the error names its index.
#[napi_derive::napi(js_name = "publisherPublishMany")]
pub fn publisher_publish_many<'env>(
    env: &'env Env,
    publisher: Unknown<'_>,
    subjects: Vec<String>,
    payloads: Uint8ArraySlice<'_>,
    lengths: Uint32ArraySlice<'_>,
    options: Option<Vec<Option<NativePublishOptions>>>,
) -> napi::Result<PromiseRaw<'env, Vec<f64>>> {
    let p = handle::get::<Publisher>(env, &publisher)?.inner.clone();
    let messages = guard(env, || unpack(subjects, &payloads, &lengths, options))?;
    promise(
        env,
        async move { p.publish_many(messages).await },
        |_, tickets| Ok(tickets.into_iter().map(num).collect()),
    )
}

/// Waits until every queued message is settled; resolves with what happened
/// since the previous flush.
#[napi_derive::napi(js_name = "publisherFlush")]
pub fn publisher_flush<'env>(
    env: &'env Env,
    publisher: Unknown<'_>,
) -> napi::Result<PromiseRaw<'env, NativeFlushReport>> {
    let p = handle::get::<Publisher>(env, &publisher)?.inner.clone();
    promise(env, async move { p.flush().await }, |env, r| {
        Ok(report(env, r))
    })
}

/// Flushes, then refuses further publishes with `CLOSED`.
#[napi_derive::napi(js_name = "publisherClose")]
pub fn publisher_close<'env>(
    env: &'env Env,
    publisher: Unknown<'_>,
) -> napi::Result<PromiseRaw<'env, NativeFlushReport>> {
    let p = handle::get::<Publisher>(env, &publisher)?.inner.clone();
    promise(env, async move { p.close().await }, |env, r| {
        Ok(report(env, r))
    })
}

/// Messages and bytes awaiting their ack right now.
#[napi_derive::napi(js_name = "publisherInFlight")]
pub fn publisher_in_flight(env: &Env, publisher: Unknown<'_>) -> napi::Result<NativeInFlight> {
    let p = handle::get::<Publisher>(env, &publisher)?;
    let (messages, bytes) = p.inner.in_flight();
    Ok(NativeInFlight {
        messages: num(messages as u64),
        bytes: num(bytes as u64),
    })
}

/// The most messages ever in flight at once.
#[napi_derive::napi(js_name = "publisherPeakInFlight")]
pub fn publisher_peak_in_flight(env: &Env, publisher: Unknown<'_>) -> napi::Result<f64> {
    let p = handle::get::<Publisher>(env, &publisher)?;
    Ok(num(p.inner.peak_in_flight() as u64))
}

/// The window sizes in use (a `PublisherOptions`).
#[napi_derive::napi(js_name = "publisherOptions")]
pub fn publisher_options(env: &Env, publisher: Unknown<'_>) -> napi::Result<serde_json::Value> {
    let p = handle::get::<Publisher>(env, &publisher)?;
    Ok(record_to_js(&p.inner.options()))
}
