//! Helpers shared by the harness's own integration tests.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use async_nats::jetstream::{self, stream};

/// Bound on any single client operation in tests.
pub const OP_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `fut` with [`OP_TIMEOUT`]; panics on timeout.
pub async fn bounded<F: std::future::IntoFuture>(fut: F) -> F::Output {
    tokio::time::timeout(OP_TIMEOUT, fut.into_future())
        .await
        .expect("operation timed out")
}

/// Default client options for tests: short connection timeout, no initial-connect retry.
pub fn opts() -> async_nats::ConnectOptions {
    async_nats::ConnectOptions::new().connection_timeout(Duration::from_secs(3))
}

/// Connects with `opts` to `url`, bounded.
pub async fn connect(
    opts: async_nats::ConnectOptions,
    url: &str,
) -> Result<async_nats::Client, async_nats::ConnectError> {
    bounded(opts.connect(url)).await
}

/// Creates stream `name` on subjects `<name>.>` with `replicas`, publishes `count` messages
/// and returns the JetStream context.
pub async fn stream_with_messages(
    client: &async_nats::Client,
    name: &str,
    replicas: usize,
    count: u64,
) -> jetstream::Context {
    let js = jetstream::new(client.clone());
    bounded(js.create_stream(stream::Config {
        name: name.to_string(),
        subjects: vec![format!("{name}.>")],
        num_replicas: replicas,
        ..Default::default()
    }))
    .await
    .expect("create stream");
    for i in 0..count {
        bounded(
            bounded(js.publish(format!("{name}.x"), format!("m{i}").into()))
                .await
                .expect("publish"),
        )
        .await
        .expect("ack");
    }
    js
}

/// Message count of stream `name`.
pub async fn stream_messages(js: &jetstream::Context, name: &str) -> u64 {
    let mut s = bounded(js.get_stream(name)).await.expect("get stream");
    bounded(s.info()).await.expect("stream info").state.messages
}

/// Publishes one JetStream message and waits for its ack.
pub async fn js_roundtrip(client: &async_nats::Client) -> Result<(), String> {
    let js = jetstream::new(client.clone());
    let name = "RT";
    js.get_or_create_stream(stream::Config {
        name: name.to_string(),
        subjects: vec!["rt.>".into()],
        ..Default::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    js.publish("rt.1", "x".into())
        .await
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Waits (up to 30 s, retrying) until stream `name` reports `expected` messages; for use
/// right after a fault, when the client may be reconnecting or a leader being elected.
pub async fn eventually_messages(js: &jetstream::Context, name: &str, expected: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut last = String::new();
    while tokio::time::Instant::now() < deadline {
        let attempt = tokio::time::timeout(Duration::from_secs(3), async {
            let mut s = js.get_stream(name).await.map_err(|e| e.to_string())?;
            s.info()
                .await
                .map(|i| i.state.messages)
                .map_err(|e| e.to_string())
        })
        .await;
        match attempt {
            Ok(Ok(n)) if n == expected => return,
            Ok(Ok(n)) => last = format!("{n} messages"),
            Ok(Err(e)) => last = e,
            Err(_) => last = "timeout".into(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("stream {name} never reported {expected} messages (last: {last})");
}
