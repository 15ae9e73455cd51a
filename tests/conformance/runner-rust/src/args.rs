//! Reading a step's arguments: typed getters, `${JB_*}` substitution, and a
//! check that every argument given was understood (a typo in a scenario is a
//! `RUNNER` error, never silently ignored).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Duration;

use jetbridge::record::{FieldSchema, Kind, Record};
use jetbridge::record_json::{Convention, from_value};
use serde_json::{Map, Value, json};

use crate::outcome::{StepError, runner};

type Res<T> = Result<T, StepError>;

#[derive(Default)]
struct Seen<'a> {
    used: BTreeSet<String>,
    objects: Vec<(String, &'a Map<String, Value>)>,
}

/// The arguments of one step, or one nested object of them. Clones share the
/// record of which keys were read.
#[derive(Clone)]
pub(crate) struct Args<'a> {
    path: String,
    map: &'a Map<String, Value>,
    seen: Rc<RefCell<Seen<'a>>>,
}

impl<'a> Args<'a> {
    /// The root arguments of a step.
    pub(crate) fn root(map: &'a Map<String, Value>) -> Args<'a> {
        let seen = Rc::new(RefCell::new(Seen::default()));
        seen.borrow_mut().objects.push((String::new(), map));
        Args {
            path: String::new(),
            map,
            seen,
        }
    }

    fn full(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw value of `key` (`null` counts as absent), marked as read.
    pub(crate) fn raw(&self, key: &str) -> Option<&'a Value> {
        self.seen.borrow_mut().used.insert(self.full(key));
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn bad(&self, key: &str, want: &str) -> StepError {
        runner(format!("argument {} must be {want}", self.full(key)))
    }

    /// A string argument, with `${JB_*}` replaced from the environment.
    pub(crate) fn string(&self, key: &str) -> Res<Option<String>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) => substitute(s).map(Some),
            Some(_) => Err(self.bad(key, "a string")),
        }
    }

    /// A required string argument.
    pub(crate) fn required_string(&self, key: &str) -> Res<String> {
        self.string(key)?
            .ok_or_else(|| runner(format!("argument {} is required", self.full(key))))
    }

    /// A non-negative integer argument.
    pub(crate) fn u64(&self, key: &str) -> Res<Option<u64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.bad(key, "a non-negative integer")),
        }
    }

    /// A required non-negative integer argument.
    pub(crate) fn required_u64(&self, key: &str) -> Res<u64> {
        self.u64(key)?
            .ok_or_else(|| runner(format!("argument {} is required", self.full(key))))
    }

    /// A non-negative integer argument as `usize`.
    pub(crate) fn usize(&self, key: &str) -> Res<Option<usize>> {
        self.u64(key)?
            .map(|n| usize::try_from(n).map_err(|_| self.bad(key, "smaller")))
            .transpose()
    }

    /// An integer argument (may be negative).
    pub(crate) fn i64(&self, key: &str) -> Res<Option<i64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.bad(key, "an integer")),
        }
    }

    /// A boolean argument.
    pub(crate) fn bool(&self, key: &str) -> Res<Option<bool>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.bad(key, "a boolean")),
        }
    }

    /// A duration given in integer milliseconds (`..._ms` keys).
    pub(crate) fn millis(&self, key: &str) -> Res<Option<Duration>> {
        Ok(self.u64(key)?.map(Duration::from_millis))
    }

    /// A list of durations in milliseconds.
    pub(crate) fn millis_list(&self, key: &str) -> Res<Option<Vec<Duration>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_u64()
                        .map(Duration::from_millis)
                        .ok_or_else(|| self.bad(key, "a list of integers"))
                })
                .collect::<Res<Vec<_>>>()
                .map(Some),
            Some(_) => Err(self.bad(key, "a list of integers")),
        }
    }

    /// A list of strings.
    pub(crate) fn strings(&self, key: &str) -> Res<Option<Vec<String>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => substitute(s),
                    _ => Err(self.bad(key, "a list of strings")),
                })
                .collect::<Res<Vec<_>>>()
                .map(Some),
            Some(_) => Err(self.bad(key, "a list of strings")),
        }
    }

    /// A list of `[name, value]` string pairs (headers).
    pub(crate) fn pairs(&self, key: &str) -> Res<Option<Vec<(String, String)>>> {
        let Some(Value::Array(items)) = self.raw(key) else {
            return match self.raw(key) {
                None => Ok(None),
                Some(_) => Err(self.bad(key, "a list of [name, value] pairs")),
            };
        };
        items
            .iter()
            .map(|item| match item.as_array().map(Vec::as_slice) {
                Some([Value::String(k), Value::String(v)]) => Ok((substitute(k)?, substitute(v)?)),
                _ => Err(self.bad(key, "a list of [name, value] pairs")),
            })
            .collect::<Res<Vec<_>>>()
            .map(Some)
    }

    /// An object of string values, in key order (Dapr metadata).
    pub(crate) fn string_map(&self, key: &str) -> Res<Option<Vec<(String, String)>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), substitute(s)?)),
                    _ => Err(self.bad(key, "an object of strings")),
                })
                .collect::<Res<Vec<_>>>()
                .map(Some),
            Some(_) => Err(self.bad(key, "an object of strings")),
        }
    }

    /// A nested object whose keys are checked like the root's.
    pub(crate) fn object(&self, key: &str) -> Res<Option<Args<'a>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(self.nested(self.full(key), m))),
            Some(_) => Err(self.bad(key, "an object")),
        }
    }

    /// A nested object that must be there (`RUNNER` when missing).
    pub(crate) fn required_object(&self, key: &str) -> Res<Args<'a>> {
        self.object(key)?
            .ok_or_else(|| self.bad(key, "a required object"))
    }

    /// A list of nested objects.
    pub(crate) fn objects(&self, key: &str) -> Res<Option<Vec<Args<'a>>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Object(m) => Ok(self.nested(format!("{}.{i}", self.full(key)), m)),
                    _ => Err(self.bad(key, "a list of objects")),
                })
                .collect::<Res<Vec<_>>>()
                .map(Some),
            Some(_) => Err(self.bad(key, "a list of objects")),
        }
    }

    fn nested(&self, path: String, map: &'a Map<String, Value>) -> Args<'a> {
        self.seen.borrow_mut().objects.push((path.clone(), map));
        Args {
            path,
            map,
            seen: self.seen.clone(),
        }
    }

    /// A declared type (`record!`), read field by field from its declaration
    /// (`R::FIELDS`) so that a new field needs no edit here: each under its
    /// snake-case name, a duration (or list of them) as `<name>_ms` in
    /// milliseconds, a time as integer Unix nanoseconds, a map as an object of
    /// strings. Fields of kind `Start` and those named in `skip` are not
    /// read (given, they are unknown arguments unless the caller reads them).
    /// A value of the wrong JSON type is `RUNNER`; the core reads the rest
    /// (its JSON form, wire convention), so a value it cannot take (an
    /// unknown enum name, a negative count) is its `INVALID_ARGUMENT`.
    pub(crate) fn record<R: Record>(&self, skip: &[&str]) -> Res<R> {
        let wire = self.wire(R::FIELDS, skip)?;
        Ok(from_value(
            &Value::Object(wire),
            Convention::WIRE,
            "config",
        )?)
    }

    /// The arguments of a declared type's `fields` in its wire JSON form; a
    /// nested declared type (or a list of them) is an object (a list of
    /// objects) read by the same rules.
    fn wire(&self, fields: &[FieldSchema], skip: &[&str]) -> Res<Map<String, Value>> {
        let nanos = |d: Duration| json!(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        let mut wire = Map::new();
        for f in fields.iter().filter(|f| !skip.contains(&f.name)) {
            let ms_key = format!("{}_ms", f.name);
            let value = match f.kind {
                Kind::Start => None,
                Kind::Str | Kind::Enum { .. } => self.string(f.name)?.map(Value::from),
                Kind::Int | Kind::UInt => self.i64(f.name)?.map(Value::from),
                Kind::Bool => self.bool(f.name)?.map(Value::from),
                Kind::Strs => self.strings(f.name)?.map(Value::from),
                Kind::Duration => self.millis(&ms_key)?.map(nanos),
                Kind::Durations => self
                    .millis_list(&ms_key)?
                    .map(|list| list.into_iter().map(nanos).collect()),
                Kind::Time => self.i64(f.name)?.map(Value::from),
                Kind::Map => match self.raw(f.name) {
                    Some(Value::Object(m)) if m.values().all(Value::is_string) => Some(
                        m.iter()
                            .map(|(k, v)| {
                                Ok((
                                    k.clone(),
                                    json!(substitute(v.as_str().unwrap_or_default())?),
                                ))
                            })
                            .collect::<Res<Map<String, Value>>>()
                            .map(Value::Object)?,
                    ),
                    Some(_) => return Err(self.bad(f.name, "an object of strings")),
                    None => None,
                },
                Kind::Record(r) => match self.object(f.name)? {
                    Some(nested) => Some(Value::Object(nested.wire(r.fields, &[])?)),
                    None => None,
                },
                Kind::Records(r) => match self.objects(f.name)? {
                    Some(list) => Some(Value::Array(
                        list.iter()
                            .map(|nested| nested.wire(r.fields, &[]).map(Value::Object))
                            .collect::<Res<Vec<_>>>()?,
                    )),
                    None => None,
                },
            };
            if let Some(v) = value {
                wire.insert(f.name.to_string(), v);
            }
        }
        Ok(wire)
    }

    /// Fails when an argument was given that no getter read.
    pub(crate) fn finish(&self) -> Res<()> {
        let seen = self.seen.borrow();
        for (path, map) in &seen.objects {
            for key in map.keys() {
                let full = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if !seen.used.contains(&full) {
                    return Err(runner(format!("unknown argument {full}")));
                }
            }
        }
        Ok(())
    }
}

/// Replaces every `${JB_NAME}` with the environment variable `JB_NAME`. An
/// unset variable is a `RUNNER` error.
pub(crate) fn substitute(s: &str) -> Res<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(runner(format!("unterminated ${{ in {s:?}")));
        };
        let name = &after[..end];
        if !name.starts_with("JB_") {
            return Err(runner(format!(
                "only ${{JB_*}} variables are substituted, not {name}"
            )));
        }
        let value = std::env::var(name)
            .map_err(|_| runner(format!("environment variable {name} is not set")))?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
