//! Consumer configuration and info, and their JetStream wire format.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::api::wire::{nanos_list, opt_nanos, rfc3339_nanos};
use crate::error::{Error, Result};
use crate::names::Named;
use crate::record::{system_time, unix_nanos};
use crate::server_version::{V2_11, Version};
use crate::start::{ReplaySpeed, StartPosition};
use crate::stream::ClusterInfo;
use crate::validate;

/// Which acks the server expects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AckPolicy {
    /// Every message is acked on its own (default).
    #[default]
    Explicit,
    /// Acking a message acks every earlier one.
    All,
    /// No acks; delivered means done.
    None,
}

crate::names::named!(AckPolicy, "ack_policy", { Explicit => "explicit", All => "all", None => "none" });

/// How the pulls of a priority group share a consumer (server 2.11+).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PriorityPolicy {
    /// No priority group (default).
    #[default]
    None,
    /// A pull gets messages only while the consumer's backlog is over its
    /// `min_pending` / `min_ack_pending`.
    Overflow,
    /// One pinned client gets the messages until it stops pulling.
    PinnedClient,
    /// Pulls with a lower `priority` are served first (server 2.12+).
    Prioritized,
}

crate::names::named!(PriorityPolicy, "priority_policy", {
    None => "none",
    Overflow => "overflow",
    PinnedClient => "pinned_client",
    Prioritized => "prioritized",
});

crate::record::record! {
    /// A consumer's configuration. Unset and empty fields take the server's
    /// defaults (ack wait 30 s, max ack pending 1000, unlimited deliveries).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct ConsumerConfig {
        /// Durable name; unset makes an ephemeral consumer with a server-chosen name.
        pub durable_name: Option<String>,
        /// Free text.
        pub description: Option<String>,
        /// Where delivery starts.
        pub start: StartPosition,
        /// Ack policy.
        pub ack_policy: AckPolicy,
        /// How long the server waits for an ack before redelivering.
        pub ack_wait: Option<Duration>,
        /// Most deliveries of one message; unset means unlimited, and so does
        /// -1 (JetStream's way to write it): the two are the same setting.
        pub max_deliver: Option<i64>,
        /// Redelivery delays; the last one repeats. Must not be longer than `max_deliver`.
        pub backoff: Vec<Duration>,
        /// Most unacked messages outstanding.
        pub max_ack_pending: Option<i64>,
        /// Only these subjects (wildcards allowed).
        pub filter_subjects: Vec<String>,
        /// Replay speed.
        pub replay: ReplaySpeed,
        /// Delete the consumer after this long without activity.
        pub inactive_threshold: Option<Duration>,
        /// Replicas of the consumer's state; 0 = as the stream.
        pub replicas: usize,
        /// Keep the consumer's state in memory.
        pub memory_storage: bool,
        /// Delivery rate limit in bits per second (push consumers).
        pub rate_limit_bps: Option<u64>,
        /// Most pull requests waiting at once (pull consumers).
        pub max_waiting: Option<i64>,
        /// Push consumers: the subject messages are pushed to.
        pub deliver_subject: Option<String>,
        /// Push consumers: the queue group sharing the work.
        pub deliver_group: Option<String>,
        /// Push consumers: flow control.
        pub flow_control: bool,
        /// Push consumers: idle heartbeat interval.
        pub idle_heartbeat: Option<Duration>,
        /// Deliver only the headers of each message, with its payload size in the
        /// `Nats-Msg-Size` header and an empty payload.
        pub headers_only: bool,
        /// Pull consumers: the largest batch one pull may ask for.
        pub max_batch: Option<i64>,
        /// Pull consumers: the longest expiry one pull may ask for.
        pub max_expires: Option<Duration>,
        /// Pull consumers: the largest byte limit one pull may ask for.
        pub max_bytes: Option<i64>,
        /// Pull consumers: the names of its priority groups (server 2.11+).
        pub priority_groups: Vec<String>,
        /// Pull consumers: how its priority groups share it (server 2.11+).
        pub priority_policy: Option<PriorityPolicy>,
        /// With `pinned_client`: how long a pinned client keeps the pin
        /// without pulling.
        pub pinned_ttl: Option<Duration>,
        /// Delivery is paused until this time (server 2.11+).
        pub pause_until: Option<SystemTime>,
        /// Free-form text keys and values.
        pub metadata: Option<BTreeMap<String, String>>,
    }
}

