//! The one error type of the harness.

use std::time::Duration;

/// Everything that can go wrong while starting, driving or inspecting servers.
///
/// Messages never contain secrets (tokens, passwords, seeds, JWTs); they may contain
/// file paths and the tail of a server log.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No `nats-server` binary was found; the message names every place that was tried.
    #[error("nats-server binary not found; tried {0}")]
    BinaryNotFound(String),
    /// An I/O operation failed; `context` says which.
    #[error("{context}: {source}")]
    Io {
        /// What the harness was doing.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A bounded wait expired.
    #[error("timed out after {after:?} waiting for {what}{}", tail_suffix(.log_tail))]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long the harness waited.
        after: Duration,
        /// The last lines of the relevant server log, if any.
        log_tail: String,
    },
    /// A nats-server process exited while the harness expected it to run.
    #[error("nats-server {name} exited unexpectedly ({status}){}", tail_suffix(.log_tail))]
    Exited {
        /// The server name (`n1`, ...).
        name: String,
        /// The exit status as text.
        status: String,
        /// The last lines of its log.
        log_tail: String,
    },
    /// The operation is not valid in the current state (e.g. pausing a stopped server).
    #[error("invalid state: {0}")]
    State(String),
    /// A monitoring endpoint answered something unexpected.
    #[error("monitor {url}: {message}")]
    Monitor {
        /// The URL that was requested.
        url: String,
        /// What was wrong.
        message: String,
    },
    /// Generating keys, JWTs or certificates failed.
    #[error("generating {what}: {message}")]
    Crypto {
        /// What was being generated.
        what: String,
        /// The underlying error text (never key material).
        message: String,
    },
    /// An argument was out of range or malformed.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// Result alias used throughout the harness.
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn tail_suffix(tail: &str) -> String {
    if tail.is_empty() {
        String::new()
    } else {
        format!("; log tail:\n{tail}")
    }
}

impl Error {
    /// Wraps an [`std::io::Error`] with a description of what was being done.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// True for a port another process took between picking and binding it
    /// (worth a retry with fresh ports).
    pub(crate) fn is_addr_in_use(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::AddrInUse)
    }

    /// Builds a [`Error::Crypto`] from any displayable error.
    pub(crate) fn crypto(what: &str, err: impl std::fmt::Display) -> Self {
        Error::Crypto {
            what: what.to_string(),
            message: err.to_string(),
        }
    }
}
