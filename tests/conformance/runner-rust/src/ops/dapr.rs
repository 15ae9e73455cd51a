//! Dapr metadata: `dapr_config` prints what a metadata map configures;
//! `dapr_subscribe` subscribes the way the Dapr component does.

use jetbridge::{Auth, ConcurrencyMode, DaprConfig, StartPosition};
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
    let c = &cfg.connect;
    let s = &cfg.subscription;
    let auth = match &c.auth {
        Auth::None => "none",
        Auth::Token(_) => "token",
        Auth::UserPassword { .. } => "user_password",
        Auth::NKey(_) => "nkey",
        Auth::Jwt { .. } => "jwt",
        Auth::CredsFile(_) => "creds_file",
    };
    let start_time_ns = match s.consumer.start {
        StartPosition::Time(t) => Some(t),
        _ => None,
    };
    Ok(json!({
        "connect": {
            "servers": c.servers.len(),
            "name": c.name,
            "auth": auth,
            "tls_client_cert": c.tls.client_cert.is_some(),
            "js_api_prefix": c.js_api_prefix(),
        },
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

/// `dapr_subscribe`: `metadata` and `topic`, on the current client, stored as `as`.
pub(crate) async fn dapr_subscribe(st: &mut State, a: &Args<'_>) -> StepResult {
    let cfg = parse(a)?;
    let topic = a.required_string("topic")?;
    let alias = a.required_string("as")?;
    let stream = st.client()?.subscribe(&topic, &cfg.subscription).await?;
    st.streams.insert(alias, stream);
    Ok(json!({}))
}
