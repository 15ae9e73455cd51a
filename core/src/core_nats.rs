//! Core NATS on the same connection: publish, subscribe (with a queue group)
//! and request-reply, so a service needs no second client for its
//! request-reply traffic. No JetStream here: no acks, no storage, no retries —
//! a core publish is fire-and-forget, as in every NATS client.

use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::message::header_pairs;
use crate::{runtime, validate};

/// A core NATS message: what a subscription receives or a request returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreMessage {
    /// Its subject.
    pub subject: String,
    /// Its payload.
    pub payload: Bytes,
    /// Its headers, sorted by name; a name's values in the order they were sent.
    pub headers: Vec<(String, String)>,
    /// Where a reply goes, when the sender asked for one.
    pub reply: Option<String>,
}

impl CoreMessage {
    fn from_nats(m: async_nats::Message) -> CoreMessage {
        CoreMessage {
            subject: m.subject.to_string(),
            headers: header_pairs(m.headers.as_ref()),
            payload: m.payload,
            reply: m.reply.map(|r| r.to_string()),
        }
    }
}

/// A core NATS subscription. Dropping it (or `unsubscribe`) ends it. It can
/// be shared: `next` from several tasks takes turns, and `unsubscribe` from
/// another task ends a `next` that is waiting (with `CLOSED`) at once.
pub struct CoreSubscription {
    sub: tokio::sync::Mutex<async_nats::Subscriber>,
    /// Set once by `unsubscribe`; wakes a waiting `next`.
    ended: tokio::sync::watch::Sender<bool>,
}

impl std::fmt::Debug for CoreSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreSubscription").finish_non_exhaustive()
    }
}

impl CoreSubscription {
    /// The next message, waiting up to `max_wait`: `None` when none came in
    /// time; `CLOSED` once the subscription or the client ended.
    pub async fn next(&self, max_wait: Duration) -> Result<Option<CoreMessage>> {
        let mut ended = self.ended.subscribe();
        let closed = || Err(Error::closed("subscription"));
        if *ended.borrow_and_update() {
            return closed();
        }
        let wait = async {
            let mut sub = self.sub.lock().await;
            tokio::time::timeout(max_wait, sub.next()).await
        };
        tokio::select! {
            got = wait => match got {
                Err(_) => Ok(None),
                Ok(Some(m)) => Ok(Some(CoreMessage::from_nats(m))),
                Ok(None) => closed(),
            },
            _ = ended.changed() => closed(),
        }
    }

    /// Ends the subscription; messages already received are dropped, and a
    /// `next` waiting in another task returns `CLOSED`. Twice is fine.
    pub async fn unsubscribe(&self) -> Result<()> {
        if self.ended.send_replace(true) {
            return Ok(());
        }
        let mut sub = self.sub.lock().await;
        sub.unsubscribe()
            .await
            .map_err(|e| Error::new(ErrorKind::Connection, format!("cannot unsubscribe: {e}")))
    }
}

impl Client {
    /// Publishes a core NATS message (no JetStream ack; fire-and-forget),
    /// with an optional `reply` subject. Validates like a JetStream publish.
    pub async fn core_publish(
        &self,
        subject: &str,
        payload: Bytes,
        headers: &[(String, String)],
        reply: Option<&str>,
    ) -> Result<()> {
        self.inner.check_accepting()?;
        let subject = validate::publish_subject("subject", subject)?;
        let reply = reply
            .map(|r| validate::publish_subject("reply subject", r))
            .transpose()?;
        let headers = validate::headers(headers)?;
        let size = payload.len();
        if size > self.max_payload() {
            return Err(Error::invalid(
                "payload",
                format!(
                    "{size} bytes exceeds the server's max_payload of {} bytes",
                    self.max_payload()
                ),
            ));
        }
        let nc = self.inner.nc.clone();
        runtime::run(async move {
            let sent = match reply {
                Some(reply) => {
                    nc.publish_with_reply_and_headers(subject, reply, headers, payload)
                        .await
                }
                None => nc.publish_with_headers(subject, headers, payload).await,
            };
            sent.map_err(|e| crate::error_map::publish_error(&e))
        })
        .await
    }

    /// Answers `request` (a message received with a reply subject): a core
    /// publish to its reply subject. `INVALID_ARGUMENT` when the message
    /// carries no reply subject (nobody waits for an answer).
    pub async fn core_respond(
        &self,
        request: &CoreMessage,
        payload: Bytes,
        headers: &[(String, String)],
    ) -> Result<()> {
        let Some(reply) = request.reply.as_deref() else {
            return Err(Error::invalid(
                "reply",
                format!(
                    "the message on {:?} has no reply subject: nobody waits for an answer",
                    request.subject
                ),
            ));
        };
        self.core_publish(reply, payload, headers, None).await
    }

    /// Subscribes to `subject` (wildcards allowed); with `queue`, the
    /// subscribers of that queue group share the messages, each to one.
    /// Returns once the server has the subscription, so a message published
    /// afterwards, from any connection, reaches it.
    pub async fn core_subscribe(
        &self,
        subject: &str,
        queue: Option<&str>,
    ) -> Result<CoreSubscription> {
        self.inner.check_accepting()?;
        validate::subject("subject", subject)?;
        if let Some(q) = queue {
            validate::token("queue group", q)?;
        }
        let (inner, subject, queue) = (
            self.inner.clone(),
            subject.to_string(),
            queue.map(str::to_string),
        );
        let sub = runtime::run(async move {
            let sub = match queue {
                Some(q) => inner.nc.queue_subscribe(subject, q).await,
                None => inner.nc.subscribe(subject).await,
            }
            .map_err(|e| crate::error_map::subscribe_error(&e))?;
            // Once the server has read the SUB, a message published from
            // any connection reaches it.
            let timeout = inner.options.request_timeout;
            inner.round_trip(timeout, "the subscription").await?;
            Ok(sub)
        })
        .await?;
        Ok(CoreSubscription {
            sub: tokio::sync::Mutex::new(sub),
            ended: tokio::sync::watch::channel(false).0,
        })
    }

    /// Sends a request and waits up to `timeout` for the first reply:
    /// `NO_RESPONDERS` when nobody listens on `subject`, `TIMEOUT` when
    /// nobody answered in time.
    pub async fn core_request(
        &self,
        subject: &str,
        payload: Bytes,
        headers: &[(String, String)],
        timeout: Duration,
    ) -> Result<CoreMessage> {
        self.inner.check_accepting()?;
        let subject = validate::publish_subject("subject", subject)?;
        let headers = validate::headers(headers)?;
        let nc = self.inner.nc.clone();
        let what = subject.to_string();
        runtime::run(async move {
            let request = async_nats::Request::new()
                .payload(payload)
                .headers(headers)
                .timeout(Some(timeout));
            match nc.send_request(subject, request).await {
                Ok(m) => Ok(CoreMessage::from_nats(m)),
                Err(e) if e.kind() == async_nats::RequestErrorKind::NoResponders => {
                    Err(Error::new(
                        ErrorKind::NoResponders,
                        format!("request on {what:?}: no responders"),
                    ))
                }
                Err(e) if e.kind() == async_nats::RequestErrorKind::TimedOut => Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "request on {what:?}: no reply within {} ms",
                        timeout.as_millis()
                    ),
                )),
                Err(e) => Err(crate::error_map::request_error(&e, "request")),
            }
        })
        .await
    }
}
