//! Durable consumers: create, update, bind, info, list, delete, pause,
//! resume, unpin, and `fetch`.

use jetbridge::{ConsumerConfig, ConsumerInfo, SequencePair};
use napi::Env;
use napi::bindgen_prelude::{BigInt, Object, PromiseRaw};

use crate::cancel::{NativeCancel, cancellable};
use crate::client::NativeClient;
use crate::convert::{big, num, record, record_to_js, time};
use crate::message::NativeBatch;
use crate::runtime::promise;
use crate::stream::NativeClusterInfo;

/// Delivery progress.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeSequencePair {
    /// Consumer sequence.
    pub consumer_sequence: f64,
    /// Stream sequence.
    pub stream_sequence: f64,
}

/// A consumer's configuration and progress (its lag is `numPending`).
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeConsumerInfo {
    /// Stream read.
    pub stream: String,
    /// Consumer name.
    pub name: String,
    /// Configuration with server defaults filled in (a `ConsumerConfig`).
    pub config: serde_json::Value,
    /// Creation time, Unix nanoseconds.
    pub created_nanos: BigInt,
    /// Last delivered.
    pub delivered: NativeSequencePair,
    /// Everything up to here is acked.
    pub ack_floor: NativeSequencePair,
    /// Delivered, not yet acked.
    pub num_ack_pending: f64,
    /// Redelivered and still pending.
    pub num_redelivered: f64,
    /// Pull requests waiting.
    pub num_waiting: f64,
    /// Not yet delivered (the lag).
    pub num_pending: f64,
    /// Cluster placement.
    pub cluster: Option<NativeClusterInfo>,
}

fn pair(p: SequencePair) -> NativeSequencePair {
    NativeSequencePair {
        consumer_sequence: num(p.consumer_seq),
        stream_sequence: num(p.stream_seq),
    }
}

pub(crate) fn consumer_info(i: ConsumerInfo) -> NativeConsumerInfo {
    NativeConsumerInfo {
        config: record_to_js(&i.config),
        stream: i.stream,
        name: i.name,
        created_nanos: big(i.created),
        delivered: pair(i.delivered),
        ack_floor: pair(i.ack_floor),
        num_ack_pending: num(i.num_ack_pending),
        num_redelivered: num(i.num_redelivered),
        num_waiting: num(i.num_waiting),
        num_pending: num(i.num_pending),
        cluster: i.cluster.map(|c| NativeClusterInfo { leader: c.leader }),
    }
}

/// A handle to one consumer of one stream (a core `Consumer`).
#[napi_derive::napi]
pub struct NativeConsumer {
    pub(crate) inner: jetbridge::Consumer,
}

fn wrap(inner: jetbridge::Consumer) -> napi::Result<NativeConsumer> {
    Ok(NativeConsumer { inner })
}

#[napi_derive::napi]
impl NativeClient {
    /// Creates a consumer (same config again: it; different: `ALREADY_EXISTS`).
    #[napi]
    pub fn create_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config: ConsumerConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.create_consumer(&stream, config).await },
            |_, c| wrap(c),
        )
    }

    /// Changes an existing durable consumer (`NOT_FOUND` if missing).
    #[napi]
    pub fn update_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config: ConsumerConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.update_consumer(&stream, config).await },
            |_, c| wrap(c),
        )
    }

    /// Creates the consumer, or binds to it when it exists with the same
    /// configuration (different: `CONFIG_MISMATCH`).
    #[napi]
    pub fn get_or_create_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config: ConsumerConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.get_or_create_consumer(&stream, config).await },
            |_, c| wrap(c),
        )
    }

    /// Binds to an existing consumer; with `expected`, any differing set
    /// field is `CONFIG_MISMATCH`.
    #[napi]
    pub fn bind_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        name: String,
        expected: Option<Object<'_>>,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let expected: Option<ConsumerConfig> = expected
            .map(|e| record(env, Some(e), "config"))
            .transpose()?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.bind_consumer(&stream, &name, expected).await },
            |_, c| wrap(c),
        )
    }

    /// A consumer's configuration and progress.
    #[napi]
    pub fn consumer_info<'env>(
        &self,
        env: &'env Env,
        stream: String,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumerInfo>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.consumer_info(&stream, &name).await },
            |_, i| Ok(consumer_info(i)),
        )
    }

    /// Every consumer of a stream (`NOT_FOUND` if the stream does not exist).
    #[napi]
    pub fn list_consumers<'env>(
        &self,
        env: &'env Env,
        stream: String,
    ) -> napi::Result<PromiseRaw<'env, Vec<NativeConsumerInfo>>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.list_consumers(&stream).await },
            |_, infos| Ok(infos.into_iter().map(consumer_info).collect()),
        )
    }

    /// Deletes a consumer.
    #[napi]
    pub fn delete_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.delete_consumer(&stream, &name).await },
            |_, ()| Ok(()),
        )
    }

    /// Pauses a consumer until `until` (a `Date`'s RFC 3339 text): it
    /// delivers nothing before then. Resolves with its state (a
    /// `ConsumerPauseState`); a time in the past is `INVALID_ARGUMENT`, a
    /// server older than 2.11 `SERVER_TOO_OLD`.
    #[napi]
    pub fn pause_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        name: String,
        until: String,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let until = time("until", until);
        let client = self.inner.clone();
        promise(
            env,
            async move { client.pause_consumer(&stream, &name, until?).await },
            |_, s| Ok(record_to_js(&s)),
        )
    }

    /// Resumes a paused consumer at once; resolves with its state (a
    /// `ConsumerPauseState`).
    #[napi]
    pub fn resume_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.resume_consumer(&stream, &name).await },
            |_, s| Ok(record_to_js(&s)),
        )
    }

    /// Unpins the client pinned in a priority group of a `pinned_client`
    /// consumer (a group it does not have is `INVALID_ARGUMENT`).
    #[napi]
    pub fn unpin_consumer<'env>(
        &self,
        env: &'env Env,
        stream: String,
        name: String,
        group: String,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.unpin_consumer(&stream, &name, &group).await },
            |_, ()| Ok(()),
        )
    }
}

#[napi_derive::napi]
impl NativeConsumer {
    /// The stream this consumer reads.
    #[napi(getter)]
    pub fn stream(&self) -> String {
        self.inner.stream().to_string()
    }

    /// The consumer's name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.inner.name().to_string()
    }

    /// The configuration the server reported when this handle was made.
    #[napi(getter)]
    pub fn config(&self) -> serde_json::Value {
        record_to_js(&self.inner.config())
    }

    /// Current configuration and progress (lag: `numPending`, `numAckPending`).
    #[napi]
    pub fn info<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, NativeConsumerInfo>> {
        let consumer = self.inner.clone();
        promise(env, async move { consumer.info().await }, |_, i| {
            Ok(consumer_info(i))
        })
    }

    /// One pull: resolves with 0..n messages (zero is not an error).
    /// `cancel` ends it early (see `cancel.rs`).
    #[napi]
    pub fn fetch<'env>(
        &self,
        env: &'env Env,
        options: Option<Object<'_>>,
        cancel: Option<&NativeCancel>,
    ) -> napi::Result<PromiseRaw<'env, NativeBatch>> {
        let options = record(env, options, "options")?;
        let consumer = self.inner.clone();
        promise(
            env,
            cancellable(cancel, async move { consumer.fetch(options).await }),
            |_, messages| Ok(NativeBatch::new(messages)),
        )
    }

    /// Deletes this consumer on the server.
    #[napi]
    pub fn delete<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let consumer = self.inner.clone();
        promise(env, async move { consumer.delete().await }, |_, ()| Ok(()))
    }
}
