//! The exception classes of `jetbridge`, made once from the core's `ErrorKind`.
//!
//! This is the only place where errors are mapped. At import, one class per
//! kind is created under the base `jetbridge.JetBridgeError(Exception)`; its
//! name is the kind's name in CamelCase plus `Error` (`NOT_FOUND` →
//! `NotFoundError`), so every kind the core has — now and later — gets a class.
//! Three classes also derive from a builtin, so plain Python handlers catch them:
//! `InvalidArgumentError` is a `ValueError`, `TimeoutError` a builtin
//! `TimeoutError`, `ConnectionError` a builtin `ConnectionError`. Every class carries `code` (the core's stable name) and
//! `retryable` as class attributes, and the kind's description as docstring;
//! instances carry `api_code` (the server's JetStream error code, or `None`).
//! `str(e)` is the core error's text, `"KIND: message"`, as in every language.
//!
//! The module's `__all__` is exactly these classes (base first, then kind
//! order), so `jetbridge.errors` re-exports them with one star import.
//!
//! Wrong Python *types* are not core errors: they raise `TypeError` naming the
//! parameter (see `convert.rs`).

use jetbridge::ErrorKind;
use pyo3::exceptions::{PyConnectionError, PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// The base class and one class per kind, indexed by kind number.
struct Classes {
    base: Py<PyType>,
    by_code: Vec<Option<Py<PyType>>>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// `INVALID_ARGUMENT` → `InvalidArgumentError`.
pub(crate) fn class_name(kind: ErrorKind) -> String {
    let mut out = String::new();
    for word in kind.name().split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first);
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out.push_str("Error");
    out
}

/// The builtin a kind's class also derives from, if any.
fn builtin_base<'py>(py: Python<'py>, kind: ErrorKind) -> Option<Bound<'py, PyType>> {
    match kind {
        ErrorKind::InvalidArgument => Some(py.get_type::<PyValueError>()),
        ErrorKind::Timeout => Some(py.get_type::<PyTimeoutError>()),
        ErrorKind::Connection => Some(py.get_type::<PyConnectionError>()),
        _ => None,
    }
}

fn make_class<'py>(
    py: Python<'py>,
    name: &str,
    doc: &str,
    bases: Bound<'py, PyTuple>,
    attrs: &[(&str, Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyType>> {
    let dict = PyDict::new(py);
    dict.set_item("__doc__", doc)?;
    dict.set_item("__module__", "jetbridge")?;
    for (k, v) in attrs {
        dict.set_item(*k, v)?;
    }
    let class = py.get_type::<PyType>().call1((name, bases, dict))?;
    Ok(class.cast_into::<PyType>()?)
}

fn build(py: Python<'_>) -> PyResult<Classes> {
    let exception = py.get_type::<pyo3::exceptions::PyException>();
    let base = make_class(
        py,
        "JetBridgeError",
        "Base class of every JetBridge error. `code` is the core's stable name \
         (e.g. \"NOT_FOUND\"), `retryable` says whether the same call may succeed \
         later, `api_code` is the server's JetStream error code or None.",
        PyTuple::new(py, [exception])?,
        &[
            ("code", "".into_pyobject(py)?.into_any()),
            ("retryable", false.into_pyobject(py)?.to_owned().into_any()),
            ("api_code", py.None().into_bound(py)),
        ],
    )?;
    let mut by_code: Vec<Option<Py<PyType>>> = Vec::new();
    for kind in ErrorKind::ALL {
        let bases = match builtin_base(py, kind) {
            Some(extra) => PyTuple::new(py, [base.clone(), extra])?,
            None => PyTuple::new(py, [base.clone()])?,
        };
        let doc = match builtin_base(py, kind) {
            Some(extra) => format!("{} Also a builtin {}.", kind.description(), extra.name()?),
            None => kind.description().to_owned(),
        };
        let class = make_class(
            py,
            &class_name(kind),
            &doc,
            bases,
            &[
                ("code", kind.name().into_pyobject(py)?.into_any()),
                (
                    "retryable",
                    kind.is_retryable().into_pyobject(py)?.to_owned().into_any(),
                ),
            ],
        )?;
        let index = kind.code() as usize;
        if by_code.len() <= index {
            by_code.resize_with(index + 1, || None);
        }
        by_code[index] = Some(class.unbind());
    }
    Ok(Classes {
        base: base.unbind(),
        by_code,
    })
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || build(py))
}

/// Adds `JetBridgeError` and every kind's class to the module, and makes
/// `__all__` their names. Call it last: later `add`s would extend `__all__`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes = classes(py)?;
    let mut names = vec![];
    for class in std::iter::once(&classes.base).chain(classes.by_code.iter().flatten()) {
        let class = class.bind(py);
        m.setattr(class.name()?, class)?;
        names.push(class.name()?);
    }
    m.setattr("__all__", names)
}

/// `_closed_error(what)`: the core's `CLOSED` error for an object the Python
/// layer closed (not raised yet), so its text is the core's.
#[pyfunction]
pub(crate) fn _closed_error(py: Python<'_>, what: &str) -> PyResult<Py<PyAny>> {
    Ok(exception(py, &jetbridge::Error::closed(what))?.unbind())
}

/// The exception instance for a core error (not raised yet).
pub(crate) fn exception<'py>(py: Python<'py>, e: &jetbridge::Error) -> PyResult<Bound<'py, PyAny>> {
    let classes = classes(py)?;
    let class = classes
        .by_code
        .get(e.kind().code() as usize)
        .and_then(Option::as_ref)
        .unwrap_or(&classes.base)
        .bind(py);
    let instance = class.call1((e.to_string(),))?;
    if let Some(code) = e.api_code() {
        instance.setattr("api_code", code)?;
    }
    Ok(instance)
}

/// Converts a core error into the `PyErr` to raise.
pub(crate) fn to_py(e: jetbridge::Error) -> PyErr {
    Python::attach(|py| match exception(py, &e) {
        Ok(instance) => PyErr::from_value(instance),
        Err(failed) => failed,
    })
}

/// An `INVALID_ARGUMENT` error as a `PyErr`, for conversions that find a value
/// of the right type but out of range (a negative duration).
pub(crate) fn invalid(what: &str, why: impl std::fmt::Display) -> PyErr {
    to_py(jetbridge::Error::invalid(what, why))
}

/// Runs `f` inside a panic boundary: a panic becomes `PanicError`, a core
/// error its class. Every sync native method that calls into the core goes
/// through here (together with the fork check).
pub(crate) fn guard<T>(f: impl FnOnce() -> jetbridge::Result<T>) -> PyResult<T> {
    crate::runtime::check_fork()?;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(to_py),
        Err(payload) => Err(to_py(jetbridge::runtime::panic_error(payload))),
    }
}
