//! Stream administration: create, update, info, list, delete, purge, get
//! (by sequence, last or next on a subject, or a batch) and delete a
//! message, and the account's usage and limits.
//! Configurations come from a `jetbridge.StreamConfig`; results go back as
//! dicts that the Python package turns into dataclasses.

use jetbridge::{AccountInfo, GetMessagesOptions, PurgeOptions, StoredMessage, StreamInfo};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::client::Client;
use crate::convert::{record, record_to_dict};
use crate::runtime::{Call, spawn, spawn_value};

fn stream_info_to_dict(py: Python<'_>, i: StreamInfo) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("config", record_to_dict(py, &i.config)?)?;
    let s = PyDict::new(py);
    s.set_item("messages", i.state.messages)?;
    s.set_item("bytes", i.state.bytes)?;
    s.set_item("first_sequence", i.state.first_sequence)?;
    s.set_item("last_sequence", i.state.last_sequence)?;
    s.set_item("consumers", i.state.consumers)?;
    d.set_item("state", s)?;
    d.set_item("created", i.created)?;
    d.set_item("cluster_leader", i.cluster.and_then(|c| c.leader))?;
    Ok(d.into_any().unbind())
}

fn stream_infos_to_list(py: Python<'_>, infos: Vec<StreamInfo>) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for i in infos {
        list.append(stream_info_to_dict(py, i)?)?;
    }
    Ok(list.into_any().unbind())
}

/// The declared `AccountInfo` as a dict of its fields.
fn account_info_to_dict(py: Python<'_>, a: AccountInfo) -> PyResult<Py<PyAny>> {
    Ok(record_to_dict(py, &a)?.into_any().unbind())
}

fn stored_to_dict(py: Python<'_>, m: StoredMessage) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("subject", m.subject)?;
    d.set_item("sequence", m.sequence)?;
    d.set_item("payload", PyBytes::new(py, &m.payload))?;
    d.set_item("headers", crate::headers::MessageHeaders::new(&m.headers))?;
    d.set_item("timestamp", m.timestamp)?;
    Ok(d.into_any().unbind())
}

fn stored_to_list(py: Python<'_>, messages: Vec<StoredMessage>) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for m in messages {
        list.append(stored_to_dict(py, m)?)?;
    }
    Ok(list.into_any().unbind())
}

#[pymethods]
impl Client {
    /// Creates a stream (`Call[dict]`, the stream info).
    fn create_stream(&self, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let (client, config) = (self.inner.clone(), record(Some(config), "config")?);
        spawn(
            async move { client.create_stream(config).await },
            stream_info_to_dict,
        )
    }

    /// Replaces a stream's configuration (`Call[dict]`).
    fn update_stream(&self, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let (client, config) = (self.inner.clone(), record(Some(config), "config")?);
        spawn(
            async move { client.update_stream(config).await },
            stream_info_to_dict,
        )
    }

    /// A stream's configuration and state (`Call[dict]`).
    fn stream_info(&self, name: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.stream_info(&name).await },
            stream_info_to_dict,
        )
    }

    /// Every stream, or those whose subjects overlap `subject`
    /// (`Call[list[dict]]`, stream infos in the server's order).
    #[pyo3(signature = (subject=None))]
    fn list_streams(&self, subject: Option<String>) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.list_streams(subject.as_deref()).await },
            stream_infos_to_list,
        )
    }

    /// Deletes a stream (`Call[None]`).
    fn delete_stream(&self, name: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.delete_stream(&name).await })
    }

    /// Removes messages; resolves to how many (`Call[int]`). `options` is a
    /// `jetbridge.PurgeOptions` made from keyword arguments (`None`: all).
    #[pyo3(signature = (name, options=None))]
    fn purge_stream(&self, name: String, options: Option<&Bound<'_, PyAny>>) -> PyResult<Call> {
        let options: PurgeOptions = record(options, "")?;
        let client = self.inner.clone();
        spawn_value(async move { client.purge_stream(&name, options).await })
    }

    /// One stored message by sequence (`Call[dict]`).
    fn get_message(&self, stream: String, sequence: u64) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.get_message(&stream, sequence).await },
            stored_to_dict,
        )
    }

    /// Deletes one stored message by sequence, overwriting its bytes with
    /// `erase` (`Call[None]`).
    fn delete_message(&self, stream: String, sequence: u64, erase: bool) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.delete_message(&stream, sequence, erase).await })
    }

    /// The newest stored message on a subject (`Call[dict]`).
    fn get_last_message(&self, stream: String, subject: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.get_last_message(&stream, &subject).await },
            stored_to_dict,
        )
    }

    /// The first stored message at or after `from_sequence` whose subject
    /// matches `subject` (`Call[dict]`).
    fn get_next_message(
        &self,
        stream: String,
        subject: String,
        from_sequence: u64,
    ) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move {
                client
                    .get_next_message(&stream, &subject, from_sequence)
                    .await
            },
            stored_to_dict,
        )
    }

    /// A batch of stored messages in stream order (`Call[list[dict]]`).
    /// `options` is a `jetbridge.GetMessagesOptions` made from keyword
    /// arguments (`None`: the core's defaults).
    #[pyo3(signature = (stream, options=None))]
    fn get_messages(&self, stream: String, options: Option<&Bound<'_, PyAny>>) -> PyResult<Call> {
        let options: GetMessagesOptions = record(options, "")?;
        let client = self.inner.clone();
        spawn(
            async move { client.get_messages(&stream, options).await },
            stored_to_list,
        )
    }

    /// The name of the stream that captures a subject (`Call[str]`).
    fn stream_by_subject(&self, subject: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.stream_by_subject(&subject).await })
    }

    /// The account's JetStream usage and limits (`Call[dict]`, the declared
    /// `AccountInfo`).
    fn account_info(&self) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.account_info().await },
            account_info_to_dict,
        )
    }
}
