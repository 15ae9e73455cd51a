//! A 3-node cluster forms, elects leaders, and survives kill -9 / pause of the leader.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use async_nats::ServerAddr;
use common::{bounded, eventually_messages, opts, stream_with_messages};
use jetbridge_harness::{AuthMode, Cluster, ClusterOptions, ServerOptions};

fn addrs(c: &Cluster) -> Vec<ServerAddr> {
    c.urls().iter().map(|u| u.parse().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_elects_and_fails_over() {
    let t = std::time::Instant::now();
    let mut c = Cluster::start(3).unwrap();
    eprintln!("up: {:?}", t.elapsed());
    assert_eq!(c.len(), 3);
    let names: Vec<&str> = c.servers().iter().map(|s| s.name()).collect();
    assert_eq!(names, ["n1", "n2", "n3"]);
    c.meta_leader().unwrap();
    for s in c.servers() {
        assert_eq!(
            s.varz().unwrap()["jetstream"]["config"]["sync_always"],
            true
        );
    }

    let client = bounded(opts().connect(addrs(&c))).await.unwrap();
    let js = stream_with_messages(&client, "R3", 3, 10).await;
    let s = bounded(js.get_stream("R3")).await.unwrap();
    bounded(
        s.create_consumer(async_nats::jetstream::consumer::pull::Config {
            durable_name: Some("D".into()),
            ..Default::default()
        }),
    )
    .await
    .unwrap();

    let leader = c.stream_leader(None, "R3").unwrap();
    assert_eq!(c.stream_leader(Some("$G"), "R3").unwrap(), leader);
    let cl = c.consumer_leader(None, "R3", "D").unwrap();
    assert!(cl < 3);

    eprintln!("setup: {:?}", t.elapsed());
    c.kill9(leader).unwrap();
    let new_leader = c.stream_leader(None, "R3").unwrap();
    assert_ne!(new_leader, leader);
    eprintln!("failover: {:?}", t.elapsed());
    eventually_messages(&js, "R3", 10).await;

    c.restart(leader).unwrap();
    eprintln!("restarted: {:?}", t.elapsed());
    c.wait_ready().unwrap();
    eprintln!("ready: {:?}", t.elapsed());
    eventually_messages(&js, "R3", 10).await;

    // Pausing the current leader moves leadership; resuming brings the node back.
    let leader = c.stream_leader(None, "R3").unwrap();
    c.pause(leader).unwrap();
    let moved = c.stream_leader(None, "R3").unwrap();
    assert_ne!(moved, leader);
    eprintln!("paused failover: {:?}", t.elapsed());
    c.resume(leader).unwrap();
    c.wait_ready().unwrap();
    assert!(c.server(3).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwt_cluster_leader_in_app_account() {
    let opts_ = ClusterOptions::default().server(ServerOptions::default().auth(AuthMode::Jwt));
    let c = Cluster::start_with(opts_).unwrap();
    let j = c.credentials().jwt.clone().unwrap();
    let o = async_nats::ConnectOptions::with_credentials_file(&j.user.creds)
        .await
        .unwrap();
    let client = bounded(o.connect(addrs(&c))).await.unwrap();
    stream_with_messages(&client, "APPS", 3, 1).await;
    let by_key = c.stream_leader(Some(&j.account), "APPS").unwrap();
    assert_eq!(c.stream_leader(Some("APP"), "APPS").unwrap(), by_key);
}

#[test]
fn leader_lookup_of_a_missing_stream_times_out() {
    let c = Cluster::start_with(
        ClusterOptions::default()
            .size(2)
            .leader_timeout(std::time::Duration::from_millis(300)),
    )
    .unwrap();
    let err = c.stream_leader(None, "MISSING").unwrap_err().to_string();
    assert!(err.contains("timed out"), "{err}");
    assert!(Cluster::start(1).is_err());
}
