//! The C form of the core's declared types (`jetbridge::record`).
//!
//! jb-gen writes each declared type as a `#[repr(C)]` struct in
//! `generated.rs` (never by hand), with [`CRecord`]: the place of each field,
//! looked up by the core's field name. This file reads and writes any such
//! struct through the core's declaration, so no binding code lists a field.
//!
//! The C rules, the same for every type:
//! - The struct starts with `size`, the struct's size as the caller's header
//!   declares it (`jb_<type>_default` sets it). Fields past `size` are read
//!   as unset and never written: a program built against an older header
//!   keeps working with a newer library. A struct larger than this library
//!   knows (a newer header) is accepted when the fields it does not know are
//!   all zero (unset), and refused otherwise, so no setting is dropped.
//! - Text is a NUL-terminated UTF-8 `const char *`, NULL = unset.
//! - An optional number, duration, flag or enum is unset when 0 (false, the
//!   enum's first name): such a value given in JSON (`_from_json`) is
//!   refused rather than silently unset.
//! - Durations are milliseconds (`<name>_ms`); lists are a pointer and a
//!   `<name>_len`; an enum is its `JB_<TYPE>_*` value (its position in the
//!   core's list of names); a start position is `<name>`, `<name>_sequence`
//!   and `<name>_time_ns`.
//! - A point in time is `<name>_ns`, Unix nanoseconds (`int64_t`).
//! - A map (text to text) is `<name>_keys`, `<name>_values` (two arrays of
//!   C strings, the value of `keys[i]` at `values[i]`) and `<name>_len`;
//!   NULL keys = unset. A NULL array with a length, a NULL key or value, or
//!   a key given twice is `INVALID_ARGUMENT` naming the field.
//! - A nested declared type is a pointer to its own C struct (`const
//!   jb_placement *`), which carries its own `size` (fill it with its
//!   `_default`); NULL = unset. A list of them is a pointer to `<name>_len`
//!   structs, all of the same `size` (the first one's is the array's
//!   stride); a NULL pointer with a length is `INVALID_ARGUMENT` naming the
//!   field.

use std::any::Any;
use std::collections::BTreeMap;
use std::ffi::c_char;
use std::mem::size_of;

use jetbridge_core::record::{FieldSink, FieldSource, Kind, Record};
use jetbridge_core::record_json;
use jetbridge_core::{Error, Result, StartPosition};

use crate::consumer::{start_from_c, start_to_c};
use crate::convert::{Out, Strings, bad_enum, cstr, cstr_array, input, ms, opt_cstr, slice, to_ms};
use crate::handles::{Owned, give, give_string, take_back};

