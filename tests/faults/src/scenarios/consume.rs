//! Consuming under faults (plan tests 4, 11, 12, 13, 14, 15).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use jetbridge::{
    Client, ConsumerConfig, ErrorKind, FetchOptions, Health, MessagesOptions, PublishMessage,
    ReplayOptions, StartPosition,
};
use jetbridge_harness::Proxy;

use super::{
    blocking, cluster3, connect, failed, make_stream, proxied_cluster, setup_failed, single,
};
use crate::checker::Checker;
use crate::load::{publish_paced, publish_range};
use crate::premise;
use crate::report::Outcome;
use crate::tier::Tier;

fn opts(hb_ms: u64) -> MessagesOptions {
    MessagesOptions {
        batch: 200,
        heartbeat: Duration::from_millis(hb_ms),
        expires: Duration::from_millis(hb_ms * 10),
        ..Default::default()
    }
}

/// A consumer that double-acks every message and keeps the books the
/// checks need.
///
/// A message is *confirmed* once its `ack_sync` succeeded. An `ack_sync` that
/// failed (timeout, no responders) has an unknown outcome: the server may or
/// may not have recorded it, so the message either comes back after the ack
/// wait (and is acked again) or never does. The server's consumer state
/// (`num_ack_pending == 0`) is the judge of the second case.
#[derive(Default)]
struct DoubleAcker {
    /// Stream sequences handed to the application at least once.
    seen: HashSet<u64>,
    /// Stream sequences whose `ack_sync` succeeded.
    confirmed: HashSet<u64>,
    /// App-visible redeliveries of a confirmed message (must stay 0).
    again: u64,
}