impl ConsumerConfig {
    /// A durable, explicitly acked pull consumer starting at the first message.
    pub fn durable(name: impl Into<String>) -> ConsumerConfig {
        ConsumerConfig {
            durable_name: Some(name.into()),
            ..ConsumerConfig::default()
        }
    }

    /// True for push consumers (those with a deliver subject).
    pub fn is_push(&self) -> bool {
        self.deliver_subject.is_some()
    }

    /// The options set here that need a newer server than 2.10, with the
    /// version each needs (checked against the connected server).
    pub(crate) fn server_features(&self) -> Vec<(&'static str, Version)> {
        let policy = !matches!(self.priority_policy, None | Some(PriorityPolicy::None));
        [
            (!self.priority_groups.is_empty(), "priority_groups"),
            (policy, "priority_policy"),
            (self.pinned_ttl.is_some(), "pinned_ttl"),
            (self.pause_until.is_some(), "pause_until"),
        ]
        .into_iter()
        .filter_map(|(set, field)| set.then_some((field, V2_11)))
        .collect()
    }

    /// Checks the configuration before it is sent.
    pub fn validate(&self) -> Result<()> {
        if let Some(name) = &self.durable_name {
            validate::token("durable name", name)?;
        }
        for s in &self.filter_subjects {
            validate::subject("filter subject", s)?;
        }
        for g in &self.priority_groups {
            validate::priority_group("priority group", g)?;
        }
        if let Some(s) = &self.deliver_subject {
            validate::publish_subject("deliver subject", s)?;
        }
        if let Some(g) = &self.deliver_group {
            validate::token("deliver group", g)?;
            if self.deliver_subject.is_none() {
                return Err(Error::invalid(
                    "deliver group",
                    "needs a push consumer (deliver subject)",
                ));
            }
            if self.flow_control || self.idle_heartbeat.is_some() {
                return Err(Error::invalid(
                    "deliver group",
                    "flow control and idle heartbeat cannot be used with a deliver group (each member would see only some of them)",
                ));
            }
        }
        if let Some(m) = self.max_deliver {
            if m == 0 || m < -1 {
                return Err(Error::invalid(
                    "max deliver",
                    "must be at least 1 (or -1 for unlimited)",
                ));
            }
            if !self.backoff.is_empty() && m > 0 && self.backoff.len() as i64 > m {
                return Err(Error::invalid(
                    "backoff",
                    "cannot have more entries than max deliver",
                ));
            }
        }
        if self.backoff.iter().any(Duration::is_zero) {
            return Err(Error::invalid(
                "backoff",
                "durations must be greater than zero",
            ));
        }
        if matches!(self.start, StartPosition::Sequence(0)) {
            return Err(Error::invalid("start sequence", "must be at least 1"));
        }
        if self.replicas > 5 {
            return Err(Error::invalid("replicas", "must be between 0 and 5"));
        }
        if self.ack_policy == AckPolicy::None
            && (self.ack_wait.is_some() || !self.backoff.is_empty())
        {
            return Err(Error::invalid(
                "ack policy",
                "ack wait and backoff need acks (explicit or all)",
            ));
        }
        Ok(())
    }

