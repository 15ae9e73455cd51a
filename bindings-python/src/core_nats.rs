//! Core NATS on the client's connection: `core_publish`, `core_subscribe`
//! (a [`CoreSubscription`] whose `next` waits on the core runtime),
//! `core_request`, and [`CoreMessage`] with its `respond`. Validation, the
//! request timeout's default and every error are the core's.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBytes;

use crate::client::Client;
use crate::convert;
use crate::runtime::{Call, as_is, spawn, spawn_to_completion};

/// A core NATS message: what a subscription receives or a request returns.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct CoreMessage {
    inner: Arc<jetbridge::CoreMessage>,
    client: jetbridge::Client,
    data: PyOnceLock<Py<PyBytes>>,
}

fn core_message(
    py: Python<'_>,
    client: jetbridge::Client,
    m: jetbridge::CoreMessage,
) -> PyResult<Py<PyAny>> {
    let m = CoreMessage {
        inner: Arc::new(m),
        client,
        data: PyOnceLock::new(),
    };
    Ok(Py::new(py, m)?.into_any())
}

#[pymethods]
impl CoreMessage {
    /// Its subject.
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// Its payload (the same `bytes` object on every access).
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.data
            .get_or_init(py, || PyBytes::new(py, &self.inner.payload).unbind())
            .bind(py)
            .clone()
    }

    /// Headers as a read-only multi-dict (`MessageHeaders`).
    #[getter]
    fn headers(&self) -> crate::headers::MessageHeaders {
        crate::headers::MessageHeaders::new(&self.inner.headers)
    }

    /// Where a reply goes, or `None`.
    #[getter]
    fn reply(&self) -> Option<&str> {
        self.inner.reply.as_deref()
    }

    /// Answers this message: the core's `core_respond` (`Call[None]`).
    #[pyo3(signature = (payload, headers=None))]
    fn respond(
        &self,
        payload: &Bound<'_, PyAny>,
        headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        let payload = convert::payload(payload, "data")?;
        let headers = convert::headers(headers, "headers")?;
        let (client, request) = (self.client.clone(), self.inner.clone());
        spawn_to_completion(
            async move { client.core_respond(&request, payload, &headers).await },
            as_is,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "CoreMessage(subject={:?}, reply={:?}, data_len={})",
            self.inner.subject,
            self.inner.reply,
            self.inner.payload.len()
        )
    }
}

/// A core NATS subscription.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct CoreSubscription {
    inner: Arc<jetbridge::CoreSubscription>,
    client: jetbridge::Client,
}

#[pymethods]
impl CoreSubscription {
    /// The next message, waiting up to `max_wait` (`Call[CoreMessage |
    /// None]`, `None` when none came in time); `ClosedError` once
    /// unsubscribed or the client closed.
    fn next(&self, max_wait: &Bound<'_, PyAny>) -> PyResult<Call> {
        let max_wait = convert::duration(max_wait, "timeout")?;
        let (sub, client) = (self.inner.clone(), self.client.clone());
        spawn(
            async move { sub.next(max_wait).await },
            move |py, m| match m {
                Some(m) => core_message(py, client, m),
                None => Ok(py.None()),
            },
        )
    }

    /// Ends the subscription (`Call[None]`); a waiting `next` ends with
    /// `ClosedError`. Twice is fine. Runs to completion.
    fn unsubscribe(&self) -> PyResult<Call> {
        let sub = self.inner.clone();
        spawn_to_completion(async move { sub.unsubscribe().await }, as_is)
    }
}

#[pymethods]
impl Client {
    /// Publishes a core NATS message, no ack (`Call[None]`).
    #[pyo3(signature = (subject, payload, headers=None, reply=None))]
    fn core_publish(
        &self,
        subject: String,
        payload: &Bound<'_, PyAny>,
        headers: Option<&Bound<'_, PyAny>>,
        reply: Option<String>,
    ) -> PyResult<Call> {
        let payload = convert::payload(payload, "data")?;
        let headers = convert::headers(headers, "headers")?;
        let client = self.inner.clone();
        spawn(
            async move {
                client
                    .core_publish(&subject, payload, &headers, reply.as_deref())
                    .await
            },
            as_is,
        )
    }

    /// Subscribes, with an optional queue group (`Call[CoreSubscription]`),
    /// resolving once the server has the subscription.
    #[pyo3(signature = (subject, queue=None))]
    fn core_subscribe(&self, subject: String, queue: Option<String>) -> PyResult<Call> {
        let client = self.inner.clone();
        let owner = client.clone();
        spawn(
            async move { client.core_subscribe(&subject, queue.as_deref()).await },
            move |py, sub| {
                let sub = CoreSubscription {
                    inner: Arc::new(sub),
                    client: owner,
                };
                Ok(Py::new(py, sub)?.into_any())
            },
        )
    }

    /// Sends a request and waits for the first reply (`Call[CoreMessage]`),
    /// up to `timeout` (`None`: the client's `request_timeout`).
    #[pyo3(signature = (subject, payload, headers=None, timeout=None))]
    fn core_request(
        &self,
        subject: String,
        payload: &Bound<'_, PyAny>,
        headers: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        let payload = convert::payload(payload, "data")?;
        let headers = convert::headers(headers, "headers")?;
        let timeout = convert::opt_duration(timeout, "timeout")?
            .unwrap_or(self.inner.options().request_timeout);
        let client = self.inner.clone();
        let owner = client.clone();
        spawn(
            async move {
                client
                    .core_request(&subject, payload, &headers, timeout)
                    .await
            },
            move |py, m| core_message(py, owner, m),
        )
    }
}
