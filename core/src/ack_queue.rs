//! The client's ack queue: fire-and-forget acks, sent in order, in batches.
//!
//! `send` never waits and never touches the network on the caller's thread;
//! one task hands queued acks to the connection, which writes them out
//! together. `flush` waits until everything queued so far reached the
//! connection, so an `ack_sync` or a close cannot overtake earlier acks.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::Bytes;
use tokio::sync::Notify;

use crate::client::ClientInner;
use crate::counters::{Counters, bump};
use crate::error::{Error, Result};

/// One client's queue of acks.
pub(crate) struct AckQueue {
    shared: Arc<Shared>,
    queued: AtomicU64,
}

/// What the callers and the sending task share. Acks pile up in `pending`;
/// the task is woken only when the pile goes from empty to non-empty
/// (`scheduled`), so a burst of acks costs one wake-up.
#[derive(Default)]
struct Shared {
    pending: Mutex<Vec<(async_nats::Subject, Bytes)>>,
    scheduled: AtomicBool,
    wake: Notify,
    closed: AtomicBool,
    sent: AtomicU64,
    changed: Notify,
}

impl AckQueue {
    /// Starts the sending task. Must run on the core runtime.
    pub(crate) fn start(nc: async_nats::Client, counters: Arc<Counters>) -> AckQueue {
        let shared = Arc::new(Shared::default());
        tokio::spawn(send_loop(nc, counters, shared.clone()));
        AckQueue {
            shared,
            queued: AtomicU64::new(0),
        }
    }

    /// Queues one ack body for `reply`.
    pub(crate) fn send(
        &self,
        client: &ClientInner,
        reply: async_nats::Subject,
        body: Bytes,
    ) -> Result<()> {
        client.check_open()?;
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(Error::closed("client"));
        }
        self.queued.fetch_add(1, Ordering::AcqRel);
        self.shared
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((reply, body));
        if !self.shared.scheduled.swap(true, Ordering::AcqRel) {
            self.shared.wake.notify_one();
        }
        Ok(())
    }

    /// [`AckQueue::flush`], giving up after `timeout` with `TIMEOUT` and
    /// `message` (a connection that takes no writes must not hang a caller).
    pub(crate) async fn flush_within(
        &self,
        timeout: std::time::Duration,
        message: &str,
    ) -> Result<()> {
        tokio::time::timeout(timeout, self.flush())
            .await
            .map_err(|_| Error::new(crate::ErrorKind::Timeout, message))
    }

    /// Waits until every ack queued before this call reached the connection.
    pub(crate) async fn flush(&self) {
        let target = self.queued.load(Ordering::Acquire);
        loop {
            let changed = self.shared.changed.notified();
            if self.shared.sent.load(Ordering::Acquire) >= target
                || self.shared.closed.load(Ordering::Acquire)
            {
                return;
            }
            changed.await;
        }
    }
}

impl Drop for AckQueue {
    fn drop(&mut self) {
        self.shared.closed.store(true, Ordering::Release);
        self.shared.wake.notify_one();
    }
}

async fn send_loop(nc: async_nats::Client, counters: Arc<Counters>, shared: Arc<Shared>) {
    loop {
        if !shared.closed.load(Ordering::Acquire) {
            shared.wake.notified().await;
        }
        // Clear the flag before taking the pile: an ack pushed after this
        // point either lands in this batch or wakes the task again.
        shared.scheduled.store(false, Ordering::Release);
        let batch = std::mem::take(&mut *shared.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let n = batch.len() as u64;
        for (reply, body) in batch {
            // An ack to a subject async-nats rejects cannot be delivered anyway.
            let _ = nc.publish(reply, body).await;
        }
        bump(&counters.acks_sent, n);
        shared.sent.fetch_add(n, Ordering::AcqRel);
        shared.changed.notify_waiters();
        if shared.closed.load(Ordering::Acquire)
            && shared
                .pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_empty()
        {
            return;
        }
    }
}