    /// The fields of `self` that are set and differ from `actual` (the
    /// server's view). Used to refuse binding to a durable with another config.
    pub fn differences(&self, actual: &ConsumerConfig) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut check = |name: &'static str, differs: bool| {
            if differs {
                out.push(name);
            }
        };
        check("ack_policy", self.ack_policy != actual.ack_policy);
        check("start", self.start != actual.start);
        check("replay", self.replay != actual.replay);
        check(
            "filter_subjects",
            !same_set(&self.filter_subjects, &actual.filter_subjects),
        );
        // With a backoff list the server sets ack wait to its first entry.
        let ack_wait = match self.backoff.first() {
            Some(first) => Some(*first),
            None => self.ack_wait,
        };
        check(
            "ack_wait",
            self.ack_wait.is_some() && ack_wait != actual.ack_wait,
        );
        let max_deliver = delivery_limit(self.max_deliver);
        check(
            "max_deliver",
            max_deliver.is_some() && max_deliver != delivery_limit(actual.max_deliver),
        );
        check(
            "backoff",
            !self.backoff.is_empty() && self.backoff != actual.backoff,
        );
        check(
            "max_ack_pending",
            self.max_ack_pending.is_some() && self.max_ack_pending != actual.max_ack_pending,
        );
        check(
            "inactive_threshold",
            self.inactive_threshold.is_some()
                && self.inactive_threshold != actual.inactive_threshold,
        );
        check(
            "memory_storage",
            self.memory_storage && !actual.memory_storage,
        );
        check(
            "rate_limit_bps",
            self.rate_limit_bps.is_some() && self.rate_limit_bps != actual.rate_limit_bps,
        );
        check(
            "deliver_group",
            self.deliver_group.is_some() && self.deliver_group != actual.deliver_group,
        );
        check("flow_control", self.flow_control != actual.flow_control);
        check("headers_only", self.headers_only && !actual.headers_only);
        check(
            "idle_heartbeat",
            self.idle_heartbeat.is_some() && self.idle_heartbeat != actual.idle_heartbeat,
        );
        check(
            "max_batch",
            self.max_batch.is_some() && self.max_batch != actual.max_batch,
        );
        check(
            "max_expires",
            self.max_expires.is_some() && self.max_expires != actual.max_expires,
        );
        check(
            "max_bytes",
            self.max_bytes.is_some() && self.max_bytes != actual.max_bytes,
        );
        check(
            "priority_groups",
            !self.priority_groups.is_empty()
                && !same_set(&self.priority_groups, &actual.priority_groups),
        );
        check(
            "priority_policy",
            self.priority_policy.is_some() && self.priority_policy != actual.priority_policy,
        );
        check(
            "pinned_ttl",
            self.pinned_ttl.is_some() && self.pinned_ttl != actual.pinned_ttl,
        );
        // The server adds its own `_nats.*` keys: only the caller's are compared.
        check(
            "metadata",
            self.metadata.as_ref().is_some_and(|want| {
                want.iter()
                    .any(|(k, v)| actual.metadata.as_ref().and_then(|m| m.get(k)) != Some(v))
            }),
        );
        check("push/pull", self.is_push() != actual.is_push());
        out
    }

    pub(crate) fn to_wire(&self) -> WireConsumerConfig {
        let (opt_start_seq, opt_start_time) = match self.start {
            StartPosition::Sequence(s) => (Some(s), None),
            StartPosition::Time(t) => (None, Some(rfc3339_nanos::format(t))),
            _ => (None, None),
        };
        let (filter_subject, filter_subjects) = match self.filter_subjects.len() {
            0 => (None, None),
            1 => (self.filter_subjects.first().cloned(), None),
            _ => (None, Some(self.filter_subjects.clone())),
        };
        WireConsumerConfig {
            durable_name: self.durable_name.clone(),
            name: self.durable_name.clone(),
            description: self.description.clone(),
            deliver_policy: self.start.policy_name().to_string(),
            opt_start_seq,
            opt_start_time,
            ack_policy: self.ack_policy.name().to_string(),
            ack_wait: self.ack_wait,
            max_deliver: self.max_deliver,
            backoff: self.backoff.clone(),
            filter_subject,
            filter_subjects,
            replay_policy: self.replay.name().to_string(),
            rate_limit_bps: self.rate_limit_bps,
            max_ack_pending: self.max_ack_pending,
            max_waiting: if self.is_push() {
                None
            } else {
                self.max_waiting
            },
            inactive_threshold: self.inactive_threshold,
            num_replicas: self.replicas,
            mem_storage: self.memory_storage,
            deliver_subject: self.deliver_subject.clone(),
            deliver_group: self.deliver_group.clone(),
            flow_control: self.flow_control,
            idle_heartbeat: self.idle_heartbeat,
            headers_only: self.headers_only,
            max_batch: self.max_batch,
            max_expires: self.max_expires,
            max_bytes: self.max_bytes,
            priority_groups: self.priority_groups.clone(),
            priority_policy: self.priority_policy.map(|p| p.name().to_string()),
            priority_timeout: self.pinned_ttl,
            pause_until: self
                .pause_until
                .map(|t| rfc3339_nanos::format(unix_nanos(t))),
            metadata: self.metadata.clone(),
        }
    }

    pub(crate) fn from_wire(w: WireConsumerConfig) -> ConsumerConfig {
        let start = match w.deliver_policy.as_str() {
            "last" => StartPosition::Last,
            "last_per_subject" => StartPosition::LastPerSubject,
            "new" => StartPosition::New,
            "by_start_sequence" => StartPosition::Sequence(w.opt_start_seq.unwrap_or(1)),
            "by_start_time" => StartPosition::Time(
                w.opt_start_time
                    .as_deref()
                    .and_then(rfc3339_nanos::parse)
                    .unwrap_or(0),
            ),
            _ => StartPosition::All,
        };
        let mut filter_subjects = w.filter_subjects.unwrap_or_default();
        if let Some(f) = w.filter_subject.filter(|f| !f.is_empty()) {
            filter_subjects.insert(0, f);
        }
        ConsumerConfig {
            durable_name: w.durable_name,
            description: w.description,
            start,
            ack_policy: AckPolicy::parse(&w.ack_policy).unwrap_or_default(),
            ack_wait: w.ack_wait,
            max_deliver: w.max_deliver.filter(|m| *m > 0),
            backoff: w.backoff,
            max_ack_pending: w.max_ack_pending.filter(|m| *m > 0),
            filter_subjects,
            replay: if w.replay_policy == "original" {
                ReplaySpeed::Original
            } else {
                ReplaySpeed::Instant
            },
            inactive_threshold: w.inactive_threshold,
            replicas: w.num_replicas,
            memory_storage: w.mem_storage,
            rate_limit_bps: w.rate_limit_bps.filter(|r| *r > 0),
            max_waiting: w.max_waiting.filter(|m| *m > 0),
            deliver_subject: w.deliver_subject.filter(|s| !s.is_empty()),
            deliver_group: w.deliver_group.filter(|s| !s.is_empty()),
            flow_control: w.flow_control,
            idle_heartbeat: w.idle_heartbeat,
            headers_only: w.headers_only,
            max_batch: w.max_batch.filter(|m| *m > 0),
            max_expires: w.max_expires,
            max_bytes: w.max_bytes.filter(|m| *m > 0),
            priority_groups: w.priority_groups,
            priority_policy: w
                .priority_policy
                .as_deref()
                .and_then(|p| PriorityPolicy::parse(p).ok())
                .filter(|p| *p != PriorityPolicy::None),
            pinned_ttl: w.priority_timeout,
            pause_until: w
                .pause_until
                .as_deref()
                .and_then(rfc3339_nanos::parse)
                .map(system_time),
            metadata: w.metadata.filter(|m| !m.is_empty()),
        }
    }
}

