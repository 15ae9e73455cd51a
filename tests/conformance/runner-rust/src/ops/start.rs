//! Start positions: `{"policy": "all" | "last" | "last_per_subject" | "new" |
//! "sequence" | "time", "seq": N, "after_seq": N, "time_ns": N}`.
//!
//! `time` with `after_seq` reads stored message N of the stream and starts
//! 1 ns after its timestamp, so scenarios never contain wall-clock times.

use jetbridge::{Client, StartPosition};

use crate::args::Args;
use crate::outcome::{StepError, runner};

/// The start position described by `a`, for a consumer of `stream`.
pub(crate) async fn start(
    client: &Client,
    stream: &str,
    a: &Args<'_>,
) -> Result<StartPosition, StepError> {
    let policy = a.required_string("policy")?;
    Ok(match policy.as_str() {
        "all" => StartPosition::All,
        "last" => StartPosition::Last,
        "last_per_subject" => StartPosition::LastPerSubject,
        "new" => StartPosition::New,
        "sequence" => StartPosition::Sequence(a.required_u64("seq")?),
        "time" => match (a.u64("after_seq")?, a.i64("time_ns")?) {
            (Some(seq), None) => {
                let stored = client.get_message(stream, seq).await?;
                StartPosition::Time(stored.timestamp + 1)
            }
            (None, Some(t)) => StartPosition::Time(t),
            _ => return Err(runner("start time needs exactly one of after_seq, time_ns")),
        },
        other => return Err(StepError::Unsupported(format!("start policy {other:?}"))),
    })
}
