//! Publishing against a real server: acks, dedup, expectations, bad input,
//! retries, the pipelined publisher and its window.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use jetbridge::{
    ErrorKind, Expectations, MSG_ID_HEADER, PublishMessage, PublisherOptions, StreamConfig,
    TryPublish,
};
use support::*;

#[tokio::test]
async fn publish_acks_with_stream_and_sequence_and_generates_msg_ids() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "P1", &["p1.*"]).await;
    let a = c.publish(PublishMessage::new("p1.a", "one")).await.unwrap();
    let b = c.publish(PublishMessage::new("p1.b", "two")).await.unwrap();
    assert_eq!(
        (a.stream.as_str(), a.sequence, a.duplicate),
        ("P1", 1, false)
    );
    assert_eq!(b.sequence, 2);
    assert!(a.msg_id.starts_with("jb-") && a.msg_id != b.msg_id);
    let stored = c.get_message("P1", 1).await.unwrap();
    assert_eq!(stored.payload.as_ref(), b"one");
    assert!(
        stored
            .headers
            .iter()
            .any(|(k, v)| k == MSG_ID_HEADER && *v == a.msg_id)
    );
}

#[tokio::test]
async fn dedup_returns_duplicate_with_original_sequence() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "D1", &["d1"]).await;
    c.publish(PublishMessage::new("d1", "x")).await.unwrap();
    let first = c
        .publish(PublishMessage::new("d1", "a").with_msg_id("id-1"))
        .await
        .unwrap();
    let again = c
        .publish(PublishMessage::new("d1", "b").with_msg_id("id-1"))
        .await
        .unwrap();
    assert_eq!((first.sequence, first.duplicate), (2, false));
    assert_eq!((again.sequence, again.duplicate), (2, true));
    assert_eq!(c.stream_info("D1").await.unwrap().state.messages, 2);
    let n = c.counters();
    assert_eq!((n.published, n.acked, n.duplicates), (3, 3, 1));
}

#[tokio::test]
async fn headers_round_trip_and_header_msg_id_counts() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "H1", &["h1"]).await;
    let mut m = PublishMessage::new("h1", "x");
    m.headers = vec![
        ("X-Trace".into(), "t-1".into()),
        (MSG_ID_HEADER.into(), "hdr-id".into()),
    ];
    let ack = c.publish(m).await.unwrap();
    assert_eq!(ack.msg_id, "hdr-id");
    let stored = c.get_message("H1", ack.sequence).await.unwrap();
    assert!(
        stored
            .headers
            .contains(&("X-Trace".to_string(), "t-1".to_string()))
    );
}

#[tokio::test]
async fn every_expectation_mismatch_is_typed() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "E1", &["e1.*"]).await;
    c.publish(PublishMessage::new("e1.a", "1").with_msg_id("m1"))
        .await
        .unwrap();
    let with = |e: Expectations| PublishMessage {
        expect: e,
        ..PublishMessage::new("e1.a", "2")
    };
    let cases = [
        (
            Expectations {
                last_sequence: Some(7),
                ..Default::default()
            },
            ErrorKind::WrongLastSequence,
        ),
        (
            Expectations {
                last_msg_id: Some("nope".into()),
                ..Default::default()
            },
            ErrorKind::WrongLastSequence,
        ),
        (
            Expectations {
                last_subject_sequence: Some(9),
                ..Default::default()
            },
            ErrorKind::WrongLastSequence,
        ),
        (
            Expectations {
                stream: Some("OTHER".into()),
                ..Default::default()
            },
            ErrorKind::StreamMismatch,
        ),
    ];
    for (expect, kind) in cases {
        let err = c.publish(with(expect.clone())).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{expect:?}: {err}");
        assert!(!err.is_retryable());
    }
    let ok = Expectations {
        stream: Some("E1".into()),
        last_sequence: Some(1),
        last_msg_id: Some("m1".into()),
        last_subject_sequence: Some(1),
    };
    assert_eq!(c.publish(with(ok)).await.unwrap().sequence, 2);
    assert_eq!(c.stream_info("E1").await.unwrap().state.messages, 2);
}

