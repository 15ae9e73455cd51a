//! A bucket's keys, streamed: the core's `KvKeys`, which `lib/kv_keys.js`
//! wraps as an async iterable of strings (`kv.listKeys()`).
//!
//! One key crosses per `next`. `close()` drops the core listing (ending it
//! early) as soon as no `next` holds it; `next` then resolves `null`, as the
//! core's does after the last key.

use std::sync::{Arc, Mutex};

use jetbridge::KvKeys;
use napi::Env;
use napi::bindgen_prelude::PromiseRaw;

use crate::kv::NativeKeyValue;
use crate::runtime::promise;

/// A running listing (a core `KvKeys`).
#[napi_derive::napi]
pub struct NativeKvKeys {
    /// `None` once closed.
    inner: Mutex<Option<Arc<KvKeys>>>,
}

#[napi_derive::napi]
impl NativeKeyValue {
    /// Streams the keys matching `filter` that have a value.
    #[napi]
    pub fn list_keys<'env>(
        &self,
        env: &'env Env,
        filter: String,
    ) -> napi::Result<PromiseRaw<'env, NativeKvKeys>> {
        let kv = self.inner.clone();
        promise(
            env,
            async move { kv.list_keys(&filter).await },
            |_, keys| {
                Ok(NativeKvKeys {
                    inner: Mutex::new(Some(Arc::new(keys))),
                })
            },
        )
    }
}

#[napi_derive::napi]
impl NativeKvKeys {
    /// The next key; `null` after the last one, after an error and once
    /// closed.
    #[napi]
    pub fn next<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, Option<String>>> {
        let keys = self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone();
        promise(
            env,
            async move {
                match keys {
                    Some(k) => k.next().await,
                    None => Ok(None),
                }
            },
            |_, key| Ok(key),
        )
    }

    /// Ends the listing early: the core listing goes away. Twice is fine.
    #[napi]
    pub fn close(&self) {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}
