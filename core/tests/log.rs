//! The core's log against a real server: a client with a token in its URL
//! logs its connect, the server's restart (disconnected, reconnected), a
//! consumer's health transitions and its close, at the most verbose level,
//! and no record ever holds the token.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jetbridge::{
    Client, ConsumerConfig, LogLevel, MessagesOptions, Named, PublishMessage, set_log_sink,
};
use jetbridge_harness::{AuthMode, ServerCert};
use support::*;

#[tokio::test]
async fn connection_and_consumer_events_are_logged_without_secrets() {
    let mut srv = Server::start_with(
        ServerOptions::default()
            .auth(AuthMode::Token)
            .server_cert(ServerCert::Valid),
    )
    .unwrap();
    let token = srv.credentials().token.clone().unwrap();
    let records = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = records.clone();
    set_log_sink(LogLevel::Debug, move |r| {
        let line = format!("{} {} {}", r.level.name(), r.topic, r.message);
        sink.lock().unwrap().push(line);
    });
    let url = srv.url().replace("nats://", &format!("nats://{token}@"));
    let port = srv.port().to_string();
    let mine = move |line: &String| line.contains(&port) || line.contains("LOG/log");
    let c = Client::connect(options([url])).await.unwrap();
    stream(&c, "LOG", &["log"]).await;
    c.publish(PublishMessage::new("log", "x")).await.unwrap();
    let con = c
        .create_consumer("LOG", ConsumerConfig::durable("log"))
        .await
        .unwrap();
    let s = con.messages(MessagesOptions::default()).await.unwrap();
    s.next().await.unwrap().ack().unwrap();
    srv.restart().unwrap();
    let logged = |what: &'static str| {
        let records = records.clone();
        let mine = mine.clone();
        async move {
            records
                .lock()
                .unwrap()
                .iter()
                .any(|l| mine(l) && l.contains(what))
        }
    };
    assert!(eventually(Duration::from_secs(30), || logged("reconnected")).await);
    s.stop();
    c.close().await.unwrap();
    assert!(eventually(Duration::from_secs(10), || logged("closed")).await);
    let records = records.lock().unwrap().clone();
    let mine: Vec<&String> = records.iter().filter(|l| mine(l)).collect();
    for expected in [
        "info connection",
        "connected",
        "warn connection",
        "disconnected; reconnecting",
        "info consumer LOG/log: active",
    ] {
        assert!(
            mine.iter().any(|l| l.contains(expected)),
            "no record with {expected:?} in {mine:#?}"
        );
    }
    assert!(
        records.iter().all(|l| !l.contains(&token)),
        "a record holds the token"
    );
    assert!(mine.iter().any(|l| l.contains("[REDACTED]")));
}

#[tokio::test]
async fn connection_events_arrive_as_a_stream_that_ends_with_closed() {
    use futures::StreamExt;
    let mut srv = server();
    let c = connect(&srv).await;
    let mut events = c.events();
    srv.restart().unwrap();
    let mut seen = Vec::new();
    let until_reconnected = async {
        while let Some(e) = events.next().await {
            seen.push(e.clone());
            if e == jetbridge::ConnectionEvent::Reconnected {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), until_reconnected)
        .await
        .expect("reconnected in time");
    assert_eq!(
        seen.first(),
        Some(&jetbridge::ConnectionEvent::Disconnected)
    );
    c.close().await.unwrap();
    let rest: Vec<_> = tokio::time::timeout(Duration::from_secs(10), events.collect())
        .await
        .expect("the stream ends after Closed");
    assert_eq!(rest.last(), Some(&jetbridge::ConnectionEvent::Closed));
}

#[tokio::test]
async fn events_of_a_closed_client_end_at_once() {
    use futures::StreamExt;
    let srv = server();
    let c = connect(&srv).await;
    c.close().await.unwrap();
    let after: Vec<_> = tokio::time::timeout(Duration::from_secs(5), c.events().collect())
        .await
        .expect("a listener made after close ends at once");
    assert!(after.is_empty(), "{after:?}");
}
