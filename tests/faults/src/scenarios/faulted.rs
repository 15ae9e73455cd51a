//! Paced, id'd publishers on an R3 stream while a fault runs, then the checker's verdict
//! from an ordered read of the whole stream (shared by plan tests 3, 5, 6, 7).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jetbridge::Client;
use jetbridge_harness::{Cluster, ClusterOptions};

use super::{blocking, make_stream, options};
use crate::checker::{Checker, Verdict};
use crate::load::{publish_paced, read_all};
use crate::report::Outcome;

/// Bound on the final ordered read.
pub const READ_LIMIT: Duration = Duration::from_secs(120);

/// Where each publisher connects: one URL list per publisher, decided once the stream
/// exists (so it may depend on the stream's leader). Publisher `p` writes ids `p<p>-<n>`
/// and names its connection `p<p>`.
pub type Placement = Box<dyn FnOnce(&Cluster) -> Result<Vec<Vec<String>>, String> + Send>;

/// The load of one run.
pub struct Load {
    /// How the 3-node cluster starts.
    pub cluster: ClusterOptions,
    /// Where the publishers connect.
    pub place: Placement,
    /// Publishes per second, per publisher.
    pub rate: u64,
}

impl Load {
    /// A default cluster and `publishers` publishers, each given every node (rotated;
    /// the client tries them in random order).
    pub fn spread(publishers: usize, rate: u64) -> Load {
        Load {
            cluster: ClusterOptions::default(),
            place: Box::new(move |c: &Cluster| {
                let urls = c.urls();
                Ok((0..publishers)
                    .map(|p| {
                        let mut mine = urls.clone();
                        mine.rotate_left(p % urls.len());
                        mine
                    })
                    .collect())
            }),
            rate,
        }
    }
}

/// Records the verdict's counts as figures and checks lost = dup = unexpected = 0.
pub fn record(o: &mut Outcome, v: &Verdict) {
    o.figure("attempted", v.attempted);
    o.figure("acked", v.acked);
    o.figure("unknown", v.unknown);
    o.figure("lost", v.lost);
    o.figure("duplicated", v.duplicated);
    o.figure("unexpected", v.unexpected);
    o.figure("recovered", v.recovered);
    o.check(
        v.safe(),
        format!(
            "lost {} duplicated {} unexpected {} wrong-seq {}",
            v.lost, v.duplicated, v.unexpected, v.wrong_sequence
        ),
    );
}

/// Starts the cluster and the R3 stream `stream` (subject: its lower-case name), starts the
/// publishers, runs `fault` after 2 s of load (on a blocking thread, with the cluster and
/// the checker), stops the publishers, reads the stream back and records the verdict. Every
/// server dies before this returns. `None` if setup or the read failed (noted in `o`).
pub async fn under_faults<F>(
    o: &mut Outcome,
    stream: &str,
    load: Load,
    fault: F,
) -> Option<(Verdict, Arc<Checker>)>
where
    F: FnOnce(&mut Cluster, &Checker) -> Result<(), String> + Send + 'static,
{
    let mut cluster = match blocking(|| Cluster::start_with(load.cluster)) {
        Ok(c) => c,
        Err(e) => {
            o.check(false, format!("setup: {e}"));
            return None;
        }
    };
    let Ok(client) = Client::connect(options(cluster.urls())).await else {
        o.check(false, "setup: connect");
        return None;
    };
    let subject = stream.to_lowercase();
    if let Err(e) = make_stream(&client, stream, &[&subject], 3).await {
        o.check(false, format!("setup: {e}"));
        return None;
    }
    let placement = match blocking(|| (load.place)(&cluster)) {
        Ok(p) => p,
        Err(e) => {
            o.check(false, format!("setup: placing publishers: {e}"));
            return None;
        }
    };
    let checker = Arc::new(Checker::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (p, urls) in placement.into_iter().enumerate() {
        let mut co = options(urls);
        co.name = Some(format!("p{p}"));
        let Ok(c) = Client::connect(co).await else {
            o.check(false, format!("setup: publisher p{p} cannot connect"));
            return None;
        };
        tasks.push(tokio::spawn(publish_paced(
            c,
            checker.clone(),
            subject.clone(),
            format!("p{p}"),
            load.rate,
            stop.clone(),
        )));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let fault_checker = checker.clone();
    let fault_result = tokio::task::spawn_blocking(move || {
        let r = fault(&mut cluster, &fault_checker);
        (cluster, r)
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let Ok((cluster, fault_result)) = fault_result else {
        o.check(false, "fault injector panicked");
        return None;
    };
    if let Err(e) = fault_result {
        o.check(false, format!("fault injection: {e}"));
    }
    let read = read_all(&client, stream, READ_LIMIT).await;
    drop(cluster);
    match read {
        Ok(read) => {
            let v = checker.verdict(&read);
            record(o, &v);
            Some((v, checker))
        }
        Err(e) => {
            o.check(false, e);
            None
        }
    }
}

/// Records each fault's failover time (fault → next ack by anyone) and checks each is
/// within `limit`.
pub fn failovers(o: &mut Outcome, checker: &Checker, limit: Duration) {
    let f: Vec<u64> = checker
        .failovers()
        .iter()
        .map(|f| f.map(|d| d.as_millis() as u64).unwrap_or(u64::MAX))
        .collect();
    o.figure("failover_ms", &f);
    o.check(
        !f.is_empty() && f.iter().all(|ms| *ms <= limit.as_millis() as u64),
        format!("{} faults, each with an ack within {limit:?}", f.len()),
    );
}
