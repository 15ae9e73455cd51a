//! A tracked pipelined publish: the core's `Publisher::publish_tracked`,
//! which hands back the message's ticket and its own outcome (a
//! `PendingAck`).
//!
//! `publisherPublishTracked` resolves, once the message is queued, with its
//! ticket and a `NativePendingAck`; `lib/publisher.js` calls `wait()` on it
//! at once, so the caller holds a Promise of the ack (or of the typed error).
//! Never waiting for it does not cancel the publish, and the publish counts
//! in the next flush like any other.

use jetbridge::PendingAck;
use napi::Env;
use napi::bindgen_prelude::{Either, PromiseRaw, Uint8ArraySlice, Unknown};

use crate::convert::num;
use crate::handle;
use crate::publish::{NativePubAck, NativePublishOptions, message, payload_bytes};
use crate::publisher::Publisher;
use crate::runtime::{guard, promise};

/// One tracked publish's outcome, awaited once with `wait()`.
#[napi_derive::napi]
pub struct NativePendingAck {
    pending: std::sync::Mutex<Option<PendingAck>>,
}

#[napi_derive::napi]
impl NativePendingAck {
    /// Resolves with the message's ack or rejects with its error. Only the
    /// first call gets the outcome; a later one rejects with `CLOSED`.
    #[napi]
    pub fn wait<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, NativePubAck>> {
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        promise(
            env,
            async move {
                match pending {
                    Some(p) => p.await,
                    None => Err(jetbridge::Error::closed("pending ack")),
                }
            },
            |_, ack| Ok(NativePubAck::from_core(ack)),
        )
    }
}

/// A queued tracked publish.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeTracked {
    /// The ticket `flush` reports it under.
    pub ticket: f64,
    /// Its own outcome.
    pub pending: NativePendingAck,
}

/// Queues a message, waiting while the window is full; resolves with its
/// ticket and its pending ack.
#[napi_derive::napi(js_name = "publisherPublishTracked")]
pub fn publisher_publish_tracked<'env>(
    env: &'env Env,
    publisher: Unknown<'_>,
    subject: String,
    data: Either<String, Uint8ArraySlice<'_>>,
    options: Option<NativePublishOptions>,
) -> napi::Result<PromiseRaw<'env, NativeTracked>> {
    let p = handle::get::<Publisher>(env, &publisher)?.inner.clone();
    let msg = guard(env, || message(subject, payload_bytes(&data), options))?;
    promise(
        env,
        async move { p.publish_tracked(msg).await },
        |_, (ticket, pending)| {
            Ok(NativeTracked {
                ticket: num(ticket),
                pending: NativePendingAck {
                    pending: std::sync::Mutex::new(Some(pending)),
                },
            })
        },
    )
}
