//! Durable consumers: configuration, create/update/bind/info/list/delete,
//! pause/resume/unpin, and `fetch` (one crossing per batch).
//!
//! `fetch` keeps what it received in the handle's native buffer and `take`
//! hands it to Python. A fetch whose caller was cancelled (or interrupted by
//! Ctrl-C) still runs to its end — the core would finish it anyway — and its
//! messages wait in the buffer: the next `fetch` on the handle returns them at
//! once. Nothing is swallowed until the server's ack wait.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use jetbridge::record::{FieldSource, Record};
use jetbridge::{ConsumerConfig, ConsumerInfo, ConsumerPauseState, FetchOptions, StartPosition};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::client::Client;
use crate::convert::{self, Fields};
use crate::error;
use crate::message;
use crate::runtime::{Call, as_is, spawn, spawn_to_completion, spawn_value};

/// A start position from a `jetbridge.StartPosition` or a policy name
/// (`"all"`, `"last"`, `"last_per_subject"`, `"new"`).
pub(crate) fn start_position(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<StartPosition> {
    if let Ok(s) = obj.cast::<PyString>() {
        return StartPosition::from_parts(&s.to_cow()?, None, None).map_err(error::to_py);
    }
    let f = Fields::new(obj, what);
    let policy = f
        .string("policy")?
        .ok_or_else(|| convert::type_error(what, "a StartPosition or a policy name", obj))?;
    StartPosition::from_parts(&policy, f.int("sequence")?, f.int("time")?).map_err(error::to_py)
}

pub(crate) fn start_to_dict<'py>(
    py: Python<'py>,
    s: StartPosition,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let (policy, sequence, time) = s.parts();
    d.set_item("policy", policy)?;
    d.set_item("sequence", sequence)?;
    d.set_item("time", time)?;
    Ok(d)
}

/// A core `ConsumerConfig` from a `jetbridge.ConsumerConfig`.
pub(crate) fn consumer_config(obj: &Bound<'_, PyAny>) -> PyResult<ConsumerConfig> {
    ConsumerConfig::read(&Fields::new(obj, "config"))
}

fn consumer_info_to_dict(py: Python<'_>, i: ConsumerInfo) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("stream", &i.stream)?;
    d.set_item("name", &i.name)?;
    d.set_item("config", convert::record_to_dict(py, &i.config)?)?;
    d.set_item("created", i.created)?;
    d.set_item(
        "delivered",
        (i.delivered.consumer_seq, i.delivered.stream_seq),
    )?;
    d.set_item(
        "ack_floor",
        (i.ack_floor.consumer_seq, i.ack_floor.stream_seq),
    )?;
    d.set_item("num_ack_pending", i.num_ack_pending)?;
    d.set_item("num_redelivered", i.num_redelivered)?;
    d.set_item("num_waiting", i.num_waiting)?;
    d.set_item("num_pending", i.num_pending)?;
    d.set_item("cluster_leader", i.cluster.and_then(|c| c.leader))?;
    Ok(d.into_any().unbind())
}

fn consumer_infos_to_list(py: Python<'_>, infos: Vec<ConsumerInfo>) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for i in infos {
        list.append(consumer_info_to_dict(py, i)?)?;
    }
    Ok(list.into_any().unbind())
}

/// The declared `ConsumerPauseState` as a dict of its fields.
fn pause_state_to_dict(py: Python<'_>, s: ConsumerPauseState) -> PyResult<Py<PyAny>> {
    Ok(convert::record_to_dict(py, &s)?.into_any().unbind())
}

/// A handle to one consumer of one stream, with its fetch buffer.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct Consumer {
    pub(crate) inner: jetbridge::Consumer,
    fetched: Arc<Mutex<VecDeque<jetbridge::Message>>>,
}

