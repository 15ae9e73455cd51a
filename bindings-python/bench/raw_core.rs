//! The raw Rust core's side of `bench_quick.py`: the same measurements,
//! called from a current-thread tokio runtime as a Rust service would.
//!
//! `bench_raw_core <url> <n> <size> <window> <batch> <latency_n> [latency]`
//! prints one JSON line: `{"publish": msgs/s, "consume": msgs/s, "latency_p50_us": µs}`.
//! With `latency`, only the latency is measured (the rates are 0).

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
    let latency_only = args.get(7).is_some_and(|a| a == "latency");
    let client = Client::connect(ConnectOptions::with_servers([url])).await?;
    let payload = bytes::Bytes::from(vec![b'x'; size]);
    let (publish, consume) = if latency_only {
        (0.0, 0.0)
    } else {
        (
            publish_rate(&client, &payload, n, window).await?,
            consume_rate(&client, n, batch).await?,
        )
    };
    let latency = latency_p50_us(&client, &payload, latency_n).await?;
    client.close().await?;
    println!(
        "{{\"publish\": {publish:.0}, \"consume\": {consume:.0}, \"latency_p50_us\": {latency:.1}}}"
    );
    Ok(())
}

/// Pipelined publish into `RAWP` (left in place for `consume_rate`).
async fn publish_rate(
    client: &Client,
    payload: &bytes::Bytes,
    n: usize,
    window: usize,
) -> jetbridge::Result<f64> {
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
    assert_eq!(report.acked as usize, n);
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Durable consume-and-ack of the `n` messages in `RAWP`, timed until the
/// server shows every ack; deletes the stream.
async fn consume_rate(client: &Client, n: usize, batch: usize) -> jetbridge::Result<f64> {
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
    let rate = n as f64 / start.elapsed().as_secs_f64();
    drop(stream);
    client.delete_stream("RAWP").await?;
    Ok(rate)
}

/// p50 of single awaited publishes, in µs.
async fn latency_p50_us(
    client: &Client,
    payload: &bytes::Bytes,
    count: usize,
) -> jetbridge::Result<f64> {
    let _ = client.delete_stream("RAWL").await;
    client
        .create_stream(StreamConfig::new("RAWL", ["rawl.>"]))
        .await?;
    let mut lat = Vec::with_capacity(count);
    for _ in 0..count {
        let t = Instant::now();
        client
            .publish(PublishMessage::new("rawl.a", payload.clone()))
            .await?;
        lat.push(t.elapsed());
    }
    lat.sort();
    client.delete_stream("RAWL").await?;
    Ok(lat
        .get(lat.len() / 2)
        .map_or(0.0, |d| d.as_secs_f64() * 1e6))
}
