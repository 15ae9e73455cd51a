//! `fetch`: one pull request, 0..n messages, never an error for zero.
//!
//! Each consumer handle keeps one inbox subscription for its fetches; every
//! request gets its own reply token so that a late status from an earlier
//! request cannot end a later one. Messages that arrive after their fetch
//! returned stay in the inbox and are handed out first by the next fetch —
//! never dropped.

use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;
use tokio::time::Instant;

use crate::consumer::ConsumerInner;
use crate::delivery::{Incoming, Notice, classify, to_message};
use crate::error::{Error, ErrorKind, Result};
use crate::message::Message;
use crate::priority_pull::PriorityPull;

crate::record::record! {
    /// How much one `fetch` asks for and how long it waits.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FetchOptions {
        /// Most messages to return (at least 1).
        pub max_messages: usize,
        /// Longest wait for them.
        pub max_wait: Duration,
        /// Most payload bytes to return; unset: no byte limit.
        pub max_bytes: Option<usize>,
        /// Return at once with what is available (zero or more).
        pub no_wait: bool,
        /// Ask the server for idle heartbeats; when set and none arrive for
        /// two intervals, an empty fetch fails with `HEARTBEAT_MISSED`.
        pub heartbeat: Option<Duration>,
        /// The consumer's priority group this pull belongs to (server
        /// 2.11+). A consumer with priority groups serves only pulls that
        /// name one of them.
        pub group: Option<String>,
        /// Priority policy `overflow`: serve this pull only while the
        /// consumer has at least this many pending messages (with a group).
        pub min_pending: Option<u64>,
        /// Priority policy `overflow`: serve this pull only while the
        /// consumer has at least this many unacknowledged messages (with a
        /// group; either minimum is enough when both are set).
        pub min_ack_pending: Option<u64>,
        /// Priority policy `prioritized` (server 2.12+): 0 (served first)
        /// to 9 (with a group; 0 is also what a pull without one gets).
        pub priority: u8,
    }
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            max_messages: 1,
            max_wait: Duration::from_secs(5),
            max_bytes: None,
            no_wait: false,
            heartbeat: None,
            group: None,
            min_pending: None,
            min_ack_pending: None,
            priority: 0,
        }
    }
}

impl FetchOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        self.priority_pull()?;
        if self.max_messages == 0 {
            return Err(Error::invalid("max_messages", "must be at least 1"));
        }
        if self.max_bytes == Some(0) {
            return Err(Error::invalid("max_bytes", "must be at least 1"));
        }
        if !self.no_wait && self.max_wait < Duration::from_millis(1) {
            return Err(Error::invalid(
                "max_wait",
                "must be at least 1ms (or use no_wait)",
            ));
        }
        if let Some(hb) = self.heartbeat
            && (hb.is_zero() || hb * 2 > self.max_wait)
        {
            return Err(Error::invalid(
                "heartbeat",
                "must be greater than zero and at most half of max_wait",
            ));
        }
        Ok(())
    }
}

impl FetchOptions {
    /// The pull's priority-group fields, checked.
    pub(crate) fn priority_pull(&self) -> Result<PriorityPull> {
        PriorityPull::new(
            self.group.as_ref(),
            self.min_pending,
            self.min_ack_pending,
            self.priority,
        )
    }
}

/// A pull request body, shared with `messages()`.
#[derive(Serialize)]
pub(crate) struct PullRequest {
    pub(crate) batch: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) expires: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max_bytes: Option<usize>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) no_wait: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) idle_heartbeat: Option<u64>,
    #[serde(flatten)]
    pub(crate) priority: PriorityPull,
}

/// The fetch inbox of one consumer handle.
pub(crate) struct FetchState {
    sub: async_nats::Subscriber,
    prefix: String,
    next_token: u64,
}

/// Sends `req` (with the handle's pin id, if it holds one) under a fresh
/// reply token of the fetch inbox; returns the token.
async fn issue(c: &ConsumerInner, state: &mut FetchState, req: &mut PullRequest) -> Result<String> {
    if req.priority.group.is_some() {
        req.priority.id = c.pin.get();
    }
    state.next_token += 1;
    let token = state.next_token.to_string();
    send_pull(c, format!("{}{token}", state.prefix), req).await?;
    Ok(token)
}

/// The error for a pull the server refused (400), with its reason.
pub(crate) fn refused(consumer: &str, desc: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("the server refused the pull for consumer {consumer:?}: {desc}"),
    )
}

/// A duration as JetStream's integer nanoseconds.
pub(crate) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Sends a pull request for `consumer` with replies to `reply`.
pub(crate) async fn send_pull(c: &ConsumerInner, reply: String, req: &PullRequest) -> Result<()> {
    c.client.check_open()?;
    let subject = format!(
        "{}.CONSUMER.MSG.NEXT.{}.{}",
        c.client.api_prefix, c.stream, c.name
    );
    let body =
        serde_json::to_vec(req).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))?;
    c.client
        .nc
        .publish_with_reply(subject, reply, body.into())
        .await
        .map_err(|e| crate::error_map::publish_error(&e))
}