#[tokio::test]
async fn bad_input_is_invalid_argument_before_sending() {
    let srv = ServerOptions::default().max_payload(4096);
    let srv = Server::start_with(srv).unwrap();
    let c = connect(&srv).await;
    stream(&c, "B1", &["b1.>"]).await;
    let mut crlf = PublishMessage::new("b1.x", "x");
    crlf.headers
        .push(("X-Evil".into(), "a\r\nInjected: yes".into()));
    let cases = vec![
        PublishMessage::new("b1 x", "x"),
        PublishMessage::new("", "x"),
        PublishMessage::new("b1..x", "x"),
        PublishMessage::new("b1.*", "x"),
        PublishMessage::new("b1.x", ""),
        PublishMessage::new("b1.x", payload(5000)),
        PublishMessage::new("b1.x", "x").with_msg_id("bad\nid"),
        crlf,
    ];
    for m in cases {
        let err = c.publish(m.clone()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{m:?}: {err}");
    }
    assert_eq!(c.stream_info("B1").await.unwrap().state.messages, 0);
    assert_eq!(c.counters().published, 0);
}

#[tokio::test]
async fn publish_without_a_stream_is_not_found_quickly() {
    let srv = server();
    let c = connect(&srv).await;
    let started = std::time::Instant::now();
    let err = c
        .publish(PublishMessage::new("nowhere", "x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    // Not after riding out the whole retry budget.
    assert!(started.elapsed() < c.options().publish_retry_budget);
}

#[tokio::test]
async fn publish_retries_through_a_restart_with_the_same_msg_id() {
    let mut srv = server();
    let mut o = options([srv.url()]);
    // Shorter than the outage, so the first attempt times out and is resent.
    o.publish_ack_timeout = Duration::from_millis(500);
    let c = jetbridge::Client::connect(o).await.unwrap();
    stream(&c, "R1", &["r1"]).await;
    srv.kill9().unwrap();
    let pending = tokio::spawn({
        let c = c.clone();
        async move {
            c.publish(PublishMessage::new("r1", "during outage").with_msg_id("r-1"))
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    srv.restart().unwrap();
    let ack = pending
        .await
        .unwrap()
        .expect("publish rides out the restart");
    // `duplicate` may be true here: the first attempt was stored after the
    // reconnect and the resend was recognised. Either way: stored once.
    assert_eq!(ack.sequence, 1);
    assert!(c.counters().retries >= 1);
    assert_eq!(c.stream_info("R1").await.unwrap().state.messages, 1);
}

#[tokio::test]
async fn unknown_outcome_after_the_budget_and_never_past_the_window() {
    let mut srv = server();
    let mut o = options([srv.url()]);
    o.publish_retry_budget = Duration::from_secs(2);
    o.publish_ack_timeout = Duration::from_millis(500);
    let c = jetbridge::Client::connect(o).await.unwrap();
    let mut cfg = StreamConfig::new("U1", ["u1"]);
    cfg.duplicate_window = Duration::from_secs(1);
    c.create_stream(cfg).await.unwrap();
    srv.pause().unwrap();
    let err = c
        .publish(PublishMessage::new("u1", "x").with_msg_id("u-1"))
        .await
        .unwrap_err();
    srv.resume().unwrap();
    assert_eq!(err.kind(), ErrorKind::PublishOutcomeUnknown, "{err}");
    assert!(err.is_retryable());
    assert!(err.message().contains("u-1"));
    // The 1 s window, not the 2 s budget, stopped it: one attempt only.
    assert!(err.message().contains("duplicate window"), "{err}");
    assert_eq!(c.counters().unknown_outcomes, 1);
}

#[tokio::test]
async fn publish_many_returns_each_outcome_in_order() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "M1", &["m1.*"]).await;
    let mut msgs: Vec<PublishMessage> = (0..1000)
        .map(|i| PublishMessage::new("m1.a", format!("{i}")).with_msg_id(format!("id-{i}")))
        .collect();
    msgs[10] = PublishMessage::new("m1 bad", "x");
    msgs[20] = PublishMessage::new("m1.a", "dup").with_msg_id("id-5");
    let out = c.publish_many(msgs).await.unwrap();
    assert_eq!(out.len(), 1000);
    assert_eq!(
        out[10].as_ref().unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert!(out[20].as_ref().unwrap().duplicate);
    let stored: Vec<u64> = out
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter(|a| !a.duplicate)
        .map(|a| a.sequence)
        .collect();
    assert_eq!(stored, (1..=998).collect::<Vec<_>>(), "sent in order");
    assert_eq!(c.stream_info("M1").await.unwrap().state.messages, 998);
}

#[tokio::test]
async fn pipelined_publisher_respects_its_window_and_flush_reports_failures() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "W1", &["w1.*"]).await;
    let p = c
        .publisher(PublisherOptions {
            max_in_flight: 64,
            max_in_flight_bytes: 1 << 20,
            ..Default::default()
        })
        .unwrap();
    for i in 0..5000u32 {
        p.publish(PublishMessage::new("w1.a", payload(128)).with_msg_id(format!("w-{i}")))
            .await
            .unwrap();
        assert!(p.in_flight().0 <= 64);
    }
    // A message rejected by the server is reported by flush, individually.
    let mut bad = PublishMessage::new("w1.a", "x");
    bad.expect.last_sequence = Some(1);
    let ticket = p.publish(bad).await.unwrap();
    let report = p.flush().await.unwrap();
    assert_eq!(report.acked, 5000);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].ticket, ticket);
    assert_eq!(
        report.failures[0].error.kind(),
        ErrorKind::WrongLastSequence
    );
    assert!(p.peak_in_flight() <= 64 && p.peak_in_flight() > 1);
    assert_eq!(p.in_flight(), (0, 0));
    assert_eq!(c.stream_info("W1").await.unwrap().state.messages, 5000);
    // Flush again: nothing new.
    assert_eq!(p.flush().await.unwrap(), Default::default());
}

#[tokio::test]
async fn byte_window_applies_back_pressure() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "W2", &["w2"]).await;
    let p = c
        .publisher(PublisherOptions {
            max_in_flight: 10_000,
            max_in_flight_bytes: 4096,
            ..Default::default()
        })
        .unwrap();
    let mut full_seen = false;
    for _ in 0..200 {
        match p
            .try_publish(PublishMessage::new("w2", payload(1000)))
            .unwrap()
        {
            TryPublish::Queued(_) => assert!(p.in_flight().1 <= 4096 + 200),
            TryPublish::Full(m) => {
                full_seen = true;
                p.publish(m).await.unwrap();
            }
        }
    }
    assert!(full_seen, "a 4 KiB window must fill with 1 KB messages");
    assert_eq!(p.flush().await.unwrap().acked, 200);
    p.close().await.unwrap();
    let err = p.publish(PublishMessage::new("w2", "x")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Closed);
}

