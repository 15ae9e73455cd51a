//! A bucket's keys, streamed (the core's `KeyValue::list_keys`): `fill`
//! buffers keys natively, `take_ready` hands them to Python, like a watch
//! (`watch_buffer.rs`): a cancelled `await fill()` loses no key.
//!
//! The core's `KvKeys` ends when dropped; `stop` drops this handle's share
//! of it and wakes a waiting `fill`, which drops the last one.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jetbridge::WATCH_ALL;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::kv::KeyValue;
use crate::runtime::{Call, spawn, spawn_value};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

struct Listing {
    /// The core's listing; `None` once it ended, failed or was stopped.
    keys: Mutex<Option<Arc<jetbridge::KvKeys>>>,
    stopped: tokio::sync::watch::Sender<bool>,
    /// Keys received by `fill`, not yet taken.
    ready: Mutex<VecDeque<String>>,
    /// An error that came after buffered keys, for the next `fill`.
    failed: Mutex<Option<jetbridge::Error>>,
}

impl Listing {
    fn end(&self) {
        lock(&self.keys).take();
    }

    async fn fill(&self, max: usize) -> jetbridge::Result<usize> {
        let buffered = lock(&self.ready).len();
        if buffered > 0 {
            return Ok(buffered);
        }
        if let Some(e) = lock(&self.failed).take() {
            return Err(e);
        }
        let Some(keys) = lock(&self.keys).clone() else {
            return Ok(0);
        };
        let mut stopped = self.stopped.subscribe();
        // The first key waits as long as the listing takes; the rest only
        // if already there. `next` loses nothing when dropped.
        let mut wait = None;
        for _ in 0..max.max(1) {
            let next = async {
                match wait {
                    None => Some(keys.next().await),
                    Some(w) => tokio::time::timeout(w, keys.next()).await.ok(),
                }
            };
            let outcome = tokio::select! {
                outcome = next => outcome,
                _ = stopped.wait_for(|s| *s) => None,
            };
            match outcome {
                None => break,
                Some(Ok(Some(key))) => lock(&self.ready).push_back(key),
                Some(Ok(None)) => {
                    self.end();
                    break;
                }
                Some(Err(e)) => {
                    self.end();
                    if lock(&self.ready).is_empty() {
                        return Err(e);
                    }
                    *lock(&self.failed) = Some(e);
                    break;
                }
            }
            wait = Some(Duration::ZERO);
        }
        Ok(lock(&self.ready).len())
    }
}

/// A streamed key listing.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct KvKeys {
    listing: Arc<Listing>,
}

#[pymethods]
impl KeyValue {
    /// Starts streaming the keys with a value that match `filter` (`None`:
    /// the core's `WATCH_ALL`) (`Call[KvKeys]`).
    #[pyo3(signature = (filter=None))]
    fn list_keys(&self, filter: Option<String>) -> PyResult<Call> {
        let filter = filter.unwrap_or_else(|| WATCH_ALL.to_string());
        let kv = self.inner.clone();
        spawn(async move { kv.list_keys(&filter).await }, |py, keys| {
            let listing = Listing {
                keys: Mutex::new(Some(Arc::new(keys))),
                stopped: tokio::sync::watch::Sender::new(false),
                ready: Mutex::new(VecDeque::new()),
                failed: Mutex::new(None),
            };
            let listing = Arc::new(listing);
            Ok(Py::new(py, KvKeys { listing })?.into_any())
        })
    }
}

#[pymethods]
impl KvKeys {
    /// Waits for the next key, then buffers what else is already there, up
    /// to `max` (`Call[int]`, how many are buffered: 0 once the listing
    /// ended or was stopped). The listing's error once, when nothing is
    /// buffered.
    fn fill(&self, max: usize) -> PyResult<Call> {
        let listing = self.listing.clone();
        spawn_value(async move { listing.fill(max).await })
    }

    /// Up to `max` buffered keys, without waiting.
    fn take_ready<'py>(&self, py: Python<'py>, max: usize) -> PyResult<Bound<'py, PyList>> {
        let taken: Vec<String> = {
            let mut ready = lock(&self.listing.ready);
            let n = max.min(ready.len());
            ready.drain(..n).collect()
        };
        PyList::new(py, taken)
    }

    /// Ends the listing (the server stops sending) and wakes a waiting
    /// `fill`.
    fn stop(&self) {
        self.listing.end();
        lock(&self.listing.ready).clear();
        self.listing.stopped.send_replace(true);
    }
}