impl DoubleAcker {
    /// Consumes until `want` sequences were seen or `limit` passes. A failed
    /// pull is retried (the stream recovers on its own) until `limit`.
    async fn consume(
        &mut self,
        stream: &mut jetbridge::MessageStream,
        want: usize,
        limit: Duration,
    ) {
        let started = Instant::now();
        while self.seen.len() < want && started.elapsed() < limit {
            let batch = match stream.next_batch(200, Duration::from_secs(1)).await {
                Ok(b) => b,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let mut fresh = Vec::with_capacity(batch.len());
            for m in batch {
                if self.confirmed.contains(&m.stream_sequence) {
                    self.again += 1;
                } else {
                    self.seen.insert(m.stream_sequence);
                    fresh.push(m);
                }
            }
            // The batch's ack_syncs wait together, as a service acking at
            // speed would: an ack the server never answers (it lost the
            // delivery in a crash) costs one request timeout per batch.
            let results = futures::future::join_all(fresh.iter().map(|m| m.ack_sync())).await;
            for (m, r) in fresh.iter().zip(results) {
                if r.is_ok() {
                    self.confirmed.insert(m.stream_sequence);
                }
            }
        }
    }

    /// Seen messages whose ack outcome stayed unknown.
    fn unknown(&self) -> usize {
        self.seen.len() - self.confirmed.len()
    }

    /// Keeps consuming (re-acking redeliveries) until the server reports
    /// nothing pending and nothing awaiting an ack, or `limit` passes.
    /// Returns the last consumer info.
    async fn settle(
        &mut self,
        stream: &mut jetbridge::MessageStream,
        consumer: &jetbridge::Consumer,
        limit: Duration,
    ) -> jetbridge::Result<jetbridge::ConsumerInfo> {
        let started = Instant::now();
        let mut info = consumer.info().await;
        while started.elapsed() < limit
            && !info
                .as_ref()
                .is_ok_and(|i| i.num_ack_pending == 0 && i.num_pending == 0)
        {
            self.consume(stream, usize::MAX, Duration::from_millis(500))
                .await;
            info = consumer.info().await;
        }
        info
    }

    /// Records the figures and checks shared by the double-ack scenarios.
    fn report(
        &self,
        o: &mut Outcome,
        client: &Client,
        stored: u64,
        info: jetbridge::Result<jetbridge::ConsumerInfo>,
    ) {
        o.figure("processed", self.seen.len());
        o.figure("confirmed", self.confirmed.len());
        o.figure("ack_outcome_unknown", self.unknown());
        o.figure("redelivered_after_confirmed_ack_sync", self.again);
        o.figure(
            "server_redeliveries_of_confirmed_suppressed",
            client.counters().redeliveries_suppressed,
        );
        o.check(
            self.seen.len() as u64 == stored,
            format!(
                "every stored message processed: {} of {stored}",
                self.seen.len()
            ),
        );
        o.check(
            self.again == 0,
            "0 redeliveries of a message whose ack_sync succeeded",
        );
        match info {
            Ok(i) => {
                o.check(
                    i.num_pending == 0 && i.num_ack_pending == 0,
                    format!(
                        "server: pending {} ack pending {} at the end",
                        i.num_pending, i.num_ack_pending
                    ),
                );
                o.check(
                    i.ack_floor.stream_seq == stored,
                    format!("server: ack floor {} of {stored}", i.ack_floor.stream_seq),
                );
            }
            Err(e) => o.check(false, format!("consumer info: {e}")),
        }
    }
}

/// Test 4: lame-duck restarts of every node (and leader step-downs) while a
/// double-acking consumer works.
pub async fn lame_duck_rolling(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "lame_duck_rolling_r3",
        4,
        "2 leader step-downs, then lame-duck restart of each node; double-acking consumer (R3)",
    );
    let mut cluster = match cluster3() {
        Ok(c) => c,
        Err(e) => return setup_failed(o, e),
    };
    let Ok(client) = connect(cluster.urls()).await else {
        return setup_failed(o, "connect".into());
    };
    if let Err(e) = make_stream(&client, "LDM", &["ldm"], 3).await {
        return setup_failed(o, e);
    }
    let mut cfg = ConsumerConfig::durable("ldm");
    cfg.replicas = 3;
    cfg.ack_wait = Some(Duration::from_secs(5));
    let Ok(consumer) = client.create_consumer("LDM", cfg).await else {
        return setup_failed(o, "consumer".into());
    };
    let Ok(mut stream) = consumer.messages(opts(1000)).await else {
        return setup_failed(o, "messages".into());
    };
    let checker = Arc::new(Checker::default());
    let stop = Arc::new(AtomicBool::new(false));
    let Ok(pc) = connect(cluster.urls()).await else {
        return setup_failed(o, "connect".into());
    };
    let publisher = tokio::spawn(publish_paced(
        pc,
        checker.clone(),
        "ldm".into(),
        "l".into(),
        tier.pick(300, 1000),
        stop.clone(),
    ));
    // One node is enough: the step-downs come before any node restarts.
    let raw = match async_nats::connect(cluster.urls()[0].as_str()).await {
        Ok(r) => r,
        Err(e) => return setup_failed(o, format!("connect for step-downs: {e}")),
    };
    let reconnects = client.counters().reconnects;
    let injector = tokio::spawn(async move {
        for _ in 0..2 {
            tokio::time::sleep(Duration::from_secs(3)).await;
            let reply = raw
                .request("$JS.API.STREAM.LEADER.STEPDOWN.LDM", "".into())
                .await
                .map_err(|e| format!("step-down: {e}"))
                .and_then(|m| premise::accepted("step-down", &m.payload));
            if let Err(e) = reply {
                return (cluster, Err(e));
            }
        }
        for i in 0..3 {
            tokio::time::sleep(Duration::from_secs(3)).await;
            let r = blocking(|| {
                premise::lame_duck_restart(
                    premise::node(&mut cluster, i)?,
                    Duration::from_secs(40),
                )?;
                cluster.wait_ready().map_err(|e| e.to_string())
            });
            if let Err(e) = r {
                return (cluster, Err(e));
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        (cluster, Ok(()))
    });
    let mut acker = DoubleAcker::default();
    while !injector.is_finished() {
        acker
            .consume(&mut stream, usize::MAX, Duration::from_secs(1))
            .await;
    }
    stop.store(true, Ordering::Relaxed);
    let attempted = publisher.await.unwrap_or(0);
    let (cluster, injected) = match injector.await {
        Ok(x) => x,
        Err(_) => return setup_failed(o, "injector panicked".into()),
    };
    o.check(injected.is_ok(), format!("fault injection: {injected:?}"));
    // Every node restarted, so the client's node too.
    let seen = client.counters().reconnects - reconnects;
    o.figure("reconnects", seen);
    o.check(
        seen >= 1,
        format!("client reconnected {seen} times, at least 1 expected"),
    );
    let stored = client
        .stream_info("LDM")
        .await
        .map(|i| i.state.messages)
        .unwrap_or(0);
    acker
        .consume(&mut stream, stored as usize, Duration::from_secs(60))
        .await;
    // Acks whose outcome stayed unknown come back after the ack wait (5 s)
    // unless the server had recorded them.
    let info = acker
        .settle(&mut stream, &consumer, Duration::from_secs(20))
        .await;
    o.figure("published", attempted);
    o.figure("stored", stored);
    acker.report(&mut o, &client, stored, info);
    drop(cluster);
    o
}

/// Test 11: a double-acking durable consumer across kill -9 at 20/50/80 %.
pub async fn durable_kill9(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "durable_kill9_r1",
        11,
        "double-acking durable consumer; kill -9 at 20/50/80 % (R1)",
    );
    let n = tier.pick(5_000u64, 100_000);
    let srv = match single() {
        Ok(s) => s,
        Err(e) => return setup_failed(o, e),
    };
    let Ok(client) = connect(vec![srv.url()]).await else {
        return setup_failed(o, "connect".into());
    };
    if let Err(e) = make_stream(&client, "DK", &["dk"], 1).await {
        return setup_failed(o, e);
    }
    publish_range(
        &client,
        &Checker::default(),
        "dk",
        "d",
        0..n,
        &AtomicU64::new(0),
    )
    .await;
    let mut cfg = ConsumerConfig::durable("dk");
    cfg.ack_wait = Some(Duration::from_secs(5));
    let Ok(consumer) = client.create_consumer("DK", cfg).await else {
        return setup_failed(o, "consumer".into());
    };
    let Ok(mut stream) = consumer.messages(opts(500)).await else {
        return setup_failed(o, "messages".into());
    };
    let progress = Arc::new(AtomicU64::new(0));
    let reconnects = client.counters().reconnects;
    let injector = std::thread::spawn({
        let progress = progress.clone();
        move || {
            let mut srv = srv;
            let mut at_kill = Vec::new();
            for pct in [20, 50, 80] {
                let deadline = Instant::now() + Duration::from_secs(300);
                while progress.load(Ordering::Relaxed) < n * pct / 100 && Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                at_kill.push(progress.load(Ordering::Relaxed));
                premise::kill9_restart(&mut srv, Duration::from_millis(500))?;
            }
            Ok::<_, String>((srv, at_kill))
        }
    });
    let mut acker = DoubleAcker::default();
    let started = Instant::now();
    while (acker.seen.len() as u64) < n && started.elapsed() < Duration::from_secs(600) {
        // Progress in steps of a batch, so that each kill lands near its mark.
        let want = (acker.seen.len() + 200).min(n as usize);
        acker
            .consume(&mut stream, want, Duration::from_secs(1))
            .await;
        progress.store(acker.seen.len() as u64, Ordering::Relaxed);
    }
    let (_srv, at_kill) = match blocking(|| injector.join()) {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return failed(o, format!("fault injection: {e}")),
        Err(_) => return failed(o, "fault injector panicked".into()),
    };
    let seen = client.counters().reconnects - reconnects;
    o.figure("reconnects", seen);
    o.figure("processed_at_each_kill", &at_kill);
    o.check(
        seen >= 3,
        format!("client reconnected {seen} times, at least 3 expected"),
    );
    let mut marks = at_kill.clone();
    marks.push(acker.seen.len() as u64);
    o.check(
        marks.windows(2).all(|w| w[0] < w[1]),
        format!(
            "messages processed after each kill: {at_kill:?} at the kills, {} in all",
            acker.seen.len()
        ),
    );
    // Acks the server lost at a kill come back after the ack wait; the
    // handle re-acks them. Give that one ack wait (and a margin) to settle.
    let info = acker
        .settle(&mut stream, &consumer, Duration::from_secs(20))
        .await;
    acker.report(&mut o, &client, n, info);
    if client.counters().redeliveries_suppressed > 0 {
        o.note("nats-server redelivered messages whose ack_sync it had confirmed just before kill -9 (R1 consumer state is written lazily); the JetBridge handle acked them again and did not hand them to the application.");
    }
    o
}

/// Test 12: `ack_sync` never reports success when the server could not
/// confirm: consumer leader paused, consumer deleted, link blackholed.
pub async fn ack_sync_never_false_success(_tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "ack_sync_never_false_success",
        12,
        "ack_sync vs paused consumer leader, deleted consumer, blackholed link (R3)",
    );
    // The client reaches node 0 through a proxy, and only through it.
    let (mut cluster, proxy, admin) = match proxied_cluster("AS", "as").await {
        Ok(x) => x,
        Err(e) => return setup_failed(o, e),
    };
    publish_range(
        &admin,
        &Checker::default(),
        "as",
        "a",
        0..300,
        &AtomicU64::new(0),
    )
    .await;
    let mut co = super::options(vec![proxy.url()]);
    co.request_timeout = Duration::from_secs(2);
    let Ok(client) = Client::connect(co).await else {
        return setup_failed(o, "connect via proxy".into());
    };
    let mut cfg = ConsumerConfig::durable("as");
    cfg.replicas = 3;
    let Ok(consumer) = client.create_consumer("AS", cfg).await else {
        return setup_failed(o, "consumer".into());
    };
    let fetch = |n| FetchOptions {
        max_messages: n,
        max_wait: Duration::from_secs(3),
        ..FetchOptions::default()
    };

