//! Bucket and store administration against a real server: status with the
//! configuration read back, create-or-update, the account's buckets and
//! stores, keys matching a filter, per-key TTLs, and a
//! sealed object store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use jetbridge::{ErrorKind, KvConfig, ObjectStoreConfig};
use support::*;

#[tokio::test]
async fn a_bucket_reports_its_configuration_and_can_be_updated() {
    let srv = server();
    let c = connect(&srv).await;
    let mut cfg = KvConfig::new("settings");
    cfg.history = 3;
    cfg.description = Some("app settings".into());
    cfg.compression = true;
    cfg.metadata = BTreeMap::from([("team".to_string(), "core".to_string())]);
    let kv = c.create_key_value(cfg.clone()).await.unwrap();
    kv.put("a.x", "1").await.unwrap();
    kv.put("a.y", "2").await.unwrap();
    kv.put("b.z", "3").await.unwrap();
    kv.delete("a.y", None).await.unwrap();

    let status = kv.status().await.unwrap();
    assert_eq!((status.bucket.as_str(), status.values), ("settings", 4));
    assert!(status.bytes > 0);
    assert_eq!(status.config.history, 3);
    assert_eq!(status.config.description.as_deref(), Some("app settings"));
    assert!(status.config.compression);
    assert_eq!(
        status.config.metadata.get("team").map(String::as_str),
        Some("core")
    );
    assert_eq!(status.config.ttl, None);

    // Create-or-update changes what may change and creates what is missing.
    cfg.history = 10;
    cfg.ttl = Some(Duration::from_secs(3600));
    c.create_or_update_key_value(cfg).await.unwrap();
    let after = c.key_value_status("settings").await.unwrap();
    assert_eq!(after.config.history, 10);
    assert_eq!(after.config.ttl, Some(Duration::from_secs(3600)));
    assert_eq!(after.values, 4, "an update keeps the entries");
    c.create_or_update_key_value(KvConfig::new("fresh"))
        .await
        .unwrap();
    // A plain create of an existing bucket with another configuration fails.
    let e = c
        .create_key_value(KvConfig::new("settings"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AlreadyExists, "{e}");

    assert_eq!(
        kv.keys_matching("a.*").await.unwrap(),
        ["a.x"],
        "deleted keys left out"
    );
    let mut all = kv.keys().await.unwrap();
    all.sort();
    assert_eq!(all, ["a.x", "b.z"]);

    c.create_object_store(ObjectStoreConfig::new("files"))
        .await
        .unwrap();
    assert_eq!(c.key_value_names().await.unwrap(), ["fresh", "settings"]);
    assert_eq!(c.object_store_names().await.unwrap(), ["files"]);
    let e = c.key_value_status("missing").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

#[tokio::test]
async fn keys_with_their_own_ttl_expire() {
    let srv = server();
    let c = connect(&srv).await;
    let mut cfg = KvConfig::new("leases");
    cfg.limit_marker_ttl = Some(Duration::from_secs(1));
    cfg.history = 2;
    let kv = c.create_key_value(cfg).await.unwrap();
    assert_eq!(
        kv.status().await.unwrap().config.limit_marker_ttl,
        Some(Duration::from_secs(1))
    );
    let rev = kv
        .create_with_ttl("leader", "node-1", Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(kv.get("leader").await.unwrap().revision, rev);
    // Taken while it lives.
    let e = kv.create("leader", "node-2").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongLastSequence);
    // Gone after its TTL: create succeeds again.
    let mut gone = false;
    for _ in 0..60 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if kv.get("leader").await.is_err() {
            gone = true;
            break;
        }
    }
    assert!(gone, "the key expired");
    assert_eq!(
        kv.get("leader").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    kv.create("leader", "node-2").await.unwrap();

    let mut bad = KvConfig::new("x");
    bad.limit_marker_ttl = Some(Duration::from_millis(10));
    let e = c.create_key_value(bad).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}

#[tokio::test]
async fn a_sealed_object_store_refuses_writes_and_keeps_its_objects() {
    let srv = server();
    let c = connect(&srv).await;
    let mut cfg = ObjectStoreConfig::new("archive");
    cfg.description = Some("old files".into());
    let os = c.create_object_store(cfg).await.unwrap();
    os.put_bytes("a", "kept").await.unwrap();
    let status = os.status().await.unwrap();
    assert!(!status.sealed);
    assert_eq!(status.config.description.as_deref(), Some("old files"));

    let sealed = os.seal().await.unwrap();
    assert!(sealed.sealed);
    assert!(c.object_store_status("archive").await.unwrap().sealed);
    assert_eq!(os.get_bytes("a").await.unwrap(), "kept");
    assert!(
        os.put_bytes("b", "new").await.is_err(),
        "a sealed store refuses writes"
    );
    assert!(os.delete("a").await.is_err(), "and deletes");
    assert_eq!(os.get_bytes("a").await.unwrap(), "kept");
}
