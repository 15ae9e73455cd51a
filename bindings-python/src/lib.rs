//! `jetbridge._native`: the private native module behind the `jetbridge`
//! Python package. It converts arguments, calls one core function and
//! converts the result; behaviour, validation and defaults live in the core.
//! The public API, its docs and the dataclasses live in `python/jetbridge/`.

mod client;
mod consumer;
mod convert;
mod core_nats;
mod dapr;
mod dapr_state;
mod error;
mod event_loop;
mod events;
mod headers;
mod kv;
mod kv_keys;
mod log;
mod message;
mod message_stream;
mod object;
mod object_links;
mod object_watch;
mod publish;
mod queued;
mod runtime;
mod stream;
mod tracked;
mod watch_buffer;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    runtime::register(m)?;
    m.add_class::<client::Client>()?;
    m.add_class::<publish::PubAck>()?;
    m.add_class::<publish::BatchAck>()?;
    m.add_class::<publish::Publisher>()?;
    m.add_class::<consumer::Consumer>()?;
    m.add_class::<message::MessageBase>()?;
    m.add_class::<message::Message>()?;
    m.add_class::<message::SyncMessage>()?;
    m.add_class::<headers::MessageHeaders>()?;
    m.add_class::<headers::HeaderNames>()?;
    m.add_class::<queued::Queued>()?;
    m.add_class::<message_stream::MessageStream>()?;
    m.add_class::<core_nats::CoreSubscription>()?;
    m.add_class::<core_nats::CoreMessage>()?;
    m.add_class::<events::EventListener>()?;
    m.add_class::<kv::KeyValue>()?;
    m.add_class::<kv::KvWatcher>()?;
    m.add_class::<kv_keys::KvKeys>()?;
    m.add_class::<object::ObjectStore>()?;
    m.add_class::<object::ObjectWriter>()?;
    m.add_class::<object::ObjectReader>()?;
    m.add_class::<object_watch::ObjectWatcher>()?;
    m.add("OBJECT_CHUNK_SIZE", jetbridge::DEFAULT_CHUNK_SIZE)?;
    m.add("WATCH_ALL", jetbridge::WATCH_ALL)?;
    m.add_function(wrap_pyfunction!(events::connection_event_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(client::connect, m)?)?;
    m.add_function(wrap_pyfunction!(client::default_connect_options, m)?)?;
    m.add_function(wrap_pyfunction!(client::default_drain_timeout, m)?)?;
    m.add_function(wrap_pyfunction!(client::redact_url, m)?)?;
    m.add_function(wrap_pyfunction!(
        message_stream::default_messages_options,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(dapr::dapr_from_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(dapr::dapr_from_yaml_file, m)?)?;
    m.add_function(wrap_pyfunction!(dapr::dapr_from_yaml_str, m)?)?;
    m.add_function(wrap_pyfunction!(dapr_state::dapr_state_from_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(dapr_state::dapr_state_from_yaml_file, m)?)?;
    m.add_function(wrap_pyfunction!(dapr_state::dapr_state_from_yaml_str, m)?)?;
    m.add_function(wrap_pyfunction!(dapr_state::dapr_state_key, m)?)?;
    m.add_function(wrap_pyfunction!(error::_closed_error, m)?)?;
    m.add_function(wrap_pyfunction!(log::set_log_sink, m)?)?;
    m.add_function(wrap_pyfunction!(log::clear_log_sink, m)?)?;
    m.add("CORE_VERSION", env!("CARGO_PKG_VERSION"))?;
    error::register(m) // last: it sets `__all__` to the error classes
}