/// Where a field of a C struct lives.
pub(crate) enum CField<'a> {
    /// `const char *`.
    Str(&'a *const c_char),
    /// `int64_t`, and the `has_` flag of an optional one.
    Int(&'a i64, Option<&'a bool>),
    /// `uint64_t`, and the `has_` flag of an optional one.
    UInt(&'a u64, Option<&'a bool>),
    /// `bool`, and the `has_` flag of an optional one.
    Bool(&'a bool, Option<&'a bool>),
    /// `uint64_t` milliseconds, and the `has_` flag of an optional one.
    Duration(&'a u64, Option<&'a bool>),
    /// `const char *const *` and its length.
    Strs(&'a *const *const c_char, &'a usize),
    /// `const uint64_t *` milliseconds and its length.
    Durations(&'a *const u64, &'a usize),
    /// `uint32_t`: a position in the enum's names; the `has_` flag of an
    /// optional one.
    Enum(&'a u32, Option<&'a bool>),
    /// `uint32_t` `JB_START_*`, `uint64_t` sequence, `int64_t` Unix nanoseconds.
    Start(&'a u32, &'a u64, &'a i64),
    /// Keys and values (`const char *const *` each) and their number.
    Map(
        &'a *const *const c_char,
        &'a *const *const c_char,
        &'a usize,
    ),
    /// `int64_t` Unix nanoseconds, and the `has_` flag of an optional one.
    Time(&'a i64, Option<&'a bool>),
    /// `const jb_<type> *`: NULL or one nested struct.
    Record(&'a dyn NestedRead),
    /// `const jb_<type> *` and its length.
    Records(&'a dyn NestedRead, &'a usize),
}

/// As [`CField`], to write.
pub(crate) enum CFieldMut<'a> {
    Str(&'a mut *const c_char),
    Int(&'a mut i64, Option<&'a mut bool>),
    UInt(&'a mut u64, Option<&'a mut bool>),
    Bool(&'a mut bool, Option<&'a mut bool>),
    Duration(&'a mut u64, Option<&'a mut bool>),
    Strs(&'a mut *const *const c_char, &'a mut usize),
    Durations(&'a mut *const u64, &'a mut usize),
    Enum(&'a mut u32, Option<&'a mut bool>),
    Start(&'a mut u32, &'a mut u64, &'a mut i64),
    Map(
        &'a mut *const *const c_char,
        &'a mut *const *const c_char,
        &'a mut usize,
    ),
    Time(&'a mut i64, Option<&'a mut bool>),
    Record(&'a mut dyn NestedWrite),
    Records(&'a mut dyn NestedWrite, &'a mut usize),
}

/// The pointer member of a nested declared type, read without naming its
/// type: the value comes back as the core's type (`T::Core`) in a `Box<dyn
/// Any>`, which [`FieldSource::record`] takes back as the type the core asks.
pub(crate) trait NestedRead {
    /// The one struct pointed to, `None` for NULL (`what` names the field).
    fn one(&self, what: &str) -> Result<Option<Box<dyn Any>>>;
    /// `len` structs, `None` for NULL with `len` 0.
    fn list(&self, len: usize, what: &str) -> Result<Option<Vec<Box<dyn Any>>>>;
}

/// As [`NestedRead`], to write: the core's value (as `dyn Any`) becomes a
/// struct (or an array of them) owned by `store`.
pub(crate) trait NestedWrite {
    /// Points at a copy of `value` (NULL for `None`).
    fn set_one(&mut self, value: Option<&dyn Any>, store: &mut CStorage) -> Result<()>;
    /// Points at copies of `values` and returns their number (NULL for none).
    fn set_list(&mut self, values: &[&dyn Any], store: &mut CStorage) -> Result<usize>;
    /// Sets the pointer to NULL.
    fn clear(&mut self);
}

/// A nested value that is not of the type the declaration says: a bug
/// between the generated code and the core, never the caller's.
fn mismatch(what: &str, expected: &str) -> Error {
    Error::new(
        jetbridge_core::ErrorKind::Internal,
        format!("{what}: the C struct does not hold a {expected}"),
    )
}

impl<T: CRecord> NestedRead for *const T {
    fn one(&self, what: &str) -> Result<Option<Box<dyn Any>>> {
        if self.is_null() {
            return Ok(None);
        }
        // SAFETY: non-NULL, a `T` as the caller's header declares it (the
        // header's contract); `read` checks its `size`.
        let value = unsafe { read::<T>(*self, what) }?;
        Ok(Some(Box::new(value)))
    }

    fn list(&self, len: usize, what: &str) -> Result<Option<Vec<Box<dyn Any>>>> {
        if self.is_null() {
            if len == 0 {
                return Ok(None);
            }
            return Err(Error::invalid(
                what,
                format!("is NULL with {len} entries (set it, or the length to 0)"),
            ));
        }
        if !self.is_aligned() {
            return Err(Error::invalid(what, "is not aligned"));
        }
        if len == 0 {
            return Ok(Some(Vec::new()));
        }
        // The caller's structs are `size` bytes each, as its header declares
        // them: the first one's `size` is the array's stride.
        // SAFETY: non-NULL and aligned, at least one struct (the contract).
        let stride = unsafe { (**self).size() };
        if stride < size_of::<usize>() || stride % std::mem::align_of::<T>() != 0 {
            return Err(Error::invalid(
                &format!("{what}[0]"),
                format!("has size {stride}: fill it with {}_default first", T::WHAT),
            ));
        }
        if len > isize::MAX as usize / stride {
            return Err(Error::invalid(what, "length is too large"));
        }
        let mut out: Vec<Box<dyn Any>> = Vec::with_capacity(len);
        for i in 0..len {
            let what = format!("{what}[{i}]");
            // SAFETY: `len` structs of `stride` bytes (the contract).
            let p = unsafe { self.cast::<u8>().add(i * stride) }.cast::<T>();
            // SAFETY: as above; aligned since `stride` is a multiple of the
            // alignment.
            let size = unsafe { (*p).size() };
            if size != stride {
                return Err(Error::invalid(
                    &what,
                    format!(
                        "has size {size}, not {stride} as the first entry: fill it with {}_default",
                        T::WHAT
                    ),
                ));
            }
            // SAFETY: as above.
            out.push(Box::new(unsafe { read::<T>(p, &what) }?));
        }
        Ok(Some(out))
    }
}

impl<T: CRecord> NestedWrite for *const T {
    fn set_one(&mut self, value: Option<&dyn Any>, store: &mut CStorage) -> Result<()> {
        let Some(value) = value else {
            self.clear();
            return Ok(());
        };
        let value = value
            .downcast_ref::<T::Core>()
            .ok_or_else(|| mismatch(T::WHAT, T::Core::NAME))?;
        let c = Box::new(write::<T>(value, store));
        *self = &*c;
        store.nested.push(c);
        Ok(())
    }

    fn set_list(&mut self, values: &[&dyn Any], store: &mut CStorage) -> Result<usize> {
        if values.is_empty() {
            self.clear();
            return Ok(0);
        }
        let mut list = Vec::with_capacity(values.len());
        for value in values {
            let value = value
                .downcast_ref::<T::Core>()
                .ok_or_else(|| mismatch(T::WHAT, T::Core::NAME))?;
            list.push(write::<T>(value, store));
        }
        *self = list.as_ptr();
        let len = list.len();
        store.nested.push(Box::new(list));
        Ok(len)
    }

    fn clear(&mut self) {
        *self = std::ptr::null();
    }
}

/// A field's place: its C name (for errors), the offset just past it (it
/// exists for a caller whose `size` reaches there), and where it is.
pub(crate) struct Place<F> {
    pub(crate) c_name: &'static str,
    pub(crate) end: usize,
    pub(crate) field: F,
}

/// A C struct generated from a declared type.
///
/// # Safety
/// Implementors are `#[repr(C)]`, start with a `usize` `size`, and hold only
/// integers, `bool`s and raw pointers (all-zero is a valid value).
pub(crate) unsafe trait CRecord: Copy + 'static {
    /// The core's type.
    type Core: Record;
    /// The C name (`jb_consumer_config`).
    const WHAT: &'static str;
    /// The tag of a library-owned copy ([`Owned`]).
    const TAG: u8;
    /// The `size` field.
    fn size(&self) -> usize;
    /// Sets the `size` field.
    fn set_size(&mut self, size: usize);
    /// The field with the core's name `name`.
    fn field(&self, name: &str) -> Option<Place<CField<'_>>>;
    /// The field with the core's name `name`, to write.
    fn field_mut(&mut self, name: &str) -> Option<Place<CFieldMut<'_>>>;
}

fn zeroed<T: CRecord>() -> T {
    // SAFETY: all-zero is a valid `T` (`CRecord`'s contract).
    unsafe { std::mem::zeroed() }
}

fn enum_names<T: CRecord>(field: &str) -> &'static [&'static str] {
    match schema::<T>(field).map(|f| f.kind) {
        Some(Kind::Enum { names, .. }) => names,
        _ => &[],
    }
}

fn schema<T: CRecord>(field: &str) -> Option<&'static jetbridge_core::record::FieldSchema> {
    T::Core::FIELDS.iter().find(|f| f.name == field)
}

/// A caller's struct, read through the core's declaration (`what` names
/// it in errors).
struct CSource<'a, T: CRecord> {
    c: &'a T,
    what: &'a str,
}

