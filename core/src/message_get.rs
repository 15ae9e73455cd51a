//! Reading stored messages back: by sequence, the last or the next on a
//! subject, and a batch at a time.
//!
//! A single read goes to the stream's direct-get API (`DIRECT.GET`, served by
//! any replica or mirror) when the stream has `allow_direct`, and to the
//! leader's `STREAM.MSG.GET` otherwise. Whether it has is read once from the
//! stream's info (then kept with what the client knows of the stream,
//! refreshed by every info it sees); a direct get nobody answers (the
//! setting was turned off since) falls back to the leader's API. A batch
//! read (server 2.11+) exists only as a direct get.
//!
//! Either way the result is the same [`StoredMessage`], and a missing message
//! is the same `NOT_FOUND` (API code 10037).

use std::time::SystemTime;

use bytes::Bytes;
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::wire::rfc3339_nanos;
use crate::client::{Client, ClientInner};
use crate::error::{Error, ErrorKind, Result};
use crate::record::unix_nanos;
use crate::server_version::V2_11;
use crate::{error_map, runtime, validate};

/// A message read back from a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    /// Its subject.
    pub subject: String,
    /// Its stream sequence.
    pub sequence: u64,
    /// Its payload.
    pub payload: Bytes,
    /// Its headers, sorted by name; a name's values in the order they were sent.
    pub headers: Vec<(String, String)>,
    /// When it was stored, Unix nanoseconds.
    pub timestamp: i64,
}

crate::record::record! {
    /// What one batch read (`get_messages`) returns: up to `max_messages`
    /// stored messages in stream order, from a start sequence or time, on
    /// one subject filter (server 2.11+, a stream with `allow_direct`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct GetMessagesOptions {
        /// Most messages to return (at least 1).
        pub max_messages: usize,
        /// Only messages whose subject matches this filter (wildcards
        /// allowed); unset: every subject.
        pub subject: Option<String>,
        /// The stream sequence to start at (at least 1); unset: the first.
        pub start_sequence: Option<u64>,
        /// Start at the first message stored at or after this time
        /// (instead of a sequence).
        pub start_time: Option<SystemTime>,
        /// Most payload bytes to return (at least one message is); unset:
        /// no byte limit.
        pub max_bytes: Option<usize>,
    }
}

impl Default for GetMessagesOptions {
    fn default() -> GetMessagesOptions {
        GetMessagesOptions {
            max_messages: 100,
            subject: None,
            start_sequence: None,
            start_time: None,
            max_bytes: None,
        }
    }
}

impl GetMessagesOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.max_messages == 0 {
            return Err(Error::invalid("max_messages", "must be at least 1"));
        }
        if let Some(s) = &self.subject {
            validate::subject("subject", s)?;
        }
        if self.start_sequence == Some(0) {
            return Err(Error::invalid("start_sequence", "must be at least 1"));
        }
        if self.start_sequence.is_some() && self.start_time.is_some() {
            return Err(Error::invalid(
                "start_time",
                "give a start sequence or a start time, not both",
            ));
        }
        if self.max_bytes == Some(0) {
            return Err(Error::invalid("max_bytes", "must be at least 1"));
        }
        Ok(())
    }

    /// The `DIRECT.GET` batch request.
    fn request(&self) -> Value {
        let mut body = json!({
            "batch": self.max_messages,
            "next_by_subj": self.subject.as_deref().unwrap_or(">"),
        });
        match self.start_time {
            Some(t) => body["start_time"] = json!(rfc3339_nanos::format(unix_nanos(t))),
            None => body["seq"] = json!(self.start_sequence.unwrap_or(1)),
        }
        if let Some(b) = self.max_bytes {
            body["max_bytes"] = json!(b);
        }
        body
    }
}

impl Client {
    /// Reads one stored message by stream sequence (`NOT_FOUND` if absent).
    pub async fn get_message(&self, stream: &str, sequence: u64) -> Result<StoredMessage> {
        validate::token("stream name", stream)?;
        self.get_one(stream, json!({ "seq": sequence })).await
    }

    /// Reads the newest stored message on `subject` (`NOT_FOUND` if none).
    pub async fn get_last_message(&self, stream: &str, subject: &str) -> Result<StoredMessage> {
        validate::token("stream name", stream)?;
        validate::subject("subject", subject)?;
        self.get_one(stream, json!({ "last_by_subj": subject }))
            .await
    }

    /// Reads the first stored message at or after stream sequence
    /// `from_sequence` whose subject matches `subject` (wildcards allowed;
    /// `NOT_FOUND` if none).
    pub async fn get_next_message(
        &self,
        stream: &str,
        subject: &str,
        from_sequence: u64,
    ) -> Result<StoredMessage> {
        validate::token("stream name", stream)?;
        validate::subject("subject", subject)?;
        if from_sequence == 0 {
            return Err(Error::invalid("from_sequence", "must be at least 1"));
        }
        let body = json!({ "seq": from_sequence, "next_by_subj": subject });
        self.get_one(stream, body).await
    }

