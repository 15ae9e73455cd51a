//! Links and meta updates of an object store (the core's `add_link`,
//! `add_bucket_link`, `update_meta`); infos go to Python as dicts of the
//! declared `ObjectInfo`. Reading a link (`get`) is the core's.

use jetbridge::{ObjectInfo, ObjectMeta};
use pyo3::prelude::*;

use crate::convert::record;
use crate::object::{ObjectStore, info_to_dict};
use crate::runtime::{Call, spawn};

#[pymethods]
impl ObjectStore {
    /// Makes `name` a link to the object a `jetbridge.ObjectInfo` describes
    /// (`Call[dict]`, the link's info).
    fn add_link(&self, name: String, target: &Bound<'_, PyAny>) -> PyResult<Call> {
        let target: ObjectInfo = record(Some(target), "target")?;
        let store = self.inner.clone();
        spawn(
            async move { store.add_link(&name, &target).await },
            info_to_dict,
        )
    }

    /// Makes `name` a link to the whole store `bucket` (`Call[dict]`).
    fn add_bucket_link(&self, name: String, bucket: String) -> PyResult<Call> {
        let store = self.inner.clone();
        spawn(
            async move { store.add_bucket_link(&name, &bucket).await },
            info_to_dict,
        )
    }

    /// Sets `name`'s name, description and metadata to a
    /// `jetbridge.ObjectMeta`'s (`Call[dict]`, the new info).
    fn update_meta(&self, name: String, meta: &Bound<'_, PyAny>) -> PyResult<Call> {
        let meta: ObjectMeta = record(Some(meta), "meta")?;
        let store = self.inner.clone();
        spawn(
            async move { store.update_meta(&name, meta).await },
            info_to_dict,
        )
    }
}
