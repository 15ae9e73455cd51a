//! `jb_result`: the core's `ErrorKind` numbers plus `JB_RESULT_OK`, the
//! static description of each code, and the thread-local detail of the last
//! failing call. This is the one file that maps the core's taxonomy.

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::sync::LazyLock;

use jetbridge_core::{Error, ErrorKind};

use crate::panic::boundary_or;

/// The outcome of every fallible `jb_` call: 0 is success, every other value
/// is the core's `ErrorKind` number (stable; `jb_result_name` and
/// `jb_result_message` give its name and description).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // the core describes each kind: jb_result_message
pub enum jb_result {
    Ok = 0,
    InvalidArgument = 1,
    NullParameter = 2,
    InvalidHandle = 3,
    Connection = 4,
    Auth = 5,
    Tls = 6,
    Timeout = 7,
    NotFound = 8,
    AlreadyExists = 9,
    WrongLastSequence = 10,
    StreamMismatch = 11,
    PublishOutcomeUnknown = 12,
    NoResponders = 13,
    JetstreamUnavailable = 14,
    JetstreamNotEnabled = 15,
    HeartbeatMissed = 16,
    ConfigMismatch = 17,
    AlreadyAcked = 18,
    LimitExceeded = 19,
    PermissionDenied = 20,
    Closed = 21,
    Forked = 22,
    Server = 23,
    Panic = 24,
    Internal = 25,
    ServerTooOld = 26,
}

// Every core kind has its number here: 1..=COUNT, contiguous.
const _: () = assert!(ErrorKind::COUNT == jb_result::ServerTooOld as usize);

impl From<ErrorKind> for jb_result {
    fn from(kind: ErrorKind) -> jb_result {
        let code = kind.code();
        if code > jb_result::ServerTooOld as u32 {
            return jb_result::Internal; // a kind added to the core after this enum
        }
        // SAFETY: `jb_result` is `repr(u32)` with every value 0..=ServerTooOld.
        unsafe { std::mem::transmute::<u32, jb_result>(code) }
    }
}

impl From<&Error> for jb_result {
    fn from(e: &Error) -> jb_result {
        jb_result::from(e.kind())
    }
}

/// Shorthand for an error of `kind`.
pub(crate) fn err(kind: ErrorKind, message: impl Into<String>) -> Error {
    Error::new(kind, message)
}

/// The `NULL_PARAMETER` error naming the parameter.
pub(crate) fn null(what: &str) -> Error {
    err(ErrorKind::NullParameter, format!("{what} must not be NULL"))
}

/// Error text as a C string (a NUL inside, which the core never produces,
/// becomes U+FFFD).
pub(crate) fn c_message(e: &Error) -> CString {
    crate::convert::lossy_cstring(&e.to_string())
}

struct LastError {
    message: CString,
    api_code: u32,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// Records `e` as this thread's last error.
pub(crate) fn set_last(e: &Error) {
    let entry = LastError {
        message: c_message(e),
        api_code: e.api_code().unwrap_or(0),
    };
    LAST_ERROR.with(|slot| *slot.borrow_mut() = Some(entry));
}

/// The core's names and descriptions as C strings, indexed by code (0 is `OK`).
static TEXTS: LazyLock<Vec<(CString, CString)>> = LazyLock::new(|| {
    let texts = ErrorKind::ALL.iter().map(|k| (k.name(), k.description()));
    std::iter::once(("OK", "Success."))
        .chain(texts)
        .map(|(n, d)| {
            (
                crate::convert::lossy_cstring(n),
                crate::convert::lossy_cstring(d),
            )
        })
        .collect()
});

fn texts(code: u32) -> Option<&'static (CString, CString)> {
    TEXTS.get(code as usize)
}

/// The stable name of a result code, e.g. `"TIMEOUT"` (the Node `err.code`
/// and Go sentinel text). Unknown codes give `"UNKNOWN"`.
///
/// The returned string is static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn jb_result_name(code: u32) -> *const c_char {
    boundary_or(c"UNKNOWN".as_ptr(), || {
        texts(code).map_or(c"UNKNOWN".as_ptr(), |t| t.0.as_ptr())
    })
}

/// The core's description of a result code, e.g. `"The operation did not
/// complete in time."`. For the detail of a failed call use
/// `jb_last_error_message` or the `error` argument of a callback.
///
/// The returned string is static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn jb_result_message(code: u32) -> *const c_char {
    boundary_or(c"unknown result code".as_ptr(), || {
        texts(code).map_or(c"unknown result code".as_ptr(), |t| t.1.as_ptr())
    })
}

/// True when the same call may succeed if tried again later (connection,
/// timeout, unknown publish outcome, no responders, JetStream unavailable,
/// missed heartbeats). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn jb_result_is_retryable(code: u32) -> bool {
    boundary_or(false, || {
        ErrorKind::from_code(code).is_some_and(ErrorKind::is_retryable)
    })
}

/// The message of the most recent failed `jb_` call on this thread, e.g.
/// `"INVALID_ARGUMENT: invalid subject: \"a b\" contains whitespace"`; `""`
/// if no call has failed on this thread. Successful calls leave it unchanged.
/// Inside an async callback (or a subscription closure's `call`) that
/// received an error, it is that error's message (the callback's `error`).
///
/// The string belongs to the library and stays valid until the next failing
/// call on this thread. Never free it. Messages never contain secrets.
#[unsafe(no_mangle)]
pub extern "C" fn jb_last_error_message() -> *const c_char {
    boundary_or(c"".as_ptr(), || {
        LAST_ERROR.with(|slot| match &*slot.borrow() {
            Some(last) => last.message.as_ptr(),
            None => c"".as_ptr(),
        })
    })
}

/// The JetStream API `err_code` of the most recent failed call on this
/// thread (e.g. 10058 for "stream name already in use"), or 0 when the server
/// sent none. Inside an async callback (or a subscription closure's `call`)
/// that received an error, it is that error's code, for the duration of the
/// callback.
#[unsafe(no_mangle)]
pub extern "C" fn jb_last_error_api_code() -> u32 {
    boundary_or(0, || {
        LAST_ERROR.with(|slot| slot.borrow().as_ref().map_or(0, |l| l.api_code))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_core_kind_keeps_its_number_name_and_description() {
        for kind in ErrorKind::ALL {
            let code = jb_result::from(kind) as u32;
            assert_eq!(code, kind.code());
            assert_eq!(format!("{:?}", jb_result::from(kind)), format!("{kind:?}"));
            let name = unsafe { CStr::from_ptr(jb_result_name(code)) };
            assert_eq!(name.to_str().unwrap(), kind.name());
            let text = unsafe { CStr::from_ptr(jb_result_message(code)) };
            assert_eq!(text.to_str().unwrap(), kind.description());
        }
        let ok = unsafe { CStr::from_ptr(jb_result_name(0)) };
        assert_eq!(ok.to_str().unwrap(), "OK");
    }
}