    /// Reads up to `options.max_messages` stored messages in stream order
    /// with one request (a batch direct get: server 2.11+, a stream with
    /// `allow_direct`). No message at or after the start is an empty list,
    /// not an error.
    pub async fn get_messages(
        &self,
        stream: &str,
        options: GetMessagesOptions,
    ) -> Result<Vec<StoredMessage>> {
        validate::token("stream name", stream)?;
        options.validate()?;
        let (inner, stream) = (self.inner.clone(), stream.to_string());
        runtime::run(async move {
            inner.require_server("get_messages", V2_11)?;
            inner.direct_batch(&stream, &options).await
        })
        .await
    }

    async fn get_one(&self, stream: &str, body: Value) -> Result<StoredMessage> {
        let (inner, stream) = (self.inner.clone(), stream.to_string());
        runtime::run(async move {
            let direct = match inner.windows.allows_direct(&stream) {
                Some(known) => known,
                None => inner.stream_info(&stream).await?.config.allow_direct == Some(true),
            };
            let found = if direct {
                inner.direct_get(&stream, &body).await?
            } else {
                None
            };
            match found {
                Some(m) => Ok(m),
                None => {
                    let raw: RawStored = inner
                        .api_request(&format!("STREAM.MSG.GET.{stream}"), &body)
                        .await?;
                    decode_stored(raw.message)
                }
            }
        })
        .await
    }
}

impl ClientInner {
    /// One `DIRECT.GET`; `None` when nobody answers it (the stream no
    /// longer allows direct get, or is gone): the client forgets what it
    /// knew of the stream.
    async fn direct_get(&self, stream: &str, body: &Value) -> Result<Option<StoredMessage>> {
        self.check_open()?;
        let request = async_nats::Request::new()
            .payload(body.to_string().into())
            .timeout(Some(self.options.request_timeout));
        let subject = format!("{}.DIRECT.GET.{stream}", self.api_prefix);
        match self.nc.send_request(subject, request).await {
            Ok(reply) => match from_direct(reply)? {
                Direct::Message(m) => Ok(Some(m)),
                Direct::End => Err(not_found()),
            },
            Err(e) if e.kind() == async_nats::RequestErrorKind::NoResponders => {
                self.windows.forget_stream(stream);
                Ok(None)
            }
            Err(e) => Err(error_map::request_error(&e, "direct get")),
        }
    }

    /// A batch `DIRECT.GET`: every reply up to the end-of-batch marker.
    async fn direct_batch(
        &self,
        stream: &str,
        options: &GetMessagesOptions,
    ) -> Result<Vec<StoredMessage>> {
        self.check_open()?;
        let inbox = self.new_inbox();
        let mut sub = self
            .nc
            .subscribe(inbox.clone())
            .await
            .map_err(|e| error_map::subscribe_error(&e))?;
        let subject = format!("{}.DIRECT.GET.{stream}", self.api_prefix);
        self.nc
            .publish_with_reply(subject, inbox, options.request().to_string().into())
            .await
            .map_err(|e| error_map::publish_error(&e))?;
        let deadline = tokio::time::Instant::now() + self.options.request_timeout;
        let mut out = Vec::with_capacity(options.max_messages.min(1024));
        loop {
            let next = tokio::time::timeout_at(deadline, sub.next()).await;
            let reply = match next {
                Ok(Some(reply)) => reply,
                Ok(None) => return Err(Error::closed("client")),
                Err(_) => {
                    return Err(Error::new(
                        ErrorKind::Timeout,
                        format!(
                            "get_messages: the batch from stream {stream:?} did not end within {:?}",
                            self.options.request_timeout
                        ),
                    ));
                }
            };
            if reply.status == Some(async_nats::StatusCode::NO_RESPONDERS) {
                return Err(self.no_direct_get(stream).await);
            }
            match from_direct(reply) {
                Ok(Direct::Message(m)) => out.push(m),
                Ok(Direct::End) => return Ok(out),
                Err(e) if e.kind() == ErrorKind::NotFound && out.is_empty() => return Ok(out),
                Err(e) => return Err(e),
            }
        }
    }

    /// Why a batch direct get had no responder: the stream is missing
    /// (`NOT_FOUND`) or does not allow direct get (`INVALID_ARGUMENT`).
    async fn no_direct_get(&self, stream: &str) -> Error {
        match self.stream_info(stream).await {
            Ok(_) => Error::invalid(
                "get_messages",
                format!("stream {stream:?} does not allow direct get (allow_direct)"),
            ),
            Err(e) => e,
        }
    }
}

