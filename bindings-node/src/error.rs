//! The one place where core errors become JavaScript errors.
//!
//! Every `jetbridge::Error` becomes an instance of the JavaScript class
//! `JetBridgeError` (defined in `lib/errors.js` and handed to us once by
//! `registerErrorClass`) with `code` = the core's stable `ErrorKind` name
//! (`'TIMEOUT'`, `'NOT_FOUND'`, …), `retryable` = `ErrorKind::is_retryable`,
//! `apiCode` = the server's JetStream `err_code` when there was one, and
//! `message` = the core's text `"KIND: message"` (its `Display`, the same in
//! every language). The message never contains secrets (the core makes sure
//! of that). Nothing else in this crate builds an error by hand.

use jetbridge::{Error, ErrorKind};
use napi::bindgen_prelude::{FnArgs, Function, Unknown};
use napi::{Env, Status};

use crate::runtime::env_state;

/// Constructor arguments of `JetBridgeError`: message, code, retryable, apiCode.
pub(crate) type ErrorArgs = FnArgs<(String, &'static str, bool, Option<u32>)>;

/// The JavaScript `code` of a kind: the core's stable SCREAMING_SNAKE name.
/// `ErrorKind` is `#[non_exhaustive]`; a kind this binding was not built with
/// still gets its core name, so nothing is ever mapped to a wrong code.
pub(crate) fn code(kind: ErrorKind) -> &'static str {
    kind.name()
}

/// Every error code, in the core's number order (for the JS side's tests).
#[napi_derive::napi(js_name = "errorCodes")]
pub fn error_codes() -> Vec<&'static str> {
    ErrorKind::ALL.iter().map(|k| code(*k)).collect()
}

/// Called once by `lib/native.js`: the class every native error is made of.
/// It is kept per Node environment, so worker threads work too.
/// Calling it again replaces the class (useful for tests only).
#[napi_derive::napi(
    js_name = "registerErrorClass",
    ts_args_type = "errorClass: new (message: string, code: string, retryable: boolean, apiCode?: number | null) => Error"
)]
pub fn register_error_class(
    env: &Env,
    error_class: Function<'_, ErrorArgs, Unknown<'static>>,
) -> napi::Result<()> {
    env_state(env)?.error_class = Some(error_class.create_ref()?);
    Ok(())
}

/// Converts a core error into a napi error that carries a `JetBridgeError`
/// instance; napi-rs throws (or rejects with) that very object. Must be
/// called on the JavaScript thread, which owns `env`.
pub(crate) fn to_js(env: &Env, e: &Error) -> napi::Error {
    match build(env, e) {
        Ok(value) => napi::Error::from(value),
        // Without the class (the native module used directly) fall back to a
        // plain Error whose `code` is still the core's name.
        Err(_) => napi::Error::new(Status::GenericFailure, e.to_string()),
    }
}

fn build<'env>(env: &'env Env, e: &Error) -> napi::Result<Unknown<'env>> {
    let Some(class) = &env_state(env)?.error_class else {
        return Err(napi::Error::from_status(Status::InvalidArg));
    };
    let class = class.borrow_back(env)?;
    class.new_instance(FnArgs::from((
        e.to_string(),
        code(e.kind()),
        e.kind().is_retryable(),
        e.api_code(),
    )))
}

/// Shorthand: an `INVALID_ARGUMENT` core error naming `what`.
pub(crate) fn invalid(what: &str, why: impl std::fmt::Display) -> Error {
    Error::invalid(what, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_core_names() {
        for kind in ErrorKind::ALL {
            assert_eq!(code(kind), kind.name());
        }
        assert_eq!(error_codes().len(), ErrorKind::ALL.len());
    }
}
