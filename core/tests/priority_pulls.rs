//! Pulls in a consumer's priority group against a real server (2.11+):
//! overflow minimums, the pinned client and its standby, and the typed
//! errors for a pull the consumer cannot serve.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use jetbridge::{
    Client, Consumer, ConsumerConfig, ErrorKind, FetchOptions, MessagesOptions, PIN_ID_HEADER,
    PriorityPolicy, PublishMessage,
};
use support::*;

fn grouped(name: &str, policy: PriorityPolicy) -> ConsumerConfig {
    ConsumerConfig {
        durable_name: Some(name.into()),
        priority_groups: vec!["jobs".into()],
        priority_policy: Some(policy),
        ..ConsumerConfig::default()
    }
}

fn pull(group: Option<&str>, wait_ms: u64) -> FetchOptions {
    FetchOptions {
        max_messages: 10,
        max_wait: Duration::from_millis(wait_ms),
        group: group.map(str::to_string),
        ..FetchOptions::default()
    }
}

async fn publish(c: &Client, subject: &str, n: usize) {
    for i in 0..n {
        c.publish(PublishMessage::new(subject, format!("m{i}")))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn overflow_pulls_wait_for_their_minimum() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "O", &["o.>"]).await;
    let consumer = c
        .create_consumer("O", grouped("D", PriorityPolicy::Overflow))
        .await
        .unwrap();
    publish(&c, "o.a", 5).await;

    let high = FetchOptions {
        min_pending: Some(10),
        ..pull(Some("jobs"), 400)
    };
    assert!(
        consumer.fetch(high).await.unwrap().is_empty(),
        "5 pending < 10"
    );
    let ack_floor = FetchOptions {
        min_ack_pending: Some(3),
        ..pull(Some("jobs"), 400)
    };
    assert!(
        consumer.fetch(ack_floor).await.unwrap().is_empty(),
        "0 unacked < 3"
    );

    // Served while at least 3 are pending: 5, 4 and 3 pending, then not 2.
    let low = FetchOptions {
        min_pending: Some(3),
        ..pull(Some("jobs"), 1000)
    };
    let got = consumer.fetch(low).await.unwrap();
    assert_eq!(got.len(), 3, "served while at least 3 are pending");
    // Now 3 are unacknowledged: a min_ack_pending pull is served.
    let got = consumer
        .fetch(FetchOptions {
            min_ack_pending: Some(3),
            ..pull(Some("jobs"), 1000)
        })
        .await
        .unwrap();
    assert_eq!(got.len(), 2, "served while at least 3 are unacknowledged");
}

#[tokio::test]
async fn a_pull_outside_the_consumers_groups_is_invalid_argument() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "B", &["b.>"]).await;
    let grouped_consumer = c
        .create_consumer("B", grouped("G", PriorityPolicy::Overflow))
        .await
        .unwrap();
    let plain = c
        .create_consumer(
            "B",
            ConsumerConfig {
                durable_name: Some("PLAIN".into()),
                ..ConsumerConfig::default()
            },
        )
        .await
        .unwrap();
    publish(&c, "b.a", 1).await;
    // The consumer's groups are known from its info: checked before sending.
    for (consumer, options, what) in [
        (
            &grouped_consumer,
            pull(Some("other"), 2000),
            "unknown group",
        ),
        (&grouped_consumer, pull(None, 2000), "no group"),
        (
            &plain,
            pull(Some("jobs"), 2000),
            "group on a plain consumer",
        ),
    ] {
        let started = std::time::Instant::now();
        let e = consumer.fetch(options).await.unwrap_err();
        println!("{what}: {e}");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{what}: {e}");
        assert!(e.message().contains("group"), "{what}: {e}");
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{what}: answered at once"
        );
    }

    // Checked before anything is sent.
    let e = grouped_consumer
        .fetch(FetchOptions {
            min_pending: Some(1),
            ..pull(None, 100)
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("min_pending"), "{e}");
    let e = grouped_consumer
        .fetch(pull(Some("not.valid"), 100))
        .await
        .unwrap_err();
    assert!(e.message().contains("group"), "{e}");
}

async fn handle(c: &Client, stream: &str, name: &str) -> Consumer {
    c.bind_consumer(stream, name, None).await.unwrap()
}

