//! Object stores: create, open and delete a store, and the core's
//! `ObjectStore` calls. Objects move in chunks: `ObjectWriter.write` hands
//! one piece at a time to the core's writer, `ObjectReader` one chunk at a
//! time to Python; the `*_bytes` forms are conveniences. Infos go to Python
//! as dicts of the declared `ObjectInfo`.
//!
//! Links and meta updates are `object_links.rs`, the watch `object_watch.rs`.
//!
//! `ObjectReader.fill` keeps the chunk it read in a native slot until `take_chunk`
//! (like `message_stream.rs`): a cancelled `await fill()` loses no chunk.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use jetbridge::{ObjectInfo, ObjectMeta, ObjectStoreConfig, ObjectStoreStatus};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

use crate::client::Client;
use crate::convert::{payload, record, record_to_dict};
use crate::error;
use crate::runtime::{Call, spawn, spawn_to_completion, spawn_value};

pub(crate) fn info_to_dict(py: Python<'_>, info: ObjectInfo) -> PyResult<Py<PyAny>> {
    Ok(record_to_dict(py, &info)?.into_any().unbind())
}

fn infos_to_list(py: Python<'_>, infos: Vec<ObjectInfo>) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for i in infos {
        list.append(info_to_dict(py, i)?)?;
    }
    Ok(list.into_any().unbind())
}

fn status_to_dict(py: Python<'_>, s: ObjectStoreStatus) -> PyResult<Py<PyAny>> {
    Ok(record_to_dict(py, &s)?.into_any().unbind())
}

/// An object store handle (the core's `ObjectStore`, cheap to clone).
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct ObjectStore {
    pub(crate) inner: jetbridge::ObjectStore,
}

fn new_store(py: Python<'_>, inner: jetbridge::ObjectStore) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, ObjectStore { inner })?.into_any())
}

#[pymethods]
impl Client {
    /// Creates an object store from a `jetbridge.ObjectStoreConfig`
    /// (`Call[ObjectStore]`); the same configuration again returns it.
    fn create_object_store(&self, config: &Bound<'_, PyAny>) -> PyResult<Call> {
        let config: ObjectStoreConfig = record(Some(config), "config")?;
        let client = self.inner.clone();
        spawn(
            async move { client.create_object_store(config).await },
            new_store,
        )
    }

    /// A store's configuration and contents (`Call[dict]`, an
    /// `ObjectStoreStatus`).
    fn object_store_status(&self, bucket: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(
            async move { client.object_store_status(&bucket).await },
            status_to_dict,
        )
    }

    /// The account's object stores, sorted (`Call[list[str]]`).
    fn object_store_names(&self) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.object_store_names().await })
    }

    /// Opens an existing object store (`Call[ObjectStore]`).
    fn object_store(&self, bucket: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(async move { client.object_store(&bucket).await }, new_store)
    }

    /// Deletes an object store with its objects (`Call[None]`).
    fn delete_object_store(&self, bucket: String) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_value(async move { client.delete_object_store(&bucket).await })
    }
}

#[pymethods]
impl ObjectStore {
    /// The store's name.
    #[getter]
    fn bucket(&self) -> &str {
        self.inner.bucket()
    }

    /// This store's configuration and contents (`Call[dict]`).
    fn status(&self) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn(async move { store.status().await }, status_to_dict)
    }

    /// Seals the store (`Call[dict]`, its status afterwards).
    fn seal(&self) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn(async move { store.seal().await }, status_to_dict)
    }

    /// An object's info (`Call[dict]`).
    fn info(&self, name: String) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn(async move { store.info(&name).await }, info_to_dict)
    }

    /// Deletes an object (`Call[None]`).
    fn delete(&self, name: String) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn_value(async move { store.delete(&name).await })
    }

    /// The objects, deleted ones left out (`Call[list[dict]]`).
    fn list(&self) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn(async move { store.list().await }, infos_to_list)
    }

    /// Starts writing the object a `jetbridge.ObjectMeta` names, with its
    /// description and metadata.
    fn writer(&self, meta: &Bound<'_, PyAny>) -> PyResult<ObjectWriter> {
        let meta: ObjectMeta = record(Some(meta), "meta")?;
        let inner = self.inner.writer_with_meta(meta).map_err(error::to_py)?;
        Ok(ObjectWriter {
            inner: Arc::new(inner),
        })
    }

    /// Starts reading an object (`Call[ObjectReader]`).
    fn get(&self, name: String) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn(async move { store.get(&name).await }, |py, reader| {
            let reader = ObjectReader {
                inner: Arc::new(reader),
                chunk: Arc::new(Mutex::new(None)),
            };
            Ok(Py::new(py, reader)?.into_any())
        })
    }

    /// A whole object in memory (`Call[bytes]`).
    fn get_bytes(&self, name: String) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn(async move { store.get_bytes(&name).await }, |py, b| {
            Ok(PyBytes::new(py, &b).into_any().unbind())
        })
    }

    fn __repr__(&self) -> String {
        format!("ObjectStore(bucket={:?})", self.inner.bucket())
    }
}

/// An object being written (the core's `ObjectWriter`). Every call runs to
/// completion: a piece handed over is written whole, and `abort` after it
/// gives the object up.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct ObjectWriter {
    inner: Arc<jetbridge::ObjectWriter>,
}

#[pymethods]
impl ObjectWriter {
    /// Adds a piece (bytes-like or str) to the object (`Call[None]`).
    fn write(&self, data: &Bound<'_, PyAny>) -> PyResult<Call> {
        let data: Bytes = payload(data, "data")?;
        let writer = self.inner.clone();
        spawn_to_completion(async move { writer.write(&data).await }, |py, ()| {
            Ok(py.None())
        })
    }

    /// Makes the object visible (`Call[dict]`, its info).
    fn finish(&self) -> PyResult<Call> {
        let writer = self.inner.clone();
        spawn_to_completion(async move { writer.finish().await }, info_to_dict)
    }

    /// Gives the object up: nothing becomes visible (`Call[None]`).
    fn abort(&self) -> PyResult<Call> {
        let writer = self.inner.clone();
        spawn_to_completion(
            async move {
                writer.abort().await;
                Ok(())
            },
            |py, ()| Ok(py.None()),
        )
    }
}

/// An object being read (the core's `ObjectReader`).
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct ObjectReader {
    inner: Arc<jetbridge::ObjectReader>,
    /// The chunk `fill` read and `take_chunk` has not taken yet.
    chunk: Arc<Mutex<Option<Bytes>>>,
}

fn slot(chunk: &Mutex<Option<Bytes>>) -> std::sync::MutexGuard<'_, Option<Bytes>> {
    chunk.lock().unwrap_or_else(|p| p.into_inner())
}

#[pymethods]
impl ObjectReader {
    /// The object's info, as a dict.
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Py<PyAny>> {
        info_to_dict(py, self.inner.info().clone())
    }

    /// Reads the next chunk into the native slot (`Call[bool]`: false at
    /// the end, once size and digest were checked; a mismatch is an error).
    fn fill(&self) -> PyResult<Call> {
        let (reader, chunk) = (self.inner.clone(), self.chunk.clone());
        spawn_value(async move {
            if slot(&chunk).is_some() {
                return Ok(true);
            }
            match reader.next_chunk().await? {
                Some(b) => {
                    *slot(&chunk) = Some(b);
                    Ok(true)
                }
                None => Ok(false),
            }
        })
    }

    /// The chunk `fill` read, or `None`.
    fn take_chunk<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        slot(&self.chunk).take().map(|b| PyBytes::new(py, &b))
    }
}
