//! Checked conversions between C values and Rust values.
//!
//! Every pointer is checked for NULL (`NULL_PARAMETER`, naming the parameter)
//! and alignment; every string for UTF-8 and embedded NUL (`INVALID_ARGUMENT`);
//! every length against `isize::MAX`. Nothing here panics.

use std::ffi::{CStr, CString, c_char};
use std::ptr::NonNull;
use std::time::Duration;

use jetbridge_core::{Error, ErrorKind, Result};

use crate::error::{err, null};

/// A borrowed UTF-8 string given by pointer and length (not NUL-terminated).
/// An embedded NUL is rejected. `{NULL, 0}` means "not set" where a field is
/// optional, and the empty string elsewhere.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_str {
    /// First byte; may be NULL only when `len` is 0.
    pub ptr: *const c_char,
    /// Length in bytes, without any terminator.
    pub len: usize,
}

impl jb_str {
    /// A view of `s`, valid as long as `s` is.
    pub(crate) fn of(s: &str) -> jb_str {
        jb_str {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }
}

/// One message header: a name and a value, both length-delimited.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_header {
    /// Header name (printable ASCII, no ':').
    pub name: jb_str,
    /// Header value (no CR or LF).
    pub value: jb_str,
}

/// A key/value pair of NUL-terminated strings (Dapr metadata).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_string_pair {
    /// The key, e.g. `"natsURL"`.
    pub key: *const c_char,
    /// The value, e.g. `"nats://127.0.0.1:4222"`.
    pub value: *const c_char,
}

fn invalid(what: &str, why: &str) -> Error {
    Error::invalid(what, why)
}

fn check_utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str> {
    let s = std::str::from_utf8(bytes).map_err(|_| invalid(what, "is not valid UTF-8"))?;
    if s.contains('\0') {
        return Err(invalid(what, "contains an embedded NUL"));
    }
    Ok(s)
}

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn cstr<'a>(p: *const c_char, what: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(null(what));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|_| invalid(what, "is not valid UTF-8"))
}

/// An optional NUL-terminated UTF-8 string: NULL is `None`.
///
/// # Safety
/// As [`cstr`].
pub(crate) unsafe fn opt_cstr<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { cstr(p, what) }.map(Some)
}

/// The bytes of a `(ptr, len)` pair; NULL is allowed only with `len == 0`.
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes valid for `'a`.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize, what: &str) -> Result<&'a [u8]> {
    // SAFETY: forwarded contract.
    unsafe { slice(p, len, what) }
}

/// A slice of `len` `T`s; NULL is allowed only with `len == 0`.
///
/// # Safety
/// `p` is NULL or points to `len` initialised `T`s valid for `'a`.
pub(crate) unsafe fn slice<'a, T>(p: *const T, len: usize, what: &str) -> Result<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(null(what));
    }
    if !p.is_aligned() {
        return Err(invalid(what, "is not aligned"));
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(invalid(what, "length is too large"));
    }
    // SAFETY: non-NULL, aligned, length bounded; validity is the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A caller-provided output array of `len` `T`s; NULL is allowed only with
/// `len == 0`. Nothing is written by this function.
///
/// # Safety
/// `p` is NULL or points to `len` writable `T`s valid for `'a`, not aliased.
pub(crate) unsafe fn out_slice<'a, T>(
    p: *mut T,
    len: usize,
    what: &str,
) -> Result<&'a mut [std::mem::MaybeUninit<T>]> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(null(what));
    }
    if !p.is_aligned() {
        return Err(invalid(what, "is not aligned"));
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(invalid(what, "length is too large"));
    }
    // SAFETY: non-NULL, aligned, bounded; writability is the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(p.cast(), len) })
}

/// A required `jb_str` (`{NULL, 0}` is the empty string).
///
/// # Safety
/// `s.ptr` is NULL or points to `s.len` readable bytes valid for `'a`.
pub(crate) unsafe fn text<'a>(s: jb_str, what: &str) -> Result<&'a str> {
    // SAFETY: forwarded contract.
    let raw = unsafe { slice(s.ptr.cast::<u8>(), s.len, what) }?;
    check_utf8(raw, what)
}

/// An optional `jb_str`: a NULL `ptr` is `None`.
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn opt_text<'a>(s: jb_str, what: &str) -> Result<Option<&'a str>> {
    if s.ptr.is_null() {
        if s.len != 0 {
            return Err(null(what));
        }
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { text(s, what) }.map(Some)
}

/// A required array of NUL-terminated strings.
///
/// # Safety
/// `p` is NULL or points to `len` pointers, each as in [`cstr`].
pub(crate) unsafe fn cstr_array(
    p: *const *const c_char,
    len: usize,
    what: &str,
) -> Result<Vec<String>> {
    // SAFETY: forwarded contract.
    let items = unsafe { slice(p, len, what) }?;
    items
        .iter()
        .enumerate()
        // SAFETY: each item is NULL or a valid C string by contract.
        .map(|(i, s)| unsafe { cstr(*s, &format!("{what}[{i}]")) }.map(str::to_string))
        .collect()
}

/// A reference to a required input struct.
///
/// # Safety
/// `p` is NULL or points to an initialised `T` valid for `'a`.
pub(crate) unsafe fn input<'a, T>(p: *const T, what: &str) -> Result<&'a T> {
    if p.is_null() {
        return Err(null(what));
    }
    if !p.is_aligned() {
        return Err(invalid(what, "is not aligned"));
    }
    // SAFETY: non-NULL and aligned; validity is the caller's contract.
    Ok(unsafe { &*p })
}

/// An optional input struct: NULL is `None`.
///
/// # Safety
/// As [`input`].
pub(crate) unsafe fn opt_input<'a, T>(p: *const T, what: &str) -> Result<Option<&'a T>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { input(p, what) }.map(Some)
}

