//! Durable consumers: create, update, bind, info, delete, and `fetch`.

use jetbridge::Named;
use jetbridge::{ConsumerConfig, ConsumerInfo, FetchOptions, Result, SequencePair};
use napi::Env;
use napi::bindgen_prelude::{BigInt, PromiseRaw};

use crate::client::NativeClient;
use crate::convert::{
    NativeStartPosition, big, millis, named, num, opt_int, opt_millis, opt_size, opt_uint, size,
    to_millis,
};
use crate::message::NativeBatch;
use crate::runtime::{guard, promise};
use crate::stream::NativeClusterInfo;

/// A consumer's configuration, mirroring the core's `ConsumerConfig`.
/// Absent fields take the server's defaults.
#[napi_derive::napi(object)]
pub struct NativeConsumerConfig {
    /// Durable name; absent = ephemeral.
    pub durable_name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Where delivery starts.
    pub start: Option<NativeStartPosition>,
    /// `explicit`, `all` or `none`.
    pub ack_policy: Option<String>,
    /// Ack wait before redelivery.
    pub ack_wait_ms: Option<f64>,
    /// Most deliveries of one message (-1 unlimited).
    pub max_deliver: Option<f64>,
    /// Redelivery delays.
    pub backoff_ms: Option<Vec<f64>>,
    /// Most unacked messages outstanding.
    pub max_ack_pending: Option<f64>,
    /// Only these subjects.
    pub filter_subjects: Option<Vec<String>>,
    /// `instant` or `original`.
    pub replay: Option<String>,
    /// Delete after this long without activity.
    pub inactive_threshold_ms: Option<f64>,
    /// Replicas of the consumer state (0 = as the stream).
    pub replicas: Option<f64>,
    /// Keep the state in memory.
    pub memory_storage: Option<bool>,
    /// Push: delivery rate limit in bits per second.
    pub rate_limit_bps: Option<f64>,
    /// Pull: most waiting pull requests.
    pub max_waiting: Option<f64>,
    /// Push: deliver subject.
    pub deliver_subject: Option<String>,
    /// Push: queue group sharing the work.
    pub deliver_group: Option<String>,
    /// Push: flow control.
    pub flow_control: Option<bool>,
    /// Push: idle heartbeat.
    pub idle_heartbeat_ms: Option<f64>,
}

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
    /// Configuration with server defaults filled in.
    pub config: NativeConsumerConfig,
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

impl NativeConsumerConfig {
    pub(crate) fn into_core(self) -> Result<ConsumerConfig> {
        let ack_policy = named(self.ack_policy.as_deref())?;
        let backoff = self
            .backoff_ms
            .unwrap_or_default()
            .into_iter()
            .map(|ms| millis("backoffMs", ms))
            .collect::<Result<Vec<_>>>()?;
        Ok(ConsumerConfig {
            durable_name: self.durable_name,
            description: self.description,
            start: match self.start {
                Some(s) => s.to_core()?,
                None => Default::default(),
            },
            ack_policy,
            ack_wait: opt_millis("ackWaitMs", self.ack_wait_ms)?,
            max_deliver: opt_int("maxDeliver", self.max_deliver)?,
            backoff,
            max_ack_pending: opt_int("maxAckPending", self.max_ack_pending)?,
            filter_subjects: self.filter_subjects.unwrap_or_default(),
            replay: named(self.replay.as_deref())?,
            inactive_threshold: opt_millis("inactiveThresholdMs", self.inactive_threshold_ms)?,
            replicas: opt_size("replicas", self.replicas)?.unwrap_or(0),
            memory_storage: self.memory_storage.unwrap_or(false),
            rate_limit_bps: opt_uint("rateLimitBps", self.rate_limit_bps)?,
            max_waiting: opt_int("maxWaiting", self.max_waiting)?,
            deliver_subject: self.deliver_subject,
            deliver_group: self.deliver_group,
            flow_control: self.flow_control.unwrap_or(false),
            idle_heartbeat: opt_millis("idleHeartbeatMs", self.idle_heartbeat_ms)?,
        })
    }

    pub(crate) fn from_core(c: &ConsumerConfig) -> NativeConsumerConfig {
        #[allow(clippy::cast_precision_loss)]
        let n = |v: i64| v as f64;
        NativeConsumerConfig {
            durable_name: c.durable_name.clone(),
            description: c.description.clone(),
            start: Some(NativeStartPosition::from_core(c.start)),
            ack_policy: Some(c.ack_policy.name().to_string()),
            ack_wait_ms: c.ack_wait.map(to_millis),
            max_deliver: c.max_deliver.map(n),
            backoff_ms: Some(c.backoff.iter().copied().map(to_millis).collect()),
            max_ack_pending: c.max_ack_pending.map(n),
            filter_subjects: Some(c.filter_subjects.clone()),
            replay: Some(c.replay.name().to_string()),
            inactive_threshold_ms: c.inactive_threshold.map(to_millis),
            replicas: Some(num(c.replicas as u64)),
            memory_storage: Some(c.memory_storage),
            rate_limit_bps: c.rate_limit_bps.map(num),
            max_waiting: c.max_waiting.map(n),
            deliver_subject: c.deliver_subject.clone(),
            deliver_group: c.deliver_group.clone(),
            flow_control: Some(c.flow_control),
            idle_heartbeat_ms: c.idle_heartbeat.map(to_millis),
        }
    }
}

fn pair(p: SequencePair) -> NativeSequencePair {
    NativeSequencePair {
        consumer_sequence: num(p.consumer_seq),
        stream_sequence: num(p.stream_seq),
    }
}

pub(crate) fn consumer_info(i: ConsumerInfo) -> NativeConsumerInfo {
    NativeConsumerInfo {
        config: NativeConsumerConfig::from_core(&i.config),
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
        config: NativeConsumerConfig,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config = guard(env, || config.into_core())?;
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
        config: NativeConsumerConfig,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config = guard(env, || config.into_core())?;
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
        config: NativeConsumerConfig,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let config = guard(env, || config.into_core())?;
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
        expected: Option<NativeConsumerConfig>,
    ) -> napi::Result<PromiseRaw<'env, NativeConsumer>> {
        let expected = guard(env, || {
            expected.map(NativeConsumerConfig::into_core).transpose()
        })?;
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
    pub fn config(&self) -> NativeConsumerConfig {
        NativeConsumerConfig::from_core(&self.inner.config())
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
