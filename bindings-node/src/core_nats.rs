//! Core NATS on the client's connection: publish, subscribe (with a queue
//! group), request-reply and respond — no JetStream, no acks.
//!
//! `lib/core_nats.js` wraps these in the public `CoreSubscription` and
//! `CoreMessage` classes (async iteration, `respond`). A received message
//! crosses as a plain object (its payload copied once into a `Buffer`);
//! answering it sends its subject and reply subject back, and the core's
//! `core_respond` decides (a message without a reply subject is
//! `INVALID_ARGUMENT`, worded by the core).

use std::sync::Arc;

use bytes::Bytes;
use jetbridge::{CoreMessage, CoreSubscription};
use napi::Env;
use napi::bindgen_prelude::{Buffer, Either, PromiseRaw, Uint8ArraySlice};

use crate::client::NativeClient;
use crate::convert::millis;
use crate::publish::{header_list, payload_bytes};
use crate::runtime::{guard, promise};

/// A core NATS message: what a subscription receives or a request returns.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeCoreMessage {
    /// Its subject.
    pub subject: String,
    /// Its payload (a copy JavaScript owns).
    pub data: Buffer,
    /// Its headers as `[name, value]` pairs, in order.
    pub headers: Vec<Vec<String>>,
    /// Where a reply goes, when the sender asked for one.
    pub reply: Option<String>,
}

impl NativeCoreMessage {
    fn from_core(m: CoreMessage) -> NativeCoreMessage {
        NativeCoreMessage {
            subject: m.subject,
            data: Buffer::from(m.payload.to_vec()),
            headers: m.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
            reply: m.reply,
        }
    }
}

/// A core NATS subscription (a core `CoreSubscription`, shared so that
/// `unsubscribe` ends a `next` waiting in another call).
#[napi_derive::napi]
pub struct NativeCoreSubscription {
    inner: Arc<CoreSubscription>,
}

#[napi_derive::napi]
impl NativeCoreSubscription {
    /// The next message, waiting up to `maxWaitMs`: `null` when none came in
    /// time; rejects with `CLOSED` once unsubscribed or the client closed.
    #[napi(ts_return_type = "Promise<NativeCoreMessage | null>")]
    pub fn next<'env>(
        &self,
        env: &'env Env,
        max_wait_ms: f64,
    ) -> napi::Result<PromiseRaw<'env, Option<NativeCoreMessage>>> {
        let wait = guard(env, || millis("options.timeoutMs", max_wait_ms))?;
        let sub = self.inner.clone();
        promise(env, async move { sub.next(wait).await }, |_, m| {
            Ok(m.map(NativeCoreMessage::from_core))
        })
    }

    /// Ends the subscription; a waiting `next` rejects with `CLOSED` at once.
    /// Twice is fine.
    #[napi]
    pub fn unsubscribe<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let sub = self.inner.clone();
        promise(env, async move { sub.unsubscribe().await }, |_, ()| Ok(()))
    }
}

#[napi_derive::napi]
impl NativeClient {
    /// Publishes a core NATS message (fire-and-forget), with an optional
    /// reply subject. The core validates subject, reply, headers and size.
    #[napi]
    pub fn core_publish<'env>(
        &self,
        env: &'env Env,
        subject: String,
        data: Either<String, Uint8ArraySlice<'_>>,
        headers: Option<Vec<Vec<String>>>,
        reply: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let payload = payload_bytes(&data);
        let headers = guard(env, || header_list(headers))?;
        let client = self.inner.clone();
        promise(
            env,
            async move {
                client
                    .core_publish(&subject, payload, &headers, reply.as_deref())
                    .await
            },
            |_, ()| Ok(()),
        )
    }

    /// Subscribes to `subject` (wildcards allowed), in queue group `queue`
    /// when given; resolves once the server has the subscription.
    #[napi]
    pub fn core_subscribe<'env>(
        &self,
        env: &'env Env,
        subject: String,
        queue: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, NativeCoreSubscription>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.core_subscribe(&subject, queue.as_deref()).await },
            |_, sub| {
                Ok(NativeCoreSubscription {
                    inner: Arc::new(sub),
                })
            },
        )
    }

    /// Sends a request and resolves with the first reply, waiting up to
    /// `timeoutMs` (absent: the client's request timeout). Rejects with
    /// `NO_RESPONDERS` when nobody listens, `TIMEOUT` when nobody answered.
    #[napi]
    pub fn core_request<'env>(
        &self,
        env: &'env Env,
        subject: String,
        data: Either<String, Uint8ArraySlice<'_>>,
        headers: Option<Vec<Vec<String>>>,
        timeout_ms: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, NativeCoreMessage>> {
        let payload = payload_bytes(&data);
        let (headers, timeout) = guard(env, || {
            let timeout = match timeout_ms {
                Some(ms) => millis("options.timeoutMs", ms)?,
                None => self.inner.options().request_timeout,
            };
            Ok((header_list(headers)?, timeout))
        })?;
        let client = self.inner.clone();
        promise(
            env,
            async move {
                client
                    .core_request(&subject, payload, &headers, timeout)
                    .await
            },
            |_, m| Ok(NativeCoreMessage::from_core(m)),
        )
    }

    /// Answers a received message (given by its subject and reply subject):
    /// the core's `core_respond`.
    #[napi]
    pub fn core_respond<'env>(
        &self,
        env: &'env Env,
        subject: String,
        reply: Option<String>,
        data: Either<String, Uint8ArraySlice<'_>>,
        headers: Option<Vec<Vec<String>>>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let payload = payload_bytes(&data);
        let headers = guard(env, || header_list(headers))?;
        let request = CoreMessage {
            subject,
            payload: Bytes::new(),
            headers: Vec::new(),
            reply,
        };
        let client = self.inner.clone();
        promise(
            env,
            async move { client.core_respond(&request, payload, &headers).await },
            |_, ()| Ok(()),
        )
    }
}
