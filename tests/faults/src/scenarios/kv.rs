//! Key-value watches under faults: a watcher started before any write must
//! deliver every revision the bucket's stream holds afterwards exactly once,
//! in revision order, across a `kill -9` of the only server (R1) or a leader
//! change of an R3 bucket. The reference is what the stream holds once the
//! writer is done (read back key by key), never what the writer believes:
//! a put whose ack was lost may or may not be in the stream, and either is
//! fine as long as the watch agrees with the stream.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jetbridge::{Client, KeyValue, KvConfig, KvWatchEvent, KvWatchOptions};
use jetbridge_harness::{Cluster, Server};

use super::{cluster3, connect, setup_failed, single};
use crate::premise;
use crate::report::Outcome;
use crate::tier::Tier;

/// The bucket every watch scenario writes.
const BUCKET: &str = "WATCHED";

/// Revisions kept per key: every revision written stays readable, so the
/// stream is a complete reference (puts per key stay below it).
const HISTORY: u8 = 64;

/// One revision as (revision, key, value).
type Rev = (u64, String, String);

/// How much one run writes: `keys` keys, `per_key` puts each (below
/// [`HISTORY`]), one put every `gap`.
struct Writes {
    keys: u64,
    per_key: u64,
    gap: Duration,
}

impl Writes {
    fn of(tier: Tier) -> Writes {
        Writes {
            keys: tier.pick(4, 16),
            per_key: tier.pick(50, 60),
            gap: tier.pick(Duration::from_millis(10), Duration::from_millis(5)),
        }
    }

    fn total(&self) -> u64 {
        self.keys * self.per_key
    }
}

/// Plan test 20: `kill -9` + restart (same store dir) of the only server
/// halfway through the puts.
pub async fn watch_kill9_r1(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "kv_watch_kill9_r1",
        25,
        "KV watch across kill -9 + restart of the only server (R1)",
    );
    let srv = match single() {
        Ok(s) => s,
        Err(e) => return setup_failed(o, e),
    };
    let urls = vec![srv.url()];
    let fault = |srv: &mut Server, at: &dyn Fn(u64) -> Result<(), String>| {
        at(50)?;
        premise::kill9_restart(srv, Duration::from_secs(1))
    };
    watched_through(&mut o, tier, urls, 1, srv, fault).await;
    o
}

/// Plan test 21: the R3 bucket's stream leader steps down a third of the way
/// through the puts, and the (new) leader node is `kill -9`ed and restarted
/// two thirds of the way.
pub async fn watch_leader_change_r3(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "kv_watch_leader_change_r3",
        26,
        "KV watch across a leader step-down and a leader kill -9 (R3)",
    );
    let cluster = match cluster3() {
        Ok(c) => c,
        Err(e) => return setup_failed(o, e),
    };
    let urls = cluster.urls();
    let stream = format!("KV_{BUCKET}");
    let fault = move |cluster: &mut Cluster, at: &dyn Fn(u64) -> Result<(), String>| {
        at(33)?;
        let before = cluster
            .stream_leader(None, &stream)
            .map_err(|e| e.to_string())?;
        step_down(cluster, &stream)?;
        at(66)?;
        let leader = cluster
            .stream_leader(None, &stream)
            .map_err(|e| e.to_string())?;
        if leader == before {
            return Err(format!(
                "the leader is still node {leader} after the step-down"
            ));
        }
        premise::kill9_restart(premise::node(cluster, leader)?, Duration::from_secs(2))?;
        cluster.wait_ready().map_err(|e| e.to_string())
    };
    watched_through(&mut o, tier, urls, 3, cluster, fault).await;
    o
}

/// Asks the stream's leader to step down (through a throwaway connection to
/// any node) and checks that the server accepted.
fn step_down(cluster: &Cluster, stream: &str) -> Result<(), String> {
    let url = cluster.urls()[0].clone();
    let subject = format!("$JS.API.STREAM.LEADER.STEPDOWN.{stream}");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let raw = async_nats::connect(url.as_str())
            .await
            .map_err(|e| format!("connect for step-down: {e}"))?;
        let reply = tokio::time::timeout(Duration::from_secs(10), raw.request(subject, "".into()))
            .await
            .map_err(|_| "step-down: no reply within 10 s".to_string())?
            .map_err(|e| format!("step-down: {e}"))?;
        premise::accepted("step-down", &reply.payload)
    })
}