#[tokio::test]
async fn closed_client_refuses_with_closed() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "C1", &["c1"]).await;
    c.close().await.unwrap();
    c.close().await.unwrap();
    assert_eq!(
        c.publish(PublishMessage::new("c1", "x"))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Closed
    );
    assert_eq!(
        c.stream_info("C1").await.unwrap_err().kind(),
        ErrorKind::Closed
    );
}

#[tokio::test]
async fn a_tracked_pipelined_publish_resolves_to_its_own_ack() {
    let srv = server();
    let c = connect(&srv).await;
    stream(&c, "TRK", &["trk"]).await;
    let p = c.publisher(PublisherOptions::default()).unwrap();
    let mut pending = Vec::new();
    for i in 0..100 {
        // Untracked and tracked publishes interleave on one window.
        p.publish(PublishMessage::new("trk", "plain"))
            .await
            .unwrap();
        let msg = PublishMessage::new("trk", "tracked").with_msg_id(format!("t-{i}"));
        pending.push(p.publish_tracked(msg).await.unwrap());
    }
    for (i, (_ticket, ack)) in pending.into_iter().enumerate() {
        let ack = ack.await.unwrap();
        assert_eq!(ack.stream, "TRK");
        assert_eq!(ack.sequence, 2 * i as u64 + 2);
        assert!(!ack.duplicate);
    }
    // A resend of a tracked id says duplicate, with the original sequence.
    let (_, again) = p
        .publish_tracked(PublishMessage::new("trk", "tracked").with_msg_id("t-0"))
        .await
        .unwrap();
    let again = again.await.unwrap();
    assert!(again.duplicate);
    assert_eq!(again.sequence, 2);
    let report = p.flush().await.unwrap();
    assert_eq!(report.acked, 201);
    assert_eq!(report.duplicates, 1);
}
