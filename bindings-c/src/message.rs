//! `jb_message`: a delivered message, its data, and its acks.
//!
//! `ack`, `nak`, `term` are terminal: a second terminal ack is
//! `JB_RESULT_ALREADY_ACKED`. `in_progress` may repeat until then. These are
//! queued and batched by the core, never waiting for the network, so they
//! are safe to call from a library callback. `ack_sync` waits for the
//! server's confirmation: success means the message will not be redelivered;
//! on error the message stays un-acked.

use std::ffi::{c_char, c_void};

use jetbridge_core::{ErrorKind, Message, Result};

use crate::convert::{
    Out, cstr, header_views, jb_header, jb_str, opt_cstr, opt_ms, out_slice, slice,
};
use crate::error::{err, jb_result, null};
use crate::handles::{Handle, handle_registry};
use crate::panic::boundary;
use crate::runtime::{blocking_and_async, jb_done_callback};

/// A delivered message. Opaque handle.
///
/// Caller owns it: free with `jb_message_free` (or `jb_messages_free`), after
/// acking. Freeing an un-acked message does not ack it: the server
/// redelivers it after its ack wait. Safe to use from any thread.
pub struct jb_message {
    _private: [u8; 0],
}

/// A message with the C views of its headers.
pub(crate) struct MessageEntry {
    pub(crate) msg: Message,
    headers: Vec<jb_header>,
}

// SAFETY: `headers` only points into `msg.headers`, which is never mutated.
unsafe impl Send for MessageEntry {}
// SAFETY: as above; `Message` itself is thread-safe.
unsafe impl Sync for MessageEntry {}

handle_registry!(jb_message, MessageEntry, 0x15, "jb_message");

/// The data of a message. Every pointer borrows from the message handle and
/// stays valid until that handle is freed. Strings are length-delimited.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_message_view {
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
    /// The stream it came from.
    pub stream: jb_str,
    /// The consumer that delivered it.
    pub consumer: jb_str,
    /// Its stream sequence.
    pub stream_sequence: u64,
    /// Its consumer sequence.
    pub consumer_sequence: u64,
    /// How many times it was delivered (1 on first delivery).
    pub delivered: u64,
    /// When it was stored, Unix nanoseconds.
    pub timestamp_ns: i64,
    /// Messages still pending for the consumer after this one.
    pub pending: u64,
}

/// Called once with fetched messages: the handles become the callback's (free
/// them); the array itself is only valid during the call. NULL/0 on failure.
pub type jb_messages_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        messages: *const *mut jb_message,
        len: usize,
    ),
>;

/// Registers delivered messages and returns their new handles.
pub(crate) fn message_handles(messages: Vec<Message>) -> Result<Vec<*mut jb_message>> {
    let entries = messages.into_iter().map(|msg| {
        let headers = header_views(&msg.headers);
        MessageEntry { msg, headers }
    });
    Ok(jb_message::registry()
        .insert_many(entries)?
        .into_iter()
        .map(std::ptr::without_provenance_mut)
        .collect())
}

/// Registers one delivered message.
pub(crate) fn message_handle(msg: Message) -> Result<*mut jb_message> {
    let headers = header_views(&msg.headers);
    jb_message::insert(MessageEntry { msg, headers })
}

pub(crate) fn entry(handle: *const jb_message) -> Result<std::sync::Arc<MessageEntry>> {
    jb_message::get(handle, "message")
}

fn view(e: &MessageEntry) -> jb_message_view {
    let m = &e.msg;
    jb_message_view {
        subject: jb_str::of(&m.subject),
        payload: m.payload.as_ptr(),
        payload_len: m.payload.len(),
        headers: e.headers.as_ptr(),
        headers_len: e.headers.len(),
        stream: jb_str::of(&m.stream),
        consumer: jb_str::of(&m.consumer),
        stream_sequence: m.stream_sequence,
        consumer_sequence: m.consumer_sequence,
        delivered: m.delivered,
        timestamp_ns: m.timestamp,
        pending: m.pending,
    }
}

/// Fills `*out` with views of the message's data (valid until the message
/// is freed). Never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_message_read(
    message: *const jb_message,
    out: *mut jb_message_view,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // The views point into the registry's copy, which lives until the
        // handle is freed (the `Arc` dropped here is not the last one).
        let v = view(&*entry(message)?);
        // SAFETY: checked out-parameter.
        unsafe { out.write(v) };
        Ok(())
    })
}

/// `jb_message_read` for `len` messages with one call: `out_views` must have
/// room for `len` views. Fails (writing nothing) if any handle is NULL or
/// not a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_messages_read(
    messages: *const *const jb_message,
    len: usize,
    out_views: *mut jb_message_view,
) -> jb_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let handles = unsafe { slice(messages, len, "messages") }?;
        // SAFETY: caller's contract: room for `len` views.
        let out = unsafe { out_slice(out_views, len, "out_views") }?;
        if let Some(i) = handles.iter().position(|h| h.is_null()) {
            return Err(null(&format!("messages[{i}]")));
        }
        let entries = jb_message::registry()
            .get_many(handles.iter().map(|h| h.addr()))
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        for (slot, e) in out.iter_mut().zip(&entries) {
            slot.write(view(e));
        }
        Ok(())
    })
}

