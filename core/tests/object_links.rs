//! Object-store links, meta updates, watches and the `AsyncWrite` form,
//! against a real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use bytes::Bytes;
use jetbridge::{
    DEFAULT_CHUNK_SIZE, ErrorKind, ObjectMeta, ObjectStoreConfig, ObjectWatchEvent,
    ObjectWatchOptions,
};
use support::*;
use tokio::io::AsyncWriteExt;

fn data(n: usize) -> Bytes {
    (0..n).map(|i| (i % 251) as u8).collect::<Vec<_>>().into()
}

#[tokio::test]
async fn links_read_their_target_and_refuse_what_cannot_be_linked() {
    let srv = server();
    let c = connect(&srv).await;
    let docs = c
        .create_object_store(ObjectStoreConfig::new("docs"))
        .await
        .unwrap();
    let other = c
        .create_object_store(ObjectStoreConfig::new("other"))
        .await
        .unwrap();
    let target = other
        .put_bytes("report", data(DEFAULT_CHUNK_SIZE + 7))
        .await
        .unwrap();

    // A link to an object of another store reads that object.
    let link = docs.add_link("latest", &target).await.unwrap();
    let to = link.link.clone().unwrap();
    assert_eq!(
        (to.bucket.as_str(), to.name.as_deref()),
        ("other", Some("report"))
    );
    assert_eq!(
        docs.get_bytes("latest").await.unwrap(),
        data(DEFAULT_CHUNK_SIZE + 7)
    );
    assert_eq!(docs.info("latest").await.unwrap().link, Some(to));
    // A link to a whole store has no content.
    docs.add_bucket_link("all", "other").await.unwrap();
    let e = docs.get("all").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("\"other\""), "{e}");
    // Links are listed; deleting one leaves its target.
    let names: Vec<String> = docs
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    docs.delete("latest").await.unwrap();
    assert_eq!(
        other.get_bytes("report").await.unwrap().len(),
        DEFAULT_CHUNK_SIZE + 7
    );
    // What cannot be linked.
    let a_link = docs.info("all").await.unwrap();
    let e = docs.add_link("x", &a_link).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    docs.put_bytes("plain", data(3)).await.unwrap();
    let e = docs.add_link("plain", &target).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AlreadyExists, "{e}");
    let plain = docs.info("plain").await.unwrap();
    docs.delete("plain").await.unwrap();
    let mut deleted = plain.clone();
    deleted.deleted = true;
    let e = docs.add_link("y", &deleted).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}

#[tokio::test]
async fn update_meta_renames_and_describes_without_touching_content() {
    let srv = server();
    let c = connect(&srv).await;
    let os = c
        .create_object_store(ObjectStoreConfig::new("meta"))
        .await
        .unwrap();
    let put = os.put_bytes("a", data(1000)).await.unwrap();
    os.put_bytes("taken", data(1)).await.unwrap();
    let meta = |name: &str| ObjectMeta {
        name: name.into(),
        description: Some("renamed".into()),
        metadata: BTreeMap::from([("owner".to_string(), "ops".to_string())]),
    };
    let e = os.update_meta("a", meta("taken")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AlreadyExists, "{e}");
    let info = os.update_meta("a", meta("b")).await.unwrap();
    assert_eq!(
        (info.name.as_str(), info.nuid.as_str()),
        ("b", put.nuid.as_str())
    );
    assert_eq!(os.info("a").await.unwrap_err().kind(), ErrorKind::NotFound);
    let read = os.info("b").await.unwrap();
    assert_eq!(read.description.as_deref(), Some("renamed"));
    assert_eq!(read.metadata.get("owner").map(String::as_str), Some("ops"));
    assert_eq!(os.get_bytes("b").await.unwrap(), data(1000));
    let e = os.update_meta("missing", meta("c")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

#[tokio::test]
async fn a_store_watch_gives_infos_then_caught_up_then_changes() {
    let srv = server();
    let c = connect(&srv).await;
    let os = c
        .create_object_store(ObjectStoreConfig::new("watched"))
        .await
        .unwrap();
    os.put_bytes("one", data(10)).await.unwrap();
    os.put_bytes("two", data(20)).await.unwrap();
    os.delete("two").await.unwrap();
    let options = ObjectWatchOptions {
        ignore_deletes: true,
        ..ObjectWatchOptions::default()
    };
    let w = os.watch(options).await.unwrap();
    let first = w.next().await.unwrap();
    assert!(
        matches!(&first, ObjectWatchEvent::Info(i) if i.name == "one"),
        "{first:?}"
    );
    assert_eq!(w.next().await.unwrap(), ObjectWatchEvent::CaughtUp);
    os.put_bytes("three", data(30)).await.unwrap();
    match w.next().await.unwrap() {
        ObjectWatchEvent::Info(i) => assert_eq!((i.name.as_str(), i.size), ("three", 30)),
        other => panic!("{other:?}"),
    }
    // An empty store's watch is caught up at once.
    let empty = c
        .create_object_store(ObjectStoreConfig::new("empty"))
        .await
        .unwrap();
    let w = empty.watch(ObjectWatchOptions::default()).await.unwrap();
    assert_eq!(w.next().await.unwrap(), ObjectWatchEvent::CaughtUp);
}

#[tokio::test]
async fn async_write_stores_on_shutdown_and_a_dropped_one_leaves_nothing() {
    let srv = server();
    let c = connect(&srv).await;
    let os = c
        .create_object_store(ObjectStoreConfig::new("aw"))
        .await
        .unwrap();
    let content = data(DEFAULT_CHUNK_SIZE * 2 + 5);
    let mut w = os.writer("copied", None).unwrap().into_async_write();
    tokio::io::copy(&mut &content[..], &mut w).await.unwrap();
    assert_eq!(
        os.info("copied").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    w.shutdown().await.unwrap();
    assert_eq!(w.info().unwrap().size, content.len() as u64);
    assert_eq!(os.get_bytes("copied").await.unwrap(), content);
    let e = w.write_all(b"more").await.unwrap_err();
    assert!(e.to_string().contains("closed"), "{e}");
    // Dropped before shutdown: never visible.
    let mut dropped = os.writer("dropped", None).unwrap().into_async_write();
    dropped.write_all(&content).await.unwrap();
    dropped.flush().await.unwrap();
    drop(dropped);
    assert_eq!(
        os.info("dropped").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}
