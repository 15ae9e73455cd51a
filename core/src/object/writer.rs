//! Writing an object piece by piece: the form every binding streams through
//! (a Python file object, a Node stream, a C chunk callback, a Go
//! `io.Writer`). Bytes are cut into chunks of [`DEFAULT_CHUNK_SIZE`] and sent
//! through a pipelined publisher, so memory stays bounded by the publisher
//! window, never by the object.

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use futures::FutureExt;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::publish::{PubAck, PublishMessage};
use crate::publisher::{PendingAck, Publisher, PublisherOptions};

use super::{DEFAULT_CHUNK_SIZE, ObjectInfo, ObjectMeta, ObjectStore, info};

/// An object being written. `write` takes bytes in pieces of any size;
/// `finish` stores the object's info, which makes the object (and replaces
/// any earlier version) visible, and returns it. An object whose writer is
/// aborted, dropped unfinished or fails midway never becomes visible: the
/// previous version (or nothing) stays, and its chunks are purged.
///
/// Shared freely: every method takes `&self` (calls are serialised).
#[derive(Debug)]
pub struct ObjectWriter {
    store: ObjectStore,
    meta: ObjectMeta,
    nuid: String,
    state: Mutex<Progress>,
}

#[derive(Debug)]
struct Progress {
    /// `None` once finished or aborted.
    publisher: Option<Publisher>,
    /// Bytes not yet a whole chunk.
    pending: BytesMut,
    digest: Sha256,
    size: u64,
    chunks: u64,
    /// The acks of chunks sent, in write order, not yet checked.
    acks: VecDeque<PendingAck>,
    /// The stream sequence of the last chunk checked.
    last_sequence: u64,
}

impl ObjectStore {
    /// Starts writing `name` (see [`ObjectWriter`]).
    pub fn writer(&self, name: &str, description: Option<&str>) -> Result<ObjectWriter> {
        self.writer_with_meta(ObjectMeta {
            name: name.to_string(),
            description: description.map(str::to_string),
            ..ObjectMeta::default()
        })
    }

    /// Starts writing the object `meta` names, with its description and
    /// metadata (see [`ObjectWriter`]).
    pub fn writer_with_meta(&self, meta: ObjectMeta) -> Result<ObjectWriter> {
        info::validate_name(&meta.name)?;
        let publisher = self.client.publisher(PublisherOptions {
            max_in_flight: 64,
            max_in_flight_bytes: 8 * DEFAULT_CHUNK_SIZE,
            // Chunks need their stream sequences (the order check).
            fast_ingest: false,
        })?;
        Ok(ObjectWriter {
            store: self.clone(),
            meta,
            nuid: nuid::next().to_string(),
            state: Mutex::new(Progress {
                publisher: Some(publisher),
                pending: BytesMut::new(),
                digest: Sha256::new(),
                size: 0,
                chunks: 0,
                acks: VecDeque::new(),
                last_sequence: 0,
            }),
        })
    }
}

impl ObjectWriter {
    /// The object's name.
    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// Adds `data` to the object. Whole chunks are sent as they fill up;
    /// waits while the publisher window is full. A failure aborts the object
    /// (`CLOSED` for every later call).
    pub async fn write(&self, data: &[u8]) -> Result<()> {
        let mut state = self.state.lock().await;
        if state.publisher.is_none() {
            return Err(Error::closed("the object writer"));
        }
        state.digest.update(data);
        state.size += data.len() as u64;
        state.pending.extend_from_slice(data);
        while state.pending.len() >= DEFAULT_CHUNK_SIZE {
            let chunk = state.pending.split_to(DEFAULT_CHUNK_SIZE).freeze();
            if let Err(e) = self.send(&mut state, chunk).await {
                self.abort_locked(&mut state).await;
                return Err(e);
            }
        }
        Ok(())
    }

