//! Watching a bucket: the current values (or the whole history), an explicit
//! "caught up" marker, then every change as it happens. Built on the core's
//! ordered replay, so it survives reconnects and server restarts without
//! missing or repeating a revision.

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::message::Message;
use crate::pull_stream::ReplayOptions;
use crate::start::StartPosition;
use crate::stream_handle::MessageStream;

use super::keys::validate_filter;
use super::{INITIAL_TIMEOUT, KeyValue, KvEntry, KvOperation};

crate::record::record! {
    /// What a watch delivers.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct KvWatchOptions {
        /// Every kept revision first, not only the latest of each key.
        pub include_history: bool,
        /// No initial values: only changes from now on (the marker comes first).
        pub updates_only: bool,
        /// Leave deletes and purges out.
        pub ignore_deletes: bool,
        /// Entries without their values (empty): keys, revisions and
        /// operations only, for watching a bucket of large values.
        pub meta_only: bool,
    }
}

/// One thing a watch yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvWatchEvent {
    /// An entry: an initial value or a change.
    Entry(KvEntry),
    /// Every initial value was delivered; what follows are changes. Comes
    /// exactly once, also when there was nothing to deliver.
    CaughtUp,
}

/// A running watch. Dropping it (or `stop`) ends it.
#[derive(Debug)]
pub struct KvWatcher {
    bucket: String,
    options: KvWatchOptions,
    messages: MessageStream,
    /// The marker is still to come; `Some(true)` when it comes next.
    marker: Mutex<Option<bool>>,
}

#[derive(Deserialize)]
struct Info {
    state: State,
}

#[derive(Deserialize)]
struct State {
    #[serde(default)]
    messages: u64,
    #[serde(default)]
    subjects: Option<std::collections::HashMap<String, u64>>,
}

impl KeyValue {
    /// Watches the keys matching `filter` (`>` for all; `*` for one token).
    pub async fn watch(&self, filter: &str, options: KvWatchOptions) -> Result<KvWatcher> {
        validate_filter(filter)?;
        let subject = self.subject(filter);
        let start = if options.updates_only {
            StartPosition::New
        } else if options.include_history {
            StartPosition::All
        } else {
            StartPosition::LastPerSubject
        };
        let nothing_yet = options.updates_only || self.is_empty(&subject).await?;
        let replay = ReplayOptions {
            start,
            filter_subjects: vec![subject],
            headers_only: options.meta_only,
            ..ReplayOptions::default()
        };
        let messages = self.client.replay(&self.stream(), replay).await?;
        Ok(KvWatcher {
            bucket: self.bucket.clone(),
            options,
            messages,
            marker: Mutex::new(Some(nothing_yet)),
        })
    }

    /// True when no entry matches `subject` right now.
    async fn is_empty(&self, subject: &str) -> Result<bool> {
        let body = serde_json::json!({ "subjects_filter": subject });
        let inner = self.client.inner.clone();
        let request = format!("STREAM.INFO.{}", self.stream());
        let info: Info =
            crate::runtime::run(async move { inner.api_request(&request, &body).await }).await?;
        Ok(info.state.messages == 0 || info.state.subjects.is_none_or(|s| s.is_empty()))
    }
}

impl KvWatcher {
    /// The next entry or the caught-up marker. `CLOSED` once stopped.
    pub async fn next(&self) -> Result<KvWatchEvent> {
        let mut marker = self.marker.lock().await;
        loop {
            if *marker == Some(true) {
                *marker = None;
                return Ok(KvWatchEvent::CaughtUp);
            }
            let m = self.messages.next().await?;
            if marker.is_some() && m.pending == 0 {
                *marker = Some(true);
            }
            let entry = self.decode(m)?;
            if self.options.ignore_deletes && entry.operation != KvOperation::Put {
                continue;
            }
            return Ok(KvWatchEvent::Entry(entry));
        }
    }

    /// The initial entries (everything before the marker); then the watch
    /// stops. `TIMEOUT` when they do not arrive within 30 s.
    pub async fn initial(self) -> Result<Vec<KvEntry>> {
        let mut out = Vec::new();
        let collect = async {
            loop {
                match self.next().await? {
                    KvWatchEvent::Entry(e) => out.push(e),
                    KvWatchEvent::CaughtUp => return Ok::<(), Error>(()),
                }
            }
        };
        tokio::time::timeout(INITIAL_TIMEOUT, collect)
            .await
            .map_err(|_| {
                Error::new(
                    ErrorKind::Timeout,
                    "the bucket's entries did not arrive within 30 s",
                )
            })??;
        self.stop();
        Ok(out)
    }

    /// This watch as a `Stream` of events; it ends where `next` would be
    /// `CLOSED` (the client closed). Dropping the stream ends the watch.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<KvWatchEvent>> + Send {
        futures::stream::unfold(self, |watcher| async move {
            match watcher.next().await {
                Err(e) if e.kind() == ErrorKind::Closed => None,
                item => Some((item, watcher)),
            }
        })
    }

    /// Ends the watch.
    pub fn stop(&self) {
        self.messages.stop();
    }

    fn decode(&self, m: Message) -> Result<KvEntry> {
        let value = m.payload.clone();
        KvEntry::from_parts(
            &self.bucket,
            &m.subject,
            &m.headers,
            value,
            m.stream_sequence,
            m.timestamp,
        )
    }
}