fn new_consumer(py: Python<'_>, inner: jetbridge::Consumer) -> PyResult<Py<PyAny>> {
    let consumer = Consumer {
        inner,
        fetched: Arc::default(),
    };
    Ok(Py::new(py, consumer)?.into_any())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[pymethods]
impl Client {
    /// Creates a consumer (`Call[Consumer]`); the same config again returns it.
    fn create_consumer(&self, stream: String, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let (client, config) = (self.inner.clone(), consumer_config(config)?);
        spawn(
            async move { client.create_consumer(&stream, config).await },
            new_consumer,
        )
    }

    /// Changes an existing consumer (`Call[Consumer]`).
    fn update_consumer(&self, stream: String, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let (client, config) = (self.inner.clone(), consumer_config(config)?);
        spawn(
            async move { client.update_consumer(&stream, config).await },
            new_consumer,
        )
    }

    /// Creates the consumer or binds to an identical one (`Call[Consumer]`).
    fn get_or_create_consumer(&self, stream: String, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let (client, config) = (self.inner.clone(), consumer_config(config)?);
        spawn(
            async move { client.get_or_create_consumer(&stream, config).await },
            new_consumer,
        )
    }

    /// Binds to an existing consumer, checking `expected` if given.
    #[pyo3(signature = (stream, name, expected=None))]
    fn bind_consumer(
        &self,
        stream: String,
        name: String,
        expected: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        let expected = match expected.filter(|e| !e.is_none()) {
            Some(e) => Some(consumer_config(e)?),
            None => None,
        };
        let client = self.inner.clone();
        spawn(
            async move { client.bind_consumer(&stream, &name, expected).await },
            new_consumer,
        )
    }

    /// A consumer's configuration and progress (`Call[dict]`).
    fn consumer_info(&self, stream: String, name: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.consumer_info(&stream, &name).await },
            consumer_info_to_dict,
        )
    }

    /// Every consumer of a stream (`Call[list[dict]]`, consumer infos in the
    /// server's order).
    fn list_consumers(&self, stream: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.list_consumers(&stream).await },
            consumer_infos_to_list,
        )
    }

    /// Deletes a consumer (`Call[None]`).
    fn delete_consumer(&self, stream: String, name: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.delete_consumer(&stream, &name).await })
    }

    /// Pauses a consumer until `until`, a `datetime` (`Call[dict]`, the
    /// declared `ConsumerPauseState`).
    fn pause_consumer(
        &self,
        stream: String,
        name: String,
        until: &Bound<'_, PyAny>,
    ) -> PyResult<Call> {
        let until = jetbridge::record::system_time(convert::unix_nanos(until, "until")?);
        let client = self.inner.clone();
        spawn(
            async move { client.pause_consumer(&stream, &name, until).await },
            pause_state_to_dict,
        )
    }

    /// Resumes a paused consumer (`Call[dict]`, the declared
    /// `ConsumerPauseState`).
    fn resume_consumer(&self, stream: String, name: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.resume_consumer(&stream, &name).await },
            pause_state_to_dict,
        )
    }

    /// Unpins the client pinned in a priority group (`Call[None]`).
    fn unpin_consumer(&self, stream: String, name: String, group: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.unpin_consumer(&stream, &name, &group).await })
    }
}

#[pymethods]
impl Consumer {
    /// The stream this consumer reads.
    #[getter]
    fn stream(&self) -> &str {
        self.inner.stream()
    }

    /// The consumer's name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The configuration the server reported when this handle was made.
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        convert::record_to_dict(py, &self.inner.config())
    }

    /// Current configuration and progress (`Call[dict]`).
    fn info(&self) -> PyResult<Call> {
        let consumer = self.inner.clone();
        spawn(async move { consumer.info().await }, consumer_info_to_dict)
    }

    /// Fetches 0..max_messages messages into the handle's buffer
    /// (`Call[int]`, how many are buffered); `options` is a
    /// `jetbridge.FetchOptions` made from keyword arguments (`None` fields
    /// take the core's defaults). Returns at once when earlier messages are
    /// still buffered.
    #[pyo3(signature = (options=None))]
    fn fetch(&self, options: Option<&Bound<'_, PyAny>>) -> PyResult<Call> {
        let options: FetchOptions = convert::record(options, "")?;
        let (consumer, fetched) = (self.inner.clone(), self.fetched.clone());
        let fetch = async move {
            let buffered = lock(&fetched).len();
            if buffered > 0 {
                return Ok(buffered);
            }
            let messages = consumer.fetch(options).await?;
            let mut fetched = lock(&fetched);
            fetched.extend(messages);
            Ok(fetched.len())
        };
        spawn_to_completion(fetch, as_is)
    }

    /// Up to `max` buffered messages (default: the core's default fetch
    /// size), without waiting. `blocking` picks the message class of the
    /// blocking facade.
    #[pyo3(signature = (max=None, blocking=false))]
    fn take<'py>(
        &self,
        py: Python<'py>,
        max: Option<usize>,
        blocking: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let taken: Vec<jetbridge::Message> = {
            let mut fetched = lock(&self.fetched);
            let n = max
                .unwrap_or(FetchOptions::default().max_messages)
                .min(fetched.len());
            fetched.drain(..n).collect()
        };
        let list = PyList::empty(py);
        for m in taken {
            list.append(message::to_py(py, m, blocking)?)?;
        }
        Ok(list)
    }

    /// Deletes this consumer on the server (`Call[None]`).
    fn delete(&self) -> PyResult<Call> {
        let consumer = self.inner.clone();
        spawn_value(async move { consumer.delete().await })
    }

    fn __repr__(&self) -> String {
        format!(
            "Consumer(stream={:?}, name={:?})",
            self.inner.stream(),
            self.inner.name()
        )
    }
}