/// A `max_deliver` with JetStream's unlimited (-1) read as not set.
pub(crate) fn delivery_limit(max_deliver: Option<i64>) -> Option<i64> {
    max_deliver.filter(|&m| m != -1)
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct WireConsumerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) durable_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) deliver_policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) opt_start_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) opt_start_time: Option<String>,
    #[serde(default)]
    pub(crate) ack_policy: String,
    #[serde(default, with = "opt_nanos", skip_serializing_if = "Option::is_none")]
    pub(crate) ack_wait: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_deliver: Option<i64>,
    #[serde(default, with = "nanos_list", skip_serializing_if = "Vec::is_empty")]
    pub(crate) backoff: Vec<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) filter_subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) filter_subjects: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) replay_policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) rate_limit_bps: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_ack_pending: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_waiting: Option<i64>,
    #[serde(default, with = "opt_nanos", skip_serializing_if = "Option::is_none")]
    pub(crate) inactive_threshold: Option<Duration>,
    #[serde(default)]
    pub(crate) num_replicas: usize,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) mem_storage: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deliver_subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deliver_group: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) flow_control: bool,
    #[serde(default, with = "opt_nanos", skip_serializing_if = "Option::is_none")]
    pub(crate) idle_heartbeat: Option<Duration>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) headers_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_batch: Option<i64>,
    #[serde(default, with = "opt_nanos", skip_serializing_if = "Option::is_none")]
    pub(crate) max_expires: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_bytes: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) priority_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) priority_policy: Option<String>,
    #[serde(default, with = "opt_nanos", skip_serializing_if = "Option::is_none")]
    pub(crate) priority_timeout: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pause_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<BTreeMap<String, String>>,
}

/// Delivery progress: the last consumer and stream sequences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SequencePair {
    /// Consumer sequence.
    #[serde(default)]
    pub consumer_seq: u64,
    /// Stream sequence.
    #[serde(default)]
    pub stream_seq: u64,
}

/// A consumer's configuration and progress, as the server reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerInfo {
    /// The stream it reads.
    pub stream: String,
    /// Its name.
    pub name: String,
    /// Its configuration with the server's defaults filled in.
    pub config: ConsumerConfig,
    /// Creation time, Unix nanoseconds.
    pub created: i64,
    /// Last delivered message.
    pub delivered: SequencePair,
    /// Everything up to here is acked.
    pub ack_floor: SequencePair,
    /// Delivered but not yet acked.
    pub num_ack_pending: u64,
    /// Messages redelivered at least once and still pending.
    pub num_redelivered: u64,
    /// Pull requests waiting.
    pub num_waiting: u64,
    /// Messages not yet delivered (the consumer's lag).
    pub num_pending: u64,
    /// Cluster placement, for replicated consumers.
    pub cluster: Option<ClusterInfo>,
}

