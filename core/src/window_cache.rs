//! What the client knows about streams: subjects, duplicate windows and
//! whether they allow direct get.
//!
//! A publish retry is only safe while the stream still remembers the message
//! id, so the retry loop asks this cache for the window of the stream that
//! captures a subject; a read of a stored message asks whether the stream
//! has direct get. The cache is filled from stream infos the client sees
//! (create, update, info) and from lookups the retry loop makes.

use std::sync::Mutex;
use std::time::Duration;

use crate::stream::StreamInfo;

/// Server default duplicate window, assumed when a stream's is unknown.
pub const DEFAULT_DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

#[derive(Clone, Debug)]
struct Known {
    stream: String,
    subjects: Vec<String>,
    window: Duration,
    allow_direct: bool,
}

/// Streams seen by one client.
#[derive(Debug, Default)]
pub(crate) struct WindowCache {
    known: Mutex<Vec<Known>>,
}

impl WindowCache {
    /// Records (or refreshes) a stream's subjects and window.
    pub(crate) fn remember_stream(&self, info: &StreamInfo) {
        let window = if info.config.duplicate_window.is_zero() {
            DEFAULT_DUPLICATE_WINDOW
        } else {
            info.config.duplicate_window
        };
        let entry = Known {
            stream: info.config.name.clone(),
            subjects: info.config.subjects.clone(),
            window,
            allow_direct: info.config.allow_direct == Some(true),
        };
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        known.retain(|k| k.stream != entry.stream);
        known.push(entry);
    }

    /// Forgets a deleted stream.
    pub(crate) fn forget_stream(&self, stream: &str) {
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        known.retain(|k| k.stream != stream);
    }

    /// Whether `stream` allows direct get, if known.
    pub(crate) fn allows_direct(&self, stream: &str) -> Option<bool> {
        let known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        known
            .iter()
            .find(|k| k.stream == stream)
            .map(|k| k.allow_direct)
    }

    /// The duplicate window of the stream capturing `subject`, if known.
    pub(crate) fn window_for(&self, subject: &str) -> Option<Duration> {
        let known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        known
            .iter()
            .find(|k| {
                k.subjects
                    .iter()
                    .any(|pattern| subject_matches(pattern, subject))
            })
            .map(|k| k.window)
    }
}

/// True when the literal `subject` matches `pattern` (with `*` and `>`).
pub(crate) fn subject_matches(pattern: &str, subject: &str) -> bool {
    let mut p = pattern.split('.');
    let mut s = subject.split('.');
    loop {
        match (p.next(), s.next()) {
            (Some(">"), Some(_)) => return true,
            (Some("*"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(subject_matches("orders.*", "orders.created"));
        assert!(subject_matches("orders.>", "orders.a.b"));
        assert!(!subject_matches("orders.>", "orders"));
        assert!(!subject_matches("orders.*", "orders.a.b"));
        assert!(subject_matches("a", "a"));
        assert!(!subject_matches("a", "b"));
    }
}
