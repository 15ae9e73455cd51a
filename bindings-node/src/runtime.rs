//! How native calls reach the core runtime and come back to JavaScript.
//!
//! The core owns one multi-thread tokio runtime (`jetbridge::runtime`); this
//! binding never creates one. We deliberately do NOT use napi-rs's
//! `#[napi] async fn`: it needs napi's own tokio runtime (feature `tokio_rt`),
//! a second runtime that would poll our futures. Nor do we use napi-rs's
//! `JsDeferred`, which creates (and tears down) one threadsafe function —
//! a libuv async handle — per Promise.
//!
//! Instead each Node environment has one [`Bridge`]:
//!
//! - An async method creates a plain Promise (`napi_create_promise`) on the
//!   JavaScript thread and spawns its work on the core runtime.
//! - When the work is done, the core thread pushes a [`Completion`] onto the
//!   bridge's queue and, if the queue was empty, wakes the JavaScript thread
//!   through the bridge's single threadsafe function. One wake-up settles
//!   every completion queued by then, so many concurrent calls cost one
//!   crossing, not one each.
//! - The threadsafe function is referenced (keeps the process alive) exactly
//!   while some Promise is pending, like a socket with a read in progress,
//!   and unreferenced otherwise: after `client.close()` nothing native keeps
//!   the process alive.
//! - A panic anywhere in the work or in the conversion of its result rejects
//!   the Promise with a `JetBridgeError` of code `PANIC`; the process keeps
//!   running.
//!
//! Synchronous methods run their body inside [`guard`], which turns a panic
//! into a thrown `PANIC` error and a core error into a thrown `JetBridgeError`.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use futures::FutureExt;
use jetbridge::runtime::panic_error;
use napi::bindgen_prelude::{FunctionRef, PromiseRaw, ToNapiValue, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, JsError, Status, sys};

use crate::error;

/// Turns a finished call's result into a JavaScript value, on the JS thread.
type Settle = Box<dyn FnOnce(&Env) -> napi::Result<sys::napi_value> + Send>;

/// A Promise's resolver plus what to settle it with.
struct Completion {
    deferred: RawDeferred,
    settle: Settle,
}

/// A `napi_deferred`: created and used only on the JavaScript thread; core
/// threads merely carry it back in a `Completion`.
struct RawDeferred(sys::napi_deferred);

// SAFETY: the pointer is only dereferenced (by napi) on the JavaScript thread
// that created it, in `Bridge::drain`.
unsafe impl Send for RawDeferred {}

/// The wake-up function: a threadsafe function around a no-op JavaScript
/// function whose native callback drains the bridge.
type Wake = ThreadsafeFunction<(), (), (), Status, false, true, 0>;

/// One environment's completion queue and wake-up function.
pub(crate) struct Bridge {
    queue: Mutex<Vec<Completion>>,
    wake: std::sync::OnceLock<Wake>,
    /// Promises created and not yet settled (JavaScript thread only).
    pending: AtomicUsize,
}

/// What this binding keeps per Node environment (instance data).
pub(crate) struct EnvState {
    bridge: Arc<Bridge>,
    /// The `JetBridgeError` class registered by `lib/errors.js`.
    pub(crate) error_class: Option<FunctionRef<error::ErrorArgs, Unknown<'static>>>,
}

/// This environment's state, created on first use.
pub(crate) fn env_state(env: &Env) -> napi::Result<&'static mut EnvState> {
    if env.get_instance_data::<EnvState>()?.is_none() {
        let bridge = Bridge::start(env)?;
        env.set_instance_data(
            EnvState {
                bridge,
                error_class: None,
            },
            (),
            |_| {},
        )?;
    }
    env.get_instance_data::<EnvState>()?
        .ok_or_else(|| napi::Error::from_reason("JetBridge: no environment state"))
}

impl Bridge {
    fn start(env: &Env) -> napi::Result<Arc<Bridge>> {
        let bridge = Arc::new(Bridge {
            queue: Mutex::new(Vec::new()),
            wake: std::sync::OnceLock::new(),
            pending: AtomicUsize::new(0),
        });
        let weak: Weak<Bridge> = Arc::downgrade(&bridge);
        let noop = env.create_function_from_closure::<(), (), _>("jetbridgeSettle", |_| Ok(()))?;
        // Weak: created unreferenced; `enter`/`leave` reference it while
        // Promises are pending.
        let wake = noop
            .build_threadsafe_function::<()>()
            .callee_handled::<false>()
            .weak::<true>()
            .build_callback(move |ctx| {
                if let Some(bridge) = weak.upgrade() {
                    bridge.drain(&ctx.env);
                }
                Ok(())
            })?;
        // Just created; nobody else can have set it.
        let _ = bridge.wake.set(wake);
        Ok(bridge)
    }

