//! Object stores on JetStream, compatible with the official clients' layout
//! (ADR-20): stream `OBJ_<bucket>`, chunks on `$O.<bucket>.C.<nuid>`, the
//! object's info (JSON) on `$O.<bucket>.M.<base64url(name)>`.
//!
//! Objects move in chunks: `put` reads its source chunk by chunk through a
//! pipelined publisher, `get` hands chunks out as they arrive, so memory is
//! bounded by a few chunks (and the publisher window), never by the object.
//! The SHA-256 digest is checked on `get`: a corrupted or truncated object is
//! an error, never returned as data. A new object becomes visible only when
//! its info is written, after every chunk was stored; a `put` that fails
//! midway leaves the previous version (or nothing) visible and purges its
//! chunks.

mod async_read;
mod async_write;
mod config;
mod info;
mod link;
mod meta;
mod reader;
mod status;
mod watch;
mod writer;

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::publish::PublishMessage;
use crate::stream::PurgeOptions;

pub use async_read::ObjectAsyncRead;
pub use async_write::ObjectAsyncWrite;
pub use config::ObjectStoreConfig;
pub use info::{ObjectInfo, ObjectLink, ObjectMeta};
pub use reader::ObjectReader;
pub use status::ObjectStoreStatus;
pub use watch::{ObjectWatchEvent, ObjectWatchOptions, ObjectWatcher};
pub use writer::ObjectWriter;

/// Chunk size of a `put` (as the official clients).
pub const DEFAULT_CHUNK_SIZE: usize = 128 * 1024;

/// A bucket handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ObjectStore {
    client: Client,
    bucket: String,
}

impl ObjectStore {
    /// The bucket's name.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    fn stream(&self) -> String {
        config::stream_name(&self.bucket)
    }

    fn chunk_subject(&self, nuid: &str) -> String {
        format!("$O.{}.C.{nuid}", self.bucket)
    }

    fn meta_subject(&self, name: &str) -> String {
        format!("$O.{}.M.{}", self.bucket, info::encode_name(name))
    }

    /// An object's info (`NOT_FOUND` naming it when missing or deleted).
    pub async fn info(&self, name: &str) -> Result<ObjectInfo> {
        let info = self.info_any(name).await?;
        if info.deleted {
            return Err(not_found(name));
        }
        Ok(info)
    }

    /// The latest info, deleted ones included.
    async fn info_any(&self, name: &str) -> Result<ObjectInfo> {
        info::validate_name(name)?;
        match self
            .client
            .get_last_message(&self.stream(), &self.meta_subject(name))
            .await
        {
            Ok(m) => ObjectInfo::decode(&m.payload),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(not_found(name)),
            Err(e) => Err(e),
        }
    }

    /// Stores `source` as `name`, chunk by chunk, replacing any earlier
    /// version once complete (an [`ObjectWriter`] fed from `source`).
    /// Returns the new info.
    pub async fn put(
        &self,
        name: &str,
        description: Option<&str>,
        mut source: impl AsyncRead + Unpin + Send,
    ) -> Result<ObjectInfo> {
        let writer = self.writer(name, description)?;
        loop {
            let chunk = match read_chunk(&mut source).await {
                Ok(chunk) => chunk,
                Err(e) => {
                    writer.abort().await;
                    return Err(e);
                }
            };
            if chunk.is_empty() {
                return writer.finish().await;
            }
            writer.write(&chunk).await?;
        }
    }

    /// [`ObjectStore::put`] of bytes in memory.
    pub async fn put_bytes(&self, name: &str, data: impl Into<Bytes>) -> Result<ObjectInfo> {
        let data: Bytes = data.into();
        self.put(name, None, &data[..]).await
    }

    /// Reads `name` chunk by chunk (see [`ObjectReader`]); a link reads the
    /// object it points to (`INVALID_ARGUMENT` for a link to a whole store).
    pub async fn get(&self, name: &str) -> Result<ObjectReader> {
        let (store, info) = self.follow(self.info(name).await?).await?;
        ObjectReader::start(
            &store.client,
            &store.stream(),
            store.chunk_subject(&info.nuid),
            info,
        )
        .await
    }

    /// [`ObjectStore::get`] into memory.
    pub async fn get_bytes(&self, name: &str) -> Result<Bytes> {
        let reader = self.get(name).await?;
        let mut out = BytesMut::with_capacity(usize::try_from(reader.info().size).unwrap_or(0));
        while let Some(chunk) = reader.next_chunk().await? {
            out.extend_from_slice(&chunk);
        }
        Ok(out.freeze())
    }

    /// Deletes `name`: its chunks are purged, a deleted marker stays.
    pub async fn delete(&self, name: &str) -> Result<()> {
        let mut info = self.info(name).await?;
        info.deleted = true;
        info.size = 0;
        info.chunks = 0;
        info.mtime = info::now();
        let nuid = info.nuid.clone();
        self.write_info(&info).await?;
        self.purge_chunks(&nuid).await;
        Ok(())
    }

    /// Every object in the bucket (links included), deleted ones left out;
    /// `TIMEOUT` when the list does not arrive within 30 s.
    pub async fn list(&self) -> Result<Vec<ObjectInfo>> {
        let options = ObjectWatchOptions {
            ignore_deletes: true,
            ..ObjectWatchOptions::default()
        };
        let watcher = self.watch(options).await?;
        let mut out = Vec::new();
        let collect = async {
            while let ObjectWatchEvent::Info(info) = watcher.next().await? {
                out.push(info);
            }
            Ok::<(), Error>(())
        };
        let listed = tokio::time::timeout(Duration::from_secs(30), collect).await;
        watcher.stop();
        listed.map_err(|_| {
            Error::new(ErrorKind::Timeout, "the object list did not arrive in 30 s")
        })??;
        Ok(out)
    }

    async fn write_info(&self, info: &ObjectInfo) -> Result<()> {
        let mut msg = PublishMessage::new(self.meta_subject(&info.name), info.encode()?);
        msg.headers.push(("Nats-Rollup".into(), "sub".into()));
        self.client.publish(msg).await.map(|_| ())
    }

    /// Best effort: chunks left behind only take space.
    async fn purge_chunks(&self, nuid: &str) {
        let options = PurgeOptions {
            subject: Some(self.chunk_subject(nuid)),
            ..PurgeOptions::default()
        };
        let _ = self.client.purge_stream(&self.stream(), options).await;
    }
}