impl<T: CRecord> CSource<'_, T> {
    /// The field, if the caller's struct has it.
    fn get(&self, field: &str) -> Option<Place<CField<'_>>> {
        self.c.field(field).filter(|p| p.end <= self.c.size())
    }

    /// `Some(v)`, or `None` for an optional field's 0 whose `has_` flag is
    /// false.
    fn value<V: Default + PartialEq>(&self, field: &str, v: V, has: Option<&bool>) -> Option<V> {
        let optional = schema::<T>(field).is_some_and(|f| f.optional);
        (!optional || has == Some(&true) || v != V::default()).then_some(v)
    }

    fn what(&self, place: &Place<CField<'_>>) -> String {
        format!("{}.{}", self.what, place.c_name)
    }
}

impl<T: CRecord> FieldSource for CSource<'_, T> {
    type Error = Error;

    fn fail(&self, error: Error) -> Error {
        error
    }

    fn string(&self, field: &str) -> Result<Option<String>> {
        let Some(place) = self.get(field) else {
            return Ok(None);
        };
        match place.field {
            // SAFETY: NULL or a C string, by the header's contract.
            CField::Str(p) => Ok(unsafe { opt_cstr(*p, &self.what(&place)) }?.map(str::to_string)),
            // An optional enum is unset when 0 (its first name).
            CField::Enum(v, has) => match self.value(field, *v, has) {
                None => Ok(None),
                Some(v) => enum_names::<T>(field)
                    .get(v as usize)
                    .map(|n| Some(n.to_string()))
                    .ok_or_else(|| bad_enum(&self.what(&place), v)),
            },
            _ => Ok(None),
        }
    }

    fn int(&self, field: &str) -> Result<Option<i64>> {
        Ok(match self.get(field).map(|p| p.field) {
            Some(CField::Int(v, has)) => self.value(field, *v, has),
            _ => None,
        })
    }

    fn uint(&self, field: &str) -> Result<Option<u64>> {
        Ok(match self.get(field).map(|p| p.field) {
            Some(CField::UInt(v, has)) => self.value(field, *v, has),
            _ => None,
        })
    }

    fn boolean(&self, field: &str) -> Result<Option<bool>> {
        Ok(match self.get(field).map(|p| p.field) {
            Some(CField::Bool(v, has)) => self.value(field, *v, has),
            _ => None,
        })
    }

    fn duration(&self, field: &str) -> Result<Option<std::time::Duration>> {
        Ok(match self.get(field).map(|p| p.field) {
            Some(CField::Duration(v, has)) => self.value(field, *v, has).map(ms),
            _ => None,
        })
    }

    fn strings(&self, field: &str) -> Result<Option<Vec<String>>> {
        let Some(place) = self.get(field) else {
            return Ok(None);
        };
        let what = self.what(&place);
        match place.field {
            // SAFETY: `len` C strings, by the header's contract.
            CField::Strs(p, len) => unsafe { cstr_array(*p, *len, &what) }.map(Some),
            _ => Ok(None),
        }
    }

    fn durations(&self, field: &str) -> Result<Option<Vec<std::time::Duration>>> {
        let Some(place) = self.get(field) else {
            return Ok(None);
        };
        let what = self.what(&place);
        match place.field {
            CField::Durations(p, len) => {
                // SAFETY: `len` numbers, by the header's contract.
                let v = unsafe { slice(*p, *len, &what) }?;
                Ok(Some(v.iter().map(|v| ms(*v)).collect()))
            }
            _ => Ok(None),
        }
    }

    fn start(&self, field: &str) -> Result<Option<StartPosition>> {
        match self.get(field).map(|p| p.field) {
            Some(CField::Start(k, s, t)) => start_from_c(*k, *s, *t).map(Some),
            _ => Ok(None),
        }
    }

    fn map(&self, field: &str) -> Result<Option<BTreeMap<String, String>>> {
        let Some(place) = self.get(field) else {
            return Ok(None);
        };
        match place.field {
            CField::Map(keys, values, len) => {
                let what = self.what(&place);
                let values_what = format!(
                    "{}.{}_values",
                    self.what,
                    place.c_name.strip_suffix("_keys").unwrap_or(place.c_name)
                );
                // SAFETY: `len` C strings in each array, by the header's
                // contract.
                unsafe { map_from_c(*keys, *values, *len, &what, &values_what) }
            }
            _ => Ok(None),
        }
    }

    fn time(&self, field: &str) -> Result<Option<i64>> {
        Ok(match self.get(field).map(|p| p.field) {
            Some(CField::Time(v, has)) => self.value(field, *v, has),
            _ => None,
        })
    }

    fn record<R: Record>(&self, field: &str) -> Result<Option<R>> {
        let Some(place) = self.get(field) else {
            return Ok(None);
        };
        let what = self.what(&place);
        match place.field {
            CField::Record(p) => match p.one(&what)? {
                None => Ok(None),
                Some(v) => v
                    .downcast::<R>()
                    .map(|v| Some(*v))
                    .map_err(|_| mismatch(&what, R::NAME)),
            },
            _ => Ok(None),
        }
    }

    fn records<R: Record>(&self, field: &str) -> Result<Option<Vec<R>>> {
        let Some(place) = self.get(field) else {
            return Ok(None);
        };
        let what = self.what(&place);
        match place.field {
            CField::Records(p, len) => match p.list(*len, &what)? {
                None => Ok(None),
                Some(list) => list
                    .into_iter()
                    .map(|v| {
                        v.downcast::<R>()
                            .map(|v| *v)
                            .map_err(|_| mismatch(&what, R::NAME))
                    })
                    .collect::<Result<Vec<R>>>()
                    .map(Some),
            },
            _ => Ok(None),
        }
    }
}

