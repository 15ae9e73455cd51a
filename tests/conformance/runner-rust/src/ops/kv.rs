//! Key-value buckets and watches (SPEC.md §4.11).

use std::time::Duration;

use jetbridge::{ErrorKind, KvConfig, KvEntry, KvWatchEvent, KvWatchOptions, names::Named};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::args::Args;
use crate::outcome::StepResult;
use crate::print;
use crate::state::State;

/// ENTRY.
fn entry(e: &KvEntry) -> Value {
    json!({
        "bucket": e.bucket,
        "key": e.key,
        "value": String::from_utf8_lossy(&e.value),
        "revision": e.revision,
        "operation": e.operation.name(),
        "has_created": e.created != 0,
    })
}

/// `kv_create`.
pub(crate) async fn kv_create(st: &mut State, a: &Args<'_>) -> StepResult {
    let config: KvConfig = a.required_object("config")?.record(&[])?;
    let alias = a.string("as")?.unwrap_or_else(|| config.bucket.clone());
    let kv = st.client()?.create_key_value(config).await?;
    let bucket = kv.bucket().to_string();
    st.buckets.insert(alias, kv);
    Ok(json!({ "bucket": bucket }))
}

/// `kv_create_or_update`.
pub(crate) async fn kv_create_or_update(st: &mut State, a: &Args<'_>) -> StepResult {
    let config: KvConfig = a.required_object("config")?.record(&[])?;
    let alias = a.string("as")?.unwrap_or_else(|| config.bucket.clone());
    let kv = st.client()?.create_or_update_key_value(config).await?;
    let bucket = kv.bucket().to_string();
    st.buckets.insert(alias, kv);
    Ok(json!({ "bucket": bucket }))
}

/// `kv_status`.
pub(crate) async fn kv_status(st: &mut State, a: &Args<'_>) -> StepResult {
    let bucket = a.required_string("bucket")?;
    let status = st.client()?.key_value_status(&bucket).await?;
    Ok(Value::Object(print::record(&status)))
}

/// `kv_names`.
pub(crate) async fn kv_names(st: &mut State, _a: &Args<'_>) -> StepResult {
    Ok(json!({ "names": st.client()?.key_value_names().await? }))
}

/// `kv_open`.
pub(crate) async fn kv_open(st: &mut State, a: &Args<'_>) -> StepResult {
    let bucket = a.required_string("bucket")?;
    let alias = a.string("as")?.unwrap_or_else(|| bucket.clone());
    let kv = st.client()?.key_value(&bucket).await?;
    st.buckets.insert(alias, kv);
    Ok(json!({ "bucket": bucket }))
}

/// `kv_delete_bucket`.
pub(crate) async fn kv_delete_bucket(st: &mut State, a: &Args<'_>) -> StepResult {
    let bucket = a.required_string("bucket")?;
    st.client()?.delete_key_value(&bucket).await?;
    Ok(json!({}))
}

/// `kv_put`, `kv_create_key`, `kv_update`: a write that returns its revision.
pub(crate) async fn kv_write(st: &mut State, a: &Args<'_>, op: &str) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let key = a.required_string("key")?;
    let value = a.required_string("value")?.into_bytes();
    let revision = match op {
        "kv_put" => kv.put(&key, value).await?,
        "kv_create_key" => match a.millis("ttl_ms")? {
            Some(ttl) => kv.create_with_ttl(&key, value, ttl).await?,
            None => kv.create(&key, value).await?,
        },
        _ => kv.update(&key, value, a.required_u64("revision")?).await?,
    };
    Ok(json!({ "revision": revision }))
}

/// `kv_delete`, `kv_purge`.
pub(crate) async fn kv_remove(st: &mut State, a: &Args<'_>, purge: bool) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let key = a.required_string("key")?;
    let expected = a.u64("revision")?;
    let revision = if purge {
        kv.purge(&key, expected).await?
    } else {
        kv.delete(&key, expected).await?
    };
    Ok(json!({ "revision": revision }))
}

