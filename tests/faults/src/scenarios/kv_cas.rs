//! Compare-and-set between processes: several `jb-faults cas-worker`
//! processes run read-then-`update` loops on one key holding a counter. Each
//! winner writes `<counter + 1> <tag>`; a watch over the key's whole history
//! (started before the workers) is the reference. Exactly one winner per
//! revision means: the counter goes up by exactly one at every revision (a
//! lost update or a double success would repeat a value), every tag a worker
//! reported as won is in the history once, and the wins add up to the final
//! value.

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jetbridge::{Client, ErrorKind, KeyValue, KvConfig, KvWatchEvent, KvWatchOptions};

use super::{blocking, connect, setup_failed, single};
use crate::report::Outcome;
use crate::tier::Tier;

const BUCKET: &str = "CAS";
const KEY: &str = "counter";

/// How long one worker may run before it stops trying (it reports what it has).
const WORKER_LIMIT: Duration = Duration::from_secs(90);

/// What a worker prints as its last stdout line (one JSON object).
#[derive(serde::Serialize, serde::Deserialize, Debug, Default)]
pub struct WorkerReport {
    /// Tags of the updates that returned success.
    pub won: Vec<String>,
    /// Updates refused with WRONG_LAST_SEQUENCE.
    pub conflicts: u64,
    /// Updates or reads that failed otherwise (outcome unknown).
    pub errors: Vec<String>,
}

/// `jb-faults cas-worker <url> <name> <wins>`: until `wins` updates won (or
/// [`WORKER_LIMIT`]), reads the counter and updates it to counter + 1 with
/// the tag `<name>-<k>` at the revision read. Prints a [`WorkerReport`].
pub async fn cas_worker(args: &[String]) -> i32 {
    let [url, name, wins] = args else {
        eprintln!("usage: jb-faults cas-worker <url> <name> <wins>");
        return 2;
    };
    let Ok(wins) = wins.parse::<usize>() else {
        eprintln!("cas-worker: <wins> must be a number");
        return 2;
    };
    let report = match worker_loop(url, name, wins).await {
        Ok(r) => r,
        Err(e) => WorkerReport {
            errors: vec![e],
            ..WorkerReport::default()
        },
    };
    println!("{}", serde_json::to_string(&report).unwrap_or_default());
    0
}

async fn worker_loop(url: &str, name: &str, wins: usize) -> Result<WorkerReport, String> {
    let client = connect(vec![url.to_string()]).await?;
    let kv = client
        .key_value(BUCKET)
        .await
        .map_err(|e| format!("bucket: {e}"))?;
    let mut r = WorkerReport::default();
    let started = Instant::now();
    let max_attempts = wins * 1000;
    for _ in 0..max_attempts {
        if r.won.len() >= wins || started.elapsed() > WORKER_LIMIT || r.errors.len() > 10 {
            break;
        }
        let current = match kv.get(KEY).await {
            Ok(e) => e,
            Err(e) => {
                r.errors.push(format!("get: {e}"));
                continue;
            }
        };
        let n = counter_of(&current.value).ok_or("an unreadable counter")?;
        let tag = format!("{name}-{}", r.won.len());
        match kv
            .update(KEY, format!("{} {tag}", n + 1), current.revision)
            .await
        {
            Ok(_) => r.won.push(tag),
            Err(e) if e.kind() == ErrorKind::WrongLastSequence => r.conflicts += 1,
            Err(e) => r.errors.push(format!("update: {e}")),
        }
    }
    Ok(r)
}

