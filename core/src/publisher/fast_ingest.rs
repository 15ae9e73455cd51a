//! Fast-ingest publishing (nats-server 2.14+, a stream made with
//! `allow_batched`): the publisher's messages go out in batches the server
//! stores as they arrive and acknowledges every `flow` messages, instead of
//! one ack per message.
//!
//! The wire contract (measured against nats-server 2.14 and 2.15): a message
//! carries no batch header; its reply subject says it all,
//! `<inbox>.<batch id>.<flow>.fail.<batch seq>.<op>.$FI` (op 0 starts the
//! batch, 1 adds, 3 ends it with an empty message that is not stored). The
//! answers arrive on the same reply subjects:
//!
//! | frame | meaning |
//! |---|---|
//! | `{"type":"ack","seq":N,"msgs":M}` | stored through batch seq `N`; ack every `M` from now |
//! | `{"type":"err","seq":N,"error":{…}}` | message `N` was refused; the server ends the batch |
//! | `{"type":"gap",…}` | a message never arrived; the server ends the batch |
//! | `{"stream":S,"seq":Q,"batch":B,"count":C}` | the batch ended: messages 1..=C stored, the last at stream seq `Q` |
//! | `{"error":{…},"seq":0}` | the message (or the end) was refused: unknown batch (10208), batching disabled (10205) |
//!
//! The guarantees are the publisher's usual ones, by these rules:
//! - A message is settled as stored only when an ack or the batch's end
//!   covers its batch sequence (`fail` mode: the server ends a batch at its
//!   first hole, so nothing after a hole is ever acked).
//! - Messages after a batch's premature end (a refused message, a hole) were
//!   refused by the server: they go again, in order, in a new batch. A new
//!   batch starts only once the previous one's end is answered, so they
//!   still go before every later message.
//! - Everything else whose fate is unsure — a batch refused, ended short,
//!   silent past the ack timeout, or sent on a connection that has since been
//!   replaced — goes through the single-publish retry path with its msg id.
//!   The server's duplicate window drops a copy that was stored already (it
//!   does so inside fast batches too), so nothing is lost or stored twice,
//!   and `PUBLISH_OUTCOME_UNKNOWN` is reported only when the retry budget
//!   runs out without an answer.
//! - A stream without `allow_batched` refuses the first batch (10205): the
//!   publisher goes on in the regular mode, the refused messages first, in
//!   queue order ([`Ended::Refused`]).
//! - A batch lives in one stream. A message whose subject belongs to another
//!   stream is refused as an unknown batch and retried on its own, and the
//!   batch ends at the hole it leaves; a publisher to several streams stays
//!   correct but gains nothing.
//!
//! What fast ingest does not give: a message's ack names no stream and no
//! sequence (sequence 0) unless it was the last of its batch, and a copy
//! dropped by the duplicate window is not counted as a duplicate (the server
//! does not say). A batch is ended after [`LINGER`] without a new message,
//! because only its end acknowledges the messages after the last `flow`
//! boundary: an idle publisher's last messages settle about that much later.

use std::collections::VecDeque;
use std::sync::Weak;
use std::time::{Duration, Instant};

use async_nats::Subject;
use futures::{FutureExt, StreamExt};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::{Freed, Job, PublisherInner, TURN, next_job};
use crate::ack_router::{AckReply, classify_body};
use crate::api::ApiError;
use crate::client::ClientInner;
use crate::publish::{Attempt, Prepared};

/// Acks the publisher lets be outstanding: it stops sending into a batch
/// when `flow × OUTSTANDING_ACKS` of its messages are unacked.
const OUTSTANDING_ACKS: u64 = 4;
/// The largest ack cadence the server grants.
const MAX_FLOW: u64 = 500;
/// A batch with no new message for this long is ended, which settles its
/// unacked tail.
const LINGER: Duration = Duration::from_millis(1);
/// Server error: the stream does not allow batched publishing.
const BATCHING_DISABLED: u32 = 10205;
/// Reply-subject operations: start a batch, add to it, end it.
const START: u8 = 0;
const ADD: u8 = 1;
const END: u8 = 3;

