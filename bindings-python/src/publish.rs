//! Publishing: one awaited publish, `publish_many`, and the pipelined
//! `Publisher` whose `try_publish` queues without creating any Python future.

use jetbridge::record::FieldSource;
use jetbridge::{Expectations, PublishMessage, PublisherOptions, TryPublish};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::client::Client;
use crate::convert::{self, Fields};
use crate::error;
use crate::runtime::{Call, spawn, spawn_to_completion, spawn_value};

/// The server's acknowledgement of a stored message.
#[pyclass(frozen, get_all, module = "jetbridge._native")]
pub(crate) struct PubAck {
    /// The stream that stored it.
    stream: String,
    /// Its stream sequence (for a duplicate: the original's).
    sequence: u64,
    /// True when the msg id was seen before and nothing new was stored.
    duplicate: bool,
    /// The msg id that was sent (the caller's or a generated one).
    msg_id: String,
    /// The JetStream domain, if any.
    domain: Option<String>,
}

impl From<jetbridge::PubAck> for PubAck {
    fn from(a: jetbridge::PubAck) -> PubAck {
        PubAck {
            stream: a.stream,
            sequence: a.sequence,
            duplicate: a.duplicate,
            msg_id: a.msg_id,
            domain: a.domain,
        }
    }
}

#[pymethods]
impl PubAck {
    fn __repr__(&self) -> String {
        format!(
            "PubAck(stream={:?}, sequence={}, duplicate={}, msg_id={:?})",
            self.stream,
            self.sequence,
            if self.duplicate { "True" } else { "False" },
            self.msg_id
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PubAck>().is_ok_and(|o| {
            let o = o.get();
            (&o.stream, o.sequence, o.duplicate, &o.msg_id, &o.domain)
                == (
                    &self.stream,
                    self.sequence,
                    self.duplicate,
                    &self.msg_id,
                    &self.domain,
                )
        })
    }
}

/// Expectations from an `Expect` object (or `None`).
fn expectations(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Expectations> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Expectations::default());
    };
    let f = Fields::new(obj, "expect");
    Ok(Expectations {
        stream: f.string("stream")?,
        last_sequence: f.int("last_sequence")?,
        last_msg_id: f.string("last_msg_id")?,
        last_subject_sequence: f.int("last_subject_sequence")?,
    })
}

/// One message from separate arguments.
pub(crate) fn message(
    subject: &Bound<'_, PyAny>,
    payload: &Bound<'_, PyAny>,
    msg_id: Option<&Bound<'_, PyAny>>,
    headers: Option<&Bound<'_, PyAny>>,
    expect: Option<&Bound<'_, PyAny>>,
    ttl: Option<&Bound<'_, PyAny>>,
) -> PyResult<PublishMessage> {
    let subject = subject
        .cast::<PyString>()
        .map_err(|_| convert::type_error("subject", "str", subject))?
        .to_cow()?
        .into_owned();
    let msg_id = match msg_id.filter(|m| !m.is_none()) {
        Some(m) => Some(
            m.cast::<PyString>()
                .map_err(|_| convert::type_error("msg_id", "str", m))?
                .to_cow()?
                .into_owned(),
        ),
        None => None,
    };
    Ok(PublishMessage {
        subject,
        payload: convert::payload(payload, "payload")?,
        headers: convert::headers(headers, "headers")?,
        msg_id,
        expect: expectations(expect)?,
        ttl: convert::opt_duration(ttl, "ttl")?,
    })
}

/// One item of a batch: a `(subject, payload)` or `(subject, payload, msg_id)`
/// tuple, or an object with `subject`, `payload`, `msg_id`, `headers`, `expect`
/// and optionally `ttl` (`jetbridge.PublishMessage`).
fn batch_item(item: &Bound<'_, PyAny>, index: usize) -> PyResult<PublishMessage> {
    if let Ok(t) = item.cast::<PyTuple>() {
        return match t.len() {
            2 => message(&t.get_item(0)?, &t.get_item(1)?, None, None, None, None),
            3 => message(
                &t.get_item(0)?,
                &t.get_item(1)?,
                Some(&t.get_item(2)?),
                None,
                None,
                None,
            ),
            n => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "messages[{index}] must be (subject, payload[, msg_id]), not a tuple of {n}"
            ))),
        };
    }
    let get = |name: &str| item.getattr(name);
    let subject = get("subject").map_err(|_| {
        convert::type_error(
            &format!("messages[{index}]"),
            "a PublishMessage or a (subject, payload) tuple",
            item,
        )
    })?;
    message(
        &subject,
        &get("payload")?,
        Some(&get("msg_id")?),
        Some(&get("headers")?),
        Some(&get("expect")?),
        item.getattr_opt("ttl")?.as_ref(),
    )
}

fn batch(messages: &Bound<'_, PyAny>) -> PyResult<Vec<PublishMessage>> {
    if !(messages.is_instance_of::<PyList>() || messages.is_instance_of::<PyTuple>()) {
        return Err(convert::type_error("messages", "a list", messages));
    }
    let mut out = Vec::with_capacity(messages.len().unwrap_or(0));
    for (i, item) in messages.try_iter()?.enumerate() {
        out.push(batch_item(&item?, i)?);
    }
    Ok(out)
}

