//! Core NATS on the client: subscribe, publish, request-reply, and a
//! responder running in the background (SPEC.md §4.8).

use std::sync::Arc;
use std::time::Duration;

use jetbridge::CoreMessage;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::args::Args;
use crate::outcome::{StepResult, runner};
use crate::print;
use crate::state::State;

/// `core_subscribe`: `subject`, `queue`, `as`.
pub(crate) async fn core_subscribe(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("as")?;
    let queue = a.string("queue")?;
    let sub = st
        .client()?
        .core_subscribe(&a.required_string("subject")?, queue.as_deref())
        .await?;
    st.core_subs.insert(alias, Arc::new(sub));
    Ok(json!({}))
}

/// `core_publish`: `subject`, `data` or `data_size`, `headers`, `reply`.
pub(crate) async fn core_publish(st: &mut State, a: &Args<'_>) -> StepResult {
    let msg = super::publish::message(a)?;
    let reply = a.string("reply")?;
    st.client()?
        .core_publish(&msg.subject, msg.payload, &msg.headers, reply.as_deref())
        .await?;
    Ok(json!({}))
}

/// `core_next`: up to `max` messages within `wait_ms` in total.
pub(crate) async fn core_next(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("from")?;
    let max = a.usize("max")?.unwrap_or(1);
    let wait = a.millis("wait_ms")?.unwrap_or(Duration::from_secs(2));
    let sub = st.core_sub(&alias)?;
    let deadline = Instant::now() + wait;
    let mut got = Vec::new();
    while got.len() < max {
        let left = deadline.saturating_duration_since(Instant::now());
        match sub.next(left).await? {
            Some(m) => got.push(m),
            None => break,
        }
    }
    let printed: Vec<Value> = got.iter().map(core_message).collect();
    if let Some(last) = got.pop() {
        st.core_last.insert(alias, last);
    }
    Ok(json!({ "count": printed.len(), "messages": printed }))
}

/// `core_next_group`: reads the members in turn until `count` messages
/// arrived or `wait_ms` passed, then `settle_ms` more.
pub(crate) async fn core_next_group(st: &mut State, a: &Args<'_>) -> StepResult {
    let members = a
        .strings("from")?
        .ok_or_else(|| runner("argument from is required"))?
        .iter()
        .map(|m| st.core_sub(m))
        .collect::<Result<Vec<_>, _>>()?;
    let count = a.usize("count")?.unwrap_or(0);
    let wait = a.millis("wait_ms")?.unwrap_or(Duration::from_secs(5));
    let settle = a.millis("settle_ms")?.unwrap_or(Duration::from_millis(300));
    let mut data = Vec::new();
    let deadline = Instant::now() + wait;
    let mut settle_end: Option<Instant> = None;
    loop {
        let now = Instant::now();
        match settle_end {
            Some(end) if now >= end => break,
            None if data.len() >= count => settle_end = Some(now + settle),
            None if now >= deadline => break,
            _ => {}
        }
        for sub in &members {
            while let Some(m) = sub.next(Duration::from_millis(20)).await? {
                data.push(print::data(&m.payload));
            }
        }
    }
    data.sort_by_key(|d| d.to_string());
    Ok(json!({ "received": data.len(), "data": data }))
}

/// `core_unsubscribe`: ends the subscription (and a responder serving it).
pub(crate) async fn core_unsubscribe(st: &mut State, a: &Args<'_>) -> StepResult {
    st.core_sub(&a.required_string("from")?)?
        .unsubscribe()
        .await?;
    Ok(json!({}))
}

/// `core_reply_service`: subscribes, then answers each request with `prefix`
/// + its data and its headers, in a background task, until unsubscribed.
pub(crate) async fn core_reply_service(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("as")?;
    let prefix = a.string("prefix")?.unwrap_or_default();
    let queue = a.string("queue")?;
    let client = st.client()?.clone();
    let sub = Arc::new(
        client
            .core_subscribe(&a.required_string("subject")?, queue.as_deref())
            .await?,
    );
    st.core_subs.insert(alias, sub.clone());
    tokio::spawn(async move {
        // Ends with CLOSED when unsubscribed or the client closes.
        while let Ok(next) = sub.next(Duration::from_secs(3600)).await {
            let Some(request) = next else { continue };
            let mut answer = prefix.clone().into_bytes();
            answer.extend_from_slice(&request.payload);
            let _ = client
                .core_respond(&request, answer.into(), &request.headers)
                .await;
        }
    });
    Ok(json!({}))
}

/// `core_respond`: answers the last message `core_next` returned from `from`.
pub(crate) async fn core_respond(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("from")?;
    let data = a.string("data")?.unwrap_or_default();
    let headers = a.pairs("headers")?.unwrap_or_default();
    let request = st
        .core_last
        .get(&alias)
        .ok_or_else(|| runner(format!("no message received from {alias:?}")))?;
    st.client()?
        .core_respond(request, data.into_bytes().into(), &headers)
        .await?;
    Ok(json!({}))
}

/// `core_request`: `subject`, `data`, `headers`, `timeout_ms` (default 2 s).
pub(crate) async fn core_request(st: &mut State, a: &Args<'_>) -> StepResult {
    let msg = super::publish::message(a)?;
    let timeout = a.millis("timeout_ms")?.unwrap_or(Duration::from_secs(2));
    let reply = st
        .client()?
        .core_request(&msg.subject, msg.payload, &msg.headers, timeout)
        .await?;
    Ok(json!({ "data": print::data(&reply.payload), "headers": print::headers(&reply.headers) }))
}

/// CORE: a core message without its reply subject (an inbox).
fn core_message(m: &CoreMessage) -> Value {
    json!({
        "subject": m.subject,
        "data": print::data(&m.payload),
        "headers": print::headers(&m.headers),
        "has_reply": m.reply.is_some(),
    })
}
