//! Key-value buckets: the core's `KeyValue` and `KvWatcher`, which
//! `lib/kv.js` wraps (`client.createKeyValue`, `client.keyValue`, the
//! `KeyValue` class and its `watch()` async iterable).
//!
//! An entry crosses as a plain object (its value copied once into a
//! `Buffer`, its creation time as Unix nanoseconds in a `bigint`, its
//! operation as the core's name). A watch hands out one event at a time
//! (`next`, optionally bounded in time); the core's watcher takes `&self`,
//! so `stop()` reaches it while a `next` waits, which then ends with the
//! core's `CLOSED`.

use std::sync::Arc;

use jetbridge::{
    KeyValue, KvConfig, KvEntry, KvStatus, KvWatchEvent, KvWatchOptions, KvWatcher, Named,
};
use napi::Env;
use napi::bindgen_prelude::{BigInt, Buffer, Either, Object, PromiseRaw, Uint8ArraySlice};

use crate::client::NativeClient;
use crate::convert::{big, millis, num, opt_uint, record, record_to_js, uint};
use crate::publish::payload_bytes;
use crate::runtime::{guard, promise};

/// One revision of a key.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeKvEntry {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The value (empty for deletes and purges).
    pub value: Buffer,
    /// The revision (the stream sequence of the entry).
    pub revision: f64,
    /// When it was written, Unix nanoseconds.
    pub created_nanos: BigInt,
    /// `put`, `delete` or `purge` (the core's names).
    pub operation: &'static str,
}

/// The watch filter matching every key (the core's `WATCH_ALL`): what
/// `lib/kv.js` watches when the caller gives no filter.
#[napi_derive::napi(js_name = "WATCH_ALL")]
pub const WATCH_ALL: &str = jetbridge::WATCH_ALL;

fn status(s: &KvStatus) -> serde_json::Value {
    record_to_js(s)
}

fn entry(e: KvEntry) -> NativeKvEntry {
    NativeKvEntry {
        bucket: e.bucket,
        key: e.key,
        value: Buffer::from(e.value.to_vec()),
        revision: num(e.revision),
        created_nanos: big(e.created),
        operation: e.operation.name(),
    }
}

/// A bucket handle (a core `KeyValue`; cheap to clone).
#[napi_derive::napi]
pub struct NativeKeyValue {
    pub(crate) inner: KeyValue,
}

#[napi_derive::napi]
impl NativeClient {
    /// Creates a bucket (a `KvConfig`); the same config again returns it.
    #[napi]
    pub fn create_key_value<'env>(
        &self,
        env: &'env Env,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeKeyValue>> {
        let config: KvConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.create_key_value(config).await },
            |_, inner| Ok(NativeKeyValue { inner }),
        )
    }

    /// Creates a bucket, or updates the existing one to `config` (a
    /// `KvConfig`).
    #[napi]
    pub fn create_or_update_key_value<'env>(
        &self,
        env: &'env Env,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeKeyValue>> {
        let config: KvConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.create_or_update_key_value(config).await },
            |_, inner| Ok(NativeKeyValue { inner }),
        )
    }

    /// A bucket's `KvStatus` (`NOT_FOUND` if there is none).
    #[napi]
    pub fn key_value_status<'env>(
        &self,
        env: &'env Env,
        bucket: String,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.key_value_status(&bucket).await },
            |_, s| Ok(status(&s)),
        )
    }

    /// The names of the account's buckets, sorted.
    #[napi]
    pub fn key_value_names<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, Vec<String>>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.key_value_names().await },
            |_, names| Ok(names),
        )
    }

    /// An existing bucket (`NOT_FOUND` if there is none).
    #[napi]
    pub fn key_value<'env>(
        &self,
        env: &'env Env,
        bucket: String,
    ) -> napi::Result<PromiseRaw<'env, NativeKeyValue>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.key_value(&bucket).await },
            |_, inner| Ok(NativeKeyValue { inner }),
        )
    }

    /// Deletes a bucket with its history.
    #[napi]
    pub fn delete_key_value<'env>(
        &self,
        env: &'env Env,
        bucket: String,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.delete_key_value(&bucket).await },
            |_, ()| Ok(()),
        )
    }
}

