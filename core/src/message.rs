//! A delivered JetStream message and its acks.
//!
//! Acks follow ADR-15: `ack`, `nak(delay)` and `term(reason)` are terminal —
//! a second terminal ack is `ALREADY_ACKED`; `in_progress` may repeat until a
//! terminal ack. `ack`, `nak`, `term` and `in_progress` are queued in order on
//! the client's ack queue (sent in batches, never awaiting the network);
//! `ack_sync` waits for the server's confirmation and succeeds only on a real
//! confirmation — no responders (503) or a timeout is an error, and the
//! message stays un-acked so it can be acked again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use bytes::Bytes;

use crate::ack_queue::AckQueue;
use crate::client::ClientInner;
use crate::counters::bump;
use crate::error::{Error, ErrorKind, Result};
use crate::publish::MSG_ID_HEADER;
use crate::runtime;
use crate::tracker::Tracker;

const UNACKED: u8 = 0;
const TERMINAL: u8 = 2;

/// A message delivered by a consumer.
pub struct Message {
    /// Its subject.
    pub subject: String,
    /// Its payload.
    pub payload: Bytes,
    /// Its headers, sorted by name; a name's values in the order they were sent.
    pub headers: Vec<(String, String)>,
    /// The stream it came from.
    pub stream: String,
    /// The consumer that delivered it.
    pub consumer: String,
    /// Its stream sequence.
    pub stream_sequence: u64,
    /// Its consumer sequence.
    pub consumer_sequence: u64,
    /// How many times it was delivered (1 on first delivery).
    pub delivered: u64,
    /// When it was stored, Unix nanoseconds.
    pub timestamp: i64,
    /// Messages still pending for the consumer after this one.
    pub pending: u64,
    acker: Option<Acker>,
    state: AtomicU8,
    /// The consumer expects an answer (ack, nak, term) for it.
    expects_answer: bool,
    /// Handed to the application and not answered yet: drain waits for it
    /// until it is answered or dropped.
    awaits_answer: AtomicBool,
}

/// What a message needs to acknowledge itself.
#[derive(Clone)]
pub(crate) struct Acker {
    pub(crate) client: Arc<ClientInner>,
    /// The delivery's reply subject (a shared buffer: acking copies nothing).
    pub(crate) reply: async_nats::Subject,
    pub(crate) tracker: Option<Arc<Tracker>>,
    /// The connection generation the message arrived on (see
    /// `ConnectionState::generation`).
    pub(crate) connection: u64,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("subject", &self.subject)
            .field("stream", &self.stream)
            .field("consumer", &self.consumer)
            .field("stream_sequence", &self.stream_sequence)
            .field("consumer_sequence", &self.consumer_sequence)
            .field("delivered", &self.delivered)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// The metadata JetStream encodes in a message's reply subject.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AckMeta {
    pub(crate) stream: String,
    pub(crate) consumer: String,
    pub(crate) delivered: u64,
    pub(crate) stream_sequence: u64,
    pub(crate) consumer_sequence: u64,
    pub(crate) timestamp: i64,
    pub(crate) pending: u64,
}

/// Parses `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`
/// and the v2 form with domain and account hash in front.
pub(crate) fn parse_ack_subject(reply: &str) -> Option<AckMeta> {
    // Only the first 11 tokens matter (the v2 form may append more); no
    // allocation: this runs once per delivered message.
    let mut tokens = [""; 12];
    let mut n = 0;
    for token in reply.split('.') {
        if let Some(slot) = tokens.get_mut(n) {
            *slot = token;
        }
        n += 1;
    }
    if n < 9 || tokens[0] != "$JS" || tokens[1] != "ACK" {
        return None;
    }
    let t = if n >= 11 { &tokens[4..] } else { &tokens[2..] };
    Some(AckMeta {
        stream: t[0].to_string(),
        consumer: t[1].to_string(),
        delivered: t[2].parse().ok()?,
        stream_sequence: t[3].parse().ok()?,
        consumer_sequence: t[4].parse().ok()?,
        timestamp: t[5].parse().ok()?,
        pending: t[6].parse().ok()?,
    })
}

