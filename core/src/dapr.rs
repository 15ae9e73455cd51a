//! Configuration in Dapr's `pubsub.jetstream` vocabulary.
//!
//! A metadata map (or a Dapr component YAML file) builds a client's
//! [`ConnectOptions`] and a subscription's [`SubscriptionOptions`] with the
//! Dapr component's meanings and units. Keys match case-insensitively, as
//! Dapr's decoder does. Unknown keys and bad values are `INVALID_ARGUMENT`
//! naming the key — where Dapr would silently fall back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::consumer_config::{AckPolicy, ConsumerConfig, delivery_limit};
use crate::error::{Error, Result};
use crate::names::Named;
use crate::options::{Auth, ConnectOptions, Secret};
use crate::start::StartPosition;

/// How a Dapr subscription hands messages to the application.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConcurrencyMode {
    /// One message at a time (default).
    #[default]
    Single,
    /// Messages handled concurrently.
    Parallel,
}

/// A subscription configured by Dapr metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionOptions {
    /// The stream; `None` = the stream that captures the topic.
    pub stream_name: Option<String>,
    /// The consumer: durable name, deliver group, start, acks, limits.
    pub consumer: ConsumerConfig,
    /// Dapr's `concurrencyMode`.
    pub concurrency: ConcurrencyMode,
}

/// Client and subscription options from one Dapr component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaprConfig {
    /// Connection options.
    pub connect: ConnectOptions,
    /// Subscription options.
    pub subscription: SubscriptionOptions,
}

/// Every key the component understands (DESIGN.md's list).
pub const KEYS: [&str; 28] = [
    "natsURL",
    "jwt",
    "seedKey",
    "token",
    "tls_client_cert",
    "tls_client_key",
    "name",
    "streamName",
    "durableName",
    "queueGroupName",
    "startSequence",
    "startTime",
    "deliverPolicy",
    "deliverAll",
    "flowControl",
    "ackWait",
    "maxDeliver",
    "backOff",
    "maxAckPending",
    "replicas",
    "memoryStorage",
    "rateLimit",
    "heartbeat",
    "ackPolicy",
    "domain",
    "apiPrefix",
    "concurrencyMode",
    "hearbeat",
];

/// Dapr's default connection name.
pub const DEFAULT_NAME: &str = "dapr.io - pubsub.jetstream";

pub(crate) struct Meta(BTreeMap<&'static str, String>);

impl Meta {
    /// Parses metadata pairs whose keys must be among `known` (matched
    /// case-insensitively); the error lists `known`, without the
    /// misspelled `hearbeat` alias.
    pub(crate) fn parse<I, K, V>(pairs: I, known: &'static [&'static str]) -> Result<Meta>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            let k = k.as_ref();
            let Some(key) = known.iter().find(|key| key.eq_ignore_ascii_case(k)) else {
                let listed: Vec<&str> =
                    known.iter().copied().filter(|k| *k != "hearbeat").collect();
                return Err(Error::invalid(
                    "metadata",
                    format!("unknown key {k:?}; known keys: {}", listed.join(", ")),
                ));
            };
            // The misspelled `hearbeat` of old Dapr docs means `heartbeat`.
            let key = if *key == "hearbeat" {
                "heartbeat"
            } else {
                *key
            };
            if map.insert(key, v.as_ref().trim().to_string()).is_some() {
                return Err(Error::invalid(
                    "metadata",
                    format!("key {key:?} is given twice"),
                ));
            }
        }
        Ok(Meta(map))
    }

    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn bad(key: &str, value: &str, want: &str) -> Error {
        Error::invalid(
            &format!("metadata {key}"),
            format!("{value:?} is not {want}"),
        )
    }

    fn bool(&self, key: &str) -> Result<Option<bool>> {
        self.str(key)
            .map(|v| match v {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
                "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
                _ => Err(Meta::bad(key, v, "a boolean (true/false)")),
            })
            .transpose()
    }

    fn uint(&self, key: &str) -> Result<Option<u64>> {
        self.str(key)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| Meta::bad(key, v, "a non-negative integer"))
            })
            .transpose()
    }

    fn int(&self, key: &str) -> Result<Option<i64>> {
        self.str(key)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| Meta::bad(key, v, "an integer"))
            })
            .transpose()
    }

    fn duration(&self, key: &str) -> Result<Option<Duration>> {
        self.str(key)
            .map(|v| {
                parse_go_duration(v)
                    .ok_or_else(|| Meta::bad(key, v, "a duration like 500ms, 30s or 1m30s"))
            })
            .transpose()
    }
}

