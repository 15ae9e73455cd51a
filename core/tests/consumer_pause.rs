//! Pausing, resuming and unpinning consumers against a real server (2.11+).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, SystemTime};

use jetbridge::{ConsumerConfig, ErrorKind, FetchOptions, PriorityPolicy, PublishMessage};
use support::*;

fn durable(name: &str) -> ConsumerConfig {
    ConsumerConfig {
        durable_name: Some(name.into()),
        ..ConsumerConfig::default()
    }
}

#[tokio::test]
async fn a_paused_consumer_delivers_nothing_until_resumed() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "P", &["p.>"]).await;
    let consumer = c.create_consumer("P", durable("D")).await.unwrap();
    c.publish(PublishMessage::new("p.a", "one")).await.unwrap();

    let until = SystemTime::now() + Duration::from_secs(3600);
    let state = c.pause_consumer("P", "D", until).await.unwrap();
    assert!(state.paused);
    let reported = state.pause_until.unwrap();
    let skew = reported
        .duration_since(until)
        .unwrap_or_else(|e| e.duration());
    assert!(
        skew < Duration::from_millis(1),
        "pause_until {reported:?} vs {until:?}"
    );
    assert!(state.pause_remaining.unwrap() > Duration::from_secs(3500));
    let quick = FetchOptions {
        max_messages: 1,
        max_wait: Duration::from_millis(300),
        ..FetchOptions::default()
    };
    assert!(
        consumer.fetch(quick.clone()).await.unwrap().is_empty(),
        "paused"
    );

    let state = c.resume_consumer("P", "D").await.unwrap();
    assert!(!state.paused);
    assert_eq!((state.pause_until, state.pause_remaining), (None, None));
    let got = consumer
        .fetch(FetchOptions {
            max_wait: Duration::from_secs(3),
            ..quick
        })
        .await
        .unwrap();
    assert_eq!(got.len(), 1, "delivers again after resume");
}

#[tokio::test]
async fn bad_pause_and_unpin_requests_are_typed_errors() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "Q", &["q.>"]).await;
    let past = SystemTime::now() - Duration::from_secs(1);
    let e = c.pause_consumer("Q", "D", past).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("pause_until"), "{e}");

    let later = SystemTime::now() + Duration::from_secs(60);
    let e = c.pause_consumer("Q", "MISSING", later).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let e = c.unpin_consumer("Q", "MISSING", "jobs").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");

    let pinned = ConsumerConfig {
        priority_groups: vec!["jobs".into()],
        priority_policy: Some(PriorityPolicy::PinnedClient),
        ..durable("PIN")
    };
    c.create_consumer("Q", pinned).await.unwrap();
    c.unpin_consumer("Q", "PIN", "jobs").await.unwrap();
    let e = c.unpin_consumer("Q", "PIN", "other").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    let e = c.unpin_consumer("Q", "PIN", "bad group").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}
