//! The client's ack queue: fire-and-forget acks, sent in order, in batches.
//!
//! `send` never waits and never touches the network on the caller's thread;
//! one task hands queued acks to the connection, which writes them out
//! together. `flush` waits until everything queued so far reached the
//! connection, so an `ack_sync` or a close cannot overtake earlier acks.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use tokio::sync::{Notify, mpsc};

use crate::client::ClientInner;
use crate::counters::{Counters, bump};
use crate::error::{Error, Result};

/// One client's queue of acks.
pub(crate) struct AckQueue {
    tx: mpsc::UnboundedSender<(String, Bytes)>,
    queued: AtomicU64,
    progress: Arc<Progress>,
}

#[derive(Default)]
struct Progress {
    sent: AtomicU64,
    changed: Notify,
}

impl AckQueue {
    /// Starts the sending task. Must run on the core runtime.
    pub(crate) fn start(nc: async_nats::Client, counters: Arc<Counters>) -> AckQueue {
        let (tx, rx) = mpsc::unbounded_channel();
        let progress = Arc::new(Progress::default());
        tokio::spawn(send_loop(nc, counters, rx, progress.clone()));
        AckQueue {
            tx,
            queued: AtomicU64::new(0),
            progress,
        }
    }

    /// Queues one ack body for `reply`.
    pub(crate) fn send(&self, client: &ClientInner, reply: String, body: Bytes) -> Result<()> {
        client.check_open()?;
        self.queued.fetch_add(1, Ordering::AcqRel);
        self.tx.send((reply, body)).map_err(|_| {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            Error::closed("client")
        })
    }

    /// Waits until every ack queued before this call reached the connection.
    pub(crate) async fn flush(&self) {
        let target = self.queued.load(Ordering::Acquire);
        loop {
            let changed = self.progress.changed.notified();
            if self.progress.sent.load(Ordering::Acquire) >= target || self.tx.is_closed() {
                return;
            }
            changed.await;
        }
    }
}

async fn send_loop(
    nc: async_nats::Client,
    counters: Arc<Counters>,
    mut rx: mpsc::UnboundedReceiver<(String, Bytes)>,
    progress: Arc<Progress>,
) {
    let mut batch = Vec::with_capacity(256);
    while rx.recv_many(&mut batch, 256).await > 0 {
        let n = batch.len() as u64;
        for (reply, body) in batch.drain(..) {
            // An ack to a subject async-nats rejects cannot be delivered anyway;
            // a closed connection ends the loop below.
            let _ = nc.publish(reply, body).await;
        }
        bump(&counters.acks_sent, n);
        progress.sent.fetch_add(n, Ordering::AcqRel);
        progress.changed.notify_waiters();
    }
    progress.changed.notify_waiters();
}