pub(crate) async fn fetch(c: &ConsumerInner, o: FetchOptions) -> Result<Vec<Message>> {
    crate::fault::point("fetch");
    c.client.check_accepting()?;
    let priority = o.priority_pull()?;
    priority.check_for(c)?;
    let mut guard = c.fetch.lock().await;
    if guard.is_none() {
        let prefix = format!("{}.", c.client.new_inbox());
        let sub = c
            .client
            .nc
            .subscribe(format!("{prefix}*"))
            .await
            .map_err(|e| crate::error_map::subscribe_error(&e))?;
        *guard = Some(FetchState {
            sub,
            prefix,
            next_token: 0,
        });
    }
    let Some(state) = guard.as_mut() else {
        return Err(Error::new(ErrorKind::Internal, "fetch state missing"));
    };
    let mut out: Vec<Message> = Vec::with_capacity(o.max_messages);
    let mut bytes = 0usize;
    let wait = if o.no_wait {
        c.client.options.request_timeout
    } else {
        o.max_wait
    };
    // The server ends the request at `expires`; the grace covers its 408.
    let grace = Duration::from_millis(250);
    let deadline = Instant::now() + wait + grace;
    let mut req = PullRequest {
        batch: o.max_messages,
        expires: (!o.no_wait).then(|| nanos(o.max_wait)),
        max_bytes: o.max_bytes,
        no_wait: o.no_wait,
        idle_heartbeat: o.heartbeat.map(nanos),
        priority,
    };
    let mut token = issue(c, state, &mut req).await?;
    let mut last_seen = Instant::now();
    let mut ended: Option<Error> = None;
    while out.len() < o.max_messages {
        let hb_deadline = o.heartbeat.map(|hb| last_seen + hb * 2);
        let until = hb_deadline.map_or(deadline, |h| h.min(deadline));
        let next = tokio::time::timeout_at(until, state.sub.next()).await;
        let msg = match next {
            Ok(Some(msg)) => msg,
            Ok(None) => return Err(Error::closed("client")),
            Err(_) if Instant::now() >= deadline => break,
            Err(_) => {
                if out.is_empty() {
                    crate::counters::bump(&c.client.counters.heartbeat_misses, 1);
                    return Err(Error::new(
                        ErrorKind::HeartbeatMissed,
                        "fetch: no heartbeat from the server for two intervals",
                    ));
                }
                break;
            }
        };
        last_seen = Instant::now();
        let for_this = msg.subject.as_str().strip_prefix(&state.prefix) == Some(token.as_str());
        match classify(msg) {
            Incoming::Message(m) => {
                if req.priority.group.is_some() {
                    c.pin.observe(&m);
                }
                if let Some(m) = to_message(&c.client, m, Some(&c.tracker), true) {
                    bytes += m.payload.len();
                    out.push(m);
                }
                if o.max_bytes.is_some_and(|b| bytes >= b) {
                    break;
                }
            }
            Incoming::Notice(_) if !for_this => {}
            Incoming::Notice(Notice::Heartbeat { .. }) => {}
            Incoming::Notice(
                Notice::NoMessages | Notice::Expired { .. } | Notice::LeadershipChange,
            ) => break,
            Incoming::Notice(Notice::TooLarge) => {
                ended = Some(Error::new(
                    ErrorKind::LimitExceeded,
                    "fetch: the next message is larger than max_bytes",
                ));
                break;
            }
            Incoming::Notice(Notice::ConsumerDeleted) => {
                ended = Some(Error::new(
                    ErrorKind::NotFound,
                    format!("consumer {:?} was deleted", c.name),
                ));
                break;
            }
            Incoming::Notice(Notice::NoResponders) => {
                ended = Some(Error::new(
                    ErrorKind::NoResponders,
                    format!(
                        "no server answered the pull for consumer {:?} (missing, or leader election)",
                        c.name
                    ),
                ));
                break;
            }
            Incoming::Notice(Notice::RequestEnded(desc)) => {
                ended = Some(Error::new(
                    ErrorKind::LimitExceeded,
                    format!("fetch: {desc}"),
                ));
                break;
            }
            Incoming::Notice(Notice::BadRequest(desc)) => {
                ended = Some(refused(&c.name, &desc));
                break;
            }
            Incoming::Notice(Notice::PinMismatch) => {
                // Another handle is pinned now: pull again, without the
                // old id, for what is left of the wait (as a standby).
                c.pin.forget();
                let left = deadline.saturating_duration_since(Instant::now() + grace);
                if o.no_wait || left < Duration::from_millis(1) {
                    break;
                }
                req.batch = o.max_messages - out.len();
                req.expires = Some(nanos(left));
                token = issue(c, state, &mut req).await?;
            }
            Incoming::Notice(Notice::FlowControl { .. } | Notice::Other(_)) => {}
        }
    }
    match ended {
        Some(e) if out.is_empty() => Err(e),
        _ => Ok(out),
    }
}
