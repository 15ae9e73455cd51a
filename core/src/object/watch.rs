//! Watching an object store: the current objects' infos (or every version
//! kept), an explicit "caught up" marker, then every change as it happens
//! (see [`CatchUpStream`]: nothing missed or repeated across reconnects and
//! server restarts). Also what `list` is made of.

use crate::catch_up::{CatchUpStream, WatchStart};
use crate::error::{ErrorKind, Result};

use super::{ObjectInfo, ObjectStore};

crate::record::record! {
    /// What an object-store watch delivers.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct ObjectWatchOptions {
        /// Every kept version of each info first, not only the latest.
        pub include_history: bool,
        /// No initial infos: only changes from now on (the marker comes first).
        pub updates_only: bool,
        /// Leave deleted objects' markers out.
        pub ignore_deletes: bool,
    }
}

/// One thing an object-store watch yields.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // one per object change: boxing buys nothing
pub enum ObjectWatchEvent {
    /// An object's info: an initial one or a change (a put, an update of its
    /// meta, a link, a delete marker).
    Info(ObjectInfo),
    /// Every initial info was delivered; what follows are changes. Comes
    /// exactly once, also when there was nothing to deliver.
    CaughtUp,
}

/// A running watch. Dropping it (or `stop`) ends it.
#[derive(Debug)]
pub struct ObjectWatcher {
    options: ObjectWatchOptions,
    stream: CatchUpStream,
}

impl ObjectStore {
    /// Watches every object's info.
    pub async fn watch(&self, options: ObjectWatchOptions) -> Result<ObjectWatcher> {
        let start = if options.updates_only {
            WatchStart::UpdatesOnly
        } else if options.include_history {
            WatchStart::History
        } else {
            WatchStart::Latest
        };
        let subject = format!("$O.{}.M.>", self.bucket);
        let stream =
            CatchUpStream::start(&self.client, &self.stream(), subject, start, false).await?;
        Ok(ObjectWatcher { options, stream })
    }
}

impl ObjectWatcher {
    /// The next info or the caught-up marker. After `stop`, what had already
    /// arrived is still given, then `CLOSED`.
    pub async fn next(&self) -> Result<ObjectWatchEvent> {
        loop {
            let m = match self.stream.next().await? {
                None => return Ok(ObjectWatchEvent::CaughtUp),
                Some(m) => m,
            };
            let info = ObjectInfo::decode(&m.payload)?;
            if self.options.ignore_deletes && info.deleted {
                continue;
            }
            return Ok(ObjectWatchEvent::Info(info));
        }
    }

    /// This watch as a `Stream` of events; it ends where `next` would be
    /// `CLOSED` (the client closed). Dropping the stream ends the watch.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<ObjectWatchEvent>> + Send {
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
}
