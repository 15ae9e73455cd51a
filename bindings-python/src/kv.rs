//! Key-value buckets: create, open and delete a bucket, and the core's
//! `KeyValue` calls (get, put, create, update, delete, purge, history, keys,
//! watch). Entries go to Python as dicts that the package turns into
//! `jetbridge.KvEntry`; the configurations are the declared `KvConfig` and
//! `KvWatchOptions`, read through the core's declarations.
//!
//! A watch crosses into Python through `watch_buffer.rs` (a cancelled
//! `await fill(...)` loses no entry, nor the caught-up marker); the streamed
//! key listing is `kv_keys.rs`.

use std::sync::Arc;

use jetbridge::{KvConfig, KvEntry, KvStatus, KvWatchEvent, KvWatchOptions, Named, WATCH_ALL};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::client::Client;
use crate::convert::{self, opt_duration, payload, record, record_to_dict, utc_datetime};
use crate::runtime::{Call, spawn, spawn_value};
use crate::watch_buffer::Buffered;

/// An entry as a dict of `jetbridge.KvEntry`'s fields.
fn entry_to_dict(py: Python<'_>, e: KvEntry) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("bucket", e.bucket)?;
    d.set_item("key", e.key)?;
    d.set_item("value", PyBytes::new(py, &e.value))?;
    d.set_item("revision", e.revision)?;
    d.set_item("created", utc_datetime(py, e.created, "created")?)?;
    d.set_item("operation", e.operation.name())?;
    Ok(d.into_any().unbind())
}

fn opt_entry_to_py(py: Python<'_>, e: Option<KvEntry>) -> PyResult<Py<PyAny>> {
    match e {
        Some(e) => entry_to_dict(py, e),
        None => Ok(py.None()),
    }
}

fn entries_to_list(py: Python<'_>, entries: Vec<KvEntry>) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for e in entries {
        list.append(entry_to_dict(py, e)?)?;
    }
    Ok(list.into_any().unbind())
}

/// A bucket handle (the core's `KeyValue`, cheap to clone).
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct KeyValue {
    pub(crate) inner: jetbridge::KeyValue,
}

fn status_to_dict(py: Python<'_>, s: KvStatus) -> PyResult<Py<PyAny>> {
    Ok(record_to_dict(py, &s)?.into_any().unbind())
}

fn new_bucket(py: Python<'_>, inner: jetbridge::KeyValue) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, KeyValue { inner })?.into_any())
}

#[pymethods]
impl Client {
    /// Creates a bucket from a `jetbridge.KvConfig` (`Call[KeyValue]`); the
    /// same configuration again returns it.
    fn create_key_value(&self, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let config: KvConfig = record(Some(config), "config")?;
        let client = self.inner.clone();
        spawn(
            async move { client.create_key_value(config).await },
            new_bucket,
        )
    }

    /// Creates a bucket, or updates the existing one to a
    /// `jetbridge.KvConfig` (`Call[KeyValue]`).
    fn create_or_update_key_value(&self, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let config: KvConfig = record(Some(config), "config")?;
        let client = self.inner.clone();
        spawn(
            async move { client.create_or_update_key_value(config).await },
            new_bucket,
        )
    }

    /// A bucket's configuration and contents (`Call[dict]`, a `KvStatus`).
    fn key_value_status(&self, bucket: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.key_value_status(&bucket).await },
            status_to_dict,
        )
    }

    /// The account's buckets, sorted (`Call[list[str]]`).
    fn key_value_names(&self) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.key_value_names().await })
    }

    /// Opens an existing bucket (`Call[KeyValue]`).
    fn key_value(&self, bucket: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(async move { client.key_value(&bucket).await }, new_bucket)
    }

    /// Deletes a bucket with its entries (`Call[None]`).
    fn delete_key_value(&self, bucket: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.delete_key_value(&bucket).await })
    }
}

#[pymethods]
impl KeyValue {
    /// The bucket's name.
    #[getter]
    fn bucket(&self) -> &str {
        self.inner.bucket()
    }

    /// The latest entry, markers included; `None` for a key never written
    /// (`Call[Optional[dict]]`).
    fn entry(&self, key: String) -> PyResult<Call> {
        let kv = self.inner.clone();
        spawn(async move { kv.entry(&key).await }, opt_entry_to_py)
    }

    /// The latest value, or the entry at `revision` (`Call[dict]`).
    #[pyo3(signature = (key, revision=None))]
    fn get(&self, key: String, revision: Option<u64>) -> PyResult<Call> {
        let kv = self.inner.clone();
        spawn(
            async move {
                match revision {
                    Some(r) => kv.get_revision(&key, r).await,
                    None => kv.get(&key).await,
                }
            },
            entry_to_dict,
        )
    }