    // (a) consumer leader paused: confirmations stop; after SIGCONT each
    // message is confirmed on retry or redelivered.
    let msgs = consumer.fetch(fetch(50)).await.unwrap_or_default();
    let leader = match blocking(|| {
        cluster
            .consumer_leader(None, "AS", "as")
            .and_then(|l| cluster.pause(l).map(|()| l))
    }) {
        Ok(l) => l,
        Err(e) => {
            return failed(
                o,
                format!("fault injection: pause the consumer leader: {e}"),
            );
        }
    };
    let mut a_ok = 0;
    let mut a_err = HashMap::new();
    let a_started = Instant::now();
    for m in msgs.iter().take(3) {
        match m.ack_sync().await {
            Ok(()) => a_ok += 1,
            Err(e) => *a_err.entry(e.kind().name()).or_insert(0) += 1,
        }
    }
    let pause_secs = a_started.elapsed().as_secs();
    if let Err(e) = blocking(|| cluster.resume(leader)) {
        return failed(o, format!("resume the consumer leader: {e}"));
    }
    o.figure("a_ok_while_leader_paused", a_ok);
    o.figure("a_errors", &a_err);
    o.note(format!("(a) {a_ok} of 3 ack_syncs succeeded while the consumer leader was paused ({pause_secs} s; a new leader may take over); errors: {a_err:?}."));
    let mut confirmed: HashSet<u64> = HashSet::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while confirmed.len() < 50 && Instant::now() < deadline {
        for m in &msgs {
            if !confirmed.contains(&m.stream_sequence)
                && !m.is_acked()
                && m.ack_sync().await.is_ok()
            {
                confirmed.insert(m.stream_sequence);
            }
        }
        for m in consumer.fetch(fetch(50)).await.unwrap_or_default() {
            if m.stream_sequence <= 50 && m.ack_sync().await.is_ok() {
                confirmed.insert(m.stream_sequence);
            }
        }
    }
    o.check(
        confirmed.len() >= 50 - a_ok,
        format!(
            "(a) after SIGCONT {} of 50 confirmed on retry or redelivery",
            confirmed.len()
        ),
    );

