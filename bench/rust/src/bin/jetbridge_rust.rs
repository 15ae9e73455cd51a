//! Bench entry `jetbridge-rust`: the JetBridge core crate, used as its
//! walkthrough does (a current-thread tokio main; the core runs its I/O on its
//! own runtime). Buckets and stores through the core API:
//! `client.key_value(bucket)` with `put`/`get`/`watch`, and
//! `client.object_store(bucket)` with `put(name, None, AsyncRead)` and
//! `get(name)` read with `ObjectReader::next_chunk`. See `jetbridge_bench` for the command-line
//! contract.

use std::time::Duration;

use jetbridge::{
    Client, ConnectOptions, ConsumerConfig, KvWatchEvent, KvWatchOptions, MessagesOptions,
    PublishMessage, PublisherOptions, ReplayOptions, StartPosition, WATCH_ALL,
};
use jetbridge_bench::{
    Args, DURABLE, MIB, OBJECT_NAME, Pattern, Report, Sequences, dedup_msg_id, fail, kv_key,
    pattern_matches, start, unsupported,
};

const ENTRY: &str = "jetbridge-rust";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let client = match Client::connect(ConnectOptions::with_servers([args.url.clone()])).await {
        Ok(c) => c,
        Err(e) => fail(ENTRY, e),
    };
    let outcome = match args.op.as_str() {
        "publish" | "publish-ids" => publish(&client, &args, Mode::Plain).await,
        "publish-fast" => publish(&client, &args, Mode::FastIngest).await,
        "dedup" => publish(&client, &args, Mode::Dedup).await,
        "latency" => latency(&client, &args).await,
        "consume" => consume(&client, &args, false).await,
        "consume-each" => consume(&client, &args, true).await,
        "replay" => replay(&client, &args).await,
        "kv-put" => kv_put(&client, &args).await,
        "kv-get" => kv_get(&client, &args).await,
        "kv-watch" => kv_watch(&client, &args).await,
        "obj-put" => obj_put(&client, &args).await,
        "obj-get" => obj_get(&client, &args).await,
        "core" => unsupported(ENTRY, &args, "JetBridge has no core NATS publish"),
        other => fail(ENTRY, format!("unknown op {other}")),
    };
    match outcome {
        Ok(report) => report.print(),
        Err(e) => fail(ENTRY, e),
    }
    let _ = client.close().await;
}

/// How `publish` publishes.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Plain,
    /// Fast-ingest batches (`publish-fast`: the stream has `allow_batched`).
    FastIngest,
    /// Every tenth message repeats the previous id.
    Dedup,
}

/// Pipelined publish through a `Publisher` (every message carries a msg id:
/// generated, or for `dedup` the repeating scheme).
async fn publish(client: &Client, args: &Args, mode: Mode) -> Result<Report, String> {
    let publisher = client
        .publisher(PublisherOptions {
            max_in_flight: args.window,
            fast_ingest: mode == Mode::FastIngest,
            ..PublisherOptions::default()
        })
        .map_err(|e| e.to_string())?;
    let dedup = mode == Mode::Dedup;
    let (subject, payload) = (args.subject(), args.payload_bytes());
    let t = start();
    for i in 0..args.count {
        let mut msg = PublishMessage::new(subject.clone(), payload.clone());
        if dedup {
            msg = msg.with_msg_id(dedup_msg_id(i));
        }
        publisher.publish(msg).await.map_err(|e| e.to_string())?;
    }
    let report = publisher.flush().await.map_err(|e| e.to_string())?;
    let elapsed = t.elapsed();
    if let Some(f) = report.failures.first() {
        return Err(format!(
            "{} publishes failed, first: {}",
            report.failures.len(),
            f.error
        ));
    }
    Ok(Report::new(ENTRY, args, elapsed)
        .with("acked", report.acked)
        .with("duplicates", report.duplicates)
        .with("peak_in_flight", publisher.peak_in_flight() as u64))
}

/// Sequential publish-and-await.
async fn latency(client: &Client, args: &Args) -> Result<Report, String> {
    let (subject, payload) = (args.subject(), args.payload_bytes());
    let mut lat = Vec::with_capacity(args.count);
    let mut duplicates = 0u64;
    let t = start();
    for _ in 0..args.count {
        let one = start();
        let ack = client
            .publish(PublishMessage::new(subject.clone(), payload.clone()))
            .await
            .map_err(|e| e.to_string())?;
        lat.push(one.elapsed());
        duplicates += u64::from(ack.duplicate);
    }
    let elapsed = t.elapsed();
    Ok(Report::new(ENTRY, args, elapsed)
        .with("acked", args.count as u64)
        .with("duplicates", duplicates)
        .with_latencies(lat))
}

