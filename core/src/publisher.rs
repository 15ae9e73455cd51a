//! The pipelined publisher: many publishes in flight, bounded by count and bytes.
//!
//! `publish` returns as soon as the message is queued for sending; its ack is
//! tracked in the background with the same retry rules as a single publish.
//! When the window (messages or bytes) is full, `publish` waits — it never
//! drops a message and never errors for being full. `flush` waits until every
//! queued message is settled and reports each failure individually.
//! Messages are sent in the order they were queued.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{FutureExt, StreamExt};
use tokio::sync::{Notify, Semaphore, mpsc, oneshot};

use crate::ack_router::{ReplyInbox, classify};
use crate::client::{Client, ClientInner};
use crate::counters::bump;
use crate::error::{Error, Result};
use crate::publish::{Attempt, Prepared, PubAck, PublishMessage};
use crate::runtime;
use crate::server_version::V2_14;

mod fast_ingest;

crate::record::record! {
    /// Window sizes of a publisher.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct PublisherOptions {
        /// Most messages awaiting their ack at once.
        pub max_in_flight: usize,
        /// Most payload+header bytes awaiting their ack at once.
        pub max_in_flight_bytes: usize,
        /// Publish in fast-ingest batches (nats-server 2.14+, a stream with
        /// `allow_batched`): the server acks every few hundred messages
        /// instead of each one. Same guarantees (each message settled, what is
        /// unsure resent with its msg id); a message's ack names no stream
        /// or sequence unless it ended its batch, and the last messages
        /// before a pause settle about a millisecond later. A stream without
        /// `allow_batched`, or an older server, gets regular publishing.
        pub fast_ingest: bool,
    }
}

impl Default for PublisherOptions {
    fn default() -> PublisherOptions {
        PublisherOptions {
            max_in_flight: 1024,
            max_in_flight_bytes: 32 << 20,
            fast_ingest: false,
        }
    }
}

/// One publish that did not end in an ack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishFailure {
    /// The ticket `publish` returned for it (0, 1, 2… per publisher).
    pub ticket: u64,
    /// Its message id.
    pub msg_id: String,
    /// Its subject.
    pub subject: String,
    /// Why it failed (`PUBLISH_OUTCOME_UNKNOWN` means it may have been stored).
    pub error: Error,
}

/// What happened to the messages settled since the previous flush.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlushReport {
    /// Messages acked (duplicates included).
    pub acked: u64,
    /// Of those, how many the server reported as duplicates.
    pub duplicates: u64,
    /// Every message that failed, in ticket order.
    pub failures: Vec<PublishFailure>,
}

/// Result of [`Publisher::try_publish`].
#[derive(Debug)]
pub enum TryPublish {
    /// Queued; the value is its ticket.
    Queued(u64),
    /// The window is full; the message is handed back untouched.
    Full(PublishMessage),
}

#[derive(Default)]
struct Book {
    next_ticket: u64,
    in_flight: usize,
    in_flight_bytes: usize,
    peak_in_flight: usize,
    report: FlushReport,
}

/// One queued message. It holds one permit of the count window and
/// `byte_permits` of the byte window, taken out of the semaphores (forgotten)
/// when it was queued and given back when it is settled ([`Freed`]).
struct Job {
    prepared: Prepared,
    ticket: u64,
    byte_permits: u32,
    done: Option<oneshot::Sender<Result<PubAck>>>,
}

/// Window space of settled jobs, given back to the semaphores in one call
/// per turn of the send loop (one lock and one wake-up of a waiting
/// `publish` for many messages, instead of one per message).
#[derive(Default)]
struct Freed {
    count: usize,
    bytes: usize,
}

struct PublisherInner {
    client: Arc<ClientInner>,
    options: PublisherOptions,
    count: Semaphore,
    bytes: Semaphore,
    jobs: mpsc::UnboundedSender<Job>,
    book: Mutex<Book>,
    settled: Notify,
    closed: AtomicBool,
}

