//! The native half of the `jetbridge` npm package (napi-rs).
//!
//! Every export here is a thin translation: convert the JavaScript arguments,
//! call one core function, convert the result or the error. The public
//! JavaScript API (argument type checks, async iterators, the
//! `JetBridgeError` class) lives in `lib/*.js`; this module is private to it.
//!
//! Threading: synchronous methods run on the JavaScript thread and never wait
//! on the network. Asynchronous methods return a Promise that is settled from
//! a core-runtime thread (see `runtime.rs`); the Node event loop is never
//! blocked.
#![deny(clippy::unwrap_used, clippy::expect_used)]
// napi-rs exports must be `pub` (their fields become JavaScript properties);
// this cdylib has no Rust dependents, so `pub` reaches JavaScript only.
#![allow(unreachable_pub)]
// Unit tests build the crate without napi registering the exports.
#![cfg_attr(test, allow(dead_code))]

mod cancel;
mod client;
mod consumer;
mod convert;
mod core_nats;
mod dapr;
mod dapr_state;
mod error;
mod events;
mod handle;
mod kv;
mod kv_keys;
mod log;
mod message;
mod message_stream;
mod object;
mod object_link;
mod object_watch;
mod options;
mod publish;
mod publisher;
mod runtime;
mod stream;
mod tracked;

/// JetBridge's version (the workspace version every artifact carries),
/// exported as `version()` by the package.
#[napi_derive::napi(js_name = "coreVersion")]
pub fn core_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