/// What one `DIRECT.GET` reply holds.
enum Direct {
    Message(StoredMessage),
    /// No (more) message: 404 for a single get, 204 after a batch.
    End,
}

/// The headers a direct get adds to the stored message's own.
const DIRECT_HEADERS: [&str; 7] = [
    "Nats-Stream",
    "Nats-Sequence",
    "Nats-Time-Stamp",
    "Nats-Subject",
    "Nats-Last-Sequence",
    "Nats-Num-Pending",
    "Nats-UpTo-Sequence",
];

fn not_found() -> Error {
    error_map::api_error(404, 10037, "no message found")
}

/// Decodes one `DIRECT.GET` reply.
fn from_direct(reply: async_nats::Message) -> Result<Direct> {
    if let Some(status) = reply.status {
        let desc = reply.description.clone().unwrap_or_default();
        return match status.as_u16() {
            404 => Err(not_found()),
            204 => Ok(Direct::End),
            408 | 400 => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("the server refused the direct get: {desc}"),
            )),
            code => Err(Error::new(
                ErrorKind::Server,
                format!("direct get: status {code} {desc}"),
            )),
        };
    }
    let header = |name: &str| {
        reply
            .headers
            .as_ref()
            .and_then(|h| h.get(name))
            .map(|v| v.as_str().to_string())
    };
    let (Some(subject), Some(sequence)) = (
        header("Nats-Subject"),
        header("Nats-Sequence").and_then(|s| s.parse().ok()),
    ) else {
        return Err(Error::new(
            ErrorKind::Server,
            "direct get: a reply without Nats-Subject or Nats-Sequence",
        ));
    };
    let timestamp = header("Nats-Time-Stamp")
        .as_deref()
        .and_then(rfc3339_nanos::parse)
        .unwrap_or(0);
    let headers = crate::message::header_pairs(reply.headers.as_ref())
        .into_iter()
        .filter(|(name, _)| !DIRECT_HEADERS.contains(&name.as_str()))
        .collect();
    Ok(Direct::Message(StoredMessage {
        subject,
        sequence,
        payload: reply.payload,
        headers,
        timestamp,
    }))
}

#[derive(Deserialize)]
struct RawStored {
    message: RawStoredInner,
}

#[derive(Deserialize)]
struct RawStoredInner {
    subject: String,
    seq: u64,
    #[serde(default)]
    hdrs: Option<String>,
    #[serde(default)]
    data: Option<String>,
    #[serde(with = "rfc3339_nanos", default)]
    time: i64,
}

/// Decodes a `STREAM.MSG.GET` answer's message.
fn decode_stored(raw: RawStoredInner) -> Result<StoredMessage> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let decode = |s: Option<String>| -> Result<Vec<u8>> {
        match s {
            Some(s) => b64.decode(s).map_err(|e| {
                Error::new(
                    ErrorKind::Server,
                    format!("bad stored message encoding: {e}"),
                )
            }),
            None => Ok(Vec::new()),
        }
    };
    let headers = crate::message::parse_header_block(&decode(raw.hdrs)?);
    Ok(StoredMessage {
        subject: raw.subject,
        sequence: raw.seq,
        payload: Bytes::from(decode(raw.data)?),
        headers,
        timestamp: raw.time,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_batch_request_starts_at_a_sequence_or_a_time() {
        let o = GetMessagesOptions::default();
        assert_eq!(
            o.request(),
            json!({"batch": 100, "next_by_subj": ">", "seq": 1})
        );
        let o = GetMessagesOptions {
            max_messages: 5,
            subject: Some("a.*".into()),
            start_time: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1)),
            max_bytes: Some(10),
            ..GetMessagesOptions::default()
        };
        assert_eq!(
            o.request(),
            json!({"batch": 5, "next_by_subj": "a.*", "start_time": "1970-01-01T00:00:01Z", "max_bytes": 10})
        );
    }

    #[test]
    fn bad_batch_options_are_invalid_argument() {
        for bad in [
            GetMessagesOptions {
                max_messages: 0,
                ..GetMessagesOptions::default()
            },
            GetMessagesOptions {
                start_sequence: Some(0),
                ..GetMessagesOptions::default()
            },
            GetMessagesOptions {
                start_sequence: Some(1),
                start_time: Some(SystemTime::now()),
                ..GetMessagesOptions::default()
            },
            GetMessagesOptions {
                subject: Some("a b".into()),
                ..GetMessagesOptions::default()
            },
        ] {
            assert_eq!(
                bad.validate().unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{bad:?}"
            );
        }
    }
}
