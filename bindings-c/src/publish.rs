//! Publishing with an ack: one message, or many through one call.
//!
//! Every publish carries a `Nats-Msg-Id` (yours, or a generated one) and is
//! retried by the core on no responders, 409 "in process" and ack timeouts
//! inside its retry budget; `JB_RESULT_PUBLISH_OUTCOME_UNKNOWN` means it may
//! have been stored and resending with the same msg id is safe.

use std::ffi::{c_char, c_void};
use std::time::Duration;

use jetbridge_core::{Client, Expectations, PubAck, PublishMessage, Result};

use crate::client::{client, jb_client};
use crate::convert::{Strings, bytes, headers_in, input, jb_header, jb_str, opt_text, slice, text};
use crate::error::jb_result;
use crate::handles::{Owned, take_back};
use crate::panic::boundary;
use crate::runtime::blocking_and_async;

/// Server-side conditions for storing a message. Zero-initialised means none.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_expectations {
    /// The subject must belong to this stream (`{NULL, 0}` = no check);
    /// mismatch is `JB_RESULT_STREAM_MISMATCH`.
    pub stream: jb_str,
    /// The stream's last msg id must be this (`{NULL, 0}` = no check).
    pub last_msg_id: jb_str,
    /// Whether `last_sequence` is checked.
    pub has_last_sequence: bool,
    /// The stream's last sequence must be this.
    pub last_sequence: u64,
    /// Whether `last_subject_sequence` is checked.
    pub has_last_subject_sequence: bool,
    /// The last sequence on this subject must be this (0: none yet).
    pub last_subject_sequence: u64,
}

/// A message to publish. Zero-initialise it, then set `subject` and
/// `payload`. Everything is only read during the call (copied before an
/// async call returns). Text fields are length-delimited UTF-8; invalid
/// UTF-8, an embedded NUL, CR/LF in a header value or msg id, or an invalid
/// subject is `JB_RESULT_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_publish_message {
    /// Subject (no wildcards).
    pub subject: jb_str,
    /// Payload bytes (may contain NUL; empty only when the message has headers).
    pub payload: *const u8,
    /// Payload length.
    pub payload_len: usize,
    /// Message id for deduplication; `{NULL, 0}` = generated.
    pub msg_id: jb_str,
    /// Extra headers; `headers_len` of them. A `Nats-Msg-Id` here counts as
    /// the msg id.
    pub headers: *const jb_header,
    /// Number of headers.
    pub headers_len: usize,
    /// Server-side expectations.
    pub expect: jb_expectations,
    /// The message's own time to live, sent as `Nats-TTL`: milliseconds,
    /// 0 = none (the stream's own limits). The core takes whole seconds, at
    /// least 1 s, on a stream with `allow_msg_ttl` (nats-server 2.11+; older
    /// is `JB_RESULT_SERVER_TOO_OLD`); anything else is
    /// `JB_RESULT_INVALID_ARGUMENT`.
    pub ttl_ms: u64,
}

/// The server's acknowledgement of a stored message. Library-owned: from a
/// blocking call free it with `jb_pub_ack_free`; lent to callbacks for the
/// duration of the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_pub_ack {
    /// The stream that stored it.
    pub stream: *const c_char,
    /// Its stream sequence (for a duplicate: the original's).
    pub sequence: u64,
    /// True when the msg id was seen before and nothing new was stored.
    pub duplicate: bool,
    /// The msg id that was sent (yours or the generated one).
    pub msg_id: *const c_char,
    /// The JetStream domain, or NULL.
    pub domain: *const c_char,
}

/// The outcome of one message of `jb_client_publish_many`.
#[repr(C)]
#[derive(Debug)]
pub struct jb_publish_outcome {
    /// `JB_RESULT_OK` or why this message failed.
    pub result: jb_result,
    /// The error message, or NULL on success.
    pub error: *const c_char,
    /// The ack on success; all zero/NULL on failure.
    pub ack: jb_pub_ack,
}

/// Outcomes of `jb_client_publish_many`, in input order. Library-owned like
/// `jb_pub_ack` (free with `jb_publish_results_free`).
#[repr(C)]
#[derive(Debug)]
pub struct jb_publish_results {
    /// One outcome per message.
    pub items: *const jb_publish_outcome,
    /// Number of outcomes (= number of messages).
    pub len: usize,
    /// How many were acked.
    pub acked: usize,
}

/// Called once with the ack lent for the duration of the call (NULL on
/// failure).
pub type jb_pub_ack_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        ack: *const jb_pub_ack,
    ),
>;

