//! Atomic batch publish (server 2.12+, `allow_atomic`) against a real server:
//! all stored or none, and every refusal typed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use jetbridge::{ErrorKind, Expectations, MAX_BATCH_MESSAGES, PublishMessage, StreamConfig};
use support::*;

fn msg(subject: &str, data: &str) -> PublishMessage {
    PublishMessage::new(subject, data.to_string())
}

async fn atomic_stream(c: &jetbridge::Client, name: &str, subjects: &str) {
    let mut config = StreamConfig::new(name, [subjects]);
    config.allow_atomic = Some(true);
    c.create_stream(config).await.unwrap();
}

#[tokio::test]
async fn a_batch_is_stored_whole_and_in_order() {
    let srv = server();
    let c = connect(&srv).await;
    atomic_stream(&c, "ORDERS", "orders.>").await;
    let mut first = msg("orders.created", "o-1");
    first.expect = Expectations {
        last_sequence: Some(0),
        ..Expectations::default()
    };
    first.headers = vec![("X-Order".into(), "1".into())];
    let mut second = msg("orders.paid", "o-1 paid");
    second.msg_id = Some("paid-1".into());
    let ack = c
        .publish_batch(vec![first, second, msg("orders.shipped", "o-1 shipped")])
        .await
        .unwrap();
    assert_eq!(
        (ack.stream.as_str(), ack.sequence, ack.count),
        ("ORDERS", 3, 3)
    );
    assert!(!ack.batch_id.is_empty());
    let info = c.stream_info("ORDERS").await.unwrap();
    assert_eq!(info.state.messages, 3);
    let stored = c.get_message("ORDERS", 1).await.unwrap();
    assert_eq!(stored.payload, "o-1".as_bytes());
    assert!(
        stored
            .headers
            .contains(&("X-Order".to_string(), "1".to_string()))
    );
    let paid = c.get_message("ORDERS", 2).await.unwrap();
    assert_eq!(paid.subject, "orders.paid");
    // A batch of one is its own commit.
    let one = c
        .publish_batch(vec![msg("orders.note", "n")])
        .await
        .unwrap();
    assert_eq!((one.sequence, one.count), (4, 1));
    let counters = c.counters();
    assert_eq!((counters.published, counters.acked), (4, 4));
}

#[tokio::test]
async fn a_refused_batch_stores_nothing() {
    let srv = server();
    let c = connect(&srv).await;
    atomic_stream(&c, "ATOM", "atom.>").await;
    c.publish(msg("atom.a", "before")).await.unwrap();
    // The third message's expectation fails: the whole batch is refused.
    let mut third = msg("atom.a", "x3");
    third.expect = Expectations {
        last_subject_sequence: Some(99),
        ..Expectations::default()
    };
    let e = c
        .publish_batch(vec![msg("atom.b", "x1"), msg("atom.c", "x2"), third])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongLastSequence, "{e}");
    assert_eq!(c.stream_info("ATOM").await.unwrap().state.messages, 1);
    // The first message may expect a last sequence; a wrong one refuses the batch.
    let mut first = msg("atom.b", "y1");
    first.expect = Expectations {
        last_sequence: Some(7),
        ..Expectations::default()
    };
    let e = c
        .publish_batch(vec![first, msg("atom.b", "y2")])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongLastSequence, "{e}");
    assert_eq!(c.stream_info("ATOM").await.unwrap().state.messages, 1);
    // Two messages of one batch with the same id.
    let e = c
        .publish_batch(vec![
            msg("atom.b", "z1").with_msg_id("same"),
            msg("atom.b", "z2").with_msg_id("same"),
        ])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert_eq!(e.api_code(), Some(10201), "{e}");
    assert_eq!(c.stream_info("ATOM").await.unwrap().state.messages, 1);
}

#[tokio::test]
async fn a_stream_without_allow_atomic_refuses_batches() {
    let srv = server();
    let c = connect(&srv).await;
    c.create_stream(StreamConfig::new("PLAIN", ["plain.>"]))
        .await
        .unwrap();
    for n in [1, 3] {
        let batch = (0..n).map(|i| msg("plain.a", &i.to_string())).collect();
        let e = c.publish_batch(batch).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert_eq!(e.api_code(), Some(10174), "{e}");
    }
    assert_eq!(c.stream_info("PLAIN").await.unwrap().state.messages, 0);
    let e = c
        .publish_batch(vec![msg("nowhere.a", "x"), msg("nowhere.b", "y")])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

#[tokio::test]
async fn bad_batches_are_refused_before_sending() {
    let srv = server();
    let c = connect(&srv).await;
    atomic_stream(&c, "B", "b.>").await;
    let invalid = |e: jetbridge::Error, what: &str| {
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(e.to_string().contains(what), "{e} lacks {what:?}");
    };
    invalid(c.publish_batch(vec![]).await.unwrap_err(), "at least one");
    let too_many = (0..=MAX_BATCH_MESSAGES).map(|_| msg("b.a", "x")).collect();
    invalid(c.publish_batch(too_many).await.unwrap_err(), "at most 1000");
    let mut second = msg("b.a", "x");
    second.expect.last_sequence = Some(1);
    invalid(
        c.publish_batch(vec![msg("b.a", "x"), second])
            .await
            .unwrap_err(),
        "only the first message",
    );
    let mut by_id = msg("b.a", "x");
    by_id.expect.last_msg_id = Some("m".into());
    invalid(
        c.publish_batch(vec![by_id]).await.unwrap_err(),
        "last_msg_id",
    );
    let mut own = msg("b.a", "x");
    own.headers = vec![("nats-batch-id".into(), "mine".into())];
    invalid(
        c.publish_batch(vec![own]).await.unwrap_err(),
        "nats-batch-id",
    );
    invalid(
        c.publish_batch(vec![msg("b.a", "x"), msg("b.*", "y")])
            .await
            .unwrap_err(),
        "wildcard",
    );
    assert_eq!(c.stream_info("B").await.unwrap().state.messages, 0);
}
