//! Per-message TTL (`Nats-TTL`, server 2.11+) against a real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use jetbridge::{ErrorKind, PublishMessage, PublisherOptions, StreamConfig};
use support::*;

fn with_ttl(subject: &str, ttl: Duration) -> PublishMessage {
    PublishMessage {
        ttl: Some(ttl),
        ..PublishMessage::new(subject, "short-lived")
    }
}

#[tokio::test]
async fn a_message_with_a_ttl_expires_on_its_own() {
    let srv = server();
    let c = connect(&srv).await;
    let mut config = StreamConfig::new("TTL", ["ttl.>"]);
    config.allow_msg_ttl = Some(true);
    c.create_stream(config).await.unwrap();

    c.publish(with_ttl("ttl.a", Duration::from_secs(1)))
        .await
        .unwrap();
    c.publish(PublishMessage::new("ttl.b", "kept"))
        .await
        .unwrap();
    let publisher = c.publisher(PublisherOptions::default()).unwrap();
    publisher
        .publish(with_ttl("ttl.c", Duration::from_secs(1)))
        .await
        .unwrap();
    let report = publisher.flush().await.unwrap();
    assert_eq!((report.acked, report.failures.len()), (1, 0));
    assert_eq!(c.stream_info("TTL").await.unwrap().state.messages, 3);

    let expired = eventually(Duration::from_secs(10), || async {
        c.stream_info("TTL").await.unwrap().state.messages == 1
    })
    .await;
    assert!(
        expired,
        "both messages with a 1 s TTL expire, the other stays"
    );
    assert_eq!(c.get_message("TTL", 2).await.unwrap().payload, "kept");
}

#[tokio::test]
async fn bad_ttls_are_refused_before_sending() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "PLAIN", &["plain.>"]).await;
    for ttl in [
        Duration::from_millis(500),
        Duration::from_millis(1500),
        Duration::ZERO,
    ] {
        let e = c.publish(with_ttl("plain.a", ttl)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{ttl:?}: {e}");
        assert!(e.message().contains("ttl"), "{e}");
    }
    let mut both = with_ttl("plain.a", Duration::from_secs(5));
    both.headers.push(("Nats-TTL".into(), "5s".into()));
    let e = c.publish(both).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");

    // A stream that does not allow per-message TTLs refuses the message.
    let e = c
        .publish(with_ttl("plain.a", Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert_eq!(c.stream_info("PLAIN").await.unwrap().state.messages, 0);
}