/// Called once with the outcomes lent for the duration of the call (NULL on
/// failure of the whole call).
pub type jb_publish_results_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        results: *const jb_publish_results,
    ),
>;

/// Converts a C message into a core message.
///
/// # Safety
/// Every pointer in `m` is NULL or valid for its length.
pub(crate) unsafe fn message_from_c(m: &jb_publish_message) -> Result<PublishMessage> {
    // SAFETY (every block below): valid pointers by the caller's contract.
    let subject = unsafe { text(m.subject, "subject") }?;
    let payload = unsafe { bytes(m.payload, m.payload_len, "payload") }?;
    let msg_id = unsafe { opt_text(m.msg_id, "msg_id") }?;
    let headers = unsafe { headers_in(m.headers, m.headers_len) }?;
    let e = &m.expect;
    let expect = Expectations {
        stream: unsafe { opt_text(e.stream, "expect.stream") }?.map(str::to_string),
        last_sequence: e.has_last_sequence.then_some(e.last_sequence),
        last_msg_id: unsafe { opt_text(e.last_msg_id, "expect.last_msg_id") }?.map(str::to_string),
        last_subject_sequence: e
            .has_last_subject_sequence
            .then_some(e.last_subject_sequence),
    };
    Ok(PublishMessage {
        subject: subject.to_string(),
        payload: payload.to_vec().into(),
        headers,
        msg_id: msg_id.map(str::to_string),
        expect,
        ttl: (m.ttl_ms != 0).then(|| Duration::from_millis(m.ttl_ms)),
    })
}

/// Converts `len` C messages; an error names the index of the bad one.
///
/// # Safety
/// `p` is NULL or points to `len` valid messages.
pub(crate) unsafe fn messages_from_c(
    p: *const jb_publish_message,
    len: usize,
) -> Result<Vec<PublishMessage>> {
    // SAFETY: forwarded contract.
    let items = unsafe { slice(p, len, "messages") }?;
    items
        .iter()
        .enumerate()
        .map(|(i, m)| {
            // SAFETY: forwarded contract.
            unsafe { message_from_c(m) }.map_err(|e| {
                jetbridge_core::Error::new(e.kind(), format!("message {i}: {}", e.message()))
            })
        })
        .collect()
}

fn ack_to_c(ack: &PubAck, strings: &mut Strings) -> jb_pub_ack {
    jb_pub_ack {
        stream: strings.add(&ack.stream),
        sequence: ack.sequence,
        duplicate: ack.duplicate,
        msg_id: strings.add(&ack.msg_id),
        domain: strings.add_opt(ack.domain.as_deref()),
    }
}

const NO_ACK: jb_pub_ack = jb_pub_ack {
    stream: std::ptr::null(),
    sequence: 0,
    duplicate: false,
    msg_id: std::ptr::null(),
    domain: std::ptr::null(),
};

/// A `jb_pub_ack` with its storage.
#[repr(C)]
pub(crate) struct PubAckBox {
    c: jb_pub_ack,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for PubAckBox {}

// SAFETY: repr(C) with `jb_pub_ack` first.
unsafe impl Owned for PubAckBox {
    type C = jb_pub_ack;
    const TAG: u8 = 0x83;
    const WHAT: &'static str = "jb_pub_ack";
}

pub(crate) fn ack_box(ack: PubAck) -> PubAckBox {
    let mut strings = Strings::default();
    let c = ack_to_c(&ack, &mut strings);
    PubAckBox { c, strings }
}

/// A `jb_publish_results` with its storage.
#[repr(C)]
pub(crate) struct ResultsBox {
    c: jb_publish_results,
    items: Vec<jb_publish_outcome>,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for ResultsBox {}

// SAFETY: repr(C) with `jb_publish_results` first.
unsafe impl Owned for ResultsBox {
    type C = jb_publish_results;
    const TAG: u8 = 0x84;
    const WHAT: &'static str = "jb_publish_results";
}

fn results_box(outcomes: Vec<Result<PubAck>>) -> ResultsBox {
    let mut strings = Strings::default();
    let items: Vec<jb_publish_outcome> = outcomes
        .iter()
        .map(|o| match o {
            Ok(ack) => jb_publish_outcome {
                result: jb_result::Ok,
                error: std::ptr::null(),
                ack: ack_to_c(ack, &mut strings),
            },
            Err(e) => jb_publish_outcome {
                result: jb_result::from(e),
                error: strings.add(&e.to_string()),
                ack: NO_ACK,
            },
        })
        .collect();
    let acked = outcomes.iter().filter(|o| o.is_ok()).count();
    ResultsBox {
        c: jb_publish_results {
            items: items.as_ptr(),
            len: items.len(),
            acked,
        },
        items,
        strings,
    }
}

/// Frees an ack from a blocking call. NULL is a no-op; a double free is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_pub_ack_free(ack: *mut jb_pub_ack) -> jb_result {
    boundary(|| take_back::<PubAckBox>(ack))
}

/// Frees publish results from a blocking call. NULL is a no-op; a double
/// free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_publish_results_free(results: *mut jb_publish_results) -> jb_result {
    boundary(|| take_back::<ResultsBox>(results))
}