/// Reads up to one chunk; empty at the end of `source`.
async fn read_chunk(source: &mut (impl AsyncRead + Unpin)) -> Result<Bytes> {
    let mut buf = BytesMut::zeroed(DEFAULT_CHUNK_SIZE);
    let mut filled = 0;
    while filled < buf.len() {
        let n = source.read(&mut buf[filled..]).await.map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("reading the object's source: {e}"),
            )
        })?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf.freeze())
}

fn not_found(name: &str) -> Error {
    Error::new(ErrorKind::NotFound, format!("object {name:?} not found"))
}

impl Client {
    /// Creates an object store (an existing one with the same configuration
    /// is returned).
    pub async fn create_object_store(&self, config: ObjectStoreConfig) -> Result<ObjectStore> {
        config.validate()?;
        self.create_raw_stream(&config::stream_name(&config.bucket), config.stream_config())
            .await?;
        Ok(ObjectStore {
            client: self.clone(),
            bucket: config.bucket,
        })
    }

    /// A handle to an existing object store (`NOT_FOUND` if there is none).
    pub async fn object_store(&self, bucket: &str) -> Result<ObjectStore> {
        crate::kv::validate_bucket(bucket)?;
        let what = format!("object store {bucket:?}");
        self.bucket_stream(&config::stream_name(bucket), &what)
            .await?;
        Ok(ObjectStore {
            client: self.clone(),
            bucket: bucket.to_string(),
        })
    }

    /// Deletes an object store and every object in it.
    pub async fn delete_object_store(&self, bucket: &str) -> Result<()> {
        crate::kv::validate_bucket(bucket)?;
        self.delete_stream(&config::stream_name(bucket)).await
    }
}
