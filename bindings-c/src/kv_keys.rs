//! A bucket's keys, streamed (`jb_kv_list_keys`): one key per
//! `jb_kv_key_lister_next`, so a bucket of any size is listed in bounded
//! memory. The core's `KvKeys` behind a handle, with a stop that ends a
//! waiting `next` from another thread.

use std::ffi::{CString, c_char, c_void};
use std::future::Future;

use jetbridge_core::{ErrorKind, KvKeys, Result};

use crate::convert::{Out, SendPtr, lossy_cstring, ms};
use crate::error::{err, jb_result};
use crate::handles::{Handle, give_string, handle_registry};
use crate::kv::{bucket, filter_or_all, jb_kv};
use crate::panic::{boundary, boundary_or};
use crate::runtime::{block, blocking_and_async, error_ptr, require, spawn_then, split};

/// A running listing of a bucket's keys. Opaque handle from
/// `jb_kv_list_keys`; free it with `jb_kv_key_lister_free`, which ends the
/// listing (also early). Safe to use from any thread.
pub struct jb_kv_key_lister {
    _private: [u8; 0],
}

handle_registry!(jb_kv_key_lister, KvKeys, 0x1F, "jb_kv_key_lister");

/// Called once with a new lister handle the callback owns (NULL on failure).
pub type jb_kv_key_lister_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        lister: *mut jb_kv_key_lister,
    ),
>;

/// Called once with the next key, lent for the duration of the call; NULL
/// with `JB_RESULT_OK` at the end of the listing (NULL on failure too).
pub type jb_kv_key_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        key: *const c_char,
    ),
>;

blocking_and_async! {
    /// Starts listing the keys matching `filter` (`*` for one token, a final
    /// `>` for the rest; NULL for all, as `jb_kv_watch_all()`) that have a
    /// value, blocking until the listing runs. Read them with
    /// `jb_kv_key_lister_next`, one at a time, each once. On success `*out`
    /// is a new lister the caller owns (`jb_kv_key_lister_free`).
    fn jb_kv_list_keys(kv: *const jb_kv, filter: *const c_char)
        -> handle(jb_kv_key_lister, jb_kv_key_lister_callback);
    /// `jb_kv_list_keys` without blocking; the callback owns the lister.
    async fn jb_kv_list_keys_async;
    {
        let kv = bucket(kv)?;
        // SAFETY: caller's contract.
        let filter = unsafe { filter_or_all(filter) }?;
        async move {
            kv.list_keys(&filter).await
        }
    }
}

/// The next key of `lister` within `timeout_ms`; `None` at the end or once
/// stopped.
fn next_key(
    lister: *const jb_kv_key_lister,
    timeout_ms: u64,
) -> Result<impl Future<Output = Result<Option<String>>> + Send + 'static> {
    let keys = jb_kv_key_lister::get(lister, "lister")?;
    Ok(async move {
        match tokio::time::timeout(ms(timeout_ms), keys.next()).await {
            Ok(key) => key,
            Err(_) => Err(err(
                ErrorKind::Timeout,
                format!("no key within {timeout_ms} ms"),
            )),
        }
    })
}

/// Waits up to `timeout_ms` for the next key, blocking. On success
/// `*out_key` is a new string the caller owns (`jb_string_free`), or NULL
/// at the end (every key was given; also on every later call, after an
/// error and after `jb_kv_key_lister_stop`). `JB_RESULT_TIMEOUT` when no key
/// came in time (the listing goes on).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_kv_key_lister_next(
    lister: *const jb_kv_key_lister,
    timeout_ms: u64,
    out_key: *mut *mut c_char,
) -> jb_result {
    boundary(|| {
        let out_key = Out::new(out_key, "out_key")?;
        let key = block(next_key(lister, timeout_ms)?)?;
        let ptr = key.map_or(std::ptr::null_mut(), |k| give_string(&k));
        // SAFETY: checked out-parameter.
        unsafe { out_key.write(ptr) };
        Ok(())
    })
}

/// `jb_kv_key_lister_next` without blocking: the callback gets the key lent,
/// or NULL at the end. Wait for the callback before the next call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_kv_key_lister_next_async(
    lister: *const jb_kv_key_lister,
    timeout_ms: u64,
    callback: jb_kv_key_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        let fut = next_key(lister, timeout_ms)?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move { Ok(fut.await?.map(|k| lossy_cstring(&k))) },
            move |outcome| {
                let (code, message, key): (_, _, Option<Option<CString>>) = split(outcome);
                let ptr = key
                    .as_ref()
                    .and_then(|k| k.as_ref())
                    .map_or(std::ptr::null(), |k| k.as_ptr());
                // SAFETY: callback contract; `key` and `message` outlive the call.
                unsafe { callback(user_data.get(), code, error_ptr(&message), ptr) };
            },
        )
    })
}

/// Ends the listing early: a waiting or later `jb_kv_key_lister_next` gives
/// the end (NULL). The handle still needs `jb_kv_key_lister_free`. NULL or a
/// freed handle is ignored.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_key_lister_stop(lister: *const jb_kv_key_lister) {
    boundary_or((), || {
        if let Ok(keys) = jb_kv_key_lister::get(lister, "lister") {
            keys.stop();
        }
    })
}

/// Ends the listing and frees the handle; a `jb_kv_key_lister_next` waiting
/// on another thread gives the end. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_key_lister_free(lister: *mut jb_kv_key_lister) -> jb_result {
    boundary(|| {
        if let Some(keys) = jb_kv_key_lister::remove(lister)? {
            keys.stop();
        }
        Ok(())
    })
}
