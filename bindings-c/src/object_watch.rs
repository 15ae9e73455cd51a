//! Watching an object store (`jb_object_store_watch`): the current
//! objects' infos, a caught-up marker, then every change, as
//! `jb_kv_watcher` does for a bucket.

use std::ffi::{c_char, c_void};
use std::future::Future;

use jetbridge_core::{ErrorKind, ObjectWatchEvent, ObjectWatcher, Result};

use crate::convert::{Out, SendPtr, ms};
use crate::error::{err, jb_result};
use crate::generated::{jb_object_info, jb_object_watch_options};
use crate::handles::{Handle, give, handle_registry};
use crate::object_store::{info_box, jb_object_store, store};
use crate::panic::{boundary, boundary_or};
use crate::record_c::{self, RecordBox};
use crate::runtime::{block, blocking_and_async, error_ptr, require, spawn_then, split};

/// A running watch of an object store. Opaque handle from
/// `jb_object_store_watch`; free with `jb_object_watcher_free`, which stops
/// it. Safe to use from any thread.
pub struct jb_object_watcher {
    _private: [u8; 0],
}

handle_registry!(jb_object_watcher, ObjectWatcher, 0x20, "jb_object_watcher");

/// Called once with a new watcher handle the callback owns (NULL on
/// failure).
pub type jb_object_watcher_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        watcher: *mut jb_object_watcher,
    ),
>;

/// Called once with the next watch event: on success exactly one of `info`
/// (lent for the duration of the call) or `caught_up` (true) is set.
pub type jb_object_watch_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        info: *const jb_object_info,
        caught_up: bool,
    ),
>;

blocking_and_async! {
    /// Watches every object's info, blocking until the watch runs. `options`
    /// (the generated `jb_object_watch_options`) may be NULL for the
    /// defaults: the latest info of each object, then the caught-up marker,
    /// then changes (puts, meta updates, links, delete markers). On success
    /// `*out` is a new watcher the caller owns (`jb_object_watcher_free`
    /// stops it).
    fn jb_object_store_watch(
        store: *const jb_object_store,
        options: *const jb_object_watch_options,
    ) -> handle(jb_object_watcher, jb_object_watcher_callback);
    /// `jb_object_store_watch` without blocking; the callback owns the
    /// watcher.
    async fn jb_object_store_watch_async;
    {
        let s = self::store(store)?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read_or_default(options, "options") }?;
        async move { s.watch(options).await }
    }
}

/// The next event of `watcher` within `timeout_ms`, as an info box or the
/// marker (`None`).
fn next_event(
    watcher: *const jb_object_watcher,
    timeout_ms: u64,
) -> Result<impl Future<Output = Result<Option<RecordBox<jb_object_info>>>> + Send + 'static> {
    let w = jb_object_watcher::get(watcher, "watcher")?;
    Ok(async move {
        match tokio::time::timeout(ms(timeout_ms), w.next()).await {
            Ok(Ok(ObjectWatchEvent::Info(i))) => Ok(Some(info_box(i))),
            Ok(Ok(ObjectWatchEvent::CaughtUp)) => Ok(None),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(err(
                ErrorKind::Timeout,
                format!("no watch event within {timeout_ms} ms"),
            )),
        }
    })
}

/// Waits up to `timeout_ms` for the watch's next event, blocking. On
/// success exactly one of: `*out_info` is a new info the caller owns
/// (`jb_object_info_free`) and `*out_caught_up` false; or `*out_info` NULL
/// and `*out_caught_up` true (every initial info was delivered; this comes
/// exactly once, also when there was none). `JB_RESULT_TIMEOUT` when nothing
/// came in time; after a stop, what had already arrived is still given, then
/// `JB_RESULT_CLOSED`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_object_watcher_next(
    watcher: *const jb_object_watcher,
    timeout_ms: u64,
    out_info: *mut *mut jb_object_info,
    out_caught_up: *mut bool,
) -> jb_result {
    boundary(|| {
        let out_info = Out::new(out_info, "out_info")?;
        let out_caught_up = Out::new(out_caught_up, "out_caught_up")?;
        let event = block(next_event(watcher, timeout_ms)?)?;
        let caught_up = event.is_none();
        let ptr = event.map_or(std::ptr::null_mut(), give);
        // SAFETY: checked out-parameters.
        unsafe {
            out_info.write(ptr);
            out_caught_up.write(caught_up);
        }
        Ok(())
    })
}

/// `jb_object_watcher_next` without blocking: the callback gets the info
/// lent (and `caught_up` false), or NULL and `caught_up` true.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_object_watcher_next_async(
    watcher: *const jb_object_watcher,
    timeout_ms: u64,
    callback: jb_object_watch_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        let fut = next_event(watcher, timeout_ms)?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move { Ok(fut.await?.map(Box::new)) },
            move |outcome| {
                let (code, message, event) = split(outcome);
                let caught_up = matches!(event, Some(None));
                let ptr = event
                    .as_ref()
                    .and_then(|e| e.as_ref())
                    .map_or(std::ptr::null(), |b| b.c());
                // SAFETY: callback contract; `event` and `message` outlive the call.
                unsafe { callback(user_data.get(), code, error_ptr(&message), ptr, caught_up) };
            },
        )
    })
}

/// Stops the watch: a waiting or later `jb_object_watcher_next` returns
/// `JB_RESULT_CLOSED`. The handle still needs `jb_object_watcher_free`. NULL
/// or a freed handle is ignored.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_watcher_stop(watcher: *const jb_object_watcher) {
    boundary_or((), || {
        if let Ok(w) = jb_object_watcher::get(watcher, "watcher") {
            w.stop();
        }
    })
}

/// Stops the watch and frees the handle; a `jb_object_watcher_next` waiting
/// on another thread returns `JB_RESULT_CLOSED`. NULL is a no-op; a freed
/// handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_watcher_free(watcher: *mut jb_object_watcher) -> jb_result {
    boundary(|| {
        if let Some(w) = jb_object_watcher::remove(watcher)? {
            w.stop();
        }
        Ok(())
    })
}