    /// Writes a value (`Call[int]`, its revision).
    fn put(&self, key: String, value: &Bound<'_, PyAny>) -> PyResult<Call> {
        let value = payload(value, "value")?;
        let kv = self.inner.clone();
        spawn_value(async move { kv.put(&key, value).await })
    }

    /// This bucket's configuration and contents (`Call[dict]`, a `KvStatus`).
    fn status(&self) -> PyResult<Call> {
        let kv = self.inner.clone();
        spawn(async move { kv.status().await }, status_to_dict)
    }

    /// Writes a value only if the key has none (`Call[int]`); with `ttl`
    /// the key lives that long (the core's `create_with_ttl`).
    #[pyo3(signature = (key, value, ttl=None))]
    fn create(
        &self,
        key: String,
        value: &Bound<'_, PyAny>,
        ttl: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        let value = payload(value, "value")?;
        let ttl = opt_duration(ttl, "ttl")?;
        let kv = self.inner.clone();
        spawn_value(async move {
            match ttl {
                Some(ttl) => kv.create_with_ttl(&key, value, ttl).await,
                None => kv.create(&key, value).await,
            }
        })
    }

    /// Writes a value only if `revision` is the key's latest (`Call[int]`).
    fn update(&self, key: String, value: &Bound<'_, PyAny>, revision: u64) -> PyResult<Call> {
        let value = payload(value, "value")?;
        let kv = self.inner.clone();
        spawn_value(async move { kv.update(&key, value, revision).await })
    }

    /// Deletes a key, keeping its history (`Call[int]`, the marker's revision).
    #[pyo3(signature = (key, revision=None))]
    fn delete(&self, key: String, revision: Option<u64>) -> PyResult<Call> {
        let kv = self.inner.clone();
        spawn_value(async move { kv.delete(&key, revision).await })
    }

    /// Purges a key's history (`Call[int]`, the marker's revision).
    #[pyo3(signature = (key, revision=None))]
    fn purge(&self, key: String, revision: Option<u64>) -> PyResult<Call> {
        let kv = self.inner.clone();
        spawn_value(async move { kv.purge(&key, revision).await })
    }

    /// Every kept revision of a key, oldest first (`Call[list[dict]]`).
    fn history(&self, key: String) -> PyResult<Call> {
        let kv = self.inner.clone();
        spawn(async move { kv.history(&key).await }, entries_to_list)
    }

    /// The keys that hold a value, only those matching `filter` if given
    /// (`Call[list[str]]`).
    #[pyo3(signature = (filter=None))]
    fn keys(&self, filter: Option<String>) -> PyResult<Call> {
        let kv = self.inner.clone();
        spawn_value(async move {
            match filter {
                Some(f) => kv.keys_matching(&f).await,
                None => kv.keys().await,
            }
        })
    }

    /// Starts watching the keys matching `filter` (`None`: the core's
    /// `WATCH_ALL`) (`Call[KvWatcher]`); `options` is a
    /// `jetbridge.KvWatchOptions`.
    #[pyo3(signature = (filter=None, options=None))]
    fn watch(&self, filter: Option<String>, options: Option<&Bound<'_, PyAny>>) -> PyResult<Call> {
        let options: KvWatchOptions = record(options, "options")?;
        let filter = filter.unwrap_or_else(|| WATCH_ALL.to_string());
        let kv = self.inner.clone();
        spawn(
            async move { kv.watch(&filter, options).await },
            |py, watcher| {
                let shared = Arc::new(Buffered::new(watcher));
                Ok(Py::new(py, KvWatcher { shared })?.into_any())
            },
        )
    }

    fn __repr__(&self) -> String {
        format!("KeyValue(bucket={:?})", self.inner.bucket())
    }
}

/// A running watch.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct KvWatcher {
    shared: Arc<Buffered<jetbridge::KvWatcher>>,
}

#[pymethods]
impl KvWatcher {
    /// Waits up to `max_wait` seconds for the next event, then buffers what
    /// else is already there, up to `max` (`Call[int]`, how many are
    /// buffered). `ClosedError` once stopped and the buffer is empty.
    fn fill(&self, max: usize, max_wait: &Bound<'_, PyAny>) -> PyResult<Call> {
        let max_wait = convert::duration(max_wait, "max_wait")?;
        let shared = self.shared.clone();
        spawn_value(async move { shared.fill(max, max_wait).await })
    }

    /// Up to `max` buffered events, without waiting: entries as dicts, the
    /// caught-up marker as `None`.
    fn take_ready<'py>(&self, py: Python<'py>, max: usize) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for event in self.shared.take(max) {
            match event {
                KvWatchEvent::Entry(e) => list.append(entry_to_dict(py, e)?)?,
                KvWatchEvent::CaughtUp => list.append(py.None())?,
            }
        }
        Ok(list)
    }

    /// Ends the watch and wakes a waiting `fill`.
    fn stop(&self) {
        self.shared.stop();
    }
}