/// How the fast-ingest loop ended.
pub(super) enum Ended {
    /// The publisher is gone, or its queue closed and everything settled.
    Done,
    /// The stream refused batching: go on with regular publishing, these
    /// refused (so never stored) jobs first, in queue order.
    Refused(VecDeque<Job>),
}

/// One message on the wire in a batch.
struct Sent {
    seq: u64,
    job: Job,
    sent: Instant,
    deadline: Instant,
}

/// One batch this publisher started, until its end is answered.
struct Batch {
    id: String,
    /// The subject the end-of-batch message goes to (the first message's).
    subject: Subject,
    /// The next batch sequence to give (the first message is 1).
    next_seq: u64,
    /// Sent and not settled, by batch sequence.
    waiting: VecDeque<Sent>,
    /// Still taking messages (not ended by us or by the server).
    open: bool,
    /// The ack cadence the server asks for now.
    flow: u64,
    /// The connection generation it was started on.
    generation: u64,
}

impl Batch {
    fn may_send(&self) -> bool {
        (self.waiting.len() as u64) < self.flow * OUTSTANDING_ACKS
    }

    /// Takes the waiting message of batch sequence `seq` out, if any.
    fn take(&mut self, seq: u64) -> Option<Sent> {
        let k = self.waiting.iter().position(|s| s.seq == seq)?;
        self.waiting.remove(k)
    }
}

/// An answer on the batch inbox (the fields of every frame shape).
#[derive(Deserialize)]
struct Frame {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    seq: u64,
    #[serde(default)]
    msgs: Option<u64>,
    #[serde(default)]
    stream: Option<String>,
    #[serde(default)]
    count: Option<u64>,
    #[serde(default)]
    error: Option<ApiError>,
}

/// The loop's state: the batches on the wire and where replies go.
struct Batches {
    client: std::sync::Arc<ClientInner>,
    /// `<inbox>.`; batch ids are `<inbox token><n>` (unique per server, as
    /// the server keys batches by id).
    prefix: String,
    id_base: String,
    next_id: u64,
    flow: u64,
    batches: Vec<Batch>,
    /// Jobs a batch's end showed were not stored, to send before the queue's.
    requeue: VecDeque<Job>,
}

