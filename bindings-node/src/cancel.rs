//! Cancellation of a native wait from JavaScript (an `AbortSignal` in
//! `lib/*.js`): a `NativeCancel` is the core's `CancelToken`, made for one
//! call. `cancel()` ends the call: the core drops its future, which it treats
//! as cancellation (a fetch stops pulling; nothing it had not handed out is
//! lost). The call's Promise then rejects with the core's `CLOSED` ("the call
//! was cancelled"); JavaScript has already rejected its caller with an
//! `AbortError` and ignores it.

use std::future::Future;

use jetbridge::{CancelToken, Result};

/// A cancellation for a native call.
#[napi_derive::napi]
pub struct NativeCancel {
    token: CancelToken,
}

#[napi_derive::napi]
impl NativeCancel {
    /// A new cancellation, not cancelled.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> NativeCancel {
        NativeCancel {
            token: CancelToken::new(),
        }
    }

    /// Cancels the call (before or while it runs). Twice is fine.
    #[napi]
    pub fn cancel(&self) {
        self.token.cancel();
    }
}

/// `work`, ended early by `cancel` when one is given.
pub(crate) fn cancellable<T>(
    cancel: Option<&NativeCancel>,
    work: impl Future<Output = Result<T>> + Send + 'static,
) -> impl Future<Output = Result<T>> + Send + 'static
where
    T: Send + 'static,
{
    let token = cancel.map(|c| c.token.clone());
    async move {
        match token {
            None => work.await,
            Some(token) => token.run(work).await,
        }
    }
}
