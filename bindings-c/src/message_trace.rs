//! The trace context a delivered message carries and how its process span
//! is described, as library-owned copies of the core's `TraceContext` and
//! `SpanSpec` (`Message::trace_context`, `Message::process_span`).

use crate::convert::Out;
use crate::error::jb_result;
use crate::generated::{jb_span_spec, jb_trace_context};
use crate::handles::give;
use crate::message::{entry, jb_message};
use crate::panic::boundary;
use crate::record_c::{CRecord, RecordBox};

/// A library-owned copy of `value` (NULL for `None`) into `*out`.
fn give_record<T: CRecord>(
    value: Option<&T::Core>,
    out: *mut *mut T,
) -> jetbridge_core::Result<()> {
    let out = Out::new(out, "out")?;
    let ptr = value.map_or(std::ptr::null_mut(), |v| give(*RecordBox::<T>::new(v)));
    // SAFETY: checked out-parameter.
    unsafe { out.write(ptr) };
    Ok(())
}

/// The trace context the message carries (its `traceparent` and
/// `tracestate` headers, read by the core's W3C rules): `*out` is a
/// library-owned copy, freed with `jb_trace_context_free`, or NULL (still
/// `JB_RESULT_OK`) when the message carries none or an invalid one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_message_trace_context(
    message: *const jb_message,
    out: *mut *mut jb_trace_context,
) -> jb_result {
    boundary(|| {
        let e = entry(message)?;
        give_record::<jb_trace_context>(e.msg.trace_context().as_ref(), out)
    })
}

/// How the span of processing this message is named and described, the same
/// in every language (`name` = `process <subject>`, `kind` = `consumer`,
/// OpenTelemetry messaging attributes): `*out` is a library-owned copy,
/// freed with `jb_span_spec_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_message_process_span(
    message: *const jb_message,
    out: *mut *mut jb_span_spec,
) -> jb_result {
    boundary(|| {
        let e = entry(message)?;
        give_record::<jb_span_spec>(Some(&e.msg.process_span()), out)
    })
}
