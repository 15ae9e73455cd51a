//! Object stores (SPEC.md §4.11).

use std::time::Duration;

use jetbridge::{
    ObjectInfo, ObjectMeta, ObjectStoreConfig, ObjectStoreStatus, ObjectWatchEvent,
    ObjectWatchOptions,
};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::args::Args;
use crate::outcome::StepResult;
use crate::print;
use crate::state::State;

/// The size of a piece handed to the writer when `piece` is not given.
const DEFAULT_PIECE: usize = 65536;

/// OBJECT_INFO.
fn info(i: &ObjectInfo) -> Value {
    json!({
        "name": i.name,
        "bucket": i.bucket,
        "description": i.description,
        "size": i.size,
        "chunks": i.chunks,
        "digest": i.digest,
        "deleted": i.deleted,
        "metadata": i.metadata,
        "link": i.link.as_ref().map(|l| json!({ "bucket": l.bucket, "name": l.name })),
    })
}

/// The `data_size` pattern: byte `i` is `i * 31 mod 251`.
fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

/// `obj_create`.
pub(crate) async fn obj_create(st: &mut State, a: &Args<'_>) -> StepResult {
    let config: ObjectStoreConfig = a.required_object("config")?.record(&[])?;
    let alias = a.string("as")?.unwrap_or_else(|| config.bucket.clone());
    let store = st.client()?.create_object_store(config).await?;
    let bucket = store.bucket().to_string();
    st.object_stores.insert(alias, store);
    Ok(json!({ "bucket": bucket }))
}

/// `obj_open`.
pub(crate) async fn obj_open(st: &mut State, a: &Args<'_>) -> StepResult {
    let bucket = a.required_string("bucket")?;
    let alias = a.string("as")?.unwrap_or_else(|| bucket.clone());
    let store = st.client()?.object_store(&bucket).await?;
    st.object_stores.insert(alias, store);
    Ok(json!({ "bucket": bucket }))
}

/// OBJ_STATUS: the declared status without `bytes`.
fn status(s: &ObjectStoreStatus) -> Value {
    let mut printed = print::record(s);
    printed.remove("bytes");
    Value::Object(printed)
}

/// `obj_status`.
pub(crate) async fn obj_status(st: &mut State, a: &Args<'_>) -> StepResult {
    let bucket = a.required_string("bucket")?;
    Ok(status(&st.client()?.object_store_status(&bucket).await?))
}

/// `obj_names`.
pub(crate) async fn obj_names(st: &mut State, _a: &Args<'_>) -> StepResult {
    Ok(json!({ "names": st.client()?.object_store_names().await? }))
}

/// `obj_seal`.
pub(crate) async fn obj_seal(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    Ok(status(&store.seal().await?))
}

/// `obj_delete_store`.
pub(crate) async fn obj_delete_store(st: &mut State, a: &Args<'_>) -> StepResult {
    let bucket = a.required_string("bucket")?;
    st.client()?.delete_object_store(&bucket).await?;
    Ok(json!({}))
}

/// `obj_put`: the content goes through the streaming writer in pieces.
pub(crate) async fn obj_put(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    let name = a.required_string("name")?;
    let meta = ObjectMeta {
        name,
        description: a.string("description")?,
        metadata: a
            .string_map("metadata")?
            .unwrap_or_default()
            .into_iter()
            .collect(),
    };
    let content = match a.usize("data_size")? {
        Some(n) => pattern(n),
        None => a.string("data")?.unwrap_or_default().into_bytes(),
    };
    let piece = a.usize("piece")?.unwrap_or(DEFAULT_PIECE).max(1);
    let writer = store.writer_with_meta(meta)?;
    for part in content.chunks(piece) {
        writer.write(part).await?;
    }
    Ok(info(&writer.finish().await?))
}

/// `obj_get`: read through the streaming reader.
pub(crate) async fn obj_get(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    // The core hands out whole chunks; the piece size only matters to
    // bindings that read into a buffer.
    let _ = a.usize("piece")?;
    let reader = store.get(&a.required_string("name")?).await?;
    let mut read = Vec::new();
    while let Some(chunk) = reader.next_chunk().await? {
        read.extend_from_slice(&chunk);
    }
    Ok(json!({
        "info": info(reader.info()),
        "bytes": read.len(),
        "data": (read.len() <= 64).then(|| String::from_utf8_lossy(&read).into_owned()),
        "pattern": read == pattern(read.len()),
    }))
}

/// `obj_info`.
pub(crate) async fn obj_info(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    Ok(info(&store.info(&a.required_string("name")?).await?))
}

/// `obj_delete`.
pub(crate) async fn obj_delete(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    store.delete(&a.required_string("name")?).await?;
    Ok(json!({}))
}

/// `obj_list`.
pub(crate) async fn obj_list(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    let mut list = store.list().await?;
    list.sort_by(|x, y| x.name.cmp(&y.name));
    Ok(json!({ "objects": list.iter().map(info).collect::<Vec<_>>() }))
}

/// `obj_add_link`: the target's info is read from `to_from`, then linked.
pub(crate) async fn obj_add_link(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    let target_store = st.object_store(&a.required_string("to_from")?)?;
    let target = target_store.info(&a.required_string("to")?).await?;
    Ok(info(
        &store.add_link(&a.required_string("name")?, &target).await?,
    ))
}

/// `obj_add_bucket_link`.
pub(crate) async fn obj_add_bucket_link(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    let name = a.required_string("name")?;
    Ok(info(
        &store
            .add_bucket_link(&name, &a.required_string("bucket")?)
            .await?,
    ))
}

/// `obj_update_meta`.
pub(crate) async fn obj_update_meta(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    let meta: ObjectMeta = a.required_object("meta")?.record(&[])?;
    Ok(info(
        &store.update_meta(&a.required_string("name")?, meta).await?,
    ))
}

/// `obj_watch`.
pub(crate) async fn obj_watch(st: &mut State, a: &Args<'_>) -> StepResult {
    let store = st.object_store(&a.required_string("from")?)?;
    let options: ObjectWatchOptions = a.record(&[])?;
    let alias = a.required_string("as")?;
    let watcher = store.watch(options).await?;
    st.object_watchers.insert(alias, watcher);
    Ok(json!({}))
}

/// `obj_watch_next`: up to `max` events within `wait_ms` in total.
pub(crate) async fn obj_watch_next(st: &mut State, a: &Args<'_>) -> StepResult {
    let watcher = st.object_watcher(&a.required_string("from")?)?;
    let max = a.usize("max")?.unwrap_or(1);
    let wait = a.millis("wait_ms")?.unwrap_or(Duration::from_millis(2000));
    let deadline = Instant::now() + wait;
    let mut events = Vec::new();
    while events.len() < max {
        match tokio::time::timeout_at(deadline, watcher.next()).await {
            Err(_) => break,
            Ok(event) => events.push(match event? {
                ObjectWatchEvent::Info(i) => json!({ "kind": "info", "info": info(&i) }),
                ObjectWatchEvent::CaughtUp => json!({ "kind": "caught_up", "info": null }),
            }),
        }
    }
    Ok(json!({ "events": events }))
}

/// `obj_watch_stop`.
pub(crate) fn obj_watch_stop(st: &mut State, a: &Args<'_>) -> StepResult {
    st.object_watcher(&a.required_string("from")?)?.stop();
    Ok(json!({}))
}