#[napi_derive::napi]
impl NativeKeyValue {
    /// The bucket's name.
    #[napi(getter)]
    pub fn bucket(&self) -> String {
        self.inner.bucket().to_string()
    }

    /// The latest value, or the entry at `revision` (`NOT_FOUND` when the key
    /// has no value, or that revision is not the key's).
    #[napi]
    pub fn get<'env>(
        &self,
        env: &'env Env,
        key: String,
        revision: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, NativeKvEntry>> {
        let revision = guard(env, || opt_uint("options.revision", revision))?;
        let kv = self.inner.clone();
        promise(
            env,
            async move {
                match revision {
                    Some(r) => kv.get_revision(&key, r).await,
                    None => kv.get(&key).await,
                }
            },
            |_, e| Ok(entry(e)),
        )
    }

    /// The latest entry, delete and purge markers included; `null` for a key
    /// never written.
    #[napi]
    pub fn entry<'env>(
        &self,
        env: &'env Env,
        key: String,
    ) -> napi::Result<PromiseRaw<'env, Option<NativeKvEntry>>> {
        let kv = self.inner.clone();
        promise(env, async move { kv.entry(&key).await }, |_, e| {
            Ok(e.map(entry))
        })
    }

    /// Writes a value; resolves with its revision.
    #[napi]
    pub fn put<'env>(
        &self,
        env: &'env Env,
        key: String,
        value: Either<String, Uint8ArraySlice<'_>>,
    ) -> napi::Result<PromiseRaw<'env, f64>> {
        let value = payload_bytes(&value);
        let kv = self.inner.clone();
        promise(env, async move { kv.put(&key, value).await }, |_, r| {
            Ok(num(r))
        })
    }

    /// This bucket's `KvStatus`.
    #[napi]
    pub fn status<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let kv = self.inner.clone();
        promise(env, async move { kv.status().await }, |_, s| Ok(status(&s)))
    }

    /// Writes a value only if the key has none (`WRONG_LAST_SEQUENCE`
    /// otherwise); with `ttlMs`, the key lives that long (the core's
    /// `create_with_ttl`).
    #[napi]
    pub fn create<'env>(
        &self,
        env: &'env Env,
        key: String,
        value: Either<String, Uint8ArraySlice<'_>>,
        ttl_ms: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, f64>> {
        let ttl = guard(env, || {
            ttl_ms.map(|ms| millis("options.ttlMs", ms)).transpose()
        })?;
        let value = payload_bytes(&value);
        let kv = self.inner.clone();
        promise(
            env,
            async move {
                match ttl {
                    Some(ttl) => kv.create_with_ttl(&key, value, ttl).await,
                    None => kv.create(&key, value).await,
                }
            },
            |_, r| Ok(num(r)),
        )
    }

    /// Writes a value only if `revision` is the key's latest
    /// (`WRONG_LAST_SEQUENCE` otherwise).
    #[napi]
    pub fn update<'env>(
        &self,
        env: &'env Env,
        key: String,
        value: Either<String, Uint8ArraySlice<'_>>,
        revision: f64,
    ) -> napi::Result<PromiseRaw<'env, f64>> {
        let revision = guard(env, || uint("revision", revision))?;
        let value = payload_bytes(&value);
        let kv = self.inner.clone();
        promise(
            env,
            async move { kv.update(&key, value, revision).await },
            |_, r| Ok(num(r)),
        )
    }

    /// Deletes a key (history kept); with `revision`, only if it is the
    /// latest. Resolves with the delete marker's revision.
    #[napi]
    pub fn delete<'env>(
        &self,
        env: &'env Env,
        key: String,
        revision: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, f64>> {
        let revision = guard(env, || opt_uint("options.revision", revision))?;
        let kv = self.inner.clone();
        promise(
            env,
            async move { kv.delete(&key, revision).await },
            |_, r| Ok(num(r)),
        )
    }

    /// Purges a key (history removed); with `revision`, only if it is the
    /// latest. Resolves with the purge marker's revision.
    #[napi]
    pub fn purge<'env>(
        &self,
        env: &'env Env,
        key: String,
        revision: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, f64>> {
        let revision = guard(env, || opt_uint("options.revision", revision))?;
        let kv = self.inner.clone();
        promise(
            env,
            async move { kv.purge(&key, revision).await },
            |_, r| Ok(num(r)),
        )
    }

    /// Every kept entry of a key, oldest first (`NOT_FOUND` when none).
    #[napi]
    pub fn history<'env>(
        &self,
        env: &'env Env,
        key: String,
    ) -> napi::Result<PromiseRaw<'env, Vec<NativeKvEntry>>> {
        let kv = self.inner.clone();
        promise(env, async move { kv.history(&key).await }, |_, list| {
            Ok(list.into_iter().map(entry).collect())
        })
    }

    /// The keys that have a value (with `filter`: those matching it).
    #[napi]
    pub fn keys<'env>(
        &self,
        env: &'env Env,
        filter: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Vec<String>>> {
        let kv = self.inner.clone();
        promise(
            env,
            async move {
                match filter {
                    Some(f) => kv.keys_matching(&f).await,
                    None => kv.keys().await,
                }
            },
            |_, keys| Ok(keys),
        )
    }

    /// Watches the keys matching `filter` (a `KvWatchOptions`).
    #[napi]
    pub fn watch<'env>(
        &self,
        env: &'env Env,
        filter: String,
        options: Option<Object<'_>>,
    ) -> napi::Result<PromiseRaw<'env, NativeKvWatch>> {
        let options: KvWatchOptions = record(env, options, "options")?;
        let kv = self.inner.clone();
        promise(
            env,
            async move { kv.watch(&filter, options).await },
            |_, w| Ok(NativeKvWatch { inner: Arc::new(w) }),
        )
    }
}