/// # Safety
/// `message` is NULL or valid.
unsafe fn prepare_one(
    c: *const jb_client,
    message: *const jb_publish_message,
) -> Result<(Client, PublishMessage)> {
    let client = client(c)?;
    // SAFETY: forwarded contract.
    let message = unsafe { message_from_c(input(message, "message")?) }?;
    Ok((client, message))
}

blocking_and_async! {
    /// Publishes one message and waits for its ack, blocking. On success `*out`
    /// is an ack the caller owns (`jb_pub_ack_free`). Results besides argument
    /// errors: `JB_RESULT_NOT_FOUND` (no stream captures the subject),
    /// `JB_RESULT_WRONG_LAST_SEQUENCE`, `JB_RESULT_STREAM_MISMATCH`,
    /// `JB_RESULT_PUBLISH_OUTCOME_UNKNOWN`, `JB_RESULT_CLOSED`, ….
    fn jb_client_publish(client: *const jb_client, message: *const jb_publish_message)
        -> lend(jb_pub_ack, jb_pub_ack_callback);
    /// `jb_client_publish` without blocking: the message is copied before this
    /// returns; `callback` is called exactly once with the ack lent for the call.
    async fn jb_client_publish_async;
    {
        // SAFETY: caller's contract.
        let (c, message) = unsafe { prepare_one(client, message) }?;
        async move { c.publish(message).await.map(ack_box) }
    }
}

blocking_and_async! {
    /// `jb_client_publish` that `jb_cancel_cancel(cancel)` ends: the call
    /// then returns at once with `JB_RESULT_CLOSED` ("the call was
    /// cancelled") and the message may or may not have been stored (resend
    /// it with the same msg id: the server drops a duplicate). A publish that
    /// got its ack first returns it even if cancelled right after. `cancel`
    /// may be NULL (not cancellable) and may be freed once this returns.
    fn jb_client_publish_cancellable(
        client: *const jb_client,
        message: *const jb_publish_message,
        cancel: *const crate::cancel::jb_cancel,
    ) -> lend(jb_pub_ack, jb_pub_ack_callback);
    /// `jb_client_publish_cancellable` without blocking: the message is copied
    /// before this returns; `callback` is called exactly once.
    async fn jb_client_publish_cancellable_async;
    {
        // SAFETY: caller's contract.
        let (c, message) = unsafe { prepare_one(client, message) }?;
        let cancel = crate::cancel::token(cancel)?;
        async move {
            match cancel {
                Some(token) => token.run(c.publish(message)).await,
                None => c.publish(message).await,
            }
            .map(ack_box)
        }
    }
}

/// The client and its caller's messages, copied, for a call that sends a
/// list (`publish_many`, `publish_batch`): only the C-level conversion
/// (pointers, UTF-8, NUL) fails here; the core judges each message.
///
/// # Safety
/// `messages` is NULL or points to `len` valid messages.
pub(crate) unsafe fn client_and_messages(
    c: *const jb_client,
    messages: *const jb_publish_message,
    len: usize,
) -> Result<(Client, Vec<PublishMessage>)> {
    let client = client(c)?;
    // SAFETY: forwarded contract.
    let messages = unsafe { messages_from_c(messages, len) }?;
    Ok((client, messages))
}

blocking_and_async! {
    /// Publishes `len` messages pipelined through one call and waits for every
    /// ack, blocking. On success `*out` holds one outcome per message, in order
    /// (a message the server rejects fails alone); the caller owns it
    /// (`jb_publish_results_free`). The call itself fails only for bad
    /// arguments (the error names the message index) or a closed client.
    fn jb_client_publish_many(
        client: *const jb_client,
        messages: *const jb_publish_message,
        len: usize,
    ) -> lend(jb_publish_results, jb_publish_results_callback);
    /// `jb_client_publish_many` without blocking: the messages are copied before
    /// this returns; `callback` is called exactly once with the outcomes lent for
    /// the call.
    async fn jb_client_publish_many_async;
    {
        // SAFETY: caller's contract.
        let (c, messages) = unsafe { client_and_messages(client, messages, len) }?;
        async move { c.publish_many(messages).await.map(results_box) }
    }
}