/// The counter of a value `<n> <tag>`.
fn counter_of(value: &[u8]) -> Option<u64> {
    std::str::from_utf8(value)
        .ok()?
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// The tag of a value `<n> <tag>`.
fn tag_of(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .split_once(' ')
        .map(|(_, t)| t.to_string())
        .unwrap_or_default()
}

/// Plan test 27: concurrent CAS writers in separate processes, no faults.
pub async fn cas_concurrent_writers(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "kv_cas_concurrent_writers",
        27,
        "read-then-update CAS loops on one key from several processes",
    );
    let workers = tier.pick(4, 8);
    let wins = tier.pick(15, 200);
    let srv = match single() {
        Ok(s) => s,
        Err(e) => return setup_failed(o, e),
    };
    let Ok(client) = connect(vec![srv.url()]).await else {
        return setup_failed(o, "connect".into());
    };
    let kv = match start_counter(&client).await {
        Ok(kv) => kv,
        Err(e) => return setup_failed(o, e),
    };
    let watcher = match kv
        .watch(
            KEY,
            KvWatchOptions {
                include_history: true,
                ..KvWatchOptions::default()
            },
        )
        .await
    {
        Ok(w) => w,
        Err(e) => return setup_failed(o, format!("watch: {e}")),
    };
    let url = srv.url();
    let reports = blocking(move || run_workers(&url, workers, wins));
    let reports = match reports {
        Ok(r) => r,
        Err(e) => return setup_failed(o, e),
    };
    let won: u64 = reports.iter().map(|r| r.won.len() as u64).sum();
    let conflicts: u64 = reports.iter().map(|r| r.conflicts).sum();
    let errors: Vec<&String> = reports.iter().flat_map(|r| &r.errors).collect();
    o.figure("workers", workers);
    o.figure("wins", won);
    o.figure("conflicts", conflicts);
    o.figure("errors", errors.len());
    o.check(
        errors.is_empty(),
        format!("no read or update ended unknown: {errors:?}"),
    );
    o.check(
        won == (workers * wins) as u64,
        format!("each worker won its {wins} updates ({won} in all)"),
    );
    // The watch's history, up to the revision holding the final value.
    let history = match watched_history(&watcher, won).await {
        Ok(h) => h,
        Err(e) => {
            o.check(false, e);
            return o;
        }
    };
    watcher.stop();
    check_history(&mut o, &history, &reports);
    match kv.get(KEY).await {
        Ok(e) => o.check(
            counter_of(&e.value) == Some(won),
            format!(
                "the final value {:?} = the wins ({won})",
                counter_of(&e.value)
            ),
        ),
        Err(e) => o.check(false, format!("final get: {e}")),
    }
    o
}

/// The bucket (history 64) and the key at `0 init`.
async fn start_counter(client: &Client) -> Result<KeyValue, String> {
    let mut cfg = KvConfig::new(BUCKET);
    cfg.history = 64;
    let kv = client
        .create_key_value(cfg)
        .await
        .map_err(|e| format!("bucket: {e}"))?;
    kv.create(KEY, "0 init")
        .await
        .map_err(|e| format!("create {KEY}: {e}"))?;
    Ok(kv)
}

/// Starts `n` worker processes (this binary, `cas-worker`), waits for all
/// (bounded: [`WORKER_LIMIT`] + 30 s, then they are killed) and parses their
/// reports.
fn run_workers(url: &str, n: usize, wins: usize) -> Result<Vec<WorkerReport>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("own binary: {e}"))?;
    let mut children: Vec<Child> = Vec::new();
    for w in 0..n {
        let child = Command::new(&exe)
            .args(["cas-worker", url, &format!("w{w}"), &wins.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("spawn worker {w}: {e}"))?;
        children.push(child);
    }
    let deadline = Instant::now() + WORKER_LIMIT + Duration::from_secs(30);
    let mut reports = Vec::new();
    for (w, mut child) in children.into_iter().enumerate() {
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break Ok(s),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(format!("worker {w} still running at the deadline: killed"));
                }
                Err(e) => break Err(format!("worker {w}: {e}")),
            }
        }?;
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            let _ = stdout.read_to_string(&mut out);
        }
        if !status.success() {
            return Err(format!("worker {w} exited {status}"));
        }
        let last = out.lines().last().unwrap_or("");
        let report: WorkerReport =
            serde_json::from_str(last).map_err(|e| format!("worker {w} report {last:?}: {e}"))?;
        reports.push(report);
    }
    Ok(reports)
}

