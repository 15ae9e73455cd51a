//! Flattening async-nats errors and JetStream API errors into [`ErrorKind`].
//!
//! This is the only place that looks at async-nats error kinds or at server
//! error codes. Messages never include credentials: URLs are redacted and
//! async-nats' own error text is only used where it cannot carry them.

use crate::error::{Error, ErrorKind};
use crate::options::ConnectOptions;

/// Classifies a failed initial connect.
pub(crate) fn connect_error(e: &async_nats::ConnectError, o: &ConnectOptions) -> Error {
    use async_nats::ConnectErrorKind as K;
    let servers = o.redacted_servers().join(", ");
    let detail = source_text(e);
    let (mut kind, mut what) = match e.kind() {
        K::Authentication | K::AuthorizationViolation => (ErrorKind::Auth, "authentication failed"),
        K::Tls => (ErrorKind::Tls, "TLS failed"),
        K::TimedOut => (ErrorKind::Timeout, "connect timed out"),
        K::ServerParse => (ErrorKind::InvalidArgument, "invalid server URL"),
        K::Dns | K::Io | K::MaxReconnects => classify_io_text(&detail),
    };
    // A client that asked for TLS and reached a server, but got no session:
    // the handshake failed (plaintext server, handshake-first mismatch, a
    // rejected client certificate), never a fallback to plaintext.
    let wants_tls = o.tls.wants_tls() || o.servers.iter().any(|s| s.starts_with("tls://"));
    let unreachable = ["refused", "dns", "no route", "unreachable"]
        .iter()
        .any(|w| detail.to_ascii_lowercase().contains(w));
    if wants_tls && matches!(kind, ErrorKind::Connection | ErrorKind::Timeout) && !unreachable {
        (kind, what) = (ErrorKind::Tls, "TLS failed");
    }
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    };
    Error::new(kind, format!("{what} connecting to {servers}{detail}"))
}

/// The text of an error's source chain, with anything that looks like a URL
/// credential removed.
fn source_text(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    let text = if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    };
    scrub(&text)
}

/// Removes `user:pass@` fragments from free text.
pub(crate) fn scrub(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            if w.contains('@') && w.contains("://") {
                crate::options::redact_url(w)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Connection-level failures whose async-nats kind is too coarse: TLS problems
/// surface as IO errors during the handshake, authorization as server errors.
fn classify_io_text(detail: &str) -> (ErrorKind, &'static str) {
    let d = detail.to_ascii_lowercase();
    if d.contains("authorization") || d.contains("authentication") {
        (ErrorKind::Auth, "authentication failed")
    } else if [
        "tls",
        "certificate",
        "handshake",
        "alert",
        "unknownca",
        "badcert",
    ]
    .iter()
    .any(|w| d.contains(w))
    {
        (ErrorKind::Tls, "TLS failed")
    } else {
        (ErrorKind::Connection, "cannot connect")
    }
}

/// A short reason for an IO error, without the OS's path echo.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => "unreadable or malformed".to_string(),
    }
}

/// Classifies a JetStream API error (`{"error":{"code","err_code","description"}}`).
pub(crate) fn api_error(code: u16, err_code: u32, description: &str) -> Error {
    let kind = match err_code {
        10059 | 10014 | 10037 | 10149 => ErrorKind::NotFound,
        10058 | 10148 | 10013 | 10105 => ErrorKind::AlreadyExists,
        10070 | 10071 | 10164 => ErrorKind::WrongLastSequence,
        10060 => ErrorKind::StreamMismatch,
        // "could not create consumer: <reason>" — a configuration the server refuses.
        10012 => ErrorKind::InvalidArgument,
        10039 | 10076 => ErrorKind::JetstreamNotEnabled,
        10008 => ErrorKind::JetstreamUnavailable,
        10077 | 10047 | 10023 | 10026 | 10027 | 10028 | 10054 | 10113 | 10114 | 10199 | 10210 => {
            ErrorKind::LimitExceeded
        }
        _ => match code {
            400 => ErrorKind::InvalidArgument,
            404 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            503 => ErrorKind::JetstreamUnavailable,
            _ => ErrorKind::Server,
        },
    };
    Error::new(
        kind,
        format!("{description} (server code {code}, err_code {err_code})"),
    )
    .with_api_code(err_code)
}

/// Classifies a failed core request (publish with reply, API call).
pub(crate) fn request_error(e: &async_nats::RequestError, what: &str) -> Error {
    use async_nats::RequestErrorKind as K;
    match e.kind() {
        K::TimedOut => Error::new(ErrorKind::Timeout, format!("{what} timed out")),
        K::NoResponders => Error::new(
            ErrorKind::NoResponders,
            format!("{what}: no responders (JetStream not enabled, or an election in progress)"),
        ),
        K::InvalidSubject => Error::invalid("subject", format!("{what}: {e}")),
        K::MaxPayloadExceeded => Error::invalid("payload", format!("{what}: {e}")),
        K::Other => Error::new(
            ErrorKind::Connection,
            format!("{what}: {}", scrub(&e.to_string())),
        ),
    }
}

/// Classifies a failed subscribe.
pub(crate) fn subscribe_error(e: &async_nats::SubscribeError) -> Error {
    use async_nats::SubscribeErrorKind as K;
    match e.kind() {
        K::InvalidSubject | K::InvalidQueueName => Error::invalid("subject", e),
        _ => Error::new(ErrorKind::Connection, format!("cannot subscribe: {e}")),
    }
}

/// Classifies a failed core publish (the message never reached the socket).
pub(crate) fn publish_error(e: &async_nats::PublishError) -> Error {
    use async_nats::client::PublishErrorKind as K;
    match e.kind() {
        K::InvalidSubject => Error::invalid("subject", e),
        K::MaxPayloadExceeded => Error::invalid("payload", e),
        _ => Error::new(ErrorKind::Closed, format!("cannot publish: {e}")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn api_codes_map_to_kinds() {
        assert_eq!(
            api_error(404, 10059, "stream not found").kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            api_error(400, 10071, "wrong last sequence: 3").kind(),
            ErrorKind::WrongLastSequence
        );
        assert_eq!(
            api_error(400, 10060, "expected stream does not match").kind(),
            ErrorKind::StreamMismatch
        );
        assert_eq!(
            api_error(400, 10058, "stream name already in use").kind(),
            ErrorKind::AlreadyExists
        );
        assert_eq!(
            api_error(400, 99999, "bad").kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(api_error(500, 99999, "bad").api_code(), Some(99999));
    }

    #[test]
    fn scrub_removes_credentials() {
        assert_eq!(
            scrub("failed nats://a:b@h:1 now"),
            "failed nats://[REDACTED]@h:1 now"
        );
    }
}
