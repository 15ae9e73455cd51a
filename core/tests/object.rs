//! Object stores against a real server: a multi-chunk object round-trips
//! streamed, info/list/delete, replacing an object purges the old chunks,
//! and a corrupted object is an error, never data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bytes::Bytes;
use jetbridge::{DEFAULT_CHUNK_SIZE, ErrorKind, ObjectStoreConfig, PublishMessage};
use support::*;

fn data(n: usize) -> Bytes {
    (0..n)
        .map(|i| (i * 31 % 251) as u8)
        .collect::<Vec<_>>()
        .into()
}

#[tokio::test]
async fn objects_round_trip_in_chunks_and_corruption_is_an_error() {
    let srv = server();
    let c = connect(&srv).await;
    let os = c
        .create_object_store(ObjectStoreConfig::new("files"))
        .await
        .unwrap();
    // 2.5 chunks, read back chunk by chunk.
    let big = data(DEFAULT_CHUNK_SIZE * 5 / 2);
    let info = os
        .put("reports/q3.pdf", Some("Q3"), &big[..])
        .await
        .unwrap();
    assert_eq!((info.size, info.chunks), (big.len() as u64, 3));
    assert!(info.digest.starts_with("SHA-256="));
    let reader = os.get("reports/q3.pdf").await.unwrap();
    let mut sizes = Vec::new();
    let mut back = Vec::new();
    while let Some(chunk) = reader.next_chunk().await.unwrap() {
        sizes.push(chunk.len());
        back.extend_from_slice(&chunk);
    }
    assert_eq!(
        sizes,
        [
            DEFAULT_CHUNK_SIZE,
            DEFAULT_CHUNK_SIZE,
            DEFAULT_CHUNK_SIZE / 2
        ]
    );
    assert_eq!(Bytes::from(back), big);
    // Empty objects exist too.
    os.put_bytes("empty", Bytes::new()).await.unwrap();
    assert!(os.get_bytes("empty").await.unwrap().is_empty());
    // Replacing keeps one version: the old chunks are purged.
    let before = c.stream_info("OBJ_files").await.unwrap().state.messages;
    os.put_bytes("reports/q3.pdf", data(10)).await.unwrap();
    assert_eq!(os.get_bytes("reports/q3.pdf").await.unwrap(), data(10));
    let after = c.stream_info("OBJ_files").await.unwrap().state.messages;
    assert_eq!(
        after,
        before - 3 + 1,
        "old chunks purged, one new chunk, info rolled up"
    );
    let mut names: Vec<_> = os
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    names.sort();
    assert_eq!(names, ["empty", "reports/q3.pdf"]);
    // Delete: NOT_FOUND afterwards, gone from the list.
    os.delete("empty").await.unwrap();
    assert_eq!(
        os.info("empty").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(os.list().await.unwrap().len(), 1);
    // Corruption: the info's digest does not match the stored chunks, or it
    // counts more chunks than are stored. Both are errors, never data.
    let info = os.info("reports/q3.pdf").await.unwrap();
    // The meta subject's last token is base64url("reports/q3.pdf").
    let subject = "$O.files.M.cmVwb3J0cy9xMy5wZGY=".to_string();
    let forge = |patch: serde_json::Value| {
        let mut v = serde_json::to_value(&info).unwrap();
        for (k, val) in patch.as_object().unwrap() {
            v[k] = val.clone();
        }
        let mut m = PublishMessage::new(subject.clone(), serde_json::to_vec(&v).unwrap());
        m.headers.push(("Nats-Rollup".into(), "sub".into()));
        m
    };
    let other = os.put_bytes("other", data(11)).await.unwrap();
    c.publish(forge(serde_json::json!({"digest": other.digest})))
        .await
        .unwrap();
    let e = os.get_bytes("reports/q3.pdf").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server, "{e}");
    assert!(e.message().contains("digest"), "{e}");
    c.publish(forge(serde_json::json!({"chunks": 2, "size": 20})))
        .await
        .unwrap();
    let e = os.get_bytes("reports/q3.pdf").await.unwrap_err();
    assert!(e.message().contains("only 1 of 2 chunks"), "{e}");
    assert_eq!(
        os.get("nope").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    c.delete_object_store("files").await.unwrap();
}

#[tokio::test]
async fn a_writer_takes_pieces_of_any_size_and_an_aborted_one_leaves_nothing() {
    let srv = server();
    let c = connect(&srv).await;
    let os = c
        .create_object_store(ObjectStoreConfig::new("pieces"))
        .await
        .unwrap();
    os.put_bytes("doc", data(5)).await.unwrap();
    let messages_before = c.stream_info("OBJ_pieces").await.unwrap().state.messages;

    // 2.5 chunks written 1000 bytes at a time: the same chunks as a put.
    let big = data(DEFAULT_CHUNK_SIZE * 5 / 2);
    let w = os.writer("doc", Some("pieces")).unwrap();
    for piece in big.chunks(1000) {
        w.write(piece).await.unwrap();
    }
    // Until finish, readers see the previous version.
    assert_eq!(os.get_bytes("doc").await.unwrap(), data(5));
    let info = w.finish().await.unwrap();
    assert_eq!((info.size, info.chunks), (big.len() as u64, 3));
    assert_eq!(info.description.as_deref(), Some("pieces"));
    assert_eq!(os.get_bytes("doc").await.unwrap(), big);
    let e = w.write(b"more").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Closed, "{e}");
    assert_eq!(w.finish().await.unwrap_err().kind(), ErrorKind::Closed);

    // Aborted after two whole chunks: the object stays as it was and the
    // aborted chunks are gone.
    let before = c.stream_info("OBJ_pieces").await.unwrap().state.messages;
    let w = os.writer("doc", None).unwrap();
    w.write(&data(DEFAULT_CHUNK_SIZE * 2)).await.unwrap();
    w.abort().await;
    assert_eq!(os.get_bytes("doc").await.unwrap(), big);
    assert_eq!(
        c.stream_info("OBJ_pieces").await.unwrap().state.messages,
        before
    );
    assert!(before > messages_before, "the finished version is stored");

    // Dropped unfinished: the same, in the background.
    let w = os.writer("other", None).unwrap();
    w.write(&data(DEFAULT_CHUNK_SIZE + 1)).await.unwrap();
    drop(w);
    let mut left = u64::MAX;
    for _ in 0..50 {
        left = c.stream_info("OBJ_pieces").await.unwrap().state.messages;
        if left == before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(left, before, "a dropped writer's chunks are purged");
    assert_eq!(
        os.info("other").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert!(matches!(os.writer("", None), Err(e) if e.kind() == ErrorKind::InvalidArgument));
}

#[tokio::test]
async fn an_object_reads_through_tokio_async_read_and_as_a_stream() {
    use futures::StreamExt;
    use tokio::io::AsyncReadExt;

    let srv = server();
    let c = connect(&srv).await;
    let os = c
        .create_object_store(ObjectStoreConfig::new("rusty"))
        .await
        .unwrap();
    let big = data(DEFAULT_CHUNK_SIZE * 2 + 17);
    os.put("big", None, &big[..]).await.unwrap();

    // AsyncRead in small reads, as tokio::io::copy would do.
    let mut r = os.get("big").await.unwrap().into_async_read();
    assert_eq!(r.info().size, big.len() as u64);
    let mut back = Vec::new();
    let mut buf = [0u8; 5000];
    loop {
        let n = r.read(&mut buf).await.unwrap();
        if n == 0 {
            break;
        }
        back.extend_from_slice(&buf[..n]);
    }
    assert_eq!(Bytes::from(back), big);

    // A Stream of whole chunks.
    let chunks: Vec<Bytes> = os
        .get("big")
        .await
        .unwrap()
        .into_stream()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(chunks.len(), 3);
    assert_eq!(chunks.concat(), big.to_vec());

    // A corrupted object is an io::Error wrapping the core's SERVER error,
    // on this read and the next ones; never data.
    let stream_name = "OBJ_rusty";
    let first_chunk = c
        .get_messages(stream_name, jetbridge::GetMessagesOptions::default())
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.subject.contains(".C."))
        .unwrap();
    c.delete_message(stream_name, first_chunk.sequence, false)
        .await
        .unwrap();
    let mut r = os.get("big").await.unwrap().into_async_read();
    let mut sink = Vec::new();
    let e = r.read_to_end(&mut sink).await.unwrap_err();
    let core = e
        .get_ref()
        .and_then(|e| e.downcast_ref::<jetbridge::Error>());
    assert_eq!(
        core.map(jetbridge::Error::kind),
        Some(ErrorKind::Server),
        "{e}"
    );
    assert!(r.read(&mut buf).await.is_err(), "still an error");
}
