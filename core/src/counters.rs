//! Client-wide counters, readable from every language.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of a client's counters since it connected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountersSnapshot {
    /// Publish calls accepted for sending (each message once, however often it
    /// was retried).
    pub published: u64,
    /// Publishes acknowledged by the server, duplicates included.
    pub acked: u64,
    /// Publishes the server reported as duplicates.
    pub duplicates: u64,
    /// Extra publish attempts made for retryable failures.
    pub retries: u64,
    /// Publishes that ended as `PUBLISH_OUTCOME_UNKNOWN`.
    pub unknown_outcomes: u64,
    /// Publishes rejected by the server with a typed error.
    pub rejected: u64,
    /// Messages delivered to the application by consumers.
    pub delivered: u64,
    /// Deliveries with a delivery count above 1.
    pub redelivered: u64,
    /// Acks of any kind sent by the application.
    pub acks_sent: u64,
    /// Heartbeat intervals missed twice in a row by consumers.
    pub heartbeat_misses: u64,
    /// Reconnects after a lost connection.
    pub reconnects: u64,
    /// Consumers re-created after the server lost them.
    pub consumer_recreations: u64,
    /// Redeliveries of messages already acked on the same consumer handle
    /// (the server lost the ack, e.g. when killed), acked again and not
    /// handed to the application.
    pub redeliveries_suppressed: u64,
}

/// The live counters behind [`CountersSnapshot`]. Cheap to bump from any thread.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) published: AtomicU64,
    pub(crate) acked: AtomicU64,
    pub(crate) duplicates: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) unknown_outcomes: AtomicU64,
    pub(crate) rejected: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) redelivered: AtomicU64,
    pub(crate) acks_sent: AtomicU64,
    pub(crate) heartbeat_misses: AtomicU64,
    pub(crate) reconnects: AtomicU64,
    pub(crate) consumer_recreations: AtomicU64,
    pub(crate) redeliveries_suppressed: AtomicU64,
}

/// Adds `n` to a counter.
pub(crate) fn bump(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

impl Counters {
    /// Reads every counter.
    pub(crate) fn snapshot(&self) -> CountersSnapshot {
        let r = |c: &AtomicU64| c.load(Ordering::Relaxed);
        CountersSnapshot {
            published: r(&self.published),
            acked: r(&self.acked),
            duplicates: r(&self.duplicates),
            retries: r(&self.retries),
            unknown_outcomes: r(&self.unknown_outcomes),
            rejected: r(&self.rejected),
            delivered: r(&self.delivered),
            redelivered: r(&self.redelivered),
            acks_sent: r(&self.acks_sent),
            heartbeat_misses: r(&self.heartbeat_misses),
            reconnects: r(&self.reconnects),
            consumer_recreations: r(&self.consumer_recreations),
            redeliveries_suppressed: r(&self.redeliveries_suppressed),
        }
    }
}
