//! Graceful shutdown: what [`Client::drain`](crate::Client::drain) guarantees.
//!
//! Drain is what a service does on SIGTERM. In order:
//!
//! 1. The client stops accepting work: a new publish, publisher, fetch or
//!    message stream fails with `CLOSED` ("client is draining"). Acks are
//!    still accepted.
//! 2. Every message stream stops pulling and returns `CLOSED` from then on:
//!    nothing new is delivered. What it had buffered but not handed out is
//!    given back to the server (`nak`), so it is redelivered at once.
//! 3. Drain waits until every publish accepted before it started is settled
//!    (acked, or reported as failed to whoever waits for it), and every message
//!    already handed to the application (by `next`, `next_batch` or `fetch`)
//!    got its final answer (`ack`, `nak`, `term`, a confirmed `ack_sync`) or
//!    was dropped.
//! 4. Queued acks are written, the connection is flushed and closed.
//!
//! Step 3 is bounded by the drain timeout. When it runs out, the client still
//! closes, and drain returns `TIMEOUT` naming what was left: unanswered
//! messages are redelivered by the server after their ack wait; unsettled
//! publishes end as `PUBLISH_OUTCOME_UNKNOWN` for their callers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::Notify;

use crate::error::{Error, ErrorKind, Result};

/// How long `drain()` waits for work in flight by default (as nats.go).
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Something drain stops or waits for: a message stream or a publisher.
pub(crate) trait Drainable: Send + Sync {
    /// Stops taking new work (a stream stops pulling).
    fn stop(&self);
    /// Work still in flight (a publisher's unacked messages).
    fn in_flight(&self) -> usize;
}

/// A client's drain bookkeeping.
#[derive(Default)]
pub(crate) struct DrainState {
    draining: AtomicBool,
    /// Messages handed out for acking without a final answer yet, and single
    /// publishes awaiting their ack.
    outstanding: AtomicUsize,
    /// Notified whenever `outstanding` or a publisher's in-flight count drops.
    progress: Notify,
    parts: Mutex<Vec<Weak<dyn Drainable>>>,
}

impl DrainState {
    /// `CLOSED` once drain started: no new work is accepted.
    pub(crate) fn check_accepting(&self) -> Result<()> {
        if self.draining.load(Ordering::Acquire) {
            return Err(Error::new(ErrorKind::Closed, "client is draining"));
        }
        Ok(())
    }

    /// Registers a stream or publisher; drain stops it and waits for it.
    pub(crate) fn register(&self, part: Weak<dyn Drainable>) {
        let mut parts = self.parts.lock().unwrap_or_else(|p| p.into_inner());
        parts.retain(|p| p.strong_count() > 0);
        parts.push(part);
    }

    /// One more thing drain must wait for.
    pub(crate) fn begin(&self) {
        self.outstanding.fetch_add(1, Ordering::AcqRel);
    }

    /// One thing drain waited for is done.
    pub(crate) fn end(&self) {
        self.outstanding.fetch_sub(1, Ordering::AcqRel);
        self.progress.notify_waiters();
    }

    /// Wakes a waiting drain (a publisher settled something).
    pub(crate) fn notify(&self) {
        self.progress.notify_waiters();
    }

    fn parts(&self) -> Vec<Arc<dyn Drainable>> {
        let parts = self.parts.lock().unwrap_or_else(|p| p.into_inner());
        parts.iter().filter_map(Weak::upgrade).collect()
    }

    /// Steps 1–3: refuses new work, stops every stream, waits (up to
    /// `timeout`) for everything in flight. Returns what was left over.
    pub(crate) async fn run(&self, timeout: Duration) -> Result<()> {
        self.draining.store(true, Ordering::Release);
        for part in self.parts() {
            part.stop();
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let progress = self.progress.notified();
            let messages = self.outstanding.load(Ordering::Acquire);
            let publishes: usize = self.parts().iter().map(|p| p.in_flight()).sum();
            if messages == 0 && publishes == 0 {
                return Ok(());
            }
            // Re-check at least every 100 ms: a Weak part can go away silently.
            let wait = tokio::time::Instant::now() + Duration::from_millis(100);
            if tokio::time::timeout_at(wait.min(deadline), progress)
                .await
                .is_err()
                && tokio::time::Instant::now() >= deadline
            {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "drain gave up after {} ms with {messages} message(s) or publish(es) \
                         unanswered and {publishes} pipelined publish(es) unsettled; the client \
                         is closed",
                        timeout.as_millis()
                    ),
                ));
            }
        }
    }
}
