//! Publishing with a guaranteed message id, expectations, and safe retries.
//!
//! A publish has three outcomes: acked ([`PubAck`]), rejected (a typed error),
//! or unknown (`PUBLISH_OUTCOME_UNKNOWN`). Every message carries a
//! `Nats-Msg-Id` — the caller's, or a generated one — so that the retry loop can
//! resend after no responders (503), 409 "in process" and ack timeouts without
//! storing the message twice. It stops when the retry budget is spent, and
//! never resends once the stream's duplicate window could have passed since
//! the first attempt whose fate is unknown.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::{HeaderMap, Subject};
use bytes::Bytes;

use crate::ack_router::{AckReply, AckRouter};
use crate::client::{Client, ClientInner};
use crate::counters::bump;
use crate::error::{Error, ErrorKind, Result};
use crate::window_cache::DEFAULT_DUPLICATE_WINDOW;
use crate::{runtime, validate};

/// Header carrying the message id.
pub const MSG_ID_HEADER: &str = "Nats-Msg-Id";

/// Conditions the server checks before storing a message. A mismatch is
/// `WRONG_LAST_SEQUENCE` (or `STREAM_MISMATCH` for `stream`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    /// The subject must belong to this stream.
    pub stream: Option<String>,
    /// The stream's last sequence must be this.
    pub last_sequence: Option<u64>,
    /// The stream's last message id must be this.
    pub last_msg_id: Option<String>,
    /// The last sequence on this subject must be this (0: no message yet).
    pub last_subject_sequence: Option<u64>,
}

/// A message to publish.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishMessage {
    /// Subject (no wildcards).
    pub subject: String,
    /// Payload; may be empty only when `headers` is not (a header-only
    /// message: a CloudEvents binary-mode event, a tombstone).
    pub payload: Bytes,
    /// Extra headers, in order. `Nats-Msg-Id` here counts as the msg id.
    pub headers: Vec<(String, String)>,
    /// Message id for deduplication; generated when `None`.
    pub msg_id: Option<String>,
    /// Server-side expectations.
    pub expect: Expectations,
    /// How long the stream keeps this message (`Nats-TTL`): whole seconds,
    /// at least 1 s; the stream must allow it (`allow_msg_ttl`, server
    /// 2.11+). Unset: the stream's own limits.
    pub ttl: Option<Duration>,
}

impl PublishMessage {
    /// A message with a subject and payload and nothing else.
    pub fn new(subject: impl Into<String>, payload: impl Into<Bytes>) -> PublishMessage {
        PublishMessage {
            subject: subject.into(),
            payload: payload.into(),
            ..PublishMessage::default()
        }
    }

    /// Sets the message id.
    pub fn with_msg_id(mut self, id: impl Into<String>) -> PublishMessage {
        self.msg_id = Some(id.into());
        self
    }
}

/// The server's acknowledgement of a stored message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PubAck {
    /// The stream that stored it.
    pub stream: String,
    /// Its stream sequence (for a duplicate: the original's).
    pub sequence: u64,
    /// True when the id was seen before and nothing new was stored.
    pub duplicate: bool,
    /// The message id that was sent (the caller's or the generated one).
    pub msg_id: String,
    /// The JetStream domain, if any.
    pub domain: Option<String>,
}

/// A validated message ready for the wire.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) subject: Subject,
    pub(crate) headers: HeaderMap,
    pub(crate) payload: Bytes,
    pub(crate) msg_id: String,
    /// Bytes on the wire (headers + payload), for windows and limits.
    pub(crate) size: usize,
    /// The message carries a `Nats-TTL` (server 2.11+).
    pub(crate) has_ttl: bool,
}

impl Prepared {
    /// The empty message that ends a fast-ingest batch (not stored).
    pub(crate) fn end_of_batch(subject: Subject) -> Prepared {
        Prepared {
            subject,
            headers: HeaderMap::new(),
            payload: Bytes::new(),
            msg_id: String::new(),
            size: 0,
            has_ttl: false,
        }
    }
}

