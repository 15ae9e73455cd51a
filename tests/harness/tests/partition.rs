//! A cluster with proxied routes: every route runs through a proxy, `partition(i)` really
//! cuts node i off from the others (core messages stop crossing, and with `reset` its
//! `/routez` empties) while the majority keeps talking, and `heal()` restores it all.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use async_nats::Subscriber;
use common::{bounded, opts};
use futures::StreamExt;
use jetbridge_harness::{Cluster, ClusterOptions, ProxyMode};

/// Bound on waiting for routes to form or interest to propagate.
const SETTLE: Duration = Duration::from_secs(15);

fn proxied() -> Cluster {
    Cluster::start_with(ClusterOptions::default().proxied_routes(true)).unwrap()
}

/// The names of the peers node `i`'s `/routez` lists.
fn peers(c: &Cluster, i: usize) -> BTreeSet<String> {
    let routez = c.server(i).unwrap().monitor("/routez").unwrap();
    routez["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["remote_name"].as_str().map(str::to_string))
        .collect()
}

/// Waits (bounded) until node `i` lists exactly `want` as route peers.
fn wait_peers(c: &Cluster, i: usize, want: &[&str]) {
    let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
    let deadline = Instant::now() + SETTLE;
    while peers(c, i) != want {
        assert!(
            Instant::now() < deadline,
            "n{} routes {:?}, want {want:?}",
            i + 1,
            peers(c, i)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Publishes on `subject` from `from` until `sub` receives one (bounded).
async fn crosses(from: &async_nats::Client, subject: &str, sub: &mut Subscriber) -> bool {
    let deadline = Instant::now() + SETTLE;
    while Instant::now() < deadline {
        from.publish(subject.to_string(), "x".into()).await.unwrap();
        from.flush().await.unwrap();
        if tokio::time::timeout(Duration::from_millis(200), sub.next())
            .await
            .is_ok()
        {
            return true;
        }
    }
    false
}

/// True if `sub` receives nothing within `wait`.
async fn silent(sub: &mut Subscriber, wait: Duration) -> bool {
    tokio::time::timeout(wait, sub.next()).await.is_err()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partition_cuts_a_node_off_and_heal_restores_it() {
    let c = proxied();
    for (i, want) in [["n2", "n3"], ["n1", "n3"], ["n1", "n2"]]
        .iter()
        .enumerate()
    {
        wait_peers(&c, i, want);
    }
    assert_eq!(c.unproxied_routes().unwrap(), Vec::<String>::new());

    let urls = c.urls();
    let mut clients = Vec::new();
    for u in &urls {
        clients.push(bounded(opts().connect(u.as_str())).await.unwrap());
    }
    let mut on1 = clients[0].subscribe("probe.n1").await.unwrap();
    let mut on2 = clients[1].subscribe("probe.n2").await.unwrap();
    assert!(crosses(&clients[2], "probe.n1", &mut on1).await);
    assert!(crosses(&clients[2], "probe.n2", &mut on2).await);

    c.partition(0).unwrap();
    // Nothing crosses to or from n1; n2 and n3 still talk.
    clients[1].publish("probe.n1", "held".into()).await.unwrap();
    clients[1].flush().await.unwrap();
    assert!(
        silent(&mut on1, Duration::from_secs(2)).await,
        "n2 -> n1 crossed"
    );
    clients[0].publish("probe.n2", "held".into()).await.unwrap();
    clients[0].flush().await.unwrap();
    assert!(
        silent(&mut on2, Duration::from_secs(1)).await,
        "n1 -> n2 crossed"
    );
    assert!(crosses(&clients[2], "probe.n2", &mut on2).await);

    c.heal().unwrap();
    assert!(crosses(&clients[1], "probe.n1", &mut on1).await);
    assert!(crosses(&clients[0], "probe.n2", &mut on2).await);
    assert_eq!(c.unproxied_routes().unwrap(), Vec::<String>::new());
}

#[test]
fn reset_partition_empties_the_routez_of_the_node() {
    let c = proxied();
    wait_peers(&c, 0, &["n2", "n3"]);
    c.partition_with(0, ProxyMode::Reset).unwrap();
    wait_peers(&c, 0, &[]);
    wait_peers(&c, 1, &["n3"]);
    wait_peers(&c, 2, &["n2"]);
    c.heal().unwrap();
    for (i, want) in [["n2", "n3"], ["n1", "n3"], ["n1", "n2"]]
        .iter()
        .enumerate()
    {
        wait_peers(&c, i, want);
    }
    assert_eq!(c.unproxied_routes().unwrap(), Vec::<String>::new());
}

#[test]
fn partition_needs_proxied_routes() {
    let c = Cluster::start(2).unwrap();
    assert!(c.partition(0).is_err());
    assert!(c.heal().is_err());
    assert!(c.unproxied_routes().is_err());
}
