//! The panic boundary every export sits behind.
//!
//! A panic never crosses into C: fallible exports return `JB_RESULT_PANIC`
//! (and record the detail as the thread's last error); infallible ones return
//! a documented default (NULL, 0, false). Async tasks are wrapped the same way,
//! so their callback still fires exactly once, with `JB_RESULT_PANIC`.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use futures::FutureExt;
use jetbridge_core::{Result, runtime::panic_error};

use crate::error::{jb_result, set_last};

/// Runs the body of a fallible export: `Ok` is `JB_RESULT_OK`; an error or a
/// panic becomes its code, with the detail stored as the last error.
pub(crate) fn boundary(name: &'static str, body: impl FnOnce() -> Result<()>) -> jb_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        fault_point(name);
        body()
    }))
    .unwrap_or_else(|payload| Err(panic_error(payload)));
    match outcome {
        Ok(()) => jb_result::Ok,
        Err(e) => {
            set_last(&e);
            jb_result::from(&e)
        }
    }
}

/// Runs the body of an infallible export, returning `default` on a panic.
pub(crate) fn boundary_or<T>(default: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}

/// Awaits `fut`, turning a panic inside it into a `PANIC` error.
pub(crate) async fn catch_future<T>(
    name: &'static str,
    fut: impl Future<Output = Result<T>>,
) -> Result<T> {
    AssertUnwindSafe(async move {
        fault_point(name);
        fut.await
    })
    .catch_unwind()
    .await
    .unwrap_or_else(|payload| Err(panic_error(payload)))
}

/// With the `fault-inject` feature, panics when `JB_FAULT_PANIC` names this
/// export (for the panic-containment tests). Without it, does nothing.
#[cfg(feature = "fault-inject")]
fn fault_point(name: &'static str) {
    if std::env::var("JB_FAULT_PANIC").is_ok_and(|target| target == name) {
        panic!("fault injected in {name}");
    }
}

#[cfg(not(feature = "fault-inject"))]
fn fault_point(_name: &'static str) {}
