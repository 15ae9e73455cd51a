//! What arrives on a consumer's inbox: messages, and status notices from the
//! server. Shared by `fetch`, `messages()`, ordered replay and push consumers.

use std::sync::Arc;

use crate::client::ClientInner;
use crate::counters::bump;
use crate::message::{Acker, Message, parse_ack_subject};
use crate::tracker::Tracker;

/// A status notice on a consumer inbox.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Notice {
    /// 100 Idle Heartbeat; for push consumers it may carry a stalled-flow reply
    /// subject, and ordered consumers read the last consumer sequence from it.
    Heartbeat {
        stalled_reply: Option<String>,
        last_consumer_seq: Option<u64>,
    },
    /// 100 FlowControl Request: answer on `reply`.
    FlowControl { reply: String },
    /// 404 No Messages (no-wait request finished).
    NoMessages,
    /// 408 Request Timeout: the pull request expired, with what it had left.
    Expired {
        pending_messages: u64,
        pending_bytes: u64,
    },
    /// 409 Message Size Exceeds MaxBytes.
    TooLarge,
    /// 409 Leadership Change: re-issue pulls.
    LeadershipChange,
    /// 409 Consumer Deleted.
    ConsumerDeleted,
    /// Another 409 (limits such as MaxWaiting): the request ended.
    RequestEnded(String),
    /// 503: nobody serves the consumer (missing, or no leader).
    NoResponders,
    /// 400 Bad Request: the server refused the pull itself (a priority
    /// group the consumer does not have, or one it needs and the pull
    /// lacks), with the server's description.
    BadRequest(String),
    /// 423: the pull carried a pin id that is no longer the consumer's
    /// pinned client (`pinned_client` policy).
    PinMismatch,
    /// Anything else.
    Other(String),
}

/// One item from a consumer inbox.
pub(crate) enum Incoming {
    Message(async_nats::Message),
    Notice(Notice),
}

/// Sorts an inbox message into a delivery or a notice.
pub(crate) fn classify(msg: async_nats::Message) -> Incoming {
    let Some(status) = msg.status else {
        return Incoming::Message(msg);
    };
    let code = status.as_u16();
    let desc = msg.description.clone().unwrap_or_default();
    let header = |name: &str| {
        msg.headers
            .as_ref()
            .and_then(|h| h.get(name))
            .map(|v| v.as_str().to_string())
    };
    let notice = match code {
        100 if desc.to_ascii_lowercase().contains("flow") => match msg.reply.as_ref() {
            Some(reply) => Notice::FlowControl {
                reply: reply.to_string(),
            },
            None => Notice::Heartbeat {
                stalled_reply: None,
                last_consumer_seq: None,
            },
        },
        100 => Notice::Heartbeat {
            stalled_reply: header("Nats-Consumer-Stalled"),
            last_consumer_seq: header("Nats-Last-Consumer").and_then(|v| v.parse().ok()),
        },
        404 => Notice::NoMessages,
        408 => Notice::Expired {
            pending_messages: header("Nats-Pending-Messages")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            pending_bytes: header("Nats-Pending-Bytes")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        },
        409 => {
            let d = desc.to_ascii_lowercase();
            if d.contains("leadership change") {
                Notice::LeadershipChange
            } else if d.contains("consumer deleted") {
                Notice::ConsumerDeleted
            } else if d.contains("message size exceeds maxbytes") {
                Notice::TooLarge
            } else {
                Notice::RequestEnded(desc)
            }
        }
        503 => Notice::NoResponders,
        400 => Notice::BadRequest(desc),
        423 => Notice::PinMismatch,
        _ => Notice::Other(format!("{code} {desc}")),
    };
    Incoming::Notice(notice)
}

/// Builds the [`Message`] for a delivery and records it. Returns `None` for a
/// message without JetStream metadata (not from a consumer), and for a
/// redelivery of a message the application already finished on this handle
/// (which is acked again instead).
pub(crate) fn to_message(
    client: &Arc<ClientInner>,
    msg: async_nats::Message,
    tracker: Option<&Arc<Tracker>>,
    ackable: bool,
) -> Option<Message> {
    let meta = parse_ack_subject(msg.reply.as_ref()?.as_str())?;
    to_message_with(client, msg, meta, tracker, ackable)
}

/// [`to_message`] of a delivery whose reply subject was parsed already
/// (`meta`): the ordered replay reads it first to check the sequences.
pub(crate) fn to_message_with(
    client: &Arc<ClientInner>,
    msg: async_nats::Message,
    meta: crate::message::AckMeta,
    tracker: Option<&Arc<Tracker>>,
    ackable: bool,
) -> Option<Message> {
    let reply = msg.reply.clone()?;
    if ackable && tracker.is_some_and(|t| t.is_done(meta.stream_sequence)) {
        // Finished before; the server lost that ack (e.g. killed). Ack again
        // and keep it from the application.
        bump(&client.counters.redeliveries_suppressed, 1);
        let _ = client
            .acks()
            .send(client, reply, bytes::Bytes::from_static(b"+ACK"));
        return None;
    }
    bump(&client.counters.delivered, 1);
    if meta.delivered > 1 {
        bump(&client.counters.redelivered, 1);
    }
    if let Some(t) = tracker {
        t.delivered(meta.stream_sequence);
    }
    let acker = ackable.then(|| Acker {
        client: client.clone(),
        reply,
        tracker: tracker.cloned(),
        connection: client.state.borrow().generation,
    });
    let expects_answer = ackable && tracker.is_none_or(|t| t.expects_acks());
    Some(Message::from_delivery(msg, meta, acker, expects_answer))
}
