//! The core's log records into Python: `set_log_sink` installs one core sink
//! that calls a Python function (`jetbridge._log._emit`) with
//! `(level, topic, message)`.

use jetbridge::{LogLevel, Named};
use pyo3::prelude::*;

use crate::convert;

/// Sends every core record at `max_level` (`error`, `warn`, `info`, `debug`)
/// or more important to `handler(level, topic, message)`, replacing the
/// previous sink. The sink runs on core threads: it waits for the GIL and for
/// nothing else; an exception from `handler` is reported as unraisable and
/// never reaches the core. The GIL is released while the previous sink's
/// calls in flight finish (they may be waiting for it).
#[pyfunction]
pub(crate) fn set_log_sink(py: Python<'_>, max_level: &str, handler: Py<PyAny>) -> PyResult<()> {
    let max_level = convert::parse::<LogLevel>(max_level)?;
    py.detach(|| {
        jetbridge::set_log_sink(max_level, move |r| {
            Python::attach(|py| {
                if let Err(e) = handler.call1(py, (r.level.name(), r.topic, r.message)) {
                    e.write_unraisable(py, None);
                }
            })
        })
    });
    Ok(())
}

/// Removes the sink (at interpreter exit): returns once no sink call is
/// running, with the GIL released meanwhile, so no core thread touches the
/// interpreter after it (one that did during finalization crashed it).
#[pyfunction]
pub(crate) fn clear_log_sink(py: Python<'_>) {
    py.detach(jetbridge::clear_log_sink);
}
