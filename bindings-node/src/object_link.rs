//! Links in an object store and changing an object's meta: the core's
//! `add_link`, `add_bucket_link` and `update_meta`, which
//! `lib/object_store.js` wraps. Infos and metas cross as the declared types'
//! JavaScript objects.

use jetbridge::{ObjectInfo, ObjectMeta};
use napi::Env;
use napi::bindgen_prelude::{Object, PromiseRaw};

use crate::convert::record;
use crate::object::{NativeObjectStore, info};
use crate::runtime::promise;

#[napi_derive::napi]
impl NativeObjectStore {
    /// Makes `name` a link to the object `target` (an `ObjectInfo`)
    /// describes; resolves with the link's info.
    #[napi]
    pub fn add_link<'env>(
        &self,
        env: &'env Env,
        name: String,
        target: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let target: ObjectInfo = record(env, Some(target), "target")?;
        let store = self.inner.clone();
        promise(
            env,
            async move { store.add_link(&name, &target).await },
            |_, i| Ok(info(&i)),
        )
    }

    /// Makes `name` a link to the whole store `bucket`; resolves with the
    /// link's info.
    #[napi]
    pub fn add_bucket_link<'env>(
        &self,
        env: &'env Env,
        name: String,
        bucket: String,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let store = self.inner.clone();
        promise(
            env,
            async move { store.add_bucket_link(&name, &bucket).await },
            |_, i| Ok(info(&i)),
        )
    }

    /// Sets `name`'s name, description and metadata to `meta`'s (an
    /// `ObjectMeta`); resolves with the new info.
    #[napi]
    pub fn update_meta<'env>(
        &self,
        env: &'env Env,
        name: String,
        meta: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let meta: ObjectMeta = record(env, Some(meta), "meta")?;
        let store = self.inner.clone();
        promise(
            env,
            async move { store.update_meta(&name, meta).await },
            |_, i| Ok(info(&i)),
        )
    }
}
