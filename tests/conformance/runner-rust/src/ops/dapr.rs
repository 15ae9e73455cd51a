//! Dapr metadata: `dapr_config` prints what a metadata map configures;
//! `dapr_subscribe` subscribes the way the Dapr component does.

use jetbridge::{
    Auth, ConcurrencyMode, ConnectOptions, DaprConfig, DaprStateConfig, StartPosition,
};
use serde_json::json;

use crate::args::Args;
use crate::outcome::{StepResult, runner};
use crate::print;
use crate::state::State;

fn parse(a: &Args<'_>) -> Result<DaprConfig, crate::outcome::StepError> {
    let metadata = a
        .string_map("metadata")?
        .ok_or_else(|| runner("argument metadata is required"))?;
    let cfg = DaprConfig::from_metadata(metadata)?;
    // Secret hygiene (SPEC.md §7): the driver checks that this shows no secret.
    eprintln!("  dapr config: {cfg:?}");
    Ok(cfg)
}

/// `dapr_config`: the connect and subscription options, normalised (server
/// URLs are counted, never printed; secrets never printed).
pub(crate) fn dapr_config(a: &Args<'_>) -> StepResult {
    let cfg = parse(a)?;
    let s = &cfg.subscription;
    let start_time_ns = match s.consumer.start {
        StartPosition::Time(t) => Some(t),
        _ => None,
    };
    Ok(json!({
        "connect": connect_summary(&cfg.connect),
        "subscription": {
            "stream_name": s.stream_name,
            "concurrency": match s.concurrency {
                ConcurrencyMode::Single => "single",
                ConcurrencyMode::Parallel => "parallel",
            },
            "start_time_ns": start_time_ns,
            "consumer": print::consumer_config(&s.consumer),
        },
    }))
}

/// DAPR's `connect`: server URLs are counted, never printed; secrets never printed.
fn connect_summary(c: &ConnectOptions) -> serde_json::Value {
    let auth = match &c.auth {
        Auth::None => "none",
        Auth::Token(_) => "token",
        Auth::UserPassword { .. } => "user_password",
        Auth::NKey(_) => "nkey",
        Auth::Jwt { .. } => "jwt",
        Auth::CredsFile(_) => "creds_file",
    };
    json!({
        "servers": c.servers.len(),
        "name": c.name,
        "auth": auth,
        "tls_client_cert": c.tls.client_cert.is_some(),
        "js_api_prefix": c.js_api_prefix(),
    })
}

/// `dapr_subscribe`: `metadata` and `topic`, on the current client, stored as `as`.
pub(crate) async fn dapr_subscribe(st: &mut State, a: &Args<'_>) -> StepResult {
    let cfg = parse(a)?;
    let topic = a.required_string("topic")?;
    let alias = a.required_string("as")?;
    let stream = st.client()?.subscribe(&topic, &cfg.subscription).await?;
    st.streams.insert(alias, stream);
    Ok(json!({}))
}

fn parse_state(a: &Args<'_>) -> Result<DaprStateConfig, crate::outcome::StepError> {
    let metadata = a
        .string_map("metadata")?
        .ok_or_else(|| runner("argument metadata is required"))?;
    let cfg = DaprStateConfig::from_metadata(metadata)?;
    // Secret hygiene (SPEC.md §7): the driver checks that this shows no secret.
    eprintln!("  dapr state config: {cfg:?}");
    Ok(cfg)
}

/// `dapr_state_config`: DAPR_STATE.
pub(crate) fn dapr_state_config(a: &Args<'_>) -> StepResult {
    let cfg = parse_state(a)?;
    Ok(json!({ "connect": connect_summary(&cfg.connect), "bucket": cfg.bucket }))
}

/// `dapr_state_open`: the metadata's bucket on the current client, as `as`.
pub(crate) async fn dapr_state_open(st: &mut State, a: &Args<'_>) -> StepResult {
    let cfg = parse_state(a)?;
    let alias = a.string("as")?.unwrap_or_else(|| cfg.bucket.clone());
    let kv = st.client()?.key_value(&cfg.bucket).await?;
    st.buckets.insert(alias, kv);
    Ok(json!({ "bucket": cfg.bucket }))
}

/// `dapr_state_key`.
pub(crate) fn dapr_state_key(a: &Args<'_>) -> StepResult {
    Ok(json!({ "key": jetbridge::dapr_state_key(&a.required_string("key")?) }))
}
