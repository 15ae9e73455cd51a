//! Consumer administration and `fetch`.

use std::time::{Duration, Instant};

use jetbridge::{Client, Consumer, ConsumerConfig, FetchOptions};
use serde_json::{Value, json};

use crate::args::Args;
use crate::outcome::{StepError, StepResult, runner};
use crate::print;
use crate::state::State;

/// A consumer configuration from a scenario's `config` object, read from the
/// core's declaration ([`Args::record`]); `start` (the field of kind `Start`)
/// is START (`start.rs`); `deliver_subject` is never given (the binding makes
/// it for push consumers), so it is an unknown argument.
pub(crate) async fn config(
    client: &Client,
    stream: &str,
    a: &Args<'_>,
) -> Result<ConsumerConfig, StepError> {
    let mut c: ConsumerConfig = a.record(&["deliver_subject"])?;
    if let Some(s) = a.object("start")? {
        c.start = super::start::start(client, stream, &s).await?;
    }
    Ok(c)
}

/// The alias a consumer handle is stored under: `as`, else its durable name.
/// Read after the core call, so that the core judges the configuration first.
fn alias(a: &Args<'_>, durable: Option<&str>) -> Result<String, StepError> {
    match (a.string("as")?, durable) {
        (Some(alias), _) => Ok(alias),
        (None, Some(name)) => Ok(name.to_string()),
        (None, None) => Err(runner("an ephemeral consumer needs \"as\"")),
    }
}

fn stored(st: &mut State, alias: String, consumer: Consumer) -> StepResult {
    let printed = json!({
        "stream": consumer.stream(),
        "name": print::consumer_name(&consumer.config(), consumer.name()),
    });
    st.consumers.insert(alias, consumer);
    Ok(printed)
}

async fn config_arg(
    st: &State,
    stream: &str,
    a: &Args<'_>,
    key: &str,
) -> Result<Option<ConsumerConfig>, StepError> {
    match a.object(key)? {
        Some(c) => Ok(Some(config(st.client()?, stream, &c).await?)),
        None => Ok(None),
    }
}

/// `create_consumer`.
pub(crate) async fn create_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let c = config_arg(st, &stream, a, "config")
        .await?
        .unwrap_or_default();
    let consumer = st.client()?.create_consumer(&stream, c).await?;
    let alias = alias(a, consumer.config().durable_name.as_deref())?;
    stored(st, alias, consumer)
}

/// `update_consumer`.
pub(crate) async fn update_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let c = config_arg(st, &stream, a, "config")
        .await?
        .unwrap_or_default();
    let consumer = st.client()?.update_consumer(&stream, c).await?;
    let alias = alias(a, consumer.config().durable_name.as_deref())?;
    stored(st, alias, consumer)
}

/// `get_or_create_consumer`.
pub(crate) async fn get_or_create_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let c = config_arg(st, &stream, a, "config")
        .await?
        .unwrap_or_default();
    let consumer = st.client()?.get_or_create_consumer(&stream, c).await?;
    let alias = alias(a, consumer.config().durable_name.as_deref())?;
    stored(st, alias, consumer)
}

/// `bind_consumer`: with `expected`, a differing configuration is `CONFIG_MISMATCH`.
pub(crate) async fn bind_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let name = a.required_string("name")?;
    let expected = config_arg(st, &stream, a, "expected").await?;
    let consumer = st.client()?.bind_consumer(&stream, &name, expected).await?;
    let alias = alias(a, Some(&name))?;
    stored(st, alias, consumer)
}

/// `consumer_info`: by `consumer` alias, or by `stream` and `name`. With
/// `wait_for`, re-reads (every 50 ms, up to `timeout_ms`, default 5000) until
/// each listed state field has the given value, then prints the last info.
pub(crate) async fn consumer_info(st: &mut State, a: &Args<'_>) -> StepResult {
    let wait_for = a.raw("wait_for").and_then(Value::as_object);
    let timeout = a.millis("timeout_ms")?.unwrap_or(Duration::from_secs(5));
    let (stream, name) = match a.string("consumer")? {
        Some(alias) => {
            let c = st.consumer(&alias)?;
            (c.stream().to_string(), c.name().to_string())
        }
        None => (a.required_string("stream")?, a.required_string("name")?),
    };
    let client = st.client()?;
    let deadline = Instant::now() + timeout;
    loop {
        let info = client.consumer_info(&stream, &name).await?;
        let state = print::consumer_state(&info);
        let settled = wait_for.is_none_or(|want| want.iter().all(|(k, v)| state.get(k) == Some(v)));
        if settled || Instant::now() >= deadline {
            return Ok(print::consumer_info(&info));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `delete_consumer`.
pub(crate) async fn delete_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let name = a.required_string("name")?;
    st.client()?.delete_consumer(&stream, &name).await?;
    Ok(json!({}))
}

/// `fetch`: up to `max_messages` (default 1) within `max_wait_ms` (default
/// 5000); zero messages is a result, not an error. The options are the
/// declared `FetchOptions` read from the arguments (`Args::record`).
pub(crate) async fn fetch(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("consumer")?;
    let cancel_after = a.millis("cancel_after_ms")?;
    let options: FetchOptions = a.record(&["cancel_after_ms"])?;
    let fetching = st.consumer(&alias)?.fetch(options);
    // Rust cancels a call by dropping its future.
    let batch = match cancel_after {
        Some(after) => match tokio::time::timeout(after, fetching).await {
            Ok(batch) => batch?,
            Err(_) => return Ok(serde_json::json!({"cancelled": true})),
        },
        None => fetching.await?,
    };
    let printed = print::messages(&batch);
    st.remember(&alias, batch);
    Ok(printed)
}

/// `pause_consumer`: until `until` (Unix nanoseconds) → PAUSE_STATE.
pub(crate) async fn pause_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let name = a.required_string("name")?;
    let until =
        jetbridge::record::system_time(a.i64("until")?.ok_or_else(|| runner("until is required"))?);
    let state = st.client()?.pause_consumer(&stream, &name, until).await?;
    Ok(print::pause_state(&state))
}

/// `resume_consumer` → PAUSE_STATE.
pub(crate) async fn resume_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let name = a.required_string("name")?;
    let state = st.client()?.resume_consumer(&stream, &name).await?;
    Ok(print::pause_state(&state))
}

/// `unpin_consumer` → `{}`.
pub(crate) async fn unpin_consumer(st: &mut State, a: &Args<'_>) -> StepResult {
    let stream = a.required_string("stream")?;
    let name = a.required_string("name")?;
    let group = a.required_string("group")?;
    st.client()?.unpin_consumer(&stream, &name, &group).await?;
    Ok(json!({}))
}