/// What one `next` of a watch found: an entry, the caught-up marker, or
/// (neither) nothing in time.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeKvWatchNext {
    /// The entry, if one came.
    pub entry: Option<NativeKvEntry>,
    /// True for the caught-up marker.
    pub caught_up: bool,
}

/// A running watch (a core `KvWatcher`).
#[napi_derive::napi]
pub struct NativeKvWatch {
    inner: Arc<KvWatcher>,
}

#[napi_derive::napi]
impl NativeKvWatch {
    /// The next entry or the caught-up marker, waiting up to `maxWaitMs`
    /// (absent: until one comes). `CLOSED` once stopped.
    #[napi]
    pub fn next<'env>(
        &self,
        env: &'env Env,
        max_wait_ms: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, NativeKvWatchNext>> {
        let wait = guard(env, || {
            max_wait_ms
                .map(|ms| millis("options.timeoutMs", ms))
                .transpose()
        })?;
        let watcher = self.inner.clone();
        promise(
            env,
            async move {
                // The core's `next` waits on a channel: cancelling it on
                // timeout loses nothing.
                match wait {
                    Some(w) => match tokio::time::timeout(w, watcher.next()).await {
                        Ok(event) => event.map(Some),
                        Err(_) => Ok(None),
                    },
                    None => watcher.next().await.map(Some),
                }
            },
            |_, event| {
                Ok(match event {
                    Some(KvWatchEvent::Entry(e)) => NativeKvWatchNext {
                        entry: Some(entry(e)),
                        caught_up: false,
                    },
                    Some(KvWatchEvent::CaughtUp) => NativeKvWatchNext {
                        entry: None,
                        caught_up: true,
                    },
                    None => NativeKvWatchNext {
                        entry: None,
                        caught_up: false,
                    },
                })
            },
        )
    }

    /// Ends the watch; a waiting `next` ends with `CLOSED`. Twice is fine.
    #[napi]
    pub fn stop(&self) {
        self.inner.stop();
    }
}
