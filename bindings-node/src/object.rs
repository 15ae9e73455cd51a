//! Object stores: the core's `ObjectStore`, `ObjectWriter` and
//! `ObjectReader`, which `lib/object_store.js` wraps (`put` from a Buffer, a
//! string, a Node `Readable` or any async iterable; `get` as a `Readable`).
//!
//! Objects move a piece at a time: JavaScript hands the writer one piece per
//! `write` (copied once, then cut into chunks by the core) and pulls one
//! chunk per `nextChunk`, so neither side ever holds the whole object. An
//! `ObjectInfo` (and an `ObjectMeta`) crosses as the declared type's
//! JavaScript object. Links, meta updates and watches: `object_link.rs`,
//! `object_watch.rs`.

use std::sync::{Arc, Mutex};

use jetbridge::{
    DEFAULT_CHUNK_SIZE, Error, ObjectInfo, ObjectMeta, ObjectReader, ObjectStore,
    ObjectStoreConfig, ObjectStoreStatus, ObjectWriter,
};
use napi::Env;
use napi::bindgen_prelude::{Buffer, Object, PromiseRaw, Uint8ArraySlice};

use crate::client::NativeClient;
use crate::convert::{record, record_to_js};
use crate::runtime::{guard, promise};

/// The core's chunk size (`DEFAULT_CHUNK_SIZE`): `lib/object_store.js` cuts
/// larger pieces to it, so one `write` never copies more than a chunk.
#[napi_derive::napi(js_name = "objectChunkSize")]
pub fn object_chunk_size() -> u32 {
    u32::try_from(DEFAULT_CHUNK_SIZE).unwrap_or(u32::MAX)
}

pub(crate) fn info(i: &ObjectInfo) -> serde_json::Value {
    record_to_js(i)
}

fn status(s: &ObjectStoreStatus) -> serde_json::Value {
    record_to_js(s)
}

/// A bucket handle (a core `ObjectStore`; cheap to clone).
#[napi_derive::napi]
pub struct NativeObjectStore {
    pub(crate) inner: ObjectStore,
}

#[napi_derive::napi]
impl NativeClient {
    /// Creates an object store (an `ObjectStoreConfig`); the same config
    /// again returns it.
    #[napi]
    pub fn create_object_store<'env>(
        &self,
        env: &'env Env,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeObjectStore>> {
        let config: ObjectStoreConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.create_object_store(config).await },
            |_, inner| Ok(NativeObjectStore { inner }),
        )
    }

    /// A store's `ObjectStoreStatus` (`NOT_FOUND` if there is none).
    #[napi]
    pub fn object_store_status<'env>(
        &self,
        env: &'env Env,
        bucket: String,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.object_store_status(&bucket).await },
            |_, s| Ok(status(&s)),
        )
    }

    /// The names of the account's object stores, sorted.
    #[napi]
    pub fn object_store_names<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, Vec<String>>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.object_store_names().await },
            |_, names| Ok(names),
        )
    }

    /// An existing object store (`NOT_FOUND` if there is none).
    #[napi]
    pub fn object_store<'env>(
        &self,
        env: &'env Env,
        bucket: String,
    ) -> napi::Result<PromiseRaw<'env, NativeObjectStore>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.object_store(&bucket).await },
            |_, inner| Ok(NativeObjectStore { inner }),
        )
    }

    /// Deletes an object store with its objects.
    #[napi]
    pub fn delete_object_store<'env>(
        &self,
        env: &'env Env,
        bucket: String,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.delete_object_store(&bucket).await },
            |_, ()| Ok(()),
        )
    }
}

#[napi_derive::napi]
impl NativeObjectStore {
    /// The bucket's name.
    #[napi(getter)]
    pub fn bucket(&self) -> String {
        self.inner.bucket().to_string()
    }