/// Publishes queued jobs in fast-ingest batches until the queue closes or the
/// stream refuses batching. See the module documentation for the rules.
pub(super) async fn run(
    publisher: &Weak<PublisherInner>,
    jobs: &mut mpsc::UnboundedReceiver<Job>,
    max_in_flight: usize,
) -> Ended {
    let Some(client) = publisher.upgrade().map(|p| p.client.clone()) else {
        return Ended::Done;
    };
    let inbox = client.nc.new_inbox();
    let mut replies = match client.nc.subscribe(format!("{inbox}.>")).await {
        Ok(s) => s,
        // Closed client: the regular loop fails every job the same way.
        Err(_) => return Ended::Refused(VecDeque::new()),
    };
    let id_base = inbox.rsplit('.').next().unwrap_or("jb").to_string();
    let mut b = Batches {
        client: client.clone(),
        prefix: format!("{inbox}."),
        id_base,
        next_id: 1,
        flow: (max_in_flight as u64 / OUTSTANDING_ACKS).clamp(1, MAX_FLOW),
        batches: Vec::new(),
        requeue: VecDeque::new(),
    };
    let mut state = client.state.clone();
    let mut state_open = true;
    let deadline = tokio::time::sleep(Duration::from_secs(3600));
    let linger = tokio::time::sleep(Duration::from_secs(3600));
    tokio::pin!(deadline, linger);
    let mut deadline_armed = false;
    let mut linger_armed = false;
    let mut open = true;
    let ended = loop {
        // An ended batch with nothing left to settle needs no answer.
        b.batches
            .retain(|batch| batch.open || !batch.waiting.is_empty());
        if !open && b.batches.is_empty() && b.requeue.is_empty() {
            break Ended::Done;
        }
        if !deadline_armed && let Some(d) = b.first_deadline() {
            deadline.as_mut().reset(d.into());
            deadline_armed = true;
        }
        let may_send = b.may_send();
        tokio::select! {
            biased;
            Some(first) = replies.next() => {
                let Some(inner) = publisher.upgrade() else { return Ended::Done };
                let mut freed = Freed::default();
                let mut refused = false;
                let mut next = Some(first);
                let mut taken = 0;
                while let Some(reply) = next {
                    refused |= b.on_frame(&inner, reply.subject.as_str(), &reply.payload, &mut freed).await;
                    taken += 1;
                    next = if taken < TURN { replies.next().now_or_never().flatten() } else { None };
                }
                inner.give_back(freed);
                deadline_armed = false;
                if refused {
                    break Ended::Refused(b.hand_back());
                }
            }
            job = next_job(&mut b.requeue, jobs), if (open || !b.requeue.is_empty()) && may_send => {
                let Some(job) = job else {
                    open = false;
                    b.end_open_batch().await;
                    continue;
                };
                let Some(inner) = publisher.upgrade() else { return Ended::Done };
                let generation = state.borrow().generation;
                let sent = Instant::now();
                let deadline_at = sent + client.attempt_timeout(sent, false);
                let mut next = Some(job);
                let mut taken = 0;
                while let Some(job) = next {
                    b.send(&inner, job, sent, deadline_at, generation).await;
                    taken += 1;
                    next = if taken < TURN && b.may_send() {
                        b.requeue.pop_front().or_else(|| jobs.try_recv().ok())
                    } else {
                        None
                    };
                }
                // The batch ends once no message came for LINGER.
                linger_armed = jobs.is_empty() && b.requeue.is_empty();
                if linger_armed {
                    linger.as_mut().reset((Instant::now() + LINGER).into());
                }
            }
            () = &mut linger, if linger_armed => {
                linger_armed = false;
                b.end_open_batch().await;
            }
            () = &mut deadline, if deadline_armed => {
                deadline_armed = false;
                if let Some(inner) = publisher.upgrade() {
                    b.retry_expired(&inner, Instant::now());
                }
            }
            changed = state.changed(), if state_open => {
                state_open = changed.is_ok();
                let (generation, closed) = {
                    let s = state.borrow();
                    (s.generation, s.closed || !state_open)
                };
                if let Some(inner) = publisher.upgrade() {
                    b.retry_where(&inner, |batch| closed || batch.generation != generation);
                }
                deadline_armed = false;
            }
        }
    };
    let _ = replies.unsubscribe().await;
    ended
}

impl Batches {
    fn open_batch(&self) -> Option<&Batch> {
        self.batches.last().filter(|b| b.open)
    }

    /// A message may go into the open batch while its flow allows; a new
    /// batch starts only once every earlier one is answered, so that the
    /// messages an early end sends again still go before later ones.
    fn may_send(&self) -> bool {
        match self.open_batch() {
            Some(batch) => batch.may_send(),
            None => self.batches.is_empty(),
        }
    }

    fn first_deadline(&self) -> Option<Instant> {
        self.batches
            .iter()
            .filter_map(|b| b.waiting.front().map(|s| s.deadline))
            .min()
    }

    fn reply(&self, id: &str, seq: u64, op: u8) -> String {
        reply_subject(&self.prefix, id, seq, op, self.flow)
    }

    /// Sends `job` into the open batch, starting one when there is none.
    async fn send(
        &mut self,
        inner: &PublisherInner,
        job: Job,
        sent: Instant,
        deadline: Instant,
        generation: u64,
    ) {
        if self.open_batch().is_none() {
            let id = format!("{}{}", self.id_base, self.next_id);
            self.next_id += 1;
            self.batches.push(Batch {
                id,
                subject: job.prepared.subject.clone(),
                next_seq: 1,
                waiting: VecDeque::new(),
                open: true,
                flow: self.flow,
                generation,
            });
        }
        let Some(batch) = self.batches.last() else {
            return;
        };
        let seq = batch.next_seq;
        let op = if seq == 1 { START } else { ADD };
        let reply = self.reply(&batch.id, seq, op);
        match self.client.send_with_reply(&job.prepared, reply).await {
            Ok(()) => {
                if let Some(batch) = self.batches.last_mut() {
                    batch.next_seq += 1;
                    batch.waiting.push_back(Sent {
                        seq,
                        job,
                        sent,
                        deadline,
                    });
                }
            }
            Err(e) => inner.finish(job, Err(e)),
        }
    }

