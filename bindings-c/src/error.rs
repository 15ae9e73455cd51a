//! `jb_result`: the core's `ErrorKind` numbers plus `JB_RESULT_OK`, the
//! static description of each code, and the thread-local detail of the last
//! failing call. This is the one file that maps the core's taxonomy.

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::sync::LazyLock;

use jetbridge_core::{Error, ErrorKind};

use crate::panic::boundary_or;

/// The outcome of every fallible `jb_` call. The numbers are the core's
/// `ErrorKind` numbers and never change; 0 is success.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jb_result {
    /// Success.
    Ok = 0,
    /// An argument is invalid: a bad subject, a header value with CR/LF,
    /// invalid UTF-8, an embedded NUL, an unknown configuration key.
    InvalidArgument = 1,
    /// A required pointer was NULL.
    NullParameter = 2,
    /// A handle was already freed, or is of the wrong type.
    InvalidHandle = 3,
    /// The server could not be reached, or the connection was lost.
    Connection = 4,
    /// The server rejected the credentials.
    Auth = 5,
    /// TLS could not be established or verified.
    Tls = 6,
    /// The operation did not complete in time.
    Timeout = 7,
    /// The stream, consumer or message does not exist.
    NotFound = 8,
    /// A stream or consumer with that name exists with another configuration.
    AlreadyExists = 9,
    /// A publish expectation (last sequence / msg id) failed.
    WrongLastSequence = 10,
    /// A publish expected a different stream.
    StreamMismatch = 11,
    /// A publish may or may not have been stored; resending with the same
    /// msg id inside the duplicate window is safe.
    PublishOutcomeUnknown = 12,
    /// Nobody answered (no stream, no leader, election in progress).
    NoResponders = 13,
    /// JetStream is temporarily unavailable.
    JetstreamUnavailable = 14,
    /// JetStream is not enabled for this account or server.
    JetstreamNotEnabled = 15,
    /// A consumer missed two heartbeats in a row.
    HeartbeatMissed = 16,
    /// An existing consumer's configuration differs from the one asked for.
    ConfigMismatch = 17,
    /// The message was already acknowledged with a terminal ack.
    AlreadyAcked = 18,
    /// A server limit was hit.
    LimitExceeded = 19,
    /// Not permitted on that subject.
    PermissionDenied = 20,
    /// The client, publisher, consumer or subscription was closed.
    Closed = 21,
    /// The process forked after the library started.
    Forked = 22,
    /// Any other JetStream API error.
    Server = 23,
    /// A panic inside the library was caught at its boundary.
    Panic = 24,
    /// An internal invariant failed; please report it.
    Internal = 25,
}

