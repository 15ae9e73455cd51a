//! Connection event listeners (SPEC.md §4.8).

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::args::Args;
use crate::outcome::{StepResult, runner};
use crate::state::State;

/// `events_listen`: a listener of the client's events from now on.
pub(crate) fn events_listen(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("as")?;
    let events = st.client()?.events();
    st.listeners.insert(alias, Some(Box::new(events)));
    Ok(json!({}))
}

/// `events_next`: events until `max` arrived, the listener ended, or
/// `wait_ms` passed.
pub(crate) async fn events_next(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("from")?;
    let max = a.usize("max")?.unwrap_or(10);
    let wait = a.millis("wait_ms")?.unwrap_or(Duration::from_millis(500));
    let listener = st
        .listeners
        .get_mut(&alias)
        .ok_or_else(|| runner(format!("no event listener with alias {alias:?}")))?;
    let deadline = Instant::now() + wait;
    let mut events: Vec<Value> = Vec::new();
    while events.len() < max {
        let Some(stream) = listener.as_mut() else {
            break;
        };
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Err(_) => break,
            Ok(None) => *listener = None,
            Ok(Some(e)) => events.push(json!({ "kind": e.name(), "detail": e.detail() })),
        }
    }
    // `closed` is the last event: the listener has ended.
    if events.last().is_some_and(|e| e["kind"] == "closed") {
        *listener = None;
    }
    Ok(json!({ "events": events, "ended": listener.is_none() }))
}
