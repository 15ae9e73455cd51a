//! A core watch (KV or object store) crossing into Python like a message
//! stream (`message_stream.rs`): `fill` waits on the core runtime and keeps
//! what arrived in a native buffer, `take` hands it to Python, so a
//! cancelled `await fill(...)` loses no event (nor the caught-up marker).

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// A core watcher: `next` loses nothing when dropped, `stop` ends it and
/// wakes a waiting `next` (with `CLOSED`).
pub(crate) trait Watch: Send + Sync + 'static {
    type Event: Send + 'static;
    fn next(&self) -> impl Future<Output = jetbridge::Result<Self::Event>> + Send;
    fn stop(&self);
}

impl Watch for jetbridge::KvWatcher {
    type Event = jetbridge::KvWatchEvent;
    fn next(&self) -> impl Future<Output = jetbridge::Result<Self::Event>> + Send {
        jetbridge::KvWatcher::next(self)
    }
    fn stop(&self) {
        jetbridge::KvWatcher::stop(self)
    }
}

impl Watch for jetbridge::ObjectWatcher {
    type Event = jetbridge::ObjectWatchEvent;
    fn next(&self) -> impl Future<Output = jetbridge::Result<Self::Event>> + Send {
        jetbridge::ObjectWatcher::next(self)
    }
    fn stop(&self) {
        jetbridge::ObjectWatcher::stop(self)
    }
}

/// A watcher with the events received by `fill` and not yet taken.
pub(crate) struct Buffered<W: Watch> {
    watcher: W,
    ready: Mutex<VecDeque<W::Event>>,
    /// An error that came after buffered events, for the next `fill`.
    failed: Mutex<Option<jetbridge::Error>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<W: Watch> Buffered<W> {
    pub(crate) fn new(watcher: W) -> Buffered<W> {
        Buffered {
            watcher,
            ready: Mutex::new(VecDeque::new()),
            failed: Mutex::new(None),
        }
    }

    /// Waits up to `max_wait` for the next event, then buffers what else is
    /// already there, up to `max`; returns how many are buffered. The
    /// watch's error (`CLOSED` once stopped) once the buffer is empty.
    pub(crate) async fn fill(&self, max: usize, max_wait: Duration) -> jetbridge::Result<usize> {
        let buffered = lock(&self.ready).len();
        if buffered > 0 {
            return Ok(buffered);
        }
        if let Some(e) = lock(&self.failed).take() {
            return Err(e);
        }
        let mut wait = max_wait;
        for _ in 0..max.max(1) {
            match tokio::time::timeout(wait, self.watcher.next()).await {
                Ok(Ok(event)) => lock(&self.ready).push_back(event),
                Ok(Err(e)) if lock(&self.ready).is_empty() => return Err(e),
                Ok(Err(e)) => {
                    // Raised by the next `fill`, once these are taken.
                    *lock(&self.failed) = Some(e);
                    break;
                }
                Err(_) => break,
            }
            wait = Duration::ZERO;
        }
        Ok(lock(&self.ready).len())
    }

    /// Up to `max` buffered events, without waiting.
    pub(crate) fn take(&self, max: usize) -> Vec<W::Event> {
        let mut ready = lock(&self.ready);
        let n = max.min(ready.len());
        ready.drain(..n).collect()
    }

    /// Ends the watch and wakes a waiting `fill`.
    pub(crate) fn stop(&self) {
        self.watcher.stop();
    }
}