/// Parses a Go duration string (`300ms`, `1.5s`, `2h45m`, `0`).
pub fn parse_go_duration(s: &str) -> Option<Duration> {
    if s == "0" {
        return Some(Duration::ZERO);
    }
    let mut rest = s;
    let mut total = 0f64;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let value: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_end..];
    }
    Duration::try_from_secs_f64(total).ok()
}

impl DaprConfig {
    /// Builds options from metadata key/value pairs.
    pub fn from_metadata<I, K, V>(pairs: I) -> Result<DaprConfig>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let m = Meta::parse(pairs, &KEYS)?;
        Ok(DaprConfig {
            connect: connect_options(&m, DEFAULT_NAME)?,
            subscription: subscription_options(&m)?,
        })
    }

    /// Builds options from the text of a Dapr component YAML file.
    pub fn from_yaml_str(text: &str) -> Result<DaprConfig> {
        DaprConfig::from_metadata(component_metadata(text, "pubsub.jetstream")?)
    }

    /// Builds options from a Dapr component YAML file.
    pub fn from_yaml_file(path: impl AsRef<Path>) -> Result<DaprConfig> {
        let path = path.as_ref();
        DaprConfig::from_yaml_str(&read_component(path)?)
    }
}

/// The text of a component file.
pub(crate) fn read_component(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::invalid(
            "component file",
            format!(
                "cannot read {}: {}",
                path.display(),
                crate::error_map::io_reason(&e)
            ),
        )
    })
}

/// The connection a component's metadata describes (`natsURL`, `name`
/// defaulting to `default_name`, `jwt` + `seedKey`, and where `m` has
/// them, `token`, the TLS client pair, `domain`, `apiPrefix`).
pub(crate) fn connect_options(m: &Meta, default_name: &str) -> Result<ConnectOptions> {
    let url = m
        .str("natsURL")
        .ok_or_else(|| Error::invalid("metadata natsURL", "is required"))?;
    let mut o =
        ConnectOptions::with_servers(url.split(',').map(str::trim).filter(|s| !s.is_empty()));
    o.name = Some(m.str("name").unwrap_or(default_name).to_string());
    o.auth = match (m.str("jwt"), m.str("seedKey"), m.str("token")) {
        (Some(jwt), Some(seed), None) => Auth::Jwt {
            jwt: Secret::new(jwt),
            seed: Secret::new(seed),
        },
        (Some(_), None, _) => {
            return Err(Error::invalid("metadata seedKey", "is required with jwt"));
        }
        (None, Some(_), _) => {
            return Err(Error::invalid("metadata jwt", "is required with seedKey"));
        }
        (Some(_), Some(_), Some(_)) => {
            return Err(Error::invalid(
                "metadata token",
                "cannot be combined with jwt/seedKey",
            ));
        }
        (None, None, Some(token)) => Auth::Token(Secret::new(token)),
        (None, None, None) => Auth::None,
    };
    match (m.str("tls_client_cert"), m.str("tls_client_key")) {
        (Some(cert), Some(key)) => {
            o.tls.client_cert = Some(PathBuf::from(cert));
            o.tls.client_key = Some(PathBuf::from(key));
        }
        (None, None) => {}
        _ => {
            return Err(Error::invalid(
                "metadata tls_client_cert",
                "tls_client_cert and tls_client_key go together",
            ));
        }
    }
    o.domain = m.str("domain").map(str::to_string);
    o.api_prefix = m.str("apiPrefix").map(str::to_string);
    o.validate()
        .map_err(|e| Error::new(e.kind(), format!("metadata: {}", e.message())))?;
    Ok(o)
}

