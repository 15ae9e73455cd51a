//! How C calls reach the core's runtime: blocking calls wait on the calling
//! thread; async calls spawn on the core runtime and call back exactly once.
//!
//! The core owns one multi-thread tokio runtime (threads `jetbridge-N`). This
//! binding never creates another. Blocking calls made from a library thread
//! (inside an async callback) are refused with `INVALID_ARGUMENT` instead of
//! deadlocking.

use std::ffi::{CString, c_char, c_void};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jetbridge_core::Result;
use jetbridge_core::runtime::{self, RuntimeOptions};

use crate::convert::SendPtr;
use crate::error::{c_message, jb_result, set_last};
use crate::handles::{Handle, Owned};
use crate::panic::{boundary, catch_future};

/// Called once when an operation without a value completes.
///
/// `error` is NULL on success, otherwise a message valid only during the call.
pub type jb_done_callback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, result: jb_result, error: *const c_char)>;

/// Runs `fut` on the core runtime and waits for it on the calling thread.
pub(crate) fn block<T: Send + 'static>(
    fut: impl Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    runtime::block_on(catch_future(fut))
}

/// Spawns `fut` on the core runtime; `deliver` gets its outcome exactly once,
/// on a core thread. A panic in `fut` is delivered as a `PANIC` error.
/// `deliver` must only hand values to C (no fallible work).
pub(crate) fn spawn_then<T: Send + 'static>(
    fut: impl Future<Output = Result<T>> + Send + 'static,
    deliver: impl FnOnce(Result<T>) + Send + 'static,
) -> Result<()> {
    runtime::spawn(async move {
        let outcome = catch_future(fut).await;
        // A C callback cannot unwind; this only guards our own glue.
        let _ = catch_unwind(AssertUnwindSafe(move || deliver(outcome)));
    })?;
    Ok(())
}

/// The `(result, error)` pair a callback receives for `outcome`, with the
/// value on success. The error string lives as long as the returned `CString`.
/// Called on the callback's thread: an error also becomes that thread's last
/// error, so `jb_last_error_message` and `jb_last_error_api_code` describe it
/// during the callback.
pub(crate) fn split<T>(outcome: Result<T>) -> (jb_result, Option<CString>, Option<T>) {
    match outcome {
        Ok(v) => (jb_result::Ok, None, Some(v)),
        Err(e) => {
            set_last(&e);
            (jb_result::from(&e), Some(c_message(&e)), None)
        }
    }
}

/// The `error` pointer of a callback: NULL on success.
pub(crate) fn error_ptr(message: &Option<CString>) -> *const c_char {
    message.as_ref().map_or(std::ptr::null(), |m| m.as_ptr())
}

/// Spawns `fut` and reports only success or failure to `callback`.
pub(crate) fn spawn_done(
    fut: impl Future<Output = Result<()>> + Send + 'static,
    callback: jb_done_callback,
    user_data: *mut c_void,
) -> Result<()> {
    let callback = callback.ok_or_else(|| crate::error::null("callback"))?;
    let user_data = SendPtr(user_data);
    spawn_then(fut, move |outcome| {
        let (code, message, _) = split(outcome);
        // SAFETY: the caller promised the callback may run on any thread with
        // this user data; `message` outlives the call.
        unsafe { callback(user_data.get(), code, error_ptr(&message)) };
    })
}

/// A callback that receives a borrowed output struct.
pub(crate) type LendCallback<C> = unsafe extern "C" fn(
    user_data: *mut c_void,
    result: jb_result,
    error: *const c_char,
    value: *const C,
);

/// Spawns `fut`, whose value is an output struct, and lends that struct to
/// `callback` for the duration of the call (NULL on failure); it is freed
/// when the callback returns.
pub(crate) fn spawn_lend<B: Owned>(
    fut: impl Future<Output = Result<B>> + Send + 'static,
    callback: Option<LendCallback<B::C>>,
    user_data: *mut c_void,
) -> Result<()> {
    let callback = require(callback)?;
    let user_data = SendPtr(user_data);
    spawn_then(fut, move |outcome| {
        let (code, message, value) = split(outcome);
        let value = value.map(Box::new);
        let ptr = value.as_ref().map_or(std::ptr::null(), |b| {
            std::ptr::from_ref(&**b).cast::<B::C>()
        });
        // SAFETY: callback contract; `ptr` and `message` outlive the call
        // (`B` is repr(C) with `B::C` first, see `Owned`).
        unsafe { callback(user_data.get(), code, error_ptr(&message), ptr) };
        drop(value);
    })
}

/// A callback that receives a new handle, owned by the callback.
pub(crate) type HandleCallback<H> = unsafe extern "C" fn(
    user_data: *mut c_void,
    result: jb_result,
    error: *const c_char,
    handle: *mut H,
);

/// Spawns `fut` and hands the object it yields to `callback` as a new handle
/// (NULL on failure). The callback owns the handle.
pub(crate) fn spawn_handle<H: Handle>(
    fut: impl Future<Output = Result<H::Target>> + Send + 'static,
    callback: Option<HandleCallback<H>>,
    user_data: *mut c_void,
) -> Result<()> {
    let callback = require(callback)?;
    let user_data = SendPtr(user_data);
    spawn_then(
        async move { H::insert(fut.await?).map(SendPtr::from_handle) },
        move |outcome| {
            let (code, message, handle) = split(outcome);
            let handle = handle.map_or(std::ptr::null_mut(), |h| h.get().cast::<H>());
            // SAFETY: callback contract; the handle is the callback's now.
            unsafe { callback(user_data.get(), code, error_ptr(&message), handle) };
        },
    )
}