/// A map from its C arrays: NULL `keys` with `len` 0 is unset; a NULL array
/// with a length, a NULL entry or a key given twice is `INVALID_ARGUMENT`
/// (`keys_what` and `values_what` name the arrays).
///
/// # Safety
/// Each array is NULL or points to `len` pointers, each NULL or a C string.
unsafe fn map_from_c(
    keys: *const *const c_char,
    values: *const *const c_char,
    len: usize,
    keys_what: &str,
    values_what: &str,
) -> Result<Option<BTreeMap<String, String>>> {
    if keys.is_null() && len == 0 {
        return Ok(None);
    }
    let array = |p: *const *const c_char, what: &str| {
        if p.is_null() && len != 0 {
            return Err(Error::invalid(
                what,
                format!("is NULL with {len} entries (set it, or the length to 0)"),
            ));
        }
        // SAFETY: non-NULL (or `len` 0) with `len` entries, by contract.
        unsafe { slice(p, len, what) }
    };
    let keys = array(keys, keys_what)?;
    let values = array(values, values_what)?;
    let mut map = BTreeMap::new();
    for (i, (k, v)) in keys.iter().zip(values).enumerate() {
        let text = |p: *const c_char, what: &str| {
            let what = format!("{what}[{i}]");
            if p.is_null() {
                return Err(Error::invalid(&what, "is NULL"));
            }
            // SAFETY: a non-NULL entry is a C string, by contract.
            unsafe { cstr(p, &what) }.map(str::to_string)
        };
        let key = text(*k, keys_what)?;
        let value = text(*v, values_what)?;
        if map.contains_key(&key) {
            return Err(Error::invalid(
                &format!("{keys_what}[{i}]"),
                format!("repeats the key {key:?}"),
            ));
        }
        map.insert(key, value);
    }
    Ok(Some(map))
}