/// One pipelined message's own outcome (see [`Publisher::publish_tracked`]):
/// a future of its [`PubAck`] or its error. Dropping it does not cancel the
/// publish.
#[derive(Debug)]
pub struct PendingAck(oneshot::Receiver<Result<PubAck>>);

impl Future for PendingAck {
    type Output = Result<PubAck>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<PubAck>> {
        std::pin::Pin::new(&mut self.0)
            .poll(cx)
            .map(|r| r.unwrap_or_else(|_| Err(Error::closed("publisher"))))
    }
}

/// A pipelined publisher. Cheap to clone; clones share the window.
#[derive(Clone)]
pub struct Publisher {
    inner: Arc<PublisherInner>,
}

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publisher")
            .field("options", &self.inner.options)
            .finish()
    }
}

impl Client {
    /// A pipelined publisher with its own window.
    pub fn publisher(&self, options: PublisherOptions) -> Result<Publisher> {
        self.inner.check_accepting()?;
        if options.max_in_flight == 0 || options.max_in_flight_bytes == 0 {
            return Err(Error::invalid(
                "publisher options",
                "windows must be greater than zero",
            ));
        }
        let max_bytes = options
            .max_in_flight_bytes
            .min(Semaphore::MAX_PERMITS)
            .min(u32::MAX as usize);
        let options = PublisherOptions {
            max_in_flight_bytes: max_bytes,
            ..options
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let inner = Arc::new(PublisherInner {
            client: self.inner.clone(),
            options,
            count: Semaphore::new(options.max_in_flight.min(Semaphore::MAX_PERMITS)),
            bytes: Semaphore::new(max_bytes),
            jobs: tx,
            book: Mutex::new(Book::default()),
            settled: Notify::new(),
            closed: AtomicBool::new(false),
        });
        runtime::spawn(send_loop(Arc::downgrade(&inner), rx))?;
        let part: std::sync::Weak<dyn crate::drain::Drainable> = Arc::downgrade(&inner) as _;
        self.inner.drain.register(part);
        Ok(Publisher { inner })
    }

    /// Publishes many messages pipelined through one call and returns each
    /// outcome, in order. Invalid messages fail alone; the rest are sent. The
    /// outer error is only for a closed client.
    pub async fn publish_many(&self, messages: Vec<PublishMessage>) -> Result<Vec<Result<PubAck>>> {
        let publisher = self.publisher(PublisherOptions::default())?;
        let client = self.inner.clone();
        // The caller's span, while still on the caller's thread.
        #[cfg(feature = "otel")]
        let messages: Vec<PublishMessage> = messages
            .into_iter()
            .map(|mut m| {
                crate::otel::inject_current(&mut m.headers);
                m
            })
            .collect();
        runtime::run(async move {
            let mut waiting = Vec::with_capacity(messages.len());
            for msg in messages {
                let outcome = match client.prepare(msg) {
                    Ok(p) => publisher
                        .inner
                        .enqueue_waiting(p, true)
                        .await
                        .map(|(_, rx)| rx),
                    Err(e) => Err(e),
                };
                waiting.push(outcome);
            }
            let mut out = Vec::with_capacity(waiting.len());
            for w in waiting {
                out.push(match w {
                    Ok(Some(rx)) => rx.await.unwrap_or_else(|_| Err(Error::closed("publisher"))),
                    Ok(None) => Err(Error::closed("publisher")),
                    Err(e) => Err(e),
                });
            }
            Ok(out)
        })
        .await
    }
}

impl Publisher {
    /// Queues a message, waiting while the window is full. Returns its ticket.
    /// Fails only for invalid input or a closed publisher.
    /// Queuing needs no I/O, so this runs on the caller's executor; only when
    /// the window is full does it wait (for the core runtime to settle acks).
    pub async fn publish(&self, msg: PublishMessage) -> Result<u64> {
        runtime::check()?;
        let p = self.inner.client.prepare(msg)?;
        self.inner.enqueue_waiting(p, false).await.map(|(t, _)| t)
    }

