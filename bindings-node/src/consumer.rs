//! Durable consumers: create, update, bind, info, delete, and `fetch`.

use jetbridge::record_json::{Convention, from_value, to_value};
use jetbridge::{ConsumerConfig, ConsumerInfo, FetchOptions, Result, SequencePair};
use napi::Env;
use napi::bindgen_prelude::{BigInt, PromiseRaw};

use crate::client::NativeClient;
use crate::convert::{big, millis, num, opt_millis, opt_size, size};
use crate::message::NativeBatch;
use crate::runtime::{guard, promise};
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

/// How much one `fetch` asks for and how long it waits.
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativeFetchOptions {
    /// Most messages (default 1).
    pub max_messages: Option<f64>,
    /// Longest wait (default 5000).
    pub max_wait_ms: Option<f64>,
    /// Most payload bytes.
    pub max_bytes: Option<f64>,
    /// Return at once with what is there.
    pub no_wait: Option<bool>,
    /// Ask for idle heartbeats.
    pub heartbeat_ms: Option<f64>,
}

/// A core `ConsumerConfig` from the JavaScript object (`ackWaitMs`, …),
/// read through the core's declaration.
pub(crate) fn consumer_config(js: &serde_json::Value) -> Result<ConsumerConfig> {
    from_value(js, Convention::JAVASCRIPT, "config")
}

/// A core `ConsumerConfig` as a JavaScript object.
pub(crate) fn consumer_config_to_js(c: &ConsumerConfig) -> serde_json::Value {
    to_value(c, Convention::JAVASCRIPT)
}

fn pair(p: SequencePair) -> NativeSequencePair {
    NativeSequencePair {
        consumer_sequence: num(p.consumer_seq),
        stream_sequence: num(p.stream_seq),
    }
}

pub(crate) fn consumer_info(i: ConsumerInfo) -> NativeConsumerInfo {
    NativeConsumerInfo {
        config: consumer_config_to_js(&i.config),
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

fn fetch_options(o: Option<NativeFetchOptions>) -> Result<FetchOptions> {
    let mut f = FetchOptions::default();
    if let Some(o) = o {
        if let Some(n) = o.max_messages {
            f.max_messages = size("maxMessages", n)?;
        }
        if let Some(ms) = o.max_wait_ms {
            f.max_wait = millis("maxWaitMs", ms)?;
        }
        f.max_bytes = opt_size("maxBytes", o.max_bytes)?;
        f.no_wait = o.no_wait.unwrap_or(false);
        f.heartbeat = opt_millis("heartbeatMs", o.heartbeat_ms)?;
    }
    Ok(f)
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
        config: serde_json::Value,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config = guard(env, || consumer_config(&config))?;
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
        config: serde_json::Value,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config = guard(env, || consumer_config(&config))?;
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
        config: serde_json::Value,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config = guard(env, || consumer_config(&config))?;
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
        expected: Option<serde_json::Value>,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let expected = guard(env, || expected.as_ref().map(consumer_config).transpose())?;
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
        consumer_config_to_js(&self.inner.config())
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
    #[napi]
    pub fn fetch<'env>(
        &self,
        env: &'env Env,
        options: Option<NativeFetchOptions>,
    ) -> napi::Result<PromiseRaw<'env, NativeBatch>> {
        let options = guard(env, || fetch_options(options))?;
        let consumer = self.inner.clone();
        promise(
            env,
            async move { consumer.fetch(options).await },
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