    // (b) consumer deleted: no responders or timeout, never success.
    let msgs = consumer.fetch(fetch(5)).await.unwrap_or_default();
    if let Err(e) = admin.delete_consumer("AS", "as").await {
        return failed(o, format!("fault injection: delete the consumer: {e}"));
    }
    let mut b = HashMap::new();
    for m in &msgs {
        let r = m.ack_sync().await;
        *b.entry(r.map(|_| "OK").unwrap_or_else(|e| e.kind().name()))
            .or_insert(0) += 1;
    }
    o.figure("b_deleted_consumer", &b);
    o.check(
        !b.contains_key("OK"),
        "(b) no ack_sync success after the consumer was deleted",
    );

    // (c) blackholed link: a timeout (or connection error), never success.
    let mut cfg = ConsumerConfig::durable("as2");
    cfg.replicas = 3;
    let consumer = match client.create_consumer("AS", cfg).await {
        Ok(c) => c,
        Err(e) => return setup_failed(o, e.to_string()),
    };
    let msgs = consumer.fetch(fetch(5)).await.unwrap_or_default();
    if let Err(e) = proxy.blackhole() {
        return failed(o, format!("fault injection: blackhole: {e}"));
    }
    let mut c = HashMap::new();
    for m in msgs.iter().take(2) {
        let r = m.ack_sync().await;
        *c.entry(r.map(|_| "OK").unwrap_or_else(|e| e.kind().name()))
            .or_insert(0) += 1;
    }
    let _ = proxy.pass();
    o.figure("c_blackholed_link", &c);
    o.check(
        !c.contains_key("OK") && !msgs.is_empty(),
        "(c) no ack_sync success over a blackholed link",
    );
    drop(cluster);
    o
}

