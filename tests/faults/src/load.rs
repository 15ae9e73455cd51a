//! Load generators that record into a [`Checker`], and the final ordered read.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jetbridge::{Client, ErrorKind, PubAck, PublishMessage, ReplayOptions};

use crate::checker::{Checker, Ended};

/// How a publish result counts for the checker.
pub fn ended(result: &jetbridge::Result<PubAck>) -> Ended {
    match result {
        Ok(ack) => Ended::Acked(ack.sequence),
        Err(e) if e.is_retryable() || e.kind() == ErrorKind::Closed => Ended::Unknown,
        Err(e) => Ended::Failed(e.kind().name().to_string()),
    }
}

/// Publishes ids `prefix-<from..to>` on `subject` in pipelined chunks (one
/// `publish_many` call per chunk) and records every outcome. `progress`
/// counts finished publishes.
pub async fn publish_range(
    client: &Client,
    checker: &Checker,
    subject: &str,
    prefix: &str,
    range: std::ops::Range<u64>,
    progress: &AtomicU64,
) {
    let ids: Vec<u64> = range.collect();
    for chunk in ids.chunks(500) {
        let msgs: Vec<PublishMessage> = chunk
            .iter()
            .map(|i| {
                let id = format!("{prefix}-{i}");
                checker.attempt(&id);
                PublishMessage::new(subject, format!("payload {i}")).with_msg_id(id)
            })
            .collect();
        let ids: Vec<String> = msgs.iter().filter_map(|m| m.msg_id.clone()).collect();
        match client.publish_many(msgs).await {
            Ok(results) => {
                for (id, r) in ids.iter().zip(&results) {
                    checker.ended(id, ended(r));
                }
            }
            Err(_) => ids.iter().for_each(|id| checker.ended(id, Ended::Unknown)),
        }
        progress.fetch_add(chunk.len() as u64, Ordering::Relaxed);
    }
}

/// Publishes one message at a time, at most `rate` per second, until `stop`;
/// returns how many were attempted.
pub async fn publish_paced(
    client: Client,
    checker: Arc<Checker>,
    subject: String,
    prefix: String,
    rate: u64,
    stop: Arc<AtomicBool>,
) -> u64 {
    let gap = Duration::from_micros(1_000_000 / rate.max(1));
    let mut n = 0u64;
    let mut next = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let id = format!("{prefix}-{n}");
        checker.attempt(&id);
        let r = client
            .publish(
                PublishMessage::new(subject.as_str(), format!("payload {n}"))
                    .with_msg_id(id.clone()),
            )
            .await;
        checker.ended(&id, ended(&r));
        n += 1;
        next += gap;
        let now = Instant::now();
        if next > now {
            tokio::time::sleep(next - now).await;
        } else {
            next = now;
        }
    }
    n
}

/// Reads every message of `stream` in order (ordered replay) as (sequence,
/// msg id). Fails if the stream cannot be read within `limit`.
pub async fn read_all(
    client: &Client,
    stream: &str,
    limit: Duration,
) -> Result<Vec<(u64, String)>, String> {
    let started = Instant::now();
    let info = loop {
        match client.stream_info(stream).await {
            Ok(info) => break info,
            Err(e) if started.elapsed() < limit => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => return Err(format!("stream info: {e}")),
        }
    };
    let mut out = Vec::with_capacity(info.state.messages as usize);
    if info.state.messages == 0 {
        return Ok(out);
    }
    let replay = client
        .replay(stream, ReplayOptions::default())
        .await
        .map_err(|e| format!("replay: {e}"))?;
    while out.last().map(|(s, _)| *s).unwrap_or(0) < info.state.last_sequence {
        if started.elapsed() > limit {
            return Err(format!(
                "read {} of {} messages before the limit",
                out.len(),
                info.state.messages
            ));
        }
        for m in replay
            .next_batch(1000, Duration::from_secs(2))
            .await
            .map_err(|e| format!("replay: {e}"))?
        {
            out.push((m.stream_sequence, m.msg_id().unwrap_or("").to_string()));
        }
    }
    Ok(out)
}
