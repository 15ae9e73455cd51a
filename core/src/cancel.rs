//! One way to cancel a call, for every binding: a [`CancelToken`] ends the
//! calls run with it ([`CancelToken::run`]) by dropping their future, which
//! the core treats as cancellation (a fetch stops pulling and leaves its
//! pull; nothing it had not handed out is lost). Serves what each language
//! calls cancellation: a Go `ctx`, a Node `AbortSignal`, a C program's
//! `jb_cancel_cancel` from another thread.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

use crate::error::{Error, ErrorKind, Result};

/// A cancellation, shared by clones; once cancelled it stays cancelled.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    notify: Notify,
}

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Cancels every call run with this token, now and later. From any
    /// thread; twice is fine.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Release);
        self.inner.notify.notify_waiters();
    }

    /// True once [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Acquire)
    }

    /// Resolves once the token is cancelled.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }

    /// Runs `work` until it ends or the token is cancelled, whichever comes
    /// first; cancelled, `work` is dropped and the result is
    /// [`CancelToken::error`]. When both are ready, `work`'s result wins, so
    /// what it finished (a fetch's messages) is never thrown away.
    pub async fn run<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            biased;
            out = work => out,
            () = self.cancelled() => Err(CancelToken::error()),
        }
    }

    /// The error of a cancelled call: `CLOSED`, "the call was cancelled".
    pub fn error() -> Error {
        Error::new(ErrorKind::Closed, "the call was cancelled")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_cancelled_call_ends_and_a_finished_one_keeps_its_result() {
        let token = CancelToken::new();
        let t = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            t.cancel();
        });
        let out: Result<()> = token
            .run(async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok(())
            })
            .await;
        assert_eq!(out.unwrap_err().kind(), ErrorKind::Closed);
        assert!(token.is_cancelled());
        // Already cancelled, with work that is ready: the work's result.
        assert_eq!(token.run(async { Ok(7) }).await.unwrap(), 7);
        token.cancelled().await;
    }
}