    /// Like [`Publisher::publish`], and also returns a [`PendingAck`] that
    /// resolves to this message's own ack (stream, sequence, duplicate) or
    /// error — for outbox tables and audit logs that record each sequence. The
    /// outcome is counted in the next flush report as well. `publish` stays the
    /// cheaper call for callers who only want counts.
    pub async fn publish_tracked(&self, msg: PublishMessage) -> Result<(u64, PendingAck)> {
        runtime::check()?;
        let p = self.inner.client.prepare(msg)?;
        let (ticket, rx) = self.inner.enqueue_waiting(p, true).await?;
        let rx = rx.ok_or_else(|| Error::new(crate::ErrorKind::Internal, "no ack receiver"))?;
        Ok((ticket, PendingAck(rx)))
    }

    /// Queues a message if the window has room, without waiting.
    pub fn try_publish(&self, msg: PublishMessage) -> Result<TryPublish> {
        runtime::check()?;
        self.inner.check_open()?;
        let p = self.inner.client.prepare_kept(&msg)?;
        let Ok(count) = self.inner.count.try_acquire() else {
            return Ok(TryPublish::Full(msg));
        };
        let byte_permits = self.inner.byte_permits(&p);
        let Ok(bytes) = self.inner.bytes.try_acquire_many(byte_permits) else {
            return Ok(TryPublish::Full(msg));
        };
        count.forget();
        bytes.forget();
        self.inner
            .enqueue(p, byte_permits, None)
            .map(TryPublish::Queued)
    }

    /// Queues many messages in order, waiting for room as needed. All are
    /// validated first; if one is invalid nothing is queued and the error names
    /// its index. Returns their tickets.
    pub async fn publish_many(&self, messages: Vec<PublishMessage>) -> Result<Vec<u64>> {
        let client = &self.inner.client;
        let prepared = messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| {
                client
                    .prepare(m)
                    .map_err(|e| Error::new(e.kind(), format!("message {i}: {}", e.message())))
            })
            .collect::<Result<Vec<_>>>()?;
        runtime::check()?;
        let mut tickets = Vec::with_capacity(prepared.len());
        for p in prepared {
            tickets.push(self.inner.enqueue_waiting(p, false).await?.0);
        }
        Ok(tickets)
    }

    /// Waits until every queued message is settled, then returns what
    /// happened since the previous flush.
    pub async fn flush(&self) -> Result<FlushReport> {
        let inner = self.inner.clone();
        runtime::run(async move { Ok(inner.flush().await) }).await
    }

    /// Waits until at least `count` messages (capped at the window) could be
    /// queued without waiting. For bindings that queue with `try_publish` and
    /// wait only when the window is full.
    pub async fn wait_for_room(&self, count: usize) -> Result<()> {
        runtime::check()?;
        self.inner.check_open()?;
        let n = u32::try_from(count.clamp(1, self.inner.options.max_in_flight)).unwrap_or(u32::MAX);
        let permits = self
            .inner
            .count
            .acquire_many(n)
            .await
            .map_err(|_| Error::closed("publisher"))?;
        drop(permits);
        Ok(())
    }

    /// [`Publisher::wait_for_room`], giving up after `wait` (when given) with
    /// the one `TIMEOUT` every binding reports for a window that stayed full.
    pub async fn wait_for_room_within(&self, count: usize, wait: Option<Duration>) -> Result<()> {
        within(wait, self.wait_for_room(count)).await
    }

    /// [`Publisher::publish`], giving up after `wait` (when given) with the
    /// window still full; nothing is queued then.
    pub async fn publish_within(
        &self,
        message: PublishMessage,
        wait: Option<Duration>,
    ) -> Result<u64> {
        within(wait, self.publish(message)).await
    }

    /// Messages and bytes awaiting their ack right now.
    pub fn in_flight(&self) -> (usize, usize) {
        let book = self.inner.book();
        (book.in_flight, book.in_flight_bytes)
    }

