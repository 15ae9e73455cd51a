//! Publishing with an ack: `publish` (one message) and `publishMany` (a batch
//! crossing the boundary once), plus the message conversion the pipelined
//! publisher shares.
//!
//! Payloads arrive as a `string` (UTF-8) or a `Uint8Array`/`Buffer` and are
//! copied once into core-owned bytes before the call returns, so JavaScript
//! may reuse its buffer right away. A batch arrives packed: one array of
//! subjects, one buffer with every payload back to back, one `Uint32Array`
//! of payload lengths, and an optional array of per-message options.

use bytes::Bytes;
use jetbridge::{Expectations, PubAck, PublishMessage, Result};
use napi::Env;
use napi::bindgen_prelude::{Either, PromiseRaw, Uint8ArraySlice, Uint32ArraySlice};

use crate::client::NativeClient;
use crate::convert::{millis, num, opt_uint};
use crate::error::{self, invalid};
use crate::runtime::{guard, promise};

/// Server-side conditions for storing a message.
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativeExpectations {
    /// The subject must belong to this stream.
    pub stream: Option<String>,
    /// The stream's last sequence must be this.
    pub last_sequence: Option<f64>,
    /// The stream's last message id must be this.
    pub last_msg_id: Option<String>,
    /// The subject's last sequence must be this (0: none yet).
    pub last_subject_sequence: Option<f64>,
}

/// Per-message publish options.
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativePublishOptions {
    /// Message id for deduplication (generated when absent).
    pub msg_id: Option<String>,
    /// Extra headers as `[name, value]` pairs.
    pub headers: Option<Vec<Vec<String>>>,
    /// Server-side expectations.
    pub expect: Option<NativeExpectations>,
    /// The message's own time to live in milliseconds (`Nats-TTL`; the core
    /// checks it: whole seconds, at least 1 s, a stream with `allowMsgTtl`).
    pub ttl_ms: Option<f64>,
}

/// The server's acknowledgement.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativePubAck {
    /// Stream that stored it.
    pub stream: String,
    /// Its sequence (a duplicate's: the original's).
    pub sequence: f64,
    /// True when the id was seen before and nothing new was stored.
    pub duplicate: bool,
    /// The message id sent.
    pub msg_id: String,
    /// JetStream domain, if any.
    pub domain: Option<String>,
}

impl NativePubAck {
    pub(crate) fn from_core(a: PubAck) -> NativePubAck {
        NativePubAck {
            stream: a.stream,
            sequence: num(a.sequence),
            duplicate: a.duplicate,
            msg_id: a.msg_id,
            domain: a.domain,
        }
    }
}

/// Copies a payload into core-owned bytes.
pub(crate) fn payload_bytes(data: &Either<String, Uint8ArraySlice<'_>>) -> Bytes {
    match data {
        Either::A(s) => Bytes::copy_from_slice(s.as_bytes()),
        Either::B(b) => Bytes::copy_from_slice(b),
    }
}

/// Headers as JavaScript sends them (`[name, value]` pairs; absent: none).
pub(crate) fn header_list(pairs: Option<Vec<Vec<String>>>) -> Result<Vec<(String, String)>> {
    pairs
        .unwrap_or_default()
        .into_iter()
        .map(|pair| match <[String; 2]>::try_from(pair) {
            Ok([k, v]) => Ok((k, v)),
            Err(_) => Err(invalid(
                "headers",
                "each header must be a [name, value] pair",
            )),
        })
        .collect()
}

/// Builds a core message from its parts.
pub(crate) fn message(
    subject: String,
    payload: Bytes,
    options: Option<NativePublishOptions>,
) -> Result<PublishMessage> {
    let mut m = PublishMessage::new(subject, payload);
    if let Some(o) = options {
        m.msg_id = o.msg_id;
        m.ttl = o.ttl_ms.map(|ms| millis("ttlMs", ms)).transpose()?;
        m.headers = header_list(o.headers)?;
        if let Some(e) = o.expect {
            m.expect = Expectations {
                stream: e.stream,
                last_sequence: opt_uint("expect.lastSequence", e.last_sequence)?,
                last_msg_id: e.last_msg_id,
                last_subject_sequence: opt_uint(
                    "expect.lastSubjectSequence",
                    e.last_subject_sequence,
                )?,
            };
        }
    }
    Ok(m)
}

/// Unpacks a batch: `lengths[i]` bytes of `payloads` belong to `subjects[i]`.
/// The payloads are copied once; each message holds a slice of that copy.
pub(crate) fn unpack(
    subjects: Vec<String>,
    payloads: &[u8],
    lengths: &[u32],
    options: Option<Vec<Option<NativePublishOptions>>>,
) -> Result<Vec<PublishMessage>> {
    if subjects.len() != lengths.len() {
        return Err(invalid("messages", "subjects and lengths differ in count"));
    }
    let total: usize = lengths.iter().map(|l| *l as usize).sum();
    if total != payloads.len() {
        return Err(invalid("messages", "payload lengths do not add up"));
    }
    let all = Bytes::copy_from_slice(payloads);
    let mut options = options.map(Vec::into_iter);
    let mut offset = 0;
    let mut out = Vec::with_capacity(subjects.len());
    for (subject, len) in subjects.into_iter().zip(lengths) {
        let end = offset + *len as usize;
        let opts = options.as_mut().and_then(|o| o.next()).flatten();
        out.push(message(subject, all.slice(offset..end), opts)?);
        offset = end;
    }
    Ok(out)
}

#[napi_derive::napi]
impl NativeClient {
    /// Publishes one message and resolves with its ack. Rejects with a typed
    /// error, or `PUBLISH_OUTCOME_UNKNOWN` when the retry budget ran out.
    #[napi]
    pub fn publish<'env>(
        &self,
        env: &'env Env,
        subject: String,
        data: Either<String, Uint8ArraySlice<'_>>,
        options: Option<NativePublishOptions>,
    ) -> napi::Result<PromiseRaw<'env, NativePubAck>> {
        let msg = guard(env, || message(subject, payload_bytes(&data), options))?;
        let client = self.inner.clone();
        promise(env, async move { client.publish(msg).await }, |_, ack| {
            Ok(NativePubAck::from_core(ack))
        })
    }

    /// Publishes a packed batch pipelined through one call; resolves with
    /// one entry per message, in order: its ack, or its `JetBridgeError`.
    #[napi]
    pub fn publish_many<'env>(
        &self,
        env: &'env Env,
        subjects: Vec<String>,
        payloads: Uint8ArraySlice<'_>,
        lengths: Uint32ArraySlice<'_>,
        options: Option<Vec<Option<NativePublishOptions>>>,
    ) -> napi::Result<PromiseRaw<'env, Vec<Either<NativePubAck, napi::Error>>>> {
        let messages = guard(env, || unpack(subjects, &payloads, &lengths, options))?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.publish_many(messages).await },
            |env, outcomes| {
                Ok(outcomes
                    .into_iter()
                    .map(|o| match o {
                        Ok(ack) => Either::A(NativePubAck::from_core(ack)),
                        Err(e) => Either::B(error::to_js(env, &e)),
                    })
                    .collect())
            },
        )
    }
}