#[derive(Deserialize)]
pub(crate) struct WireConsumerInfo {
    stream_name: String,
    name: String,
    config: WireConsumerConfig,
    #[serde(with = "rfc3339_nanos", default)]
    created: i64,
    #[serde(default)]
    delivered: SequencePair,
    #[serde(default)]
    ack_floor: SequencePair,
    #[serde(default)]
    num_ack_pending: u64,
    #[serde(default)]
    num_redelivered: u64,
    #[serde(default)]
    num_waiting: u64,
    #[serde(default)]
    num_pending: u64,
    #[serde(default)]
    cluster: Option<ClusterInfo>,
}

impl From<WireConsumerInfo> for ConsumerInfo {
    fn from(w: WireConsumerInfo) -> ConsumerInfo {
        ConsumerInfo {
            stream: w.stream_name,
            name: w.name,
            config: ConsumerConfig::from_wire(w.config),
            created: w.created,
            delivered: w.delivered,
            ack_floor: w.ack_floor,
            num_ack_pending: w.num_ack_pending,
            num_redelivered: w.num_redelivered,
            num_waiting: w.num_waiting,
            num_pending: w.num_pending,
            cluster: w.cluster,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_max_deliver_is_the_same_as_not_set() {
        let unlimited = ConsumerConfig::default();
        let expect = |m| ConsumerConfig {
            max_deliver: Some(m),
            ..ConsumerConfig::default()
        };
        assert!(expect(-1).differences(&unlimited).is_empty());
        assert_eq!(expect(5).differences(&unlimited), vec!["max_deliver"]);
        assert!(expect(5).differences(&expect(5)).is_empty());
    }

    #[test]
    fn wire_round_trip() {
        let c = ConsumerConfig {
            durable_name: Some("D".into()),
            start: StartPosition::Sequence(7),
            ack_wait: Some(Duration::from_secs(1)),
            max_deliver: Some(3),
            backoff: vec![Duration::from_secs(1), Duration::from_secs(2)],
            filter_subjects: vec!["a.*".into(), "b.>".into()],
            ..ConsumerConfig::default()
        };
        c.validate().unwrap();
        let json = serde_json::to_string(&c.to_wire()).unwrap();
        let back = ConsumerConfig::from_wire(serde_json::from_str(&json).unwrap());
        assert_eq!(back, c);
        assert!(c.differences(&back).is_empty());
        // With backoff, the server sets ack wait to backoff[0]: not a difference.
        let other = ConsumerConfig {
            ack_wait: Some(Duration::from_secs(9)),
            ..c.clone()
        };
        assert!(other.differences(&c).is_empty());
        let plain = ConsumerConfig {
            backoff: vec![],
            ..c.clone()
        };
        let other = ConsumerConfig {
            ack_wait: Some(Duration::from_secs(9)),
            ..plain.clone()
        };
        assert_eq!(other.differences(&plain), vec!["ack_wait"]);
    }

    #[test]
    fn metadata_compares_only_the_callers_keys_and_limits_when_set() {
        let meta = |pairs: &[(&str, &str)]| {
            Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        let server = ConsumerConfig {
            metadata: meta(&[("team", "a"), ("_nats.ver", "2.15.1")]),
            max_batch: Some(10),
            ..ConsumerConfig::default()
        };
        let same = ConsumerConfig {
            metadata: meta(&[("team", "a")]),
            ..ConsumerConfig::default()
        };
        assert!(same.differences(&server).is_empty());
        let other = ConsumerConfig {
            metadata: meta(&[("team", "b")]),
            max_batch: Some(5),
            ..ConsumerConfig::default()
        };
        assert_eq!(other.differences(&server), vec!["max_batch", "metadata"]);
    }

    #[test]
    fn validation() {
        let bad = ConsumerConfig {
            max_deliver: Some(1),
            backoff: vec![Duration::from_secs(1); 2],
            ..ConsumerConfig::default()
        };
        assert!(bad.validate().is_err());
        let bad = ConsumerConfig {
            deliver_group: Some("g".into()),
            ..ConsumerConfig::default()
        };
        assert!(bad.validate().is_err());
    }
}
