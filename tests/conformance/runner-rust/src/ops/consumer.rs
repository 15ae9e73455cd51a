//! Consumer administration and `fetch`.

use std::time::{Duration, Instant};

use jetbridge::{AckPolicy, Client, Consumer, ConsumerConfig, FetchOptions, ReplaySpeed};
use serde_json::{Value, json};

use crate::args::Args;
use crate::outcome::{StepError, StepResult, runner};
use crate::print;
use crate::state::State;

/// A consumer configuration from a scenario's `config` object.
pub(crate) async fn config(
    client: &Client,
    stream: &str,
    a: &Args<'_>,
) -> Result<ConsumerConfig, StepError> {
    let mut c = ConsumerConfig {
        durable_name: a.string("durable")?,
        description: a.string("description")?,
        ack_wait: a.millis("ack_wait_ms")?,
        max_deliver: a.i64("max_deliver")?,
        backoff: a.millis_list("backoff_ms")?.unwrap_or_default(),
        max_ack_pending: a.i64("max_ack_pending")?,
        filter_subjects: a.strings("filter_subjects")?.unwrap_or_default(),
        inactive_threshold: a.millis("inactive_threshold_ms")?,
        replicas: a.usize("replicas")?.unwrap_or(0),
        memory_storage: a.bool("memory_storage")?.unwrap_or(false),
        rate_limit_bps: a.u64("rate_limit_bps")?,
        max_waiting: a.i64("max_waiting")?,
        deliver_group: a.string("deliver_group")?,
        flow_control: a.bool("flow_control")?.unwrap_or(false),
        idle_heartbeat: a.millis("idle_heartbeat_ms")?,
        ..ConsumerConfig::default()
    };
    if let Some(s) = a.object("start")? {
        c.start = super::start::start(client, stream, &s).await?;
    }
    if let Some(p) = a.string("ack_policy")? {
        c.ack_policy = match p.as_str() {
            "explicit" => AckPolicy::Explicit,
            "all" => AckPolicy::All,
            "none" => AckPolicy::None,
            other => return Err(StepError::Unsupported(format!("ack policy {other:?}"))),
        };
    }
    if let Some(r) = a.string("replay")? {
        c.replay = replay_speed(&r)?;
    }
    Ok(c)
}

/// `instant` or `original`.
pub(crate) fn replay_speed(s: &str) -> Result<ReplaySpeed, StepError> {
    match s {
        "instant" => Ok(ReplaySpeed::Instant),
        "original" => Ok(ReplaySpeed::Original),
        other => Err(StepError::Unsupported(format!("replay speed {other:?}"))),
    }
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
/// 5000); zero messages is a result, not an error.
pub(crate) async fn fetch(st: &mut State, a: &Args<'_>) -> StepResult {
    let alias = a.required_string("consumer")?;
    let mut options = FetchOptions::default();
    if let Some(n) = a.usize("max_messages")? {
        options.max_messages = n;
    }
    if let Some(d) = a.millis("max_wait_ms")? {
        options.max_wait = d;
    }
    options.max_bytes = a.usize("max_bytes")?;
    options.no_wait = a.bool("no_wait")?.unwrap_or(false);
    options.heartbeat = a.millis("heartbeat_ms")?;
    let batch = st.consumer(&alias)?.fetch(options).await?;
    let printed = print::messages(&batch);
    st.remember(&alias, batch);
    Ok(printed)
}
