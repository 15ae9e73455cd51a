//! The fault tests of reliability.md §7, each a function from a tier to an
//! [`Outcome`]. Servers come from the project harness; traffic stays on
//! 127.0.0.1; every wait is bounded.

pub mod consume;
pub mod faulted;
pub mod kv;
pub mod kv_cas;
pub mod network;
pub mod object;
pub mod partition;
pub mod publish;
pub mod soak;

use std::time::Duration;

use jetbridge::{Client, ConnectOptions, StreamConfig};
use jetbridge_harness::{Cluster, Proxy, Server};

use crate::report::Outcome;
use crate::tier::Tier;

/// A fault test.
pub type Scenario = fn(Tier) -> futures::future::BoxFuture<'static, Outcome>;

/// Every scenario, by name, in plan order (25–28: key-value buckets and
/// object stores, beyond reliability.md's 24).
pub fn all() -> Vec<(&'static str, Scenario)> {
    vec![
        ("baseline_r1", |t| Box::pin(publish::baseline(t, 1))),
        ("baseline_r3", |t| Box::pin(publish::baseline(t, 3))),
        ("kill9_r1", |t| Box::pin(publish::kill9_r1(t))),
        ("leader_kill_storm_r3", |t| {
            Box::pin(publish::leader_kill_storm(t))
        }),
        ("lame_duck_rolling_r3", |t| {
            Box::pin(consume::lame_duck_rolling(t))
        }),
        ("paused_leader_r3", |t| Box::pin(publish::paused_leader(t))),
        ("partition_leader_r3", |t| {
            Box::pin(partition::minority_leader(t))
        }),
        ("whole_cluster_crash", |t| {
            Box::pin(publish::whole_cluster_crash(t))
        }),
        ("dedup_window_boundary", |t| {
            Box::pin(network::dedup_window_boundary(t))
        }),
        ("workqueue_dedup_restart", |t| {
            Box::pin(network::workqueue_dedup_restart(t))
        }),
        ("concurrent_same_id_r3", |t| {
            Box::pin(publish::concurrent_same_id(t))
        }),
        ("durable_kill9_r1", |t| Box::pin(consume::durable_kill9(t))),
        ("ack_sync_never_false_success", |t| {
            Box::pin(consume::ack_sync_never_false_success(t))
        }),
        ("redelivery_policy", |t| {
            Box::pin(consume::redelivery_policy(t))
        }),
        ("missed_heartbeats", |t| {
            Box::pin(consume::missed_heartbeats(t))
        }),
        ("ordered_replay_restarts", |t| {
            Box::pin(consume::ordered_replay_restarts(t))
        }),
        ("half_open_tcp", |t| Box::pin(network::half_open_tcp(t))),
        ("soak", |t| Box::pin(soak::soak(t))),
        ("backpressure_paused_cluster", |t| {
            Box::pin(publish::backpressure_paused_cluster(t))
        }),
        ("kv_watch_kill9_r1", |t| Box::pin(kv::watch_kill9_r1(t))),
        ("kv_watch_leader_change_r3", |t| {
            Box::pin(kv::watch_leader_change_r3(t))
        }),
        ("kv_cas_concurrent_writers", |t| {
            Box::pin(kv_cas::cas_concurrent_writers(t))
        }),
        ("obj_put_interrupted_restart", |t| {
            Box::pin(object::obj_put_interrupted_restart(t))
        }),
    ]
}

/// Runs blocking harness calls (process control) without stalling the runtime.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// Client options for tests: the default retry budget and timeouts.
pub fn options(urls: Vec<String>) -> ConnectOptions {
    let mut o = ConnectOptions::with_servers(urls);
    o.connect_timeout = Duration::from_secs(3);
    o
}

/// Connects to `urls`.
pub async fn connect(urls: Vec<String>) -> Result<Client, String> {
    Client::connect(options(urls))
        .await
        .map_err(|e| e.to_string())
}

/// Creates a file stream with `replicas` on `subjects`, retrying while a
/// cluster elects its meta leader.
pub async fn make_stream(
    client: &Client,
    name: &str,
    subjects: &[&str],
    replicas: usize,
) -> Result<(), String> {
    let mut cfg = StreamConfig::new(name, subjects.iter().copied());
    cfg.replicas = replicas;
    let mut last = String::new();
    for _ in 0..40 {
        match client.create_stream(cfg.clone()).await {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!("cannot create stream {name}: {last}"))
}

/// Starts a single server or a cluster.
pub fn single() -> Result<Server, String> {
    blocking(Server::start).map_err(|e| e.to_string())
}

/// Starts a 3-node cluster.
pub fn cluster3() -> Result<Cluster, String> {
    blocking(|| Cluster::start(3)).map_err(|e| e.to_string())
}

/// A 3-node cluster, a proxy in front of node 0 (for blackholing one
/// client's link), and an admin client (direct) that created the R3 stream
/// `stream` on `subject`.
pub async fn proxied_cluster(
    stream: &str,
    subject: &str,
) -> Result<(Cluster, Proxy, Client), String> {
    let cluster = cluster3()?;
    let proxy = blocking(|| Proxy::start(("127.0.0.1", cluster.servers()[0].port())))
        .map_err(|e| e.to_string())?;
    let admin = connect(cluster.urls())
        .await
        .map_err(|e| format!("connect: {e}"))?;
    make_stream(&admin, stream, &[subject], 3).await?;
    Ok((cluster, proxy, admin))
}

/// Turns a setup failure into a failed outcome.
pub fn setup_failed(o: Outcome, why: String) -> Outcome {
    failed(o, format!("setup: {why}"))
}

/// Fails the outcome with `why` (a failed premise: setup, or a fault that did not happen).
pub fn failed(mut o: Outcome, why: String) -> Outcome {
    o.check(false, why);
    o
}
