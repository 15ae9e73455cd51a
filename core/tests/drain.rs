//! `Client::drain` against a real server, under load: a consumer holding
//! messages it acks only after drain started, a pipelined publisher with
//! publishes in flight. Afterwards the server holds every accepted publish
//! and has every delivered message acked; new work was refused at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use jetbridge::{
    ConsumerConfig, ErrorKind, FetchOptions, MessagesOptions, PublishMessage, PublisherOptions,
};
use support::*;

#[tokio::test]
async fn drain_settles_acks_and_publishes_and_refuses_new_work() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "DR", &["dr.*"]).await;
    for r in c
        .publish_many(
            (0..300)
                .map(|i| PublishMessage::new("dr.in", format!("m{i}")))
                .collect(),
        )
        .await
        .unwrap()
    {
        r.unwrap();
    }
    let mut cfg = ConsumerConfig::durable("dr");
    cfg.ack_wait = Some(Duration::from_secs(2));
    let con = c.create_consumer("DR", cfg).await.unwrap();
    let s = Arc::new(
        con.messages(MessagesOptions {
            batch: 50,
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    // The application holds a batch, unacked, when drain starts.
    let held = s.next_batch(20, Duration::from_secs(10)).await.unwrap();
    assert!(!held.is_empty());
    // A publisher has 2,000 publishes in flight.
    let publisher = c.publisher(PublisherOptions::default()).unwrap();
    let mut tickets = 0;
    for i in 0..2000 {
        publisher
            .publish(PublishMessage::new("dr.out", format!("p{i}")))
            .await
            .unwrap();
        tickets += 1;
    }
    let drain = {
        let c = c.clone();
        tokio::spawn(async move { c.drain_within(Duration::from_secs(30)).await })
    };
    // New work is refused as soon as drain started (a publish that got in
    // before that is accepted, and must be stored); acks are still taken.
    let mut refused = false;
    for _ in 0..500 {
        match c.publish(PublishMessage::new("dr.out", "late")).await {
            Ok(_) => tickets += 1,
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Closed, "{e}");
                refused = true;
                break;
            }
        }
    }
    assert!(refused, "a publish after drain started was accepted");
    assert_eq!(
        con.fetch(FetchOptions::default()).await.unwrap_err().kind(),
        ErrorKind::Closed
    );
    assert!(
        !drain.is_finished(),
        "drain did not wait for the held messages"
    );
    for m in &held {
        m.ack().unwrap();
    }
    // The stream stopped pulling and delivers nothing new: CLOSED at once
    // (what it had buffered went back to the server).
    let e = s
        .next_batch(100, Duration::from_secs(10))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Closed);
    let after = held.len();
    drop(held);
    tokio::time::timeout(Duration::from_secs(40), drain)
        .await
        .expect("drain returns")
        .unwrap()
        .unwrap();
    // On the server: every accepted publish stored, every message the
    // application read acked; the rest of what the server sent for the last
    // pull request comes back to the next reader (given back with a nak, or
    // after the ack wait for those still on the wire): nothing is lost.
    let check = connect(&srv).await;
    let info = check.stream_info("DR").await.unwrap();
    assert_eq!(info.state.messages, 300 + tickets);
    // Plain acks are fire-and-forget: drain returns once the server read
    // them, and the server applies them a moment later.
    let floor_reached = eventually(Duration::from_secs(10), || async {
        let ci = check.consumer_info("DR", "dr").await.unwrap();
        ci.ack_floor.stream_seq == after as u64
    })
    .await;
    let ci = check.consumer_info("DR", "dr").await.unwrap();
    assert!(
        floor_reached,
        "ack floor {} of {after}",
        ci.ack_floor.stream_seq
    );
    // Every message after the ack floor (the 300 and every stored publish)
    // comes back, in whatever order: one given back with a nak can come
    // before one still on the wire, which returns after its 2 s ack wait.
    let total = 300 + tickets;
    let reader = check.bind_consumer("DR", "dr", None).await.unwrap();
    let mut rest = std::collections::BTreeSet::new();
    for _ in 0..20 {
        if rest.len() as u64 == total - after as u64 {
            break;
        }
        for m in reader.fetch_n(500, Duration::from_secs(3)).await.unwrap() {
            rest.insert(m.stream_sequence);
            m.ack().unwrap();
        }
    }
    let expected: std::collections::BTreeSet<u64> = (after as u64 + 1..=total).collect();
    assert_eq!(rest, expected, "nothing after the ack floor is lost");
}

#[tokio::test]
async fn drain_gives_up_after_its_timeout_and_closes_anyway() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "DT", &["dt"]).await;
    c.publish(PublishMessage::new("dt", "x")).await.unwrap();
    let con = c
        .create_consumer("DT", ConsumerConfig::durable("dt"))
        .await
        .unwrap();
    let held = con.fetch_n(1, Duration::from_secs(5)).await.unwrap();
    assert_eq!(held.len(), 1);
    let e = c
        .drain_within(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("1 message"), "{e}");
    assert!(c.is_closed());
}