/// Declares the blocking and the `_async` export of one operation from one
/// body (the two differ only in `block` versus `spawn_*`). The body checks
/// the arguments (`?` returns the error) and evaluates to the operation's
/// future; its value decides the output:
/// - `done`: `Result<()>`; blocking returns the result, `_async` calls a
///   `jb_done_callback`;
/// - `lend(C, Callback)`: `Result<B>` with `B: Owned<C = C>`; blocking writes a
///   new `*out` the caller frees, `_async` lends it to the callback;
/// - `handle(H, Callback)`: `Result<H::Target>`; blocking writes a new handle
///   to `*out`, `_async` gives it to the callback.
///
/// The docs of each export are given before its `fn`. Signatures appear
/// literally in the expansion, which is what cbindgen reads (`gen_header.sh`),
/// so the C types in them are named unqualified: the calling module imports
/// `jb_result`, `c_void` (and `jb_done_callback` for `done`).
macro_rules! blocking_and_async {
    (
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $kind:ident $(($($out:ty),*))?;
        $(#[doc = $adoc:literal])*
        async fn $aname:ident;
        $body:block
    ) => {
        $crate::runtime::blocking_and_async!(
            @$kind [$($($out),*)?] [$(#[doc = $doc])*] $name [$(#[doc = $adoc])*] $aname
            [$($arg: $ty),*] $body
        );
    };
    (
        @done [] [$($doc:tt)*] $name:ident [$($adoc:tt)*] $aname:ident
        [$($arg:ident: $ty:ty),*] $body:block
    ) => {
        $($doc)*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> jb_result {
            $crate::panic::boundary(|| $crate::runtime::block($body))
        }

        $($adoc)*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $aname(
            $($arg: $ty,)*
            callback: jb_done_callback,
            user_data: *mut c_void,
        ) -> jb_result {
            $crate::panic::boundary(|| {
                $crate::runtime::spawn_done($body, callback, user_data)
            })
        }
    };
    (
        @lend [$c:ty, $callback:ty] [$($doc:tt)*] $name:ident [$($adoc:tt)*] $aname:ident
        [$($arg:ident: $ty:ty),*] $body:block
    ) => {
        $($doc)*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            $($arg: $ty,)*
            out: *mut *mut $c,
        ) -> jb_result {
            $crate::panic::boundary(|| {
                let out = $crate::convert::Out::new(out, "out")?;
                let value = $crate::runtime::block($body)?;
                // SAFETY: checked out-parameter.
                unsafe { out.write($crate::handles::give(value)) };
                Ok(())
            })
        }

        $($adoc)*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $aname(
            $($arg: $ty,)*
            callback: $callback,
            user_data: *mut c_void,
        ) -> jb_result {
            $crate::panic::boundary(|| {
                $crate::runtime::spawn_lend($body, callback, user_data)
            })
        }
    };
    (
        @handle [$h:ty, $callback:ty] [$($doc:tt)*] $name:ident [$($adoc:tt)*] $aname:ident
        [$($arg:ident: $ty:ty),*] $body:block
    ) => {
        $($doc)*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            $($arg: $ty,)*
            out: *mut *mut $h,
        ) -> jb_result {
            $crate::panic::boundary(|| {
                let out = $crate::convert::Out::new(out, "out")?;
                let value = $crate::runtime::block($body)?;
                let handle = <$h as $crate::handles::Handle>::insert(value)?;
                // SAFETY: checked out-parameter.
                unsafe { out.write(handle) };
                Ok(())
            })
        }

        $($adoc)*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $aname(
            $($arg: $ty,)*
            callback: $callback,
            user_data: *mut c_void,
        ) -> jb_result {
            $crate::panic::boundary(|| {
                $crate::runtime::spawn_handle::<$h>($body, callback, user_data)
            })
        }
    };
}
pub(crate) use blocking_and_async;

/// Checks a callback pointer before any work starts.
pub(crate) fn require<F>(callback: Option<F>) -> Result<F> {
    callback.ok_or_else(|| crate::error::null("callback"))
}

/// Sets the number of worker threads of the core runtime. Must be called
/// before anything else uses the library (before the first connect);
/// afterwards, or a second time, it fails with `JB_RESULT_INVALID_ARGUMENT`.
/// `worker_threads` 0 is invalid. Optional: the default is
/// `min(cores, 4)`, at least 2.
#[unsafe(no_mangle)]
pub extern "C" fn jb_runtime_configure(worker_threads: u32) -> jb_result {
    boundary(|| {
        runtime::configure(RuntimeOptions {
            worker_threads: Some(worker_threads as usize),
        })
    })
}

/// The version of the loaded library, e.g. `"0.1.0"` (compare with the
/// header's `JB_VERSION`). Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn jb_version() -> *const c_char {
    crate::panic::boundary_or(c"".as_ptr(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_panicking_task_still_calls_back_once_with_panic() {
        let (tx, rx) = mpsc::channel();
        spawn_then(
            async {
                if std::env::var("JB_NEVER_SET").is_err() {
                    panic!("task boom");
                }
                Ok(1)
            },
            move |outcome: Result<i32>| {
                let _ = tx.send(outcome.map_err(|e| e.kind()));
            },
        )
        .unwrap();
        let got = rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        assert_eq!(got, Err(jetbridge_core::ErrorKind::Panic));
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(200))
                .is_err()
        );
    }
}