    /// The most messages that were ever in flight at once.
    pub fn peak_in_flight(&self) -> usize {
        self.inner.book().peak_in_flight
    }

    /// The window sizes.
    pub fn options(&self) -> PublisherOptions {
        self.inner.options
    }

    /// Flushes, then refuses further publishes with `CLOSED`.
    pub async fn close(&self) -> Result<FlushReport> {
        let report = self.flush().await?;
        self.inner.closed.store(true, Ordering::Release);
        Ok(report)
    }
}

/// Drain waits until a publisher's accepted messages are settled; its report
/// stays for the application's own `flush` or `close`.
impl crate::drain::Drainable for PublisherInner {
    fn stop(&self) {}

    fn in_flight(&self) -> usize {
        self.book().in_flight
    }
}

impl PublisherInner {
    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `CLOSED` for a closed publisher, or a client closed or draining.
    fn check_open(&self) -> Result<()> {
        if self.closed.load(Ordering::Acquire) {
            return Err(Error::closed("publisher"));
        }
        self.client.check_accepting()
    }

    fn byte_permits(&self, p: &Prepared) -> u32 {
        u32::try_from(p.size.clamp(1, self.options.max_in_flight_bytes)).unwrap_or(u32::MAX)
    }

    /// Waits for room, then queues. With `want_result`, also returns the
    /// receiver of the message's own outcome.
    async fn enqueue_waiting(
        &self,
        p: Prepared,
        want_result: bool,
    ) -> Result<(u64, Option<oneshot::Receiver<Result<PubAck>>>)> {
        self.check_open()?;
        let closed = || Error::closed("publisher");
        let count = self.count.acquire().await.map_err(|_| closed())?;
        let byte_permits = self.byte_permits(&p);
        let bytes = self
            .bytes
            .acquire_many(byte_permits)
            .await
            .map_err(|_| closed())?;
        count.forget();
        bytes.forget();
        let (tx, rx) = if want_result {
            let (tx, rx) = oneshot::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let ticket = self.enqueue(p, byte_permits, tx)?;
        Ok((ticket, rx))
    }

    /// Queues a message whose window space (one count permit and
    /// `byte_permits`) the caller took out of the semaphores.
    fn enqueue(
        &self,
        prepared: Prepared,
        byte_permits: u32,
        done: Option<oneshot::Sender<Result<PubAck>>>,
    ) -> Result<u64> {
        let ticket = {
            let mut book = self.book();
            let ticket = book.next_ticket;
            book.next_ticket += 1;
            book.in_flight += 1;
            book.in_flight_bytes += prepared.size;
            book.peak_in_flight = book.peak_in_flight.max(book.in_flight);
            ticket
        };
        bump(&self.client.counters.published, 1);
        let size = prepared.size;
        self.jobs
            .send(Job {
                prepared,
                ticket,
                byte_permits,
                done,
            })
            .map_err(|_| {
                let mut book = self.book();
                book.in_flight -= 1;
                book.in_flight_bytes -= size;
                drop(book);
                self.give_back(Freed {
                    count: 1,
                    bytes: byte_permits as usize,
                });
                Error::closed("publisher")
            })?;
        Ok(ticket)
    }

    async fn flush(&self) -> FlushReport {
        loop {
            let notified = self.settled.notified();
            {
                let mut book = self.book();
                if book.in_flight == 0 {
                    let mut report = std::mem::take(&mut book.report);
                    report.failures.sort_by_key(|f| f.ticket);
                    return report;
                }
            }
            notified.await;
        }
    }
}

/// A job whose attempt is on the wire, waiting for its answer.
struct InFlight {
    job: Job,
    sent: Instant,
    deadline: Instant,
    /// The connection generation it was sent on.
    generation: u64,
}

/// The attempts on the wire, in send order. Tokens are consecutive (the send
/// loop takes the next one only for an attempt that went out), so an entry
/// is found by its distance from the front, and the entries are sorted by
/// deadline too; an answered entry leaves a hole that is dropped once it
/// reaches the front.
#[derive(Default)]
struct Waiting {
    entries: VecDeque<(u64, Option<InFlight>)>,
    len: usize,
}

impl Waiting {
    fn push(&mut self, token: u64, f: InFlight) {
        self.entries.push_back((token, Some(f)));
        self.len += 1;
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Removes the entry of `token`, if it is still waiting.
    fn take(&mut self, token: u64) -> Option<InFlight> {
        let front = self.entries.front()?.0;
        let i = usize::try_from(token.checked_sub(front)?).ok()?;
        let entry = self.entries.get_mut(i).filter(|e| e.0 == token)?;
        let taken = entry.1.take();
        if taken.is_some() {
            self.len -= 1;
        }
        self.drop_answered_front();
        taken
    }

    /// The earliest deadline still waiting.
    fn first_deadline(&self) -> Option<Instant> {
        self.entries
            .front()
            .and_then(|e| e.1.as_ref())
            .map(|f| f.deadline)
    }

    /// Removes and returns every waiting entry for which `pred` holds.
    fn take_where(&mut self, pred: impl Fn(&InFlight) -> bool) -> Vec<InFlight> {
        let mut taken = Vec::new();
        for (_, slot) in self.entries.iter_mut() {
            if slot.as_ref().is_some_and(&pred)
                && let Some(f) = slot.take()
            {
                taken.push(f);
            }
        }
        self.len -= taken.len();
        self.drop_answered_front();
        taken
    }

    fn drop_answered_front(&mut self) {
        while self.entries.front().is_some_and(|e| e.1.is_none()) {
            self.entries.pop_front();
        }
    }
}

/// Most answers, or jobs, taken in one turn of the send loop before it looks
/// at its other inputs again.
const TURN: usize = 256;

/// Sends queued jobs in order and collects their answers in the same task; a
/// job that needs a retry moves to a task of its own (the rare path).
///
/// The loop reads its own reply subscription (`<inbox>.<token>`), so an
/// answer goes from the connection straight to the loop that sent its
/// attempt: a message costs one queue entry — no per-message future, timer,
/// map entry or connection-state watch. The front entry has the earliest
/// deadline: one timer, re-armed only when it fires, covers every ack
/// timeout. A reconnect times out at once every attempt sent on an older
/// connection (its answer is unlikely to come; the retry resends with the
/// same msg id, which is safe). Waiters (`flush`, drain) are woken once per
/// turn, not once per message.
async fn send_loop(
    publisher: std::sync::Weak<PublisherInner>,
    mut jobs: mpsc::UnboundedReceiver<Job>,
) {
    let Some((client, options)) = publisher.upgrade().map(|p| (p.client.clone(), p.options)) else {
        return;
    };
    // Jobs a stream refused to batch, to send first (in queue order).
    let mut handed_back = VecDeque::new();
    if options.fast_ingest && client.require_server("fast ingest", V2_14).is_ok() {
        match fast_ingest::run(&publisher, &mut jobs, options.max_in_flight).await {
            fast_ingest::Ended::Done => return,
            fast_ingest::Ended::Refused(jobs) => handed_back = jobs,
        }
    }
    let (inbox, mut replies) = match ReplyInbox::subscribe(&client.nc).await {
        Ok(subscribed) => subscribed,
        Err(e) => {
            let Some(inner) = publisher.upgrade() else {
                return;
            };
            handed_back
                .into_iter()
                .for_each(|job| inner.finish(job, Err(e.clone())));
            return fail_every_job(&publisher, jobs, e).await;
        }
    };
    let mut next_token: u64 = 1;
    let mut state = client.state.clone();
    let mut state_open = true;
    let mut waiting = Waiting::default();
    let timer = tokio::time::sleep(Duration::from_secs(3600));
    tokio::pin!(timer);
    let mut armed = false;
    let mut open = true;
    while open || !waiting.is_empty() {
        if !armed && let Some(deadline) = waiting.first_deadline() {
            timer.as_mut().reset(deadline.into());
            armed = true;
        }
        tokio::select! {
            biased;
            Some(first) = replies.next() => {
                let Some(inner) = publisher.upgrade() else { return };
                let mut next = Some(first);
                let mut taken = 0;
                let mut freed = Freed::default();
                while let Some(reply) = next {
                    if let Some(f) = inbox.token(reply.subject.as_str()).and_then(|t| waiting.take(t)) {
                        inner.on_answer(f.job, f.sent, Attempt::Done(classify(&reply)), &mut freed);
                    }
                    taken += 1;
                    next = if taken < TURN { replies.next().now_or_never().flatten() } else { None };
                }
                inner.give_back(freed);
            }
            () = &mut timer, if armed => {
                armed = false;
                let now = Instant::now();
                time_out(&publisher, waiting.take_where(|f| f.deadline <= now));
            }
            changed = state.changed(), if state_open => {
                state_open = changed.is_ok();
                let (generation, closed) = {
                    let s = state.borrow();
                    (s.generation, s.closed || !state_open)
                };
                time_out(&publisher, waiting.take_where(|f| closed || f.generation != generation));
            }
            job = next_job(&mut handed_back, &mut jobs), if open => {
                let Some(job) = job else {
                    open = false;
                    continue;
                };
                let Some(inner) = publisher.upgrade() else { return };
                let generation = state.borrow().generation;
                // One clock read per turn: its sends go out within microseconds.
                let sent = Instant::now();
                let deadline = sent + client.attempt_timeout(sent, false);
                let mut next = Some(job);
                let mut taken = 0;
                let mut freed = Freed::default();
                while let Some(job) = next {
                    let token = next_token;
                    match client.send_with_reply(&job.prepared, inbox.reply(token)).await {
                        Ok(()) => {
                            next_token += 1;
                            waiting.push(token, InFlight { job, sent, deadline, generation });
                        }
                        Err(e) => inner.record(job, Err(e), &mut freed),
                    }
                    taken += 1;
                    next = if taken < TURN {
                        handed_back.pop_front().or_else(|| jobs.try_recv().ok())
                    } else {
                        None
                    };
                }
                inner.give_back(freed);
            }
        }
    }
}

/// The next job: one handed back by the fast-ingest loop, else the queue's.
async fn next_job(
    handed_back: &mut VecDeque<Job>,
    jobs: &mut mpsc::UnboundedReceiver<Job>,
) -> Option<Job> {
    match handed_back.pop_front() {
        Some(job) => Some(job),
        None => jobs.recv().await,
    }
}

/// The send loop could not subscribe for its answers (the client is
/// closed): every job queued until the publisher goes fails with that error.
async fn fail_every_job(
    publisher: &std::sync::Weak<PublisherInner>,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    error: Error,
) {
    while let Some(job) = jobs.recv().await {
        let Some(inner) = publisher.upgrade() else {
            return;
        };
        inner.finish(job, Err(error.clone()));
    }
}

/// Gives up waiting for the answers of `attempts`: each is treated as an
/// ack timeout (retried or settled by the usual rules).
fn time_out(publisher: &std::sync::Weak<PublisherInner>, attempts: Vec<InFlight>) {
    if attempts.is_empty() {
        return;
    }
    let Some(inner) = publisher.upgrade() else {
        return;
    };
    let mut freed = Freed::default();
    for f in attempts {
        inner.on_answer(f.job, f.sent, Attempt::TimedOut, &mut freed);
    }
    inner.give_back(freed);
}

impl PublisherInner {
    /// Settles an answered job (its window space goes to `freed`), or hands
    /// it to a retry task. The caller gives `freed` back after its turn.
    fn on_answer(self: &Arc<Self>, job: Job, sent: Instant, outcome: Attempt, freed: &mut Freed) {
        match self.client.final_result(&job.prepared, outcome) {
            Ok(result) => self.record(job, result, freed),
            Err(retry) => {
                let inner = self.clone();
                tokio::spawn(async move {
                    let result = inner
                        .client
                        .publish_prepared(&job.prepared, Some(retry), sent)
                        .await;
                    inner.finish(job, result);
                });
            }
        }
    }

