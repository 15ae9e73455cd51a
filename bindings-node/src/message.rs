//! Delivered messages, handed to JavaScript one batch at a time.
//!
//! A `fetch` or one step of a message stream resolves with a single
//! [`NativeBatch`]: the fields nearly every consumer reads, converted once for
//! the whole batch (subjects; all payloads in one `Buffer` with their end
//! offsets; sequences, delivery counts and pending counts in one
//! `Float64Array`; timestamps in one `BigInt64Array`), plus a handle to the
//! core messages for the rest. JavaScript wraps each index in a light
//! `Message` object (`lib/message.js`). So a batch of 500 crosses the
//! boundary once; per message only the acks cross.
//!
//! Acks (`ack`, `nak`, `term`, `inProgress`) are synchronous: the core queues
//! them and sends them in batches, never waiting on the network. `ackSync`
//! waits for the server's confirmation and returns a Promise.

use std::sync::Arc;

use jetbridge::{Message, Result};
use napi::Env;
use napi::bindgen_prelude::{
    BigInt64Array, Buffer, Float64Array, PromiseRaw, Uint32Array, Unknown,
};

use crate::convert::{millis, num, record_to_js};
use crate::error::invalid;
use crate::handle::{self, Handle, NewHandle};
use crate::runtime::{guard, promise};
use crate::stream::header_pairs;

/// Numbers per message in [`NativeBatch::numbers`]: stream sequence,
/// consumer sequence, delivery count, pending count.
const NUMBERS: usize = 4;

/// The core messages of one batch, behind a handle. Shared with acks in
/// flight (`ackSync`).
pub struct Batch {
    messages: Arc<[Message]>,
}

impl Handle for Batch {
    const TAG: napi::sys::napi_type_tag = napi::sys::napi_type_tag {
        lower: 0x6a62_6e6f_6465_0001,
        upper: 0x9d3c_55e1_8a47_b201,
    };
    const WHAT: &'static str = "message batch";
}

impl Batch {
    fn at(&self, index: u32) -> Result<&Message> {
        self.messages
            .get(index as usize)
            .ok_or_else(|| invalid("message index", "is out of range"))
    }
}

/// One batch as JavaScript receives it.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeBatch {
    /// The core messages (for acks and the fields not converted eagerly).
    #[napi(ts_type = "unknown")]
    pub handle: NewHandle<Batch>,
    /// Subjects.
    pub subjects: Vec<String>,
    /// Every payload, back to back.
    pub data: Buffer,
    /// End offset of each payload in `data`.
    pub ends: Uint32Array,
    /// Per message: stream sequence, consumer sequence, delivered, pending.
    pub numbers: Float64Array,
    /// Per message: when it was stored, Unix nanoseconds.
    pub timestamps: BigInt64Array,
}

impl NativeBatch {
    /// Converts the messages (on the JavaScript thread). The subjects are
    /// copied: the core message keeps its own for `process_span`.
    pub(crate) fn new(messages: Vec<Message>) -> NativeBatch {
        let total: usize = messages.iter().map(|m| m.payload.len()).sum();
        let mut data = Vec::with_capacity(total);
        let mut ends = Vec::with_capacity(messages.len());
        let mut numbers = Vec::with_capacity(messages.len() * NUMBERS);
        let mut timestamps = Vec::with_capacity(messages.len());
        let mut subjects = Vec::with_capacity(messages.len());
        for m in &messages {
            data.extend_from_slice(&m.payload);
            ends.push(u32::try_from(data.len()).unwrap_or(u32::MAX));
            numbers.extend_from_slice(&[
                num(m.stream_sequence),
                num(m.consumer_sequence),
                num(m.delivered),
                num(m.pending),
            ]);
            timestamps.push(m.timestamp);
            subjects.push(m.subject.clone());
        }
        NativeBatch {
            handle: NewHandle(Batch {
                messages: messages.into(),
            }),
            subjects,
            data: Buffer::from(data),
            ends: Uint32Array::new(ends),
            numbers: Float64Array::new(numbers),
            timestamps: BigInt64Array::new(timestamps),
        }
    }
}

/// Headers of message `i` as `[name, value]` pairs.
#[napi_derive::napi(js_name = "batchHeaders")]
pub fn batch_headers(env: &Env, batch: Unknown<'_>, i: u32) -> napi::Result<Vec<Vec<String>>> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || Ok(header_pairs(&b.at(i)?.headers)))
}

