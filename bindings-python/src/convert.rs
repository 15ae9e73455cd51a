//! Python values in and out: payloads, durations, headers, option objects.
//!
//! A value of the wrong Python type raises `TypeError` naming the parameter
//! (`payload must be bytes, bytearray, memoryview or str, not int`). A value
//! of the right type that the core cannot represent (a negative duration)
//! raises `InvalidArgumentError`. Everything else is checked by the core.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use jetbridge::record::Record;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{
    PyByteArray, PyBytes, PyDateTime, PyDelta, PyDeltaAccess, PyDict, PyList, PyString, PyTuple,
    PyTzInfo,
};

use crate::error;

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

/// A `TypeError` naming `what` and the type that was given.
pub(crate) fn type_error(what: &str, want: &str, got: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!("{what} must be {want}, not {}", type_name(got)))
}

/// A payload: `bytes`, `bytearray`, `memoryview` (copied) or `str` (UTF-8).
pub(crate) fn payload(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Bytes> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Bytes::copy_from_slice(b.as_bytes()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Bytes::from(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Bytes::from(b.to_vec()));
    }
    if obj.is_instance_of::<pyo3::types::PyMemoryView>() {
        let copy = obj.call_method0(pyo3::intern!(obj.py(), "tobytes"))?;
        let b = copy.cast::<PyBytes>()?;
        return Ok(Bytes::copy_from_slice(b.as_bytes()));
    }
    Err(type_error(what, "bytes, bytearray, memoryview or str", obj))
}

/// A duration in seconds (`int` or `float`) or a `datetime.timedelta`.
pub(crate) fn duration(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Duration> {
    let secs: f64 = if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(type_error(
            what,
            "seconds (int or float) or a timedelta",
            obj,
        ));
    } else if let Ok(v) = obj.extract::<f64>() {
        v
    } else if obj.is_instance_of::<pyo3::types::PyDelta>() {
        obj.call_method0(pyo3::intern!(obj.py(), "total_seconds"))?
            .extract::<f64>()?
    } else {
        return Err(type_error(
            what,
            "seconds (int or float) or a timedelta",
            obj,
        ));
    };
    Duration::try_from_secs_f64(secs).map_err(|_| {
        error::invalid(
            what,
            format!("{secs} is not a non-negative number of seconds"),
        )
    })
}

