//! A bucket's keys, streamed: one at a time as they arrive, so a bucket of
//! any size is listed in bounded memory. Built on a headers-only watch
//! (values are never fetched) that leaves deleted and purged keys out.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Result;

use super::{KeyValue, KvWatchEvent, KvWatchOptions, KvWatcher};

/// The keys matching a filter that have a value, each once, in the order
/// the server holds them. `next` gives `None` after the last (and again on
/// every later call); dropping it ends the listing early.
#[derive(Debug)]
pub struct KvKeys {
    watcher: KvWatcher,
    done: AtomicBool,
}

impl KeyValue {
    /// Streams the keys matching `filter` (`>` for all, `*` for one token)
    /// that have a value now.
    pub async fn list_keys(&self, filter: &str) -> Result<KvKeys> {
        let options = KvWatchOptions {
            ignore_deletes: true,
            meta_only: true,
            ..KvWatchOptions::default()
        };
        Ok(KvKeys {
            watcher: self.watch(filter, options).await?,
            done: AtomicBool::new(false),
        })
    }
}

impl KvKeys {
    /// The next key; `None` once every key was given. An error ends the
    /// listing (later calls give `None`).
    pub async fn next(&self) -> Result<Option<String>> {
        if self.done.load(Ordering::Acquire) {
            return Ok(None);
        }
        let event = self.watcher.next().await;
        if self.done.load(Ordering::Acquire) {
            return Ok(None); // stopped while waiting
        }
        if !matches!(event, Ok(KvWatchEvent::Entry(_))) {
            self.done.store(true, Ordering::Release);
            self.watcher.stop();
        }
        match event? {
            KvWatchEvent::Entry(e) => Ok(Some(e.key)),
            KvWatchEvent::CaughtUp => Ok(None),
        }
    }

    /// Ends the listing: `next` gives `None` from now on, also one waiting
    /// elsewhere.
    pub fn stop(&self) {
        self.done.store(true, Ordering::Release);
        self.watcher.stop();
    }

    /// These keys as a `Stream`.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<String>> + Send {
        futures::stream::unfold(self, |keys| async move {
            match keys.next().await {
                Ok(Some(key)) => Some((Ok(key), keys)),
                Ok(None) => None,
                Err(e) => Some((Err(e), keys)),
            }
        })
    }
}
