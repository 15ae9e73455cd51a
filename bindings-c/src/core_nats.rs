//! Core NATS on the JetBridge client: `jb_client_core_publish`,
//! `jb_client_core_subscribe` (a `jb_core_subscription` read with
//! `jb_core_subscription_next`), `jb_client_core_request` and
//! `jb_client_core_respond`. No JetStream: nothing is stored or acked unless
//! a stream happens to capture the subject.
//!
//! The core validates every subject, queue group, header and payload size
//! and words the errors; this file only converts.

use std::ffi::{c_char, c_void};

use jetbridge_core::{Client, CoreMessage, CoreSubscription, Result};

use crate::client::jb_client;
use crate::convert::{
    Out, bytes, cstr, header_views, headers_in, jb_header, jb_str, opt_cstr, opt_ms,
};
use crate::error::jb_result;
use crate::handles::{Handle, handle_registry};
use crate::panic::boundary;
use crate::runtime::{block, blocking_and_async, jb_done_callback};

/// A core NATS subscription. Opaque handle.
///
/// Caller owns it: free with `jb_core_subscription_free`, which also ends it
/// (as `jb_core_subscription_unsubscribe` does). Safe to use from any
/// thread: `jb_core_subscription_next` from several threads takes turns, and
/// `jb_core_subscription_unsubscribe` from another thread ends a waiting
/// `next` at once with `JB_RESULT_CLOSED`.
pub struct jb_core_subscription {
    _private: [u8; 0],
}

handle_registry!(
    jb_core_subscription,
    CoreSubscription,
    0x17,
    "jb_core_subscription"
);

/// A core NATS message: one received by a `jb_core_subscription`, or the
/// reply of `jb_client_core_request`. Opaque handle; read it with
/// `jb_core_message_read`.
///
/// Caller owns it: free with `jb_core_message_free`. Safe to use from any
/// thread. There is nothing to ack.
pub struct jb_core_message {
    _private: [u8; 0],
}

/// A core message with the C views of its headers.
pub(crate) struct CoreMessageEntry {
    msg: CoreMessage,
    headers: Vec<jb_header>,
}

// SAFETY: `headers` only points into `msg.headers`, which is never mutated.
unsafe impl Send for CoreMessageEntry {}
// SAFETY: as above.
unsafe impl Sync for CoreMessageEntry {}

handle_registry!(jb_core_message, CoreMessageEntry, 0x18, "jb_core_message");

/// The data of a core message. Every pointer borrows from the message handle
/// and stays valid until that handle is freed. Strings are length-delimited.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_core_message_view {
    /// Its subject.
    pub subject: jb_str,
    /// Its payload (`payload_len` bytes, may contain NUL).
    pub payload: *const u8,
    /// Payload length.
    pub payload_len: usize,
    /// Its headers, sorted by name; a name's values in the order they were sent.
    pub headers: *const jb_header,
    /// Number of headers.
    pub headers_len: usize,
    /// Its reply subject (a request's inbox); `{NULL, 0}` when it has none.
    pub reply: jb_str,
}

/// Called once with a new core subscription handle (owned by the callback),
/// or NULL and the error.
pub type jb_core_subscription_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        subscription: *mut jb_core_subscription,
    ),
>;

/// Called once with a new core message handle (owned by the callback), or
/// NULL and the error.
pub type jb_core_message_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        message: *mut jb_core_message,
    ),
>;

fn entry(msg: CoreMessage) -> CoreMessageEntry {
    let headers = header_views(&msg.headers);
    CoreMessageEntry { msg, headers }
}

fn message(handle: *const jb_core_message) -> Result<std::sync::Arc<CoreMessageEntry>> {
    jb_core_message::get(handle, "message")
}

fn subscription(handle: *const jb_core_subscription) -> Result<std::sync::Arc<CoreSubscription>> {
    jb_core_subscription::get(handle, "subscription")
}

/// A payload and headers, copied from C.
type Body = (Vec<u8>, Vec<(String, String)>);

