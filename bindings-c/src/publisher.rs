//! `jb_publisher`: pipelined publishing with a bounded in-flight window.
//!
//! `jb_publisher_publish` returns as soon as the message is queued (it waits
//! only while the window is full — never drops, never fails for being full);
//! acks are tracked in the background with the same retry rules as a single
//! publish; `jb_publisher_flush` waits for every outstanding ack and reports
//! each failure.

use std::ffi::{c_char, c_void};

use jetbridge_core::{FlushReport, Publisher, Result, TryPublish};

use crate::client::jb_client;
use crate::convert::{Out, SendPtr, Strings, input, out_slice};
use crate::error::jb_result;
use crate::generated::jb_publisher_options;
use crate::handles::{Handle, Owned, give, handle_registry, take_back};
use crate::panic::boundary;
use crate::publish::{
    ack_box, jb_pub_ack_callback, jb_publish_message, message_from_c, messages_from_c,
};
use crate::record_c;
use crate::runtime::{
    block, blocking_and_async, error_ptr, require, spawn_lend, spawn_then, split,
};

/// A pipelined publisher. Opaque handle.
///
/// Caller owns it: free with `jb_publisher_free` (after `jb_publisher_flush`
/// or `jb_publisher_close`, or outstanding outcomes are not reported). Under
/// the hood this is the core's `Publisher`. Safe to use from any thread;
/// messages are sent in the order they were queued.
pub struct jb_publisher {
    _private: [u8; 0],
}

handle_registry!(jb_publisher, Publisher, 0x13, "jb_publisher");

/// One queued message that did not end in an ack.
#[repr(C)]
#[derive(Debug)]
pub struct jb_publish_failure {
    /// The ticket `jb_publisher_publish` returned for it.
    pub ticket: u64,
    /// Its msg id.
    pub msg_id: *const c_char,
    /// Its subject.
    pub subject: *const c_char,
    /// Why (`JB_RESULT_PUBLISH_OUTCOME_UNKNOWN`: it may have been stored).
    pub result: jb_result,
    /// The error message.
    pub error: *const c_char,
}

/// What happened to the messages settled since the previous flush.
/// Library-owned: from a blocking call free it with `jb_flush_report_free`;
/// lent to callbacks for the duration of the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_flush_report {
    /// Messages acked (duplicates included).
    pub acked: u64,
    /// Of those, duplicates.
    pub duplicates: u64,
    /// Every failure, in ticket order.
    pub failures: *const jb_publish_failure,
    /// Number of failures.
    pub failures_len: usize,
}

/// Called once with the tickets of queued messages, lent for the duration of
/// the call (NULL/0 on failure).
pub type jb_tickets_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        tickets: *const u64,
        len: usize,
    ),
>;

/// Called once with a flush report lent for the duration of the call.
pub type jb_flush_report_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        report: *const jb_flush_report,
    ),
>;

/// A `jb_flush_report` with its storage.
#[repr(C)]
pub(crate) struct ReportBox {
    c: jb_flush_report,
    failures: Vec<jb_publish_failure>,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for ReportBox {}

// SAFETY: repr(C) with `jb_flush_report` first.
unsafe impl Owned for ReportBox {
    type C = jb_flush_report;
    const TAG: u8 = 0x85;
    const WHAT: &'static str = "jb_flush_report";
}

fn report_box(r: FlushReport) -> ReportBox {
    let mut strings = Strings::default();
    let failures: Vec<jb_publish_failure> = r
        .failures
        .iter()
        .map(|f| jb_publish_failure {
            ticket: f.ticket,
            msg_id: strings.add(&f.msg_id),
            subject: strings.add(&f.subject),
            result: jb_result::from(&f.error),
            error: strings.add(&f.error.to_string()),
        })
        .collect();
    ReportBox {
        c: jb_flush_report {
            acked: r.acked,
            duplicates: r.duplicates,
            failures: failures.as_ptr(),
            failures_len: failures.len(),
        },
        failures,
        strings,
    }
}

fn publisher(handle: *const jb_publisher) -> Result<Publisher> {
    Ok((*jb_publisher::get(handle, "publisher")?).clone())
}

/// Creates a publisher with its own window (`options` may be NULL for the
/// defaults). Never blocks. On success `*out` is owned by the caller.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_new(
    client: *const jb_client,
    options: *const jb_publisher_options,
    out: *mut *mut jb_publisher,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read_or_default(options, "options") }?;
        let handle = jb_publisher::insert(c.publisher(options)?)?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Queues one message: at once when the window has room (no runtime hop),
