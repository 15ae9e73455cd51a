//! `update_stream` never strips what JetBridge does not model: a stream made by
//! another client (raw JetStream API, as the nats CLI, Terraform or the
//! Kubernetes operator make them) with sources, republish, a subject transform,
//! metadata, compression and `allow_direct` keeps all of it when JetBridge
//! updates one field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use jetbridge::{ErrorKind, StreamConfig};
use serde_json::{Value, json};
use support::*;

/// A JetStream API request from a plain NATS client, as another tool sends it.
async fn raw_api(nc: &async_nats::Client, suffix: &str, body: Value) -> Value {
    let reply = nc
        .request(format!("$JS.API.{suffix}"), body.to_string().into())
        .await
        .expect("API request");
    let v: Value = serde_json::from_slice(&reply.payload).expect("JSON reply");
    assert!(v.get("error").is_none(), "{suffix}: {v}");
    v
}

#[tokio::test]
async fn update_keeps_every_setting_it_does_not_name() {
    let srv = server();
    let nc = async_nats::connect(srv.url()).await.unwrap();
    raw_api(
        &nc,
        "STREAM.CREATE.ORIGIN",
        json!({"name": "ORIGIN", "subjects": ["origin.>"]}),
    )
    .await;
    let made = raw_api(
        &nc,
        "STREAM.CREATE.ORDERS",
        json!({
            "name": "ORDERS",
            "subjects": ["orders.>"],
            "sources": [{"name": "ORIGIN", "filter_subject": "origin.eu.>"}],
            "republish": {"src": "orders.>", "dest": "audit.orders.>"},
            "subject_transform": {"src": "orders.>", "dest": "orders.v2.>"},
            "metadata": {"owner": "terraform", "team": "payments"},
            "compression": "s2",
            "allow_direct": true,
            "allow_rollup_hdrs": true,
            "deny_delete": true,
        }),
    )
    .await;

    let client = connect(&srv).await;
    let mut changed = StreamConfig::new("ORDERS", ["orders.>"]);
    changed.max_msgs = 1000;
    let info = client.update_stream(changed).await.unwrap();
    assert_eq!(info.config.max_msgs, 1000);

    let after = raw_api(&nc, "STREAM.INFO.ORDERS", json!(null)).await;
    let mut expected = made["config"].clone();
    expected["max_msgs"] = json!(1000);
    assert_eq!(after["config"], expected, "only max_msgs may differ");
}

#[tokio::test]
async fn updating_a_missing_stream_is_not_found() {
    let srv = server();
    let client = connect(&srv).await;
    let err = client
        .update_stream(StreamConfig::new("NOPE", ["nope.>"]))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}