/// An out-parameter, checked before any work is done and written only on
/// success.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Checks that `p` is non-NULL and aligned.
    pub(crate) fn new(p: *mut T, what: &str) -> Result<Out<T>> {
        let ptr = NonNull::new(p).ok_or_else(|| null(what))?;
        if !p.is_aligned() {
            return Err(invalid(what, "is not aligned"));
        }
        Ok(Out(ptr))
    }

    /// The checked pointer.
    pub(crate) fn as_ptr(&self) -> *mut T {
        self.0.as_ptr()
    }

    /// Writes the result.
    ///
    /// # Safety
    /// The pointer given to `new` must be valid for writes of one `T`.
    pub(crate) unsafe fn write(self, value: T) {
        // SAFETY: checked in `new`; writability is the caller's contract.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// A raw pointer that may cross to a core thread (callback user data and
/// closure contexts: the C side promised they may be used from any thread).
#[derive(Clone, Copy)]
pub(crate) struct SendPtr(pub(crate) *mut std::ffi::c_void);

// SAFETY: the library never dereferences it; it is handed back to the C
// callback, whose contract says it may be called from any thread.
unsafe impl Send for SendPtr {}
// SAFETY: as above.
unsafe impl Sync for SendPtr {}

impl SendPtr {
    /// The pointer (a method, so closures capture the whole `SendPtr`).
    pub(crate) fn get(self) -> *mut std::ffi::c_void {
        self.0
    }

    /// Carries a handle value across threads (handles are plain numbers).
    pub(crate) fn from_handle<H>(h: *mut H) -> SendPtr {
        SendPtr(h.cast())
    }
}

/// A C string of `s`; a NUL inside (never produced by the core) becomes U+FFFD.
pub(crate) fn lossy_cstring(s: &str) -> CString {
    CString::new(s)
        .unwrap_or_else(|_| CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default())
}

/// Milliseconds as a duration.
pub(crate) fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

/// Milliseconds as an optional duration: 0 is `None`.
pub(crate) fn opt_ms(v: u64) -> Option<Duration> {
    (v != 0).then(|| Duration::from_millis(v))
}

/// A duration in whole milliseconds (saturating).
pub(crate) fn to_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// An enum field value outside its constants.
pub(crate) fn bad_enum(what: &str, value: u32) -> Error {
    err(
        ErrorKind::InvalidArgument,
        format!("invalid {what}: {value} is not one of its JB_ constants"),
    )
}

/// Storage for the C strings of an output struct: the pointers handed out
/// stay valid as long as the store does (moving a `CString` does not move its
/// heap buffer).
#[derive(Default)]
pub(crate) struct Strings(Vec<CString>);

impl Strings {
    /// Keeps a C copy of `s` and returns its pointer.
    pub(crate) fn add(&mut self, s: &str) -> *const c_char {
        let c = lossy_cstring(s);
        let p = c.as_ptr();
        self.0.push(c);
        p
    }

    /// As `add`, with `None` as NULL.
    pub(crate) fn add_opt(&mut self, s: Option<&str>) -> *const c_char {
        s.map_or(std::ptr::null(), |s| self.add(s))
    }
}

/// The `jb_header` views of name/value pairs (valid while `pairs` is).
pub(crate) fn header_views(pairs: &[(String, String)]) -> Vec<jb_header> {
    pairs
        .iter()
        .map(|(k, v)| jb_header {
            name: jb_str::of(k),
            value: jb_str::of(v),
        })
        .collect()
}

/// Name/value pairs from a `jb_header` array.
///
/// # Safety
/// `p` is NULL or points to `len` headers whose strings are readable.
pub(crate) unsafe fn headers_in(p: *const jb_header, len: usize) -> Result<Vec<(String, String)>> {
    // SAFETY: forwarded contract.
    let items = unsafe { slice(p, len, "headers") }?;
    items
        .iter()
        .map(|h| {
            // SAFETY: forwarded contract.
            let name = unsafe { text(h.name, "header name") }?;
            // SAFETY: forwarded contract.
            let value = unsafe { text(h.value, "header value") }?;
            Ok((name.to_string(), value.to_string()))
        })
        .collect()
}