/// How often `kv_get` with `wait_ms` tries again.
const GET_RETRY: Duration = Duration::from_millis(50);

/// `kv_get`; with `wait_ms`, a `NOT_FOUND` is tried again until then.
pub(crate) async fn kv_get(st: &mut State, a: &Args<'_>) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let key = a.required_string("key")?;
    let revision = a.u64("revision")?;
    let deadline = Instant::now() + a.millis("wait_ms")?.unwrap_or_default();
    loop {
        let got = match revision {
            Some(revision) => kv.get_revision(&key, revision).await,
            None => kv.get(&key).await,
        };
        match got {
            Err(e) if e.kind() == ErrorKind::NotFound && Instant::now() < deadline => {
                tokio::time::sleep(GET_RETRY).await;
            }
            got => return Ok(entry(&got?)),
        }
    }
}

/// `kv_entry`.
pub(crate) async fn kv_entry(st: &mut State, a: &Args<'_>) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let e = kv.entry(&a.required_string("key")?).await?;
    Ok(json!({ "entry": e.as_ref().map(entry) }))
}

/// `kv_history`.
pub(crate) async fn kv_history(st: &mut State, a: &Args<'_>) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let entries = kv.history(&a.required_string("key")?).await?;
    Ok(json!({ "entries": entries.iter().map(entry).collect::<Vec<_>>() }))
}

/// `kv_keys`.
pub(crate) async fn kv_keys(st: &mut State, a: &Args<'_>) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let filter = a
        .string("filter")?
        .unwrap_or_else(|| jetbridge::WATCH_ALL.into());
    let mut keys = kv.keys_matching(&filter).await?;
    keys.sort();
    Ok(json!({ "keys": keys }))
}

/// `kv_list_keys`: one key at a time from the streamed listing; after
/// `max` keys the listing is dropped.
pub(crate) async fn kv_list_keys(st: &mut State, a: &Args<'_>) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let filter = a
        .string("filter")?
        .unwrap_or_else(|| jetbridge::WATCH_ALL.into());
    let max = a.usize("max")?.unwrap_or(usize::MAX);
    let listing = kv.list_keys(&filter).await?;
    let mut keys = Vec::new();
    while keys.len() < max {
        match listing.next().await? {
            Some(key) => keys.push(key),
            None => break,
        }
    }
    Ok(json!({ "keys": keys }))
}

/// `kv_watch`.
pub(crate) async fn kv_watch(st: &mut State, a: &Args<'_>) -> StepResult {
    let kv = st.bucket(&a.required_string("from")?)?;
    let filter = a
        .string("filter")?
        .unwrap_or_else(|| jetbridge::WATCH_ALL.into());
    let options: KvWatchOptions = a.record(&[])?;
    let alias = a.required_string("as")?;
    let watcher = kv.watch(&filter, options).await?;
    st.watchers.insert(alias, watcher);
    Ok(json!({}))
}

/// `kv_watch_next`: up to `max` events within `wait_ms` in total.
pub(crate) async fn kv_watch_next(st: &mut State, a: &Args<'_>) -> StepResult {
    let watcher = st.watcher(&a.required_string("from")?)?;
    let max = a.usize("max")?.unwrap_or(1);
    let wait = a.millis("wait_ms")?.unwrap_or(Duration::from_millis(2000));
    let deadline = Instant::now() + wait;
    let mut events = Vec::new();
    while events.len() < max {
        match tokio::time::timeout_at(deadline, watcher.next()).await {
            Err(_) => break,
            Ok(event) => events.push(match event? {
                KvWatchEvent::Entry(e) => json!({ "kind": "entry", "entry": entry(&e) }),
                KvWatchEvent::CaughtUp => json!({ "kind": "caught_up", "entry": null }),
            }),
        }
    }
    Ok(json!({ "events": events }))
}

/// `kv_watch_stop`.
pub(crate) fn kv_watch_stop(st: &mut State, a: &Args<'_>) -> StepResult {
    st.watcher(&a.required_string("from")?)?.stop();
    Ok(json!({}))
}
