//! Key-value buckets against a real server: every key call, compare-and-set
//! conflicts, deleted versus never-written keys, history, keys, and a watch
//! with its caught-up marker that survives a server restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use jetbridge::{ErrorKind, KvConfig, KvOperation, KvWatchEvent, KvWatchOptions};
use support::*;

#[tokio::test]
async fn keys_values_revisions_and_typed_errors() {
    let srv = server();
    let c = connect(&srv).await;
    let mut cfg = KvConfig::new("cfg");
    cfg.history = 5;
    let kv = c.create_key_value(cfg.clone()).await.unwrap();
    // The same configuration again returns the bucket; a handle binds to it.
    c.create_key_value(cfg).await.unwrap();
    let kv2 = c.key_value("cfg").await.unwrap();
    assert_eq!(
        c.key_value("nope").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );

    let r1 = kv.put("db.host", "a").await.unwrap();
    let r2 = kv2.put("db.host", "b").await.unwrap();
    assert!(r2 > r1);
    let e = kv.get("db.host").await.unwrap();
    assert_eq!(
        (e.value.as_ref(), e.revision, e.operation),
        (b"b".as_ref(), r2, KvOperation::Put)
    );
    assert_eq!(kv.get_revision("db.host", r1).await.unwrap().value, "a");

    // Compare-and-set: one update per revision wins.
    let r3 = kv.update("db.host", "c", r2).await.unwrap();
    let lost = kv.update("db.host", "d", r2).await.unwrap_err();
    assert_eq!(lost.kind(), ErrorKind::WrongLastSequence, "{lost}");
    let exists = kv.create("db.host", "x").await.unwrap_err();
    assert_eq!(exists.kind(), ErrorKind::WrongLastSequence);
    assert!(exists.message().contains("db.host"), "{exists}");

    // Never written versus deleted: both NOT_FOUND for get, told apart by entry.
    let never = kv.get("db.port").await.unwrap_err();
    assert_eq!(never.kind(), ErrorKind::NotFound);
    assert!(never.message().contains("db.port"), "{never}");
    assert_eq!(kv.entry("db.port").await.unwrap(), None);
    let d = kv.delete("db.host", Some(r3)).await.unwrap();
    let gone = kv.get("db.host").await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    assert!(gone.message().contains("deleted"), "{gone}");
    let marker = kv.entry("db.host").await.unwrap().unwrap();
    assert_eq!(
        (marker.operation, marker.revision),
        (KvOperation::Delete, d)
    );
    // Create over a delete marker is allowed.
    kv.create("db.host", "again").await.unwrap();

    // History keeps every revision, oldest first; keys leaves deleted ones out.
    let history = kv.history("db.host").await.unwrap();
    let ops: Vec<_> = history.iter().map(|e| e.operation).collect();
    assert_eq!(
        ops,
        [
            KvOperation::Put,
            KvOperation::Put,
            KvOperation::Put,
            KvOperation::Delete,
            KvOperation::Put
        ]
    );
    kv.put("db.user", "u").await.unwrap();
    kv.put("tmp", "t").await.unwrap();
    kv.purge("tmp", None).await.unwrap();
    let mut keys = kv.keys().await.unwrap();
    keys.sort();
    assert_eq!(keys, ["db.host", "db.user"]);

    // Bad input names the key or field.
    for bad in ["", "a b", "a..b", ".x", "x*"] {
        let e = kv.put(bad, "v").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad:?}");
    }
    let mut bad = KvConfig::new("b");
    bad.history = 65;
    assert!(
        c.create_key_value(bad)
            .await
            .unwrap_err()
            .message()
            .contains("history")
    );
    assert_eq!(
        c.create_key_value(KvConfig::new("a.b"))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );
    c.delete_key_value("cfg").await.unwrap();
    assert_eq!(
        kv.get("db.user").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn a_watch_gives_values_then_caught_up_then_changes_across_a_restart() {
    let mut srv = server();
    let c = connect(&srv).await;
    let kv = c.create_key_value(KvConfig::new("w")).await.unwrap();
    // An empty bucket: the marker comes at once.
    let empty = kv.watch(">", KvWatchOptions::default()).await.unwrap();
    assert_eq!(
        tokio::time::timeout(Duration::from_secs(10), empty.next())
            .await
            .unwrap()
            .unwrap(),
        KvWatchEvent::CaughtUp
    );
    for k in ["a", "b", "c"] {
        kv.put(k, k).await.unwrap();
    }
    let w = kv.watch(">", KvWatchOptions::default()).await.unwrap();
    let next = || async {
        tokio::time::timeout(Duration::from_secs(20), w.next())
            .await
            .expect("a watch event in time")
            .unwrap()
    };
    let mut initial = Vec::new();
    while let KvWatchEvent::Entry(e) = next().await {
        initial.push(e.key);
    }
    assert_eq!(initial, ["a", "b", "c"]);
    let r = kv.put("b", "b2").await.unwrap();
    assert_eq!(
        next().await,
        KvWatchEvent::Entry(kv.get("b").await.unwrap())
    );
    // Across a restart: nothing missed, nothing repeated.
    srv.restart().unwrap();
    // The publish itself retries (same msg id) while the server comes back.
    let r2 = kv.put("c", "c2").await.unwrap();
    match next().await {
        KvWatchEvent::Entry(e) => assert_eq!((e.key.as_str(), e.revision), ("c", r2)),
        other => panic!("expected c's change, got {other:?}"),
    }
    assert!(r2 > r);
    w.stop();
}

#[tokio::test]
async fn a_watch_is_a_stream_that_ends_when_the_client_closes() {
    use futures::StreamExt;

    let srv = server();
    let c = connect(&srv).await;
    let kv = c.create_key_value(KvConfig::new("s")).await.unwrap();
    kv.put("a", "1").await.unwrap();
    let mut events = Box::pin(
        kv.watch(jetbridge::WATCH_ALL, KvWatchOptions::default())
            .await
            .unwrap()
            .into_stream(),
    );
    let mut next = async || {
        tokio::time::timeout(Duration::from_secs(10), events.next())
            .await
            .expect("an event in time")
    };
    assert!(matches!(next().await, Some(Ok(KvWatchEvent::Entry(e))) if e.key == "a"));
    assert_eq!(next().await.unwrap().unwrap(), KvWatchEvent::CaughtUp);
    kv.put("b", "2").await.unwrap();
    assert!(matches!(next().await, Some(Ok(KvWatchEvent::Entry(e))) if e.key == "b"));
    c.close().await.unwrap();
    assert!(next().await.is_none(), "the stream ends with the client");
}

#[tokio::test]
async fn keys_stream_one_at_a_time_and_leave_deleted_keys_out() {
    let srv = server();
    let c = connect(&srv).await;
    let kv = c.create_key_value(KvConfig::new("many")).await.unwrap();
    for i in 0..300 {
        kv.put(&format!("k.{i}"), "v").await.unwrap();
    }
    kv.delete("k.7", None).await.unwrap();
    kv.put("other.x", "v").await.unwrap();
    let keys = kv.list_keys("k.>").await.unwrap();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(key) = keys.next().await.unwrap() {
        assert!(seen.insert(key.clone()), "{key} twice");
    }
    assert_eq!(seen.len(), 299);
    assert!(!seen.contains("k.7") && !seen.contains("other.x"));
    assert_eq!(keys.next().await.unwrap(), None, "the end stays the end");
    let empty = c.create_key_value(KvConfig::new("none")).await.unwrap();
    assert_eq!(
        empty.list_keys(">").await.unwrap().next().await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_mirror_reads_the_origin_and_a_source_gathers_keys() {
    use jetbridge::StreamSource;
    let srv = server();
    let c = connect(&srv).await;
    let origin = c.create_key_value(KvConfig::new("origin")).await.unwrap();
    origin.put("a", "1").await.unwrap();
    let mirror_config = KvConfig {
        mirror: Some(StreamSource {
            name: "origin".into(),
            ..StreamSource::default()
        }),
        ..KvConfig::new("copy")
    };
    let copy = c.create_key_value(mirror_config.clone()).await.unwrap();
    let gathered_config = KvConfig {
        sources: vec![StreamSource {
            name: "KV_origin".into(),
            ..StreamSource::default()
        }],
        ..KvConfig::new("gathered")
    };
    let gathered = c.create_key_value(gathered_config.clone()).await.unwrap();
    // Mirrors and sources copy in the background: wait (bounded) for "a".
    let mut found = (false, false);
    for _ in 0..100 {
        found = (copy.get("a").await.is_ok(), gathered.get("a").await.is_ok());
        if found == (true, true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(found, (true, true));
    assert_eq!(copy.get("a").await.unwrap().value, "1");
    assert_eq!(copy.get("a").await.unwrap().bucket, "copy");
    assert_eq!(gathered.keys().await.unwrap(), ["a"]);
    // A write through the mirror lands in the origin. The mirror also
    // answers the origin's reads (the server's `mirror_direct`), so the read
    // may lag the write briefly.
    copy.put("b", "2").await.unwrap();
    let mut in_origin = false;
    for _ in 0..100 {
        in_origin = origin.get("b").await.is_ok_and(|e| e.value == "2");
        if in_origin {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(in_origin);
    // A handle opened by name knows it is a mirror; status gives the
    // configuration as it was given.
    let reopened = c.key_value("copy").await.unwrap();
    let mut got_b = false;
    for _ in 0..100 {
        got_b = reopened.get("b").await.is_ok();
        if got_b {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(got_b);
    let status = reopened.status().await.unwrap();
    assert_eq!(status.config.mirror, mirror_config.mirror);
    let status = gathered.status().await.unwrap();
    assert_eq!(
        status.config.sources,
        gathered_config
            .sources
            .iter()
            .map(|s| StreamSource {
                name: "origin".into(),
                ..s.clone()
            })
            .collect::<Vec<_>>()
    );
    // Both at once is refused before sending.
    let both = KvConfig {
        sources: gathered_config.sources.clone(),
        ..mirror_config
    };
    let e = c.create_key_value(both).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}