/// A fresh message id, as a publish without one gets: `jb-` and a NUID.
/// A binding that must name the id before the outcome is known (a publish
/// its caller may cancel) takes one here and sets it as the message's.
pub fn new_msg_id() -> String {
    let nuid = nuid::next();
    let mut id = String::with_capacity(3 + nuid.len());
    id.push_str("jb-");
    id.push_str(&nuid);
    id
}

/// The header that gives one message its own time to live.
pub const TTL_HEADER: &str = "Nats-TTL";

/// `ttl` as the `Nats-TTL` value (`"90s"`): the server counts whole
/// seconds, so anything else is `INVALID_ARGUMENT` rather than rounded.
fn ttl_header(ttl: Duration) -> Result<String> {
    if ttl < Duration::from_secs(1) || ttl.subsec_nanos() != 0 {
        return Err(Error::invalid("ttl", "must be whole seconds, at least 1 s"));
    }
    Ok(format!("{}s", ttl.as_secs()))
}

/// Validates `msg` and builds its headers. Every check happens here, before
/// anything is sent: `INVALID_ARGUMENT` names the bad field.
pub(crate) fn prepare(msg: PublishMessage, max_payload: usize) -> Result<Prepared> {
    prepare_with(msg, max_payload, true)
}

/// [`prepare`], generating a message id only when `generate_id` (an atomic
/// batch sends only the caller's: `msg_id` is then empty when none was given).
pub(crate) fn prepare_with(
    mut msg: PublishMessage,
    max_payload: usize,
    generate_id: bool,
) -> Result<Prepared> {
    let payload = std::mem::take(&mut msg.payload);
    let msg_id = msg.msg_id.take();
    prepare_parts(&msg, payload, msg_id, max_payload, generate_id)
}

/// [`prepare`] of a message the caller keeps (`try_publish` hands it back
/// when the window is full): only its payload handle and msg id are copied.
pub(crate) fn prepare_kept(msg: &PublishMessage, max_payload: usize) -> Result<Prepared> {
    prepare_parts(
        msg,
        msg.payload.clone(),
        msg.msg_id.clone(),
        max_payload,
        true,
    )
}

/// [`prepare_with`] of `msg` with its payload and msg id given apart (taken
/// out of it, or copied from it).
fn prepare_parts(
    msg: &PublishMessage,
    payload: Bytes,
    msg_id: Option<String>,
    max_payload: usize,
    generate_id: bool,
) -> Result<Prepared> {
    #[cfg(feature = "otel")]
    let traced = {
        let mut headers = msg.headers.clone();
        crate::otel::inject_current(&mut headers);
        headers
    };
    #[cfg(feature = "otel")]
    let given: &[(String, String)] = &traced;
    #[cfg(not(feature = "otel"))]
    let given: &[(String, String)] = &msg.headers;
    let subject = validate::publish_subject("subject", &msg.subject)?;
    let mut headers = validate::headers(given)?;
    let header_id = given
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(MSG_ID_HEADER))
        .map(|(_, v)| v.clone());
    let msg_id = match (msg_id, header_id) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::invalid(
                "msg_id",
                "differs from the Nats-Msg-Id header",
            ));
        }
        (Some(id), _) | (None, Some(id)) => id,
        (None, None) if !generate_id => String::new(),
        (None, None) => new_msg_id(),
    };
    if !msg_id.is_empty() || generate_id {
        validate::msg_id(&msg_id)?;
        headers.insert(
            MSG_ID_HEADER,
            validate::header_value(MSG_ID_HEADER, &msg_id)?,
        );
    }
    let e = &msg.expect;
    if let Some(stream) = &e.stream {
        validate::token("expected stream", stream)?;
        headers.insert(
            "Nats-Expected-Stream",
            validate::header_value("expected stream", stream)?,
        );
    }
    if let Some(seq) = e.last_sequence {
        headers.insert(
            "Nats-Expected-Last-Sequence",
            validate::header_value("x", &seq.to_string())?,
        );
    }
    if let Some(id) = &e.last_msg_id {
        validate::msg_id(id)
            .map_err(|_| Error::invalid("expected last msg id", "must be a valid msg id"))?;
        headers.insert(
            "Nats-Expected-Last-Msg-Id",
            validate::header_value("expected last msg id", id)?,
        );
    }
    if let Some(seq) = e.last_subject_sequence {
        headers.insert(
            "Nats-Expected-Last-Subject-Sequence",
            validate::header_value("x", &seq.to_string())?,
        );
    }
    if let Some(ttl) = msg.ttl {
        if given
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(TTL_HEADER))
        {
            return Err(Error::invalid("ttl", "also given as a Nats-TTL header"));
        }
        headers.insert(
            TTL_HEADER,
            validate::header_value("ttl", &ttl_header(ttl)?)?,
        );
    }
    let has_ttl = headers.get(TTL_HEADER).is_some();
    if payload.is_empty() && given.is_empty() {
        return Err(Error::invalid(
            "payload",
            "must not be empty when the message has no headers",
        ));
    }
    let size = headers_wire_len(&headers) + payload.len();
    if size > max_payload {
        return Err(Error::invalid(
            "payload",
            format!(
                "{size} bytes (with headers) exceeds the server's max_payload of {max_payload} bytes"
            ),
        ));
    }
    Ok(Prepared {
        subject,
        headers,
        payload,
        msg_id,
        size,
        has_ttl,
    })
}

