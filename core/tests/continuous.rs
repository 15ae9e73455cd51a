//! Continuous consumption against a real server: `messages()`, ordered replay
//! from every start position, push consumers with a deliver group, and Dapr
//! metadata producing the consumer it describes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jetbridge::{
    Client, ConsumerConfig, DaprConfig, ErrorKind, Health, MessagesOptions, PublishMessage,
    ReplayOptions, StartPosition, StreamConfig,
};
use support::*;

async fn fill(c: &Client, subjects: &[&str], n: usize) {
    let msgs = (0..n)
        .map(|i| PublishMessage::new(subjects[i % subjects.len()], format!("m{i}")))
        .collect();
    for r in c.publish_many(msgs).await.unwrap() {
        r.unwrap();
    }
}

async fn sequences(stream: &mut jetbridge::MessageStream, n: usize) -> Vec<u64> {
    let mut out = Vec::new();
    while out.len() < n {
        let m = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("message in time")
            .unwrap();
        out.push(m.stream_sequence);
    }
    out
}

fn quick() -> MessagesOptions {
    MessagesOptions {
        batch: 100,
        heartbeat: Duration::from_millis(500),
        expires: Duration::from_secs(5),
        ..Default::default()
    }
}

#[tokio::test]
async fn messages_delivers_everything_and_acks_drain_the_consumer() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "MS", &["ms.*"]).await;
    fill(&c, &["ms.a"], 2500).await;
    let con = c
        .create_consumer("MS", ConsumerConfig::durable("ms"))
        .await
        .unwrap();
    let s = con.messages(quick()).await.unwrap();
    let mut got = Vec::new();
    while got.len() < 2500 {
        let batch = s.next_batch(256, Duration::from_secs(5)).await.unwrap();
        assert!(!batch.is_empty());
        for m in batch {
            m.ack().unwrap();
            got.push(m.stream_sequence);
        }
    }
    assert_eq!(got, (1..=2500).collect::<Vec<_>>());
    assert_eq!(s.health(), Health::Active);
    assert!(
        s.next_batch(10, Duration::from_millis(300))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        eventually(Duration::from_secs(5), || async {
            con.info().await.unwrap().num_ack_pending == 0
        })
        .await
    );
    assert_eq!(con.info().await.unwrap().num_pending, 0);
    s.stop();
}

#[tokio::test]
async fn deleted_durable_is_recreated_from_its_config_without_skipping() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "RC", &["rc"]).await;
    fill(&c, &["rc"], 10).await;
    let mut cfg = ConsumerConfig::durable("rc");
    cfg.ack_wait = Some(Duration::from_secs(7));
    let con = c.create_consumer("RC", cfg).await.unwrap();
    let s = con.messages(quick()).await.unwrap();
    // Process 1..5 (5 left un-acked), then the consumer disappears.
    let first = {
        let mut v = Vec::new();
        while v.len() < 5 {
            let m = tokio::time::timeout(Duration::from_secs(15), s.next())
                .await
                .expect("message in time");
            v.push(m.unwrap());
        }
        v
    };
    for m in &first[..4] {
        m.ack_sync().await.unwrap();
    }
    c.delete_consumer("RC", "rc").await.unwrap();
    // Everything from the oldest un-acked message comes back (some twice:
    // 6..10 were already buffered); 1..4, confirmed, never again.
    let mut rest = Vec::new();
    while !(5..=10).all(|seq| rest.contains(&seq)) {
        let m = tokio::time::timeout(Duration::from_secs(15), s.next())
            .await
            .unwrap()
            .unwrap();
        m.ack().unwrap();
        rest.push(m.stream_sequence);
    }
    assert!(rest.iter().all(|seq| *seq >= 5), "{rest:?}");
    for seq in 5..=10 {
        assert!(rest.contains(&seq), "{seq} missing from {rest:?}");
    }
    let info = c.consumer_info("RC", "rc").await.unwrap();
    assert_eq!(
        info.config.ack_wait,
        Some(Duration::from_secs(7)),
        "re-created with its config"
    );
    assert_eq!(c.counters().consumer_recreations, 1);
    let events = s.take_events();
    assert!(
        events.iter().any(|e| e.reason.contains("re-created")),
        "{events:?}"
    );
}