/// Test 13: ack wait, max deliver and backoff; nak with delay; term; progress.
pub async fn redelivery_policy(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "redelivery_policy",
        13,
        "max_deliver 3, backoff [1s, 2s]; nak 500ms; term; +WPI every 800ms",
    );
    let never = tier.pick(20u64, 100);
    let srv = match single() {
        Ok(s) => s,
        Err(e) => return setup_failed(o, e),
    };
    let Ok(client) = connect(vec![srv.url()]).await else {
        return setup_failed(o, "connect".into());
    };
    if let Err(e) = make_stream(&client, "RP", &["rp.*"], 1).await {
        return setup_failed(o, e);
    }
    let raw = async_nats::connect(srv.url()).await.ok();
    let mut adv_max = match &raw {
        Some(r) => r
            .subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.RP.never")
            .await
            .ok(),
        None => None,
    };
    let mut adv_term = match &raw {
        Some(r) => r
            .subscribe("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.RP.acts")
            .await
            .ok(),
        None => None,
    };
    publish_range(
        &client,
        &Checker::default(),
        "rp.never",
        "n",
        0..never,
        &AtomicU64::new(0),
    )
    .await;
    publish_range(
        &client,
        &Checker::default(),
        "rp.acts",
        "a",
        0..60,
        &AtomicU64::new(0),
    )
    .await;
    let mut cfg = ConsumerConfig::durable("never");
    cfg.filter_subjects = vec!["rp.never".into()];
    cfg.max_deliver = Some(3);
    cfg.backoff = vec![Duration::from_secs(1), Duration::from_secs(2)];
    let Ok(c1) = client.create_consumer("RP", cfg).await else {
        return setup_failed(o, "consumer".into());
    };
    let mut acts = ConsumerConfig::durable("acts");
    acts.filter_subjects = vec!["rp.acts".into()];
    acts.ack_wait = Some(Duration::from_secs(1));
    let Ok(c2) = client.create_consumer("RP", acts).await else {
        return setup_failed(o, "consumer".into());
    };

    let started = Instant::now();
    let mut deliveries: HashMap<u64, Vec<Duration>> = HashMap::new();
    let first = c2
        .fetch(FetchOptions {
            max_messages: 60,
            max_wait: Duration::from_secs(3),
            ..Default::default()
        })
        .await
        .unwrap_or_default();
    let mut role = HashMap::new();
    for (i, m) in first.iter().enumerate() {
        match i / 20 {
            0 => {
                let _ = m.nak(Some(Duration::from_millis(500)));
                role.insert(m.stream_sequence, ("nak", Instant::now()));
            }
            1 => {
                let _ = m.term(Some("not wanted"));
                role.insert(m.stream_sequence, ("term", Instant::now()));
            }
            _ => {
                role.insert(m.stream_sequence, ("wpi", Instant::now()));
            }
        }
    }
    let mut nak_back = Vec::new();
    let mut other_back = HashMap::new();
    // Progress acks every 800 ms (ack wait 1 s) for 5 s, then a real ack.
    first.iter().skip(40).for_each(|m| drop(m.in_progress()));
    let mut last_wpi = Instant::now();
    let mut wpi_done = false;
    while started.elapsed() < Duration::from_secs(6) {
        if !wpi_done && started.elapsed() >= Duration::from_secs(5) {
            first.iter().skip(40).for_each(|m| drop(m.ack()));
            wpi_done = true;
        } else if !wpi_done && last_wpi.elapsed() >= Duration::from_millis(800) {
            first.iter().skip(40).for_each(|m| drop(m.in_progress()));
            last_wpi = Instant::now();
        }
        for m in c1
            .fetch(FetchOptions {
                max_messages: 200,
                max_wait: Duration::from_millis(50),
                ..Default::default()
            })
            .await
            .unwrap_or_default()
        {
            deliveries
                .entry(m.stream_sequence)
                .or_default()
                .push(started.elapsed());
        }
        for m in c2
            .fetch(FetchOptions {
                max_messages: 60,
                max_wait: Duration::from_millis(50),
                ..Default::default()
            })
            .await
            .unwrap_or_default()
        {
            match role.get(&m.stream_sequence) {
                Some(("nak", at)) => {
                    nak_back.push(at.elapsed());
                    let _ = m.ack();
                }
                Some((kind, _)) => *other_back.entry(*kind).or_insert(0) += 1,
                None => {}
            }
        }
    }
    let counts: Vec<usize> = deliveries.values().map(Vec::len).collect();
    let exact3 = counts.iter().filter(|n| **n == 3).count();
    let gaps_ok = deliveries
        .values()
        .filter(|d| {
            d.len() == 3
                && d[1] - d[0] >= Duration::from_millis(750)
                && d[2] - d[1] >= Duration::from_millis(1750)
        })
        .count();
    let mut max_adv = 0;
    if let Some(sub) = adv_max.as_mut() {
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(200), sub.next()).await {
            max_adv += 1;
        }
    }
    let mut term_adv = 0;
    if let Some(sub) = adv_term.as_mut() {
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(200), sub.next()).await {
            term_adv += 1;
        }
    }
    o.figure("never_acked", never);
    o.figure("delivered_exactly_3_times", exact3);
    o.figure("with_backoff_gaps", gaps_ok);
    o.figure("max_deliveries_advisories", max_adv);
    o.figure("nak_redelivered", nak_back.len());
    o.figure(
        "nak_min_delay_ms",
        nak_back
            .iter()
            .min()
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0),
    );
    o.figure(
        "term_redeliveries",
        other_back.get("term").copied().unwrap_or(0),
    );
    o.figure("term_advisories", term_adv);
    o.figure(
        "wpi_redeliveries",
        other_back.get("wpi").copied().unwrap_or(0),
    );
    o.check(
        exact3 as u64 == never,
        format!("{exact3} of {never} delivered exactly 3 times"),
    );
    o.check(
        gaps_ok as u64 == never,
        format!("{gaps_ok} of {never} with gaps >= 1 s then >= 2 s (-250 ms)"),
    );
    o.check(
        max_adv == never,
        format!("{max_adv} MAX_DELIVERIES advisories"),
    );
    o.check(
        nak_back.len() == 20 && nak_back.iter().all(|d| *d >= Duration::from_millis(500)),
        "20 nak'd messages back after >= 500 ms",
    );
    o.check(
        !other_back.contains_key("term") && term_adv == 20,
        format!("term: 0 redeliveries, {term_adv} advisories"),
    );
    o.check(
        !other_back.contains_key("wpi"),
        "+WPI: 0 redeliveries while progress acks continue",
    );
    drop(srv);
    o
}