/// # Safety
/// The pointers are NULL or valid for their lengths.
unsafe fn body(
    payload: *const u8,
    payload_len: usize,
    headers: *const jb_header,
    headers_len: usize,
) -> Result<Body> {
    // SAFETY: caller's contract.
    let payload = unsafe { bytes(payload, payload_len, "payload") }?;
    // SAFETY: caller's contract.
    let headers = unsafe { headers_in(headers, headers_len) }?;
    Ok((payload.to_vec(), headers))
}

blocking_and_async! {
    /// Publishes a core NATS message (fire-and-forget: no JetStream ack),
    /// blocking until it is handed to the connection. `headers` may be NULL
    /// (with `headers_len` 0); `reply` is a reply subject, or NULL for none.
    /// The core validates like a JetStream publish: a wildcard or invalid
    /// subject or reply, a bad header, or a payload over the server's
    /// max_payload is `JB_RESULT_INVALID_ARGUMENT`; after close,
    /// `JB_RESULT_CLOSED`.
    fn jb_client_core_publish(
        client: *const jb_client,
        subject: *const c_char,
        payload: *const u8,
        payload_len: usize,
        headers: *const jb_header,
        headers_len: usize,
        reply: *const c_char,
    ) -> done;
    /// `jb_client_core_publish` without blocking: everything is copied before
    /// this returns; `callback` is called exactly once.
    async fn jb_client_core_publish_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let subject = unsafe { cstr(subject, "subject") }?.to_string();
        // SAFETY: caller's contract.
        let reply = unsafe { opt_cstr(reply, "reply") }?.map(str::to_string);
        // SAFETY: caller's contract.
        let (payload, headers) = unsafe { body(payload, payload_len, headers, headers_len) }?;
        async move { c.core_publish(&subject, payload.into(), &headers, reply.as_deref()).await }
    }
}

blocking_and_async! {
    /// Subscribes to `subject` (wildcards allowed), blocking until the server
    /// has the subscription, so a message published afterwards, from any
    /// connection, reaches it. With `queue` (NULL for none), the subscribers
    /// of that queue group share the messages, each to one. On success `*out`
    /// is owned by the caller (`jb_core_subscription_free`).
    fn jb_client_core_subscribe(
        client: *const jb_client,
        subject: *const c_char,
        queue: *const c_char,
    ) -> handle(jb_core_subscription, jb_core_subscription_callback);
    /// `jb_client_core_subscribe` without blocking.
    async fn jb_client_core_subscribe_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let subject = unsafe { cstr(subject, "subject") }?.to_string();
        // SAFETY: caller's contract.
        let queue = unsafe { opt_cstr(queue, "queue") }?.map(str::to_string);
        async move { c.core_subscribe(&subject, queue.as_deref()).await }
    }
}

/// Waits up to `timeout_ms` for the next message, blocking. On success
/// `*out` is a message the caller owns (`jb_core_message_free`), or NULL when
/// none came in time (not an error). `JB_RESULT_CLOSED` once the
/// subscription was unsubscribed (also by another thread while this waits)
/// or the client closed. Not on a library callback thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_core_subscription_next(
    subscription: *const jb_core_subscription,
    timeout_ms: u64,
    out: *mut *mut jb_core_message,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let s = self::subscription(subscription)?;
        let wait = crate::convert::ms(timeout_ms);
        let got = block(async move { s.next(wait).await })?;
        let handle = match got {
            Some(m) => jb_core_message::insert(entry(m))?,
            None => std::ptr::null_mut(),
        };
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

blocking_and_async! {
    /// Ends the subscription, blocking until the server is told: messages
    /// already received are dropped, and a `jb_core_subscription_next`
    /// waiting in another thread returns `JB_RESULT_CLOSED` at once. Twice is
    /// fine. The handle stays valid until `jb_core_subscription_free`.
    fn jb_core_subscription_unsubscribe(subscription: *const jb_core_subscription) -> done;
    /// `jb_core_subscription_unsubscribe` without blocking.
    async fn jb_core_subscription_unsubscribe_async;
    {
        let s = self::subscription(subscription)?;
        async move { s.unsubscribe().await }
    }
}

