//! The one error taxonomy of JetBridge.
//!
//! Every failure in the core, and in every binding, is an [`Error`] with an
//! [`ErrorKind`]. Kinds have stable numbers and names: the C ABI returns the
//! number, Python raises one exception class per kind, Node sets `err.code` to
//! the name, Go exposes one sentinel per kind. Numbers are never reused; a retired
//! kind stays in the list as a comment marked "reserved".
//!
//! Messages are written once, here or at the place that raises the error, and
//! never contain credentials.

use std::fmt;

/// Declares the kinds once: variant, stable number, stable name, whether a retry
/// can help, and the one-line description every language shows. Everything
/// else about a kind (the `ALL` list, `name`, `from_code`, `is_retryable`,
/// `description`) is derived from this list, so bindings never restate it.
macro_rules! error_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $name:literal, $retry:ident, $desc:literal;)*) => {
        /// What went wrong, as a stable number and name shared by every language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[doc = $doc])* $variant = $code,)*
        }

        impl ErrorKind {
            /// How many kinds exist.
            pub const COUNT: usize = [$($code,)*].len();

            /// Every kind, in number order.
            pub const ALL: [ErrorKind; ErrorKind::COUNT] = [$(ErrorKind::$variant,)*];

            /// The stable SCREAMING_SNAKE_CASE name (Node `err.code`, Go sentinel text,
            /// the prefix of every error's text).
            pub fn name(self) -> &'static str {
                match self { $(ErrorKind::$variant => $name,)* }
            }

            /// What the kind means, in one or two sentences (C `jb_result_description`,
            /// Python class docstrings, TypeScript docs).
            pub fn description(self) -> &'static str {
                match self { $(ErrorKind::$variant => $desc,)* }
            }

            /// True when the same call may succeed if tried again later (the condition
            /// is transient); false when retrying unchanged cannot help.
            pub fn is_retryable(self) -> bool {
                match self { $(ErrorKind::$variant => error_kinds!(@retry $retry),)* }
            }
        }
    };
    (@retry retryable) => { true };
    (@retry final) => { false };
}

error_kinds! {
    /// An argument is invalid: a bad subject, a header value with CR/LF, an empty
    /// stream name, an oversized payload, an unknown configuration key.
    InvalidArgument = 1, "INVALID_ARGUMENT", final, "An argument is invalid: a bad subject, a header value with CR/LF, an empty stream name, an oversized payload, an unknown configuration key.";
    /// A required pointer was NULL (C ABI only).
    NullParameter = 2, "NULL_PARAMETER", final, "A required pointer was NULL (C ABI only).";
    /// A handle was already freed or closed, or is of the wrong type (C ABI only).
    InvalidHandle = 3, "INVALID_HANDLE", final, "A handle was already freed or closed, or is of the wrong type (C ABI only).";
    /// The server could not be reached, or the connection was lost.
    Connection = 4, "CONNECTION", retryable, "The server could not be reached, or the connection was lost.";
    /// The server rejected the credentials, or the credentials could not be used.
    Auth = 5, "AUTH", final, "The server rejected the credentials, or the credentials could not be used.";
    /// TLS could not be established or verified.
    Tls = 6, "TLS", final, "TLS could not be established or verified.";
    /// The operation did not complete in time.
    Timeout = 7, "TIMEOUT", retryable, "The operation did not complete in time.";
    /// The stream, consumer or message does not exist.
    NotFound = 8, "NOT_FOUND", final, "The stream, consumer or message does not exist.";
    /// A stream or consumer with that name exists with a different configuration.
    AlreadyExists = 9, "ALREADY_EXISTS", final, "A stream or consumer with that name exists with a different configuration.";
    /// A publish expectation failed: last sequence, last subject sequence or last
    /// message id did not match.
    WrongLastSequence = 10, "WRONG_LAST_SEQUENCE", final, "A publish expectation failed: last sequence, last subject sequence or last message id did not match.";
    /// A publish expected a different stream than the one that holds the subject.
    StreamMismatch = 11, "STREAM_MISMATCH", final, "A publish expected a different stream than the one that holds the subject.";
    /// A publish may or may not have been stored: the retry budget ran out, or the
    /// stream's duplicate window would have passed before a safe retry. Retrying with
    /// the same message id inside the duplicate window is safe.
    PublishOutcomeUnknown = 12, "PUBLISH_OUTCOME_UNKNOWN", retryable, "A publish may or may not have been stored: the retry budget ran out, or the stream's duplicate window would have passed before a safe retry. Retrying with the same message id inside the duplicate window is safe.";
    /// Nobody answered: no stream on the subject, no consumer leader, or an election in
    /// progress.
    NoResponders = 13, "NO_RESPONDERS", retryable, "Nobody answered: no stream on the subject, no consumer leader, or an election in progress.";
    /// JetStream is temporarily unavailable (no meta leader, no quorum).
    JetstreamUnavailable = 14, "JETSTREAM_UNAVAILABLE", retryable, "JetStream is temporarily unavailable (no meta leader, no quorum).";
    /// JetStream is not enabled for this account or server.
    JetstreamNotEnabled = 15, "JETSTREAM_NOT_ENABLED", final, "JetStream is not enabled for this account or server.";
    /// A consumer missed two heartbeats in a row.
    HeartbeatMissed = 16, "HEARTBEAT_MISSED", retryable, "A consumer missed two heartbeats in a row.";
    /// An existing consumer's configuration differs from the one asked for.
    ConfigMismatch = 17, "CONFIG_MISMATCH", final, "An existing consumer's configuration differs from the one asked for.";
    /// The message was already acknowledged with a terminal ack.
    AlreadyAcked = 18, "ALREADY_ACKED", final, "The message was already acknowledged with a terminal ack.";
    /// A server limit was hit: max messages, max bytes, max consumers, storage.
    LimitExceeded = 19, "LIMIT_EXCEEDED", final, "A server limit was hit: max messages, max bytes, max consumers, storage.";
    /// The user is not permitted to publish or subscribe on that subject.
    PermissionDenied = 20, "PERMISSION_DENIED", final, "The user is not permitted to publish or subscribe on that subject.";
    /// The client, publisher or consumer was closed.
    Closed = 21, "CLOSED", final, "The client, publisher or consumer was closed.";
    /// The process forked after the runtime started; the child must connect anew after
    /// re-importing / re-initialising the library.
    Forked = 22, "FORKED", final, "The process forked after the runtime started; the child must connect anew after re-importing / re-initialising the library.";
    /// Any other JetStream API error; the message carries the server's code.
    Server = 23, "SERVER", final, "Any other JetStream API error; the message carries the server's code.";
    /// A panic inside the library was caught at its boundary.
    Panic = 24, "PANIC", final, "A panic inside the library was caught at its boundary.";
    /// An internal invariant failed; please report it.
    Internal = 25, "INTERNAL", final, "An internal invariant failed; please report it.";
    /// The connected nats-server is too old for a feature; the message names the
    /// feature and the version it needs.
    ServerTooOld = 26, "SERVER_TOO_OLD", final, "The connected nats-server is too old for a feature; the message names the feature and the version it needs.";
}

