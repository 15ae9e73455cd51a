//! Core NATS on the JetBridge connection: request-reply between two clients,
//! a queue group sharing messages, headers, and typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use bytes::Bytes;
use jetbridge::ErrorKind;
use support::*;

#[tokio::test]
async fn request_reply_and_queue_groups_on_the_same_client() {
    let srv = server();
    let service = connect(&srv).await;
    let caller = connect(&srv).await;
    // A responder that echoes the payload in upper case, with a header.
    let sub = service
        .core_subscribe("svc.upper", Some("workers"))
        .await
        .unwrap();
    let responder = {
        let service = service.clone();
        tokio::spawn(async move {
            for _ in 0..3 {
                let m = sub
                    .next(Duration::from_secs(10))
                    .await
                    .unwrap()
                    .expect("a request");
                assert!(m.reply.is_some(), "a request carries a reply subject");
                let upper = Bytes::from(String::from_utf8_lossy(&m.payload).to_uppercase());
                let headers = vec![("Handled-By".to_string(), "svc".to_string())];
                service.core_respond(&m, upper, &headers).await.unwrap();
            }
        })
    };
    for word in ["a", "bc", "def"] {
        let r = caller
            .core_request("svc.upper", Bytes::from(word), &[], Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(r.payload, word.to_uppercase().as_bytes());
        assert_eq!(
            r.headers,
            vec![("Handled-By".to_string(), "svc".to_string())]
        );
    }
    responder.await.unwrap();
    // Nobody listens: NO_RESPONDERS, at once.
    let e = caller
        .core_request("svc.none", Bytes::from("x"), &[], Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoResponders, "{e}");
    // Queue group: two members share 100 messages, each message to one.
    let q1 = service.core_subscribe("work.*", Some("q")).await.unwrap();
    let q2 = caller.core_subscribe("work.*", Some("q")).await.unwrap();
    let plain = caller.core_subscribe("work.>", None).await.unwrap();
    for i in 0..100 {
        caller
            .core_publish(&format!("work.{i}"), Bytes::from("w"), &[], None)
            .await
            .unwrap();
    }
    let mut counts = [0usize; 3];
    for (n, s) in [&q1, &q2, &plain].into_iter().enumerate() {
        while let Some(_m) = s.next(Duration::from_millis(500)).await.unwrap() {
            counts[n] += 1;
        }
    }
    assert_eq!(counts[0] + counts[1], 100, "{counts:?}");
    assert_eq!(counts[2], 100);
    // A message without a reply subject cannot be answered.
    let q3 = service.core_subscribe("plain.msg", None).await.unwrap();
    caller
        .core_publish("plain.msg", Bytes::from("p"), &[], None)
        .await
        .unwrap();
    let m = q3.next(Duration::from_secs(5)).await.unwrap().unwrap();
    let e = service
        .core_respond(&m, Bytes::new(), &[])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.to_string().contains("no reply subject"), "{e}");
    // Bad input is INVALID_ARGUMENT naming what is wrong.
    let e = caller
        .core_publish("a b", Bytes::new(), &[], None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = caller
        .core_subscribe("work.*", Some("bad queue"))
        .await
        .unwrap_err();
    assert!(e.message().contains("queue group"), "{e}");
}

#[tokio::test]
async fn unsubscribe_ends_a_next_waiting_in_another_task() {
    let srv = server();
    let c = connect(&srv).await;
    let sub = std::sync::Arc::new(c.core_subscribe("quiet.>", None).await.unwrap());
    let waiting = {
        let sub = sub.clone();
        tokio::spawn(async move { sub.next(Duration::from_secs(30)).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    sub.unsubscribe().await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the waiting next ended at once")
        .unwrap();
    assert_eq!(got.unwrap_err().kind(), ErrorKind::Closed);
    sub.unsubscribe().await.unwrap();
    assert_eq!(
        sub.next(Duration::from_millis(10))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Closed
    );
}
