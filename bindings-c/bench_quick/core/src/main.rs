//! Raw core throughput: pipelined publish and durable consume-and-ack.
//! `jb-bench-quick-core <publish|consume> [messages]`, NATS_URL from the env.
//! Prints one line: `core <mode> <messages> <seconds> <msgs/s>`.

use std::time::{Duration, Instant};

use bytes::Bytes;
use jetbridge::{
    Client, ConnectOptions, ConsumerConfig, FetchOptions, PublishMessage, PublisherOptions,
    StorageType, StreamConfig, TryPublish,
};

const SUBJECT: &str = "bench.core.x";

async fn publish_all(client: &Client, n: usize) -> jetbridge::Result<()> {
    let publisher = client.publisher(PublisherOptions {
        max_in_flight: 1024,
        ..PublisherOptions::default()
    })?;
    let payload = Bytes::from(vec![b'x'; 128]);
    for _ in 0..n {
        let msg = PublishMessage::new(SUBJECT, payload.clone());
        // The fast path (no runtime hop) when the window has room, as the C ABI does.
        if let TryPublish::Full(msg) = publisher.try_publish(msg)? {
            publisher.publish(msg).await?;
        }
    }
    let report = publisher.flush().await?;
    assert!(
        report.failures.is_empty(),
        "{} publishes failed",
        report.failures.len()
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> jetbridge::Result<()> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "publish".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let url = std::env::var("NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".into());
    let client = Client::connect(ConnectOptions::with_servers([url])).await?;
    let _ = client.delete_stream("BENCH_CORE").await;
    let mut config = StreamConfig::new("BENCH_CORE", ["bench.core.>"]);
    config.storage = StorageType::Memory;
    client.create_stream(config).await?;
    let elapsed = if mode == "publish" {
        let start = Instant::now();
        publish_all(&client, n).await?;
        start.elapsed()
    } else {
        publish_all(&client, n).await?;
        let consumer = client
            .create_consumer("BENCH_CORE", ConsumerConfig::durable("bench"))
            .await?;
        let start = Instant::now();
        let mut acked = 0;
        while acked < n {
            let batch = consumer
                .fetch(FetchOptions {
                    max_messages: 500,
                    max_wait: Duration::from_secs(5),
                    ..FetchOptions::default()
                })
                .await?;
            for m in &batch {
                m.ack()?;
            }
            acked += batch.len();
        }
        start.elapsed()
    };
    let secs = elapsed.as_secs_f64();
    println!("core {mode} {n} {secs:.3} {:.0}", n as f64 / secs);
    let _ = client.delete_stream("BENCH_CORE").await;
    client.close().await
}
