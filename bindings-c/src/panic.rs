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
pub(crate) fn boundary(body: impl FnOnce() -> Result<()>) -> jb_result {
    let outcome =
        catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| Err(panic_error(payload)));
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
pub(crate) async fn catch_future<T>(fut: impl Future<Output = Result<T>>) -> Result<T> {
    AssertUnwindSafe(fut)
        .catch_unwind()
        .await
        .unwrap_or_else(|payload| Err(panic_error(payload)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jetbridge_core::ErrorKind;

    #[test]
    fn a_panic_becomes_a_result_and_the_last_error() {
        let code = boundary(|| {
            if std::env::var("JB_NEVER_SET").is_err() {
                panic!("boom");
            }
            Ok(())
        });
        assert_eq!(code, jb_result::Panic);
        let message = unsafe { std::ffi::CStr::from_ptr(crate::error::jb_last_error_message()) };
        assert!(message.to_str().unwrap().contains("boom"));
        assert_eq!(boundary_or(7, || panic!("x")), 7);
        let err = futures::executor::block_on(catch_future(async {
            if std::env::var("JB_NEVER_SET").is_err() {
                panic!("async boom");
            }
            Ok(())
        }))
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Panic);
    }
}