/// (counter, tag) of the first `last + 1` revisions the watch delivers (the
/// initial value and one per win; bounded: 60 s).
async fn watched_history(
    watcher: &jetbridge::KvWatcher,
    last: u64,
) -> Result<Vec<(u64, String)>, String> {
    let started = Instant::now();
    let mut out: Vec<(u64, String)> = Vec::new();
    while (out.len() as u64) <= last {
        if started.elapsed() > Duration::from_secs(60) {
            return Err(format!(
                "the watch delivered {} revisions, the last {:?}; the wins reach {last}",
                out.len(),
                out.last()
            ));
        }
        match tokio::time::timeout(Duration::from_secs(1), watcher.next()).await {
            Ok(Ok(KvWatchEvent::Entry(e))) => {
                let n = counter_of(&e.value).ok_or("an unreadable counter in the history")?;
                out.push((n, tag_of(&e.value)));
            }
            Ok(Ok(KvWatchEvent::CaughtUp)) | Err(_) => {}
            Ok(Err(e)) => return Err(format!("watch: {e}")),
        }
    }
    Ok(out)
}

/// The history goes 0, 1, 2, … (one winner per revision, no lost update),
/// and its tags are exactly the reported wins, each once.
pub fn check_history(o: &mut Outcome, history: &[(u64, String)], reports: &[WorkerReport]) {
    let steps_ok = history.iter().enumerate().all(|(i, (n, _))| *n == i as u64);
    let first_bad = history
        .iter()
        .enumerate()
        .find(|(i, (n, _))| *n != *i as u64)
        .map(|(i, e)| (i, e.clone()));
    o.check(
        steps_ok,
        format!(
            "each revision adds one to the one before ({} revisions; first out of step: {first_bad:?})",
            history.len()
        ),
    );
    let written: Vec<&String> = history.iter().skip(1).map(|(_, t)| t).collect();
    let written_set: BTreeSet<&String> = written.iter().copied().collect();
    let won: BTreeSet<&String> = reports.iter().flat_map(|r| &r.won).collect();
    let won_count: usize = reports.iter().map(|r| r.won.len()).sum();
    o.check(
        written.len() == written_set.len() && written_set == won && won.len() == won_count,
        format!(
            "the history's {} tags ({} distinct) are the {won_count} reported wins",
            written.len(),
            written_set.len()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(won: &[&str]) -> WorkerReport {
        WorkerReport {
            won: won.iter().map(|s| s.to_string()).collect(),
            ..WorkerReport::default()
        }
    }

    fn h(entries: &[(u64, &str)]) -> Vec<(u64, String)> {
        entries.iter().map(|(n, t)| (*n, t.to_string())).collect()
    }

    #[test]
    fn one_winner_per_revision_passes() {
        let mut o = Outcome::new("t", 0, "t");
        let hist = h(&[(0, "init"), (1, "a-0"), (2, "b-0"), (3, "a-1")]);
        check_history(&mut o, &hist, &[report(&["a-0", "a-1"]), report(&["b-0"])]);
        assert!(o.passed, "{:?}", o.notes);
    }

    #[test]
    fn a_lost_update_and_a_phantom_win_fail() {
        let mut o = Outcome::new("t", 0, "t");
        let lost = h(&[(0, "init"), (1, "a-0"), (1, "b-0")]);
        check_history(&mut o, &lost, &[report(&["a-0"]), report(&["b-0"])]);
        assert!(!o.passed);
        let mut o = Outcome::new("t", 0, "t");
        let hist = h(&[(0, "init"), (1, "a-0")]);
        check_history(&mut o, &hist, &[report(&["a-0"]), report(&["b-0"])]);
        assert!(!o.passed);
    }
}
