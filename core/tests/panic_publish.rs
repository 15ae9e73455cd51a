//! A panic inside a core call comes back as a `PANIC` error and the client
//! stays usable (test-only hook `JETBRIDGE_TEST_PANIC=publish`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use jetbridge::{ErrorKind, PublishMessage};
use support::*;

#[tokio::test]
async fn injected_panic_in_publish_is_a_panic_error_and_the_client_keeps_working() {
    // SAFETY: set before any thread of this test binary reads the environment.
    unsafe { std::env::set_var(jetbridge::fault::ENV, "publish") };
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "PP", &["pp"]).await;
    for _ in 0..2 {
        let e = c.publish(PublishMessage::new("pp", "x")).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Panic, "{e}");
        assert!(e.message().contains("injected test panic"));
    }
    // Everything else still works, including the pipelined path.
    assert_eq!(c.stream_info("PP").await.unwrap().state.messages, 0);
    let out = c
        .publish_many(vec![PublishMessage::new("pp", "y")])
        .await
        .unwrap();
    assert_eq!(out[0].as_ref().unwrap().sequence, 1);
}