/// else waiting for room, at most `wait` when given.
///
/// # Safety
/// `message` is NULL or valid.
unsafe fn publish_one(
    publisher: *const jb_publisher,
    message: *const jb_publish_message,
    wait: Option<std::time::Duration>,
) -> Result<u64> {
    let p = self::publisher(publisher)?;
    // SAFETY: caller's contract.
    let message = unsafe { message_from_c(input(message, "message")?) }?;
    match p.try_publish(message)? {
        TryPublish::Queued(ticket) => Ok(ticket),
        TryPublish::Full(message) => block(async move { p.publish_within(message, wait).await }),
    }
}

/// Queues one message, waiting only while the window is full; `*out_ticket`
/// is its ticket (0, 1, 2… per publisher), used by flush reports. Fails only
/// for invalid input or a closed publisher/client. Must not be called from a
/// library callback thread when the window may be full (it would block;
/// `JB_RESULT_INVALID_ARGUMENT` is returned instead) — use
/// `jb_publisher_try_publish` or `jb_publisher_publish_many_async` there.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_publish(
    publisher: *const jb_publisher,
    message: *const jb_publish_message,
    out_ticket: *mut u64,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out_ticket, "out_ticket")?;
        // SAFETY: caller's contract.
        let ticket = unsafe { publish_one(publisher, message, None) }?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(ticket) };
        Ok(())
    })
}

/// `jb_publisher_publish` waiting at most `timeout_ms` for room in the
/// window: `JB_RESULT_TIMEOUT` when it stayed full (nothing was queued; the
/// message may be offered again). For callers that must stay responsive,
/// e.g. to a cancellation, while the window is full.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_publish_timeout(
    publisher: *const jb_publisher,
    message: *const jb_publish_message,
    timeout_ms: u64,
    out_ticket: *mut u64,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out_ticket, "out_ticket")?;
        let wait = Some(crate::convert::ms(timeout_ms));
        // SAFETY: caller's contract.
        let ticket = unsafe { publish_one(publisher, message, wait) }?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(ticket) };
        Ok(())
    })
}

/// Queues one message only if the window has room, never waiting. On
/// success `*out_queued` says whether it was queued and, if so,
/// `*out_ticket` is its ticket (untouched otherwise).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_try_publish(
    publisher: *const jb_publisher,
    message: *const jb_publish_message,
    out_queued: *mut bool,
    out_ticket: *mut u64,
) -> jb_result {
    boundary(|| {
        let out_queued = Out::new(out_queued, "out_queued")?;
        let out_ticket = Out::new(out_ticket, "out_ticket")?;
        let p = self::publisher(publisher)?;
        // SAFETY: caller's contract.
        let message = unsafe { message_from_c(input(message, "message")?) }?;
        match p.try_publish(message)? {
            TryPublish::Queued(ticket) => {
                // SAFETY: checked out-parameters.
                unsafe {
                    out_ticket.write(ticket);
                    out_queued.write(true);
                }
            }
            // SAFETY: checked out-parameter.
            TryPublish::Full(_) => unsafe { out_queued.write(false) },
        }
        Ok(())
    })
}

/// Queues `len` messages in order, waiting for room as needed, with one
/// crossing into the library. All are validated first: if one is invalid,
/// nothing is queued and the error names its index. On success
/// `out_tickets[i]` is the ticket of message `i` (`out_tickets` must have
/// room for `len`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_publish_many(
    publisher: *const jb_publisher,
    messages: *const jb_publish_message,
    len: usize,
    out_tickets: *mut u64,
) -> jb_result {
    boundary(|| {
        // SAFETY: `out_tickets` has room for `len` values by contract.
        let out = unsafe { out_slice(out_tickets, len, "out_tickets") }?;
        let p = self::publisher(publisher)?;
        // SAFETY: caller's contract.
        let messages = unsafe { messages_from_c(messages, len) }?;
        let tickets = block(async move { p.publish_many(messages).await })?;
        for (slot, ticket) in out.iter_mut().zip(tickets) {
            slot.write(ticket);
        }
        Ok(())
    })
}

