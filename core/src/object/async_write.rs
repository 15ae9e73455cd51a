//! An object written through `tokio::io::AsyncWrite`: the Rust form of
//! [`ObjectWriter`], for `tokio::io::copy` from a file or a socket.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::io::AsyncWrite;

use crate::error::{Error, Result};

use super::{ObjectInfo, ObjectWriter};

/// An object as a `tokio::io::AsyncWrite` ([`ObjectWriter::into_async_write`]).
///
/// - `write` accepts a buffer at once and sends it while the next call
///   waits, so at most one buffer is held besides the writer's chunk; an
///   error surfaces on the next `write`, `flush` or `shutdown` (an
///   `io::Error` wrapping the core's error) and stays.
/// - `shutdown` finishes the object: only then does it become visible, and
///   [`ObjectAsyncWrite::info`] gives its info.
/// - Dropped before `shutdown` completes, the object is aborted: nothing
///   becomes visible.
pub struct ObjectAsyncWrite {
    writer: Arc<ObjectWriter>,
    writing: Option<BoxFuture<'static, Result<()>>>,
    finishing: Option<BoxFuture<'static, Result<ObjectInfo>>>,
    info: Option<ObjectInfo>,
    failed: Option<Error>,
}

impl std::fmt::Debug for ObjectAsyncWrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectAsyncWrite")
            .field("object", &self.writer.name())
            .field("finished", &self.info.is_some())
            .finish_non_exhaustive()
    }
}

impl ObjectWriter {
    /// This writer as a `tokio::io::AsyncWrite`.
    pub fn into_async_write(self) -> ObjectAsyncWrite {
        ObjectAsyncWrite {
            writer: Arc::new(self),
            writing: None,
            finishing: None,
            info: None,
            failed: None,
        }
    }
}

impl ObjectAsyncWrite {
    /// The stored object's info, once `shutdown` completed.
    pub fn info(&self) -> Option<&ObjectInfo> {
        self.info.as_ref()
    }

    /// Waits for the buffer being sent; the first failure is kept.
    fn poll_sent(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if let Some(writing) = &mut self.writing {
            let sent = ready!(writing.poll_unpin(cx));
            self.writing = None;
            if let Err(e) = sent {
                self.failed = Some(e);
            }
        }
        match &self.failed {
            Some(e) => Poll::Ready(Err(std::io::Error::other(e.clone()))),
            None => Poll::Ready(Ok(())),
        }
    }
}

impl AsyncWrite for ObjectAsyncWrite {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_sent(cx))?;
        if this.info.is_some() || this.finishing.is_some() {
            let closed = Error::closed("the object writer");
            return Poll::Ready(Err(std::io::Error::other(closed)));
        }
        let data = Bytes::copy_from_slice(buf);
        let writer = this.writer.clone();
        this.writing = Some(async move { writer.write(&data).await }.boxed());
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.get_mut().poll_sent(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if this.info.is_some() {
            return Poll::Ready(Ok(()));
        }
        ready!(this.poll_sent(cx))?;
        let writer = this.writer.clone();
        let finishing = this
            .finishing
            .get_or_insert_with(|| async move { writer.finish().await }.boxed());
        let finished = ready!(finishing.poll_unpin(cx));
        this.finishing = None;
        match finished {
            Ok(info) => {
                this.info = Some(info);
                Poll::Ready(Ok(()))
            }
            Err(e) => {
                this.failed = Some(e.clone());
                Poll::Ready(Err(std::io::Error::other(e)))
            }
        }
    }
}
