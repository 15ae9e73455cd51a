//! Which delivered messages are not yet settled, so that a durable consumer
//! the server lost can be re-created without skipping any of them.

use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::consumer_config::AckPolicy;

#[derive(Default)]
struct State {
    unsettled: BTreeSet<u64>,
    last_delivered: u64,
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
        } else {
            s.unsettled.remove(&seq);
        }
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
mod tests {
    use super::*;

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
