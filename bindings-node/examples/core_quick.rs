//! The raw Rust core on the same workloads as `bench_quick.mjs`, for
//! comparison: pipelined publish of N x 128 B (window 1,024), durable
//! consume-and-ack of N in batches of 500, p50 of a single awaited publish.
//!
//!   core_quick <nats-url> [N] [rounds]
//!
//! Prints one `core <workload> <value>` line per workload (the median of
//! `rounds` runs, default 3). `JB_WORKER_THREADS` sets the core runtime's
//! worker threads. Report only.

use std::time::{Duration, Instant};

use jetbridge::{
    Client, ConnectOptions, ConsumerConfig, MessagesOptions, PublishMessage, PublisherOptions,
    StreamConfig, TryPublish,
};

fn main() -> jetbridge::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "nats://127.0.0.1:4222".to_string());
    let n: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(200_000);
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    if let Some(n) = std::env::var("JB_WORKER_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        jetbridge::runtime::configure(jetbridge::RuntimeOptions {
            worker_threads: Some(n),
        })?;
    }
    jetbridge::runtime::block_on(async move { run(url, n, rounds).await })
}

async fn run(url: String, n: u64, rounds: usize) -> jetbridge::Result<()> {
    let client = Client::connect(ConnectOptions::with_servers([url])).await?;
    let (mut publish, mut consume) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        publish.push(publish_round(&client, n).await?);
        consume.push(consume_round(&client, n, round).await?);
    }
    println!("core publish {}", median(publish));
    println!("core consume {}", median(consume));
    println!("core latency_p50_us {:.1}", latency(&client).await?);
    client.close().await
}

fn median(mut xs: Vec<u64>) -> u64 {
    xs.sort_unstable();
    xs.get(xs.len() / 2).copied().unwrap_or(0)
}

async fn publish_round(client: &Client, n: u64) -> jetbridge::Result<u64> {
    let payload = bytes::Bytes::from(vec![b'x'; 128]);
    let _ = client.delete_stream("PUBCORE").await;
    client
        .create_stream(StreamConfig::new("PUBCORE", ["PUBCORE.>"]))
        .await?;

    let publisher = client.publisher(PublisherOptions {
        max_in_flight: 1024,
        ..PublisherOptions::default()
    })?;
    let t0 = Instant::now();
    for _ in 0..n {
        let msg = PublishMessage::new("PUBCORE.x", payload.clone());
        if let TryPublish::Full(msg) = publisher.try_publish(msg)? {
            publisher.publish(msg).await?;
        }
    }
    let report = publisher.flush().await?;
    let elapsed = t0.elapsed();
    if report.acked != n {
        return Err(jetbridge::Error::new(
            jetbridge::ErrorKind::Internal,
            format!("core publish: {} failures", report.failures.len()),
        ));
    }
    Ok(rate(n, elapsed))
}

async fn consume_round(client: &Client, n: u64, round: usize) -> jetbridge::Result<u64> {
    let consumer = client
        .create_consumer("PUBCORE", ConsumerConfig::durable(format!("core{round}")))
        .await?;
    let t0 = Instant::now();
    let mut stream = consumer
        .messages(MessagesOptions {
            batch: 500,
            ..MessagesOptions::default()
        })
        .await?;
    let mut seen = 0;
    while seen < n {
        for m in stream.next_batch(500, Duration::from_secs(5)).await? {
            m.ack()?;
            seen += 1;
        }
    }
    let elapsed = t0.elapsed();
    drop(stream);
    Ok(rate(seen, elapsed))
}

async fn latency(client: &Client) -> jetbridge::Result<f64> {
    let payload = bytes::Bytes::from(vec![b'x'; 128]);
    let _ = client.delete_stream("LATCORE").await;
    client
        .create_stream(StreamConfig::new("LATCORE", ["LATCORE.>"]))
        .await?;
    let mut samples = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let t0 = Instant::now();
        client
            .publish(PublishMessage::new("LATCORE.x", payload.clone()))
            .await?;
        samples.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[samples.len() / 2])
}

fn rate(n: u64, elapsed: Duration) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let r = (n as f64 / elapsed.as_secs_f64()) as u64;
    r
}