impl ClientInner {
    /// [`prepare`] against the connected server: its `max_payload`, and
    /// `SERVER_TOO_OLD` for a TTL on a server older than 2.11.
    pub(crate) fn prepare(&self, msg: PublishMessage) -> Result<Prepared> {
        self.require_ttl_support(prepare(msg, self.nc.max_payload())?)
    }

    /// [`ClientInner::prepare`] of a message the caller keeps.
    pub(crate) fn prepare_kept(&self, msg: &PublishMessage) -> Result<Prepared> {
        self.require_ttl_support(prepare_kept(msg, self.nc.max_payload())?)
    }

    fn require_ttl_support(&self, p: Prepared) -> Result<Prepared> {
        if p.has_ttl {
            self.require_server("per-message TTL", crate::server_version::V2_11)?;
        }
        Ok(p)
    }
}

fn headers_wire_len(h: &HeaderMap) -> usize {
    // "NATS/1.0\r\n" + "Name: value\r\n"… + "\r\n"
    let mut n = 12;
    for (name, values) in h.iter() {
        let name: &str = name.as_ref();
        for v in values {
            n += name.len() + 2 + v.as_str().len() + 2;
        }
    }
    n
}

/// What one attempt ended with, from the retry loop's point of view.
pub(crate) enum Attempt {
    Done(AckReply),
    /// No answer within the ack timeout: the message may have been stored.
    TimedOut,
}

impl ClientInner {
    /// The shared ack subscription, created on first use.
    pub(crate) async fn ack_router(&self) -> Result<&AckRouter> {
        self.ack_router
            .get_or_try_init(|| AckRouter::start(&self.nc))
            .await
    }

    /// Sends one attempt and returns the receiver of its answer.
    pub(crate) async fn send_attempt(
        &self,
        p: &Prepared,
    ) -> Result<(u64, tokio::sync::oneshot::Receiver<AckReply>)> {
        self.check_open()?;
        let router = self.ack_router().await?;
        let (token, reply, rx) = router.register();
        if let Err(e) = self.send_with_reply(p, reply).await {
            router.forget(token);
            return Err(e);
        }
        Ok((token, rx))
    }

