//! Stream administration: create, update, info, delete, purge, get message.

use jetbridge::{DiscardPolicy, PurgeOptions, RetentionPolicy, StorageType, StreamConfig};
use serde_json::json;

use crate::args::Args;
use crate::outcome::{StepError, StepResult};
use crate::print;
use crate::state::State;

fn unsupported(what: &str, value: &str) -> StepError {
    StepError::Unsupported(format!("{what} {value:?}"))
}

/// A stream configuration from `create_stream` / `update_stream` arguments.
fn config(a: &Args<'_>) -> Result<StreamConfig, StepError> {
    let mut c = StreamConfig::new(
        a.required_string("name")?,
        a.strings("subjects")?.unwrap_or_default(),
    );
    if let Some(s) = a.string("storage")? {
        c.storage = match s.as_str() {
            "file" => StorageType::File,
            "memory" => StorageType::Memory,
            other => return Err(unsupported("storage", other)),
        };
    }
    if let Some(r) = a.string("retention")? {
        c.retention = match r.as_str() {
            "limits" => RetentionPolicy::Limits,
            "interest" => RetentionPolicy::Interest,
            "workqueue" => RetentionPolicy::WorkQueue,
            other => return Err(unsupported("retention", other)),
        };
    }
    if let Some(d) = a.string("discard")? {
        c.discard = match d.as_str() {
            "old" => DiscardPolicy::Old,
            "new" => DiscardPolicy::New,
            other => return Err(unsupported("discard", other)),
        };
    }
    if let Some(n) = a.usize("replicas")? {
        c.replicas = n;
    }
    if let Some(n) = a.i64("max_msgs")? {
        c.max_msgs = n;
    }
    if let Some(n) = a.i64("max_bytes")? {
        c.max_bytes = n;
    }
    if let Some(n) = a.i64("max_msgs_per_subject")? {
        c.max_msgs_per_subject = n;
    }
    if let Some(n) = a.i64("max_msg_size")? {
        c.max_msg_size = i32::try_from(n).unwrap_or(i32::MAX);
    }
    if let Some(d) = a.millis("max_age_ms")? {
        c.max_age = d;
    }
    if let Some(d) = a.millis("duplicate_window_ms")? {
        c.duplicate_window = d;
    }
    c.description = a.string("description")?;
    Ok(c)
}

/// `create_stream`.
pub(crate) async fn create_stream(st: &mut State, a: &Args<'_>) -> StepResult {
    let c = config(a)?;
    Ok(print::stream_info(&st.client()?.create_stream(c).await?))
}

/// `update_stream`.
pub(crate) async fn update_stream(st: &mut State, a: &Args<'_>) -> StepResult {
    let c = config(a)?;
    Ok(print::stream_info(&st.client()?.update_stream(c).await?))
}

/// `stream_info`.
pub(crate) async fn stream_info(st: &mut State, a: &Args<'_>) -> StepResult {
    let name = a.required_string("name")?;
    Ok(print::stream_info(&st.client()?.stream_info(&name).await?))
}

/// `delete_stream`.
pub(crate) async fn delete_stream(st: &mut State, a: &Args<'_>) -> StepResult {
    let name = a.required_string("name")?;
    st.client()?.delete_stream(&name).await?;
    Ok(json!({}))
}

/// `purge_stream`.
pub(crate) async fn purge_stream(st: &mut State, a: &Args<'_>) -> StepResult {
    let name = a.required_string("name")?;
    let options = PurgeOptions {
        subject: a.string("subject")?,
        up_to_sequence: a.u64("up_to_sequence")?,
        keep: a.u64("keep")?,
    };
    let purged = st.client()?.purge_stream(&name, options).await?;
    Ok(json!({ "purged": purged }))
}

/// `get_message`.
pub(crate) async fn get_message(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let seq = a.required_u64("seq")?;
    Ok(print::stored(
        &st.client()?.get_message(&stream, seq).await?,
    ))
}

/// `get_last_message`.
pub(crate) async fn get_last_message(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let subject = a.required_string("subject")?;
    Ok(print::stored(
        &st.client()?.get_last_message(&stream, &subject).await?,
    ))
}

/// `stream_by_subject`.
pub(crate) async fn stream_by_subject(st: &mut State, a: &Args<'_>) -> StepResult {
    let subject = a.required_string("subject")?;
    let name = st.client()?.stream_by_subject(&subject).await?;
    Ok(json!({ "stream": name }))
}
