//! A queue checker in the style of Jepsen's: every publish has a unique msg
//! id; the checker records what each publish ended as and compares it with
//! an ordered read of the whole stream at the end.
//!
//! - lost: acked, but not in the stream;
//! - duplicated: in the stream more than once;
//! - unexpected: in the stream, but never attempted;
//! - recovered: ended unknown (or failed) but is in the stream;
//! - failover: from a fault to the first successful ack after it;
//! - resumption: from a fault to the first ack, for chosen writers, of a publish they
//!   began after it (so acks already in flight at the fault do not count).
//!
//! An id's *writer* is the part before its last `-` and its ordinal the number after it
//! (`p1-42`: writer `p1`, ordinal 42); ids not of that form count for no writer.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

/// What one publish ended as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Acked with this stream sequence (0 when the sequence was not kept).
    Acked(u64),
    /// `PUBLISH_OUTCOME_UNKNOWN` (or a connection/timeout error).
    Unknown,
    /// Rejected with this error kind.
    Failed(String),
}

#[derive(Default)]
struct State {
    attempted: HashSet<String>,
    ended: HashMap<String, Ended>,
    faults: Vec<Instant>,
    acks_after_fault: Vec<Option<Instant>>,
    /// Per writer, the highest ordinal attempted so far.
    last_attempt: HashMap<String, u64>,
    /// One per fault, in order.
    marks: Vec<Mark>,
    /// The first attempt, then the latest ack.
    last_progress: Option<Instant>,
    /// Longest time between the first attempt or an ack and the next ack.
    longest_ack_gap: Duration,
}

/// What each writer had attempted when a fault hit, and its first ack after.
#[derive(Default)]
struct Mark {
    /// Writer → highest ordinal attempted before the fault.
    before: HashMap<String, u64>,
    /// Writer → first ack of an ordinal above `before` (or of any, if it had none).
    first_new_ack: HashMap<String, Instant>,
}

/// How one writer's publishes ended.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct WriterSummary {
    /// Publishes attempted.
    pub attempted: u64,
    /// Ended acked.
    pub acked: u64,
    /// Ended unknown.
    pub unknown: u64,
    /// Ended rejected, with the error kinds.
    pub failed: Vec<String>,
}

/// `(writer, ordinal)` of `id`, see the module docs.
fn writer_of(id: &str) -> Option<(&str, u64)> {
    let (w, n) = id.rsplit_once('-')?;
    Some((w, n.parse().ok()?))
}

/// Records publishes and faults from any thread.
#[derive(Default)]
pub struct Checker {
    state: Mutex<State>,
}

/// The verdict of one run.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Verdict {
    /// Publishes attempted.
    pub attempted: u64,
    /// Publishes acked.
    pub acked: u64,
    /// Publishes that ended unknown.
    pub unknown: u64,
    /// Publishes rejected.
    pub failed: u64,
    /// Messages read back from the stream.
    pub read: u64,
    /// Acked but missing from the stream.
    pub lost: u64,
    /// Present more than once.
    pub duplicated: u64,
    /// Present but never attempted.
    pub unexpected: u64,
    /// Unknown or failed, yet present.
    pub recovered: u64,
    /// Acked with a sequence other than where it was read.
    pub wrong_sequence: u64,
    /// Longest time from a fault to the next successful ack, ms.
    pub max_failover_ms: u64,
}

impl Verdict {
    /// lost = duplicated = unexpected = wrong_sequence = 0.
    pub fn safe(&self) -> bool {
        self.lost == 0 && self.duplicated == 0 && self.unexpected == 0 && self.wrong_sequence == 0
    }
}

impl Checker {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records an attempt of `id`.
    pub fn attempt(&self, id: &str) {
        let mut s = self.state();
        s.last_progress.get_or_insert_with(Instant::now);
        s.attempted.insert(id.to_string());
        if let Some((w, n)) = writer_of(id) {
            let last = s.last_attempt.entry(w.to_string()).or_default();
            *last = (*last).max(n);
        }
    }

    /// Records how `id` ended.
    pub fn ended(&self, id: &str, how: Ended) {
        let mut s = self.state();
        if let Ended::Acked(_) = how {
            let now = Instant::now();
            if let Some(last) = s.last_progress.replace(now) {
                s.longest_ack_gap = s.longest_ack_gap.max(now - last);
            }
            let faults = s.faults.clone();
            for (i, fault) in faults.iter().enumerate() {
                if now > *fault && s.acks_after_fault[i].is_none() {
                    s.acks_after_fault[i] = Some(now);
                }
            }
            if let Some((w, n)) = writer_of(id) {
                for m in &mut s.marks {
                    let began_after = m.before.get(w).is_none_or(|b| n > *b);
                    if began_after && !m.first_new_ack.contains_key(w) {
                        m.first_new_ack.insert(w.to_string(), now);
                    }
                }
            }
        }
        s.ended.insert(id.to_string(), how);
    }

    /// Marks the moment a fault was injected.
    pub fn fault(&self) {
        let mut s = self.state();
        s.faults.push(Instant::now());
        s.acks_after_fault.push(None);
        let before = s.last_attempt.clone();
        s.marks.push(Mark {
            before,
            first_new_ack: HashMap::new(),
        });
    }

    /// Resumption times, one per fault: from the fault to the first ack, by any of
    /// `writers`, of a publish that writer began after the fault (`None`: none yet).
    pub fn resumptions(&self, writers: &[&str]) -> Vec<Option<Duration>> {
        let s = self.state();
        s.faults
            .iter()
            .zip(&s.marks)
            .map(|(f, m)| {
                writers
                    .iter()
                    .filter_map(|w| m.first_new_ack.get(*w))
                    .min()
                    .map(|a| a.saturating_duration_since(*f))
            })
            .collect()
    }

