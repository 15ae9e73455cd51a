//! Delivered messages and their acks.
//!
//! `ack`, `nak`, `term` and `in_progress` are plain (non-blocking) calls: the
//! core queues them and sends them in batches. They return `Queued`, so that
//! `await msg.ack()` (the nats.py habit) works as well as `msg.ack()`. `ack_sync` waits for the
//! server's confirmation: on `Message` it returns an awaitable, on
//! `SyncMessage` (the blocking facade's messages) it blocks with the GIL
//! released. Both share `MessageBase`, which holds the core message.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBytes;

use crate::convert::{self, record_to_dict};
use crate::error;
use crate::headers::MessageHeaders;
use crate::queued::{Queued, queued};
use crate::runtime::{Call, as_is, spawn_to_completion};

/// A declared record as its generated dataclass (`jetbridge._types.<name>`).
fn declared<R: jetbridge::record::Record>(
    py: Python<'_>,
    name: &str,
    r: &R,
) -> PyResult<Py<PyAny>> {
    let class = py
        .import(pyo3::intern!(py, "jetbridge._types"))?
        .getattr(name)?;
    Ok(class
        .call_method1(pyo3::intern!(py, "_from_native"), (record_to_dict(py, r)?,))?
        .unbind())
}

/// What every delivered message has: data, metadata and the plain acks.
#[pyclass(subclass, frozen, module = "jetbridge._native")]
pub(crate) struct MessageBase {
    inner: Arc<jetbridge::Message>,
    payload: PyOnceLock<Py<PyBytes>>,
}

/// A delivered message of the asyncio API: `await msg.ack_sync()`.
#[pyclass(extends = MessageBase, frozen, module = "jetbridge._native")]
pub(crate) struct Message;

/// A delivered message of the blocking API: `msg.ack_sync()` blocks.
#[pyclass(extends = MessageBase, frozen, module = "jetbridge._native")]
pub(crate) struct SyncMessage;

/// Wraps a core message in the class of the asyncio or the blocking API.
pub(crate) fn to_py(py: Python<'_>, m: jetbridge::Message, blocking: bool) -> PyResult<Py<PyAny>> {
    let base = PyClassInitializer::from(MessageBase {
        inner: Arc::new(m),
        payload: PyOnceLock::new(),
    });
    Ok(if blocking {
        Py::new(py, base.add_subclass(SyncMessage))?.into_any()
    } else {
        Py::new(py, base.add_subclass(Message))?.into_any()
    })
}

#[pymethods]
impl MessageBase {
    /// The subject it was published to.
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// The payload (the same `bytes` object on every access).
    #[getter]
    fn payload<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.payload
            .get_or_init(py, || PyBytes::new(py, &self.inner.payload).unbind())
            .bind(py)
            .clone()
    }

    /// Headers as a read-only multi-dict (`MessageHeaders`).
    #[getter]
    fn headers(&self) -> MessageHeaders {
        MessageHeaders::new(&self.inner.headers)
    }

    /// The trace context it carries (the core's `TraceContext`), or `None`.
    #[getter]
    fn trace_context(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .trace_context()
            .map(|t| declared(py, "TraceContext", &t))
            .transpose()
    }

    /// How its process span is named and described (the core's `SpanSpec`).
    fn process_span(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        declared(py, "SpanSpec", &self.inner.process_span())
    }

    /// The first value of a header (case-insensitive), or `None`.
    fn header(&self, name: &str) -> Option<&str> {
        self.inner.header(name)
    }

    /// The `Nats-Msg-Id` header, or `None`.
    #[getter]
    fn msg_id(&self) -> Option<&str> {
        self.inner.msg_id()
    }

    /// The stream it came from.
    #[getter]
    fn stream(&self) -> &str {
        &self.inner.stream
    }

    /// The consumer that delivered it.
    #[getter]
    fn consumer(&self) -> &str {
        &self.inner.consumer
    }

    /// Its stream sequence.
    #[getter]
    fn stream_sequence(&self) -> u64 {
        self.inner.stream_sequence
    }

    /// Its consumer sequence.
    #[getter]
    fn consumer_sequence(&self) -> u64 {
        self.inner.consumer_sequence
    }

    /// How many times it was delivered (1 on first delivery).
    #[getter]
    fn delivered(&self) -> u64 {
        self.inner.delivered
    }

    /// When it was stored, Unix nanoseconds.
    #[getter]
    fn timestamp(&self) -> i64 {
        self.inner.timestamp
    }

    /// Messages still pending for the consumer after this one.
    #[getter]
    fn pending(&self) -> u64 {
        self.inner.pending
    }

    /// True once a terminal ack was sent or confirmed.
    #[getter]
    fn is_acked(&self) -> bool {
        self.inner.is_acked()
    }

    /// Acknowledges (terminal). Queued; never waits. Returns `Queued`, so
    /// that `await msg.ack()` works as well (it finishes at once).
    fn ack(&self, py: Python<'_>) -> PyResult<Py<Queued>> {
        error::guard(|| self.inner.ack())?;
        queued(py)
    }

    /// Asks for redelivery, after `delay` (seconds or a `timedelta`) if
    /// given (terminal). Returns `Queued`, as `ack`.
    #[pyo3(signature = (delay=None))]
    fn nak(&self, py: Python<'_>, delay: Option<&Bound<'_, PyAny>>) -> PyResult<Py<Queued>> {
        let delay = convert::opt_duration(delay, "delay")?;
        error::guard(|| self.inner.nak(delay))?;
        queued(py)
    }

    /// Stops redelivery for good (terminal), with an optional reason.
    /// Returns `Queued`, as `ack`.
    #[pyo3(signature = (reason=None))]
    fn term(&self, py: Python<'_>, reason: Option<&str>) -> PyResult<Py<Queued>> {
        error::guard(|| self.inner.term(reason))?;
        queued(py)
    }

    /// Resets the ack timer ("still working on it"); may repeat. Returns
    /// `Queued`, as `ack`.
    fn in_progress(&self, py: Python<'_>) -> PyResult<Py<Queued>> {
        error::guard(|| self.inner.in_progress())?;
        queued(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "Message(subject={:?}, stream={:?}, stream_sequence={}, delivered={}, payload_len={})",
            self.inner.subject,
            self.inner.stream,
            self.inner.stream_sequence,
            self.inner.delivered,
            self.inner.payload.len()
        )
    }
}

impl MessageBase {
    /// Runs to completion even if the wait is cancelled: an ack asked for is
    /// sent and confirmed.
    fn ack_sync_call(&self) -> PyResult<Call> {
        let message = self.inner.clone();
        spawn_to_completion(async move { message.ack_sync().await }, as_is)
    }
}

#[pymethods]
impl Message {
    /// Acknowledges and waits for the server's confirmation (awaitable).
    /// On error the message stays un-acked and can be acked again.
    fn ack_sync(slf: &Bound<'_, Self>) -> PyResult<Call> {
        slf.as_super().get().ack_sync_call()
    }
}

#[pymethods]
impl SyncMessage {
    /// Acknowledges and blocks until the server confirms (GIL released).
    /// On error the message stays un-acked and can be acked again.
    fn ack_sync(slf: &Bound<'_, Self>) -> PyResult<()> {
        let call = slf.as_super().get().ack_sync_call()?;
        call.wait(slf.py()).map(|_| ())
    }
}