fn subscription_options(m: &Meta) -> Result<SubscriptionOptions> {
    let start_seq = m.uint("startSequence")?;
    let start_time = m
        .uint("startTime")?
        .map(|secs| {
            i64::try_from(secs)
                .ok()
                .and_then(|s| s.checked_mul(1_000_000_000))
        })
        .map(|n| n.ok_or_else(|| Error::invalid("metadata startTime", "is out of range")))
        .transpose()?;
    let policy = match (m.str("deliverPolicy"), m.bool("deliverAll")?) {
        (Some(p), Some(true)) if p != "all" => {
            return Err(Error::invalid(
                "metadata deliverAll",
                format!("true conflicts with deliverPolicy {p:?}"),
            ));
        }
        (Some(p), _) => p.to_string(),
        (None, _) => "all".to_string(),
    };
    let start = StartPosition::from_parts(&policy, start_seq, start_time)
        .map_err(|e| Error::invalid("metadata deliverPolicy", e.message()))?;
    let ack_policy = m
        .str("ackPolicy")
        .map(AckPolicy::parse)
        .transpose()
        .map_err(|e| Error::invalid("metadata ackPolicy", e.message()))?
        .unwrap_or_default();
    let backoff = match m.str("backOff") {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|d| {
                parse_go_duration(d).ok_or_else(|| {
                    Meta::bad("backOff", d, "a list of durations like \"500ms, 2s\"")
                })
            })
            .collect::<Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    let replicas = m
        .uint("replicas")?
        .map(|r| usize::try_from(r).unwrap_or(usize::MAX))
        .unwrap_or(0);
    let concurrency = match m.str("concurrencyMode") {
        None | Some("single") => ConcurrencyMode::Single,
        Some("parallel") => ConcurrencyMode::Parallel,
        Some(other) => return Err(Meta::bad("concurrencyMode", other, "single or parallel")),
    };
    let consumer = ConsumerConfig {
        durable_name: m.str("durableName").map(str::to_string),
        deliver_group: m.str("queueGroupName").map(str::to_string),
        start,
        ack_policy,
        ack_wait: m.duration("ackWait")?,
        max_deliver: delivery_limit(m.int("maxDeliver")?),
        backoff,
        max_ack_pending: m.int("maxAckPending")?,
        replicas,
        memory_storage: m.bool("memoryStorage")?.unwrap_or(false),
        rate_limit_bps: m.uint("rateLimit")?,
        flow_control: m.bool("flowControl")?.unwrap_or(false),
        idle_heartbeat: m.duration("heartbeat")?.filter(|d| !d.is_zero()),
        ..ConsumerConfig::default()
    };
    // Check what can be checked without a deliver subject (set at subscribe).
    let mut probe = consumer.clone();
    probe.deliver_subject = Some("_INBOX.probe".to_string());
    probe
        .validate()
        .map_err(|e| Error::new(e.kind(), format!("metadata: {}", e.message())))?;
    if let Some(stream) = m.str("streamName") {
        crate::validate::token("metadata streamName", stream)?;
    }
    Ok(SubscriptionOptions {
        stream_name: m.str("streamName").map(str::to_string),
        consumer,
        concurrency,
    })
}

impl crate::client::Client {
    /// Subscribes to `topic` the way the Dapr component does: a push consumer
    /// filtered on the topic, on `streamName` or the stream that captures the
    /// topic, shared by the deliver group when `queueGroupName` is set.
    pub async fn subscribe(
        &self,
        topic: &str,
        options: &SubscriptionOptions,
    ) -> Result<crate::MessageStream> {
        crate::validate::subject("topic", topic)?;
        let stream = match &options.stream_name {
            Some(s) => s.clone(),
            None => self.stream_by_subject(topic).await?,
        };
        let mut consumer = options.consumer.clone();
        consumer.filter_subjects = vec![topic.to_string()];
        self.push_subscribe(&stream, consumer).await
    }
}

