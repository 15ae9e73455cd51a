//! The seed guide's walkthrough ("How to Deploy NATS JetStream…"), step by step:
//! create the ORDERS stream, publish with an ack, publish with dedup, consume
//! with a durable pull consumer (fetch, ack, nak), a push consumer, and replay
//! from the start, a sequence, a time and the last message.
//!
//! Connects to `NATS_URL` (default nats://127.0.0.1:4222). Every language's
//! walkthrough prints exactly these lines.

use std::time::Duration;

use jetbridge::{
    Client, ConnectOptions, ConsumerConfig, FetchOptions, PublishMessage, ReplayOptions,
    StartPosition, StreamConfig,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> jetbridge::Result<()> {
    let url = std::env::var("NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_string());
    let client = Client::connect(ConnectOptions::with_servers([url])).await?;

    // Create the stream (the guide uses file storage, 7 days max age).
    let _ = client.delete_stream("ORDERS").await;
    let mut config = StreamConfig::new("ORDERS", ["orders.*"]);
    config.max_age = Duration::from_secs(7 * 24 * 3600);
    let info = client.create_stream(config).await?;
    println!(
        "stream {} subjects={}",
        info.config.name,
        info.config.subjects.join(",")
    );

    // Publish and wait for the ack.
    let ack = client
        .publish(PublishMessage::new(
            "orders.created",
            r#"{"id": 123, "total": 99.99}"#,
        ))
        .await?;
    println!(
        "published seq={} stream={} duplicate={}",
        ack.sequence, ack.stream, ack.duplicate
    );

    // Publish with deduplication: the second one is recognised.
    for _ in 0..2 {
        let msg = PublishMessage::new("orders.updated", r#"{"id": 123, "status": "shipped"}"#)
            .with_msg_id("order-123-update-1");
        let ack = client.publish(msg).await?;
        println!(
            "published msg_id=order-123-update-1 seq={} duplicate={}",
            ack.sequence, ack.duplicate
        );
    }
    let mid = time_now_nanos();
    let ack = client
        .publish(PublishMessage::new(
            "orders.created",
            r#"{"id": 124, "total": 5.00}"#,
        ))
        .await?;
    println!(
        "published seq={} stream={} duplicate={}",
        ack.sequence, ack.stream, ack.duplicate
    );

    // Durable pull consumer: fetch a batch, ack, nak, and get the nak'd one back.
    let mut durable = ConsumerConfig::durable("order-processor");
    durable.filter_subjects = vec!["orders.*".into()];
    durable.max_deliver = Some(3);
    let consumer = client.create_consumer("ORDERS", durable).await?;
    let batch = consumer
        .fetch(FetchOptions {
            max_messages: 3,
            ..FetchOptions::default()
        })
        .await?;
    for m in &batch {
        println!(
            "fetched seq={} subject={} delivered={} data={}",
            m.stream_sequence,
            m.subject,
            m.delivered,
            text(&m.payload)
        );
        if m.subject == "orders.updated" {
            m.nak(None)?;
            println!("nakked seq={}", m.stream_sequence);
        } else {
            m.ack()?;
            println!("acked seq={}", m.stream_sequence);
        }
    }
    let again = consumer
        .fetch(FetchOptions {
            max_messages: 1,
            ..FetchOptions::default()
        })
        .await?;
    for m in &again {
        println!(
            "redelivered seq={} delivered={}",
            m.stream_sequence, m.delivered
        );
        m.ack_sync().await?;
        println!("ack_sync confirmed seq={}", m.stream_sequence);
    }
    let rest = consumer
        .fetch(FetchOptions {
            max_messages: 10,
            max_wait: Duration::from_millis(500),
            ..FetchOptions::default()
        })
        .await?;
    for m in &rest {
        m.ack()?;
    }
    println!("fetched {} more", rest.len());
    let empty = consumer
        .fetch(FetchOptions {
            max_messages: 10,
            max_wait: Duration::from_millis(200),
            ..FetchOptions::default()
        })
        .await?;
    println!("empty fetch returned {} messages", empty.len());

    // Push consumer with a deliver group.
    let mut push = ConsumerConfig::durable("event-processor");
    push.deliver_group = Some("processors".into());
    let stream = client.push_subscribe("ORDERS", push).await?;
    for _ in 0..3 {
        let m = stream.next().await?;
        println!(
            "push received seq={} subject={}",
            m.stream_sequence, m.subject
        );
        m.ack()?;
    }
    drop(stream);

    // Replay from the start, from a sequence, from a time, and the last message.
    for (label, start) in [
        ("start", StartPosition::All),
        ("sequence 2", StartPosition::Sequence(2)),
        ("time", StartPosition::Time(mid)),
        ("last", StartPosition::Last),
    ] {
        let replay = client
            .replay(
                "ORDERS",
                ReplayOptions {
                    start,
                    ..ReplayOptions::default()
                },
            )
            .await?;
        let info = client.stream_info("ORDERS").await?;
        let mut seqs = Vec::new();
        while seqs.last().copied().unwrap_or(0) < info.state.last_sequence {
            let m = replay.next().await?;
            seqs.push(m.stream_sequence);
        }
        let seqs: Vec<String> = seqs.iter().map(u64::to_string).collect();
        println!("replay from {label}: {}", seqs.join(","));
    }

    let counters = client.counters();
    println!(
        "counters published={} acked={} duplicates={}",
        counters.published, counters.acked, counters.duplicates
    );
    client.close().await?;
    Ok(())
}

fn text(payload: &[u8]) -> String {
    String::from_utf8_lossy(payload).into_owned()
}

fn time_now_nanos() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_nanos()).unwrap_or(i64::MAX)
}
