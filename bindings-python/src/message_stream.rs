//! Continuous consumers: `Consumer.messages()`, ordered replay, push
//! consumers and Dapr-style subscriptions, all read through the core's
//! [`jetbridge::MessageStream`], shared by every call on it.
//!
//! Messages cross into Python in batches. `fill` waits (on the core runtime)
//! for the next batch and keeps it in a native buffer; `take` hands buffered
//! messages to Python without waiting. The core's `next_batch` loses nothing
//! when dropped, but its result is in transit to Python until the awaiting
//! asyncio future takes it: a task cancelled at that moment would drop the
//! batch. So `fill` moves the batch into the buffer on the core runtime,
//! where it stays until a `take`: cancelling an `await fill(...)` loses
//! nothing.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use jetbridge::record::FieldSource;
use jetbridge::{Health, MessagesOptions, Named, ReplayOptions, SubscriptionOptions};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::client::Client;
use crate::consumer::{Consumer, consumer_config, start_position};
use crate::convert::{self, Fields};
use crate::error;
use crate::message;
use crate::runtime::{Call, spawn, spawn_value};

struct Shared {
    stream: jetbridge::MessageStream,
    /// Batches received by `fill`, not yet taken (see the module comment).
    ready: Mutex<VecDeque<jetbridge::Message>>,
}

impl Shared {
    fn ready(&self) -> std::sync::MutexGuard<'_, VecDeque<jetbridge::Message>> {
        self.ready.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A continuous stream of messages with its health.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct MessageStream {
    shared: Arc<Shared>,
}

fn new_stream(py: Python<'_>, stream: jetbridge::MessageStream) -> PyResult<Py<PyAny>> {
    let shared = Arc::new(Shared {
        stream,
        ready: Mutex::new(VecDeque::new()),
    });
    Ok(Py::new(py, MessageStream { shared })?.into_any())
}

/// The core's `MessagesOptions::default()` as a dict of its fields.
#[pyfunction]
pub(crate) fn default_messages_options(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    convert::record_to_dict(py, &MessagesOptions::default())
}

#[pymethods]
impl MessageStream {
    /// Waits up to `max_wait` seconds for messages and buffers up to `max` of
    /// them natively (`Call[int]`, how many are buffered). Errors that end the
    /// stream are raised here, once; then `ClosedError` (at once after `stop`,
    /// once the buffer is empty).
    fn fill(&self, max: usize, max_wait: &Bound<'_, PyAny>) -> PyResult<Call> {
        let max_wait = convert::duration(max_wait, "max_wait")?;
        let shared = self.shared.clone();
        spawn_value(async move {
            let buffered = shared.ready().len();
            if buffered > 0 {
                return Ok(buffered);
            }
            let batch = shared.stream.next_batch(max.max(1), max_wait).await?;
            let mut ready = shared.ready();
            ready.extend(batch);
            Ok(ready.len())
        })
    }

    /// Up to `max` buffered messages, without waiting (maybe none).
    #[pyo3(signature = (max, blocking=false))]
    fn take<'py>(
        &self,
        py: Python<'py>,
        max: usize,
        blocking: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let taken: Vec<jetbridge::Message> = {
            let mut ready = self.shared.ready();
            let n = max.min(ready.len());
            ready.drain(..n).collect()
        };
        let list = PyList::empty(py);
        for m in taken {
            list.append(message::to_py(py, m, blocking)?)?;
        }
        Ok(list)
    }

