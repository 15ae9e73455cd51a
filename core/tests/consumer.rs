//! Durable consumers against a real server: admin, fetch, acks, redelivery.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use jetbridge::{
    AckPolicy, Client, Consumer, ConsumerConfig, ErrorKind, FetchOptions, PublishMessage,
    StartPosition,
};
use support::*;

async fn fill(c: &Client, subject: &str, n: usize) {
    let msgs = (0..n)
        .map(|i| PublishMessage::new(subject, format!("m{i}")))
        .collect();
    for r in c.publish_many(msgs).await.unwrap() {
        r.unwrap();
    }
}

fn wait(n: usize, ms: u64) -> FetchOptions {
    FetchOptions {
        max_messages: n,
        max_wait: Duration::from_millis(ms),
        ..FetchOptions::default()
    }
}

async fn setup(name: &str, n: usize) -> (Server, Client) {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, name, &[&format!("{}.>", name.to_lowercase())]).await;
    fill(&c, &format!("{}.a", name.to_lowercase()), n).await;
    (srv, c)
}

#[tokio::test]
async fn create_bind_update_info_delete() {
    let (_srv, c) = setup("ADM", 3).await;
    let mut cfg = ConsumerConfig::durable("proc");
    cfg.ack_wait = Some(Duration::from_secs(10));
    let con = c.create_consumer("ADM", cfg.clone()).await.unwrap();
    assert_eq!((con.stream(), con.name()), ("ADM", "proc"));
    // Same config again: fine. Different: ALREADY_EXISTS.
    c.create_consumer("ADM", cfg.clone()).await.unwrap();
    let mut other = cfg.clone();
    other.ack_wait = Some(Duration::from_secs(20));
    assert_eq!(
        c.create_consumer("ADM", other.clone())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::AlreadyExists
    );
    // Binding with a different expectation is a clear error naming the field.
    let err = c
        .bind_consumer("ADM", "proc", Some(other.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConfigMismatch);
    assert!(err.message().contains("ack_wait"), "{err}");
    c.bind_consumer("ADM", "proc", Some(cfg.clone()))
        .await
        .unwrap();
    c.bind_consumer("ADM", "proc", None).await.unwrap();
    // Update changes it.
    let updated = c.update_consumer("ADM", other).await.unwrap();
    assert_eq!(updated.config().ack_wait, Some(Duration::from_secs(20)));
    let info = con.info().await.unwrap();
    assert_eq!((info.num_pending, info.num_ack_pending), (3, 0));
    assert_eq!(
        info.config.max_ack_pending,
        Some(1000),
        "server default filled in"
    );
    c.delete_consumer("ADM", "proc").await.unwrap();
    let err = c.consumer_info("ADM", "proc").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(
        c.bind_consumer("ADM", "proc", None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let err = c
        .update_consumer("ADM", ConsumerConfig::durable("ghost"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(
        c.create_consumer("NOPE", cfg).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let bad = ConsumerConfig::durable("bad name");
    assert_eq!(
        c.create_consumer("ADM", bad).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[tokio::test]
async fn fetch_returns_up_to_n_and_zero_is_not_an_error() {
    let (_srv, c) = setup("F", 5).await;
    let con = c
        .create_consumer("F", ConsumerConfig::durable("f"))
        .await
        .unwrap();
    let got = con.fetch(wait(3, 2000)).await.unwrap();
    assert_eq!(
        got.iter().map(|m| m.stream_sequence).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let m = &got[0];
    assert_eq!(
        (
            m.stream.as_str(),
            m.consumer.as_str(),
            m.consumer_sequence,
            m.delivered
        ),
        ("F", "f", 1, 1)
    );
    assert_eq!(m.pending, 4);
    assert!(m.timestamp > 1_600_000_000_000_000_000);
    assert!(m.msg_id().unwrap().starts_with("jb-"));
    for m in &got {
        m.ack().unwrap();
    }
    let rest = con.fetch(wait(10, 500)).await.unwrap();
    assert_eq!(rest.len(), 2);
    rest.iter().for_each(|m| m.ack().unwrap());
    let started = Instant::now();
    let none = con.fetch(wait(10, 300)).await.unwrap();
    assert!(none.is_empty());
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "waited for max_wait"
    );
    let none = con
        .fetch(FetchOptions {
            max_messages: 5,
            no_wait: true,
            ..FetchOptions::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(
        con.fetch(wait(0, 10)).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[tokio::test]
async fn fetch_no_wait_and_byte_bounded() {
    let (_srv, c) = setup("FB", 10).await;
    let con = c
        .create_consumer("FB", ConsumerConfig::durable("fb"))
        .await
        .unwrap();
    let now = con
        .fetch(FetchOptions {
            max_messages: 4,
            no_wait: true,
            ..FetchOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(now.len(), 4);
    now.iter().for_each(|m| m.ack().unwrap());
    // Each stored message is ~100 bytes on the wire: 250 bytes fit two.
    let bounded = con
        .fetch(FetchOptions {
            max_messages: 10,
            max_bytes: Some(250),
            max_wait: Duration::from_secs(1),
            ..FetchOptions::default()
        })
        .await
        .unwrap();
    assert!(
        !bounded.is_empty() && bounded.len() < 6,
        "got {}",
        bounded.len()
    );
}

#[tokio::test]
async fn acks_nak_delay_term_in_progress_and_double_terminal_ack() {
    let (_srv, c) = setup("ACK", 4).await;
    let mut cfg = ConsumerConfig::durable("a");
    cfg.ack_wait = Some(Duration::from_secs(2));
    let con = c.create_consumer("ACK", cfg).await.unwrap();
    let msgs = con.fetch(wait(4, 2000)).await.unwrap();
    assert_eq!(msgs.len(), 4);
    msgs[0].ack().unwrap();
    assert_eq!(msgs[0].ack().unwrap_err().kind(), ErrorKind::AlreadyAcked);
    assert_eq!(
        msgs[0].term(None).unwrap_err().kind(),
        ErrorKind::AlreadyAcked
    );
    assert_eq!(
        msgs[0].in_progress().unwrap_err().kind(),
        ErrorKind::AlreadyAcked
    );
    let nak_at = Instant::now();
    msgs[1].nak(Some(Duration::from_millis(800))).unwrap();
    msgs[2].term(Some("bad order")).unwrap();
    assert_eq!(
        msgs[2].nak(None).unwrap_err().kind(),
        ErrorKind::AlreadyAcked
    );
    // Keep #4 alive past its ack wait with progress acks.
    let keep_until = Instant::now() + Duration::from_secs(3);
    let mut redelivered = Vec::new();
    while Instant::now() < keep_until {
        msgs[3].in_progress().unwrap();
        for m in con.fetch(wait(5, 500)).await.unwrap() {
            redelivered.push((m.stream_sequence, m.delivered, nak_at.elapsed()));
            m.ack().unwrap();
        }
    }
    msgs[3].ack_sync().await.unwrap();
    assert_eq!(
        msgs[3].ack_sync().await.unwrap_err().kind(),
        ErrorKind::AlreadyAcked
    );
    // Only the nak'd message came back, once, no sooner than its delay.
    assert_eq!(redelivered.len(), 1, "{redelivered:?}");
    let (seq, delivered, after) = redelivered[0];
    assert_eq!((seq, delivered), (2, 2));
    assert!(after >= Duration::from_millis(800), "{after:?}");
    assert!(
        con.fetch(wait(5, 2500)).await.unwrap().is_empty(),
        "term and ack_sync stop redelivery"
    );
    let info = con.info().await.unwrap();
    assert_eq!((info.num_pending, info.num_ack_pending), (0, 0));
    assert!(c.counters().acks_sent >= 5);
}

#[tokio::test]
async fn never_acked_message_is_delivered_exactly_max_deliver_times_following_backoff() {
    let (_srv, c) = setup("RD", 1).await;
    let mut cfg = ConsumerConfig::durable("rd");
    cfg.max_deliver = Some(3);
    cfg.backoff = vec![Duration::from_millis(500), Duration::from_millis(1200)];
    let con = c.create_consumer("RD", cfg).await.unwrap();
    let start = Instant::now();
    let mut deliveries = Vec::new();
    // The third delivery is due at 1.7 s; 15 s allows for load.
    while deliveries.len() < 3 && start.elapsed() < Duration::from_secs(15) {
        for m in con.fetch(wait(1, 500)).await.unwrap() {
            deliveries.push((m.delivered, start.elapsed()));
        }
    }
    // A fourth would come 1.2 s (the last backoff) after the third: watch 3.6 s.
    let quiet = Instant::now();
    while quiet.elapsed() < Duration::from_millis(3600) {
        for m in con.fetch(wait(1, 500)).await.unwrap() {
            deliveries.push((m.delivered, start.elapsed()));
        }
    }
    assert_eq!(
        deliveries.iter().map(|d| d.0).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(
        deliveries[1].1 - deliveries[0].1 >= Duration::from_millis(450),
        "{deliveries:?}"
    );
    assert!(
        deliveries[2].1 - deliveries[1].1 >= Duration::from_millis(1100),
        "{deliveries:?}"
    );
    assert!(c.counters().redelivered >= 2);
}

#[tokio::test]
async fn ack_policies_all_and_none() {
    let (_srv, c) = setup("AP", 6).await;
    let mut all = ConsumerConfig::durable("all");
    all.ack_policy = AckPolicy::All;
    let con = c.create_consumer("AP", all).await.unwrap();
    let msgs = con.fetch(wait(6, 2000)).await.unwrap();
    msgs[4].ack_sync().await.unwrap();
    assert_eq!(
        con.info().await.unwrap().ack_floor.stream_seq,
        5,
        "acking #5 acks 1..5"
    );
    let mut none = ConsumerConfig::durable("none");
    none.ack_policy = AckPolicy::None;
    let con = c.create_consumer("AP", none).await.unwrap();
    assert_eq!(con.fetch(wait(6, 2000)).await.unwrap().len(), 6);
    assert_eq!(con.info().await.unwrap().num_ack_pending, 0);
}

#[tokio::test]
async fn start_positions_on_durables() {
    let (_srv, c) = setup("SP", 5).await;
    fill(&c, "sp.b", 1).await;
    let first = |con: Consumer| async move {
        con.fetch(wait(1, 1000))
            .await
            .unwrap()
            .first()
            .map(|m| m.stream_sequence)
    };
    let mk = |name: &str, start| ConsumerConfig {
        start,
        ..ConsumerConfig::durable(name)
    };
    assert_eq!(
        first(
            c.create_consumer("SP", mk("all", StartPosition::All))
                .await
                .unwrap()
        )
        .await,
        Some(1)
    );
    assert_eq!(
        first(
            c.create_consumer("SP", mk("last", StartPosition::Last))
                .await
                .unwrap()
        )
        .await,
        Some(6)
    );
    assert_eq!(
        first(
            c.create_consumer("SP", mk("seq", StartPosition::Sequence(4)))
                .await
                .unwrap()
        )
        .await,
        Some(4)
    );
    assert_eq!(
        first(
            c.create_consumer("SP", mk("new", StartPosition::New))
                .await
                .unwrap()
        )
        .await,
        None
    );
    let mut lps = mk("lps", StartPosition::LastPerSubject);
    lps.filter_subjects = vec!["sp.>".into()];
    let lps = c.create_consumer("SP", lps).await.unwrap();
    let got: Vec<u64> = lps
        .fetch(wait(5, 1000))
        .await
        .unwrap()
        .iter()
        .map(|m| m.stream_sequence)
        .collect();
    assert_eq!(got, vec![5, 6]);
}

#[tokio::test]
async fn ack_sync_fails_when_the_server_cannot_confirm() {
    let (mut srv, c) = setup("AS", 1).await;
    let con = c
        .create_consumer("AS", ConsumerConfig::durable("as"))
        .await
        .unwrap();
    let m = con.fetch(wait(1, 2000)).await.unwrap().pop().unwrap();
    // The consumer is gone: nobody answers the ack subject.
    c.delete_consumer("AS", "as").await.unwrap();
    let err = m.ack_sync().await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NoResponders | ErrorKind::Timeout),
        "{err}"
    );
    assert!(
        !m.is_acked(),
        "an unconfirmed ack leaves the message un-acked"
    );
    // A paused server: a timeout, never success.
    let con = c
        .create_consumer("AS", ConsumerConfig::durable("as2"))
        .await
        .unwrap();
    let m = con.fetch(wait(1, 2000)).await.unwrap().pop().unwrap();
    srv.pause().unwrap();
    let err = m.ack_sync().await.unwrap_err();
    srv.resume().unwrap();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    m.ack_sync().await.unwrap();
}

#[tokio::test]
async fn flush_acks_returns_once_queued_acks_reached_the_server_and_fails_closed() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "FA", &["fa"]).await;
    for r in c
        .publish_many(
            (0..500)
                .map(|i| PublishMessage::new("fa", format!("m{i}")))
                .collect(),
        )
        .await
        .unwrap()
    {
        r.unwrap();
    }
    let con = c
        .create_consumer("FA", ConsumerConfig::durable("fa"))
        .await
        .unwrap();
    let msgs = con.fetch_n(500, Duration::from_secs(10)).await.unwrap();
    assert_eq!(msgs.len(), 500);
    for m in &msgs {
        m.ack().unwrap();
    }
    c.flush_acks(true).await.unwrap();
    // The server received every ack; it applies them to the consumer at once.
    assert!(
        eventually(Duration::from_secs(5), || async {
            con.info().await.unwrap().ack_floor.stream_seq == 500
        })
        .await
    );
    c.close().await.unwrap();
    assert_eq!(
        c.flush_acks(false).await.unwrap_err().kind(),
        ErrorKind::Closed
    );
}
