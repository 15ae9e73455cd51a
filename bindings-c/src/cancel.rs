//! `jb_cancel`: the core's `CancelToken` behind a handle. A C program (or
//! the Go package, for a `ctx`) gives one to a cancellable call such as
//! `jb_consumer_fetch_cancellable_async`, and `jb_cancel_cancel` from any
//! thread ends that call: its callback comes at once with
//! `JB_RESULT_CLOSED` ("the call was cancelled"), and nothing the call had
//! not handed over is lost.

use jetbridge_core::CancelToken;

use crate::convert::Out;
use crate::error::jb_result;
use crate::handles::{Handle, handle_registry};
use crate::panic::{boundary, boundary_or};

/// A cancellation. Opaque handle from `jb_cancel_new`; free it with
/// `jb_cancel_free` (freeing does not cancel). Safe to use from any thread;
/// one token may serve several calls.
pub struct jb_cancel {
    _private: [u8; 0],
}

handle_registry!(jb_cancel, CancelToken, 0x22, "jb_cancel");

/// A new cancellation, not cancelled. On success `*out` is a handle the
/// caller owns (`jb_cancel_free`).
#[unsafe(no_mangle)]
pub extern "C" fn jb_cancel_new(out: *mut *mut jb_cancel) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let handle = jb_cancel::insert(CancelToken::new())?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Cancels every call made with `cancel`, now and later. Twice is fine; NULL
/// or a freed handle is ignored.
#[unsafe(no_mangle)]
pub extern "C" fn jb_cancel_cancel(cancel: *const jb_cancel) {
    boundary_or((), || {
        if let Ok(token) = jb_cancel::get(cancel, "cancel") {
            token.cancel();
        }
    })
}

/// Frees the handle; calls made with it keep running (cancel first to end
/// them). NULL is a no-op; a freed handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_cancel_free(cancel: *mut jb_cancel) -> jb_result {
    boundary(|| jb_cancel::remove(cancel).map(|_| ()))
}

/// The token behind `cancel`, or none for NULL.
pub(crate) fn token(
    cancel: *const jb_cancel,
) -> jetbridge_core::Result<Option<std::sync::Arc<CancelToken>>> {
    if cancel.is_null() {
        return Ok(None);
    }
    jb_cancel::get(cancel, "cancel").map(Some)
}
