//! Watching an object store (the core's `ObjectStore::watch`), buffered
//! like the KV watch (`watch_buffer.rs`): infos as dicts of the declared
//! `ObjectInfo`, the caught-up marker as `None`.

use std::sync::Arc;

use jetbridge::{ObjectWatchEvent, ObjectWatchOptions};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::{self, record};
use crate::object::{ObjectStore, info_to_dict};
use crate::runtime::{Call, spawn, spawn_value};
use crate::watch_buffer::Buffered;

#[pymethods]
impl ObjectStore {
    /// Starts watching the store's infos (`Call[ObjectWatcher]`); `options`
    /// is a `jetbridge.ObjectWatchOptions`.
    #[pyo3(signature = (options=None))]
    fn watch(&self, options: Option<&Bound<'_, PyAny>>) -> PyResult<Call> {
        let options: ObjectWatchOptions = record(options, "options")?;
        let store = self.inner.clone();
        spawn(async move { store.watch(options).await }, |py, watcher| {
            let shared = Arc::new(Buffered::new(watcher));
            Ok(Py::new(py, ObjectWatcher { shared })?.into_any())
        })
    }
}

/// A running object-store watch.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct ObjectWatcher {
    shared: Arc<Buffered<jetbridge::ObjectWatcher>>,
}

#[pymethods]
impl ObjectWatcher {
    /// Waits up to `max_wait` seconds for the next event, then buffers what
    /// else is already there, up to `max` (`Call[int]`, how many are
    /// buffered). `ClosedError` once stopped and the buffer is empty.
    fn fill(&self, max: usize, max_wait: &Bound<'_, PyAny>) -> PyResult<Call> {
        let max_wait = convert::duration(max_wait, "max_wait")?;
        let shared = self.shared.clone();
        spawn_value(async move { shared.fill(max, max_wait).await })
    }

    /// Up to `max` buffered events, without waiting: infos as dicts, the
    /// caught-up marker as `None`.
    fn take_ready<'py>(&self, py: Python<'py>, max: usize) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for event in self.shared.take(max) {
            match event {
                ObjectWatchEvent::Info(i) => list.append(info_to_dict(py, i)?)?,
                ObjectWatchEvent::CaughtUp => list.append(py.None())?,
            }
        }
        Ok(list)
    }

    /// Ends the watch and wakes a waiting `fill`.
    fn stop(&self) {
        self.shared.stop();
    }
}