impl From<ErrorKind> for jb_result {
    fn from(kind: ErrorKind) -> jb_result {
        match kind {
            ErrorKind::InvalidArgument => jb_result::InvalidArgument,
            ErrorKind::NullParameter => jb_result::NullParameter,
            ErrorKind::InvalidHandle => jb_result::InvalidHandle,
            ErrorKind::Connection => jb_result::Connection,
            ErrorKind::Auth => jb_result::Auth,
            ErrorKind::Tls => jb_result::Tls,
            ErrorKind::Timeout => jb_result::Timeout,
            ErrorKind::NotFound => jb_result::NotFound,
            ErrorKind::AlreadyExists => jb_result::AlreadyExists,
            ErrorKind::WrongLastSequence => jb_result::WrongLastSequence,
            ErrorKind::StreamMismatch => jb_result::StreamMismatch,
            ErrorKind::PublishOutcomeUnknown => jb_result::PublishOutcomeUnknown,
            ErrorKind::NoResponders => jb_result::NoResponders,
            ErrorKind::JetstreamUnavailable => jb_result::JetstreamUnavailable,
            ErrorKind::JetstreamNotEnabled => jb_result::JetstreamNotEnabled,
            ErrorKind::HeartbeatMissed => jb_result::HeartbeatMissed,
            ErrorKind::ConfigMismatch => jb_result::ConfigMismatch,
            ErrorKind::AlreadyAcked => jb_result::AlreadyAcked,
            ErrorKind::LimitExceeded => jb_result::LimitExceeded,
            ErrorKind::PermissionDenied => jb_result::PermissionDenied,
            ErrorKind::Closed => jb_result::Closed,
            ErrorKind::Forked => jb_result::Forked,
            ErrorKind::Server => jb_result::Server,
            ErrorKind::Panic => jb_result::Panic,
            ErrorKind::Internal => jb_result::Internal,
            // A kind added to the core after this binding was built.
            _ => jb_result::Internal,
        }
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

/// The core's names as C strings, indexed by code (index 0 is `OK`).
static NAMES: LazyLock<Vec<CString>> = LazyLock::new(|| {
    let mut names = vec![CString::from(c"OK")];
    for code in 1..=ErrorKind::ALL.len() as u32 {
        let name = ErrorKind::from_code(code).map_or("UNKNOWN", ErrorKind::name);
        names.push(crate::convert::lossy_cstring(name));
    }
    names
});

fn name_of(code: u32) -> *const c_char {
    NAMES
        .get(code as usize)
        .map_or(c"UNKNOWN".as_ptr(), |n| n.as_ptr())
}

fn static_description(code: u32) -> &'static [u8] {
    match code {
        0 => b"success\0",
        1 => b"an argument is invalid\0",
        2 => b"a required pointer was NULL\0",
        3 => b"the handle was freed, closed, or is of the wrong type\0",
        4 => b"the server could not be reached, or the connection was lost\0",
        5 => b"the server rejected the credentials\0",
        6 => b"TLS could not be established or verified\0",
        7 => b"the operation did not complete in time\0",
        8 => b"the stream, consumer or message does not exist\0",
        9 => b"it exists with a different configuration\0",
        10 => b"a publish expectation did not match\0",
        11 => b"a publish expected a different stream\0",
        12 => b"the publish may or may not have been stored; resend with the same msg id\0",
        13 => b"nobody answered: no stream, no leader, or an election in progress\0",
        14 => b"JetStream is temporarily unavailable\0",
        15 => b"JetStream is not enabled for this account or server\0",
        16 => b"a consumer missed two heartbeats in a row\0",
        17 => b"the existing consumer's configuration differs\0",
        18 => b"the message was already acknowledged\0",
        19 => b"a server limit was hit\0",
        20 => b"permission denied\0",
        21 => b"the object was closed\0",
        22 => b"the process forked after the library started\0",
        23 => b"the JetStream server returned an error\0",
        24 => b"a panic inside the library was caught\0",
        25 => b"an internal invariant failed\0",
        _ => b"unknown result code\0",
    }
}

/// The stable name of a result code, e.g. `"TIMEOUT"` (the Node `err.code`
/// and Go sentinel text). Unknown codes give `"UNKNOWN"`.
///
/// The returned string is static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn jb_result_name(code: u32) -> *const c_char {
    boundary_or(c"UNKNOWN".as_ptr(), || name_of(code))
}

/// A short static description of a result code, e.g. `"the operation did not
/// complete in time"`. For the detail of a failed call use
/// `jb_last_error_message` or the `error` argument of a callback.
///
/// The returned string is static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn jb_result_message(code: u32) -> *const c_char {
    boundary_or(c"unknown result code".as_ptr(), || {
        static_description(code).as_ptr().cast()
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
/// sent none.
#[unsafe(no_mangle)]
pub extern "C" fn jb_last_error_api_code() -> u32 {
    boundary_or(0, || {
        LAST_ERROR.with(|slot| slot.borrow().as_ref().map_or(0, |l| l.api_code))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_kind_keeps_its_number_and_name() {
        for kind in ErrorKind::ALL {
            let code = jb_result::from(kind) as u32;
            assert_eq!(code, kind.code());
            let name = unsafe { std::ffi::CStr::from_ptr(name_of(code)) };
            assert_eq!(name.to_str().unwrap(), kind.name());
            let text = static_description(code);
            assert_ne!(text, static_description(999), "{kind:?} has no description");
        }
        let ok = unsafe { std::ffi::CStr::from_ptr(name_of(0)) };
        assert_eq!(ok.to_str().unwrap(), "OK");
    }
}