/// Creates the bucket, starts the watcher, puts [`Writes`] while `fault`
/// runs on a blocking thread with `target` (it calls `at(pct)` to wait until
/// `pct`% of the puts are done), reads every key's history back and checks
/// the watch against it. `target` (the servers) lives until the end.
async fn watched_through<T, F>(
    o: &mut Outcome,
    tier: Tier,
    urls: Vec<String>,
    replicas: usize,
    target: T,
    fault: F,
) where
    T: Send + 'static,
    F: FnOnce(&mut T, &dyn Fn(u64) -> Result<(), String>) -> Result<(), String> + Send + 'static,
{
    let writes = Writes::of(tier);
    let (Ok(writer), Ok(watching)) = (connect(urls.clone()).await, connect(urls).await) else {
        return setup(o, "connect".into());
    };
    let kv = match make_bucket(&writer, replicas).await {
        Ok(kv) => kv,
        Err(e) => return setup(o, e),
    };
    let watcher = match watch_start(&watching).await {
        Ok(w) => w,
        Err(e) => return setup(o, e),
    };
    let reconnects = watching.counters().reconnects;
    let progress = Arc::new(AtomicU64::new(0));
    let injector = {
        let (progress, total) = (progress.clone(), writes.total());
        tokio::task::spawn_blocking(move || {
            let mut target = target;
            let at = |pct: u64| wait_progress(&progress, total * pct / 100);
            let r = fault(&mut target, &at);
            (target, r)
        })
    };
    let (acked, errors) = put_all(&kv, &writes, &progress).await;
    let (_target, fault_result) = match injector.await {
        Ok(done) => done,
        Err(_) => return o.check(false, "fault injector panicked"),
    };
    o.figure("puts", writes.total());
    o.figure("acked", acked);
    o.figure("put_errors", errors);
    if let Err(e) = fault_result {
        o.check(false, format!("fault injection: {e}"));
        watcher.stop.store(true, Ordering::Relaxed);
        return;
    }
    let stored = match read_back(&kv, &writes).await {
        Ok(s) => s,
        Err(e) => return o.check(false, e),
    };
    let last = stored.last().map(|r| r.0).unwrap_or(0);
    watcher.until.store(last, Ordering::Relaxed);
    let watched = match watcher.task.await {
        Ok(Ok(w)) => w,
        Ok(Err(e)) => return o.check(false, e),
        Err(_) => return o.check(false, "watcher panicked"),
    };
    o.figure("stored", stored.len());
    o.figure("watched", watched.len());
    o.figure(
        "watch_reconnects",
        watching.counters().reconnects.saturating_sub(reconnects),
    );
    o.check(
        acked + errors == writes.total() && stored.len() as u64 >= acked,
        format!(
            "{acked} acked + {errors} errors of {} puts; {} stored (at least every acked put)",
            writes.total(),
            stored.len()
        ),
    );
    check_watch(o, &stored, &watched);
}

/// A failed setup, recorded.
fn setup(o: &mut Outcome, why: String) {
    *o = setup_failed(o.clone(), why);
}