/// The first value of header `name` (case-insensitive), e.g.
/// `"Nats-Msg-Id"`, as a view valid until the message is freed.
/// `JB_RESULT_NOT_FOUND` when the message has no such header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_message_header(
    message: *const jb_message,
    name: *const c_char,
    out_value: *mut jb_str,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out_value, "out_value")?;
        // SAFETY: caller's contract.
        let name = unsafe { cstr(name, "name") }?;
        let e = entry(message)?;
        let value = e
            .msg
            .header(name)
            .ok_or_else(|| err(ErrorKind::NotFound, format!("no header {name:?}")))?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(jb_str::of(value)) };
        Ok(())
    })
}

/// Acknowledges the message (terminal). Queued, never blocks.
#[unsafe(no_mangle)]
pub extern "C" fn jb_message_ack(message: *const jb_message) -> jb_result {
    boundary(|| entry(message)?.msg.ack())
}

/// Asks for redelivery after `delay_ms` (0 = at once). Terminal for this
/// delivery. Queued, never blocks.
#[unsafe(no_mangle)]
pub extern "C" fn jb_message_nak(message: *const jb_message, delay_ms: u64) -> jb_result {
    boundary(|| entry(message)?.msg.nak(opt_ms(delay_ms)))
}

/// Stops redelivery for good (terminal); `reason` may be NULL (no CR/LF).
/// Queued, never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_message_term(
    message: *const jb_message,
    reason: *const c_char,
) -> jb_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let reason = unsafe { opt_cstr(reason, "reason") }?;
        entry(message)?.msg.term(reason)
    })
}

/// "Still working on it": resets the ack timer. May repeat until a terminal
/// ack. Queued, never blocks.
#[unsafe(no_mangle)]
pub extern "C" fn jb_message_in_progress(message: *const jb_message) -> jb_result {
    boundary(|| entry(message)?.msg.in_progress())
}

blocking_and_async! {
    /// Acknowledges and waits for the server's confirmation, blocking. Success
    /// means the message will not be redelivered; on any error (timeout, no
    /// responders) it stays un-acked and may be acked again.
    fn jb_message_ack_sync(message: *const jb_message) -> done;
    /// `jb_message_ack_sync` without blocking; `callback` is called exactly
    /// once. The message may be freed before the callback runs.
    async fn jb_message_ack_sync_async;
    {
        let e = entry(message)?;
        async move { e.msg.ack_sync().await }
    }
}

/// `*out` is true once a terminal ack was sent or confirmed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_message_is_acked(
    message: *const jb_message,
    out: *mut bool,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let acked = entry(message)?.msg.is_acked();
        // SAFETY: checked out-parameter.
        unsafe { out.write(acked) };
        Ok(())
    })
}

/// Acks `len` messages with one call. Returns `JB_RESULT_OK` when every ack
/// was queued, otherwise the code of the first failure (its message is the
/// last error). When `out_results` is not NULL it must have room for `len`
/// codes and receives each message's outcome (written whenever the arguments
/// were valid, also on a failure).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_messages_ack(
    messages: *const *const jb_message,
    len: usize,
    out_results: *mut jb_result,
) -> jb_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let handles = unsafe { slice(messages, len, "messages") }?;
        let results = if out_results.is_null() {
            None
        } else {
            // SAFETY: caller's contract: room for `len` codes.
            Some(unsafe { out_slice(out_results, len, "out_results") }?)
        };
        let entries = jb_message::registry().get_many(handles.iter().map(|h| h.addr()));
        let mut first_error = None;
        let mut codes = Vec::with_capacity(len);
        for (i, e) in entries.into_iter().enumerate() {
            let outcome = match (handles[i].is_null(), e) {
                (true, _) => Err(null(&format!("messages[{i}]"))),
                (false, Ok(e)) => e.msg.ack(),
                (false, Err(e)) => Err(e),
            };
            codes.push(match &outcome {
                Ok(()) => jb_result::Ok,
                Err(e) => jb_result::from(e),
            });
            if let Err(e) = outcome {
                first_error.get_or_insert(e);
            }
        }
        if let Some(results) = results {
            for (slot, code) in results.iter_mut().zip(codes) {
                slot.write(code);
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })
}

/// Frees a message handle. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_message_free(message: *mut jb_message) -> jb_result {
    boundary(|| jb_message::remove(message).map(drop))
}

/// Frees `len` message handles with one call; NULL entries are skipped.
/// Returns `JB_RESULT_INVALID_HANDLE` if any entry was not a live message
/// (the others are still freed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_messages_free(
    messages: *const *mut jb_message,
    len: usize,
) -> jb_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let handles = unsafe { slice(messages, len, "messages") }?;
        let live = handles.iter().filter(|h| !h.is_null()).map(|h| h.addr());
        let outcomes = jb_message::registry().remove_many(live);
        match outcomes.into_iter().find_map(Result::err) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })
}