    /// Sends what is left, waits for every chunk's ack, then writes the info
    /// and purges the previous version's chunks. `CLOSED` when already
    /// finished or aborted.
    pub async fn finish(&self) -> Result<ObjectInfo> {
        let mut state = self.state.lock().await;
        if state.publisher.is_none() {
            return Err(Error::closed("the object writer"));
        }
        let stored = self.store_chunks(&mut state).await;
        let stored = match stored {
            Ok(()) => self.store_info(&mut state).await,
            Err(e) => Err(e),
        };
        if stored.is_err() {
            self.store.purge_chunks(&self.nuid).await;
        }
        stored
    }

    /// Gives the object up: nothing becomes visible, sent chunks are purged.
    /// Does nothing once finished or aborted.
    pub async fn abort(&self) {
        let mut state = self.state.lock().await;
        self.abort_locked(&mut state).await;
    }

    async fn send(&self, state: &mut Progress, chunk: Bytes) -> Result<()> {
        let subject = self.store.chunk_subject(&self.nuid);
        let Some(publisher) = state.publisher.as_ref() else {
            return Err(Error::closed("the object writer"));
        };
        let (_, ack) = publisher
            .publish_tracked(PublishMessage::new(subject, chunk))
            .await?;
        state.chunks += 1;
        state.acks.push_back(ack);
        while let Some(ready) = state.acks.front_mut().and_then(|a| a.now_or_never()) {
            state.acks.pop_front();
            check_order(state, ready)?;
        }
        Ok(())
    }

    /// The last partial chunk, then every ack.
    async fn store_chunks(&self, state: &mut Progress) -> Result<()> {
        if !state.pending.is_empty() {
            let chunk = std::mem::take(&mut state.pending).freeze();
            self.send(state, chunk).await?;
        }
        let Some(publisher) = state.publisher.take() else {
            return Err(Error::closed("the object writer"));
        };
        let report = publisher.close().await?;
        if let Some(f) = report.failures.first() {
            return Err(f.error.clone());
        }
        while let Some(ack) = state.acks.pop_front() {
            check_order(state, ack.await)?;
        }
        Ok(())
    }

    async fn store_info(&self, state: &mut Progress) -> Result<ObjectInfo> {
        let previous = self.store.info_any(&self.meta.name).await.ok();
        let digest = std::mem::take(&mut state.digest).finalize();
        let info = ObjectInfo {
            name: self.meta.name.clone(),
            description: self.meta.description.clone(),
            bucket: self.store.bucket.clone(),
            nuid: self.nuid.clone(),
            size: state.size,
            chunks: state.chunks,
            mtime: info::now(),
            digest: info::digest_text(&digest),
            deleted: false,
            metadata: self.meta.metadata.clone(),
            link: None,
        };
        self.store.write_info(&info).await?;
        if let Some(old) = previous.filter(|p| p.nuid != self.nuid) {
            self.store.purge_chunks(&old.nuid).await;
        }
        Ok(info)
    }

    async fn abort_locked(&self, state: &mut Progress) {
        if let Some(publisher) = state.publisher.take() {
            let _ = publisher.close().await;
            self.store.purge_chunks(&self.nuid).await;
        }
    }
}

/// Chunks must be stored in the order they were written: readers (ours and
/// the official clients') read them in stream order. A chunk resent after a
/// reconnect can land behind later ones; then the object is given up, never
/// made visible with its content scrambled.
fn check_order(state: &mut Progress, ack: Result<PubAck>) -> Result<()> {
    let sequence = ack?.sequence;
    if sequence <= state.last_sequence {
        return Err(Error::new(
            ErrorKind::Connection,
            "the connection was lost while the object was written and its chunks \
             were stored out of order; nothing was made visible: write it again",
        ));
    }
    state.last_sequence = sequence;
    Ok(())
}

impl Drop for ObjectWriter {
    /// An unfinished writer is aborted in the background: its publisher
    /// settles, then its chunks are purged.
    fn drop(&mut self) {
        let publisher = self.state.get_mut().publisher.take();
        if let Some(publisher) = publisher {
            let store = self.store.clone();
            let nuid = self.nuid.clone();
            let _ = crate::runtime::spawn(async move {
                let _ = publisher.close().await;
                store.purge_chunks(&nuid).await;
            });
        }
    }
}