    /// Settles one job on its own: records it and gives its space back.
    fn finish(&self, job: Job, result: Result<PubAck>) {
        let mut freed = Freed::default();
        self.record(job, result, &mut freed);
        self.give_back(freed);
    }

    /// Records a job's final result (out of the book, into the report), adds
    /// its window space to `freed` and tells its own waiter (if any).
    fn record(&self, job: Job, result: Result<PubAck>, freed: &mut Freed) {
        {
            let mut book = self.book();
            book.in_flight -= 1;
            book.in_flight_bytes -= job.prepared.size;
            match &result {
                Ok(ack) => {
                    book.report.acked += 1;
                    if ack.duplicate {
                        book.report.duplicates += 1;
                    }
                }
                Err(e) => book.report.failures.push(PublishFailure {
                    ticket: job.ticket,
                    msg_id: job.prepared.msg_id.clone(),
                    subject: job.prepared.subject.to_string(),
                    error: e.clone(),
                }),
            }
        }
        freed.count += 1;
        freed.bytes += job.byte_permits as usize;
        if let Some(done) = job.done {
            let _ = done.send(result);
        }
    }

    /// Returns settled jobs' window space to the semaphores and wakes
    /// `flush` and a draining client.
    fn give_back(&self, freed: Freed) {
        if freed.count == 0 {
            return;
        }
        self.count.add_permits(freed.count);
        self.bytes.add_permits(freed.bytes);
        self.settled.notify_waiters();
        self.client.drain.notify();
    }
}

/// Runs `fut`, or fails with `TIMEOUT` once `wait` has passed while the window
/// stayed full.
async fn within<T>(wait: Option<Duration>, fut: impl Future<Output = Result<T>>) -> Result<T> {
    let Some(wait) = wait else {
        return fut.await;
    };
    tokio::time::timeout(wait, fut).await.unwrap_or_else(|_| {
        Err(Error::new(
            crate::ErrorKind::Timeout,
            format!(
                "the publisher's window stayed full for {} ms; nothing was queued",
                wait.as_millis()
            ),
        ))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn in_flight(ticket: u64, deadline: Instant) -> InFlight {
        let prepared = crate::publish::prepare(PublishMessage::new("a.b", "x"), 1024).unwrap();
        InFlight {
            job: Job {
                prepared,
                ticket,
                byte_permits: 1,
                done: None,
            },
            sent: deadline,
            deadline,
            generation: 0,
        }
    }

    #[test]
    fn waiting_finds_consecutive_tokens_and_drops_answered_fronts() {
        let now = Instant::now();
        let mut w = Waiting::default();
        for token in 7..=11 {
            w.push(token, in_flight(token, now + Duration::from_secs(token)));
        }
        assert_eq!(w.take(9).map(|f| f.job.ticket), Some(9));
        assert!(w.take(9).is_none(), "an answered token is gone");
        assert!(
            w.take(6).is_none() && w.take(12).is_none(),
            "unknown tokens"
        );
        assert_eq!(w.take(7).map(|f| f.job.ticket), Some(7));
        assert_eq!(
            w.entries.front().map(|e| e.0),
            Some(8),
            "answered fronts dropped"
        );
        assert_eq!(w.first_deadline(), Some(now + Duration::from_secs(8)));
        let expired = w.take_where(|f| f.deadline <= now + Duration::from_secs(10));
        assert_eq!(
            expired.iter().map(|f| f.job.ticket).collect::<Vec<_>>(),
            vec![8, 10]
        );
        assert_eq!(w.take(11).map(|f| f.job.ticket), Some(11));
        assert!(w.is_empty() && w.entries.is_empty());
    }
}
