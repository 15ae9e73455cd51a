//! Stream administration: create, update, info, delete, purge, get message.

use jetbridge::{GetMessagesOptions, PurgeOptions, StreamConfig};
use serde_json::json;

use crate::args::Args;
use crate::outcome::{StepResult, runner};
use crate::print;
use crate::state::State;

/// `create_stream`.
pub(crate) async fn create_stream(st: &mut State, a: &Args<'_>) -> StepResult {
    let c: StreamConfig = a.record(&[])?;
    Ok(print::stream_info(&st.client()?.create_stream(c).await?))
}

/// `update_stream`.
pub(crate) async fn update_stream(st: &mut State, a: &Args<'_>) -> StepResult {
    let c: StreamConfig = a.record(&[])?;
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

/// `get_next_message`: the first message at or after `seq` on `subject`.
pub(crate) async fn get_next_message(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let subject = a.required_string("subject")?;
    let seq = a.u64("seq")?.ok_or_else(|| runner("seq is required"))?;
    Ok(print::stored(
        &st.client()?
            .get_next_message(&stream, &subject, seq)
            .await?,
    ))
}

/// `get_messages`: a batch read, its options the declared
/// `GetMessagesOptions` read from the arguments → STORED_LIST.
pub(crate) async fn get_messages(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let options: GetMessagesOptions = a.record(&[])?;
    let list = st.client()?.get_messages(&stream, options).await?;
    Ok(json!({
        "count": list.len(),
        "messages": list.iter().map(print::stored).collect::<Vec<_>>(),
    }))
}

/// `stream_by_subject`.
pub(crate) async fn stream_by_subject(st: &mut State, a: &Args<'_>) -> StepResult {
    let subject = a.required_string("subject")?;
    let name = st.client()?.stream_by_subject(&subject).await?;
    Ok(json!({ "stream": name }))
}

/// `list_streams` → `{"names": [...]}`, in the order listed.
pub(crate) async fn list_streams(st: &mut State, a: &Args<'_>) -> StepResult {
    let subject = a.string("subject")?;
    let infos = st.client()?.list_streams(subject.as_deref()).await?;
    let names: Vec<&str> = infos.iter().map(|i| i.config.name.as_str()).collect();
    Ok(json!({ "names": names }))
}

/// `list_consumers` → `{"names": [...]}`, in the order listed.
pub(crate) async fn list_consumers(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let infos = st.client()?.list_consumers(&stream).await?;
    let names: Vec<&str> = infos.iter().map(|i| i.name.as_str()).collect();
    Ok(json!({ "names": names }))
}

/// `delete_message` → `{}`.
pub(crate) async fn delete_message(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let seq = a.required_u64("seq")?;
    let erase = a.bool("erase")?.unwrap_or(false);
    st.client()?.delete_message(&stream, seq, erase).await?;
    Ok(json!({}))
}

/// `account_info` → ACCOUNT_INFO.
pub(crate) async fn account_info(st: &mut State, _a: &Args<'_>) -> StepResult {
    let info = st.client()?.account_info().await?;
    Ok(print::account_info(&info))
}