    /// Sends one attempt of `p` whose answer goes to `reply`.
    pub(crate) async fn send_with_reply(&self, p: &Prepared, reply: String) -> Result<()> {
        self.check_open()?;
        self.nc
            .publish_with_reply_and_headers(
                p.subject.clone(),
                Subject::from(reply),
                p.headers.clone(),
                p.payload.clone(),
            )
            .await
            .map_err(|e| crate::error_map::publish_error(&e))
    }

    /// Waits for the answer to an attempt, up to `timeout`.
    /// A reconnect also ends the wait: an answer to an attempt sent on the
    /// old connection is unlikely to come, so the retry goes out at once
    /// (same msg id, so it is safe if the first attempt was stored).
    pub(crate) async fn await_attempt(
        &self,
        token: u64,
        rx: tokio::sync::oneshot::Receiver<AckReply>,
        timeout: Duration,
    ) -> Attempt {
        let mut state = self.state.clone();
        let generation = state.borrow().generation;
        let reconnected = state.wait_for(|s| s.generation != generation || s.closed);
        tokio::select! {
            biased;
            reply = rx => {
                if let Ok(reply) = reply {
                    return Attempt::Done(reply);
                }
            }
            _ = tokio::time::sleep(timeout) => {}
            _ = reconnected => {}
        }
        if let Ok(router) = self.ack_router().await {
            router.forget(token);
        }
        Attempt::TimedOut
    }

    /// The final result of an answered attempt (acked or rejected, with the
    /// counters bumped), or the attempt back when it must be retried.
    pub(crate) fn final_result(
        &self,
        p: &Prepared,
        outcome: Attempt,
    ) -> std::result::Result<Result<PubAck>, Attempt> {
        match outcome {
            Attempt::Done(AckReply::Stored {
                stream,
                sequence,
                duplicate,
                domain,
            }) => {
                bump(&self.counters.acked, 1);
                if duplicate {
                    bump(&self.counters.duplicates, 1);
                }
                Ok(Ok(PubAck {
                    stream,
                    sequence,
                    duplicate,
                    msg_id: p.msg_id.clone(),
                    domain,
                }))
            }
            Attempt::Done(AckReply::Rejected(e)) => {
                bump(&self.counters.rejected, 1);
                Ok(Err(e))
            }
            retry => Err(retry),
        }
    }

    /// The ack timeout of the next attempt: the configured one (half of it,
    /// at least 500 ms, for a retry: during an election the first attempt has
    /// usually gone to a dead leader), cut to what is left of the budget.
    pub(crate) fn attempt_timeout(&self, started: Instant, retrying: bool) -> Duration {
        let base = self.options.publish_ack_timeout;
        let base = if retrying {
            (base / 2).max(Duration::from_millis(500)).min(base)
        } else {
            base
        };
        base.min(
            self.options
                .publish_retry_budget
                .saturating_sub(started.elapsed()),
        )
        .max(Duration::from_millis(50))
    }

