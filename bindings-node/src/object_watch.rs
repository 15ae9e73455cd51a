//! Watching an object store: the core's `ObjectWatcher`, which
//! `lib/object_watch.js` wraps as an async iterable (`store.watch()`), the
//! same way as a KV watch (`kv.rs`): one event per `next`, optionally bounded
//! in time; `stop()` reaches a waiting `next`, which ends with `CLOSED`.

use std::sync::Arc;

use jetbridge::{ObjectWatchEvent, ObjectWatchOptions, ObjectWatcher};
use napi::Env;
use napi::bindgen_prelude::{Object, PromiseRaw};

use crate::convert::{millis, record};
use crate::object::{NativeObjectStore, info};
use crate::runtime::{guard, promise};

/// What one `next` of an object watch found: an info, the caught-up marker,
/// or (neither) nothing in time.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeObjectWatchNext {
    /// The info (an `ObjectInfo`), if one came.
    pub info: Option<serde_json::Value>,
    /// True for the caught-up marker.
    pub caught_up: bool,
}

/// A running watch (a core `ObjectWatcher`).
#[napi_derive::napi]
pub struct NativeObjectWatch {
    inner: Arc<ObjectWatcher>,
}

#[napi_derive::napi]
impl NativeObjectStore {
    /// Watches every object's info (an `ObjectWatchOptions`).
    #[napi]
    pub fn watch<'env>(
        &self,
        env: &'env Env,
        options: Option<Object<'_>>,
    ) -> napi::Result<PromiseRaw<'env, NativeObjectWatch>> {
        let options: ObjectWatchOptions = record(env, options, "options")?;
        let store = self.inner.clone();
        promise(env, async move { store.watch(options).await }, |_, w| {
            Ok(NativeObjectWatch { inner: Arc::new(w) })
        })
    }
}

#[napi_derive::napi]
impl NativeObjectWatch {
    /// The next info or the caught-up marker, waiting up to `maxWaitMs`
    /// (absent: until one comes). `CLOSED` once stopped.
    #[napi]
    pub fn next<'env>(
        &self,
        env: &'env Env,
        max_wait_ms: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, NativeObjectWatchNext>> {
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
                    Some(ObjectWatchEvent::Info(i)) => NativeObjectWatchNext {
                        info: Some(info(&i)),
                        caught_up: false,
                    },
                    Some(ObjectWatchEvent::CaughtUp) => NativeObjectWatchNext {
                        info: None,
                        caught_up: true,
                    },
                    None => NativeObjectWatchNext {
                        info: None,
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
