//! Reading an object chunk by chunk, checking size and digest at the end.

use std::time::Duration;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::pull_stream::{MessagesOptions, ReplayOptions};
use crate::start::StartPosition;
use crate::stream_handle::MessageStream;

use super::ObjectInfo;

/// How long one chunk may take to arrive.
const CHUNK_TIMEOUT: Duration = Duration::from_secs(30);

/// An object being read. `next_chunk` hands out chunks in order; after the
/// last one it checks the size and the SHA-256 digest, and a mismatch is an
/// error (`SERVER`, naming the object), never data.
#[derive(Debug)]
pub struct ObjectReader {
    info: ObjectInfo,
    chunks: Option<MessageStream>,
    state: Mutex<Progress>,
}

#[derive(Debug, Default)]
struct Progress {
    chunks: u64,
    size: u64,
    digest: Sha256,
    done: bool,
}

impl ObjectReader {
    pub(crate) async fn start(
        client: &Client,
        stream: &str,
        chunk_subject: String,
        info: ObjectInfo,
    ) -> Result<ObjectReader> {
        let chunks = if info.chunks == 0 {
            None
        } else {
            let replay = ReplayOptions {
                start: StartPosition::All,
                filter_subjects: vec![chunk_subject],
                // A few chunks in flight: memory bounded by the chunk size.
                messages: MessagesOptions {
                    batch: 4,
                    ..MessagesOptions::default()
                },
                ..ReplayOptions::default()
            };
            Some(client.replay(stream, replay).await?)
        };
        Ok(ObjectReader {
            info,
            chunks,
            state: Mutex::new(Progress::default()),
        })
    }

    /// The object's info.
    pub fn info(&self) -> &ObjectInfo {
        &self.info
    }

    /// The next chunk, `None` after the last one (once size and digest were
    /// checked).
    pub async fn next_chunk(&self) -> Result<Option<Bytes>> {
        let mut p = self.state.lock().await;
        if p.done {
            return Ok(None);
        }
        let Some(chunks) = &self.chunks else {
            p.done = true;
            return self.check(&p).map(|()| None);
        };
        if p.chunks == self.info.chunks {
            p.done = true;
            chunks.stop();
            return self.check(&p).map(|()| None);
        }
        let m = tokio::time::timeout(CHUNK_TIMEOUT, chunks.next())
            .await
            .map_err(|_| {
                self.broken(format!("chunk {} did not arrive within 30 s", p.chunks + 1))
            })??;
        p.chunks += 1;
        p.size += m.payload.len() as u64;
        if p.size > self.info.size {
            p.done = true;
            return Err(self.broken("it holds more data than its size".into()));
        }
        p.digest.update(&m.payload);
        if m.pending == 0 && p.chunks < self.info.chunks {
            p.done = true;
            return Err(self.broken(format!(
                "only {} of {} chunks are stored",
                p.chunks, self.info.chunks
            )));
        }
        Ok(Some(m.payload.clone()))
    }

    fn check(&self, p: &Progress) -> Result<()> {
        if p.size != self.info.size {
            return Err(self.broken(format!("{} of {} bytes arrived", p.size, self.info.size)));
        }
        let digest = super::info::digest_text(&p.digest.clone().finalize());
        if digest != self.info.digest {
            return Err(self.broken("its SHA-256 digest does not match".into()));
        }
        Ok(())
    }

    fn broken(&self, why: String) -> Error {
        Error::new(
            ErrorKind::Server,
            format!(
                "object {:?} is corrupted or incomplete: {why}",
                self.info.name
            ),
        )
    }
}
