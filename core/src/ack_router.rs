//! One reply subscription for every publish ack of a client.
//!
//! Each publish attempt gets a token; its reply subject is `<prefix><token>`.
//! One task reads the wildcard subscription `<prefix>*` and completes the
//! attempt waiting on that token. This is how nats.go's async publish works,
//! and it keeps a single publish to one map insert and one oneshot.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use serde::Deserialize;
use tokio::sync::oneshot;

use crate::api::ApiError;
use crate::error::{Error, ErrorKind, Result};

/// What the server answered to one publish attempt.
#[derive(Debug)]
pub(crate) enum AckReply {
    /// Stored (or recognised as a duplicate).
    Stored {
        stream: String,
        sequence: u64,
        duplicate: bool,
        domain: Option<String>,
    },
    /// Nobody subscribes to the subject: no stream, or an election.
    NoResponders,
    /// 409 / 10158: a publish with this msg id is being stored right now.
    InProcess,
    /// Any other error: final for this message.
    Rejected(Error),
}

#[derive(Deserialize)]
struct WireAck {
    #[serde(default)]
    stream: String,
    #[serde(default)]
    seq: u64,
    #[serde(default)]
    duplicate: bool,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    error: Option<ApiError>,
}

/// A wildcard reply subscription `<inbox>.*`: reply subject `<inbox>.<token>`
/// for each attempt, and the token back from the subject of its answer.
/// The client's [`AckRouter`] reads one for single publishes; each pipelined
/// publisher reads its own in its send loop (no task or map in between).
pub(crate) struct ReplyInbox {
    prefix: String,
}

impl ReplyInbox {
    /// Subscribes a fresh `<inbox>.*`.
    pub(crate) async fn subscribe(
        nc: &async_nats::Client,
    ) -> Result<(ReplyInbox, async_nats::Subscriber)> {
        let prefix = format!("{}.", nc.new_inbox());
        let subscriber = nc
            .subscribe(format!("{prefix}*"))
            .await
            .map_err(|e| crate::error_map::subscribe_error(&e))?;
        Ok((ReplyInbox { prefix }, subscriber))
    }

    /// The reply subject of `token`.
    pub(crate) fn reply(&self, token: u64) -> String {
        let mut reply = String::with_capacity(self.prefix.len() + 20);
        reply.push_str(&self.prefix);
        push_decimal(&mut reply, token);
        reply
    }

    /// The token an answer on `subject` belongs to.
    pub(crate) fn token(&self, subject: &str) -> Option<u64> {
        subject.strip_prefix(&self.prefix)?.parse().ok()
    }
}

type Waiters = Arc<Mutex<HashMap<u64, oneshot::Sender<AckReply>>>>;

/// The shared ack subscription of one client.
pub(crate) struct AckRouter {
    inbox: Arc<ReplyInbox>,
    next_token: AtomicU64,
    waiters: Waiters,
}

impl AckRouter {
    /// Subscribes `<inbox>.*` and starts the dispatch task.
    pub(crate) async fn start(nc: &async_nats::Client) -> Result<AckRouter> {
        let (inbox, subscriber) = ReplyInbox::subscribe(nc).await?;
        let inbox = Arc::new(inbox);
        let waiters: Waiters = Arc::default();
        tokio::spawn(dispatch(subscriber, inbox.clone(), waiters.clone()));
        Ok(AckRouter {
            inbox,
            next_token: AtomicU64::new(1),
            waiters,
        })
    }

    /// Reserves a reply subject and the receiver of its answer. Call
    /// [`AckRouter::forget`] if the answer is no longer wanted.
    pub(crate) fn register(&self) -> (u64, String, oneshot::Receiver<AckReply>) {
        let (tx, rx) = oneshot::channel();
        let token = self.next_token.fetch_add(1, Ordering::Relaxed);
        self.waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(token, tx);
        (token, self.inbox.reply(token), rx)
    }

    /// Drops a registration whose answer will not be awaited.
    pub(crate) fn forget(&self, token: u64) {
        self.waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&token);
    }
}