    /// Ends the open batch (if it holds anything): its end's answer settles
    /// what the flow acks did not.
    async fn end_open_batch(&mut self) {
        if self.open_batch().is_some() {
            self.end_batch_at(self.batches.len() - 1).await;
        }
    }

    /// Handles one answer. True when the stream refuses batching.
    async fn on_frame(
        &mut self,
        inner: &std::sync::Arc<PublisherInner>,
        subject: &str,
        body: &[u8],
        freed: &mut Freed,
    ) -> bool {
        let Some((id, seq, op)) = parse_reply(&self.prefix, subject) else {
            return false;
        };
        let Some(i) = self.batches.iter().position(|b| b.id == id) else {
            return false;
        };
        let Ok(frame) = serde_json::from_slice::<Frame>(body) else {
            // Not a fast-ingest answer at all: trust nothing of this batch.
            let batch = self.batches.remove(i);
            retry(inner, batch.waiting);
            return false;
        };
        match (frame.kind.as_deref(), &frame.error) {
            (Some("ack"), _) => {
                let batch = &mut self.batches[i];
                if let Some(m) = frame.msgs {
                    batch.flow = m.clamp(1, MAX_FLOW);
                }
                settle_through(inner, batch, frame.seq, None, freed);
            }
            (Some("err"), _) => {
                let batch = &mut self.batches[i];
                batch.open = false;
                if let Some(s) = batch.take(frame.seq) {
                    inner.on_answer(s.job, s.sent, Attempt::Done(classify_body(body)), freed);
                }
            }
            (Some(_), _) => self.batches[i].open = false,
            (None, Some(e)) if e.err_code == BATCHING_DISABLED => return true,
            (None, Some(_)) if op == END => {
                // The end was refused: the server forgot the batch.
                let batch = self.batches.remove(i);
                retry(inner, batch.waiting);
            }
            (None, Some(_)) => {
                // This message was refused as not part of a batch the stream
                // knows: another stream's subject, or an expired batch. It
                // goes on its own; the batch ends at the hole it leaves.
                if let Some(s) = self.batches[i].take(seq) {
                    retry(inner, [s]);
                }
                if self.batches[i].open {
                    self.end_batch_at(i).await;
                }
            }
            // A plain publish ack: the server does not do fast ingest.
            (None, None) if frame.count.is_none() => return true,
            (None, None) => {
                // The batch's end: 1..=count are stored, and the server
                // refuses the rest, so they go again in a new batch.
                let mut batch = self.batches.remove(i);
                let last = frame.stream.map(|s| (s, frame.seq));
                settle_through(inner, &mut batch, frame.count.unwrap_or(0), last, freed);
                self.requeue
                    .extend(batch.waiting.into_iter().map(|s| s.job));
            }
        }
        false
    }

    /// Ends batch `i` with the end-of-batch message. A failed send leaves
    /// the batch to its deadline or the reconnect.
    async fn end_batch_at(&mut self, i: usize) {
        self.batches[i].open = false;
        let batch = &self.batches[i];
        let end = Prepared::end_of_batch(batch.subject.clone());
        let reply = self.reply(&batch.id, batch.next_seq, END);
        let _ = self.client.send_with_reply(&end, reply).await;
    }

    /// Every batch whose oldest message is past its deadline is given up:
    /// its messages go to the retry path.
    fn retry_expired(&mut self, inner: &std::sync::Arc<PublisherInner>, now: Instant) {
        self.retry_where(inner, |b| {
            b.waiting.front().is_some_and(|s| s.deadline <= now)
        });
    }

    fn retry_where(
        &mut self,
        inner: &std::sync::Arc<PublisherInner>,
        pred: impl Fn(&Batch) -> bool,
    ) {
        let (gone, kept): (Vec<Batch>, Vec<Batch>) = std::mem::take(&mut self.batches)
            .into_iter()
            .partition(|b| pred(b));
        self.batches = kept;
        for batch in gone {
            retry(inner, batch.waiting);
        }
    }

    /// Every job not settled yet, in queue order: the batches' (started in
    /// order, each holding its jobs in order), then those waiting to go
    /// again (a batch takes from them before the queue, so they come after
    /// whatever the batches hold).
    fn hand_back(&mut self) -> VecDeque<Job> {
        let mut jobs: VecDeque<Job> = std::mem::take(&mut self.batches)
            .into_iter()
            .flat_map(|b| b.waiting.into_iter().map(|s| s.job))
            .collect();
        jobs.append(&mut self.requeue);
        jobs
    }
}

