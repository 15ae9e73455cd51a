//! Fast-ingest publishing (server 2.14+, `allow_batched`) against a real
//! server: every message settled and stored once, refusals typed, and the
//! regular mode wherever the stream does not batch.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use jetbridge::{
    ErrorKind, Expectations, PublishMessage, Publisher, PublisherOptions, ReplayOptions,
    StreamConfig,
};
use support::*;

async fn batched_stream(c: &jetbridge::Client, name: &str, subjects: &str) {
    let mut config = StreamConfig::new(name, [subjects]);
    config.allow_batched = Some(true);
    c.create_stream(config).await.unwrap();
}

fn fast(c: &jetbridge::Client) -> Publisher {
    c.publisher(PublisherOptions {
        fast_ingest: true,
        ..Default::default()
    })
    .unwrap()
}

/// The payloads of the stream `name`, in stream order.
async fn payloads(c: &jetbridge::Client, name: &str, n: u64) -> Vec<String> {
    let replay = c.replay(name, ReplayOptions::default()).await.unwrap();
    let mut out = Vec::new();
    for _ in 0..n {
        let m = tokio::time::timeout(Duration::from_secs(30), replay.next())
            .await
            .unwrap()
            .unwrap();
        out.push(String::from_utf8(m.payload.to_vec()).unwrap());
    }
    out
}

#[tokio::test]
async fn every_message_is_stored_once_in_order() {
    let srv = server();
    let c = connect(&srv).await;
    batched_stream(&c, "FI", "fi.>").await;
    assert_eq!(
        c.stream_info("FI").await.unwrap().config.allow_batched,
        Some(true)
    );
    let p = fast(&c);
    const N: u64 = 5_000;
    for i in 0..N {
        p.publish(PublishMessage::new("fi.a", format!("m{i}")))
            .await
            .unwrap();
    }
    let report = p.flush().await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.acked, N);
    assert_eq!(c.stream_info("FI").await.unwrap().state.messages, N);
    let expected: Vec<String> = (0..N).map(|i| format!("m{i}")).collect();
    assert_eq!(payloads(&c, "FI", N).await, expected);
    let counters = c.counters();
    assert_eq!((counters.published, counters.acked), (N, N));
}

#[tokio::test]
async fn acks_name_a_sequence_only_at_the_end_of_a_batch() {
    let srv = server();
    let c = connect(&srv).await;
    batched_stream(&c, "FI", "fi.>").await;
    let p = fast(&c);
    let (_, first) = p
        .publish_tracked(PublishMessage::new("fi.a", "1"))
        .await
        .unwrap();
    let (_, last) = p
        .publish_tracked(PublishMessage::new("fi.a", "2"))
        .await
        .unwrap();
    // Both go out in one batch; its end (after the pause) settles both.
    let (first, last) = (first.await.unwrap(), last.await.unwrap());
    assert_eq!((first.stream.as_str(), first.sequence), ("", 0));
    assert_eq!((last.stream.as_str(), last.sequence), ("FI", 2));
    assert!(!first.msg_id.is_empty() && !first.duplicate);
}

#[tokio::test]
async fn a_refused_message_fails_alone_and_the_rest_are_stored() {
    let srv = server();
    let c = connect(&srv).await;
    batched_stream(&c, "FI", "fi.>").await;
    let p = fast(&c);
    for i in 0..300 {
        let mut m = PublishMessage::new("fi.a", format!("m{i}"));
        if i == 100 {
            m.expect = Expectations {
                last_sequence: Some(7),
                ..Expectations::default()
            };
        }
        p.publish(m).await.unwrap();
    }
    let report = p.flush().await.unwrap();
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    assert_eq!(report.failures[0].ticket, 100);
    assert_eq!(
        report.failures[0].error.kind(),
        ErrorKind::WrongLastSequence
    );
    assert_eq!(report.failures[0].error.api_code(), Some(10071));
    assert_eq!(report.acked, 299);
    // The messages after the refused one went again, in order.
    let expected: Vec<String> = (0..300)
        .filter(|i| *i != 100)
        .map(|i| format!("m{i}"))
        .collect();
    assert_eq!(payloads(&c, "FI", 299).await, expected);
    assert_eq!(c.stream_info("FI").await.unwrap().state.messages, 299);
}

#[tokio::test]
async fn resent_ids_are_dropped_by_the_duplicate_window() {
    let srv = server();
    let c = connect(&srv).await;
    batched_stream(&c, "FI", "fi.>").await;
    let p = fast(&c);
    for round in 0..2 {
        for i in 0..50 {
            p.publish(
                PublishMessage::new("fi.a", format!("r{round}")).with_msg_id(format!("id-{i}")),
            )
            .await
            .unwrap();
        }
        let report = p.flush().await.unwrap();
        assert!(report.failures.is_empty() && report.acked == 50);
    }
    assert_eq!(c.stream_info("FI").await.unwrap().state.messages, 50);
}

#[tokio::test]
async fn a_stream_without_allow_batched_gets_regular_publishing() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "PLAIN", &["plain.>"]).await;
    let p = fast(&c);
    for i in 0..500 {
        p.publish(PublishMessage::new("plain.a", format!("m{i}")))
            .await
            .unwrap();
    }
    let (_, tracked) = p
        .publish_tracked(PublishMessage::new("plain.a", "last"))
        .await
        .unwrap();
    let report = p.flush().await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.acked, 501);
    assert_eq!(tracked.await.unwrap().sequence, 501, "a regular ack");
    assert_eq!(c.stream_info("PLAIN").await.unwrap().state.messages, 501);
}

#[tokio::test]
async fn messages_to_two_streams_are_all_stored() {
    let srv = server();
    let c = connect(&srv).await;
    batched_stream(&c, "ONE", "one.>").await;
    batched_stream(&c, "TWO", "two.>").await;
    let p = fast(&c);
    for i in 0..400 {
        let subject = if i % 3 == 0 { "two.x" } else { "one.x" };
        p.publish(PublishMessage::new(subject, format!("m{i}")))
            .await
            .unwrap();
    }
    let report = tokio::time::timeout(Duration::from_secs(60), p.flush())
        .await
        .unwrap()
        .unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.acked, 400);
    let one = c.stream_info("ONE").await.unwrap().state.messages;
    let two = c.stream_info("TWO").await.unwrap().state.messages;
    assert_eq!((one, two), (266, 134));
}
