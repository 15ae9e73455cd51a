//! Connection events: `jb_client_on_event` calls a C callback for each of the
//! client's connection events until the client closes or the listener is
//! freed. The kinds are the core's (`jb_event_kind` numbers are
//! `ConnectionEvent::code()`, `jb_event_kind_name` gives the core's name).

use std::cell::Cell;
use std::ffi::{CString, c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use futures::StreamExt;
use jetbridge_core::{ConnectionEvent, runtime};

use crate::client::jb_client;
use crate::convert::{Out, SendPtr, lossy_cstring};
use crate::error::jb_result;
use crate::handles::{Handle, handle_registry};
use crate::panic::{boundary, boundary_or};
use crate::runtime::require;

/// The kind of a connection event: the core's `ConnectionEvent::code()`
/// (its index in `ConnectionEvent::NAMES`); `jb_event_kind_name` gives its
/// name.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jb_event_kind {
    /// Connected (after the initial connect).
    Connected = 0,
    /// The connection was lost; the client is reconnecting.
    Disconnected = 1,
    /// Connected again after a disconnect.
    Reconnected = 2,
    /// The server is shutting down gracefully (lame duck mode).
    LameDuck = 3,
    /// The client fell behind and the server or the library dropped messages.
    SlowConsumer = 4,
    /// The server reported an error; the detail is its text.
    ServerError = 5,
    /// The client closed (or drained); always the last event.
    Closed = 6,
    /// This listener fell behind and missed events; the detail is how many.
    Missed = 7,
}

const KINDS: [jb_event_kind; 8] = [
    jb_event_kind::Connected,
    jb_event_kind::Disconnected,
    jb_event_kind::Reconnected,
    jb_event_kind::LameDuck,
    jb_event_kind::SlowConsumer,
    jb_event_kind::ServerError,
    jb_event_kind::Closed,
    jb_event_kind::Missed,
];

// The enum has one value per core event name.
const _: () = assert!(KINDS.len() == ConnectionEvent::NAMES.len());

fn kind_of(event: &ConnectionEvent) -> jb_event_kind {
    KINDS
        .get(event.code() as usize)
        .copied()
        .unwrap_or(jb_event_kind::Missed)
}

/// Called for each connection event, on a library thread, one call at a time
/// and in order: `kind`, and `detail` (the server's error text of
/// `JB_EVENT_KIND_SERVER_ERROR`, the count of `JB_EVENT_KIND_MISSED`; NULL for
/// the others), valid only during the call. It must not block (it runs on a
/// core thread: blocking `jb_` calls are refused there; use the `_async`
/// forms).
pub type jb_event_callback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, kind: jb_event_kind, detail: *const c_char),
>;

/// A listener of a client's connection events. Opaque handle.
///
/// Caller owns it: free with `jb_event_listener_free`, which stops the calls.
/// After the client closes, the callback gets `JB_EVENT_KIND_CLOSED` last
/// and is not called again (`jb_event_listener_ended` then says so); the
/// handle stays valid until freed.
pub struct jb_event_listener {
    _private: [u8; 0],
}

/// The state behind a `jb_event_listener`.
pub(crate) struct Listener {
    stop: Arc<AtomicBool>,
    /// Held while the callback runs, so `free` can wait for it.
    gate: Arc<Mutex<()>>,
    task: tokio::task::JoinHandle<()>,
}

handle_registry!(jb_event_listener, Listener, 0x19, "jb_event_listener");