#[pymethods]
impl Client {
    /// Publishes one message and waits for its ack (`Call[PubAck]`).
    #[pyo3(signature = (subject, payload, msg_id=None, headers=None, expect=None, ttl=None))]
    fn publish(
        &self,
        subject: &Bound<'_, PyAny>,
        payload: &Bound<'_, PyAny>,
        msg_id: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        expect: Option<&Bound<'_, PyAny>>,
        ttl: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        let msg = message(subject, payload, msg_id, headers, expect, ttl)?;
        let client = self.inner.clone();
        spawn(async move { client.publish(msg).await }, |py, ack| {
            Ok(Py::new(py, PubAck::from(ack))?.into_any())
        })
    }

    /// Publishes a batch pipelined, in one crossing (`Call[list]`): each entry
    /// is a `PubAck` or the exception (not raised) for that message.
    fn publish_many(&self, messages: &Bound<'_, PyAny>) -> PyResult<Call> {
        let msgs = batch(messages)?;
        let client = self.inner.clone();
        spawn(
            async move { client.publish_many(msgs).await },
            |py, results| {
                let list = PyList::empty(py);
                for r in results {
                    match r {
                        Ok(ack) => list.append(Py::new(py, PubAck::from(ack))?)?,
                        Err(e) => list.append(error::exception(py, &e)?)?,
                    }
                }
                Ok(list.into_any().unbind())
            },
        )
    }

    /// A pipelined publisher with its own window; `options` is a
    /// `jetbridge.PublisherOptions` made from keyword arguments (`None`
    /// fields take the core's defaults).
    #[pyo3(signature = (options=None))]
    fn publisher(&self, options: Option<&Bound<'_, PyAny>>) -> PyResult<Publisher> {
        let options: PublisherOptions = convert::record(options, "")?;
        let inner = error::guard(|| self.inner.publisher(options))?;
        Ok(Publisher { inner })
    }
}

/// A pipelined publisher: many publishes in flight, bounded by a window.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct Publisher {
    pub(crate) inner: jetbridge::Publisher,
}

/// A `FlushReport` as a dict with a list of failures (each with its exception).
fn report_to_dict(py: Python<'_>, r: jetbridge::FlushReport) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("acked", r.acked)?;
    d.set_item("duplicates", r.duplicates)?;
    let failures = PyList::empty(py);
    for f in r.failures {
        let fd = PyDict::new(py);
        fd.set_item("ticket", f.ticket)?;
        fd.set_item("msg_id", f.msg_id)?;
        fd.set_item("subject", f.subject)?;
        fd.set_item("error", error::exception(py, &f.error)?)?;
        failures.append(fd)?;
    }
    d.set_item("failures", failures)?;
    Ok(d.into_any().unbind())
}

#[pymethods]
impl Publisher {
    /// Queues a message if the window has room and returns its ticket; returns
    /// `None` when the window is full (then use `publish`). Never waits.
    #[pyo3(signature = (subject, payload, msg_id=None, headers=None, expect=None, ttl=None))]
    fn try_publish(
        &self,
        subject: &Bound<'_, PyAny>,
        payload: &Bound<'_, PyAny>,
        msg_id: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        expect: Option<&Bound<'_, PyAny>>,
        ttl: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<u64>> {
        let msg = message(subject, payload, msg_id, headers, expect, ttl)?;
        error::guard(|| match self.inner.try_publish(msg)? {
            TryPublish::Queued(ticket) => Ok(Some(ticket)),
            TryPublish::Full(_) => Ok(None),
        })
    }

    /// Queues a message, waiting while the window is full (`Call[int]`).
    /// With `room`, resolves only once that many more messages could be
    /// queued (the core's `wait_for_room`), so that the next `try_publish`
    /// calls find room: one future per window refill instead of one per
    /// message. A failed wait (closed) is left to the next publish to report.
    #[pyo3(signature = (subject, payload, msg_id=None, headers=None, expect=None, ttl=None, room=None))]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn publish(
        &self,
        subject: &Bound<'_, PyAny>,
        payload: &Bound<'_, PyAny>,
        msg_id: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        expect: Option<&Bound<'_, PyAny>>,
        ttl: Option<&Bound<'_, PyAny>>,
        room: Option<usize>,
    ) -> PyResult<Call> {
        let msg = message(subject, payload, msg_id, headers, expect, ttl)?;
        let publisher = self.inner.clone();
        spawn_value(async move {
            let ticket = publisher.publish(msg).await?;
            if let Some(room) = room {
                let _ = publisher.wait_for_room(room).await;
            }
            Ok(ticket)
        })
    }

    /// Queues a batch in order, waiting for room as needed (`Call[list[int]]`).
    fn publish_many(&self, messages: &Bound<'_, PyAny>) -> PyResult<Call> {
        let msgs = batch(messages)?;
        let publisher = self.inner.clone();
        spawn_value(async move { publisher.publish_many(msgs).await })
    }

    /// Waits until everything queued is settled (`Call[dict]`).
    fn flush(&self) -> PyResult<Call> {
        let publisher = self.inner.clone();
        spawn(async move { publisher.flush().await }, report_to_dict)
    }

    /// Flushes, then refuses further publishes (`Call[dict]`). Runs to
    /// completion even if the wait is cancelled.
    fn close(&self) -> PyResult<Call> {
        let publisher = self.inner.clone();
        spawn_to_completion(async move { publisher.close().await }, report_to_dict)
    }

    /// `(messages, bytes)` awaiting their ack now.
    fn in_flight(&self) -> (usize, usize) {
        self.inner.in_flight()
    }

    /// The most messages ever in flight at once.
    fn peak_in_flight(&self) -> usize {
        self.inner.peak_in_flight()
    }

    /// `(max_in_flight, max_in_flight_bytes)`.
    fn window(&self) -> (usize, usize) {
        let o = self.inner.options();
        (o.max_in_flight, o.max_in_flight_bytes)
    }
}
