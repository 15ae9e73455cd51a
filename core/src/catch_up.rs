//! The machinery under every bucket watch (key-value and object store): an
//! ordered replay of some subjects of a stream that says, exactly once, when
//! the messages there at the start have all been delivered. Built on the
//! core's ordered replay, so it survives reconnects and server restarts
//! without missing or repeating a message.

use tokio::sync::Mutex;

use crate::client::Client;
use crate::error::{ErrorKind, Result};
use crate::message::Message;
use crate::pull_stream::ReplayOptions;
use crate::start::StartPosition;
use crate::stream_handle::MessageStream;

/// Which messages a watch starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WatchStart {
    /// The latest message of each subject.
    Latest,
    /// Every message kept.
    History,
    /// None: only what arrives from now on.
    UpdatesOnly,
}

/// A replay of `subject` in `stream` with its caught-up marker.
#[derive(Debug)]
pub(crate) struct CatchUpStream {
    messages: MessageStream,
    /// The marker is still to come; `Some(true)` when it comes next.
    marker: Mutex<Option<bool>>,
}

impl CatchUpStream {
    /// Starts replaying `subject` (wildcards allowed) of `stream`; with
    /// `headers_only`, messages come without their payloads.
    pub(crate) async fn start(
        client: &Client,
        stream: &str,
        subject: String,
        start: WatchStart,
        headers_only: bool,
    ) -> Result<CatchUpStream> {
        let position = match start {
            WatchStart::Latest => StartPosition::LastPerSubject,
            WatchStart::History => StartPosition::All,
            WatchStart::UpdatesOnly => StartPosition::New,
        };
        let nothing_yet =
            start == WatchStart::UpdatesOnly || is_empty(client, stream, &subject).await?;
        let replay = ReplayOptions {
            start: position,
            filter_subjects: vec![subject],
            headers_only,
            ..ReplayOptions::default()
        };
        let messages = client.replay(stream, replay).await?;
        Ok(CatchUpStream {
            messages,
            marker: Mutex::new(Some(nothing_yet)),
        })
    }

    /// The next message, or `None` (exactly once) when every message there
    /// at the start was delivered. After `stop`, what had already arrived is
    /// still given, then `CLOSED`.
    pub(crate) async fn next(&self) -> Result<Option<Message>> {
        let mut marker = self.marker.lock().await;
        if *marker == Some(true) {
            *marker = None;
            return Ok(None);
        }
        let m = self.messages.next().await?;
        if marker.is_some() && m.pending == 0 {
            *marker = Some(true);
        }
        Ok(Some(m))
    }

    /// Ends the replay.
    pub(crate) fn stop(&self) {
        self.messages.stop();
    }
}

/// True when no message of `stream` matches `subject` right now: one read
/// of the first match (a direct get where the stream allows it), whatever
/// the number of subjects.
async fn is_empty(client: &Client, stream: &str, subject: &str) -> Result<bool> {
    match client.get_next_message(stream, subject, 1).await {
        Ok(_) => Ok(false),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}
