//! `bench-tool`: the driver's hands on the server, independent of the clients
//! under test (plain async-nats).
//!
//! ```text
//! bench-tool setup   --url U --stream S --storage file|memory [--fill N --payload B]
//! bench-tool inspect --url U --stream S [--consumer NAME] [--delete]
//! ```
//!
//! `setup` deletes `S` if it exists, creates it fresh (subjects `S.>`, R1, the
//! given storage) and optionally fills it with `N` messages on `S.x` (no msg
//! ids). `inspect` prints the stream's state (and the consumer's), then
//! deletes the stream when asked. Each prints one JSON line.

use std::collections::{HashMap, VecDeque};

use async_nats::jetstream::{
    self, Context,
    stream::{Config, StorageType},
};
use serde_json::json;

#[tokio::main]
async fn main() {
    let mut argv = std::env::args().skip(1);
    let command = argv.next().unwrap_or_default();
    let mut flags: HashMap<String, String> = HashMap::new();
    while let Some(flag) = argv.next() {
        let value = if flag == "--delete" {
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
    match command {
        "setup" => {
            let storage = match flags.get("storage").map(String::as_str) {
                None | Some("file") => StorageType::File,
                Some("memory") => StorageType::Memory,
                Some(other) => return Err(format!("--storage {other}")),
            };
            let _ = js.delete_stream(&stream).await;
            js.create_stream(Config {
                name: stream.clone(),
                subjects: vec![format!("{stream}.>")],
                storage,
                num_replicas: 1,
                ..Config::default()
            })
            .await
            .map_err(|e| e.to_string())?;
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
    let payload = bytes::Bytes::from(vec![b'x'; size]);
    let mut window: VecDeque<async_nats::jetstream::context::PublishAckFuture> =
        VecDeque::with_capacity(1024);
    for _ in 0..n {
        if window.len() == 1024 {
            if let Some(f) = window.pop_front() {
                f.await.map_err(|e| e.to_string())?;
            }
        }
        window.push_back(
            js.publish(subject.clone(), payload.clone())
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    for f in window {
        f.await.map_err(|e| e.to_string())?;
    }
    Ok(())
}
