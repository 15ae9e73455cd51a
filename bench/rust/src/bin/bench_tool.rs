//! `bench-tool`: the driver's hands on the server, independent of the clients
//! under test (plain async-nats).
//!
//! ```text
//! bench-tool setup   --url U --stream S --storage file|memory [--fill N --payload B] [--batched]
//! bench-tool inspect --url U --stream S [--consumer NAME] [--delete]
//! bench-tool setup   --url U --stream B --kv  [--fill N --payload B]
//! bench-tool inspect --url U --stream B --kv  [--delete]
//! bench-tool setup   --url U --stream B --obj [--fill MIB]
//! bench-tool inspect --url U --stream B --obj [--delete]
//! ```
//!
//! `setup` deletes `S` if it exists, creates it fresh (subjects `S.>`, R1, the
//! given storage) and optionally fills it with `N` messages on `S.x` (no msg
//! ids). `inspect` prints the stream's state (and the consumer's), then
//! deletes the stream when asked. Each prints one JSON line.
//!
//! With `--kv`, `S` is a key-value bucket (R1, file, history 1) and the fill
//! is `N` keys `k.0`..`k.<N-1>`, pipelined publishes to `$KV.B.k.<i>`;
//! `inspect` reads the bucket's stream `KV_B`. With `--obj`, `S` is an object
//! store (R1, file) and the fill is the object `bench` of `MIB` MiB of the
//! pattern (async-nats's object store); `inspect` prints that object's `size`
//! and whether its `digest` is the pattern's SHA-256 (`digest_ok`).

use std::collections::{HashMap, VecDeque};

use async_nats::jetstream::{
    self, Context, kv, object_store,
    stream::{Config, StorageType},
};
use jetbridge_bench::{MIB, OBJECT_NAME, PIECE, Pattern, pattern_at};
use serde_json::json;

#[tokio::main]
async fn main() {
    let mut argv = std::env::args().skip(1);
    let command = argv.next().unwrap_or_default();
    let mut flags: HashMap<String, String> = HashMap::new();
    while let Some(flag) = argv.next() {
        let value = if matches!(flag.as_str(), "--delete" | "--kv" | "--obj" | "--batched") {
            "1".to_string()
        } else {
            argv.next().unwrap_or_default()
        };
        flags.insert(flag.trim_start_matches("--").to_string(), value);
    }
    if let Err(e) = run(&command, &flags).await {
        eprintln!("bench-tool {command}: {e}");
        std::process::exit(2);
    }
}