    /// How the publishes of `writer` ended so far.
    pub fn writer_summary(&self, writer: &str) -> WriterSummary {
        let s = self.state();
        let mut w = WriterSummary::default();
        let mine = |id: &String| writer_of(id).is_some_and(|(x, _)| x == writer);
        w.attempted = s.attempted.iter().filter(|id| mine(id)).count() as u64;
        for how in s.ended.iter().filter(|(id, _)| mine(id)).map(|(_, h)| h) {
            match how {
                Ended::Acked(_) => w.acked += 1,
                Ended::Unknown => w.unknown += 1,
                Ended::Failed(kind) => w.failed.push(kind.clone()),
            }
        }
        w
    }

    /// The longest time without an ack: between the first attempt or an ack and the
    /// next ack, or `until` (zero before the first attempt).
    pub fn longest_ack_gap(&self, until: Instant) -> Duration {
        let s = self.state();
        let tail = s
            .last_progress
            .map_or(Duration::ZERO, |l| until.saturating_duration_since(l));
        s.longest_ack_gap.max(tail)
    }

    /// Publishes attempted so far.
    pub fn attempts(&self) -> u64 {
        self.state().attempted.len() as u64
    }

    /// Failover times, one per fault (`None`: no ack after it).
    pub fn failovers(&self) -> Vec<Option<Duration>> {
        let s = self.state();
        s.faults
            .iter()
            .zip(&s.acks_after_fault)
            .map(|(f, a)| a.map(|a| a - *f))
            .collect()
    }

    /// Compares the records with `read`: the stream's messages in order, as
    /// (stream sequence, msg id).
    pub fn verdict(&self, read: &[(u64, String)]) -> Verdict {
        let s = self.state();
        let mut v = Verdict {
            attempted: s.attempted.len() as u64,
            read: read.len() as u64,
            ..Verdict::default()
        };
        let mut seen: HashMap<&str, u64> = HashMap::new();
        for (seq, id) in read {
            let count = seen.entry(id.as_str()).or_default();
            *count += 1;
            if *count == 2 {
                v.duplicated += 1;
            }
            if !s.attempted.contains(id) {
                v.unexpected += 1;
            }
            if let Some(Ended::Acked(acked)) = s.ended.get(id) {
                // 0: acked through a pipelined publisher, sequence not kept.
                if *acked != 0 && acked != seq && *count == 1 {
                    v.wrong_sequence += 1;
                }
            }
        }
        for (id, how) in &s.ended {
            match how {
                Ended::Acked(_) => {
                    v.acked += 1;
                    if !seen.contains_key(id.as_str()) {
                        v.lost += 1;
                    }
                }
                Ended::Unknown => {
                    v.unknown += 1;
                    if seen.contains_key(id.as_str()) {
                        v.recovered += 1;
                    }
                }
                Ended::Failed(_) => {
                    v.failed += 1;
                    if seen.contains_key(id.as_str()) {
                        v.recovered += 1;
                    }
                }
            }
        }
        v.max_failover_ms = drop_guard_failover(&s);
        v
    }
}

fn drop_guard_failover(s: &State) -> u64 {
    s.faults
        .iter()
        .zip(&s.acks_after_fault)
        .filter_map(|(f, a)| a.map(|a| (a - *f).as_millis() as u64))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn verdict_counts_each_anomaly() {
        let c = Checker::default();
        for id in ["a", "b", "c", "d"] {
            c.attempt(id);
        }
        c.ended("a", Ended::Acked(1));
        c.ended("b", Ended::Acked(2)); // lost
        c.ended("c", Ended::Unknown); // recovered
        c.ended("d", Ended::Failed("TIMEOUT".into()));
        let read = vec![
            (1, "a".to_string()),
            (3, "c".to_string()),
            (4, "c".to_string()),
            (5, "zz".to_string()),
        ];
        let v = c.verdict(&read);
        assert_eq!(
            (v.lost, v.duplicated, v.unexpected, v.recovered),
            (1, 1, 1, 1)
        );
        assert!(!v.safe());
    }

    #[test]
    fn resumption_counts_only_publishes_begun_after_the_fault() {
        let c = Checker::default();
        c.attempt("p1-0");
        c.attempt("p2-0");
        c.fault();
        c.ended("p1-0", Ended::Acked(1)); // in flight at the fault: not a resumption
        assert_eq!(c.resumptions(&["p1"]), vec![None]);
        c.attempt("p1-1");
        c.ended("p1-1", Ended::Acked(2));
        c.attempt("p3-0"); // no attempt before the fault: any ack counts
        c.ended("p3-0", Ended::Unknown);
        assert!(c.resumptions(&["p1"])[0].is_some());
        assert_eq!(c.resumptions(&["p2", "p3"]), vec![None]);
        let w = c.writer_summary("p1");
        assert_eq!((w.attempted, w.acked, w.unknown), (2, 2, 0));
        assert_eq!(c.writer_summary("p3").unknown, 1);
    }

    #[test]
    fn the_ack_gap_runs_from_the_first_attempt_to_the_end() {
        let c = Checker::default();
        assert_eq!(c.longest_ack_gap(Instant::now()), Duration::ZERO);
        c.attempt("a");
        std::thread::sleep(Duration::from_millis(20));
        c.ended("a", Ended::Acked(1));
        let after_ack = c.longest_ack_gap(Instant::now());
        assert!(after_ack >= Duration::from_millis(20), "{after_ack:?}");
        let later = Instant::now() + Duration::from_secs(60);
        assert!(c.longest_ack_gap(later) >= Duration::from_secs(59));
    }
}