/// Durable pull consume-and-ack through the continuous `messages()` stream:
/// `next_batch` and an ack per message, or (`each`) `next` and `ack`.
async fn consume(client: &Client, args: &Args, each: bool) -> Result<Report, String> {
    let consumer = client
        .create_consumer(&args.stream, ConsumerConfig::durable(DURABLE))
        .await
        .map_err(|e| e.to_string())?;
    let t = start();
    let stream = consumer
        .messages(MessagesOptions {
            batch: args.batch,
            ..MessagesOptions::default()
        })
        .await
        .map_err(|e| e.to_string())?;
    let mut received = 0usize;
    while each && received < args.count {
        let m = stream.next().await.map_err(|e| e.to_string())?;
        m.ack().map_err(|e| e.to_string())?;
        received += 1;
    }
    while received < args.count {
        let batch = stream
            .next_batch(args.batch, Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?;
        if batch.is_empty() {
            return Err(format!("stalled after {received} messages"));
        }
        for m in &batch {
            m.ack().map_err(|e| e.to_string())?;
        }
        received += batch.len();
    }
    // Acks are queued; the run ends when the server has them all.
    for _ in 0..30_000 {
        let info = consumer.info().await.map_err(|e| e.to_string())?;
        if info.num_ack_pending == 0 && info.num_pending == 0 {
            let elapsed = t.elapsed();
            stream.stop();
            return Ok(Report::new(ENTRY, args, elapsed)
                .with("received", received as u64)
                .with("acked", received as u64));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err("acks did not settle within 60 s".into())
}

/// Ordered replay from sequence 1, checking every stream sequence.
async fn replay(client: &Client, args: &Args) -> Result<Report, String> {
    let t = start();
    let stream = client
        .replay(
            &args.stream,
            ReplayOptions {
                start: StartPosition::Sequence(1),
                messages: MessagesOptions {
                    batch: args.batch,
                    ..MessagesOptions::default()
                },
                ..ReplayOptions::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut seqs = Sequences::default();
    while seqs.received() < args.count as u64 {
        let batch = stream
            .next_batch(args.batch, Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?;
        if batch.is_empty() {
            return Err(format!("stalled after {} messages", seqs.received()));
        }
        for m in &batch {
            seqs.add(m.stream_sequence);
        }
    }
    let elapsed = t.elapsed();
    stream.stop();
    Ok(seqs.report(Report::new(ENTRY, args, elapsed)))
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Sequential puts, each awaited.
async fn kv_put(client: &Client, args: &Args) -> Result<Report, String> {
    let kv = client.key_value(&args.stream).await.map_err(err)?;
    let payload = args.payload_bytes();
    let mut acked = 0u64;
    let t = start();
    for i in 0..args.count {
        kv.put(&kv_key(i), payload.clone()).await.map_err(err)?;
        acked += 1;
    }
    Ok(Report::new(ENTRY, args, t.elapsed()).with("acked", acked))
}

/// Sequential gets, each value's length checked.
async fn kv_get(client: &Client, args: &Args) -> Result<Report, String> {
    let kv = client.key_value(&args.stream).await.map_err(err)?;
    let mut received = 0u64;
    let t = start();
    for i in 0..args.count {
        let entry = kv.get(&kv_key(i)).await.map_err(err)?;
        received += u64::from(entry.value.len() == args.payload);
    }
    Ok(Report::new(ENTRY, args, t.elapsed()).with("received", received))
}

/// Watch every key (latest value each) until the caught-up marker.
async fn kv_watch(client: &Client, args: &Args) -> Result<Report, String> {
    let kv = client.key_value(&args.stream).await.map_err(err)?;
    let mut received = 0u64;
    let t = start();
    let watcher = kv
        .watch(WATCH_ALL, KvWatchOptions::default())
        .await
        .map_err(err)?;
    // Bounded: one event per key plus the marker.
    for _ in 0..=args.count {
        let next = tokio::time::timeout(Duration::from_secs(30), watcher.next())
            .await
            .map_err(|_| format!("stalled after {received} entries"))?;
        match next.map_err(err)? {
            KvWatchEvent::Entry(_) => received += 1,
            KvWatchEvent::CaughtUp => break,
        }
    }
    let elapsed = t.elapsed();
    watcher.stop();
    Ok(Report::new(ENTRY, args, elapsed).with("received", received))
}

/// One object of `count` MiB, streamed from the generated pattern.
async fn obj_put(client: &Client, args: &Args) -> Result<Report, String> {
    let store = client.object_store(&args.stream).await.map_err(err)?;
    let t = start();
    let info = store
        .put(OBJECT_NAME, None, Pattern::new(args.count as u64 * MIB))
        .await
        .map_err(err)?;
    Ok(Report::new(ENTRY, args, t.elapsed()).with("bytes", info.size))
}

/// The object read chunk by chunk, every byte checked and discarded.
async fn obj_get(client: &Client, args: &Args) -> Result<Report, String> {
    let store = client.object_store(&args.stream).await.map_err(err)?;
    let mut bytes = 0u64;
    let t = start();
    let reader = store.get(OBJECT_NAME).await.map_err(err)?;
    while let Some(chunk) = reader.next_chunk().await.map_err(err)? {
        if !pattern_matches(bytes, &chunk) {
            return Err(format!("wrong bytes in the chunk at offset {bytes}"));
        }
        bytes += chunk.len() as u64;
    }
    Ok(Report::new(ENTRY, args, t.elapsed()).with("bytes", bytes))
}