thread_local! {
    /// True on a thread while it runs an event callback.
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

impl Listener {
    fn stop(&self) {
        if IN_CALLBACK.with(Cell::get) {
            // Inside a callback (this listener's or another's): the flag is
            // seen before the next call.
            self.stop.store(true, Ordering::Release);
        } else {
            let _running_call = self.gate.lock().unwrap_or_else(|p| p.into_inner());
            self.stop.store(true, Ordering::Release);
        }
        self.task.abort();
    }
}

/// Calls `callback` for each event of `client` from now on, on a library
/// thread, until the client closes (`JB_EVENT_KIND_CLOSED` is the last call)
/// or the listener is freed. On a client already closed there is no call at
/// all. Each listener gets every event on its own; one that falls more than
/// 256 events behind gets `JB_EVENT_KIND_MISSED`. On success `*out` is owned
/// by the caller (`jb_event_listener_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_on_event(
    client: *const jb_client,
    callback: jb_event_callback,
    user_data: *mut c_void,
    out: *mut *mut jb_event_listener,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let callback = require(callback)?;
        let c = crate::client::client(client)?;
        let stop = Arc::new(AtomicBool::new(false));
        let gate = Arc::new(Mutex::new(()));
        let user_data = SendPtr(user_data);
        let (task_stop, task_gate) = (stop.clone(), gate.clone());
        let mut events = c.events();
        let task = runtime::spawn(async move {
            while let Some(event) = events.next().await {
                let detail = event.detail().map(|d| lossy_cstring(&d));
                let _gate = task_gate.lock().unwrap_or_else(|p| p.into_inner());
                if task_stop.load(Ordering::Acquire) {
                    return;
                }
                IN_CALLBACK.with(|f| f.set(true));
                let detail = detail.as_ref().map_or(std::ptr::null(), |d| d.as_ptr());
                // SAFETY: the callback contract (any thread, this user data).
                unsafe { callback(user_data.get(), kind_of(&event), detail) };
                IN_CALLBACK.with(|f| f.set(false));
            }
        })?;
        let handle = jb_event_listener::insert(Listener { stop, gate, task })?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Frees the listener: no call starts after this returns, and a call running
/// in another thread is waited for (inside the callback itself it returns at
/// once). NULL is a no-op; a freed handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_event_listener_free(listener: *mut jb_event_listener) -> jb_result {
    boundary(|| {
        if let Some(l) = jb_event_listener::remove(listener)? {
            l.stop();
        }
        Ok(())
    })
}

/// `*out` is true once the listener has ended: its `JB_EVENT_KIND_CLOSED`
/// call returned (the client closed), shortly after `jb_client_on_event`
/// for a listener of a client that was already closed (it gets no call at
/// all), or after `jb_event_listener_free`. No call comes after that. Never
/// blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_event_listener_ended(
    listener: *const jb_event_listener,
    out: *mut bool,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let l = jb_event_listener::get(listener, "listener")?;
        let ended = l.task.is_finished() || l.stop.load(Ordering::Acquire);
        // SAFETY: checked out-parameter.
        unsafe { out.write(ended) };
        Ok(())
    })
}

static NAMES: LazyLock<Vec<CString>> = LazyLock::new(|| {
    ConnectionEvent::NAMES
        .iter()
        .map(|n| lossy_cstring(n))
        .collect()
});

/// The core's name of an event kind, e.g. `"disconnected"` (what the other
/// bindings show as the event's kind); `"unknown"` for a number that is not
/// a `jb_event_kind`. Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn jb_event_kind_name(kind: u32) -> *const c_char {
    boundary_or(c"unknown".as_ptr(), || {
        NAMES
            .get(kind as usize)
            .map_or(c"unknown".as_ptr(), |n| n.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn the_enum_is_the_cores_names_in_order() {
        for (i, name) in ConnectionEvent::NAMES.iter().enumerate() {
            assert_eq!(KINDS[i] as usize, i);
            let got = unsafe { CStr::from_ptr(jb_event_kind_name(i as u32)) };
            assert_eq!(got.to_str().unwrap(), *name);
            // The Rust variant name is the core's name in CamelCase.
            let camel: String = name
                .split('_')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert_eq!(format!("{:?}", KINDS[i]), camel);
        }
        let events = [
            ConnectionEvent::Connected,
            ConnectionEvent::Disconnected,
            ConnectionEvent::Reconnected,
            ConnectionEvent::LameDuck,
            ConnectionEvent::SlowConsumer,
            ConnectionEvent::ServerError("x".into()),
            ConnectionEvent::Closed,
            ConnectionEvent::Missed(2),
        ];
        for e in &events {
            assert_eq!(kind_of(e) as u32, e.code());
        }
        let unknown = unsafe { CStr::from_ptr(jb_event_kind_name(99)) };
        assert_eq!(unknown.to_str().unwrap(), "unknown");
    }
}
