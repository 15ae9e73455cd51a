//! How native calls reach the core runtime and come back to JavaScript.
//!
//! The core owns one multi-thread tokio runtime (`jetbridge::runtime`); this
//! binding never creates one. We deliberately do NOT use napi-rs's
//! `#[napi] async fn`: it needs napi's own tokio runtime (feature `tokio_rt`),
//! which would be a second runtime polling our futures. Instead an async
//! method creates a Promise with a napi deferred, spawns its work on the core
//! runtime, and settles the deferred from that core thread; napi hands the
//! settlement to the JavaScript thread through a threadsafe function that
//! exists only while the Promise is pending. So:
//!
//! - the Node event loop is never blocked (nothing here waits on the JS thread);
//! - a pending Promise keeps the process alive exactly as long as a pending
//!   socket read would, and nothing is left behind once it settles;
//! - a panic anywhere in the spawned work rejects the Promise with a
//!   `JetBridgeError` of code `PANIC` instead of aborting the process.
//!
//! Synchronous methods run their body inside [`guard`], which turns a panic
//! into a thrown `PANIC` error and a core error into a thrown `JetBridgeError`.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use futures::FutureExt;
use jetbridge::runtime::panic_error;
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::{Env, JsValue};

use crate::error;

/// Runs `work` on the core runtime and returns a Promise that resolves with
/// `to_js(result)` or rejects with the error as a `JetBridgeError`.
/// `to_js` runs on the JavaScript thread.
pub(crate) fn promise<'env, T, V, F, C>(
    env: &'env Env,
    work: F,
    to_js: C,
) -> napi::Result<PromiseRaw<'env, V>>
where
    F: Future<Output = jetbridge::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(&Env, T) -> napi::Result<V> + Send + 'static,
    V: ToNapiValue + 'static,
{
    // Fails (e.g. FORKED) before anything is created, so no Promise is left
    // pending.
    let core = jetbridge::runtime::handle().map_err(|e| error::to_js(env, &e))?;
    let (deferred, promise) = env.create_deferred()?;
    let promise = PromiseRaw::new(env.raw(), promise.raw());
    core.spawn(async move {
        let result = AssertUnwindSafe(work)
            .catch_unwind()
            .await
            .unwrap_or_else(|payload| Err(panic_error(payload)));
        deferred.resolve(move |env: Env| match result {
            // A panic while converting must not unwind into napi's callback.
            Ok(value) => catch_unwind(AssertUnwindSafe(|| to_js(&env, value)))
                .unwrap_or_else(|payload| Err(error::to_js(&env, &panic_error(payload)))),
            Err(e) => Err(error::to_js(&env, &e)),
        });
    });
    Ok(promise)
}

/// Runs a synchronous native body: a core error is thrown as a
/// `JetBridgeError`, a panic as a `JetBridgeError` with code `PANIC`.
pub(crate) fn guard<T>(env: &Env, body: impl FnOnce() -> jetbridge::Result<T>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(error::to_js(env, &e)),
        Err(payload) => Err(error::to_js(env, &panic_error(payload))),
    }
}

/// Test hooks for the panic boundary; not part of the public API.
///
/// `inTask: false` panics on the JavaScript thread inside [`guard`] (the
/// call throws); `inTask: true` panics on a core-runtime thread inside
/// [`promise`] (the returned Promise rejects). Both must leave the process
/// running.
#[napi_derive::napi(js_name = "_panicForTest")]
pub fn panic_for_test(env: &Env, in_task: bool) -> napi::Result<PromiseRaw<'_, ()>> {
    let explode = || -> jetbridge::Result<()> {
        if std::hint::black_box(true) {
            panic!("deliberate test panic");
        }
        Ok(())
    };
    if in_task {
        promise(env, async move { explode() }, |_, ()| Ok(()))
    } else {
        guard(env, explode)?;
        promise(env, async { Ok(()) }, |_, ()| Ok(()))
    }
}
