//! Where a consumer starts, and how fast it replays: one type for every language.

use crate::error::{Error, Result};

/// The first message a consumer delivers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StartPosition {
    /// The first message in the stream (default).
    #[default]
    All,
    /// The last message in the stream.
    Last,
    /// The last message of each subject.
    LastPerSubject,
    /// Only messages published after the consumer was created.
    New,
    /// The message with this stream sequence, or the next one after it.
    Sequence(u64),
    /// The first message stored at or after this time (Unix nanoseconds).
    Time(i64),
}

impl StartPosition {
    /// The JetStream `deliver_policy` name.
    pub fn policy_name(&self) -> &'static str {
        match self {
            StartPosition::All => "all",
            StartPosition::Last => "last",
            StartPosition::LastPerSubject => "last_per_subject",
            StartPosition::New => "new",
            StartPosition::Sequence(_) => "by_start_sequence",
            StartPosition::Time(_) => "by_start_time",
        }
    }

    /// The position as the bindings write it: a short policy name (`all`,
    /// `last`, `last_per_subject`, `new`, `sequence`, `time`), the sequence
    /// and the time (Unix nanoseconds). [`StartPosition::from_parts`] reads
    /// it back.
    pub fn parts(&self) -> (&'static str, Option<u64>, Option<i64>) {
        match *self {
            StartPosition::Sequence(n) => ("sequence", Some(n), None),
            StartPosition::Time(t) => ("time", None, Some(t)),
            other => (other.policy_name(), None, None),
        }
    }

    /// Parses a policy name (`all`, `last`, `last_per_subject`, `new`,
    /// `by_start_sequence`/`sequence`, `by_start_time`/`time`) with its argument.
    pub fn from_parts(
        policy: &str,
        sequence: Option<u64>,
        time_nanos: Option<i64>,
    ) -> Result<StartPosition> {
        Ok(match policy {
            "all" | "" => StartPosition::All,
            "last" => StartPosition::Last,
            "last_per_subject" | "lastPerSubject" => StartPosition::LastPerSubject,
            "new" => StartPosition::New,
            "by_start_sequence" | "sequence" => match sequence {
                Some(s) if s > 0 => StartPosition::Sequence(s),
                _ => {
                    return Err(Error::invalid(
                        "start sequence",
                        "a sequence of at least 1 is required",
                    ));
                }
            },
            "by_start_time" | "time" => match time_nanos {
                Some(t) => StartPosition::Time(t),
                None => return Err(Error::invalid("start time", "a start time is required")),
            },
            other => {
                return Err(Error::invalid(
                    "deliver policy",
                    format!(
                        "{other:?} is not one of all, last, last_per_subject, new, sequence, time"
                    ),
                ));
            }
        })
    }
}

/// How fast stored messages are delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReplaySpeed {
    /// As fast as the consumer takes them (default).
    #[default]
    Instant,
    /// With the original gaps between them.
    Original,
}

crate::names::named!(ReplaySpeed, "replay", { Instant => "instant", Original => "original" });