/// Parses a raw header block (`NATS/1.0\r\nName: value\r\n…`).
pub(crate) fn parse_header_block(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    text.split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The headers of an async-nats message as pairs, sorted by name; a name's
/// values keep the order they arrived in. async-nats keeps headers in a hash
/// map, so the wire order is gone by the time they reach us: sorting makes
/// the order the same in every run and every language.
pub(crate) fn header_pairs(h: Option<&async_nats::HeaderMap>) -> Vec<(String, String)> {
    let Some(h) = h else { return Vec::new() };
    let mut out = Vec::new();
    for (name, values) in h.iter() {
        for v in values {
            out.push((name.to_string(), v.as_str().to_string()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

impl Message {
    /// Builds a message from a delivery. `acker` is `None` for consumers that
    /// take no acks (ordered replay).
    pub(crate) fn from_delivery(
        msg: async_nats::Message,
        meta: AckMeta,
        acker: Option<Acker>,
        expects_answer: bool,
    ) -> Message {
        let expects_answer = expects_answer && acker.is_some();
        Message {
            subject: msg.subject.to_string(),
            payload: msg.payload,
            headers: header_pairs(msg.headers.as_ref()),
            stream: meta.stream,
            consumer: meta.consumer,
            stream_sequence: meta.stream_sequence,
            consumer_sequence: meta.consumer_sequence,
            delivered: meta.delivered,
            timestamp: meta.timestamp,
            pending: meta.pending,
            acker,
            state: AtomicU8::new(UNACKED),
            expects_answer,
            awaits_answer: AtomicBool::new(false),
        }
    }

    /// The message goes to the application: from now until it is answered
    /// or dropped, drain waits for it.
    pub(crate) fn hand_out(&self) {
        if self.expects_answer
            && !self.awaits_answer.swap(true, Ordering::AcqRel)
            && let Some(acker) = &self.acker
        {
            acker.client.drain.begin();
        }
    }

    /// The message got its final answer (or is gone): drain stops waiting
    /// for it. Idempotent.
    fn answered(&self) {
        if self.awaits_answer.swap(false, Ordering::AcqRel)
            && let Some(acker) = &self.acker
        {
            acker.client.drain.end();
        }
    }

    /// The `Nats-Msg-Id` header, if any.
    pub fn msg_id(&self) -> Option<&str> {
        self.header(MSG_ID_HEADER)
    }

    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True once a terminal ack was sent or confirmed.
    pub fn is_acked(&self) -> bool {
        self.state.load(Ordering::Acquire) == TERMINAL
    }

    /// Acknowledges the message (terminal).
    pub fn ack(&self) -> Result<()> {
        crate::fault::point("ack");
        self.send_terminal(b"+ACK".as_slice().into(), AckEffect::Done)
    }

    /// Asks for redelivery, after `delay` if given (terminal for this delivery).
    pub fn nak(&self, delay: Option<Duration>) -> Result<()> {
        let body: Bytes = match delay {
            Some(d) if !d.is_zero() => format!("-NAK {{\"delay\":{}}}", d.as_nanos()).into(),
            _ => b"-NAK".as_slice().into(),
        };
        self.send_terminal(body, AckEffect::Redeliver)
    }

    /// Stops redelivery for good (terminal). The reason is kept by the server's
    /// advisory; CR/LF are not allowed in it.
    pub fn term(&self, reason: Option<&str>) -> Result<()> {
        let body: Bytes = match reason {
            Some(r) if r.contains(['\r', '\n']) => {
                return Err(Error::invalid("term reason", "must not contain CR/LF"));
            }
            Some(r) if !r.is_empty() => format!("+TERM {r}").into(),
            _ => b"+TERM".as_slice().into(),
        };
        self.send_terminal(body, AckEffect::Done)
    }

    /// Resets the ack timer: "still working on it". May be repeated until a
    /// terminal ack.
    pub fn in_progress(&self) -> Result<()> {
        let acker = self.acker()?;
        if self.is_acked() {
            return Err(already_acked());
        }
        acker.client.acks().send(
            &acker.client,
            acker.reply.clone(),
            b"+WPI".as_slice().into(),
        )
    }

    /// Acknowledges and waits for the server to confirm. Success means the
    /// message will not be redelivered. On error the message stays un-acked.
    pub async fn ack_sync(&self) -> Result<()> {
        let acker = self.acker()?.clone();
        if self
            .state
            .compare_exchange(UNACKED, TERMINAL, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Err(already_acked());
        }
        let seq = self.stream_sequence;
        let result = runtime::run(async move { confirm_ack(&acker, seq).await }).await;
        match result {
            Ok(()) => self.answered(),
            Err(_) => self.state.store(UNACKED, Ordering::Release),
        }
        result
    }

    /// True when another delivery of this message was already finished on
    /// the same consumer handle; that other delivery's ack may have been lost
    /// by the server, so this one is acked again on the way out.
    pub(crate) fn settle_if_already_done(&self) -> bool {
        let Some(acker) = &self.acker else {
            return false;
        };
        let Some(tracker) = &acker.tracker else {
            return false;
        };
        if !tracker.is_done(self.stream_sequence) || self.is_acked() {
            return false;
        }
        bump(&acker.client.counters.redeliveries_suppressed, 1);
        self.settle_quietly(b"+ACK");
        true
    }

    /// True when the message arrived on an earlier connection than the
    /// current one and was never handed out; it is then given back (`nak`)
    /// instead. The server redelivers every such message anyway, and a
    /// server restarted after a crash may have forgotten delivering it: it
    /// silently ignores acks above its restored delivery pointer, so each
    /// `ack_sync` of such a message could only time out.
    pub(crate) fn give_back_if_stale(&self) -> bool {
        let Some(acker) = &self.acker else {
            return false;
        };
        if !self.expects_answer
            || acker.connection == acker.client.state.borrow().generation
            || self.is_acked()
        {
            return false;
        }
        self.settle_quietly(b"-NAK");
        true
    }

    /// Sends `body` (a terminal ack) without handing the message out.
    fn settle_quietly(&self, body: &'static [u8]) {
        if let Some(acker) = &self.acker {
            let _ = acker.client.acks().send(
                &acker.client,
                acker.reply.clone(),
                Bytes::from_static(body),
            );
        }
        self.state.store(TERMINAL, Ordering::Release);
        self.answered();
    }

    /// Whether the stream keeps this delivery from the application:
    /// [`Message::settle_if_already_done`] or [`Message::give_back_if_stale`].
    pub(crate) fn withheld(&self) -> bool {
        self.settle_if_already_done() || self.give_back_if_stale()
    }

    fn acker(&self) -> Result<&Acker> {
        self.acker.as_ref().ok_or_else(|| {
            Error::invalid("ack", "messages of an ordered replay are not acknowledged")
        })
    }

    fn send_terminal(&self, body: Bytes, effect: AckEffect) -> Result<()> {
        let acker = self.acker()?;
        acker.client.check_open()?;
        if self
            .state
            .compare_exchange(UNACKED, TERMINAL, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Err(already_acked());
        }
        if let Err(e) = acker
            .client
            .acks()
            .send(&acker.client, acker.reply.clone(), body)
        {
            self.state.store(UNACKED, Ordering::Release);
            return Err(e);
        }
        if let (Some(tracker), AckEffect::Done) = (&acker.tracker, effect) {
            tracker.settled(self.stream_sequence);
        }
        self.answered();
        Ok(())
    }
}

impl Drop for Message {
    fn drop(&mut self) {
        self.answered();
    }
}

#[derive(Clone, Copy)]
enum AckEffect {
    Done,
    Redeliver,
}

fn already_acked() -> Error {
    Error::new(
        ErrorKind::AlreadyAcked,
        "the message was already acknowledged",
    )
}

async fn confirm_ack(acker: &Acker, seq: u64) -> Result<()> {
    let client = &acker.client;
    client.check_open()?;
    if !client.state.borrow().connected {
        return Err(Error::new(
            ErrorKind::Connection,
            "ack not confirmed: not connected (reconnecting)",
        ));
    }
    // Earlier fire-and-forget acks must reach the server first.
    client
        .acks()
        .flush_within(
            client.options.request_timeout,
            "ack not confirmed: earlier acks did not reach the connection in time",
        )
        .await?;
    let request = async_nats::Request::new()
        .payload(Bytes::from_static(b"+ACK"))
        .timeout(Some(client.options.request_timeout));
    let reply = client
        .nc
        .send_request(acker.reply.clone(), request)
        .await
        .map_err(|e| unconfirmed(acker, crate::error_map::request_error(&e, "ack_sync")))?;
    if let Some(status) = reply.status
        && status != async_nats::StatusCode::OK
    {
        return Err(Error::new(
            if status == async_nats::StatusCode::NO_RESPONDERS {
                ErrorKind::NoResponders
            } else {
                ErrorKind::Server
            },
            format!("ack not confirmed: server answered status {status}"),
        ));
    }
    if !reply.payload.is_empty()
        && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&reply.payload)
        && let Some(e) = v.get("error")
    {
        return Err(Error::new(
            ErrorKind::Server,
            format!("ack not confirmed: {e}"),
        ));
    }
    bump(&client.counters.acks_sent, 1);
    if let Some(tracker) = &acker.tracker {
        tracker.settled(seq);
    }
    Ok(())
}

/// `e`, saying why when the message came before a reconnect: a server
/// restarted after a crash may have forgotten delivering it, and then never
/// answers its ack (it redelivers the message instead).
fn unconfirmed(acker: &Acker, e: Error) -> Error {
    if e.kind() != ErrorKind::Timeout || acker.connection == acker.client.state.borrow().generation
    {
        return e;
    }
    Error::new(
        ErrorKind::Timeout,
        format!(
            "{}; the message was delivered before the client reconnected, and a restarted server does not answer acks of deliveries it lost (it redelivers them)",
            e.message()
        ),
    )
}

impl ClientInner {
    /// The client's ack queue.
    pub(crate) fn acks(&self) -> &AckQueue {
        &self.ack_queue
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn ack_subjects() {
        let m = parse_ack_subject("$JS.ACK.ORDERS.proc.2.10.7.1700000000000000000.5").unwrap();
        assert_eq!((m.stream.as_str(), m.consumer.as_str()), ("ORDERS", "proc"));
        assert_eq!(
            (
                m.delivered,
                m.stream_sequence,
                m.consumer_sequence,
                m.pending
            ),
            (2, 10, 7, 5)
        );
        let m = parse_ack_subject("$JS.ACK._.ACCHASH.ORDERS.proc.1.3.3.1700000000000000000.0.xyz")
            .unwrap();
        assert_eq!((m.stream.as_str(), m.stream_sequence), ("ORDERS", 3));
        assert!(parse_ack_subject("_INBOX.x").is_none());
    }

    #[test]
    fn header_blocks() {
        let h = parse_header_block(b"NATS/1.0\r\nNats-Msg-Id: a1\r\nX: y\r\n\r\n");
        assert_eq!(
            h,
            vec![
                ("Nats-Msg-Id".into(), "a1".into()),
                ("X".into(), "y".into())
            ]
        );
    }
}