/// Test 14: missed heartbeats when the server is paused and when the link is
/// blackholed; consumption resumes by itself.
pub async fn missed_heartbeats(_tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "missed_heartbeats",
        14,
        "heartbeat 500 ms; SIGSTOP 5 s; blackholed link 5 s",
    );
    let mut srv = match single() {
        Ok(s) => s,
        Err(e) => return setup_failed(o, e),
    };
    let proxy = match blocking(|| Proxy::start(("127.0.0.1", srv.port()))) {
        Ok(p) => p,
        Err(e) => return setup_failed(o, e.to_string()),
    };
    let Ok(admin) = connect(vec![srv.url()]).await else {
        return setup_failed(o, "connect".into());
    };
    let Ok(client) = connect(vec![proxy.url()]).await else {
        return setup_failed(o, "connect via proxy".into());
    };
    if let Err(e) = make_stream(&admin, "HB", &["hb"], 1).await {
        return setup_failed(o, e);
    }
    let Ok(consumer) = client
        .create_consumer("HB", ConsumerConfig::durable("hb"))
        .await
    else {
        return setup_failed(o, "consumer".into());
    };
    let Ok(stream) = consumer.messages(opts(500)).await else {
        return setup_failed(o, "messages".into());
    };
    let _ = stream
        .wait_health_change(Health::Recovering, Duration::from_secs(3))
        .await;
    let mut delivered = 0u64;
    for (label, fault) in [("sigstop", 0), ("blackhole", 1)] {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let began = Instant::now();
        let injected = if fault == 0 {
            blocking(|| srv.pause())
        } else {
            proxy.blackhole()
        };
        if let Err(e) = injected {
            return failed(o, format!("fault injection: {label}: {e}"));
        }
        let h = stream
            .wait_health_change(Health::Active, Duration::from_secs(5))
            .await;
        let detect = began.elapsed();
        tokio::time::sleep(Duration::from_secs(5).saturating_sub(began.elapsed())).await;
        let healed = if fault == 0 {
            blocking(|| srv.resume())
        } else {
            proxy.pass()
        };
        if let Err(e) = healed {
            return failed(o, format!("healing {label}: {e}"));
        }
        let healed = Instant::now();
        if let Err(e) = admin.publish(PublishMessage::new("hb", label)).await {
            return failed(o, format!("publish after {label}: {e}"));
        }
        let mut resumed = None;
        while healed.elapsed() < Duration::from_secs(15) {
            let batch = stream
                .next_batch(10, Duration::from_millis(500))
                .await
                .unwrap_or_default();
            if !batch.is_empty() {
                batch.iter().for_each(|m| drop(m.ack()));
                delivered += batch.len() as u64;
                resumed = Some(healed.elapsed());
                break;
            }
        }
        o.figure(&format!("{label}_detect_ms"), detect.as_millis() as u64);
        o.figure(
            &format!("{label}_resume_ms"),
            resumed.map(|d| d.as_millis() as u64),
        );
        o.check(
            matches!(h, Health::Stalled | Health::Reconnecting),
            format!("{label}: health went to {h:?}"),
        );
        o.check(
            detect <= Duration::from_millis(1500) || h != Health::Stalled,
            format!("{label}: stall reported after {detect:?} (<= 1.5 s)"),
        );
        o.check(
            resumed.is_some_and(|d| d <= Duration::from_secs(5)),
            format!("{label}: resumed {resumed:?} after heal (<= 5 s)"),
        );
    }
    o.check(
        delivered == 2,
        format!("{delivered} of 2 messages delivered"),
    );
    o.figure("heartbeat_misses", client.counters().heartbeat_misses);
    o
}

