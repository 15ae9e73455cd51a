//! The proxy passes, blackholes (no bytes, no FIN/RST) and resets connections.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use common::{bounded, opts};
use jetbridge_harness::{Proxy, ProxyMode, Server};

/// An echo server on a free port; serves connections on threads until the test exits.
fn echo_server() -> std::net::SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().take(16) {
            let Ok(mut s) = s else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 || s.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn client(p: &Proxy) -> TcpStream {
    let s = TcpStream::connect(p.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    s
}

fn echo(s: &mut TcpStream, msg: &[u8]) -> std::io::Result<Vec<u8>> {
    s.write_all(msg)?;
    let mut buf = vec![0u8; msg.len()];
    s.read_exact(&mut buf)?;
    Ok(buf)
}

#[test]
fn pass_blackhole_pass_delivers_held_bytes() {
    let p = Proxy::start(echo_server()).unwrap();
    assert_eq!(p.mode(), ProxyMode::Pass);
    let mut s = client(&p);
    assert_eq!(echo(&mut s, b"one").unwrap(), b"one");

    p.blackhole().unwrap();
    s.write_all(b"two").unwrap();
    let mut buf = [0u8; 8];
    let err = s.read(&mut buf).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err:?}"
    );
    assert_eq!(p.connections(), 1, "blackhole keeps the connection open");

    // A new connection during blackhole is accepted but gets nothing.
    let mut s2 = client(&p);
    assert!(echo(&mut s2, b"x").is_err());

    p.pass().unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut got = [0u8; 3];
    s.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"two");
    s2.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    assert_eq!(echo(&mut s2, b"three").unwrap(), b"xthre");
}

#[test]
fn reset_aborts_and_refuses_until_pass() {
    let p = Proxy::start(echo_server()).unwrap();
    let mut s = client(&p);
    assert_eq!(echo(&mut s, b"a").unwrap(), b"a");
    p.reset().unwrap();
    assert_eq!(p.connections(), 0);
    let mut buf = [0u8; 1];
    match s.read(&mut buf) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset),
        Ok(n) => panic!("expected a reset, read {n} bytes"),
    }
    let mut s2 = client(&p);
    assert!(
        echo(&mut s2, b"b").is_err(),
        "new connections are reset in reset mode"
    );
    p.pass().unwrap();
    let mut s3 = client(&p);
    assert_eq!(echo(&mut s3, b"c").unwrap(), b"c");
}

#[test]
fn only_loopback_targets() {
    assert!(Proxy::start("10.0.0.1:4222").is_err());
    assert_eq!(ProxyMode::parse("blackhole").unwrap(), ProxyMode::Blackhole);
    assert!(ProxyMode::parse("drop").is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_client_through_the_proxy() {
    let server = Server::start().unwrap();
    let p = Proxy::start(("127.0.0.1", server.port())).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let o = opts().event_callback(move |e| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(e.to_string());
        }
    });
    let client = bounded(o.connect(p.url())).await.unwrap();
    let js = async_nats::jetstream::new(client.clone());
    bounded(js.query_account()).await.unwrap();

    p.blackhole().unwrap();
    let stalled = tokio::time::timeout(Duration::from_millis(500), js.query_account()).await;
    assert!(stalled.is_err(), "blackholed request must not complete");
    assert_eq!(server.monitor("/connz").unwrap()["num_connections"], 1);

    p.pass().unwrap();
    bounded(js.query_account()).await.unwrap();

    p.reset().unwrap();
    bounded(wait_event(&mut rx, "disconnected")).await;
    p.pass().unwrap();
    bounded(wait_event(&mut rx, "connected")).await;
    bounded(js.query_account()).await.unwrap();
}

async fn wait_event(rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>, name: &str) {
    while let Some(ev) = rx.recv().await {
        if ev == name {
            return;
        }
    }
    panic!("event stream ended before {name}");
}