    /// Publishes one message and waits for its ack, retrying as the module
    /// documentation describes. `first` is the outcome of an attempt the
    /// pipelined publisher already sent at `first_sent`.
    pub(crate) async fn publish_prepared(
        &self,
        p: &Prepared,
        first: Option<Attempt>,
        first_sent: Instant,
    ) -> Result<PubAck> {
        let budget = self.options.publish_retry_budget;
        let mut retry = RetryState::new(first_sent);
        let mut sends = usize::from(first.is_some());
        let mut next = first;
        let mut sent_at = first_sent;
        loop {
            let outcome = match next.take() {
                Some(answered) => answered,
                None => {
                    sent_at = Instant::now();
                    let (token, rx) = self.send_attempt(p).await?;
                    sends += 1;
                    self.await_attempt(token, rx, self.attempt_timeout(retry.started, sends > 1))
                        .await
                }
            };
            let outcome = match self.final_result(p, outcome) {
                Ok(done) => return done,
                Err(retryable) => retryable,
            };
            let last = match outcome {
                Attempt::Done(AckReply::NoResponders) => {
                    if retry.no_responders_checked.is_none() {
                        // One lookup tells "no stream for this subject" (final)
                        // from "election in progress" (retry).
                        retry.no_responders_checked =
                            Some(self.stream_exists_for(p.subject.as_str()).await?);
                        if retry.no_responders_checked == Some(false) {
                            bump(&self.counters.rejected, 1);
                            return Err(Error::new(
                                ErrorKind::NotFound,
                                format!("no stream captures subject {:?}", p.subject.as_str()),
                            ));
                        }
                    }
                    "no responders"
                }
                Attempt::Done(AckReply::InProcess) => {
                    retry.mark_ambiguous(sent_at);
                    "duplicate message id in process"
                }
                Attempt::TimedOut => {
                    retry.mark_ambiguous(sent_at);
                    "ack timeout"
                }
                Attempt::Done(AckReply::Stored { .. } | AckReply::Rejected(_)) => "unreachable",
            };
            self.check_open()?;
            let delay = retry.next_delay();
            let window = self.window_for(p.subject.as_str()).await;
            if let Some(reason) = retry.should_stop(budget, window, delay) {
                bump(&self.counters.unknown_outcomes, 1);
                let e = retry.unknown_error(&p.msg_id, last, reason);
                crate::log::log!(Warn, "publish", "{}: {e}", p.subject.as_str());
                return Err(e);
            }
            crate::log::log!(
                Debug,
                "publish",
                "{}: retrying msg id {:?} in {} ms after {last}",
                p.subject.as_str(),
                p.msg_id,
                delay.as_millis()
            );
            tokio::time::sleep(delay).await;
            bump(&self.counters.retries, 1);
        }
    }

    /// True when some stream captures `subject`, or when we cannot tell.
    /// A lookup that says JetStream is not enabled (or not allowed) for this
    /// account is final: that error is returned.
    async fn stream_exists_for(&self, subject: &str) -> Result<bool> {
        if self.windows.window_for(subject).is_some() {
            return Ok(true);
        }
        match self.stream_by_subject(subject).await {
            Ok(stream) => {
                let _ = self.stream_info(&stream).await;
                Ok(true)
            }
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::JetstreamNotEnabled | ErrorKind::PermissionDenied | ErrorKind::Auth
                ) =>
            {
                bump(&self.counters.rejected, 1);
                Err(e)
            }
            Err(_) => Ok(true),
        }
    }

    /// The duplicate window guarding `subject`, looked up once if unknown.
    async fn window_for(&self, subject: &str) -> Duration {
        if let Some(w) = self.windows.window_for(subject) {
            return w;
        }
        if let Ok(stream) = self.stream_by_subject(subject).await {
            let _ = self.stream_info(&stream).await;
        }
        self.windows
            .window_for(subject)
            .unwrap_or(DEFAULT_DUPLICATE_WINDOW)
    }
}

/// Bookkeeping of one message's retries.
struct RetryState {
    started: Instant,
    attempts: u32,
    /// Send time of the first attempt that may have been stored.
    first_ambiguous: Option<Instant>,
    no_responders_checked: Option<bool>,
}

impl RetryState {
    fn new(started: Instant) -> RetryState {
        RetryState {
            started,
            attempts: 1,
            first_ambiguous: None,
            no_responders_checked: None,
        }
    }

    fn mark_ambiguous(&mut self, sent_at: Instant) {
        self.first_ambiguous.get_or_insert(sent_at);
    }

    /// Jittered exponential backoff: 100 ms, 200 ms, … capped at 1 s.
    fn next_delay(&mut self) -> Duration {
        self.attempts += 1;
        let base = 100u64 << self.attempts.min(4).saturating_sub(2);
        let capped = base.min(1000);
        Duration::from_millis(capped / 2 + rand::random_range(0..=capped / 2))
    }

