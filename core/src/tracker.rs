//! Delivery bookkeeping of one consumer handle.
//!
//! - Which delivered messages are not yet settled, so that a durable consumer
//!   the server lost can be re-created without skipping any of them.
//! - Which messages the application finished (`ack`, `term`, confirmed
//!   `ack_sync`), so that a redelivery of one of them — the server can lose
//!   recent acks when it is killed — is acked again quietly instead of being
//!   handed to the application a second time.

use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::consumer_config::AckPolicy;

#[derive(Default)]
struct State {
    unsettled: BTreeSet<u64>,
    last_delivered: u64,
    /// Finished stream sequences as inclusive ranges `start -> end`, merged.
    done: std::collections::BTreeMap<u64, u64>,
}

impl State {
    fn mark_done(&mut self, from: u64, to: u64) {
        let (mut start, mut end) = (from, to);
        // Merge with a range that ends at or after `start - 1`.
        if let Some((&s, &e)) = self.done.range(..=start).next_back()
            && e.saturating_add(1) >= start
        {
            start = s;
            end = end.max(e);
            self.done.remove(&s);
        }
        while let Some((&s, &e)) = self.done.range(start..).next() {
            if s > end.saturating_add(1) {
                break;
            }
            end = end.max(e);
            self.done.remove(&s);
        }
        self.done.insert(start, end);
    }

    fn is_done(&self, seq: u64) -> bool {
        self.done
            .range(..=seq)
            .next_back()
            .is_some_and(|(_, &e)| e >= seq)
    }
}

/// Delivery bookkeeping of one consumer handle.
pub(crate) struct Tracker {
    policy: AckPolicy,
    state: Mutex<State>,
}

impl Tracker {
    pub(crate) fn new(policy: AckPolicy) -> Tracker {
        Tracker {
            policy,
            state: Mutex::default(),
        }
    }

    /// True unless the consumer takes no acks (`AckPolicy::None`).
    pub(crate) fn expects_acks(&self) -> bool {
        self.policy != AckPolicy::None
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records a delivery of stream sequence `seq`.
    pub(crate) fn delivered(&self, seq: u64) {
        let mut s = self.state();
        s.last_delivered = s.last_delivered.max(seq);
        if self.policy != AckPolicy::None {
            s.unsettled.insert(seq);
        }
    }

    /// Records a terminal ack (ack, term, confirmed ack) of `seq`.
    pub(crate) fn settled(&self, seq: u64) {
        let mut s = self.state();
        if self.policy == AckPolicy::All {
            s.unsettled = s.unsettled.split_off(&(seq + 1));
            s.mark_done(1, seq);
        } else {
            s.unsettled.remove(&seq);
            s.mark_done(seq, seq);
        }
    }

    /// True when the application already finished stream sequence `seq`.
    pub(crate) fn is_done(&self, seq: u64) -> bool {
        self.state().is_done(seq)
    }

    /// The stream sequence a re-created consumer must start from: the oldest
    /// unsettled delivery, else the one after the last delivery. `None` when
    /// nothing was delivered yet (use the configured start).
    pub(crate) fn resume_point(&self) -> Option<u64> {
        let s = self.state();
        match s.unsettled.first() {
            Some(first) => Some(*first),
            None if s.last_delivered > 0 => Some(s.last_delivered + 1),
            None => None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn done_ranges_merge() {
        let t = Tracker::new(AckPolicy::Explicit);
        for seq in [5, 3, 4, 10, 1] {
            t.settled(seq);
        }
        assert!(t.is_done(3) && t.is_done(4) && t.is_done(5) && t.is_done(1) && t.is_done(10));
        assert!(!t.is_done(2) && !t.is_done(6) && !t.is_done(9));
        t.settled(2);
        assert_eq!(t.state().done.len(), 2, "1..=5 and 10");
        let all = Tracker::new(AckPolicy::All);
        all.settled(7);
        assert!(all.is_done(1) && all.is_done(7) && !all.is_done(8));
    }

    #[test]
    fn resume_point_is_oldest_unsettled() {
        let t = Tracker::new(AckPolicy::Explicit);
        assert_eq!(t.resume_point(), None);
        for s in 1..=5 {
            t.delivered(s);
        }
        t.settled(1);
        t.settled(3);
        assert_eq!(t.resume_point(), Some(2));
        for s in [2, 4, 5] {
            t.settled(s);
        }
        assert_eq!(t.resume_point(), Some(6));
        let all = Tracker::new(AckPolicy::All);
        for s in 1..=5 {
            all.delivered(s);
        }
        all.settled(4);
        assert_eq!(all.resume_point(), Some(5));
    }
}
