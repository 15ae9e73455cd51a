//! Message ids: the core's generator and header name, for a caller that must
//! know a message's id before its outcome (Go names it in a cancelled
//! publish's error, so a resend with that id is deduplicated).

use std::ffi::c_char;

use crate::convert::Out;
use crate::error::jb_result;
use crate::handles::give_string;
use crate::panic::boundary;

/// NUL-terminated copy of the core's `MSG_ID_HEADER`.
static MSG_ID_HEADER: &[u8] = b"Nats-Msg-Id\0";

/// A fresh message id, in the form a publish without one gets (`jb-` and a
/// NUID). Never blocks. On success `*out` is a string the caller owns
/// (`jb_string_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_msg_id_new(out: *mut *mut c_char) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(give_string(&jetbridge_core::new_msg_id())) };
        Ok(())
    })
}

/// The header that carries a message's id (`Nats-Msg-Id`): a static string,
/// never freed.
#[unsafe(no_mangle)]
pub extern "C" fn jb_msg_id_header() -> *const c_char {
    debug_assert_eq!(
        &MSG_ID_HEADER[..MSG_ID_HEADER.len() - 1],
        jetbridge_core::MSG_ID_HEADER.as_bytes()
    );
    MSG_ID_HEADER.as_ptr().cast()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_header_name_is_the_cores() {
        assert_eq!(
            &super::MSG_ID_HEADER[..super::MSG_ID_HEADER.len() - 1],
            jetbridge_core::MSG_ID_HEADER.as_bytes()
        );
    }
}
