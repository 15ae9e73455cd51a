//! `MessageStream`: the application's end of a continuous consumer, with its
//! health.
//!
//! A background task (pull loop, ordered replay or push subscription) feeds a
//! bounded channel; the application takes messages with `next` or
//! `next_batch`. Health is a state (active / reconnecting / stalled /
//! recovering / stopped); every transition is recorded as a [`HealthEvent`]
//! and can be read with `take_events` — none is swallowed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::{mpsc, watch};

use crate::error::{Error, Result};
use crate::message::Message;
use crate::names::Named;
use crate::runtime;

/// The health of a continuous consumer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Health {
    /// Receiving messages or heartbeats.
    Active,
    /// The connection is down; the client is reconnecting.
    Reconnecting,
    /// Two heartbeats were missed.
    Stalled,
    /// Re-issuing pulls, re-binding or re-creating the consumer.
    Recovering,
    /// Stopped by the application, or ended by an unrecoverable error.
    Stopped,
}

crate::names::named!(Health, "health", {
    Active => "active",
    Reconnecting => "reconnecting",
    Stalled => "stalled",
    Recovering => "recovering",
    Stopped => "stopped",
});

/// One health transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthEvent {
    /// The state entered.
    pub health: Health,
    /// Why, in words.
    pub reason: String,
    /// When, Unix nanoseconds.
    pub at: i64,
}

const MAX_EVENTS: usize = 1024;

/// The task side of a stream's health: reports transitions.
#[derive(Clone)]
pub(crate) struct Reporter {
    state: Arc<watch::Sender<Health>>,
    events: Arc<Mutex<VecDeque<HealthEvent>>>,
    /// Names the stream in log records (`ORDERS/proc`, `replay of ORDERS`).
    label: Arc<str>,
}

impl Reporter {
    /// Moves to `health` and records why, unless already there.
    pub(crate) fn set(&self, health: Health, reason: impl Into<String>) {
        if *self.state.borrow() == health {
            return;
        }
        self.state.send_replace(health);
        let reason = reason.into();
        match health {
            Health::Stalled | Health::Reconnecting => {
                crate::log::log!(
                    Warn,
                    "consumer",
                    "{}: {}: {reason}",
                    self.label,
                    health.name()
                );
            }
            _ => crate::log::log!(
                Info,
                "consumer",
                "{}: {}: {reason}",
                self.label,
                health.name()
            ),
        }
        let at = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if events.len() == MAX_EVENTS {
            events.pop_front();
        }
        events.push_back(HealthEvent {
            health,
            reason,
            at: i64::try_from(at).unwrap_or(i64::MAX),
        });
    }

    pub(crate) fn get(&self) -> Health {
        *self.state.borrow()
    }
}

/// A continuous stream of messages from a consumer. Dropping it (or `stop`)
/// ends the background task; messages already delivered but not acked are
/// redelivered by the server after their ack wait.
///
/// Every method takes `&self`: one stream can be shared (in an `Arc`) by any
/// number of threads or tasks, so no binding wraps it. Readers take turns;
/// `stop`, `health` and `take_events` never wait for a reader.
pub struct MessageStream {
    reader: Arc<tokio::sync::Mutex<Reader>>,
    /// The `next` in progress when used as a `futures::Stream`.
    polled: Mutex<Option<futures::future::BoxFuture<'static, Result<Message>>>>,
    monitor: HealthMonitor,
    control: Arc<StopControl>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// Stops a stream: from the application (`stop`, drop) or from the client's
/// drain.
struct StopControl {
    /// `true` once stopped; readers then drain the buffer and end.
    stopped: watch::Sender<bool>,
    /// Tells the background task to end.
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    /// The buffer, for drain to give back.
    reader: std::sync::Weak<tokio::sync::Mutex<Reader>>,
}

impl StopControl {
    /// Stops pulling; the buffer stays readable.
    fn halt(&self) {
        if let Some(stop) = lock(&self.stop).take() {
            let _ = stop.send(());
        }
        self.stopped.send_replace(true);
    }
}

/// Drain delivers nothing new: the stream stops pulling and the messages it
/// buffered but never handed out are given back to the server (`nak`), so
/// they are redelivered at once; a read returns `CLOSED`.
impl crate::drain::Drainable for StopControl {
    fn stop(&self) {
        self.halt();
        if let Some(reader) = self.reader.upgrade() {
            // A reader waiting in `next` wakes up on `stopped` and lets go.
            tokio::spawn(async move {
                let mut reader = reader.lock().await;
                reader.discarded = true;
                while let Ok(item) = reader.rx.try_recv() {
                    if let Ok(m) = item {
                        let _ = m.nak(None);
                    }
                }
            });
        }
    }

