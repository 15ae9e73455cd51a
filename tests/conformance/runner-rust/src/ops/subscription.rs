//! Continuous consumption: `messages` (durable pull), `replay` (ordered),
//! `push_subscribe`, and reading them with `next` / `next_group`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use jetbridge::{MessageStream, MessagesOptions, ReplayOptions, ReplaySpeed};
use serde_json::json;

use crate::args::Args;
use crate::outcome::{StepError, StepResult, runner};
use crate::print;
use crate::state::State;

/// Pull tuning: the declared `MessagesOptions` read from the arguments
/// (`batch`, `heartbeat_ms`, `expires_ms`, `group`, …; `Args::record`).
fn pull_options(a: &Args<'_>) -> Result<MessagesOptions, StepError> {
    a.record(&[])
}

/// A replay's `speed`: `instant` or `original`.
fn replay_speed(s: &str) -> Result<ReplaySpeed, StepError> {
    match s {
        "instant" => Ok(ReplaySpeed::Instant),
        "original" => Ok(ReplaySpeed::Original),
        other => Err(StepError::Unsupported(format!("replay speed {other:?}"))),
    }
}

fn keep(st: &mut State, alias: String, stream: MessageStream) -> StepResult {
    st.streams.insert(alias, stream);
    Ok(json!({}))
}

/// `messages`: a continuous pull from the consumer `consumer`, stored as `as`.
pub(crate) async fn messages(st: &mut State, a: &Args<'_>) -> StepResult {
    let consumer = a.required_string("consumer")?;
    let alias = a.required_string("as")?;
    let options = pull_options(a)?;
    let stream = st.consumer(&consumer)?.messages(options).await?;
    keep(st, alias, stream)
}

/// `replay`: an ordered replay of `stream`, stored as `as`.
pub(crate) async fn replay(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let alias = a.required_string("as")?;
    let mut options = ReplayOptions {
        messages: pull_options(a)?,
        filter_subjects: a.strings("filter_subjects")?.unwrap_or_default(),
        ..ReplayOptions::default()
    };
    if let Some(s) = a.object("start")? {
        options.start = super::start::start(st.client()?, &stream, &s).await?;
    }
    if let Some(s) = a.string("speed")? {
        options.speed = replay_speed(&s)?;
    }
    let replay = st.client()?.replay(&stream, options).await?;
    keep(st, alias, replay)
}

/// `push_subscribe`: creates or joins a push consumer, stored as `as`.
pub(crate) async fn push_subscribe(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let alias = a.required_string("as")?;
    let config = match a.object("config")? {
        Some(c) => super::consumer::config(st.client()?, &stream, &c).await?,
        None => jetbridge::ConsumerConfig::default(),
    };
    let push = st.client()?.push_subscribe(&stream, config).await?;
    keep(st, alias, push)
}

/// `next`: up to `max` (default 1) messages from stream `from`, waiting at
/// most `wait_ms` (default 5000) in total; returns early once `max` arrived.
pub(crate) async fn next(st: &mut State, a: &Args<'_>) -> StepResult {
    let from = a.required_string("from")?;
    let max = a.usize("max")?.unwrap_or(1);
    let wait = a.millis("wait_ms")?.unwrap_or(Duration::from_secs(5));
    let stream = st.stream(&from)?;
    let deadline = Instant::now() + wait;
    let mut got = Vec::new();
    while got.len() < max {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        got.extend(stream.next_batch(max - got.len(), left).await?);
    }
    let printed = print::messages(&got);
    st.remember(&from, got);
    Ok(printed)
}

/// `next_group`: reads the members `from` (aliases of push subscriptions of
/// one deliver group) in turn, acking every message, until `count` messages
/// arrived or `wait_ms` (default 10000) passed; then keeps reading for
/// `settle_ms` (default 300) to catch any extra delivery.
pub(crate) async fn next_group(st: &mut State, a: &Args<'_>) -> StepResult {
    let members = a
        .strings("from")?
        .ok_or_else(|| runner("argument from is required"))?;
    let count = a.usize("count")?.unwrap_or(0);
    let wait = a.millis("wait_ms")?.unwrap_or(Duration::from_secs(10));
    let settle = a.millis("settle_ms")?.unwrap_or(Duration::from_millis(300));
    for m in &members {
        st.stream(m)?;
    }
    let mut seqs = BTreeSet::new();
    let (mut received, mut duplicates) = (0usize, 0usize);
    let mut used = BTreeSet::new();
    let deadline = Instant::now() + wait;
    let mut settle_end: Option<Instant> = None;
    loop {
        let now = Instant::now();
        match settle_end {
            Some(end) if now >= end => break,
            None if received >= count => settle_end = Some(now + settle),
            None if now >= deadline => break,
            _ => {}
        }
        for member in &members {
            let batch = st
                .stream(member)?
                .next_batch(64, Duration::from_millis(20))
                .await?;
            for m in batch {
                received += 1;
                used.insert(member.clone());
                if !seqs.insert(m.stream_sequence) {
                    duplicates += 1;
                }
                m.ack()?;
            }
        }
    }
    Ok(json!({
        "received": received,
        "duplicates": duplicates,
        "seqs": seqs.into_iter().collect::<Vec<_>>(),
        "members_used": used.len(),
    }))
}

/// `stop`: stops the stream `from` (buffered messages stay readable).
pub(crate) fn stop(st: &mut State, a: &Args<'_>) -> StepResult {
    let from = a.required_string("from")?;
    st.stream(&from)?.stop();
    Ok(json!({}))
}