/// Frees the subscription, which ends it. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`. A `next` still waiting in another thread
/// keeps the subscription until it returns.
#[unsafe(no_mangle)]
pub extern "C" fn jb_core_subscription_free(subscription: *mut jb_core_subscription) -> jb_result {
    boundary(|| jb_core_subscription::remove(subscription).map(drop))
}

blocking_and_async! {
    /// Sends a request on `subject` and waits for the first reply, blocking, at
    /// most `timeout_ms` (0: the client's request timeout,
    /// `jb_connect_options.request_timeout_ms`). On success `*out` is the reply,
    /// owned by the caller. `JB_RESULT_NO_RESPONDERS` when nobody listens on
    /// `subject`, `JB_RESULT_TIMEOUT` when nobody answered in time.
    fn jb_client_core_request(
        client: *const jb_client,
        subject: *const c_char,
        payload: *const u8,
        payload_len: usize,
        headers: *const jb_header,
        headers_len: usize,
        timeout_ms: u64,
    ) -> handle(jb_core_message, jb_core_message_callback);
    /// `jb_client_core_request` without blocking: everything is copied before
    /// this returns; `callback` gets the reply.
    async fn jb_client_core_request_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let subject = unsafe { cstr(subject, "subject") }?.to_string();
        // SAFETY: caller's contract.
        let (payload, headers) = unsafe { body(payload, payload_len, headers, headers_len) }?;
        let timeout = opt_ms(timeout_ms).unwrap_or(c.options().request_timeout);
        async move { Ok(entry(request(c, subject, payload, headers, timeout).await?)) }
    }
}

async fn request(
    c: Client,
    subject: String,
    payload: Vec<u8>,
    headers: Vec<(String, String)>,
    timeout: std::time::Duration,
) -> Result<CoreMessage> {
    c.core_request(&subject, payload.into(), &headers, timeout)
        .await
}

blocking_and_async! {
    /// Answers `request` (a message received with a reply subject), blocking
    /// until the answer is handed to the connection: a core publish of
    /// `payload` and `headers` to its reply subject. `JB_RESULT_INVALID_ARGUMENT`
    /// when the message has no reply subject (nobody waits for an answer).
    fn jb_client_core_respond(
        client: *const jb_client,
        request: *const jb_core_message,
        payload: *const u8,
        payload_len: usize,
        headers: *const jb_header,
        headers_len: usize,
    ) -> done;
    /// `jb_client_core_respond` without blocking: everything is copied before
    /// this returns (the request may be freed at once); `callback` is called
    /// exactly once.
    async fn jb_client_core_respond_async;
    {
        let c = crate::client::client(client)?;
        let request = message(request)?;
        // SAFETY: caller's contract.
        let (payload, headers) = unsafe { body(payload, payload_len, headers, headers_len) }?;
        async move { c.core_respond(&request.msg, payload.into(), &headers).await }
    }
}

/// Fills `*out` with views of the message's data (valid until the message is
/// freed). Never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_core_message_read(
    message: *const jb_core_message,
    out: *mut jb_core_message_view,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let e = self::message(message)?;
        let m = &e.msg;
        let view = jb_core_message_view {
            subject: jb_str::of(&m.subject),
            payload: m.payload.as_ptr(),
            payload_len: m.payload.len(),
            headers: e.headers.as_ptr(),
            headers_len: e.headers.len(),
            reply: m.reply.as_deref().map_or(
                jb_str {
                    ptr: std::ptr::null(),
                    len: 0,
                },
                jb_str::of,
            ),
        };
        // SAFETY: checked out-parameter; the views point into the registry's
        // copy, which lives until the handle is freed.
        unsafe { out.write(view) };
        Ok(())
    })
}

/// Frees a core message handle. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_core_message_free(message: *mut jb_core_message) -> jb_result {
    boundary(|| jb_core_message::remove(message).map(drop))
}