    fn in_flight(&self) -> usize {
        0
    }
}

/// The receiving end, used by one reader at a time.
struct Reader {
    rx: mpsc::Receiver<Result<Message>>,
    /// A terminal error seen by `next_batch` after some messages; returned by
    /// the next call.
    held_error: Option<Error>,
    stopped: watch::Receiver<bool>,
    /// Drain gave the buffer back: nothing more is read.
    discarded: bool,
}

impl Reader {
    /// The next item: waits for one until the stream is stopped; after `stop`,
    /// only what is already buffered, then `None` at once.
    async fn recv(&mut self) -> Option<Result<Message>> {
        if self.discarded {
            return None;
        }
        if !*self.stopped.borrow() {
            let stopped = &mut self.stopped;
            tokio::select! {
                biased;
                item = self.rx.recv() => return item,
                _ = stopped.wait_for(|s| *s) => {}
            }
        }
        self.rx.try_recv().ok()
    }
}

impl std::fmt::Debug for MessageStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageStream")
            .field("health", &self.monitor.health())
            .finish()
    }
}

/// What a background task gets: where to put messages, how to report health,
/// and when to stop.
pub(crate) struct Feed {
    pub(crate) tx: mpsc::Sender<Result<Message>>,
    pub(crate) reporter: Reporter,
    pub(crate) stop: tokio::sync::oneshot::Receiver<()>,
}

/// Whether a background task goes on.
pub(crate) enum Flow {
    Continue,
    Stop,
}

impl Feed {
    /// Hands a message to the application, waiting while its buffer is full
    /// (back-pressure). Marks the stream active. A message that arrives after
    /// the stream was stopped is given back to the server at once (`nak`), so
    /// it is redelivered without waiting for its ack wait.
    pub(crate) async fn deliver(&mut self, m: Message) -> Flow {
        crate::fault::point("deliver");
        if self.reporter.get() != Health::Active {
            self.reporter.set(Health::Active, "receiving messages");
        }
        tokio::select! {
            biased;
            _ = &mut self.stop => {
                let _ = m.nak(None);
                Flow::Stop
            }
            permit = self.tx.reserve() => match permit {
                Ok(permit) => {
                    permit.send(Ok(m));
                    Flow::Continue
                }
                Err(_) => Flow::Stop,
            },
        }
    }

    /// Ends the stream with `e`: the application receives it after the
    /// messages already buffered.
    pub(crate) async fn fail(&mut self, e: Error) -> Flow {
        self.reporter.set(Health::Stopped, e.to_string());
        let _ = self.tx.send(Err(e)).await;
        Flow::Stop
    }
}