/// Text and lists a written struct points into.
#[derive(Default)]
pub(crate) struct CStorage {
    strings: Strings,
    lists: Vec<Vec<*const c_char>>,
    numbers: Vec<Vec<u64>>,
    /// Nested structs (`Box<T>`) and arrays of them (`Vec<T>`), freed with
    /// the struct that points to them.
    nested: Vec<Box<dyn Any>>,
}

// SAFETY: the pointers point into the storage's own heap buffers.
unsafe impl Send for CStorage {}

/// A struct being written from a core value.
struct CSink<'a, T: CRecord> {
    c: &'a mut T,
    store: &'a mut CStorage,
}

/// Sets an optional field's `has_` flag (a required field has none).
fn mark(has: Option<&mut bool>, set: bool) {
    if let Some(has) = has {
        *has = set;
    }
}

/// The field with the core's name `field`, if the struct's `size` has it.
fn place<'a, T: CRecord>(c: &'a mut T, field: &str) -> Option<CFieldMut<'a>> {
    let size = c.size();
    c.field_mut(field)
        .filter(|p| p.end <= size)
        .map(|p| p.field)
}

impl<T: CRecord> FieldSink for CSink<'_, T> {
    type Error = Error;

    fn string(&mut self, field: &str, value: Option<&str>) -> Result<()> {
        match place(self.c, field) {
            Some(CFieldMut::Str(p)) => *p = self.store.strings.add_opt(value),
            Some(CFieldMut::Enum(v, has)) => {
                let at = enum_names::<T>(field)
                    .iter()
                    .position(|n| Some(*n) == value);
                *v = at.unwrap_or_default() as u32;
                mark(has, at.is_some());
            }
            _ => {}
        }
        Ok(())
    }

    fn int(&mut self, field: &str, value: Option<i64>) -> Result<()> {
        if let Some(CFieldMut::Int(v, has)) = place(self.c, field) {
            *v = value.unwrap_or_default();
            mark(has, value.is_some());
        }
        Ok(())
    }

    fn uint(&mut self, field: &str, value: Option<u64>) -> Result<()> {
        if let Some(CFieldMut::UInt(v, has)) = place(self.c, field) {
            *v = value.unwrap_or_default();
            mark(has, value.is_some());
        }
        Ok(())
    }

    fn boolean(&mut self, field: &str, value: Option<bool>) -> Result<()> {
        if let Some(CFieldMut::Bool(v, has)) = place(self.c, field) {
            *v = value.unwrap_or_default();
            mark(has, value.is_some());
        }
        Ok(())
    }

    fn duration(&mut self, field: &str, value: Option<std::time::Duration>) -> Result<()> {
        if let Some(CFieldMut::Duration(v, has)) = place(self.c, field) {
            *v = value.map_or(0, to_ms);
            mark(has, value.is_some());
        }
        Ok(())
    }

    fn strings(&mut self, field: &str, value: &[String]) -> Result<()> {
        if let Some(CFieldMut::Strs(p, len)) = place(self.c, field) {
            let list: Vec<_> = value.iter().map(|s| self.store.strings.add(s)).collect();
            *p = if list.is_empty() {
                std::ptr::null()
            } else {
                list.as_ptr()
            };
            *len = list.len();
            self.store.lists.push(list);
        }
        Ok(())
    }

    fn durations(&mut self, field: &str, value: &[std::time::Duration]) -> Result<()> {
        if let Some(CFieldMut::Durations(p, len)) = place(self.c, field) {
            let list: Vec<u64> = value.iter().map(|d| to_ms(*d)).collect();
            *p = if list.is_empty() {
                std::ptr::null()
            } else {
                list.as_ptr()
            };
            *len = list.len();
            self.store.numbers.push(list);
        }
        Ok(())
    }

    fn start(&mut self, field: &str, value: StartPosition) -> Result<()> {
        if let Some(CFieldMut::Start(k, s, t)) = place(self.c, field) {
            (*k, *s, *t) = start_to_c(value);
        }
        Ok(())
    }

    fn map(&mut self, field: &str, value: Option<&BTreeMap<String, String>>) -> Result<()> {
        if let Some(CFieldMut::Map(keys, values, len)) = place(self.c, field) {
            let Some(map) = value else {
                (*keys, *values, *len) = (std::ptr::null(), std::ptr::null(), 0);
                return Ok(());
            };
            // Each array ends with a NULL past `len`, so that an empty map's
            // keys are not NULL (unset) and point to memory of their own.
            let mut array = |items: Vec<&String>| {
                let mut list: Vec<_> = items
                    .into_iter()
                    .map(|s| self.store.strings.add(s))
                    .collect();
                list.push(std::ptr::null());
                let p = list.as_ptr();
                self.store.lists.push(list);
                p
            };
            *keys = array(map.keys().collect());
            *values = array(map.values().collect());
            *len = map.len();
        }
        Ok(())
    }

    fn time(&mut self, field: &str, value: Option<i64>) -> Result<()> {
        if let Some(CFieldMut::Time(v, has)) = place(self.c, field) {
            *v = value.unwrap_or_default();
            mark(has, value.is_some());
        }
        Ok(())
    }

    fn record<R: Record>(&mut self, field: &str, value: Option<&R>) -> Result<()> {
        if let Some(CFieldMut::Record(p)) = place(self.c, field) {
            p.set_one(value.map(|v| v as &dyn Any), self.store)?;
        }
        Ok(())
    }

    fn records<R: Record>(&mut self, field: &str, value: &[R]) -> Result<()> {
        if let Some(CFieldMut::Records(p, len)) = place(self.c, field) {
            let values: Vec<&dyn Any> = value.iter().map(|v| v as &dyn Any).collect();
            *len = p.set_list(&values, self.store)?;
        }
        Ok(())
    }
}

