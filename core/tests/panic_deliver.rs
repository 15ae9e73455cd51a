//! A panic inside the task that feeds a message stream ends that stream with
//! a `PANIC` error; the client stays usable (`JETBRIDGE_TEST_PANIC=deliver`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use jetbridge::{ConsumerConfig, ErrorKind, FetchOptions, MessagesOptions, PublishMessage};
use support::*;

#[tokio::test]
async fn injected_panic_in_delivery_ends_the_stream_with_a_panic_error() {
    // SAFETY: set before any thread of this test binary reads the environment.
    unsafe { std::env::set_var(jetbridge::fault::ENV, "deliver") };
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "PD", &["pd"]).await;
    c.publish(PublishMessage::new("pd", "x")).await.unwrap();
    let mut cfg = ConsumerConfig::durable("pd");
    cfg.ack_wait = Some(Duration::from_secs(1));
    let con = c.create_consumer("PD", cfg).await.unwrap();
    let s = con.messages(MessagesOptions::default()).await.unwrap();
    let e = tokio::time::timeout(Duration::from_secs(10), s.next())
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Panic, "{e}");
    assert_eq!(s.next().await.unwrap_err().kind(), ErrorKind::Closed);
    // The client and fetch (no stream task) still work: the message the dead
    // stream had pulled comes back after its ack wait.
    let got = con
        .fetch(FetchOptions {
            max_messages: 1,
            max_wait: Duration::from_secs(4),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
}
