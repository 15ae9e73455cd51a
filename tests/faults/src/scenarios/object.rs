//! An object put interrupted by `kill -9` + restart of the only server. The
//! put either fails cleanly (an error within the client's bounded timeouts,
//! and the previous version stays visible, intact) or, when the client's
//! retries carry it across the restart, succeeds with the object intact.
//! Either way a retried put succeeds and reads back byte for byte.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jetbridge::{ObjectInfo, ObjectStore, ObjectStoreConfig};

use super::{connect, setup_failed, single};
use crate::premise;
use crate::report::Outcome;
use crate::tier::Tier;

const STORE: &str = "BLOBS";
const NAME: &str = "blob";

/// Bytes per `write` call.
const PIECE: usize = 1 << 20;

/// The longest a put may take before it counts as hung (the client's own
/// timeouts end it well before).
const PUT_LIMIT: Duration = Duration::from_secs(180);

/// Byte `i` of version `v`: a cheap pattern that differs between versions
/// and along the object (so a chunk out of place would be seen).
fn fill(v: u64, offset: u64, buf: &mut [u8]) {
    for (i, b) in buf.iter_mut().enumerate() {
        let x = (offset + i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ v.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        *b = (x >> 29) as u8;
    }
}

/// Writes version `v`, `size` bytes, as `NAME`; `progress` counts bytes
/// handed to the writer. Bounded by [`PUT_LIMIT`].
async fn put_version(
    store: &ObjectStore,
    v: u64,
    size: u64,
    progress: &AtomicU64,
) -> Result<ObjectInfo, String> {
    let work = async {
        let writer = store
            .writer(NAME, None)
            .map_err(|e| format!("writer: {e}"))?;
        let mut buf = vec![0u8; PIECE];
        let mut offset = 0u64;
        while offset < size {
            let n = PIECE.min((size - offset) as usize);
            fill(v, offset, &mut buf[..n]);
            writer
                .write(&buf[..n])
                .await
                .map_err(|e| format!("write at {offset}: {e}"))?;
            offset += n as u64;
            progress.store(offset, Ordering::Relaxed);
        }
        writer.finish().await.map_err(|e| format!("finish: {e}"))
    };
    tokio::time::timeout(PUT_LIMIT, work)
        .await
        .map_err(|_| format!("HUNG: no result within {} s", PUT_LIMIT.as_secs()))?
}

/// Reads `NAME` in full (the reader checks size and digest against the info)
/// and compares it with version `v`; returns the info read.
async fn verify(store: &ObjectStore, v: u64) -> Result<ObjectInfo, String> {
    let reader = store.get(NAME).await.map_err(|e| format!("get: {e}"))?;
    let info = reader.info().clone();
    let mut offset = 0u64;
    let mut expect = Vec::new();
    while let Some(chunk) = reader
        .next_chunk()
        .await
        .map_err(|e| format!("read at {offset}: {e}"))?
    {
        expect.resize(chunk.len(), 0);
        fill(v, offset, &mut expect);
        if chunk[..] != expect[..] {
            return Err(format!(
                "bytes at {offset} ({} bytes read) are not version {v}'s: they are {}",
                chunk.len(),
                whose(&chunk, info.size)
            ));
        }
        offset += chunk.len() as u64;
    }
    if offset != info.size {
        return Err(format!("read {offset} bytes of {}", info.size));
    }
    Ok(info)
}

/// Which version and offset `chunk` holds (a search over piece-aligned and
/// chunk-aligned offsets of versions 1 to 3), for the failure message.
fn whose(chunk: &[u8], size: u64) -> String {
    let probe = chunk.len().min(64);
    let mut buf = vec![0u8; probe];
    for v in 1..=3 {
        for step in [128 * 1024u64, PIECE as u64] {
            for at in (0..size).step_by(step as usize) {
                fill(v, at, &mut buf);
                if chunk[..probe] == buf[..] {
                    return format!("version {v}'s bytes from {at}");
                }
            }
        }
    }
    "bytes of no version at a chunk boundary".into()
}

/// Plan test 28: kill -9 + restart during a large object put.
pub async fn obj_put_interrupted_restart(tier: Tier) -> Outcome {
    let mut o = Outcome::new(
        "obj_put_interrupted_restart",
        28,
        "object put interrupted by kill -9 + restart (R1)",
    );
    let size: u64 = tier.pick(64, 512) << 20;
    let old_size: u64 = 4 << 20;
    let srv = match single() {
        Ok(s) => s,
        Err(e) => return setup_failed(o, e),
    };
    let Ok(client) = connect(vec![srv.url()]).await else {
        return setup_failed(o, "connect".into());
    };
    let store = match client
        .create_object_store(ObjectStoreConfig::new(STORE))
        .await
    {
        Ok(s) => s,
        Err(e) => return setup_failed(o, format!("object store: {e}")),
    };
    let old = match put_version(&store, 1, old_size, &AtomicU64::new(0)).await {
        Ok(i) => i,
        Err(e) => return setup_failed(o, format!("version 1: {e}")),
    };
    let progress = Arc::new(AtomicU64::new(0));
    let injector = {
        let progress = progress.clone();
        tokio::task::spawn_blocking(move || {
            let mut srv = srv;
            let r = kill_at(&mut srv, &progress, size / 4);
            (srv, r)
        })
    };
    let interrupted = put_version(&store, 2, size, &progress).await;
    let (_srv, fault) = match injector.await {
        Ok(done) => done,
        Err(_) => {
            o.check(false, "fault injector panicked");
            return o;
        }
    };
    if let Err(e) = fault {
        o.check(false, format!("fault injection: {e}"));
        return o;
    }
    o.figure("object_bytes", size);
    o.figure(
        "bytes_written_when_put_ended",
        progress.load(Ordering::Relaxed),
    );
    o.figure("interrupted_put_failed", interrupted.is_err());
    match &interrupted {
        Err(e) => {
            o.note(format!("the interrupted put failed: {e}"));
            o.check(!e.starts_with("HUNG"), format!("the put ended: {e}"));
            // The previous version is the visible one, intact.
            match verify(&store, 1).await {
                Ok(info) => o.check(
                    info.nuid == old.nuid && info.digest == old.digest,
                    "after the failed put the previous version is visible (same nuid and digest)",
                ),
                Err(e) => o.check(false, format!("previous version after the failed put: {e}")),
            }
        }
        Ok(info) => {
            o.note("the interrupted put succeeded across the restart");
            match verify(&store, 2).await {
                Ok(read) => o.check(
                    read.digest == info.digest && read.size == size,
                    "the put that succeeded reads back in full",
                ),
                Err(e) => o.check(false, format!("the put that succeeded: {e}")),
            }
        }
    }
    match put_version(&store, 3, size, &AtomicU64::new(0)).await {
        Ok(info) => {
            o.check(
                info.size == size,
                format!("the retried put stored {} bytes", info.size),
            );
            match verify(&store, 3).await {
                Ok(read) => o.check(
                    read.nuid == info.nuid && read.digest == info.digest,
                    "the retried put reads back in full, digest verified",
                ),
                Err(e) => o.check(false, format!("the retried put: {e}")),
            }
        }
        Err(e) => o.check(false, format!("the retried put: {e}")),
    }
    match store.list().await {
        Ok(list) => o.check(
            list.len() == 1 && list[0].name == NAME,
            format!(
                "the store lists one object: {:?}",
                list.iter().map(|i| &i.name).collect::<Vec<_>>()
            ),
        ),
        Err(e) => o.check(false, format!("list: {e}")),
    }
    o
}

/// Waits until `progress` reaches `at` bytes (bounded: 120 s), then kill -9
/// and, 1 s later, restart.
fn kill_at(
    srv: &mut jetbridge_harness::Server,
    progress: &AtomicU64,
    at: u64,
) -> Result<(), String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while progress.load(Ordering::Relaxed) < at {
        if std::time::Instant::now() > deadline {
            return Err(format!("the put never reached {at} bytes"));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    premise::kill9_restart(srv, Duration::from_secs(1))
}
