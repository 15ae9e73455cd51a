//! Pipelined, msg-id'd publishing across `kill -9` + restart of the server:
//! nothing lost, nothing stored twice, publishing resumes by itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jetbridge::{PublishMessage, PublisherOptions, ReplayOptions, StreamConfig};
use support::*;

const TOTAL: u64 = 20_000;
const WINDOW: usize = 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_three_times_during_20k_pipelined_publishes_loses_and_duplicates_nothing() {
    kill9_three_times(false).await;
}

/// The same in fast-ingest batches (server 2.14+, `allow_batched`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_three_times_during_20k_fast_ingest_publishes_loses_and_duplicates_nothing() {
    kill9_three_times(true).await;
}

async fn kill9_three_times(fast_ingest: bool) {
    let srv = server();
    let c = connect(&srv).await;
    let mut config = StreamConfig::new("KILL", ["kill.>"]);
    config.allow_batched = fast_ingest.then_some(true);
    c.create_stream(config).await.unwrap();
    let publisher = c
        .publisher(PublisherOptions {
            max_in_flight: WINDOW,
            fast_ingest,
            ..Default::default()
        })
        .unwrap();

    // The fault injector kills the server at 25 %, 50 % and 75 % of the
    // queued messages and restarts it a second later (same port and store).
    let queued = Arc::new(AtomicU64::new(0));
    let injector = std::thread::spawn({
        let queued = queued.clone();
        move || {
            let mut srv = srv;
            let mut restarts = 0;
            for pct in [25, 50, 75] {
                let deadline = std::time::Instant::now() + Duration::from_secs(120);
                while queued.load(Ordering::Relaxed) < TOTAL * pct / 100
                    && std::time::Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                srv.kill9().unwrap();
                std::thread::sleep(Duration::from_secs(1));
                srv.restart().unwrap();
                restarts += 1;
            }
            (srv, restarts)
        }
    });

    for i in 0..TOTAL {
        let msg = PublishMessage::new(format!("kill.{}", i % 7), format!("m{i}"))
            .with_msg_id(format!("kill-{i}"));
        publisher.publish(msg).await.unwrap();
        queued.store(i + 1, Ordering::Relaxed);
    }
    let report = tokio::time::timeout(Duration::from_secs(120), publisher.flush())
        .await
        .unwrap()
        .unwrap();
    let (_srv, restarts) = injector.join().unwrap();
    assert_eq!(restarts, 3);
    assert!(
        report.failures.is_empty(),
        "failures: {:?}",
        &report.failures[..report.failures.len().min(3)]
    );
    assert_eq!(report.acked, TOTAL);
    assert!(
        publisher.peak_in_flight() <= WINDOW,
        "window exceeded: {}",
        publisher.peak_in_flight()
    );

    // Read the stream back in order: every id exactly once.
    let info = c.stream_info("KILL").await.unwrap();
    assert_eq!(info.state.messages, TOTAL, "stored exactly once each");
    let replay = c.replay("KILL", ReplayOptions::default()).await.unwrap();
    let mut seen = HashSet::new();
    for _ in 0..TOTAL {
        let m = tokio::time::timeout(Duration::from_secs(30), replay.next())
            .await
            .unwrap()
            .unwrap();
        assert!(
            seen.insert(m.msg_id().unwrap().to_string()),
            "duplicate {:?}",
            m.msg_id()
        );
    }
    assert_eq!(seen.len() as u64, TOTAL);
    assert!(c.counters().reconnects >= 3, "{:?}", c.counters());

    // Publishing works again without any intervention.
    let ack = c
        .publish(PublishMessage::new("kill.after", "x"))
        .await
        .unwrap();
    assert_eq!(ack.sequence, TOTAL + 1);
}