/// Reads a caller's struct (`what` names the argument in errors).
///
/// # Safety
/// `p` is NULL or points to at least `(*p).size` readable bytes holding a
/// `T` as the caller's header declares it.
pub(crate) unsafe fn read<T: CRecord>(p: *const T, what: &str) -> Result<T::Core> {
    // SAFETY: forwarded contract.
    let c = unsafe { input(p, what) }?;
    let size = c.size();
    if size < size_of::<usize>() {
        return Err(Error::invalid(
            what,
            format!("has size {size}: fill it with {}_default first", T::WHAT),
        ));
    }
    if size > size_of::<T>() {
        // SAFETY: the caller's struct has `size` readable bytes.
        let tail = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), size) };
        if tail[size_of::<T>()..].iter().any(|b| *b != 0) {
            return Err(Error::invalid(
                what,
                format!(
                    "sets fields this libjetbridge ({}) does not know; a newer library is needed",
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
    }
    T::Core::read(&CSource { c, what })
}

/// [`read`], with NULL standing for the core's defaults.
///
/// # Safety
/// As [`read`].
pub(crate) unsafe fn read_or_default<T: CRecord>(p: *const T, what: &str) -> Result<T::Core> {
    if p.is_null() {
        return Ok(T::Core::default());
    }
    // SAFETY: forwarded contract.
    unsafe { read(p, what) }
}

/// Writes a core value as a full-size `T` pointing into `store`.
pub(crate) fn write<T: CRecord>(value: &T::Core, store: &mut CStorage) -> T {
    let mut c: T = zeroed();
    c.set_size(size_of::<T>());
    // Writing into a struct fails only for a nested value of another type
    // than its C struct's, a generator bug the tests would show (the field
    // is then left unset).
    let _ = value.write(&mut CSink { c: &mut c, store });
    c
}

/// A library-owned `T` with its storage (from `_from_json`, or inside an info).
#[repr(C)]
pub(crate) struct RecordBox<T: CRecord> {
    c: T,
    store: CStorage,
}

impl<T: CRecord> RecordBox<T> {
    /// The boxed C form of a core value; `&*box` stays valid while it lives.
    pub(crate) fn new(value: &T::Core) -> Box<RecordBox<T>> {
        let mut store = CStorage::default();
        let c = write(value, &mut store);
        Box::new(RecordBox { c, store })
    }

    /// The C struct.
    pub(crate) fn c(&self) -> *const T {
        &self.c
    }
}

// SAFETY: the struct's pointers point into the box's own storage.
unsafe impl<T: CRecord> Send for RecordBox<T> {}

// SAFETY: repr(C) with the C struct first.
unsafe impl<T: CRecord> Owned for RecordBox<T> {
    type C = T;
    const TAG: u8 = T::TAG;
    const WHAT: &'static str = T::WHAT;
}

/// `jb_<type>_init`: the core's defaults into a caller's struct of `size`
/// bytes (the caller's `sizeof`; the `jb_<type>_default` macro passes it).
///
/// # Safety
/// `out` is NULL or points to `size` writable bytes.
pub(crate) unsafe fn init<T: CRecord>(out: *mut T, size: usize) -> Result<()> {
    let out = Out::new(out, "out")?;
    if size < size_of::<usize>() {
        return Err(Error::invalid(
            "size",
            "is smaller than the struct's size field",
        ));
    }
    let mut store = CStorage::default();
    let mut c: T = write(&T::Core::default(), &mut store);
    c.set_size(size);
    // The defaults hold no lists, their text is empty or unset and their
    // maps empty or unset, which NULL reads back as: nothing may point into
    // `store`, dropped here.
    for f in T::Core::FIELDS {
        match c.field_mut(f.name).map(|p| p.field) {
            Some(CFieldMut::Str(p)) => *p = std::ptr::null(),
            Some(CFieldMut::Map(keys, values, len)) => {
                (*keys, *values, *len) = (std::ptr::null(), std::ptr::null(), 0);
            }
            Some(CFieldMut::Record(p)) => p.clear(),
            Some(CFieldMut::Records(p, len)) => {
                p.clear();
                *len = 0;
            }
            _ => {}
        }
    }
    let known = size.min(size_of::<T>());
    let dst = out.as_ptr().cast::<u8>();
    // SAFETY: `dst` has `size` writable bytes (the caller's contract); the
    // source is a local `T` of at least `known` bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(std::ptr::from_ref(&c).cast::<u8>(), dst, known);
        std::ptr::write_bytes(dst.add(known), 0, size - known);
    }
    Ok(())
}

/// `jb_<type>_from_json`: a library-owned struct from JSON in the wire
/// convention (snake case, durations in integer nanoseconds).
///
/// # Safety
/// `json` is NULL or a C string; `out` NULL or writable.
pub(crate) unsafe fn from_json<T: CRecord>(json: *const c_char, out: *mut *mut T) -> Result<()> {
    let out = Out::new(out, "out")?;
    // SAFETY: forwarded contract.
    let json = unsafe { cstr(json, "json") }?;
    let value: T::Core = record_json::from_json(json, "config")?;
    let boxed = RecordBox::<T>::new(&value);
    refuse_explicit_zeros::<T>(&value, &boxed.c)?;
    let ptr = give(*boxed);
    // SAFETY: checked out-parameter.
    unsafe { out.write(ptr) };
    Ok(())
}

/// An optional field set to a value whose C form means unset cannot cross
/// into a C struct (`c`, written from `value`): it is refused, naming the
/// field, rather than silently unset. Numbers, flags, durations, times and
/// enums carry a `has_` flag, so their zeros cross; what remains is an empty
/// map (NULL keys with length 0 mean unset).
fn refuse_explicit_zeros<T: CRecord>(value: &T::Core, c: &T) -> Result<()> {
    let wire = record_json::to_value(value, record_json::Convention::WIRE);
    let back = T::Core::read(&CSource { c, what: "config" })?;
    let back = record_json::to_value(&back, record_json::Convention::WIRE);
    for f in T::Core::FIELDS.iter().filter(|f| f.optional) {
        let given = &wire[f.name];
        if !given.is_null() && back[f.name].is_null() {
            return Err(Error::invalid(
                &format!("config.{}", f.name),
                format!(
                    "{given} cannot be given through the C ABI, where it reads as \
                     unset; leave it out"
                ),
            ));
        }
    }
    Ok(())
}

/// `jb_<type>_to_json`: a struct as JSON in the wire convention; free the
/// text with `jb_string_free`.
///
/// # Safety
/// `c` is NULL or a valid struct; `out` NULL or writable.
pub(crate) unsafe fn to_json<T: CRecord>(c: *const T, out: *mut *mut c_char) -> Result<()> {
    let out = Out::new(out, "out")?;
    // SAFETY: forwarded contract.
    let value = unsafe { read(c, "config") }?;
    let text = give_string(&record_json::to_json(&value));
    // SAFETY: checked out-parameter.
    unsafe { out.write(text) };
    Ok(())
}

/// `jb_<type>_free`: frees a struct from `_from_json`.
pub(crate) fn free<T: CRecord>(c: *mut T) -> Result<()> {
    take_back::<RecordBox<T>>(c)
}
