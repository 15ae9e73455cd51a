//! Watching a bucket: the current values (or the whole history), an explicit
//! "caught up" marker, then every change as it happens (see
//! [`CatchUpStream`]: no revision missed or repeated across reconnects and
//! server restarts).

use crate::catch_up::{CatchUpStream, WatchStart};
use crate::error::{Error, ErrorKind, Result};
use crate::message::Message;

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
    /// The bucket whose subjects the entries carry (a mirror's origin).
    subjects_of: String,
    options: KvWatchOptions,
    stream: CatchUpStream,
}

impl KeyValue {
    /// Watches the keys matching `filter` (`>` for all; `*` for one token).
    pub async fn watch(&self, filter: &str, options: KvWatchOptions) -> Result<KvWatcher> {
        validate_filter(filter)?;
        let start = if options.updates_only {
            WatchStart::UpdatesOnly
        } else if options.include_history {
            WatchStart::History
        } else {
            WatchStart::Latest
        };
        let stream = CatchUpStream::start(
            &self.client,
            &self.stream(),
            self.subject(filter),
            start,
            options.meta_only,
        )
        .await?;
        Ok(KvWatcher {
            bucket: self.bucket.clone(),
            subjects_of: self.subjects_of.clone(),
            options,
            stream,
        })
    }
}

impl KvWatcher {
    /// The next entry or the caught-up marker. After `stop`, what had already
    /// arrived is still given, then `CLOSED`.
    pub async fn next(&self) -> Result<KvWatchEvent> {
        loop {
            let m = match self.stream.next().await? {
                None => return Ok(KvWatchEvent::CaughtUp),
                Some(m) => m,
            };
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
        self.stream.stop();
    }

    fn decode(&self, m: Message) -> Result<KvEntry> {
        let value = m.payload.clone();
        KvEntry::from_parts(
            &self.bucket,
            &self.subjects_of,
            &m.subject,
            &m.headers,
            value,
            m.stream_sequence,
            m.timestamp,
        )
    }
}
