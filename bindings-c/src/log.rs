//! The core's log records into C: `jb_log_set_callback` installs one core
//! sink (`jetbridge::set_log_sink`) that calls a C function with `(user_data,
//! level, topic, message)`. The levels are the core's (`jb_log_level` numbers
//! are `LogLevel` numbers, `jb_log_level_name` gives the core's name).

use std::ffi::{CString, c_char, c_void};
use std::sync::LazyLock;

use jetbridge_core::{Error, LogLevel, Named};

use crate::convert::{SendPtr, lossy_cstring};
use crate::error::jb_result;
use crate::panic::{boundary, boundary_or};

/// How important a log record is, most important first: the core's
/// `LogLevel` numbers; `jb_log_level_name` gives its name.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jb_log_level {
    /// Something failed and was not recovered.
    Error = 1,
    /// Something failed and JetBridge is recovering (disconnect, stall, retry
    /// budget exhausted, lame duck, slow consumer).
    Warn = 2,
    /// A state change worth knowing (connected, reconnected, recovered).
    Info = 3,
    /// Detail for debugging (each publish retry).
    Debug = 4,
}

/// The C level of each core level, in the core's order.
const LEVELS: [(LogLevel, jb_log_level); 4] = [
    (LogLevel::Error, jb_log_level::Error),
    (LogLevel::Warn, jb_log_level::Warn),
    (LogLevel::Info, jb_log_level::Info),
    (LogLevel::Debug, jb_log_level::Debug),
];

// The enum has one value per core level.
const _: () = assert!(LEVELS.len() == <LogLevel as Named>::VALUES.len());

fn to_c(level: LogLevel) -> jb_log_level {
    LEVELS
        .iter()
        .find(|(l, _)| *l == level)
        .map_or(jb_log_level::Error, |(_, c)| *c)
}

fn from_c(level: u32) -> Option<LogLevel> {
    LEVELS
        .iter()
        .find(|(_, c)| *c as u32 == level)
        .map(|(l, _)| *l)
}

/// Called for each log record at the chosen level or more important, on a
/// library thread (possibly several at once): `level`, `topic`
/// (`"connection"`, `"consumer"`, `"publish"`) and `message`, valid only
/// during the call. Records never hold secrets (URLs are redacted). It must
/// be quick and must not call any `jb_` function (it may run while the
/// library holds its own locks).
pub type jb_log_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        level: jb_log_level,
        topic: *const c_char,
        message: *const c_char,
    ),
>;

/// Sends every log record at `max_level` (a `jb_log_level`) or more important
/// to `callback(user_data, …)`, for the whole process, replacing the previous
/// callback. A NULL `callback` removes it (`max_level` is then ignored):
/// records are dropped again. A `max_level` that is not a `jb_log_level` is
/// `JB_RESULT_INVALID_ARGUMENT`. `user_data` must stay valid until the
/// callback is replaced or removed; a call already running on another thread
/// may still finish after this returns.
#[unsafe(no_mangle)]
pub extern "C" fn jb_log_set_callback(
    max_level: u32,
    callback: jb_log_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let Some(callback) = callback else {
            jetbridge_core::clear_log_sink();
            return Ok(());
        };
        let max = from_c(max_level).ok_or_else(|| {
            Error::invalid(
                "max_level",
                format!("{max_level} is not one of the JB_LOG_LEVEL_ constants"),
            )
        })?;
        let user = SendPtr(user_data);
        jetbridge_core::set_log_sink(max, move |r| {
            let topic = lossy_cstring(r.topic);
            let message = lossy_cstring(r.message);
            // SAFETY: the caller's contract: a valid function taking these
            // arguments, callable from any thread.
            unsafe { callback(user.get(), to_c(r.level), topic.as_ptr(), message.as_ptr()) };
        });
        Ok(())
    })
}

static NAMES: LazyLock<Vec<(u32, CString)>> = LazyLock::new(|| {
    LEVELS
        .iter()
        .map(|(l, c)| (*c as u32, lossy_cstring(l.name())))
        .collect()
});

/// The core's name of a log level, e.g. `"warn"`; `"unknown"` for a number
/// that is not a `jb_log_level`. Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn jb_log_level_name(level: u32) -> *const c_char {
    boundary_or(c"unknown".as_ptr(), || {
        NAMES
            .iter()
            .find(|(n, _)| *n == level)
            .map_or(c"unknown".as_ptr(), |(_, name)| name.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn the_enum_is_the_cores_levels_with_their_numbers_and_names() {
        for (level, name) in <LogLevel as Named>::VALUES {
            let c = to_c(*level);
            assert_eq!(c as u32, *level as u32);
            assert_eq!(from_c(c as u32), Some(*level));
            let got = unsafe { CStr::from_ptr(jb_log_level_name(c as u32)) };
            assert_eq!(got.to_str().unwrap(), *name);
        }
        for bad in [0, 5, 99] {
            assert_eq!(from_c(bad), None);
            let got = unsafe { CStr::from_ptr(jb_log_level_name(bad)) };
            assert_eq!(got.to_str().unwrap(), "unknown");
        }
    }
}