    /// A Promise was created: keep the process alive while any is pending.
    fn enter(&self, env: &Env) {
        if self.pending.fetch_add(1, Ordering::Relaxed) == 0
            && let Some(wake) = self.wake.get()
        {
            // SAFETY: JavaScript thread, live threadsafe function.
            unsafe { sys::napi_ref_threadsafe_function(env.raw(), wake.raw()) };
        }
    }

    /// A Promise was settled.
    fn leave(&self, env: &Env) {
        if self.pending.fetch_sub(1, Ordering::Relaxed) == 1
            && let Some(wake) = self.wake.get()
        {
            // SAFETY: JavaScript thread, live threadsafe function.
            unsafe { sys::napi_unref_threadsafe_function(env.raw(), wake.raw()) };
        }
    }

    /// Queues a completion (any thread) and wakes the JavaScript thread
    /// unless a wake-up is already on its way.
    fn complete(&self, c: Completion) {
        let was_empty = {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.push(c);
            queue.len() == 1
        };
        if was_empty && let Some(wake) = self.wake.get() {
            // Fails only while the environment is being torn down, when
            // there is no Promise left to settle.
            let _ = wake.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }

    /// Settles every queued completion (JavaScript thread).
    fn drain(&self, env: &Env) {
        let batch = std::mem::take(&mut *self.queue.lock().unwrap_or_else(|p| p.into_inner()));
        for c in batch {
            settle(env, c);
            self.leave(env);
        }
    }
}

/// Resolves or rejects one Promise, inside its own handle scope.
fn settle(env: &Env, c: Completion) {
    let raw = env.raw();
    let mut scope = ptr::null_mut();
    // SAFETY: JavaScript thread; the scope is closed below.
    unsafe { sys::napi_open_handle_scope(raw, &mut scope) };
    let outcome = catch_unwind(AssertUnwindSafe(|| (c.settle)(env)))
        .unwrap_or_else(|payload| Err(error::to_js(env, &panic_error(payload))));
    // SAFETY: the deferred was created in this environment and is settled
    // exactly once (the completion is consumed here).
    unsafe {
        match outcome {
            Ok(value) => {
                sys::napi_resolve_deferred(raw, c.deferred.0, value);
            }
            Err(e) => {
                let reason =
                    pending_exception(raw).unwrap_or_else(|| JsError::from(e).into_value(raw));
                sys::napi_reject_deferred(raw, c.deferred.0, reason);
            }
        }
        sys::napi_close_handle_scope(raw, scope);
    }
}

/// Takes a JavaScript exception left pending by a failed conversion.
unsafe fn pending_exception(raw: sys::napi_env) -> Option<sys::napi_value> {
    let mut pending = false;
    // SAFETY: JavaScript thread (caller's contract).
    unsafe {
        sys::napi_is_exception_pending(raw, &mut pending);
        if !pending {
            return None;
        }
        let mut exception = ptr::null_mut();
        sys::napi_get_and_clear_last_exception(raw, &mut exception);
        Some(exception)
    }
}

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
    V: ToNapiValue,
{
    // Fails (e.g. FORKED) before anything is created, so no Promise is left
    // pending.
    let core = jetbridge::runtime::handle().map_err(|e| error::to_js(env, &e))?;
    let bridge = env_state(env)?.bridge.clone();
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: JavaScript thread; both out-pointers are written on success.
    let status = unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::new(
            Status::from(status),
            "cannot create a Promise",
        ));
    }
    bridge.enter(env);
    let deferred = RawDeferred(deferred);
    core.spawn(async move {
        let result = AssertUnwindSafe(work)
            .catch_unwind()
            .await
            .unwrap_or_else(|payload| Err(panic_error(payload)));
        let settle: Settle = Box::new(move |env: &Env| match result {
            // SAFETY: JavaScript thread (settle runs in `Bridge::drain`).
            Ok(value) => unsafe { V::to_napi_value(env.raw(), to_js(env, value)?) },
            Err(e) => Err(error::to_js(env, &e)),
        });
        bridge.complete(Completion { deferred, settle });
    });
    Ok(PromiseRaw::new(env.raw(), promise))
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

/// Sets the size of the core runtime (worker threads; `None` = the core's
/// default). Only before the first connect; `INVALID_ARGUMENT` afterwards or
/// when called twice.
#[napi_derive::napi(js_name = "configureRuntime")]
pub fn configure_runtime(env: &Env, worker_threads: Option<u32>) -> napi::Result<()> {
    guard(env, || {
        jetbridge::runtime::configure(jetbridge::RuntimeOptions {
            worker_threads: worker_threads.map(|n| n as usize),
        })
    })
}