/// Test 15: ordered replay across kill -9 restarts and a consumer delete;
/// replay by time and last-per-subject return the expected sets.
pub async fn ordered_replay_restarts(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "ordered_replay_restarts",
        15,
        "ordered replay from 1; kill -9 x2 and a consumer delete mid-replay",
    );
    let n = tier.pick(10_000u64, 100_000);
    let srv = match single() {
        Ok(s) => s,
        Err(e) => return setup_failed(o, e),
    };
    let Ok(client) = connect(vec![srv.url()]).await else {
        return setup_failed(o, "connect".into());
    };
    if let Err(e) = make_stream(&client, "OR", &["or.*"], 1).await {
        return setup_failed(o, e);
    }
    publish_range(
        &client,
        &Checker::default(),
        "or.a",
        "o",
        0..n / 2,
        &AtomicU64::new(0),
    )
    .await;
    let mid = client
        .get_message("OR", n / 2)
        .await
        .map(|m| m.timestamp + 1)
        .unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(20)).await;
    publish_range(
        &client,
        &Checker::default(),
        "or.b",
        "p",
        n / 2..n,
        &AtomicU64::new(0),
    )
    .await;
    let progress = Arc::new(AtomicU64::new(0));
    let injector = std::thread::spawn({
        let progress = progress.clone();
        move || {
            let mut srv = srv;
            for mark in [n / 4, n * 3 / 4] {
                let deadline = Instant::now() + Duration::from_secs(300);
                while progress.load(Ordering::Relaxed) < mark && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
                premise::kill9_restart(&mut srv, Duration::from_millis(500))?;
            }
            Ok::<_, String>(srv)
        }
    });
    let mut deleted = None;
    let mut seqs = Vec::with_capacity(n as usize);
    let mut ok = true;
    match client
        .replay(
            "OR",
            ReplayOptions {
                messages: opts(300),
                ..Default::default()
            },
        )
        .await
    {
        Ok(r) => {
            let started = Instant::now();
            while (seqs.len() as u64) < n && started.elapsed() < Duration::from_secs(600) {
                match tokio::time::timeout(Duration::from_secs(30), r.next()).await {
                    Ok(Ok(m)) => {
                        seqs.push(m.stream_sequence);
                        progress.store(seqs.len() as u64, Ordering::Relaxed);
                        if seqs.len() as u64 == n / 2 {
                            deleted = Some(client.delete_consumer("OR", &m.consumer).await);
                        }
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
        }
        Err(e) => o.check(false, e.to_string()),
    }
    // The server must outlive the replays below.
    let _srv = match blocking(|| injector.join()) {
        Ok(Ok(srv)) => srv,
        Ok(Err(e)) => return failed(o, format!("fault injection: {e}")),
        Err(_) => return failed(o, "fault injector panicked".into()),
    };
    o.check(
        matches!(deleted, Some(Ok(_))),
        format!("consumer deleted mid-replay: {deleted:?}"),
    );
    let in_order = seqs.iter().enumerate().all(|(i, s)| *s == i as u64 + 1);
    o.figure("replayed", seqs.len());
    o.check(
        ok && in_order && seqs.len() as u64 == n,
        format!("exactly 1..{n} in order (got {})", seqs.len()),
    );
    for (label, start, want_first, want_len) in [
        ("by_time", StartPosition::Time(mid), n / 2 + 1, n / 2),
        ("last_per_subject", StartPosition::LastPerSubject, n / 2, 2),
    ] {
        let got = replay_count(&client, start, want_len).await;
        o.figure(label, &got);
        let expect: Vec<u64> = if label == "by_time" {
            vec![want_first, n]
        } else {
            vec![n / 2, n]
        };
        o.check(
            got == expect,
            format!("{label}: first/last {got:?}, expected {expect:?}"),
        );
    }
    if let Err(e) = client.delete_stream("OR").await
        && e.kind() != ErrorKind::NotFound
    {
        o.note(format!("cleanup: {e}"));
    }
    o
}

async fn replay_count(client: &Client, start: StartPosition, want: u64) -> Vec<u64> {
    let Ok(r) = client
        .replay(
            "OR",
            ReplayOptions {
                start,
                ..Default::default()
            },
        )
        .await
    else {
        return vec![];
    };
    let mut got = Vec::new();
    while (got.len() as u64) < want {
        match r.next_batch(1000, Duration::from_secs(5)).await {
            Ok(b) if !b.is_empty() => got.extend(b.iter().map(|m| m.stream_sequence)),
            _ => break,
        }
    }
    match (got.first(), got.last()) {
        (Some(a), Some(b)) if got.len() as u64 == want => vec![*a, *b],
        _ => got.into_iter().take(3).collect(),
    }
}