/// The reply subject of message `seq` of batch `id` (`prefix` ends in `.`):
/// `<prefix><id>.<flow>.fail.<seq>.<op>.$FI`.
fn reply_subject(prefix: &str, id: &str, seq: u64, op: u8, flow: u64) -> String {
    format!("{prefix}{id}.{flow}.fail.{seq}.{op}.$FI")
}

/// `(batch id, batch seq, op)` of a [`reply_subject`] under `prefix`.
fn parse_reply<'s>(prefix: &str, subject: &'s str) -> Option<(&'s str, u64, u8)> {
    let mut parts = subject.strip_prefix(prefix)?.split('.');
    let id = parts.next()?;
    let _flow = parts.next()?;
    let _gap = parts.next()?;
    let seq = parts.next()?.parse().ok()?;
    let op = parts.next()?.parse().ok()?;
    Some((id, seq, op))
}

/// Settles every waiting message of `batch` up to batch seq `through` as
/// stored; the one at `through` gets the stream and sequence of `last`.
fn settle_through(
    inner: &PublisherInner,
    batch: &mut Batch,
    through: u64,
    last: Option<(String, u64)>,
    freed: &mut Freed,
) {
    while batch.waiting.front().is_some_and(|s| s.seq <= through) {
        let Some(s) = batch.waiting.pop_front() else {
            break;
        };
        let (stream, sequence) = match &last {
            Some((stream, seq)) if s.seq == through => (stream.clone(), *seq),
            _ => (String::new(), 0),
        };
        let stored = AckReply::Stored {
            stream,
            sequence,
            duplicate: false,
            domain: None,
        };
        if let Ok(result) = inner
            .client
            .final_result(&s.job.prepared, Attempt::Done(stored))
        {
            inner.record(s.job, result, freed);
        }
    }
}

/// Sends messages whose fate is unsure through the single-publish retry
/// path (same msg id: the duplicate window drops a stored copy).
fn retry(inner: &std::sync::Arc<PublisherInner>, sent: impl IntoIterator<Item = Sent>) {
    let mut freed = Freed::default();
    for s in sent {
        inner.on_answer(s.job, s.sent, Attempt::TimedOut, &mut freed);
    }
    inner.give_back(freed);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_subject_gives_back_its_batch_sequence_and_operation() {
        let subject = reply_subject("_INBOX.abc.", "abc7", 42, ADD, 256);
        assert_eq!(subject, "_INBOX.abc.abc7.256.fail.42.1.$FI");
        assert_eq!(
            parse_reply("_INBOX.abc.", &subject),
            Some(("abc7", 42, ADD))
        );
        assert_eq!(parse_reply("_INBOX.other.", &subject), None);
        assert_eq!(parse_reply("_INBOX.abc.", "_INBOX.abc.abc7.256"), None);
    }

    #[test]
    fn the_frames_the_server_sends_are_read() {
        let ack: Frame = serde_json::from_str(r#"{"type":"ack","seq":256,"msgs":128}"#).unwrap();
        assert_eq!(
            (ack.kind.as_deref(), ack.seq, ack.msgs),
            (Some("ack"), 256, Some(128))
        );
        let end: Frame =
            serde_json::from_str(r#"{"stream":"FI","seq":8,"batch":"b3","count":1}"#).unwrap();
        assert_eq!(
            (end.kind, end.stream.as_deref(), end.count),
            (None, Some("FI"), Some(1))
        );
        let refused: Frame = serde_json::from_str(
            r#"{"error":{"code":400,"err_code":10205,"description":"batch publish is disabled"},"stream":"NB","seq":0}"#,
        )
        .unwrap();
        assert_eq!(refused.error.map(|e| e.err_code), Some(BATCHING_DISABLED));
        let err: Frame = serde_json::from_str(
            r#"{"type":"err","seq":2,"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 8"}}"#,
        )
        .unwrap();
        assert_eq!((err.kind.as_deref(), err.seq), (Some("err"), 2));
    }
}
