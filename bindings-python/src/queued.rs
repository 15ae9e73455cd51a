//! `Queued`: what `Message.ack()` (and `nak`, `term`, `in_progress`) return
//! in the asyncio API, so that both `msg.ack()` and `await msg.ack()` work.
//!
//! The ack is queued by the call itself, before `Queued` is returned;
//! awaiting it finishes at once with `None` and does nothing else. It is not
//! a coroutine: dropping it un-awaited gives no "never awaited" warning.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// An ack already queued: `await` it or not, it is the same.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct Queued;

static ONE: PyOnceLock<Py<Queued>> = PyOnceLock::new();

/// The one `Queued` instance (it has no state).
pub(crate) fn queued(py: Python<'_>) -> PyResult<Py<Queued>> {
    Ok(ONE
        .get_or_try_init(py, || Py::new(py, Queued))?
        .clone_ref(py))
}

#[pymethods]
impl Queued {
    /// Finishes at once with `None`.
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The awaiting protocol: already done, result `None`.
    fn __next__(&self) -> Option<()> {
        None
    }

    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> &'static str {
        "Queued()"
    }
}
