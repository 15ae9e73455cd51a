//! Bench entry `async-nats`: the async-nats crate used directly, as its docs
//! show (`#[tokio::main]`, `jetstream::new`, publish returning an ack future,
//! `consumer.stream().messages()`, an ordered pull consumer). This is the floor
//! under the JetBridge core, which is built on it. Buckets and stores through
//! its `kv` and `object_store` modules (`get_key_value` + `put`/`get`/
//! `watch_with_history(">")`, whose entries say `seen_current` once the
//! initial values are in; `get_object_store` + `put(name, &mut AsyncRead)` and `get(name)`, an
//! `AsyncRead`). See `jetbridge_bench` for the command-line contract.

use std::collections::VecDeque;
use std::time::Duration;

use async_nats::jetstream::{
    self, Context,
    consumer::{AckPolicy, DeliverPolicy, pull},
    context::PublishAckFuture,
    message::PublishMessage,
};
use futures::StreamExt;
use jetbridge_bench::{
    Args, CORE_SUBJECT, DURABLE, MIB, OBJECT_NAME, PIECE, Pattern, Report, Sequences, dedup_msg_id,
    fail, kv_key, pattern_matches, start, unique_msg_id,
};
use tokio::io::AsyncReadExt;

const ENTRY: &str = "async-nats";

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let client = match async_nats::connect(args.url.as_str()).await {
        Ok(c) => c,
        Err(e) => fail(ENTRY, e),
    };
    let js = jetstream::new(client.clone());
    let outcome = match args.op.as_str() {
        "publish" => publish(&js, &args, |_| None).await,
        "publish-ids" => publish(&js, &args, |i| Some(unique_msg_id(i))).await,
        "dedup" => publish(&js, &args, |i| Some(dedup_msg_id(i))).await,
        "latency" => latency(&js, &args).await,
        "consume" => consume(&js, &args).await,
        "replay" => replay(&js, &args).await,
        "core" => core(&client, &args).await,
        "kv-put" => kv_put(&js, &args).await,
        "kv-get" => kv_get(&js, &args).await,
        "kv-watch" => kv_watch(&js, &args).await,
        "obj-put" => obj_put(&js, &args).await,
        "obj-get" => obj_get(&js, &args).await,
        other => fail(ENTRY, format!("unknown op {other}")),
    };
    match outcome {
        Ok(report) => report.print(),
        Err(e) => fail(ENTRY, e),
    }
    let _ = client.drain().await;
}

type Fallible<T> = Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Pipelined publish: keep at most `window` ack futures, awaiting the oldest
/// when the window is full.
async fn publish(
    js: &Context,
    args: &Args,
    msg_id: impl Fn(usize) -> Option<String>,
) -> Fallible<Report> {
    let (subject, payload) = (args.subject(), args.payload_bytes());
    let mut window: VecDeque<PublishAckFuture> = VecDeque::with_capacity(args.window);
    let (mut acked, mut duplicates) = (0u64, 0u64);
    let mut settle = |ack: async_nats::jetstream::publish::PublishAck| {
        acked += 1;
        duplicates += u64::from(ack.duplicate);
    };
    let t = start();
    for i in 0..args.count {
        if window.len() == args.window {
            if let Some(f) = window.pop_front() {
                settle(f.await.map_err(err)?);
            }
        }
        let mut msg = PublishMessage::build().payload(payload.clone());
        if let Some(id) = msg_id(i) {
            msg = msg.message_id(id);
        }
        window.push_back(js.send_publish(subject.clone(), msg).await.map_err(err)?);
    }
    for f in window {
        settle(f.await.map_err(err)?);
    }
    let elapsed = t.elapsed();
    Ok(Report::new(ENTRY, args, elapsed)
        .with("acked", acked)
        .with("duplicates", duplicates))
}

/// Sequential publish-and-await.
async fn latency(js: &Context, args: &Args) -> Fallible<Report> {
    let (subject, payload) = (args.subject(), args.payload_bytes());
    let mut lat = Vec::with_capacity(args.count);
    let t = start();
    for _ in 0..args.count {
        let one = start();
        js.publish(subject.clone(), payload.clone())
            .await
            .map_err(err)?
            .await
            .map_err(err)?;
        lat.push(one.elapsed());
    }
    let elapsed = t.elapsed();
    Ok(Report::new(ENTRY, args, elapsed)
        .with("acked", args.count as u64)
        .with_latencies(lat))
}

