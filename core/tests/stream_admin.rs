//! Listing streams and consumers, deleting a message and account info
//! against a real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use jetbridge::{ConsumerConfig, ErrorKind, PublishMessage, StreamConfig};
use support::*;

#[tokio::test]
async fn lists_read_every_page_and_filter_by_subject() {
    let srv = server();
    let c = connect(&srv).await;
    // More than one page of streams (the server pages 256 at a time).
    for i in 0..300 {
        let name = format!("S{i:03}");
        let mut config = StreamConfig::new(&name, [format!("s{i:03}.>")]);
        config.storage = jetbridge::StorageType::Memory;
        c.create_stream(config).await.unwrap();
    }
    let all = c.list_streams(None).await.unwrap();
    assert_eq!(all.len(), 300);
    let mut names: Vec<_> = all.iter().map(|i| i.config.name.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 300, "each stream once");
    let one = c.list_streams(Some("s042.x")).await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].config.name, "S042");
    assert!(
        c.list_streams(Some("nothing.here"))
            .await
            .unwrap()
            .is_empty()
    );
    let e = c.list_streams(Some("bad subject")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");

    for d in ["A", "B", "C"] {
        let config = ConsumerConfig {
            durable_name: Some(d.into()),
            ..ConsumerConfig::default()
        };
        c.create_consumer("S001", config).await.unwrap();
    }
    let consumers = c.list_consumers("S001").await.unwrap();
    let mut names: Vec<_> = consumers.iter().map(|i| i.name.clone()).collect();
    names.sort();
    assert_eq!(names, ["A", "B", "C"]);
    assert!(c.list_consumers("S002").await.unwrap().is_empty());
    let e = c.list_consumers("MISSING").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");

    let account = c.account_info().await.unwrap();
    assert_eq!(account.streams, 300);
    assert_eq!(account.consumers, 3);
    assert_eq!(account.max_streams, -1);
    assert!(account.api_total > 300);
}

#[tokio::test]
async fn delete_message_removes_one_sequence() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "D", &["d.>"]).await;
    for i in 0..3 {
        c.publish(PublishMessage::new("d.x", format!("m{i}")))
            .await
            .unwrap();
    }
    c.delete_message("D", 2, false).await.unwrap();
    c.delete_message("D", 3, true).await.unwrap();
    assert_eq!(
        c.get_message("D", 2).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(c.get_message("D", 1).await.unwrap().payload, "m0");
    assert_eq!(c.stream_info("D").await.unwrap().state.messages, 1);
    let e = c.delete_message("D", 2, false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let e = c.delete_message("D", 99, false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "past the last sequence: {e}");
    let e = c.delete_message("D", 0, false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    let e = c.delete_message("MISSING", 1, false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");

    let mut locked = StreamConfig::new("LOCKED", ["locked.>"]);
    locked.deny_delete = Some(true);
    c.create_stream(locked).await.unwrap();
    c.publish(PublishMessage::new("locked.x", "kept"))
        .await
        .unwrap();
    let e = c.delete_message("LOCKED", 1, false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server, "{e}");
    assert!(e.message().contains("not permitted"), "{e}");
}
