//! Delivered messages, handed to JavaScript one batch at a time.
//!
//! A `fetch` or one step of a message stream returns a single `NativeMessageBatch`
//! handle instead of one native object per message: JavaScript wraps each
//! index in a plain `Message` object (`lib/message.js`) whose getters and
//! acks call back in here by index. So a batch of 500 crosses the boundary
//! once, and each field is converted only if it is read.
//!
//! Acks (`ack`, `nak`, `term`, `inProgress`) are synchronous: the core queues
//! them and sends them in batches, never waiting on the network. `ackSync`
//! waits for the server's confirmation and returns a Promise.

use std::sync::Arc;

use jetbridge::{Message, Result};
use napi::Env;
use napi::bindgen_prelude::{BigInt, Buffer, PromiseRaw};

use crate::convert::{big, millis, num};
use crate::error::invalid;
use crate::runtime::{guard, promise};
use crate::stream::header_pairs;

/// Messages delivered together. Shared with acks in flight (`ackSync`).
#[napi_derive::napi]
pub struct NativeMessageBatch {
    messages: Arc<[Message]>,
}

impl NativeMessageBatch {
    pub(crate) fn new(messages: Vec<Message>) -> NativeMessageBatch {
        NativeMessageBatch {
            messages: messages.into(),
        }
    }

    fn at(&self, index: u32) -> Result<&Message> {
        self.messages
            .get(index as usize)
            .ok_or_else(|| invalid("message index", "is out of range"))
    }
}

#[napi_derive::napi]
impl NativeMessageBatch {
    /// Number of messages.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.messages.len()).unwrap_or(u32::MAX)
    }

    /// Subject of message `i`.
    #[napi]
    pub fn subject(&self, env: &Env, i: u32) -> napi::Result<String> {
        guard(env, || Ok(self.at(i)?.subject.clone()))
    }

    /// Payload of message `i` (a copy; a new `Buffer` on each call).
    #[napi]
    pub fn data(&self, env: &Env, i: u32) -> napi::Result<Buffer> {
        guard(env, || Ok(Buffer::from(self.at(i)?.payload.to_vec())))
    }

    /// Headers of message `i` as `[name, value]` pairs.
    #[napi]
    pub fn headers(&self, env: &Env, i: u32) -> napi::Result<Vec<Vec<String>>> {
        guard(env, || Ok(header_pairs(&self.at(i)?.headers)))
    }

    /// The `Nats-Msg-Id` of message `i`, if any.
    #[napi]
    pub fn msg_id(&self, env: &Env, i: u32) -> napi::Result<Option<String>> {
        guard(env, || Ok(self.at(i)?.msg_id().map(str::to_string)))
    }

    /// Stream of message `i`.
    #[napi]
    pub fn stream(&self, env: &Env, i: u32) -> napi::Result<String> {
        guard(env, || Ok(self.at(i)?.stream.clone()))
    }

    /// Consumer that delivered message `i`.
    #[napi]
    pub fn consumer(&self, env: &Env, i: u32) -> napi::Result<String> {
        guard(env, || Ok(self.at(i)?.consumer.clone()))
    }

    /// Stream sequence of message `i`.
    #[napi]
    pub fn stream_sequence(&self, env: &Env, i: u32) -> napi::Result<f64> {
        guard(env, || Ok(num(self.at(i)?.stream_sequence)))
    }

    /// Consumer sequence of message `i`.
    #[napi]
    pub fn consumer_sequence(&self, env: &Env, i: u32) -> napi::Result<f64> {
        guard(env, || Ok(num(self.at(i)?.consumer_sequence)))
    }

    /// Delivery count of message `i` (1 on first delivery).
    #[napi]
    pub fn delivered(&self, env: &Env, i: u32) -> napi::Result<f64> {
        guard(env, || Ok(num(self.at(i)?.delivered)))
    }

    /// Messages still pending after message `i`.
    #[napi]
    pub fn pending(&self, env: &Env, i: u32) -> napi::Result<f64> {
        guard(env, || Ok(num(self.at(i)?.pending)))
    }

    /// When message `i` was stored, Unix nanoseconds.
    #[napi]
    pub fn timestamp_nanos(&self, env: &Env, i: u32) -> napi::Result<BigInt> {
        guard(env, || Ok(big(self.at(i)?.timestamp)))
    }

    /// True once message `i` got a terminal ack.
    #[napi]
    pub fn is_acked(&self, env: &Env, i: u32) -> napi::Result<bool> {
        guard(env, || Ok(self.at(i)?.is_acked()))
    }

    /// Acknowledges message `i` (terminal; queued, not awaited).
    #[napi]
    pub fn ack(&self, env: &Env, i: u32) -> napi::Result<()> {
        guard(env, || self.at(i)?.ack())
    }

    /// Asks for redelivery of message `i`, after `delayMs` if given.
    #[napi]
    pub fn nak(&self, env: &Env, i: u32, delay_ms: Option<f64>) -> napi::Result<()> {
        guard(env, || {
            let delay = delay_ms.map(|ms| millis("delayMs", ms)).transpose()?;
            self.at(i)?.nak(delay)
        })
    }

    /// Stops redelivery of message `i` for good.
    #[napi]
    pub fn term(&self, env: &Env, i: u32, reason: Option<String>) -> napi::Result<()> {
        guard(env, || self.at(i)?.term(reason.as_deref()))
    }

    /// "Still working on message `i`": resets its ack timer.
    #[napi]
    pub fn in_progress(&self, env: &Env, i: u32) -> napi::Result<()> {
        guard(env, || self.at(i)?.in_progress())
    }

    /// Acknowledges message `i` and resolves once the server confirmed it.
    /// On rejection the message stays un-acked and may be acked again.
    #[napi]
    pub fn ack_sync<'env>(&self, env: &'env Env, i: u32) -> napi::Result<PromiseRaw<'env, ()>> {
        guard(env, || self.at(i).map(|_| ()))?;
        let messages = self.messages.clone();
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
}