async fn run(command: &str, flags: &HashMap<String, String>) -> Result<(), String> {
    let get = |k: &str| flags.get(k).cloned().ok_or(format!("--{k} is required"));
    let number = |k: &str, default: u64| -> Result<u64, String> {
        flags.get(k).map_or(Ok(default), |v| {
            v.parse().map_err(|_| format!("--{k}: {v}"))
        })
    };
    let client = async_nats::connect(get("url")?)
        .await
        .map_err(|e| e.to_string())?;
    let js = jetstream::new(client.clone());
    let stream = get("stream")?;
    if flags.contains_key("kv") {
        kv_command(&js, command, &stream, flags).await?;
        return client.flush().await.map_err(|e| e.to_string());
    }
    if flags.contains_key("obj") {
        obj_command(&js, command, &stream, flags).await?;
        return client.flush().await.map_err(|e| e.to_string());
    }
    match command {
        "setup" => {
            let storage = match flags.get("storage").map(String::as_str) {
                None | Some("file") => StorageType::File,
                Some("memory") => StorageType::Memory,
                Some(other) => return Err(format!("--storage {other}")),
            };
            let _ = js.delete_stream(&stream).await;
            let config = Config {
                name: stream.clone(),
                subjects: vec![format!("{stream}.>")],
                storage,
                num_replicas: 1,
                ..Config::default()
            };
            if flags.contains_key("batched") {
                create_batched(&client, config).await?;
            } else {
                js.create_stream(config).await.map_err(|e| e.to_string())?;
            }
            let fill = number("fill", 0)?;
            fill_stream(&js, &stream, fill, number("payload", 128)? as usize).await?;
            let mut s = js.get_stream(&stream).await.map_err(|e| e.to_string())?;
            let info = s.info().await.map_err(|e| e.to_string())?;
            if info.state.messages != fill {
                return Err(format!(
                    "filled {fill}, stream holds {}",
                    info.state.messages
                ));
            }
            println!("{}", json!({"ok": true, "messages": info.state.messages}));
        }
        "inspect" => {
            let mut s = js.get_stream(&stream).await.map_err(|e| e.to_string())?;
            let info = s.info().await.map_err(|e| e.to_string())?.clone();
            let mut out = json!({
                "ok": true,
                "messages": info.state.messages,
                "first_seq": info.state.first_sequence,
                "last_seq": info.state.last_sequence,
                "consumer": null,
            });
            if let Some(name) = flags.get("consumer") {
                let c: jetstream::consumer::PullConsumer =
                    s.get_consumer(name).await.map_err(|e| e.to_string())?;
                let ci = c.get_info().await.map_err(|e| e.to_string())?;
                out["consumer"] = json!({
                    "num_pending": ci.num_pending,
                    "num_ack_pending": ci.num_ack_pending,
                    "num_redelivered": ci.num_redelivered,
                    "delivered_stream_seq": ci.delivered.stream_sequence,
                    "ack_floor_stream_seq": ci.ack_floor.stream_sequence,
                });
            }
            if flags.contains_key("delete") {
                js.delete_stream(&stream).await.map_err(|e| e.to_string())?;
            }
            println!("{out}");
        }
        other => return Err(format!("unknown command {other:?} (setup | inspect)")),
    }
    client.flush().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Pipelined fill with at most 1,024 acks outstanding.
async fn fill_stream(js: &Context, stream: &str, n: u64, size: usize) -> Result<(), String> {
    let subject = format!("{stream}.x");
    publish_window(js, n, size, |_| subject.clone()).await
}

/// `n` publishes of `size` bytes to `subject(i)`, at most 1,024 acks
/// outstanding.
async fn publish_window(
    js: &Context,
    n: u64,
    size: usize,
    subject: impl Fn(u64) -> String,
) -> Result<(), String> {
    let payload = bytes::Bytes::from(vec![b'x'; size]);
    let mut window: VecDeque<async_nats::jetstream::context::PublishAckFuture> =
        VecDeque::with_capacity(1024);
    for i in 0..n {
        if window.len() == 1024 {
            if let Some(f) = window.pop_front() {
                f.await.map_err(|e| e.to_string())?;
            }
        }
        window.push_back(
            js.publish(subject(i), payload.clone())
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    for f in window {
        f.await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn flag_number(flags: &HashMap<String, String>, k: &str, default: u64) -> Result<u64, String> {
    flags.get(k).map_or(Ok(default), |v| {
        v.parse().map_err(|_| format!("--{k}: {v}"))
    })
}

/// Creates a stream with `allow_batched` (server 2.14+, fast ingest), which
/// async-nats's `Config` does not have: the same config as JSON plus that key.
async fn create_batched(client: &async_nats::Client, config: Config) -> Result<(), String> {
    let mut body = serde_json::to_value(&config).map_err(|e| e.to_string())?;
    body["allow_batched"] = json!(true);
    let subject = format!("$JS.API.STREAM.CREATE.{}", config.name);
    let reply = client
        .request(subject, body.to_string().into())
        .await
        .map_err(|e| e.to_string())?;
    let answer: serde_json::Value =
        serde_json::from_slice(&reply.payload).map_err(|e| e.to_string())?;
    match answer.get("error") {
        Some(e) => Err(format!("create {} with allow_batched: {e}", config.name)),
        None => Ok(()),
    }
}

/// `setup` / `inspect` of a key-value bucket (see the module docs).
async fn kv_command(
    js: &Context,
    command: &str,
    bucket: &str,
    flags: &HashMap<String, String>,
) -> Result<(), String> {
    let stream = format!("KV_{bucket}");
    match command {
        "setup" => {
            let _ = js.delete_key_value(bucket).await;
            js.create_key_value(kv::Config {
                bucket: bucket.to_string(),
                history: 1,
                storage: StorageType::File,
                num_replicas: 1,
                ..kv::Config::default()
            })
            .await
            .map_err(|e| e.to_string())?;
            let fill = flag_number(flags, "fill", 0)?;
            let size = flag_number(flags, "payload", 128)? as usize;
            publish_window(js, fill, size, |i| format!("$KV.{bucket}.k.{i}")).await?;
            let mut s = js.get_stream(&stream).await.map_err(|e| e.to_string())?;
            let held = s.info().await.map_err(|e| e.to_string())?.state.messages;
            if held != fill {
                return Err(format!("filled {fill} keys, bucket holds {held}"));
            }
            println!("{}", json!({"ok": true, "messages": held}));
        }
        "inspect" => {
            let mut s = js.get_stream(&stream).await.map_err(|e| e.to_string())?;
            let info = s.info().await.map_err(|e| e.to_string())?.clone();
            if flags.contains_key("delete") {
                js.delete_key_value(bucket)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            println!(
                "{}",
                json!({
                    "ok": true,
                    "messages": info.state.messages,
                    "first_seq": info.state.first_sequence,
                    "last_seq": info.state.last_sequence,
                })
            );
        }
        other => return Err(format!("unknown command {other:?} (setup | inspect)")),
    }
    Ok(())
}

/// `setup` / `inspect` of an object store (see the module docs).
async fn obj_command(
    js: &Context,
    command: &str,
    bucket: &str,
    flags: &HashMap<String, String>,
) -> Result<(), String> {
    match command {
        "setup" => {
            let _ = js.delete_object_store(bucket).await;
            let store = js
                .create_object_store(object_store::Config {
                    bucket: bucket.to_string(),
                    storage: StorageType::File,
                    num_replicas: 1,
                    ..object_store::Config::default()
                })
                .await
                .map_err(|e| e.to_string())?;
            let mib = flag_number(flags, "fill", 0)?;
            let mut size = 0;
            if mib > 0 {
                let mut source = Pattern::new(mib * MIB);
                size = store
                    .put(OBJECT_NAME, &mut source)
                    .await
                    .map_err(|e| e.to_string())?
                    .size;
            }
            println!("{}", json!({"ok": true, "size": size}));
        }
        "inspect" => {
            let store = js
                .get_object_store(bucket)
                .await
                .map_err(|e| e.to_string())?;
            let info = store.info(OBJECT_NAME).await.map_err(|e| e.to_string())?;
            let digest = info.digest.clone().unwrap_or_default();
            let want = pattern_digest(info.size as u64);
            if flags.contains_key("delete") {
                js.delete_object_store(bucket)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            println!(
                "{}",
                json!({
                    "ok": true,
                    "size": info.size,
                    "chunks": info.chunks,
                    "digest": digest,
                    "digest_ok": digest == want,
                })
            );
        }
        other => return Err(format!("unknown command {other:?} (setup | inspect)")),
    }
    Ok(())
}

/// `SHA-256=<base64url>` of `size` bytes of the pattern, as clients write it.
fn pattern_digest(size: u64) -> String {
    use base64::Engine;
    use sha2::Digest;
    let mut sha = sha2::Sha256::new();
    let mut offset = 0;
    while offset < size {
        let n = (size - offset).min(PIECE as u64) as usize;
        sha.update(pattern_at(offset, n));
        offset += n as u64;
    }
    format!(
        "SHA-256={}",
        base64::engine::general_purpose::URL_SAFE.encode(sha.finalize())
    )
}
