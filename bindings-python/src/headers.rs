//! `MessageHeaders`: the headers of a received message as a read-only
//! multi-dict (delivered, stored and core NATS messages).
//!
//! Names compare as the core's `Message::header` compares them (ASCII
//! case-insensitive); values keep the order they were sent in. The pairs are
//! shared, never copied per access.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

/// The headers of a received message: a read-only multi-dict.
#[pyclass(frozen, mapping, module = "jetbridge._native")]
pub(crate) struct MessageHeaders {
    pairs: Arc<[(String, String)]>,
}

impl MessageHeaders {
    pub(crate) fn new(pairs: &[(String, String)]) -> Self {
        MessageHeaders {
            pairs: pairs.into(),
        }
    }

    /// The pairs, for a publish that is given these headers back.
    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        self.pairs.to_vec()
    }

    /// The values of `name`, in order (the core's comparison of names).
    fn values_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[pymethods]
impl MessageHeaders {
    /// The first value of `name` (case-insensitive), or `default`.
    #[pyo3(signature = (name, default=None))]
    fn get(&self, py: Python<'_>, name: &str, default: Option<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        match self.values_of(name).next() {
            Some(v) => Ok(v.into_pyobject(py)?.into_any().unbind()),
            None => Ok(default.unwrap_or_else(|| py.None())),
        }
    }

    /// Every value of `name` (case-insensitive) in order; `default` (an empty
    /// list when not given) when there is none. `default` is read from
    /// `*default` so that an explicit `None` is told from "not given".
    #[pyo3(signature = (name, *default))]
    fn getall(
        &self,
        py: Python<'_>,
        name: &str,
        default: &Bound<'_, PyTuple>,
    ) -> PyResult<Py<PyAny>> {
        if default.len() > 1 {
            return Err(PyTypeError::new_err(
                "getall() takes a name and at most one default",
            ));
        }
        let values: Vec<&str> = self.values_of(name).collect();
        if values.is_empty() && default.len() == 1 {
            return Ok(default.get_item(0)?.unbind());
        }
        Ok(PyList::new(py, values)?.into_any().unbind())
    }

    /// `h[name]`: the first value, or `KeyError`.
    fn __getitem__(&self, name: &str) -> PyResult<String> {
        self.values_of(name)
            .next()
            .map(str::to_owned)
            .ok_or_else(|| PyKeyError::new_err(name.to_owned()))
    }

    /// `name in h` (case-insensitive). Anything but a `str` is never in it.
    fn __contains__(&self, name: &Bound<'_, PyAny>) -> bool {
        name.extract::<String>()
            .is_ok_and(|n| self.values_of(&n).next().is_some())
    }

    /// The number of `(name, value)` pairs (a repeated name counts each time).
    fn __len__(&self) -> usize {
        self.pairs.len()
    }

    /// The names in order, one per pair (a repeated name repeats).
    fn __iter__(&self) -> HeaderNames {
        HeaderNames {
            pairs: self.pairs.clone(),
            next: AtomicUsize::new(0),
        }
    }

    /// The names in order, one per pair (as iteration).
    fn keys(&self) -> Vec<String> {
        self.pairs.iter().map(|(k, _)| k.clone()).collect()
    }

    /// The values in order, one per pair.
    fn values(&self) -> Vec<String> {
        self.pairs.iter().map(|(_, v)| v.clone()).collect()
    }

    /// Every `(name, value)` pair in the order received.
    fn items(&self) -> Vec<(String, String)> {
        self.pairs.to_vec()
    }

    fn __bool__(&self) -> bool {
        !self.pairs.is_empty()
    }

    fn __repr__(&self) -> String {
        let inner: Vec<String> = self
            .pairs
            .iter()
            .map(|(k, v)| format!("({k:?}, {v:?})"))
            .collect();
        format!("MessageHeaders([{}])", inner.join(", "))
    }
}

/// Iterator over the names of a `MessageHeaders`.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct HeaderNames {
    pairs: Arc<[(String, String)]>,
    next: AtomicUsize,
}

#[pymethods]
impl HeaderNames {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self) -> Option<String> {
        let i = self.next.load(Ordering::Relaxed);
        let (name, _) = self.pairs.get(i)?;
        self.next.store(i + 1, Ordering::Relaxed);
        Some(name.clone())
    }
}