/// The `Nats-Msg-Id` of message `i`, if any.
#[napi_derive::napi(js_name = "batchMsgId")]
pub fn batch_msg_id(env: &Env, batch: Unknown<'_>, i: u32) -> napi::Result<Option<String>> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || Ok(b.at(i)?.msg_id().map(str::to_string)))
}

/// Stream of message `i`.
#[napi_derive::napi(js_name = "batchStream")]
pub fn batch_stream(env: &Env, batch: Unknown<'_>, i: u32) -> napi::Result<String> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || Ok(b.at(i)?.stream.clone()))
}

/// Consumer that delivered message `i`.
#[napi_derive::napi(js_name = "batchConsumer")]
pub fn batch_consumer(env: &Env, batch: Unknown<'_>, i: u32) -> napi::Result<String> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || Ok(b.at(i)?.consumer.clone()))
}

/// The trace context message `i` carries (the core's `TraceContext`), or
/// `null` when it carries none or an invalid one.
#[napi_derive::napi(
    js_name = "batchTraceContext",
    ts_return_type = "Record<string, unknown> | null"
)]
pub fn batch_trace_context(
    env: &Env,
    batch: Unknown<'_>,
    i: u32,
) -> napi::Result<Option<serde_json::Value>> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || {
        Ok(b.at(i)?.trace_context().as_ref().map(record_to_js))
    })
}

/// How message `i`'s process span is named and described (the core's
/// `SpanSpec`: name, kind, attributes).
#[napi_derive::napi(
    js_name = "batchProcessSpan",
    ts_return_type = "{ name: string, kind: string, attributes: Record<string, string> }"
)]
pub fn batch_process_span(
    env: &Env,
    batch: Unknown<'_>,
    i: u32,
) -> napi::Result<serde_json::Value> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || Ok(record_to_js(&b.at(i)?.process_span())))
}

/// True once message `i` got a terminal ack.
#[napi_derive::napi(js_name = "batchIsAcked")]
pub fn batch_is_acked(env: &Env, batch: Unknown<'_>, i: u32) -> napi::Result<bool> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || Ok(b.at(i)?.is_acked()))
}

/// Acknowledges message `i` (terminal; queued, not awaited).
#[napi_derive::napi(js_name = "batchAck")]
pub fn batch_ack(env: &Env, batch: Unknown<'_>, i: u32) -> napi::Result<()> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || b.at(i)?.ack())
}

/// Asks for redelivery of message `i`, after `delayMs` if given.
#[napi_derive::napi(js_name = "batchNak")]
pub fn batch_nak(env: &Env, batch: Unknown<'_>, i: u32, delay_ms: Option<f64>) -> napi::Result<()> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || {
        let delay = delay_ms.map(|ms| millis("delayMs", ms)).transpose()?;
        b.at(i)?.nak(delay)
    })
}

/// Stops redelivery of message `i` for good.
#[napi_derive::napi(js_name = "batchTerm")]
pub fn batch_term(
    env: &Env,
    batch: Unknown<'_>,
    i: u32,
    reason: Option<String>,
) -> napi::Result<()> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || b.at(i)?.term(reason.as_deref()))
}

/// "Still working on message `i`": resets its ack timer.
#[napi_derive::napi(js_name = "batchInProgress")]
pub fn batch_in_progress(env: &Env, batch: Unknown<'_>, i: u32) -> napi::Result<()> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || b.at(i)?.in_progress())
}

/// Acknowledges message `i` and resolves once the server confirmed it. On
/// rejection the message stays un-acked and may be acked again.
#[napi_derive::napi(js_name = "batchAckSync")]
pub fn batch_ack_sync<'env>(
    env: &'env Env,
    batch: Unknown<'_>,
    i: u32,
) -> napi::Result<PromiseRaw<'env, ()>> {
    let b = handle::get::<Batch>(env, &batch)?;
    guard(env, || b.at(i).map(|_| ()))?;
    let messages = b.messages.clone();
    let index = i as usize;
    promise(
        env,
        async move {
            match messages.get(index) {
                Some(m) => m.ack_sync().await,
                None => Err(invalid("message index", "is out of range")),
            }
        },
        |_, ()| Ok(()),
    )
}
