//! Acks: `{"from": alias, "seq": N}` names the latest delivery of stream
//! sequence N received from that consumer or stream.

use jetbridge::Message;
use serde_json::json;

use crate::args::Args;
use crate::outcome::{StepError, StepResult};
use crate::state::State;

fn target<'s>(st: &'s State, a: &Args<'_>) -> Result<&'s Message, StepError> {
    let from = a.required_string("from")?;
    let seq = a.required_u64("seq")?;
    st.message(&from, seq)
}

/// `ack`; `awaited` names the awaitable form of languages that have one
/// (Rust's ack is a plain call).
pub(crate) fn ack(st: &mut State, a: &Args<'_>) -> StepResult {
    a.bool("awaited")?;
    target(st, a)?.ack()?;
    Ok(json!({}))
}

/// `read_headers`: each of `names` looked up as a user would, case-insensitive.
pub(crate) fn read_headers(st: &mut State, a: &Args<'_>) -> StepResult {
    let names = a.strings("names")?.unwrap_or_default();
    let msg = target(st, a)?;
    let headers: Vec<_> = names
        .iter()
        .map(|name| {
            let all: Vec<&str> = msg
                .headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .collect();
            json!({"name": name, "has": !all.is_empty(), "first": msg.header(name), "all": all})
        })
        .collect();
    Ok(json!({ "headers": headers }))
}

/// `trace_context`: the core's reading of the message's trace headers.
pub(crate) fn trace_context(st: &mut State, a: &Args<'_>) -> StepResult {
    let trace = target(st, a)?.trace_context().map(|t| {
        json!({"trace_id": t.trace_id, "span_id": t.span_id, "sampled": t.sampled,
               "traceparent": t.traceparent, "tracestate": t.tracestate})
    });
    Ok(json!({ "trace": trace }))
}

/// `nak`, with an optional `delay_ms`.
pub(crate) fn nak(st: &mut State, a: &Args<'_>) -> StepResult {
    let delay = a.millis("delay_ms")?;
    target(st, a)?.nak(delay)?;
    Ok(json!({}))
}

/// `term`, with an optional `reason`.
pub(crate) fn term(st: &mut State, a: &Args<'_>) -> StepResult {
    let reason = a.string("reason")?;
    target(st, a)?.term(reason.as_deref())?;
    Ok(json!({}))
}

/// `in_progress`.
pub(crate) fn in_progress(st: &mut State, a: &Args<'_>) -> StepResult {
    target(st, a)?.in_progress()?;
    Ok(json!({}))
}

/// `ack_sync`: waits for the server's confirmation.
pub(crate) async fn ack_sync(st: &mut State, a: &Args<'_>) -> StepResult {
    target(st, a)?.ack_sync().await?;
    Ok(json!({}))
}
