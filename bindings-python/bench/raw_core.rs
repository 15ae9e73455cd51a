//! The raw Rust core's side of `bench_quick.py`: the same three measurements,
//! called from a current-thread tokio runtime as a Rust service would.
//!
//! `cargo run --release -p jetbridge-python --example bench_raw_core -- <url> <n> <size> <window> <batch> <latency_n>`
//! prints one JSON line: `{"publish": msgs/s, "consume": msgs/s, "latency_p50_us": µs}`.

use std::time::{Duration, Instant};

use jetbridge::{
    Client, ConnectOptions, ConsumerConfig, MessagesOptions, PublishMessage, PublisherOptions,
    StreamConfig, TryPublish,
};

fn arg(args: &[String], i: usize, default: usize) -> usize {
    args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> jetbridge::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "nats://127.0.0.1:4222".into());
    let (n, size, window, batch, latency_n) = (
        arg(&args, 2, 200_000),
        arg(&args, 3, 128),
        arg(&args, 4, 1024),
        arg(&args, 5, 500),
        arg(&args, 6, 2000),
    );
    let client = Client::connect(ConnectOptions::with_servers([url])).await?;
    let payload = bytes::Bytes::from(vec![b'x'; size]);

    // Pipelined publish.
    let _ = client.delete_stream("RAWP").await;
    client
        .create_stream(StreamConfig::new("RAWP", ["rawp.>"]))
        .await?;
    let publisher = client.publisher(PublisherOptions {
        max_in_flight: window,
        ..PublisherOptions::default()
    })?;
    // The binding's strategy: queue without waiting while there is room;
    // when the window is full, wait until half of it is free.
    let start = Instant::now();
    for _ in 0..n {
        let msg = PublishMessage::new("rawp.a", payload.clone());
        if let TryPublish::Full(msg) = publisher.try_publish(msg)? {
            publisher.publish(msg).await?;
            while publisher.in_flight().0 > window / 2 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }
    let report = publisher.flush().await?;
    let publish_rate = n as f64 / start.elapsed().as_secs_f64();
    assert_eq!(report.acked as usize, n);

    // Durable consume-and-ack of what was just published.
    let consumer = client
        .create_consumer("RAWP", ConsumerConfig::durable("raw"))
        .await?;
    let mut stream = consumer
        .messages(MessagesOptions {
            batch,
            ..MessagesOptions::default()
        })
        .await?;
    let start = Instant::now();
    let mut got = 0;
    while got < n {
        for m in stream.next_batch(batch, Duration::from_secs(5)).await? {
            m.ack()?;
            got += 1;
        }
    }
    while consumer.info().await?.num_ack_pending > 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let consume_rate = n as f64 / start.elapsed().as_secs_f64();
    drop(stream);
    client.delete_stream("RAWP").await?;

    // Single awaited publish latency.
    client
        .create_stream(StreamConfig::new("RAWL", ["rawl.>"]))
        .await?;
    let mut lat = Vec::with_capacity(latency_n);
    for _ in 0..latency_n {
        let t = Instant::now();
        client
            .publish(PublishMessage::new("rawl.a", payload.clone()))
            .await?;
        lat.push(t.elapsed());
    }
    lat.sort();
    client.delete_stream("RAWL").await?;
    client.close().await?;
    println!(
        "{{\"publish\": {publish_rate:.0}, \"consume\": {consume_rate:.0}, \"latency_p50_us\": {:.1}}}",
        lat[lat.len() / 2].as_secs_f64() * 1e6
    );
    Ok(())
}
