//! One reply subscription for every publish ack of a client.
//!
//! Each publish attempt gets a token; its reply subject is `<prefix><token>`.
//! One task reads the wildcard subscription `<prefix>*` and completes the
//! attempt waiting on that token. This is how nats.go's async publish works,
//! and it keeps a publish to one map insert and one oneshot.

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

/// Where the answer to one attempt goes.
enum Waiter {
    /// A single publish waiting on its own answer.
    One(oneshot::Sender<AckReply>),
    /// A pipelined publisher collecting the answers of all its attempts,
    /// tagged with their tokens.
    Many(AckSender),
}

/// The channel a pipelined publisher receives `(token, answer)` pairs on.
pub(crate) type AckSender = tokio::sync::mpsc::UnboundedSender<(u64, AckReply)>;

type Waiters = Arc<Mutex<HashMap<u64, Waiter>>>;

/// The shared ack subscription of one client.
pub(crate) struct AckRouter {
    prefix: String,
    next_token: AtomicU64,
    waiters: Waiters,
}

impl AckRouter {
    /// Subscribes `<inbox>.*` and starts the dispatch task.
    pub(crate) async fn start(nc: &async_nats::Client) -> Result<AckRouter> {
        let prefix = format!("{}.", nc.new_inbox());
        let subscriber = nc
            .subscribe(format!("{prefix}*"))
            .await
            .map_err(|e| crate::error_map::subscribe_error(&e))?;
        let waiters: Waiters = Arc::default();
        tokio::spawn(dispatch(subscriber, prefix.clone(), waiters.clone()));
        Ok(AckRouter {
            prefix,
            next_token: AtomicU64::new(1),
            waiters,
        })
    }

    /// Reserves a reply subject and the receiver of its answer. Call
    /// [`AckRouter::forget`] if the answer is no longer wanted.
    pub(crate) fn register(&self) -> (u64, String, oneshot::Receiver<AckReply>) {
        let (tx, rx) = oneshot::channel();
        let (token, reply) = self.insert(Waiter::One(tx));
        (token, reply, rx)
    }

    /// Reserves a reply subject whose answer is sent to `answers`, tagged
    /// with the returned token. Tokens grow with every call.
    pub(crate) fn register_to(&self, answers: &AckSender) -> (u64, String) {
        self.insert(Waiter::Many(answers.clone()))
    }

    fn insert(&self, waiter: Waiter) -> (u64, String) {
        let token = self.next_token.fetch_add(1, Ordering::Relaxed);
        self.waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(token, waiter);
        let mut reply = String::with_capacity(self.prefix.len() + 20);
        reply.push_str(&self.prefix);
        push_decimal(&mut reply, token);
        (token, reply)
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

async fn dispatch(mut subscriber: async_nats::Subscriber, prefix: String, waiters: Waiters) {
    while let Some(msg) = subscriber.next().await {
        let Some(token) = msg
            .subject
            .as_str()
            .strip_prefix(&prefix)
            .and_then(|t| t.parse::<u64>().ok())
        else {
            continue;
        };
        let waiter = waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&token);
        match waiter {
            Some(Waiter::One(tx)) => {
                let _ = tx.send(classify(&msg));
            }
            Some(Waiter::Many(tx)) => {
                let _ = tx.send((token, classify(&msg)));
            }
            None => {}
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