    /// The health: `active`, `reconnecting`, `stalled`, `recovering`, `stopped`.
    #[getter]
    fn health(&self) -> &'static str {
        self.shared.stream.health().name()
    }

    /// True once `stop` was called or the client started draining.
    #[getter]
    fn is_stopped(&self) -> bool {
        self.shared.stream.is_stopped()
    }

    /// Health transitions since the last call: `(health, reason, at_unix_nanos)`.
    fn take_events(&self) -> Vec<(&'static str, String, i64)> {
        self.shared
            .stream
            .take_events()
            .into_iter()
            .map(|e| (e.health.name(), e.reason, e.at))
            .collect()
    }

    /// Waits until the health differs from `current`, up to `max_wait`
    /// seconds (`Call[str]`, the health then).
    fn wait_health_change(&self, current: &str, max_wait: &Bound<'_, PyAny>) -> PyResult<Call> {
        let current = convert::parse::<Health>(current)?;
        let max_wait = convert::duration(max_wait, "max_wait")?;
        let shared = self.shared.clone();
        spawn_value(async move {
            Ok(shared
                .stream
                .wait_health_change(current, max_wait)
                .await
                .name())
        })
    }

    /// Stops the background task and wakes a waiting `fill`. Buffered
    /// messages can still be taken; then `fill` raises `ClosedError`. Unacked
    /// messages are redelivered by the server after their ack wait.
    fn stop(&self) {
        self.shared.stream.stop();
    }
}

#[pymethods]
impl Consumer {
    /// Starts a continuous stream of this consumer's messages
    /// (`Call[MessageStream]`), with heartbeats and automatic recovery.
    #[pyo3(signature = (options=None))]
    fn messages(&self, options: Option<&Bound<'_, PyAny>>) -> PyResult<Call> {
        let options: MessagesOptions = convert::record(options, "options")?;
        let consumer = self.inner.clone();
        spawn(async move { consumer.messages(options).await }, new_stream)
    }
}

#[pymethods]
impl Client {
    /// An ordered replay of a stream from `start` (`Call[MessageStream]`).
    #[pyo3(signature = (stream, start=None, filter_subjects=None, speed=None, options=None))]
    fn replay(
        &self,
        stream: String,
        start: Option<&Bound<'_, PyAny>>,
        filter_subjects: Option<Vec<String>>,
        speed: Option<&str>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        let mut replay = ReplayOptions {
            filter_subjects: filter_subjects.unwrap_or_default(),
            messages: convert::record(options, "options")?,
            ..ReplayOptions::default()
        };
        if let Some(start) = start.filter(|s| !s.is_none()) {
            replay.start = start_position(start, "start")?;
        }
        if let Some(speed) = speed {
            replay.speed = convert::parse(speed)?;
        }
        let client = self.inner.clone();
        spawn(
            async move { client.replay(&stream, replay).await },
            new_stream,
        )
    }

    /// Creates (or joins) a push consumer and starts receiving
    /// (`Call[MessageStream]`).
    fn push_subscribe(&self, stream: String, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let config = consumer_config(config)?;
        let client = self.inner.clone();
        spawn(
            async move { client.push_subscribe(&stream, config).await },
            new_stream,
        )
    }

    /// Subscribes to a topic the way the Dapr component does
    /// (`Call[MessageStream]`); `options` is a `jetbridge.SubscriptionOptions`.
    fn subscribe(&self, topic: String, options: &Bound<'_, PyAny>) -> PyResult<Call> {
        let f = Fields::new(options, "options");
        let consumer = match f.raw("consumer")? {
            Some(c) => consumer_config(&c)?,
            None => jetbridge::ConsumerConfig::default(),
        };
        let concurrency = match f.string("concurrency")?.as_deref() {
            None | Some("single") => jetbridge::ConcurrencyMode::Single,
            Some("parallel") => jetbridge::ConcurrencyMode::Parallel,
            Some(other) => {
                return Err(error::invalid(
                    "concurrency",
                    format!("{other:?} is not one of single, parallel"),
                ));
            }
        };
        let subscription = SubscriptionOptions {
            stream_name: f.string("stream_name")?,
            consumer,
            concurrency,
        };
        let client = self.inner.clone();
        spawn(
            async move { client.subscribe(&topic, &subscription).await },
            new_stream,
        )
    }
}
