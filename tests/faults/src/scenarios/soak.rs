//! Test 17: a mixed soak with random faults, seeded and reproducible.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jetbridge::{ConsumerConfig, MessagesOptions};
use rand::{Rng, SeedableRng};

use super::{cluster3, connect, make_stream, setup_failed};
use crate::checker::Checker;
use crate::load::{publish_paced, read_all};
use crate::process_stats::{open_fds, rss_bytes};
use crate::report::Outcome;
use crate::tier::Tier;

/// 2 publishers at 500 msg/s with ids, 2 double-acking consumers; a random
/// fault every interval (kill -9 a node, SIGSTOP the leader, lame-duck
/// restart). Seed from `JB_SOAK_SEED` or the clock; logged.
pub async fn soak(tier: Tier) -> Outcome {
    let mut o = Outcome::new("soak", 17, "mixed soak with random faults (seeded)");
    let duration = tier.pick(Duration::from_secs(45), Duration::from_secs(30 * 60));
    let interval = tier.pick(Duration::from_secs(15), Duration::from_secs(60));
    let seed: u64 = std::env::var("JB_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(1)
        });
    o.figure("seed", seed);
    o.figure("minutes", duration.as_secs_f64() / 60.0);
    let mut cluster = match cluster3() {
        Ok(c) => c,
        Err(e) => return setup_failed(o, e),
    };
    let Ok(client) = connect(cluster.urls()).await else {
        return setup_failed(o, "connect".into());
    };
    if let Err(e) = make_stream(&client, "SOAK", &["soak"], 3).await {
        return setup_failed(o, e);
    }
    let mut cfg = ConsumerConfig::durable("soak");
    cfg.replicas = 3;
    cfg.ack_wait = Some(Duration::from_secs(5));
    let Ok(consumer) = client.create_consumer("SOAK", cfg).await else {
        return setup_failed(o, "consumer".into());
    };
    let checker = Arc::new(Checker::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut pubs = Vec::new();
    for p in 0..2 {
        let Ok(c) = connect(cluster.urls()).await else {
            continue;
        };
        pubs.push(tokio::spawn(publish_paced(
            c,
            checker.clone(),
            "soak".into(),
            format!("s{p}"),
            500,
            stop.clone(),
        )));
    }
    let mut consumers = Vec::new();
    for _ in 0..2 {
        let Ok(mut s) = consumer.messages(MessagesOptions::default()).await else {
            continue;
        };
        let stop = stop.clone();
        consumers.push(tokio::spawn(async move {
            let mut confirmed = std::collections::HashSet::new();
            let mut again = 0u64;
            while !stop.load(Ordering::Relaxed) {
                for m in s
                    .next_batch(200, Duration::from_millis(500))
                    .await
                    .unwrap_or_default()
                {
                    if confirmed.contains(&m.stream_sequence) {
                        again += 1;
                    } else if m.ack_sync().await.is_ok() {
                        confirmed.insert(m.stream_sequence);
                    }
                }
            }
            (s, confirmed, again)
        }));
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let mut rss_after_warmup = 0;
    let mut fds_after_warmup = 0;
    let mut faults = Vec::new();
    while started.elapsed() < duration {
        tokio::time::sleep(interval.min(duration.saturating_sub(started.elapsed()))).await;
        if rss_after_warmup == 0 && started.elapsed() >= duration / 6 {
            rss_after_warmup = rss_bytes();
            fds_after_warmup = open_fds();
        }
        if started.elapsed() >= duration {
            break;
        }
        let node = rng.random_range(0..3usize);
        let kind = rng.random_range(0..3u8);
        checker.fault();
        let result = tokio::task::block_in_place(|| -> Result<&'static str, String> {
            match kind {
                0 => {
                    cluster.kill9(node).map_err(|e| e.to_string())?;
                    std::thread::sleep(Duration::from_secs(2));
                    cluster.restart(node).map_err(|e| e.to_string())?;
                    Ok("kill -9")
                }
                1 => {
                    let leader = cluster
                        .stream_leader(None, "SOAK")
                        .map_err(|e| e.to_string())?;
                    cluster.pause(leader).map_err(|e| e.to_string())?;
                    std::thread::sleep(Duration::from_secs(10));
                    cluster.resume(leader).map_err(|e| e.to_string())?;
                    Ok("pause leader 10 s")
                }
                _ => {
                    cluster.lame_duck(node).map_err(|e| e.to_string())?;
                    let _ = cluster
                        .server_mut(node)
                        .map_err(|e| e.to_string())?
                        .wait_exit(Duration::from_secs(40));
                    cluster.restart(node).map_err(|e| e.to_string())?;
                    Ok("lame-duck restart")
                }
            }
        });
        faults.push(format!(
            "{:.0}s {}",
            started.elapsed().as_secs_f64(),
            result.unwrap_or_else(|e| e.leak())
        ));
    }
    stop.store(true, Ordering::Relaxed);
    for p in pubs {
        let _ = p.await;
    }
    let mut again = 0;
    let mut confirmed = std::collections::HashSet::new();
    for c in consumers {
        if let Ok((_, set, a)) = c.await {
            confirmed.extend(set);
            again += a;
        }
    }
    let rss_end = rss_bytes();
    o.figure("faults", &faults);
    o.note("RSS here is the whole test process: the checker keeps every published id and every confirmed sequence in memory, so it grows with the message count; the library's own memory bound is what backpressure_paused_cluster measures.");
    o.figure(
        "rss_growth_pct",
        if rss_after_warmup > 0 {
            (rss_end as f64 / rss_after_warmup as f64 - 1.0) * 100.0
        } else {
            0.0
        },
    );
    o.figure("fd_change", open_fds() as i64 - fds_after_warmup as i64);
    o.figure("processed", confirmed.len());
    o.figure("redelivered_after_confirmed_ack_sync", again);
    o.check(again == 0, "0 redeliveries after confirmed ack_sync");
    match read_all(&client, "SOAK", Duration::from_secs(120)).await {
        Ok(read) => {
            let v = checker.verdict(&read);
            o.figure("acked", v.acked);
            o.figure("lost", v.lost);
            o.figure("duplicated", v.duplicated);
            o.figure("unexpected", v.unexpected);
            o.figure("max_failover_ms", v.max_failover_ms);
            o.check(
                v.safe(),
                format!(
                    "lost {} duplicated {} unexpected {}",
                    v.lost, v.duplicated, v.unexpected
                ),
            );
        }
        Err(e) => o.check(false, e),
    }
    drop(cluster);
    o
}