/// The `spec.metadata` name/value pairs of a Dapr component document.
/// The metadata of a component YAML of type `kind`.
pub(crate) fn component_metadata(text: &str, kind: &str) -> Result<Vec<(String, String)>> {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| Error::invalid("component YAML", e.to_string()))?;
    let spec = doc
        .get("spec")
        .ok_or_else(|| Error::invalid("component YAML", "has no spec"))?;
    match spec.get("type").and_then(|t| t.as_str()) {
        Some(t) if t == kind => {}
        Some(other) => {
            return Err(Error::invalid(
                "component YAML",
                format!("type is {other:?}, not {kind}"),
            ));
        }
        None => return Err(Error::invalid("component YAML", "spec.type is missing")),
    }
    let items = spec
        .get("metadata")
        .and_then(|m| m.as_sequence())
        .ok_or_else(|| Error::invalid("component YAML", "spec.metadata must be a list"))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let name = item
            .get("name")
            .and_then(|n| n.as_str())
            .ok_or_else(|| Error::invalid("component YAML", "a metadata entry has no name"))?;
        if item.get("secretKeyRef").is_some() {
            return Err(Error::invalid(
                &format!("metadata {name}"),
                "secretKeyRef needs a Dapr secret store; pass the value directly",
            ));
        }
        let value = match item.get("value") {
            Some(serde_yaml::Value::String(s)) => s.clone(),
            Some(serde_yaml::Value::Number(n)) => n.to_string(),
            Some(serde_yaml::Value::Bool(b)) => b.to_string(),
            Some(serde_yaml::Value::Null) | None => String::new(),
            Some(_) => {
                return Err(Error::invalid(
                    &format!("metadata {name}"),
                    "value must be a string, number or boolean",
                ));
            }
        };
        out.push((name.to_string(), value));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_go_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_go_duration("30"), None);
        assert_eq!(parse_go_duration("abc"), None);
    }

    #[test]
    fn seed_component_parses() {
        let yaml = r#"
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: jetstream-pubsub
spec:
  type: pubsub.jetstream
  version: v1
  metadata:
  - name: natsURL
    value: "nats://localhost:4222"
  - name: name
    value: "connection name"
  - name: durableName
    value: "consumer durable name"
  - name: queueGroupName
    value: "queue group name"
  - name: startSequence
    value: 1
  - name: startTime
    value: 1630349391
  - name: deliverAll
    value: false
  - name: flowControl
    value: false
"#;
        // The seed's names contain spaces, which NATS does not allow in names.
        let err = DaprConfig::from_yaml_str(yaml).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let ok = yaml
            .replace("consumer durable name", "orders")
            .replace("queue group name", "workers");
        let cfg = DaprConfig::from_yaml_str(&ok).unwrap();
        assert_eq!(cfg.connect.name.as_deref(), Some("connection name"));
        assert_eq!(
            cfg.subscription.consumer.durable_name.as_deref(),
            Some("orders")
        );
        assert_eq!(
            cfg.subscription.consumer.deliver_group.as_deref(),
            Some("workers")
        );
        assert_eq!(cfg.subscription.consumer.start, StartPosition::All);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key() {
        let e = DaprConfig::from_metadata([("natsURL", "nats://h:1"), ("bogus", "1")]).unwrap_err();
        assert!(e.message().contains("bogus"), "{e}");
        let e = DaprConfig::from_metadata([("natsURL", "nats://h:1"), ("ackWait", "soon")])
            .unwrap_err();
        assert!(e.message().contains("ackWait"), "{e}");
        let e = DaprConfig::from_metadata([("natsURL", "nats://h:1"), ("jwt", "x")]).unwrap_err();
        assert!(e.message().contains("seedKey"), "{e}");
        let e = DaprConfig::from_metadata([("durableName", "d")]).unwrap_err();
        assert!(e.message().contains("natsURL"), "{e}");
        let e =
            DaprConfig::from_metadata([("natsURL", "nats://h:1"), ("deliverPolicy", "sequence")])
                .unwrap_err();
        assert!(e.message().contains("deliverPolicy"), "{e}");
    }

    #[test]
    fn full_vocabulary() {
        let cfg = DaprConfig::from_metadata([
            ("natsurl", "nats://a:1, nats://b:2"),
            ("deliverPolicy", "time"),
            ("startTime", "1630349391"),
            ("ackWait", "10s"),
            ("maxDeliver", "5"),
            ("backOff", "500ms, 2s"),
            ("maxAckPending", "100"),
            ("replicas", "1"),
            ("memoryStorage", "true"),
            ("rateLimit", "1024"),
            ("heartbeat", "2s"),
            ("flowControl", "true"),
            ("ackPolicy", "all"),
            ("domain", "hub"),
            ("concurrencyMode", "parallel"),
        ])
        .unwrap();
        assert_eq!(cfg.connect.servers, vec!["nats://a:1", "nats://b:2"]);
        assert_eq!(cfg.connect.js_api_prefix(), "$JS.hub.API");
        let c = &cfg.subscription.consumer;
        assert_eq!(c.start, StartPosition::Time(1_630_349_391_000_000_000));
        assert_eq!(
            c.backoff,
            vec![Duration::from_millis(500), Duration::from_secs(2)]
        );
        assert_eq!(c.ack_policy, AckPolicy::All);
        assert_eq!(cfg.subscription.concurrency, ConcurrencyMode::Parallel);
        assert!(c.memory_storage && c.flow_control);
    }
}