/// `None` or a duration.
pub(crate) fn opt_duration(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<Duration>> {
    match obj {
        Some(o) if !o.is_none() => duration(o, what).map(Some),
        _ => Ok(None),
    }
}

/// The enum value named `name` (`"file"`), or the core's `INVALID_ARGUMENT`
/// naming the field and listing the names.
pub(crate) fn parse<T: jetbridge::Named>(name: &str) -> PyResult<T> {
    T::parse(name).map_err(error::to_py)
}

/// A duration as float seconds, for values going to Python.
pub(crate) fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// A `dict` of `str` to `str` (`metadata`). A key or value of another type is
/// a `TypeError` naming it.
pub(crate) fn string_map(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<BTreeMap<String, String>> {
    let d = obj
        .cast::<PyDict>()
        .map_err(|_| type_error(what, "a dict of str to str", obj))?;
    let mut out = BTreeMap::new();
    for (k, v) in d.iter() {
        let k: String = k
            .extract()
            .map_err(|_| type_error(&format!("{what} key"), "str", &k))?;
        let v: String = v
            .extract()
            .map_err(|_| type_error(&format!("{what}[{k:?}]"), "str", &v))?;
        out.insert(k, v);
    }
    Ok(out)
}

/// `datetime(1970, 1, 1, tzinfo=timezone.utc)`.
fn unix_epoch(py: Python<'_>) -> PyResult<Bound<'_, PyDateTime>> {
    PyDateTime::new(
        py,
        1970,
        1,
        1,
        0,
        0,
        0,
        0,
        Some(&PyTzInfo::utc(py)?.to_owned()),
    )
}

const NANOS_PER_DAY: i128 = 86_400 * 1_000_000_000;

/// A `datetime.datetime` as Unix nanoseconds, in integer arithmetic (exact:
/// a `datetime` holds microseconds). An aware one is its instant; a naive one
/// is local time, as `datetime.timestamp()` reads it. Outside the ±292 years
/// around 1970 that nanoseconds hold is `INVALID_ARGUMENT`.
pub(crate) fn unix_nanos(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<i64> {
    let py = obj.py();
    let dt = obj
        .cast::<PyDateTime>()
        .map_err(|_| type_error(what, "a datetime", obj))?;
    let out_of_range = || error::invalid(what, format!("{dt} is out of range"));
    let aware = !dt.call_method0(pyo3::intern!(py, "utcoffset"))?.is_none();
    let dt = if aware {
        dt.clone().into_any()
    } else {
        // Local time, as `timestamp()` does (the platform's rules, fold included).
        dt.call_method0(pyo3::intern!(py, "astimezone"))
            .map_err(|e| {
                let range = e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py)
                    || e.is_instance_of::<pyo3::exceptions::PyOSError>(py)
                    || e.is_instance_of::<pyo3::exceptions::PyValueError>(py);
                if range { out_of_range() } else { e }
            })?
    };
    let delta = dt.sub(unix_epoch(py)?)?;
    let delta = delta
        .cast::<PyDelta>()
        .map_err(|_| type_error(what, "a datetime", obj))?;
    let nanos = i128::from(delta.get_days()) * NANOS_PER_DAY
        + i128::from(delta.get_seconds()) * 1_000_000_000
        + i128::from(delta.get_microseconds()) * 1_000;
    i64::try_from(nanos).map_err(|_| out_of_range())
}

/// Unix nanoseconds as an aware UTC `datetime` (which holds microseconds:
/// the nanoseconds below one are dropped, rounding toward the past).
pub(crate) fn utc_datetime<'py>(
    py: Python<'py>,
    nanos: i64,
    what: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let micros = nanos.div_euclid(1_000);
    let day = 86_400 * 1_000_000;
    let rest = micros.rem_euclid(day);
    // |nanos| < 2^63 is under 107,000 days: every part fits an i32.
    let part = |v: i64| {
        i32::try_from(v).map_err(|_| error::invalid(what, format!("{nanos} is out of range")))
    };
    let delta = PyDelta::new(
        py,
        part(micros.div_euclid(day))?,
        part(rest / 1_000_000)?,
        part(rest % 1_000_000)?,
        false,
    )?;
    unix_epoch(py)?.add(delta)
}

/// Headers: `None`, a `dict[str, str]`, a list of `(name, value)` pairs
/// (names may repeat) or a received message's `MessageHeaders`.
pub(crate) fn headers(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Vec<(String, String)>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    let want = "a dict of str to str or a list of (str, str) pairs";
    let pair = |k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>| -> PyResult<(String, String)> {
        let k: String = k
            .extract()
            .map_err(|_| type_error(&format!("{what} name"), "str", k))?;
        let v: String = v
            .extract()
            .map_err(|_| type_error(&format!("{what}[{k:?}]"), "str", v))?;
        Ok((k, v))
    };
    if let Ok(d) = obj.cast::<PyDict>() {
        return d.iter().map(|(k, v)| pair(&k, &v)).collect();
    }
    if let Ok(h) = obj.cast::<crate::headers::MessageHeaders>() {
        return Ok(h.get().pairs());
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for item in obj.try_iter()? {
            let item = item?;
            let t = item
                .cast::<PyTuple>()
                .ok()
                .filter(|t| t.len() == 2)
                .ok_or_else(|| type_error(what, want, obj))?;
            out.push(pair(&t.get_item(0)?, &t.get_item(1)?)?);
        }
        return Ok(out);
    }
    Err(type_error(what, want, obj))
}

/// Reads attributes of an options object (a dataclass from the Python
/// package, or anything with the same attributes). `None` means "the core's
/// default". A wrong type raises `TypeError` naming `<what>.<field>` (the
/// field alone when `what` is empty: an object made from keyword arguments).
pub(crate) struct Fields<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    what: &'a str,
}

impl<'a, 'py> Fields<'a, 'py> {
    pub(crate) fn new(obj: &'a Bound<'py, PyAny>, what: &'a str) -> Fields<'a, 'py> {
        Fields { obj, what }
    }

    /// The attribute (the key, for a `dict`), or `None` when missing or
    /// `None`.
    pub(crate) fn raw(&self, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        if let Ok(d) = self.obj.cast::<PyDict>() {
            return Ok(d.get_item(name)?.filter(|v| !v.is_none()));
        }
        match self.obj.getattr(name) {
            Ok(v) if v.is_none() => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(self.obj.py()) => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub(crate) fn name(&self, field: &str) -> String {
        match self.what {
            "" => field.to_string(),
            what => format!("{what}.{field}"),
        }
    }

    /// A typed attribute.
    fn get<T>(&self, field: &str, want: &str) -> PyResult<Option<T>>
    where
        T: for<'b> FromPyObject<'b, 'py>,
    {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) => {
                if v.is_instance_of::<pyo3::types::PyBool>() && want != "bool" {
                    return Err(type_error(&self.name(field), want, &v));
                }
                v.extract::<T>()
                    .map(Some)
                    .map_err(|_| type_error(&self.name(field), want, &v))
            }
        }
    }

    /// An integer of any Rust type: out of its range is `INVALID_ARGUMENT`.
    pub(crate) fn int<T>(&self, field: &str) -> PyResult<Option<T>>
    where
        T: for<'b> FromPyObject<'b, 'py>,
    {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) => {
                if v.is_instance_of::<pyo3::types::PyBool>()
                    || !v.is_instance_of::<pyo3::types::PyInt>()
                {
                    return Err(type_error(&self.name(field), "int", &v));
                }
                v.extract::<T>()
                    .map(Some)
                    .map_err(|_| error::invalid(&self.name(field), format!("{v} is out of range")))
            }
        }
    }
}