impl MessageStream {
    /// Starts `task` on the core runtime with a channel of `capacity` messages;
    /// `label` names the stream in log records; `client`'s drain stops it.
    pub(crate) fn spawn<F, Fut>(
        client: &crate::client::ClientInner,
        label: String,
        capacity: usize,
        task: F,
    ) -> Result<MessageStream>
    where
        F: FnOnce(Feed) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let panic_tx = tx.clone();
        let (state, health) = watch::channel(Health::Recovering);
        let reporter = Reporter {
            state: Arc::new(state),
            events: Arc::default(),
            label: label.into(),
        };
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel();
        let feed = Feed {
            tx,
            reporter: reporter.clone(),
            stop: stop_rx,
        };
        let done = reporter.clone();
        let fut = task(feed);
        let handle = runtime::spawn(async move {
            // A panic in the task ends the stream with a PANIC error.
            if let Err(payload) = std::panic::AssertUnwindSafe(fut).catch_unwind().await {
                let e = runtime::panic_error(payload);
                done.set(Health::Stopped, e.to_string());
                let _ = panic_tx.send(Err(e)).await;
                return;
            }
            done.set(Health::Stopped, "stream ended");
        })?;
        let (stopped, stopped_rx) = watch::channel(false);
        let reader = Arc::new(tokio::sync::Mutex::new(Reader {
            rx,
            held_error: None,
            stopped: stopped_rx,
            discarded: false,
        }));
        let control = Arc::new(StopControl {
            stopped,
            stop: Mutex::new(Some(stop_tx)),
            reader: Arc::downgrade(&reader),
        });
        let part: std::sync::Weak<dyn crate::drain::Drainable> = Arc::downgrade(&control) as _;
        client.drain.register(part);
        Ok(MessageStream {
            reader,
            polled: Mutex::new(None),
            monitor: HealthMonitor { health, reporter },
            control,
            task: Mutex::new(Some(handle)),
        })
    }

    /// The next message. Errors that end the stream (the stream or consumer
    /// is gone for good) come once, then `CLOSED`.
    pub async fn next(&self) -> Result<Message> {
        next_from(&self.reader).await
    }

    /// Up to `max` messages: waits up to `max_wait` for the first, then takes
    /// whatever else is already there. Zero messages is not an error. A batch
    /// never holds two deliveries of the same message.
    pub async fn next_batch(&self, max: usize, max_wait: Duration) -> Result<Vec<Message>> {
        let mut out = Vec::with_capacity(max.min(1024));
        let deadline = tokio::time::Instant::now() + max_wait;
        // Waiting for another reader counts against `max_wait`.
        let Ok(mut reader) = tokio::time::timeout_at(deadline, self.reader.lock()).await else {
            return Ok(out);
        };
        if let Some(e) = reader.held_error.take() {
            return Err(e);
        }
        if max == 0 {
            return Ok(out);
        }
        while out.is_empty() {
            match tokio::time::timeout_at(deadline, reader.recv()).await {
                Err(_) => return Ok(out),
                Ok(None) => return Err(Error::closed("message stream")),
                Ok(Some(Ok(m))) if m.withheld() => {}
                Ok(Some(item)) => {
                    let m = item?;
                    m.hand_out();
                    out.push(m);
                }
            }
        }
        // The highest stream sequence in the batch: a second copy of a message
        // is never above it, so only those few are compared with the batch.
        let mut highest = out.last().map_or(0, |m| m.stream_sequence);
        while out.len() < max {
            match reader.rx.try_recv() {
                Ok(Ok(m)) if m.withheld() => {}
                // A second copy of a message already in this batch: hand out one.
                // The server sends one when the ack wait ran out while both were
                // buffered, and also when, restarted after a kill, it lost its
                // record of the first delivery (the copy then says delivered 1).
                Ok(Ok(m))
                    if m.stream_sequence <= highest
                        && out.iter().any(|o| {
                            o.stream_sequence == m.stream_sequence && o.consumer == m.consumer
                        }) => {}
                Ok(Ok(m)) => {
                    highest = highest.max(m.stream_sequence);
                    m.hand_out();
                    out.push(m);
                }
                Ok(Err(e)) => {
                    // Deliver what we have; the error comes with the next call.
                    if out.is_empty() {
                        return Err(e);
                    }
                    reader.held_error = Some(e);
                    break;
                }
                Err(_) => break,
            }
        }
        Ok(out)
    }

    /// The current health.
    pub fn health(&self) -> Health {
        self.monitor.health()
    }

    /// Waits until the health differs from `current`, up to `max_wait`, and
    /// returns it.
    pub async fn wait_health_change(&self, current: Health, max_wait: Duration) -> Health {
        self.monitor
            .clone()
            .wait_health_change(current, max_wait)
            .await
    }

    /// Takes the health transitions recorded since the last call.
    pub fn take_events(&self) -> Vec<HealthEvent> {
        self.monitor.take_events()
    }

    /// Stops the background task. Messages already buffered can still be
    /// read; once they are, `next` and `next_batch` return `CLOSED` at once,
    /// without waiting for the task to end. A reader waiting in `next` or
    /// `next_batch` wakes up. Idempotent.
    pub fn stop(&self) {
        self.control.halt();
    }

    /// True once `stop` was called (or the client started draining).
    pub fn is_stopped(&self) -> bool {
        *self.control.stopped.borrow()
    }
}

