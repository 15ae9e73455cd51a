//! The core's log: what an operator needs, through one pipe into each
//! language's logging.
//!
//! Every record goes to [`tracing`] (target `jetbridge`), so a Rust program
//! with a `tracing` subscriber sees it with no setup. A binding instead
//! installs one sink with [`set_log_sink`] and forwards each record to its
//! language's logging (Python `logging`, a Node callback, Go `log/slog`, a C
//! callback). Nothing is logged unless someone listens: without a sink and
//! without a `tracing` subscriber a record costs one atomic load.
//!
//! Records never contain secrets: server URLs are redacted
//! ([`crate::redact_url`]) and credentials are never formatted.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};

/// How important a record is, most important first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum LogLevel {
    /// Something failed and was not recovered.
    Error = 1,
    /// Something failed and JetBridge is recovering (disconnect, stall, retry
    /// budget exhausted, lame duck, slow consumer).
    Warn = 2,
    /// A state change worth knowing (connected, reconnected, recovered).
    Info = 3,
    /// Detail for debugging (each publish retry).
    Debug = 4,
}

crate::names::named!(LogLevel, "log level", {
    Error => "error",
    Warn => "warn",
    Info => "info",
    Debug => "debug",
});

/// One log record.
#[derive(Clone, Copy, Debug)]
pub struct LogRecord<'a> {
    /// How important it is.
    pub level: LogLevel,
    /// What it is about: `connection`, `consumer`, `publish`.
    pub topic: &'static str,
    /// The text, without secrets.
    pub message: &'a str,
}

type Sink = Arc<dyn Fn(&LogRecord<'_>) + Send + Sync>;

/// The most verbose level the sink wants; 0 = no sink.
static SINK_LEVEL: AtomicU8 = AtomicU8::new(0);
static SINK: RwLock<Option<Sink>> = RwLock::new(None);

/// Sends every record at `max_level` or more important to `sink`, from any
/// thread, replacing the previous sink. The sink must be quick and must not
/// call back into JetBridge. Returns once no call of the previous sink is
/// still running (so never call it from inside a sink).
pub fn set_log_sink(max_level: LogLevel, sink: impl Fn(&LogRecord<'_>) + Send + Sync + 'static) {
    *SINK.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(sink));
    SINK_LEVEL.store(max_level as u8, Ordering::Release);
}

/// Removes the sink: records go to `tracing` only. Returns once no call of
/// the sink is still running, so whatever the sink used may go away then
/// (an interpreter shutting down); never call it from inside a sink.
pub fn clear_log_sink() {
    SINK_LEVEL.store(0, Ordering::Release);
    *SINK.write().unwrap_or_else(|p| p.into_inner()) = None;
}

/// Logs one record (use the [`log!`] macro).
pub(crate) fn emit(level: LogLevel, topic: &'static str, message: std::fmt::Arguments<'_>) {
    let to_sink = (level as u8) <= SINK_LEVEL.load(Ordering::Acquire);
    let to_tracing = match level {
        LogLevel::Error => tracing::enabled!(target: "jetbridge", tracing::Level::ERROR),
        LogLevel::Warn => tracing::enabled!(target: "jetbridge", tracing::Level::WARN),
        LogLevel::Info => tracing::enabled!(target: "jetbridge", tracing::Level::INFO),
        LogLevel::Debug => tracing::enabled!(target: "jetbridge", tracing::Level::DEBUG),
    };
    if !to_sink && !to_tracing {
        return;
    }
    let text = message.to_string();
    if to_tracing {
        match level {
            LogLevel::Error => tracing::error!(target: "jetbridge", topic, "{text}"),
            LogLevel::Warn => tracing::warn!(target: "jetbridge", topic, "{text}"),
            LogLevel::Info => tracing::info!(target: "jetbridge", topic, "{text}"),
            LogLevel::Debug => tracing::debug!(target: "jetbridge", topic, "{text}"),
        }
    }
    if to_sink {
        // The read lock is held during the call: replacing or clearing the
        // sink waits for the calls in flight.
        let sink = SINK.read().unwrap_or_else(|p| p.into_inner());
        if let Some(sink) = sink.as_ref() {
            // A panicking sink must not take a core task down with it.
            let record = LogRecord {
                level,
                topic,
                message: &text,
            };
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sink(&record)));
        }
    }
}

/// `log!(Warn, "connection", "disconnected from {}", url)`.
macro_rules! log {
    ($level:ident, $topic:literal, $($arg:tt)+) => {
        $crate::log::emit($crate::log::LogLevel::$level, $topic, format_args!($($arg)+))
    };
}
pub(crate) use log;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::names::Named;
    use std::sync::Mutex;

    #[test]
    fn the_sink_gets_records_up_to_its_level_and_survives_a_panicking_sink() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        // Other tests may log at the same time: only topic "test" is looked at.
        set_log_sink(LogLevel::Info, move |r| {
            if r.topic == "test" {
                s.lock()
                    .unwrap()
                    .push(format!("{}: {}", r.level.name(), r.message));
            }
        });
        log!(
            Warn,
            "test",
            "disconnected from {}",
            "nats://127.0.0.1:4222"
        );
        log!(Debug, "test", "not wanted");
        log!(Info, "test", "reconnected");
        assert_eq!(
            *seen.lock().unwrap(),
            vec![
                "warn: disconnected from nats://127.0.0.1:4222",
                "info: reconnected"
            ]
        );
        set_log_sink(LogLevel::Debug, |_| panic!("a bad sink"));
        log!(Error, "test", "still fine");
        clear_log_sink();
        log!(Error, "test", "nobody listens");
    }
}
