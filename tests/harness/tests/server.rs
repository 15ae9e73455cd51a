//! Single-server lifecycle: start, restart with data, kill -9, pause/resume, monitoring.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{bounded, connect, opts, stream_messages, stream_with_messages};
use jetbridge_harness::{Server, ServerOptions, SyncInterval};

#[test]
fn starts_with_sync_always_and_exposes_paths() {
    let server = Server::start().unwrap();
    assert!(server.url().starts_with("nats://127.0.0.1:"));
    assert!(server.pid().is_some());
    assert!(server.store_dir().is_dir());
    assert!(server.log_path().is_file());
    let varz = server.varz().unwrap();
    assert_eq!(varz["jetstream"]["config"]["sync_always"], true);
    assert_eq!(varz["server_name"], "n1");
    let jsz = server.jsz().unwrap();
    assert!(
        jsz["config"]["store_dir"]
            .as_str()
            .unwrap()
            .starts_with(server.store_dir().to_str().unwrap())
    );
}

#[test]
fn options_reach_the_config() {
    let server = Server::start_with(
        ServerOptions::default()
            .name("solo")
            .max_payload(2048)
            .sync_interval(SyncInterval::ServerDefault),
    )
    .unwrap();
    let varz = server.varz().unwrap();
    assert_eq!(varz["server_name"], "solo");
    assert_eq!(varz["max_payload"], 2048);
    assert_ne!(varz["jetstream"]["config"]["sync_always"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_port_and_stream_data() {
    let mut server = Server::start().unwrap();
    let (port, dir) = (server.port(), server.store_dir().to_path_buf());
    let client = connect(opts(), &server.url()).await.unwrap();
    stream_with_messages(&client, "KEEP", 1, 5).await;
    drop(client);

    let old_pid = server.pid();
    tokio::task::block_in_place(|| server.restart()).unwrap();
    assert_ne!(server.pid(), old_pid);
    assert_eq!(server.port(), port);
    assert_eq!(server.store_dir(), dir);

    let client = connect(opts(), &server.url()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    assert_eq!(stream_messages(&js, "KEEP").await, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_then_restart_recovers_synced_data() {
    let mut server = Server::start().unwrap();
    let client = connect(opts(), &server.url()).await.unwrap();
    stream_with_messages(&client, "K9", 1, 3).await;
    server.kill9().unwrap();
    assert!(server.pid().is_none());
    assert!(!server.is_running());
    assert!(
        server.kill9().is_err(),
        "second kill9 must report not running"
    );
    server.restart().unwrap();
    let client = connect(opts(), &server.url()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    assert_eq!(stream_messages(&js, "K9").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_blocks_and_resume_continues() {
    let mut server = Server::start().unwrap();
    let client = connect(opts(), &server.url()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    bounded(js.query_account()).await.unwrap();
    server.pause().unwrap();
    assert!(server.is_paused());
    let stalled = tokio::time::timeout(Duration::from_millis(500), js.query_account()).await;
    assert!(
        stalled.is_err(),
        "a request must stall while the server is stopped"
    );
    assert!(
        server.varz().is_err(),
        "monitor must not answer while paused"
    );
    server.resume().unwrap();
    assert!(!server.is_paused());
    bounded(js.query_account()).await.unwrap();
    server.varz().unwrap();
}

#[test]
fn drop_kills_a_paused_server_and_removes_its_dir() {
    let mut server = Server::start().unwrap();
    server.pause().unwrap();
    let pid = server.pid().unwrap();
    let dir = server.dir().to_path_buf();
    drop(server);
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists());
    assert!(!dir.exists());
}

#[test]
fn stop_is_graceful_and_restartable() {
    let mut server = Server::start().unwrap();
    server.stop().unwrap();
    assert!(server.pid().is_none());
    server.stop().unwrap();
    server.restart().unwrap();
    server.varz().unwrap();
}

#[test]
fn errors_carry_the_log_tail() {
    let err = Server::start_with(ServerOptions::default().extra_config("no_such_option: {"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("exited unexpectedly"), "{err}");
    assert!(err.contains("log tail"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lame_duck_closes_clients_and_exits() {
    let mut server = Server::start().unwrap();
    let _client = connect(opts(), &server.url()).await.unwrap();
    server.lame_duck().unwrap();
    let t = std::time::Instant::now();
    let exited = server.wait_exit(Duration::from_secs(40)).unwrap();
    eprintln!("lame duck exit after {:?}", t.elapsed());
    assert!(exited);
    server.restart().unwrap();
}