/// A view of a stream's health that can be kept apart from the stream. Cheap
/// to clone; it does not keep the stream running.
#[derive(Clone)]
pub struct HealthMonitor {
    health: watch::Receiver<Health>,
    reporter: Reporter,
}

impl std::fmt::Debug for HealthMonitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HealthMonitor")
            .field("health", &*self.health.borrow())
            .finish()
    }
}

impl HealthMonitor {
    /// The current health.
    pub fn health(&self) -> Health {
        *self.health.borrow()
    }

    /// Waits until the health differs from `current`, up to `max_wait`, and
    /// returns it.
    pub async fn wait_health_change(&mut self, current: Health, max_wait: Duration) -> Health {
        let _ = tokio::time::timeout(max_wait, self.health.wait_for(|h| *h != current)).await;
        *self.health.borrow()
    }

    /// Takes the health transitions recorded since the last call (shared with
    /// the stream's own `take_events`).
    pub fn take_events(&self) -> Vec<HealthEvent> {
        let mut events = self
            .reporter
            .events
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        events.drain(..).collect()
    }
}

impl MessageStream {
    /// A health view for other tasks (see [`HealthMonitor`]).
    pub fn health_monitor(&self) -> HealthMonitor {
        self.monitor.clone()
    }
}

impl Drop for MessageStream {
    fn drop(&mut self) {
        self.stop();
        if let Some(task) = lock(&self.task).take() {
            task.abort();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `MessageStream::next`, on the reader alone (so a `'static` future can own it).
async fn next_from(reader: &tokio::sync::Mutex<Reader>) -> Result<Message> {
    let mut reader = reader.lock().await;
    if let Some(e) = reader.held_error.take() {
        return Err(e);
    }
    loop {
        match reader.recv().await {
            Some(Ok(m)) if m.withheld() => continue,
            Some(Ok(m)) => {
                m.hand_out();
                return Ok(m);
            }
            Some(Err(e)) => return Err(e),
            None => return Err(Error::closed("message stream")),
        }
    }
}

/// A `MessageStream` is a `futures::Stream` of messages: an error that ends
/// the stream (the consumer is gone for good) comes as `Some(Err(e))`, and
/// the stream ends (`None`) where `next` would return `CLOSED` — after `stop`
/// and the buffered messages, or once the client closed.
impl futures::Stream for MessageStream {
    type Item = Result<Message>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Message>>> {
        use futures::FutureExt;
        let this = self.get_mut();
        let polled = this.polled.get_mut().unwrap_or_else(|p| p.into_inner());
        let fut = polled.get_or_insert_with(|| {
            let reader = this.reader.clone();
            async move { next_from(&reader).await }.boxed()
        });
        let item = std::task::ready!(fut.poll_unpin(cx));
        *polled = None;
        std::task::Poll::Ready(match item {
            Err(e) if e.kind() == crate::ErrorKind::Closed => None,
            other => Some(other),
        })
    }
}
