//! Configuration in Dapr's `pubsub.jetstream` vocabulary: a metadata dict or
//! a Dapr component YAML file, parsed by the core. The result goes back as a
//! dict of the Python `ConnectOptions` and `SubscriptionOptions` fields.

use jetbridge::{ConcurrencyMode, DaprConfig};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::client::connect_options_to_dict;
use crate::convert;
use crate::convert::record_to_dict;
use crate::error;

fn to_dict(py: Python<'_>, c: DaprConfig) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("connect", connect_options_to_dict(py, &c.connect)?)?;
    let s = PyDict::new(py);
    s.set_item("stream_name", &c.subscription.stream_name)?;
    s.set_item("consumer", record_to_dict(py, &c.subscription.consumer)?)?;
    s.set_item(
        "concurrency",
        match c.subscription.concurrency {
            ConcurrencyMode::Parallel => "parallel",
            _ => "single",
        },
    )?;
    d.set_item("subscription", s)?;
    Ok(d)
}

/// Dapr metadata (a dict of str to str; numbers and booleans are accepted
/// and written as Dapr would) as key/value pairs for the core's parsers.
pub(crate) fn metadata_pairs(metadata: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let dict = metadata
        .cast::<PyDict>()
        .map_err(|_| convert::type_error("metadata", "a dict", metadata))?;
    let mut pairs = Vec::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        let key: String = k
            .extract()
            .map_err(|_| convert::type_error("metadata key", "str", &k))?;
        let value = if v.is_instance_of::<PyString>() {
            v.extract::<String>()?
        } else if v.is_instance_of::<pyo3::types::PyBool>() {
            if v.is_truthy()? { "true" } else { "false" }.to_string()
        } else if v.is_instance_of::<pyo3::types::PyInt>()
            || v.is_instance_of::<pyo3::types::PyFloat>()
        {
            v.str()?.to_string()
        } else {
            return Err(convert::type_error(
                &format!("metadata[{key:?}]"),
                "str, int, float or bool",
                &v,
            ));
        };
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Parses Dapr `pubsub.jetstream` metadata (see [`metadata_pairs`]).
#[pyfunction]
pub(crate) fn dapr_from_metadata<'py>(
    py: Python<'py>,
    metadata: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let pairs = metadata_pairs(metadata)?;
    let config = DaprConfig::from_metadata(pairs).map_err(error::to_py)?;
    to_dict(py, config)
}

/// Parses a Dapr component YAML file.
#[pyfunction]
pub(crate) fn dapr_from_yaml_file(
    py: Python<'_>,
    path: std::path::PathBuf,
) -> PyResult<Bound<'_, PyDict>> {
    let config = DaprConfig::from_yaml_file(path).map_err(error::to_py)?;
    to_dict(py, config)
}

/// Parses the text of a Dapr component YAML document.
#[pyfunction]
pub(crate) fn dapr_from_yaml_str<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
    let config = DaprConfig::from_yaml_str(text).map_err(error::to_py)?;
    to_dict(py, config)
}