/// The core reads a declared type (`jetbridge::record`) from an options
/// object through these, so no field is listed here; the binding's own
/// options (connect, expectations) are read through them too.
impl jetbridge::record::FieldSource for Fields<'_, '_> {
    type Error = PyErr;

    fn fail(&self, e: jetbridge::Error) -> PyErr {
        error::to_py(e)
    }

    fn string(&self, field: &str) -> PyResult<Option<String>> {
        self.get(field, "str")
    }

    fn int(&self, field: &str) -> PyResult<Option<i64>> {
        Fields::int(self, field)
    }

    fn uint(&self, field: &str) -> PyResult<Option<u64>> {
        Fields::int(self, field)
    }

    fn boolean(&self, field: &str) -> PyResult<Option<bool>> {
        self.get(field, "bool")
    }

    fn duration(&self, field: &str) -> PyResult<Option<Duration>> {
        opt_duration(self.raw(field)?.as_ref(), &self.name(field))
    }

    /// A list of strings (a single `str` is refused: it is a classic mistake).
    fn strings(&self, field: &str) -> PyResult<Option<Vec<String>>> {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) if v.is_instance_of::<PyString>() => {
                Err(type_error(&self.name(field), "a list of str", &v))
            }
            Some(v) => v
                .extract::<Vec<String>>()
                .map(Some)
                .map_err(|_| type_error(&self.name(field), "a list of str", &v)),
        }
    }

    fn durations(&self, field: &str) -> PyResult<Option<Vec<Duration>>> {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() => {
                let mut out = Vec::new();
                for item in v.try_iter()? {
                    out.push(duration(&item?, &self.name(field))?);
                }
                Ok(Some(out))
            }
            Some(v) => Err(type_error(&self.name(field), "a list of durations", &v)),
        }
    }

    fn start(&self, field: &str) -> PyResult<Option<jetbridge::StartPosition>> {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) => crate::consumer::start_position(&v, &self.name(field)).map(Some),
        }
    }

    fn map(&self, field: &str) -> PyResult<Option<BTreeMap<String, String>>> {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) => string_map(&v, &self.name(field)).map(Some),
        }
    }

    fn time(&self, field: &str) -> PyResult<Option<i64>> {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) => unix_nanos(&v, &self.name(field)).map(Some),
        }
    }

    fn record<R: Record>(&self, field: &str) -> PyResult<Option<R>> {
        match self.raw(field)? {
            None => Ok(None),
            Some(v) => nested::<R>(&v, &self.name(field)).map(Some),
        }
    }

    fn records<R: Record>(&self, field: &str) -> PyResult<Option<Vec<R>>> {
        let what = self.name(field);
        match self.raw(field)? {
            None => Ok(None),
            Some(v) if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() => v
                .try_iter()?
                .enumerate()
                .map(|(i, item)| nested::<R>(&item?, &format!("{what}[{i}]")))
                .collect::<PyResult<Vec<R>>>()
                .map(Some),
            Some(v) => Err(type_error(&what, &format!("a list of {}", R::NAME), &v)),
        }
    }
}