#[tokio::test]
async fn replay_from_every_start_position() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "RP", &["rp.*"]).await;
    fill(&c, &["rp.a", "rp.b", "rp.c"], 9).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mid = c.get_message("RP", 9).await.unwrap().timestamp + 1;
    tokio::time::sleep(Duration::from_millis(50)).await;
    fill(&c, &["rp.a"], 3).await; // 10, 11, 12
    let cases: Vec<(StartPosition, Vec<u64>)> = vec![
        (StartPosition::All, (1..=12).collect()),
        (StartPosition::Sequence(8), (8..=12).collect()),
        (StartPosition::Time(mid), vec![10, 11, 12]),
        (StartPosition::Last, vec![12]),
        (StartPosition::LastPerSubject, vec![8, 9, 12]),
    ];
    for (start, want) in cases {
        let mut r = c
            .replay(
                "RP",
                ReplayOptions {
                    start,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(sequences(&mut r, want.len()).await, want, "{start:?}");
        assert!(
            r.next_batch(5, Duration::from_millis(200))
                .await
                .unwrap()
                .is_empty(),
            "{start:?}: nothing extra"
        );
        let m_err = r.next_batch(1, Duration::from_millis(1)).await.unwrap();
        assert!(m_err.is_empty());
    }
    let mut new = c
        .replay(
            "RP",
            ReplayOptions {
                start: StartPosition::New,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        new.next_batch(5, Duration::from_millis(300))
            .await
            .unwrap()
            .is_empty()
    );
    fill(&c, &["rp.b"], 1).await;
    assert_eq!(sequences(&mut new, 1).await, vec![13]);
    let mut filtered = c
        .replay(
            "RP",
            ReplayOptions {
                filter_subjects: vec!["rp.b".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(sequences(&mut filtered, 4).await, vec![2, 5, 8, 13]);
    // Replayed messages take no acks.
    let m = filtered
        .next_batch(1, Duration::from_millis(100))
        .await
        .unwrap();
    assert!(m.is_empty());
    assert_eq!(
        c.replay("NOPE", ReplayOptions::default())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn replay_messages_refuse_acks() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "RA", &["ra"]).await;
    fill(&c, &["ra"], 1).await;
    let r = c.replay("RA", ReplayOptions::default()).await.unwrap();
    let m = r.next().await.unwrap();
    assert_eq!(m.ack().unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn deliver_group_of_three_shares_10k_each_to_exactly_one_member() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "DG", &["dg"]).await;
    let mut cfg = ConsumerConfig::durable("workers");
    cfg.deliver_group = Some("workers".into());
    let mut members = Vec::new();
    for _ in 0..3 {
        let client = connect(&srv).await;
        members.push(client.push_subscribe("DG", cfg.clone()).await.unwrap());
    }
    fill(&c, &["dg"], 10_000).await;
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut per_member = [0usize; 3];
    let mut last_progress = Instant::now();
    while seen.len() < 10_000 {
        assert!(
            last_progress.elapsed() < Duration::from_secs(10),
            "no delivery for 10 s at {} of 10000",
            seen.len()
        );
        for (i, member) in members.iter_mut().enumerate() {
            for m in member
                .next_batch(500, Duration::from_millis(50))
                .await
                .unwrap()
            {
                assert_eq!(m.delivered, 1, "no redelivery expected");
                m.ack().unwrap();
                *seen.entry(m.stream_sequence).or_default() += 1;
                per_member[i] += 1;
                last_progress = Instant::now();
            }
        }
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "each message to exactly one member"
    );
    assert!(
        per_member.iter().all(|n| *n > 0),
        "all members shared the work: {per_member:?}"
    );
}

#[tokio::test]
async fn push_consumer_with_flow_control_and_heartbeat() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "FC", &["fc"]).await;
    fill(&c, &["fc"], 3000).await;
    let mut cfg = ConsumerConfig::durable("fc");
    cfg.flow_control = true;
    cfg.idle_heartbeat = Some(Duration::from_millis(500));
    let s = c.push_subscribe("FC", cfg.clone()).await.unwrap();
    let mut n = 0;
    while n < 3000 {
        let batch = s.next_batch(1000, Duration::from_secs(5)).await.unwrap();
        assert!(!batch.is_empty(), "no delivery for 5 s at {n} of 3000");
        for m in batch {
            m.ack().unwrap();
            n += 1;
        }
    }
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        s.health(),
        Health::Active,
        "heartbeats keep an idle push consumer healthy"
    );
    // Joining with a different configuration is refused.
    let mut other = cfg;
    other.idle_heartbeat = Some(Duration::from_secs(2));
    assert_eq!(
        c.push_subscribe("FC", other).await.unwrap_err().kind(),
        ErrorKind::ConfigMismatch
    );
}

#[tokio::test]
async fn dapr_metadata_produces_the_consumer_it_describes() {
    let srv = server();
    let c = connect(&srv).await;
    c.create_stream(StreamConfig::new("DAPR", ["orders.*"]))
        .await
        .unwrap();
    fill(&c, &["orders.new"], 5).await;
    let url = srv.url();
    let cfg = DaprConfig::from_metadata([
        ("natsURL", url.as_str()),
        ("durableName", "dapr-orders"),
        ("queueGroupName", "dapr-workers"),
        ("deliverPolicy", "sequence"),
        ("startSequence", "3"),
        ("ackWait", "15s"),
        ("maxDeliver", "4"),
        ("backOff", "1s, 2s"),
        ("maxAckPending", "50"),
        ("ackPolicy", "explicit"),
    ])
    .unwrap();
    let client = Client::connect(cfg.connect.clone()).await.unwrap();
    let mut s = client
        .subscribe("orders.new", &cfg.subscription)
        .await
        .unwrap();
    assert_eq!(sequences(&mut s, 3).await, vec![3, 4, 5]);
    let info = c.consumer_info("DAPR", "dapr-orders").await.unwrap();
    assert_eq!(info.config.start, StartPosition::Sequence(3));
    assert_eq!(
        info.config.ack_wait,
        Some(Duration::from_secs(1)),
        "backoff[0] overrides ack wait on the server"
    );
    assert_eq!(info.config.max_deliver, Some(4));
    assert_eq!(
        info.config.backoff,
        vec![Duration::from_secs(1), Duration::from_secs(2)]
    );
    assert_eq!(info.config.max_ack_pending, Some(50));
    assert_eq!(info.config.deliver_group.as_deref(), Some("dapr-workers"));
    assert_eq!(info.config.filter_subjects, vec!["orders.new".to_string()]);
}

#[tokio::test]
async fn one_stream_is_shared_by_tasks_and_stop_wakes_a_waiting_reader() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "SH", &["sh"]).await;
    fill(&c, &["sh"], 200).await;
    let con = c
        .create_consumer("SH", ConsumerConfig::durable("sh"))
        .await
        .unwrap();
    let s = std::sync::Arc::new(con.messages(quick()).await.unwrap());
    // Two tasks read the same stream; together they see every message once.
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move {
                let mut seen = Vec::new();
                loop {
                    let batch = s.next_batch(7, Duration::from_secs(2)).await.unwrap();
                    if batch.is_empty() {
                        return seen;
                    }
                    for m in batch {
                        m.ack().unwrap();
                        seen.push(m.stream_sequence);
                    }
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for r in readers {
        all.extend(r.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (1..=200).collect::<Vec<_>>());
    // A reader waiting with nothing to read wakes up with CLOSED when another
    // task stops the stream, long before its own wait would end.
    let waiting = {
        let s = s.clone();
        tokio::spawn(async move { s.next().await })
    };
    tokio::task::yield_now().await;
    s.stop();
    let woke = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("stop wakes the reader")
        .unwrap();
    assert_eq!(woke.unwrap_err().kind(), ErrorKind::Closed);
    assert!(s.is_stopped());
}

#[tokio::test]
async fn a_message_stream_is_a_futures_stream_that_ends_after_stop() {
    use futures::StreamExt;
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "FS", &["fs"]).await;
    fill(&c, &["fs"], 30).await;
    let con = c
        .create_consumer("FS", ConsumerConfig::durable("fs"))
        .await
        .unwrap();
    let mut s = con.messages(quick()).await.unwrap();
    let first: Vec<u64> = (&mut s)
        .take(30)
        .map(|m| {
            let m = m.unwrap();
            m.ack().unwrap();
            m.stream_sequence
        })
        .collect()
        .await;
    assert_eq!(first, (1..=30).collect::<Vec<_>>());
    s.stop();
    let rest = tokio::time::timeout(Duration::from_secs(10), s.collect::<Vec<_>>())
        .await
        .expect("a stopped stream ends");
    assert!(rest.is_empty());
}
