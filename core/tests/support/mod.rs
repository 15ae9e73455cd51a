//! Shared helpers for the core's integration tests: real nats-servers from the
//! project harness, and clients connected to them.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use jetbridge::{Client, ConnectOptions, StreamConfig};
#[allow(unused_imports)]
pub use jetbridge_harness::{AuthMode, Cluster, Server, ServerOptions};

/// Starts a single JetStream server (file storage, `sync_interval: always`).
pub fn server() -> Server {
    Server::start().expect("start nats-server")
}

/// Options for `url` with a short connect timeout and publish budget suited to tests.
pub fn options(urls: impl IntoIterator<Item = String>) -> ConnectOptions {
    let mut o = ConnectOptions::with_servers(urls);
    o.connect_timeout = Duration::from_secs(3);
    o
}

/// Connects to `server` with default options.
pub async fn connect(server: &Server) -> Client {
    Client::connect(options([server.url()]))
        .await
        .expect("connect")
}

/// Creates a file stream `name` on `subjects`.
pub async fn stream(client: &Client, name: &str, subjects: &[&str]) {
    client
        .create_stream(StreamConfig::new(name, subjects.iter().copied()))
        .await
        .expect("create stream");
}

/// Polls `check` every 50 ms until it returns true or `limit` passes.
pub async fn eventually<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// A payload of `n` bytes.
pub fn payload(n: usize) -> bytes::Bytes {
    bytes::Bytes::from(vec![b'x'; n])
}