/// `jb_publisher_publish_many` without blocking: the messages are copied
/// before this returns; `callback` is called exactly once with the tickets.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_publish_many_async(
    publisher: *const jb_publisher,
    messages: *const jb_publish_message,
    len: usize,
    callback: jb_tickets_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        let p = self::publisher(publisher)?;
        // SAFETY: caller's contract.
        let messages = unsafe { messages_from_c(messages, len) }?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move { p.publish_many(messages).await },
            move |outcome| {
                let (code, message, tickets) = split(outcome);
                let tickets = tickets.unwrap_or_default();
                // SAFETY: callback contract; `tickets` outlives the call.
                unsafe {
                    callback(
                        user_data.get(),
                        code,
                        error_ptr(&message),
                        tickets.as_ptr(),
                        tickets.len(),
                    )
                };
            },
        )
    })
}

/// Queues one message like `jb_publisher_publish` (waiting only while the
/// window is full) and tracks its own outcome: `callback` is called exactly
/// once, on a library thread, with the message's ack (`duplicate` set when the
/// msg id was seen before) or its typed error (e.g.
/// `JB_RESULT_WRONG_LAST_SEQUENCE`, `JB_RESULT_NOT_FOUND`; the API code is
/// `jb_last_error_api_code` during the call), the ack lent for the call.
/// `*out_ticket` is its ticket. The message also counts in the next flush
/// report, like any other. When this returns an error (invalid message,
/// closed publisher) nothing was queued and `callback` is never called.
/// Freeing the publisher does not cancel the callback. Not on a library
/// callback thread when the window may be full (as `jb_publisher_publish`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_publish_tracked(
    publisher: *const jb_publisher,
    message: *const jb_publish_message,
    out_ticket: *mut u64,
    callback: jb_pub_ack_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out_ticket, "out_ticket")?;
        let callback = require(callback)?;
        let p = self::publisher(publisher)?;
        // SAFETY: caller's contract.
        let message = unsafe { message_from_c(input(message, "message")?) }?;
        let (ticket, pending) = block(async move { p.publish_tracked(message).await })?;
        spawn_lend(
            async move { pending.await.map(ack_box) },
            Some(callback),
            user_data,
        )?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(ticket) };
        Ok(())
    })
}

blocking_and_async! {
    /// Waits until every queued message is settled, blocking; `*out` reports
    /// what happened since the previous flush (the caller owns it:
    /// `jb_flush_report_free`).
    fn jb_publisher_flush(publisher: *const jb_publisher)
        -> lend(jb_flush_report, jb_flush_report_callback);
    /// `jb_publisher_flush` without blocking; the report is lent to `callback`.
    async fn jb_publisher_flush_async;
    {
        let p = self::publisher(publisher)?;
        async move { p.flush().await.map(report_box) }
    }
}

/// Flushes, then refuses further publishes with `JB_RESULT_CLOSED`,
/// blocking. `*out` as in `jb_publisher_flush`. The handle stays valid until
/// `jb_publisher_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_close(
    publisher: *const jb_publisher,
    out: *mut *mut jb_flush_report,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let p = self::publisher(publisher)?;
        let report = block(async move { p.close().await })?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(give(report_box(report))) };
        Ok(())
    })
}

/// Messages and bytes awaiting their ack right now. Never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_in_flight(
    publisher: *const jb_publisher,
    out_messages: *mut usize,
    out_bytes: *mut usize,
) -> jb_result {
    boundary(|| {
        let out_messages = Out::new(out_messages, "out_messages")?;
        let out_bytes = Out::new(out_bytes, "out_bytes")?;
        let (messages, bytes) = self::publisher(publisher)?.in_flight();
        // SAFETY: checked out-parameters.
        unsafe {
            out_messages.write(messages);
            out_bytes.write(bytes);
        }
        Ok(())
    })
}

/// The most messages that were ever in flight at once. Never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_publisher_peak_in_flight(
    publisher: *const jb_publisher,
    out: *mut usize,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let peak = self::publisher(publisher)?.peak_in_flight();
        // SAFETY: checked out-parameter.
        unsafe { out.write(peak) };
        Ok(())
    })
}

/// Frees a flush report from a blocking call. NULL is a no-op; a double
/// free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_flush_report_free(report: *mut jb_flush_report) -> jb_result {
    boundary(|| take_back::<ReportBox>(report))
}

/// Frees the handle. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`. Messages still in flight keep being tracked
/// until settled, but their outcomes are no longer reported.
#[unsafe(no_mangle)]
pub extern "C" fn jb_publisher_free(publisher: *mut jb_publisher) -> jb_result {
    boundary(|| jb_publisher::remove(publisher).map(drop))
}