    /// Why to stop retrying, if we must: the budget is spent, or the next
    /// resend could land after the duplicate window of an ambiguous attempt.
    fn should_stop(
        &self,
        budget: Duration,
        window: Duration,
        delay: Duration,
    ) -> Option<&'static str> {
        if self.started.elapsed() + delay >= budget {
            return Some("the retry budget is spent");
        }
        if let Some(first) = self.first_ambiguous {
            let margin = (window / 10).max(Duration::from_millis(500));
            if first.elapsed() + delay + margin >= window {
                return Some("a resend could fall outside the stream's duplicate window");
            }
        }
        None
    }

    fn unknown_error(&self, msg_id: &str, last: &str, reason: &str) -> Error {
        Error::new(
            ErrorKind::PublishOutcomeUnknown,
            format!(
                "publish outcome unknown after {} attempt(s) over {:.1}s (last: {last}); stopped because {reason}. \
                 Resending with the same msg id {msg_id:?} inside the stream's duplicate window is safe",
                self.attempts,
                self.started.elapsed().as_secs_f64()
            ),
        )
    }
}

impl Client {
    /// Publishes one message and waits for its ack. See the module docs for
    /// the retry rules.
    pub async fn publish(&self, msg: PublishMessage) -> Result<PubAck> {
        self.inner.check_accepting()?;
        let p = self.inner.prepare(msg)?;
        let inner = self.inner.clone();
        // Drain waits for this publish until it is settled (the guard moves
        // into the task, so it ends however the task does, even unstarted).
        inner.drain.begin();
        let settled = Settled(inner.clone());
        runtime::run(async move {
            let _settled = settled;
            crate::fault::point("publish");
            bump(&inner.counters.published, 1);
            inner.publish_prepared(&p, None, Instant::now()).await
        })
        .await
    }
}

/// Tells drain that one single publish is settled, however its task ends.
pub(crate) struct Settled(pub(crate) Arc<ClientInner>);

impl Drop for Settled {
    fn drop(&mut self) {
        self.0.drain.end();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn prepare_validates_and_generates_ids() {
        let p = prepare(PublishMessage::new("a.b", "x"), 1024).unwrap();
        assert!(p.msg_id.starts_with("jb-"));
        assert_eq!(p.headers.get(MSG_ID_HEADER).unwrap().as_str(), p.msg_id);
        let p = prepare(PublishMessage::new("a.b", "x").with_msg_id("m1"), 1024).unwrap();
        assert_eq!(p.msg_id, "m1");
        let mut m = PublishMessage::new("a.b", "x");
        m.headers.push(("X-Bad".into(), "a\r\nb".into()));
        assert_eq!(
            prepare(m, 1024).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            prepare(PublishMessage::new("a b", "x"), 1024)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
        let big = PublishMessage::new("a", vec![0u8; 2048]);
        assert!(
            prepare(big, 1024)
                .unwrap_err()
                .message()
                .contains("max_payload")
        );
    }

    #[test]
    fn an_empty_payload_needs_headers() {
        let err = prepare(PublishMessage::new("a.b", ""), 1024).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.message().contains("payload"), "{err}");
        let mut tombstone = PublishMessage::new("a.b", "");
        tombstone
            .headers
            .push(("Ce-Type".into(), "order.deleted".into()));
        let p = prepare(tombstone, 1024).unwrap();
        assert!(p.payload.is_empty());
        assert_eq!(p.headers.get("Ce-Type").unwrap().as_str(), "order.deleted");
    }

    #[test]
    fn retry_stops_before_window() {
        let mut r = RetryState::new(Instant::now());
        r.mark_ambiguous(Instant::now() - Duration::from_secs(2));
        assert!(
            r.should_stop(
                Duration::from_secs(25),
                Duration::from_secs(2),
                Duration::from_millis(100)
            )
            .is_some()
        );
        let r = RetryState::new(Instant::now());
        assert!(
            r.should_stop(
                Duration::from_secs(25),
                Duration::from_secs(2),
                Duration::from_millis(100)
            )
            .is_none()
        );
    }
}