#[tokio::test]
async fn the_pinned_handle_gets_everything_until_unpinned() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "P", &["p.>"]).await;
    c.create_consumer("P", grouped("W", PriorityPolicy::PinnedClient))
        .await
        .unwrap();
    let first = handle(&c, "P", "W").await;
    let standby = handle(&c, "P", "W").await;
    publish(&c, "p.a", 3).await;

    let got = first.fetch(pull(Some("jobs"), 2000)).await.unwrap();
    assert_eq!(got.len(), 3);
    let pin = got[0].header(PIN_ID_HEADER).expect("pinned").to_string();
    for m in &got {
        m.ack().unwrap();
    }
    publish(&c, "p.a", 2).await;
    assert!(
        standby
            .fetch(pull(Some("jobs"), 500))
            .await
            .unwrap()
            .is_empty(),
        "the standby waits while another handle is pinned"
    );
    let got = first.fetch(pull(Some("jobs"), 2000)).await.unwrap();
    assert_eq!(got.len(), 2, "the pinned handle keeps its pin");
    assert_eq!(got[0].header(PIN_ID_HEADER), Some(pin.as_str()));
    for m in &got {
        m.ack().unwrap();
    }

    // Unpinned: the standby's waiting pull is picked; the old pin is refused
    // (423) and the first handle waits as a standby itself.
    c.unpin_consumer("P", "W", "jobs").await.unwrap();
    publish(&c, "p.a", 2).await;
    let got = standby.fetch(pull(Some("jobs"), 3000)).await.unwrap();
    assert_eq!(got.len(), 2, "the standby is pinned now");
    let new_pin = got[0].header(PIN_ID_HEADER).expect("pinned").to_string();
    assert_ne!(new_pin, pin);
    for m in &got {
        m.ack().unwrap();
    }
    publish(&c, "p.a", 1).await;
    assert!(
        first
            .fetch(pull(Some("jobs"), 500))
            .await
            .unwrap()
            .is_empty(),
        "the old pin is refused; the first handle is the standby now"
    );
    // It forgot the refused id, so it can be pinned again.
    c.unpin_consumer("P", "W", "jobs").await.unwrap();
    let got = first.fetch(pull(Some("jobs"), 3000)).await.unwrap();
    assert_eq!(got.len(), 1, "pinned again after the next unpin");
    let third = got[0].header(PIN_ID_HEADER).expect("pinned");
    assert!(third != pin && third != new_pin);
}

#[tokio::test]
async fn a_message_stream_in_a_group_is_served_and_a_bad_group_is_refused() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "M", &["m.>"]).await;
    let consumer = c
        .create_consumer("M", grouped("D", PriorityPolicy::Overflow))
        .await
        .unwrap();
    publish(&c, "m.a", 3).await;
    let options = MessagesOptions {
        group: Some("jobs".into()),
        ..MessagesOptions::default()
    };
    let stream = consumer.messages(options.clone()).await.unwrap();
    for _ in 0..3 {
        let m = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .unwrap()
            .unwrap();
        m.ack().unwrap();
    }
    stream.stop();

    let e = consumer
        .messages(MessagesOptions {
            group: Some("other".into()),
            ..options
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("\"other\""), "{e}");
}

#[tokio::test]
async fn a_prioritized_consumer_serves_the_lowest_priority_first() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "R", &["r.>"]).await;
    c.create_consumer("R", grouped("D", PriorityPolicy::Prioritized))
        .await
        .unwrap();
    let (low, high) = (handle(&c, "R", "D").await, handle(&c, "R", "D").await);
    let at = |priority: u8| FetchOptions {
        max_messages: 1,
        priority,
        ..pull(Some("jobs"), 2000)
    };
    // Both pulls wait; the message goes to the one with priority 0.
    let waiting_low = tokio::spawn(async move { low.fetch(at(5)).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let waiting_high = tokio::spawn(async move { high.fetch(at(0)).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    publish(&c, "r.a", 1).await;
    assert_eq!(waiting_high.await.unwrap().unwrap().len(), 1);
    assert!(waiting_low.await.unwrap().unwrap().is_empty());

    let e = handle(&c, "R", "D").await.fetch(at(10)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}
