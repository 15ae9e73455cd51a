//! Reading stored messages back against a real server: by sequence, last and
//! next by subject, through direct get (`allow_direct`) and the leader's API
//! alike, and in batches (server 2.11+).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, SystemTime};

use jetbridge::{Client, ErrorKind, GetMessagesOptions, PublishMessage, StreamConfig};
use support::*;

async fn stream_with(c: &Client, name: &str, direct: bool) {
    let mut config = StreamConfig::new(name, [format!("{}.>", name.to_lowercase())]);
    config.allow_direct = Some(direct);
    c.create_stream(config).await.unwrap();
}

async fn publish(c: &Client, subject: &str, data: &str) {
    let mut m = PublishMessage::new(subject, data.to_string());
    m.headers.push(("X-Kind".into(), "test".into()));
    c.publish(m).await.unwrap();
}

#[tokio::test]
async fn single_reads_agree_with_and_without_direct_get() {
    let srv = server();
    let c = connect(&srv).await;
    for (name, direct) in [("DIRECT", true), ("LEADER", false)] {
        stream_with(&c, name, direct).await;
        let p = name.to_lowercase();
        for (s, d) in [("a", "1"), ("b", "2"), ("a", "3")] {
            publish(&c, &format!("{p}.{s}"), d).await;
        }
        let m = c.get_message(name, 2).await.unwrap();
        assert_eq!(
            (m.sequence, m.subject.as_str(), &m.payload[..]),
            (2, &*format!("{p}.b"), &b"2"[..]),
            "{name}"
        );
        assert!(
            m.headers.contains(&("X-Kind".into(), "test".into())),
            "{name}: {:?}",
            m.headers
        );
        assert!(
            m.headers
                .iter()
                .all(|(k, _)| !k.starts_with("Nats-Sequence")),
            "{name}: direct-get headers are not the message's: {:?}",
            m.headers
        );
        assert!(m.timestamp > 0);
        let last = c.get_last_message(name, &format!("{p}.a")).await.unwrap();
        assert_eq!(last.sequence, 3, "{name}");
        let next = c
            .get_next_message(name, &format!("{p}.a"), 2)
            .await
            .unwrap();
        assert_eq!(next.sequence, 3, "{name}");
        let next = c
            .get_next_message(name, &format!("{p}.*"), 1)
            .await
            .unwrap();
        assert_eq!(next.sequence, 1, "{name}");

        for e in [
            c.get_message(name, 99).await.unwrap_err(),
            c.get_last_message(name, &format!("{p}.zzz"))
                .await
                .unwrap_err(),
            c.get_next_message(name, &format!("{p}.b"), 3)
                .await
                .unwrap_err(),
        ] {
            assert_eq!(
                (e.kind(), e.api_code()),
                (ErrorKind::NotFound, Some(10037)),
                "{name}: {e}"
            );
        }
    }
    let e = c.get_message("MISSING", 1).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let e = c
        .get_next_message("DIRECT", "direct.a", 0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}

#[tokio::test]
async fn a_batch_read_returns_stream_order_from_a_start() {
    let srv = server();
    let c = connect(&srv).await;
    stream_with(&c, "B", true).await;
    let before = SystemTime::now() - Duration::from_secs(1);
    for i in 1..=6 {
        let subject = if i % 2 == 0 { "b.even" } else { "b.odd" };
        publish(&c, subject, &format!("m{i}")).await;
    }
    let all = c
        .get_messages("B", GetMessagesOptions::default())
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|m| m.sequence).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    let names: Vec<&str> = all[0].headers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["Nats-Msg-Id", "X-Kind"],
        "the message's own headers only"
    );

    let evens = c
        .get_messages(
            "B",
            GetMessagesOptions {
                subject: Some("b.even".into()),
                start_sequence: Some(3),
                max_messages: 2,
                ..GetMessagesOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(evens.iter().map(|m| m.sequence).collect::<Vec<_>>(), [4, 6]);

    let from_time = c
        .get_messages(
            "B",
            GetMessagesOptions {
                start_time: Some(before),
                max_messages: 3,
                ..GetMessagesOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(from_time.len(), 3);

    let none = c
        .get_messages(
            "B",
            GetMessagesOptions {
                start_sequence: Some(100),
                ..GetMessagesOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(none.is_empty(), "nothing after the end is an empty list");

    stream_with(&c, "NODIRECT", false).await;
    let e = c
        .get_messages("NODIRECT", GetMessagesOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("allow_direct"), "{e}");
    let e = c
        .get_messages("MISSING", GetMessagesOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}
