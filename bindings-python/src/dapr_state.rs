//! Configuration in Dapr's `state.jetstream` vocabulary: a metadata dict or a
//! Dapr component YAML file, parsed by the core. The result goes back as a
//! dict of the Python `ConnectOptions` fields and the bucket's name.

use jetbridge::DaprStateConfig;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::connect_options_to_dict;
use crate::dapr::metadata_pairs;
use crate::error;

fn to_dict(py: Python<'_>, c: DaprStateConfig) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("connect", connect_options_to_dict(py, &c.connect)?)?;
    d.set_item("bucket", c.bucket)?;
    Ok(d)
}

/// Parses Dapr `state.jetstream` metadata (a dict, as `dapr_from_metadata`).
#[pyfunction]
pub(crate) fn dapr_state_from_metadata<'py>(
    py: Python<'py>,
    metadata: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let pairs = metadata_pairs(metadata)?;
    let config = DaprStateConfig::from_metadata(pairs).map_err(error::to_py)?;
    to_dict(py, config)
}

/// Parses a Dapr `state.jetstream` component YAML file.
#[pyfunction]
pub(crate) fn dapr_state_from_yaml_file(
    py: Python<'_>,
    path: std::path::PathBuf,
) -> PyResult<Bound<'_, PyDict>> {
    let config = DaprStateConfig::from_yaml_file(path).map_err(error::to_py)?;
    to_dict(py, config)
}

/// Parses the text of a Dapr `state.jetstream` component YAML document.
#[pyfunction]
pub(crate) fn dapr_state_from_yaml_str<'py>(
    py: Python<'py>,
    text: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let config = DaprStateConfig::from_yaml_str(text).map_err(error::to_py)?;
    to_dict(py, config)
}

/// The bucket key the component stores a Dapr state key under (the core's
/// `dapr_state_key`).
#[pyfunction]
pub(crate) fn dapr_state_key(key: &str) -> String {
    jetbridge::dapr_state_key(key)
}