/// Appends `n` in decimal (what `format!` does, without its machinery: this
/// runs once per publish).
fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

async fn dispatch(
    mut subscriber: async_nats::Subscriber,
    inbox: Arc<ReplyInbox>,
    waiters: Waiters,
) {
    while let Some(msg) = subscriber.next().await {
        let Some(token) = inbox.token(msg.subject.as_str()) else {
            continue;
        };
        let waiter = waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&token);
        if let Some(tx) = waiter {
            let _ = tx.send(classify(&msg));
        }
    }
}

/// Turns a reply message into an [`AckReply`].
pub(crate) fn classify(msg: &async_nats::Message) -> AckReply {
    if msg.status == Some(async_nats::StatusCode::NO_RESPONDERS) {
        return AckReply::NoResponders;
    }
    if let Some(status) = msg.status
        && status != async_nats::StatusCode::OK
    {
        return AckReply::Rejected(Error::new(
            ErrorKind::Server,
            format!(
                "unexpected status {} on publish ack: {}",
                status,
                msg.description.as_deref().unwrap_or("")
            ),
        ));
    }
    classify_body(&msg.payload)
}

/// Turns a PubAck JSON body into an [`AckReply`].
pub(crate) fn classify_body(body: &[u8]) -> AckReply {
    match serde_json::from_slice::<WireAck>(body) {
        Ok(WireAck { error: Some(e), .. }) => {
            if e.err_code == 10158 || (e.code == 409 && e.description.contains("in process")) {
                AckReply::InProcess
            } else if e.err_code == 10008 || (e.code == 503 && e.err_code == 0) {
                // JetStream temporarily unavailable: retry like no responders.
                AckReply::NoResponders
            } else {
                AckReply::Rejected(crate::error_map::api_error(
                    e.code,
                    e.err_code,
                    &e.description,
                ))
            }
        }
        Ok(ack) if !ack.stream.is_empty() => AckReply::Stored {
            stream: ack.stream,
            sequence: ack.seq,
            duplicate: ack.duplicate,
            domain: ack.domain,
        },
        _ => AckReply::Rejected(Error::new(
            ErrorKind::Server,
            format!("invalid publish ack: {}", String::from_utf8_lossy(body)),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn push_decimal_matches_format() {
        for n in [0, 7, 10, 99, 1234567890, u64::MAX] {
            let mut s = String::from("x.");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x.{n}"));
        }
    }

    #[test]
    fn a_reply_subject_gives_its_token_back() {
        let inbox = ReplyInbox {
            prefix: "_INBOX.abc.".into(),
        };
        assert_eq!(inbox.reply(42), "_INBOX.abc.42");
        assert_eq!(inbox.token(&inbox.reply(u64::MAX)), Some(u64::MAX));
        assert_eq!(inbox.token("_INBOX.other.42"), None);
        assert_eq!(inbox.token("_INBOX.abc.x"), None);
    }

    #[test]
    fn classify_bodies() {
        assert!(matches!(
            classify_body(br#"{"stream":"S","seq":3,"duplicate":true}"#),
            AckReply::Stored {
                sequence: 3,
                duplicate: true,
                ..
            }
        ));
        assert!(matches!(
            classify_body(br#"{"error":{"code":409,"err_code":10158,"description":"duplicate message id is in process"}}"#),
            AckReply::InProcess
        ));
        match classify_body(
            br#"{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 2"}}"#,
        ) {
            AckReply::Rejected(e) => assert_eq!(e.kind(), ErrorKind::WrongLastSequence),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(classify_body(b"garbage"), AckReply::Rejected(_)));
        // A full discard-new stream answers 503 with a limit code: final.
        match classify_body(
            br#"{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"}}"#,
        ) {
            AckReply::Rejected(e) => assert_eq!(e.kind(), ErrorKind::LimitExceeded),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            classify_body(br#"{"error":{"code":503,"err_code":10008,"description":"JetStream system temporarily unavailable"}}"#),
            AckReply::NoResponders
        ));
    }
}