    /// This store's `ObjectStoreStatus`.
    #[napi]
    pub fn status<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let store = self.inner.clone();
        promise(env, async move { store.status().await }, |_, s| {
            Ok(status(&s))
        })
    }

    /// Seals the store (writes and deletes fail from then on); resolves with
    /// its `ObjectStoreStatus`.
    #[napi]
    pub fn seal<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let store = self.inner.clone();
        promise(env, async move { store.seal().await }, |_, s| {
            Ok(status(&s))
        })
    }

    /// An object's info (`NOT_FOUND` when missing or deleted).
    #[napi]
    pub fn info<'env>(
        &self,
        env: &'env Env,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let store = self.inner.clone();
        promise(env, async move { store.info(&name).await }, |_, i| {
            Ok(info(&i))
        })
    }

    /// Deletes an object (`NOT_FOUND` when missing or deleted).
    #[napi]
    pub fn delete<'env>(&self, env: &'env Env, name: String) -> napi::Result<PromiseRaw<'env, ()>> {
        let store = self.inner.clone();
        promise(
            env,
            async move { store.delete(&name).await },
            |_, ()| Ok(()),
        )
    }

    /// The infos of every object (deleted ones left out).
    #[napi]
    pub fn list<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, Vec<serde_json::Value>>> {
        let store = self.inner.clone();
        promise(env, async move { store.list().await }, |_, list| {
            Ok(list.iter().map(info).collect())
        })
    }

    /// Starts writing the object `meta` (an `ObjectMeta`: name, description,
    /// metadata) describes; nothing is visible before `finish`.
    #[napi]
    pub fn writer(&self, env: &Env, meta: Object<'_>) -> napi::Result<NativeObjectWriter> {
        let meta: ObjectMeta = record(env, Some(meta), "options")?;
        guard(env, || self.inner.writer_with_meta(meta))
            .map(|w| NativeObjectWriter { inner: Arc::new(w) })
    }

    /// Starts reading `name` (`NOT_FOUND` when missing or deleted).
    #[napi]
    pub fn get<'env>(
        &self,
        env: &'env Env,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, NativeObjectReader>> {
        let store = self.inner.clone();
        promise(env, async move { store.get(&name).await }, |_, r| {
            Ok(NativeObjectReader {
                info: info(r.info()),
                inner: Mutex::new(Some(Arc::new(r))),
            })
        })
    }

    /// A whole object in memory (checked like a streamed read).
    #[napi]
    pub fn get_bytes<'env>(
        &self,
        env: &'env Env,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, Buffer>> {
        let store = self.inner.clone();
        promise(env, async move { store.get_bytes(&name).await }, |_, b| {
            Ok(Buffer::from(b.to_vec()))
        })
    }
}

/// An object being written (a core `ObjectWriter`). Dropped unfinished, the
/// object is aborted.
#[napi_derive::napi]
pub struct NativeObjectWriter {
    inner: Arc<ObjectWriter>,
}

#[napi_derive::napi]
impl NativeObjectWriter {
    /// Adds a piece (copied); waits while the core's window is full.
    #[napi]
    pub fn write<'env>(
        &self,
        env: &'env Env,
        data: Uint8ArraySlice<'_>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let data = data.to_vec();
        let writer = self.inner.clone();
        promise(
            env,
            async move { writer.write(&data).await },
            |_, ()| Ok(()),
        )
    }

    /// Makes the object visible; resolves with its info.
    #[napi]
    pub fn finish<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let writer = self.inner.clone();
        promise(env, async move { writer.finish().await }, |_, i| {
            Ok(info(&i))
        })
    }

    /// Gives the object up: nothing becomes visible.
    #[napi]
    pub fn abort<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let writer = self.inner.clone();
        promise(
            env,
            async move {
                writer.abort().await;
                Ok(())
            },
            |_, ()| Ok(()),
        )
    }
}

/// An object being read (a core `ObjectReader`).
#[napi_derive::napi]
pub struct NativeObjectReader {
    info: serde_json::Value,
    /// `None` once closed: the core reader is dropped (its chunk stream
    /// stops) as soon as no `nextChunk` holds it.
    inner: Mutex<Option<Arc<ObjectReader>>>,
}

impl NativeObjectReader {
    fn reader(&self) -> Option<Arc<ObjectReader>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[napi_derive::napi]
impl NativeObjectReader {
    /// The object's info (an `ObjectInfo`).
    #[napi(getter)]
    pub fn info(&self) -> serde_json::Value {
        self.info.clone()
    }

    /// The next chunk; `null` after the last one, once size and digest were
    /// checked (a mismatch is an error, never data). `CLOSED` once closed.
    #[napi]
    pub fn next_chunk<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, Option<Buffer>>> {
        let reader = self.reader();
        promise(
            env,
            async move {
                match reader {
                    Some(r) => r.next_chunk().await,
                    None => Err(Error::closed("the object reader")),
                }
            },
            |_, chunk| Ok(chunk.map(|b| Buffer::from(b.to_vec()))),
        )
    }

    /// Stops reading: the core reader goes away. Twice is fine.
    #[napi]
    pub fn close(&self) {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}
