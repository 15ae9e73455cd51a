//! Listing streams and consumers (the server pages them; these calls read
//! every page), deleting one message, and the account's usage and limits.

use serde::Deserialize;

use crate::client::{Client, ClientInner};
use crate::consumer_config::{ConsumerInfo, WireConsumerInfo};
use crate::error::{Error, ErrorKind, Result};
use crate::stream::{StreamInfo, Success};
use crate::{runtime, validate};

/// At most this many pages are read by one listing call: far above any real
/// account (the server pages 256 streams or consumers at a time), a bound so a
/// server that keeps changing its total cannot keep a call going forever.
const MAX_PAGES: usize = 10_000;

crate::record::record! {
    /// What the account uses and may use in JetStream, as the server reports
    /// it. A limit of -1 means unlimited.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct AccountInfo {
        /// Bytes stored in memory.
        pub memory: u64,
        /// Bytes stored on disk.
        pub storage: u64,
        /// Streams in the account.
        pub streams: u64,
        /// Consumers in the account.
        pub consumers: u64,
        /// Most bytes in memory (-1: unlimited).
        pub max_memory: i64,
        /// Most bytes on disk (-1: unlimited).
        pub max_storage: i64,
        /// Most streams (-1: unlimited).
        pub max_streams: i64,
        /// Most consumers (-1: unlimited).
        pub max_consumers: i64,
        /// JetStream API requests the account made.
        pub api_total: u64,
        /// JetStream API requests that failed.
        pub api_errors: u64,
    }
}

#[derive(Deserialize)]
struct Page<T> {
    #[serde(default)]
    total: usize,
    #[serde(default)]
    limit: usize,
    #[serde(default = "Vec::new", alias = "streams", alias = "consumers")]
    items: Vec<T>,
}

#[derive(Deserialize, Default)]
struct WireAccountInfo {
    #[serde(default)]
    memory: u64,
    #[serde(default)]
    storage: u64,
    #[serde(default)]
    streams: u64,
    #[serde(default)]
    consumers: u64,
    #[serde(default)]
    limits: WireLimits,
    #[serde(default)]
    api: WireApiStats,
}

#[derive(Deserialize, Default)]
struct WireLimits {
    #[serde(default)]
    max_memory: i64,
    #[serde(default)]
    max_storage: i64,
    #[serde(default)]
    max_streams: i64,
    #[serde(default)]
    max_consumers: i64,
}

#[derive(Deserialize, Default)]
struct WireApiStats {
    #[serde(default)]
    total: u64,
    #[serde(default)]
    errors: u64,
}

impl Client {
    /// Every stream of the account, in the server's order (by name); with
    /// `subject`, only those whose subjects overlap it (wildcards allowed).
    /// The server's listing leaves out a few things `stream_info` has (the
    /// cluster leader, some `_nats.*` metadata keys).
    pub async fn list_streams(&self, subject: Option<&str>) -> Result<Vec<StreamInfo>> {
        if let Some(s) = subject {
            validate::subject("subject", s)?;
        }
        let (inner, subject) = (self.inner.clone(), subject.map(str::to_string));
        runtime::run(async move {
            inner
                .pages("STREAM.LIST", |offset| match &subject {
                    Some(s) => serde_json::json!({ "offset": offset, "subject": s }),
                    None => serde_json::json!({ "offset": offset }),
                })
                .await
        })
        .await
    }

    /// Every consumer of `stream` (`NOT_FOUND` if the stream does not exist).
    pub async fn list_consumers(&self, stream: &str) -> Result<Vec<ConsumerInfo>> {
        validate::token("stream name", stream)?;
        let (inner, subject) = (self.inner.clone(), format!("CONSUMER.LIST.{stream}"));
        runtime::run(async move {
            let wire: Vec<WireConsumerInfo> = inner
                .pages(&subject, |offset| serde_json::json!({ "offset": offset }))
                .await?;
            Ok(wire.into_iter().map(ConsumerInfo::from).collect())
        })
        .await
    }

    /// Deletes the message at `sequence` from `stream`. With `erase`, its
    /// bytes are overwritten on disk too (secure erase; slower). A sequence
    /// that holds no message is `NOT_FOUND`; a stream with `deny_delete`
    /// refuses with `SERVER` ("message delete not permitted").
    pub async fn delete_message(&self, stream: &str, sequence: u64, erase: bool) -> Result<()> {
        validate::token("stream name", stream)?;
        if sequence == 0 {
            return Err(Error::invalid("sequence", "must be at least 1"));
        }
        let (inner, subject) = (self.inner.clone(), format!("STREAM.MSG.DELETE.{stream}"));
        let body = serde_json::json!({ "seq": sequence, "no_erase": !erase });
        runtime::run(async move {
            let reply: Success = inner
                .api_request(&subject, &body)
                .await
                .map_err(missing_sequence_is_not_found)?;
            if reply.success {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorKind::Server,
                    format!("the server did not confirm deleting message {sequence}"),
                ))
            }
        })
        .await
    }

    /// The account's JetStream usage and limits.
    pub async fn account_info(&self) -> Result<AccountInfo> {
        let inner = self.inner.clone();
        runtime::run(async move {
            let w: WireAccountInfo = inner.api_request("INFO", "").await?;
            Ok(AccountInfo {
                memory: w.memory,
                storage: w.storage,
                streams: w.streams,
                consumers: w.consumers,
                max_memory: w.limits.max_memory,
                max_storage: w.limits.max_storage,
                max_streams: w.limits.max_streams,
                max_consumers: w.limits.max_consumers,
                api_total: w.api.total,
                api_errors: w.api.errors,
            })
        })
        .await
    }
}

/// The server answers a delete of a sequence that holds no message with a
/// generic code: "message delete failed" (10043) with "sequence N not
/// found", or, past the last sequence of a file stream, the general error
/// (10057) with "stream store EOF". Both are `NOT_FOUND`, like a missing
/// stream.
fn missing_sequence_is_not_found(e: Error) -> Error {
    let missing = match e.api_code() {
        Some(10043) => e.message().contains("not found"),
        Some(10057) => e.message().contains("EOF"),
        _ => false,
    };
    match (missing, e.api_code()) {
        (true, Some(code)) => Error::new(ErrorKind::NotFound, e.message()).with_api_code(code),
        _ => e,
    }
}

impl ClientInner {
    /// Reads every page of a JetStream list API (`STREAM.LIST`,
    /// `CONSUMER.LIST.<stream>`): requests with `body(offset)` until the
    /// server's total is reached or a page comes back empty.
    async fn pages<T, F>(&self, subject: &str, body: F) -> Result<Vec<T>>
    where
        T: serde::de::DeserializeOwned,
        F: Fn(usize) -> serde_json::Value,
    {
        let mut all = Vec::new();
        for _ in 0..MAX_PAGES {
            let page: Page<T> = self.api_request(subject, &body(all.len())).await?;
            let (total, limit, got) = (page.total, page.limit, page.items.len());
            all.extend(page.items);
            if got == 0 || all.len() >= total || (limit > 0 && got < limit) {
                return Ok(all);
            }
        }
        Err(Error::new(
            ErrorKind::Server,
            format!("{subject}: more than {MAX_PAGES} pages"),
        ))
    }
}
