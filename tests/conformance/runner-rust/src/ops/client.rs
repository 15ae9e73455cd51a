//! connect, close, client_info, counters, sleep.

use jetbridge::{Client, ConnectOptions, DaprConfig};
use serde_json::json;

use crate::args::{Args, substitute};
use crate::outcome::StepResult;
use crate::print;
use crate::state::State;

/// `connect`: replaces the client on success; a failed connect keeps the old one.
///
/// For secret hygiene (SPEC.md §7) it writes the `Debug` of the options (or of
/// the Dapr configuration) and of the client or the error to stderr.
pub(crate) async fn connect(st: &mut State, a: &Args<'_>) -> StepResult {
    let options = match a.string_map("dapr")? {
        Some(metadata) => {
            let cfg = DaprConfig::from_metadata(metadata)?;
            eprintln!("  dapr config: {cfg:?}");
            cfg.connect
        }
        None => {
            let servers = match a.strings("servers")? {
                Some(s) => s,
                None => vec![substitute("${JB_URL}")?],
            };
            let mut o = ConnectOptions::with_servers(servers);
            o.name = a.string("name")?;
            o.auth = super::credentials::auth(a)?;
            o.tls = super::credentials::tls(a)?;
            if let Some(d) = a.millis("connect_timeout_ms")? {
                o.connect_timeout = d;
            }
            o
        }
    };
    eprintln!("  options: {options:?}");
    let client = Client::connect(options).await?;
    eprintln!("  client: {client:?}");
    st.client = Some(client);
    Ok(json!({}))
}

/// `close`: the client stays in place so that later steps see `CLOSED`.
pub(crate) async fn close(st: &mut State, _a: &Args<'_>) -> StepResult {
    st.client()?.close().await?;
    Ok(json!({}))
}

/// `drain`: graceful shutdown, within `timeout_ms` when given (else the
/// core's default).
pub(crate) async fn drain(st: &mut State, a: &Args<'_>) -> StepResult {
    let client = st.client()?;
    match a.millis("timeout_ms")? {
        Some(t) => client.drain_within(t).await?,
        None => client.drain().await?,
    }
    Ok(json!({}))
}

/// `flush_acks`: the client's `flush_acks`; `confirm` defaults to false.
pub(crate) async fn flush_acks(st: &mut State, a: &Args<'_>) -> StepResult {
    let confirm = a.bool("confirm")?.unwrap_or(false);
    st.client()?.flush_acks(confirm).await?;
    Ok(json!({}))
}

/// `client_info`: connection state and the server's max payload.
pub(crate) fn client_info(st: &mut State, _a: &Args<'_>) -> StepResult {
    let c = st.client()?;
    let state = c.connection_state();
    Ok(json!({
        "connected": state.connected,
        "closed": c.is_closed(),
        "max_payload": c.max_payload(),
    }))
}

/// `counters`: every counter of the client.
pub(crate) fn counters(st: &mut State, _a: &Args<'_>) -> StepResult {
    Ok(print::counters(&st.client()?.counters()))
}

/// `sleep`: waits `ms` milliseconds.
pub(crate) async fn sleep(a: &Args<'_>) -> StepResult {
    let d = a.millis("ms")?.unwrap_or_default();
    tokio::time::sleep(d).await;
    Ok(json!({}))
}
