//! Cancellation of a native wait from JavaScript (an `AbortSignal` in
//! `lib/*.js`). A `NativeCancel` is made for one call: the call takes its
//! registration, and `cancel()` drops the call's core future, which the core
//! treats as cancellation (its task is aborted: a fetch stops pulling, and
//! the messages it had taken are dropped unacked, so the server redelivers
//! them after the ack wait). The call's Promise then rejects with `CLOSED`
//! ("cancelled"); JavaScript has already rejected its caller with an
//! `AbortError` and ignores it.

use std::future::Future;
use std::sync::Mutex;

use futures::future::{AbortHandle, AbortRegistration, Abortable};
use jetbridge::{Error, Result};

/// A cancellation for one native call.
#[napi_derive::napi]
pub struct NativeCancel {
    handle: AbortHandle,
    registration: Mutex<Option<AbortRegistration>>,
}

#[napi_derive::napi]
impl NativeCancel {
    /// A new cancellation, not yet given to a call.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> NativeCancel {
        let (handle, registration) = AbortHandle::new_pair();
        NativeCancel {
            handle,
            registration: Mutex::new(Some(registration)),
        }
    }

    /// Cancels the call (before or while it runs). Twice is fine.
    #[napi]
    pub fn cancel(&self) {
        self.handle.abort();
    }
}

/// `work`, ended early by `cancel` when one is given (each cancellation
/// serves one call; a second use is ignored).
pub(crate) fn cancellable<T>(
    cancel: Option<&NativeCancel>,
    work: impl Future<Output = Result<T>> + Send + 'static,
) -> impl Future<Output = Result<T>> + Send + 'static
where
    T: Send + 'static,
{
    let registration = cancel.and_then(|c| {
        c.registration
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    });
    async move {
        match registration {
            None => work.await,
            Some(r) => Abortable::new(work, r)
                .await
                .unwrap_or_else(|_| Err(Error::closed("cancelled call"))),
        }
    }
}
