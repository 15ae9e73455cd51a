//! An object read through `tokio::io::AsyncRead` and as a `Stream` of
//! chunks: the Rust forms of [`ObjectReader`], for `tokio::io::copy` into a
//! file or a socket.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes};
use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::io::{AsyncRead, ReadBuf};

use crate::error::{Error, Result};

use super::{ObjectInfo, ObjectReader};

/// An object as a `tokio::io::AsyncRead` ([`ObjectReader::into_async_read`]).
/// Holds at most one chunk. A corrupted or incomplete object is an
/// `io::Error` wrapping the core's `SERVER` error (`get_ref()` then
/// `downcast_ref::<jetbridge::Error>()`), never data, and stays one on every
/// later read.
pub struct ObjectAsyncRead {
    reader: Arc<ObjectReader>,
    pending: Option<BoxFuture<'static, Result<Option<Bytes>>>>,
    chunk: Bytes,
    end: bool,
    failed: Option<Error>,
}

impl std::fmt::Debug for ObjectAsyncRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectAsyncRead")
            .field("object", &self.reader.info().name)
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

impl ObjectAsyncRead {
    /// The object's info.
    pub fn info(&self) -> &ObjectInfo {
        self.reader.info()
    }
}

impl ObjectReader {
    /// This object as a `tokio::io::AsyncRead`.
    pub fn into_async_read(self) -> ObjectAsyncRead {
        ObjectAsyncRead {
            reader: Arc::new(self),
            pending: None,
            chunk: Bytes::new(),
            end: false,
            failed: None,
        }
    }

    /// This object as a `Stream` of its chunks, in order; a corrupted or
    /// incomplete object ends it with an error.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<Bytes>> + Send {
        futures::stream::unfold(Some(self), |reader| async move {
            let reader = reader?;
            match reader.next_chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(reader))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        })
    }
}

impl AsyncRead for ObjectAsyncRead {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        while this.chunk.is_empty() && !this.end {
            if let Some(e) = &this.failed {
                return Poll::Ready(Err(std::io::Error::other(e.clone())));
            }
            let reader = this.reader.clone();
            let next = this
                .pending
                .get_or_insert_with(|| async move { reader.next_chunk().await }.boxed());
            let got = ready!(next.poll_unpin(cx));
            this.pending = None;
            match got {
                Ok(Some(chunk)) => this.chunk = chunk,
                Ok(None) => this.end = true,
                Err(e) => this.failed = Some(e),
            }
        }
        let n = buf.remaining().min(this.chunk.len());
        buf.put_slice(&this.chunk[..n]);
        this.chunk.advance(n);
        Poll::Ready(Ok(()))
    }
}