/// A nested declared type: an instance of its dataclass, or a `dict` of its
/// fields (a key that is not one is a `TypeError`, like a dataclass's).
fn nested<R: Record>(v: &Bound<'_, PyAny>, what: &str) -> PyResult<R> {
    if let Ok(d) = v.cast::<PyDict>() {
        for key in d.keys() {
            let known = key
                .extract::<String>()
                .is_ok_and(|k| R::FIELDS.iter().any(|f| f.name == k));
            if !known {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "{what}: {key} is not a field of {}",
                    R::NAME
                )));
            }
        }
    } else if v.get_type().name()? != R::NAME {
        return Err(type_error(what, &format!("{} or a dict", R::NAME), v));
    }
    R::read(&Fields::new(v, what))
}

/// A declared type written into a `dict` (durations as float seconds, enums
/// by name, a start position as a dict, a map as a dict, a time as an aware
/// UTC `datetime`), for the package's `_from_native`.
pub(crate) struct DictSink<'py>(pub(crate) Bound<'py, PyDict>);

impl<'py> DictSink<'py> {
    fn put(&mut self, field: &str, value: impl IntoPyObject<'py>) -> PyResult<()> {
        self.0.set_item(field, value)
    }
}

impl jetbridge::record::FieldSink for DictSink<'_> {
    type Error = PyErr;

    fn string(&mut self, field: &str, value: Option<&str>) -> PyResult<()> {
        self.put(field, value)
    }

    fn int(&mut self, field: &str, value: Option<i64>) -> PyResult<()> {
        self.put(field, value)
    }

    fn uint(&mut self, field: &str, value: Option<u64>) -> PyResult<()> {
        self.put(field, value)
    }

    fn boolean(&mut self, field: &str, value: Option<bool>) -> PyResult<()> {
        self.put(field, value)
    }

    fn duration(&mut self, field: &str, value: Option<Duration>) -> PyResult<()> {
        self.put(field, value.map(seconds))
    }

    fn strings(&mut self, field: &str, value: &[String]) -> PyResult<()> {
        self.put(field, value.to_vec())
    }

    fn durations(&mut self, field: &str, value: &[Duration]) -> PyResult<()> {
        self.put(field, value.iter().map(|d| seconds(*d)).collect::<Vec<_>>())
    }

    fn start(&mut self, field: &str, value: jetbridge::StartPosition) -> PyResult<()> {
        let d = crate::consumer::start_to_dict(self.0.py(), value)?;
        self.put(field, d)
    }

    fn map(&mut self, field: &str, value: Option<&BTreeMap<String, String>>) -> PyResult<()> {
        self.put(field, value)
    }

    /// An aware UTC `datetime`.
    fn time(&mut self, field: &str, value: Option<i64>) -> PyResult<()> {
        let dt = value
            .map(|n| utc_datetime(self.0.py(), n, field))
            .transpose()?;
        self.put(field, dt)
    }

    /// A `dict` (the package's `_from_native` makes it its dataclass).
    fn record<R: Record>(&mut self, field: &str, value: Option<&R>) -> PyResult<()> {
        let d = value.map(|r| record_to_dict(self.0.py(), r)).transpose()?;
        self.put(field, d)
    }

    fn records<R: Record>(&mut self, field: &str, value: &[R]) -> PyResult<()> {
        let list = value
            .iter()
            .map(|r| record_to_dict(self.0.py(), r))
            .collect::<PyResult<Vec<_>>>()?;
        self.put(field, list)
    }
}

/// A declared type read from an options object through the core's
/// declaration (no field is listed here); `None` is the type's `Default`.
pub(crate) fn record<R: Record>(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<R> {
    match obj.filter(|o| !o.is_none()) {
        Some(obj) => R::read(&Fields::new(obj, what)),
        None => Ok(R::default()),
    }
}

/// A declared type as a `dict` of its fields.
pub(crate) fn record_to_dict<'py, R: Record>(
    py: Python<'py>,
    record: &R,
) -> PyResult<Bound<'py, PyDict>> {
    let mut sink = DictSink(PyDict::new(py));
    record.write(&mut sink)?;
    Ok(sink.0)
}