/// The bucket, retrying while a cluster elects its meta leader.
async fn make_bucket(client: &Client, replicas: usize) -> Result<KeyValue, String> {
    let mut cfg = KvConfig::new(BUCKET);
    cfg.history = HISTORY;
    cfg.replicas = replicas;
    let mut last = String::new();
    for _ in 0..40 {
        match client.create_key_value(cfg.clone()).await {
            Ok(kv) => return Ok(kv),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!("cannot create bucket {BUCKET}: {last}"))
}

/// A running watcher task: collects every entry until it has seen revision
/// `until` (0: not known yet) or `stop`; bounded in time.
struct Watching {
    until: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Result<Vec<Rev>, String>>,
}

/// How long the watch may take to deliver everything, from its start.
const WATCH_LIMIT: Duration = Duration::from_secs(240);

/// Starts watching every key (changes only: the bucket is empty) and waits
/// for the caught-up marker, so every put after this returns is watched.
async fn watch_start(client: &Client) -> Result<Watching, String> {
    let kv = client
        .key_value(BUCKET)
        .await
        .map_err(|e| format!("bucket handle: {e}"))?;
    let options = KvWatchOptions {
        updates_only: true,
        ..KvWatchOptions::default()
    };
    let watcher = kv
        .watch(jetbridge::WATCH_ALL, options)
        .await
        .map_err(|e| format!("watch: {e}"))?;
    match tokio::time::timeout(Duration::from_secs(10), watcher.next()).await {
        Ok(Ok(KvWatchEvent::CaughtUp)) => {}
        other => return Err(format!("watch: no caught-up marker first: {other:?}")),
    }
    let until = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (u, s) = (until.clone(), stop.clone());
    let task = tokio::spawn(async move {
        let started = Instant::now();
        let mut seen: Vec<Rev> = Vec::new();
        loop {
            let target = u.load(Ordering::Relaxed);
            let done = target > 0 && seen.last().is_some_and(|r| r.0 >= target);
            if done || s.load(Ordering::Relaxed) {
                watcher.stop();
                return Ok(seen);
            }
            if started.elapsed() > WATCH_LIMIT {
                return Err(format!(
                    "the watch delivered {} entries (last revision {:?}) and no more within {}s; the stream ends at revision {target}",
                    seen.len(),
                    seen.last().map(|r| r.0),
                    WATCH_LIMIT.as_secs()
                ));
            }
            match tokio::time::timeout(Duration::from_secs(1), watcher.next()).await {
                Err(_) => {}
                Ok(Ok(KvWatchEvent::Entry(e))) => seen.push((
                    e.revision,
                    e.key,
                    String::from_utf8_lossy(&e.value).into_owned(),
                )),
                Ok(Ok(KvWatchEvent::CaughtUp)) => {
                    return Err("a second caught-up marker".into());
                }
                Ok(Err(e)) => return Err(format!("watch ended: {e}")),
            }
        }
    });
    Ok(Watching { until, stop, task })
}

/// Waits until `progress` reaches `n` (bounded: 120 s).
fn wait_progress(progress: &AtomicU64, n: u64) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while progress.load(Ordering::Relaxed) < n {
        if Instant::now() > deadline {
            return Err(format!(
                "the writer never reached {n} puts (at {})",
                progress.load(Ordering::Relaxed)
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

/// Puts round-robin over the keys, values `k<key>-<i>`; returns (acked,
/// errors). A put's error does not stop the writer.
async fn put_all(kv: &KeyValue, w: &Writes, progress: &AtomicU64) -> (u64, u64) {
    let (mut acked, mut errors) = (0, 0);
    for i in 0..w.total() {
        let key = format!("k{}", i % w.keys);
        match kv.put(&key, format!("{key}-{i}")).await {
            Ok(_) => acked += 1,
            Err(_) => errors += 1,
        }
        progress.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(w.gap).await;
    }
    (acked, errors)
}

/// Every revision of every key the stream holds, in revision order (retried
/// while a restarted server or a new leader settles; bounded).
async fn read_back(kv: &KeyValue, w: &Writes) -> Result<Vec<Rev>, String> {
    let mut all = Vec::new();
    for k in 0..w.keys {
        let key = format!("k{k}");
        let mut last = String::new();
        let mut got = None;
        for _ in 0..60 {
            match kv.history(&key).await {
                Ok(h) => {
                    got = Some(h);
                    break;
                }
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let history = got.ok_or_else(|| format!("history of {key}: {last}"))?;
        all.extend(history.into_iter().map(|e| {
            (
                e.revision,
                e.key,
                String::from_utf8_lossy(&e.value).into_owned(),
            )
        }));
    }
    all.sort();
    Ok(all)
}

/// The watch's entries equal the stream's, in order: no gap, no repeat, no
/// reordering, and each with the stream's key and value.
pub fn check_watch(o: &mut Outcome, stored: &[Rev], watched: &[Rev]) {
    let in_order = watched.windows(2).all(|p| p[0].0 < p[1].0);
    let repeats = watched.len() - dedup_len(watched);
    let missing: Vec<u64> = stored
        .iter()
        .filter(|r| !watched.contains(r))
        .map(|r| r.0)
        .collect();
    let extra: Vec<u64> = watched
        .iter()
        .filter(|r| !stored.contains(r))
        .map(|r| r.0)
        .collect();
    o.figure("missing", missing.len());
    o.figure("repeated", repeats);
    o.check(
        in_order && repeats == 0 && missing.is_empty() && extra.is_empty() && stored == watched,
        format!(
            "watch = stream: in order {in_order}, {repeats} repeated, missing revisions {:?}, revisions not in the stream {:?}",
            &missing[..missing.len().min(10)],
            &extra[..extra.len().min(10)]
        ),
    );
}

/// How many distinct revisions `revs` holds.
fn dedup_len(revs: &[Rev]) -> usize {
    let mut r: Vec<u64> = revs.iter().map(|r| r.0).collect();
    r.sort_unstable();
    r.dedup();
    r.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(n: u64) -> Rev {
        (n, format!("k{}", n % 2), format!("v{n}"))
    }

    #[test]
    fn a_watch_equal_to_the_stream_passes() {
        let s: Vec<Rev> = (1..=5).map(rev).collect();
        let mut o = Outcome::new("t", 0, "t");
        check_watch(&mut o, &s, &s);
        assert!(o.passed, "{:?}", o.notes);
    }

    #[test]
    fn a_gap_a_repeat_and_a_reordering_each_fail() {
        let s: Vec<Rev> = (1..=5).map(rev).collect();
        let gap: Vec<Rev> = [1, 2, 4, 5].into_iter().map(rev).collect();
        let repeat: Vec<Rev> = [1, 2, 3, 3, 4, 5].into_iter().map(rev).collect();
        let reordered: Vec<Rev> = [1, 3, 2, 4, 5].into_iter().map(rev).collect();
        for w in [gap, repeat, reordered] {
            let mut o = Outcome::new("t", 0, "t");
            check_watch(&mut o, &s, &w);
            assert!(!o.passed, "{w:?} passed");
        }
    }
}