/// Durable pull consume-and-ack through `consumer.stream().messages()`.
async fn consume(js: &Context, args: &Args) -> Fallible<Report> {
    let stream = js.get_stream(&args.stream).await.map_err(err)?;
    let consumer: jetstream::consumer::PullConsumer = stream
        .create_consumer(pull::Config {
            durable_name: Some(DURABLE.into()),
            ack_policy: AckPolicy::Explicit,
            ..pull::Config::default()
        })
        .await
        .map_err(err)?;
    let t = start();
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(args.batch)
        .messages()
        .await
        .map_err(err)?;
    let mut received = 0usize;
    while received < args.count {
        let next = tokio::time::timeout(Duration::from_secs(10), messages.next())
            .await
            .map_err(|_| format!("stalled after {received} messages"))?;
        let msg = next.ok_or("the message stream ended")?.map_err(err)?;
        msg.ack().await.map_err(err)?;
        received += 1;
    }
    for _ in 0..30_000 {
        let info = consumer.get_info().await.map_err(err)?;
        if info.num_ack_pending == 0 && info.num_pending == 0 {
            let elapsed = t.elapsed();
            return Ok(Report::new(ENTRY, args, elapsed)
                .with("received", received as u64)
                .with("acked", received as u64));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err("acks did not settle within 60 s".into())
}

/// Ordered replay from sequence 1 through an ordered pull consumer.
async fn replay(js: &Context, args: &Args) -> Fallible<Report> {
    let stream = js.get_stream(&args.stream).await.map_err(err)?;
    let t = start();
    let consumer = stream
        .create_consumer(pull::OrderedConfig {
            deliver_policy: DeliverPolicy::ByStartSequence { start_sequence: 1 },
            ..pull::OrderedConfig::default()
        })
        .await
        .map_err(err)?;
    let mut messages = consumer.messages().await.map_err(err)?;
    let mut seqs = Sequences::default();
    while seqs.received() < args.count as u64 {
        let next = tokio::time::timeout(Duration::from_secs(10), messages.next())
            .await
            .map_err(|_| format!("stalled after {} messages", seqs.received()))?;
        let msg = next.ok_or("the message stream ended")?.map_err(err)?;
        seqs.add(msg.info().map_err(err)?.stream_sequence);
    }
    let elapsed = t.elapsed();
    Ok(seqs.report(Report::new(ENTRY, args, elapsed)))
}

/// Core NATS publish, timed until the server has processed every message.
/// async-nats's `flush` only empties the client's write buffer, so a round
/// trip through the server (a message to our own inbox) follows it; without
/// it, exiting right away can reset the socket before the server read all.
async fn core(client: &async_nats::Client, args: &Args) -> Fallible<Report> {
    let payload = args.payload_bytes();
    let inbox = client.new_inbox();
    let mut echo = client.subscribe(inbox.clone()).await.map_err(err)?;
    let t = start();
    for _ in 0..args.count {
        client
            .publish(CORE_SUBJECT, payload.clone())
            .await
            .map_err(err)?;
    }
    client.flush().await.map_err(err)?;
    client.publish(inbox, "".into()).await.map_err(err)?;
    client.flush().await.map_err(err)?;
    echo.next()
        .await
        .ok_or_else(|| "the round trip after the publishes got no answer".to_string())?;
    let elapsed = t.elapsed();
    Ok(Report::new(ENTRY, args, elapsed).with("sent", args.count as u64))
}

/// Sequential puts, each awaited.
async fn kv_put(js: &Context, args: &Args) -> Fallible<Report> {
    let kv = js.get_key_value(&args.stream).await.map_err(err)?;
    let payload = args.payload_bytes();
    let mut acked = 0u64;
    let t = start();
    for i in 0..args.count {
        kv.put(kv_key(i), payload.clone()).await.map_err(err)?;
        acked += 1;
    }
    Ok(Report::new(ENTRY, args, t.elapsed()).with("acked", acked))
}

/// Sequential gets, each value's length checked.
async fn kv_get(js: &Context, args: &Args) -> Fallible<Report> {
    let kv = js.get_key_value(&args.stream).await.map_err(err)?;
    let mut received = 0u64;
    let t = start();
    for i in 0..args.count {
        let value = kv.get(kv_key(i)).await.map_err(err)?;
        received += u64::from(value.is_some_and(|v| v.len() == args.payload));
    }
    Ok(Report::new(ENTRY, args, t.elapsed()).with("received", received))
}

/// Watch all keys until an entry says `seen_current` (the last initial value:
/// the server had none pending after it). async-nats's `watch_all` delivers
/// only new changes (DeliverPolicy::New); its latest-value-per-key watch, the
/// default of the other clients, is `watch_with_history` (LastPerSubject).
async fn kv_watch(js: &Context, args: &Args) -> Fallible<Report> {
    let kv = js.get_key_value(&args.stream).await.map_err(err)?;
    let mut received = 0u64;
    let t = start();
    let mut watch = kv.watch_with_history(">").await.map_err(err)?;
    for _ in 0..args.count {
        let next = tokio::time::timeout(Duration::from_secs(30), watch.next())
            .await
            .map_err(|_| format!("stalled after {received} entries"))?;
        let entry = next.ok_or("the watch ended")?.map_err(err)?;
        received += 1;
        if entry.seen_current {
            break;
        }
    }
    Ok(Report::new(ENTRY, args, t.elapsed()).with("received", received))
}

/// One object of `count` MiB, streamed from the generated pattern.
async fn obj_put(js: &Context, args: &Args) -> Fallible<Report> {
    let store = js.get_object_store(&args.stream).await.map_err(err)?;
    let mut source = Pattern::new(args.count as u64 * MIB);
    let t = start();
    let info = store.put(OBJECT_NAME, &mut source).await.map_err(err)?;
    Ok(Report::new(ENTRY, args, t.elapsed()).with("bytes", info.size as u64))
}

/// The object read as an `AsyncRead` in 64 KiB reads, every byte checked.
async fn obj_get(js: &Context, args: &Args) -> Fallible<Report> {
    let store = js.get_object_store(&args.stream).await.map_err(err)?;
    let mut buf = vec![0u8; PIECE];
    let mut bytes = 0u64;
    let t = start();
    let mut object = store.get(OBJECT_NAME).await.map_err(err)?;
    loop {
        let n = object.read(&mut buf).await.map_err(err)?;
        if n == 0 {
            break;
        }
        if !pattern_matches(bytes, &buf[..n]) {
            return Err(format!("wrong bytes at offset {bytes}"));
        }
        bytes += n as u64;
    }
    Ok(Report::new(ENTRY, args, t.elapsed()).with("bytes", bytes))
}
