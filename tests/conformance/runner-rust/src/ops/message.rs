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

/// `ack`.
pub(crate) fn ack(st: &mut State, a: &Args<'_>) -> StepResult {
    target(st, a)?.ack()?;
    Ok(json!({}))
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
