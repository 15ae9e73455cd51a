//! Client-wide counters, readable from every language.

use std::sync::atomic::{AtomicU64, Ordering};

/// Declares the counters once: the snapshot type, the live atomics, the
/// snapshot read and the `(name, value)` list every binding exposes.
macro_rules! counters {
    ($($(#[doc = $doc:literal])* $field:ident;)*) => {
        /// A snapshot of a client's counters since it connected.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct CountersSnapshot {
            $($(#[doc = $doc])* pub $field: u64,)*
        }

        impl CountersSnapshot {
            /// The name of every counter, in declaration order (the field names,
            /// which every binding uses as keys or field names).
            pub const NAMES: &'static [&'static str] = &[$(stringify!($field),)*];

            /// Every counter as `(name, value)`, in the order of [`Self::NAMES`].
            pub fn pairs(&self) -> Vec<(&'static str, u64)> {
                vec![$((stringify!($field), self.$field),)*]
            }
        }

        /// The live counters behind [`CountersSnapshot`]. Cheap to bump from any thread.
        #[derive(Debug, Default)]
        pub(crate) struct Counters {
            $(pub(crate) $field: AtomicU64,)*
        }

        impl Counters {
            /// Reads every counter.
            pub(crate) fn snapshot(&self) -> CountersSnapshot {
                CountersSnapshot {
                    $($field: self.$field.load(Ordering::Relaxed),)*
                }
            }
        }
    };
}

counters! {
    /// Publish calls accepted for sending (each message once, however often it
    /// was retried).
    published;
    /// Publishes acknowledged by the server, duplicates included.
    acked;
    /// Publishes the server reported as duplicates.
    duplicates;
    /// Extra publish attempts made for retryable failures.
    retries;
    /// Publishes that ended as `PUBLISH_OUTCOME_UNKNOWN`.
    unknown_outcomes;
    /// Publishes rejected by the server with a typed error.
    rejected;
    /// Messages delivered to the application by consumers.
    delivered;
    /// Deliveries with a delivery count above 1.
    redelivered;
    /// Acks of any kind sent by the application.
    acks_sent;
    /// Heartbeat intervals missed twice in a row by consumers.
    heartbeat_misses;
    /// Reconnects after a lost connection.
    reconnects;
    /// Consumers re-created after the server lost them.
    consumer_recreations;
    /// Redeliveries of messages already acked on the same consumer handle
    /// (the server lost the ack, e.g. when killed), acked again and not
    /// handed to the application.
    redeliveries_suppressed;
}

/// Adds `n` to a counter.
pub(crate) fn bump(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}
