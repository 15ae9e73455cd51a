//! The C ABI of JetBridge: `libjetbridge.so` / `libjetbridge.a` with the
//! generated header `include/jetbridge.h` (prefix `jb_`).
//!
//! Conventions (rustls-ffi style):
//! - Every fallible function returns `jb_result` (0 = `JB_RESULT_OK`, else
//!   the core's error number); outputs go through out-parameters written
//!   only on success. `jb_last_error_message()` has the detail.
//! - Objects are opaque handles (`jb_client *`, …) created by the library
//!   and freed with their `_free` function; `_free(NULL)` is a no-op; a freed
//!   or foreign handle is `JB_RESULT_INVALID_HANDLE`, never undefined
//!   behaviour. Handles may be used from any thread.
//! - Structs the library returns (`jb_pub_ack *`, `jb_stream_info *`, …)
//!   are freed with their own `_free`; structs lent to callbacks are valid
//!   only during the call.
//! - Async functions take `(callback, user_data)`: when they return
//!   `JB_RESULT_OK`, the callback is called exactly once, on a library
//!   thread; otherwise never. Blocking variants wait on the calling thread
//!   and refuse to run on a library thread.
//! - Every export sits behind a panic boundary (`JB_RESULT_PANIC`).
#![allow(non_camel_case_types)]
// The pointer contract of every export is stated once, in the header's
// conventions (valid or NULL; strings UTF-8; lengths true), and each
// function's doc says what it owns and returns.
#![allow(clippy::missing_safety_doc)]
#![cfg_attr(test, allow(clippy::unwrap_used))]
#![warn(missing_docs)]

pub mod client;
pub mod consumer;
pub mod convert;
pub mod core_nats;
pub mod dapr;
pub mod dapr_state;
pub mod error;
pub mod events;
pub mod generated;
mod handles;
pub mod log;
pub mod message;
pub mod message_trace;
pub mod msg_id;
mod panic;
pub mod publish;
// After `publish`, whose types it uses: cbindgen writes the header in module
// order.
pub mod batch_publish;
pub mod cancel;
pub mod publisher;
mod record_c;
pub mod runtime;
pub mod stream;
pub mod subscription;
// Key-value buckets and object stores, after the modules whose types they use.
pub mod kv;
pub mod kv_keys;
pub mod object_meta;
pub mod object_store;
pub mod object_watch;