impl ErrorKind {
    /// The stable number of this kind (the C `jb_result` value).
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The kind with this number, if any.
    pub fn from_code(code: u32) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// The kind with this name (`"NOT_FOUND"`), if any.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A JetBridge error: a kind, a message for humans, and, when the server
/// answered with a JetStream API error, its numeric `err_code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    api_code: Option<u32>,
}

/// The result type of every fallible core call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with `message`. The message must not contain secrets.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            api_code: None,
        }
    }

    /// An `INVALID_ARGUMENT` error naming the offending parameter or key.
    pub fn invalid(what: &str, why: impl fmt::Display) -> Error {
        Error::new(ErrorKind::InvalidArgument, format!("invalid {what}: {why}"))
    }

    /// The `CLOSED` error for an object that was closed.
    pub fn closed(what: &str) -> Error {
        Error::new(ErrorKind::Closed, format!("{what} is closed"))
    }

    /// Attaches the JetStream API error code the server sent.
    pub fn with_api_code(mut self, code: u32) -> Error {
        self.api_code = Some(code);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message (no kind prefix).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The server's JetStream API `err_code`, when the server sent one.
    pub fn api_code(&self) -> Option<u32> {
        self.api_code
    }

    /// Shorthand for `self.kind().is_retryable()`.
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            assert!(seen.insert(kind.code()), "duplicate number {}", kind.code());
            assert_eq!(ErrorKind::from_code(kind.code()), Some(kind));
            assert_eq!(kind.name().to_uppercase(), kind.name());
            assert_eq!(ErrorKind::from_name(kind.name()), Some(kind));
            assert!(kind.description().ends_with('.'));
        }
        assert_eq!(ErrorKind::from_code(0), None);
    }

    #[test]
    fn display_carries_kind_name() {
        let e = Error::invalid("subject", "contains whitespace");
        assert_eq!(
            e.to_string(),
            "INVALID_ARGUMENT: invalid subject: contains whitespace"
        );
        assert!(!e.is_retryable());
        assert!(Error::new(ErrorKind::Timeout, "x").is_retryable());
    }
}
