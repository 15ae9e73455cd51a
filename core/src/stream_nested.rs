//! The parts of a stream's configuration that are records of their own:
//! placement, mirror and sources, subject transforms, republish and the
//! limits its consumers inherit. Each is declared once (`record!`), so every
//! language gets it from the declaration, nested in `StreamConfig`.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::api::wire::{opt_nanos, opt_time};

crate::record::record! {
    /// Where a stream's replicas are placed.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Placement {
        /// The cluster's name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cluster: Option<String>,
        /// Server tags every replica's server must have.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub tags: Vec<String>,
    }
}

crate::record::record! {
    /// Subjects rewritten: `src` (wildcards allowed) to `dest` (`{{wildcard(1)}}`
    /// and the server's other mapping functions).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct SubjectTransform {
        /// The subjects to rewrite.
        #[serde(default)]
        pub src: String,
        /// What they become.
        #[serde(default)]
        pub dest: String,
    }
}

crate::record::record! {
    /// Every stored message is also published, as it was stored, to `dest`.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Republish {
        /// The stored subjects to republish.
        #[serde(default)]
        pub src: String,
        /// Where they are published.
        #[serde(default)]
        pub dest: String,
        /// Publish the headers only (the payload's size in `Nats-Msg-Size`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub headers_only: bool,
    }
}

crate::record::record! {
    /// A stream in another JetStream domain or account, reached through its
    /// API prefix.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ExternalStream {
        /// The other side's JetStream API prefix (`$JS.hub.API`).
        #[serde(default)]
        pub api: String,
        /// The subject prefix its messages are delivered under.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub deliver: Option<String>,
    }
}

crate::record::record! {
    /// A stream a mirror copies, or one of a stream's sources.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StreamSource {
        /// The origin stream's name.
        #[serde(default)]
        pub name: String,
        /// Start at this sequence of the origin.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub opt_start_seq: Option<u64>,
        /// Start at this time in the origin.
        #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
        pub opt_start_time: Option<SystemTime>,
        /// Only the origin's messages on this subject.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filter_subject: Option<String>,
        /// Only these subjects of the origin, each rewritten (instead of
        /// `filter_subject`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subject_transforms: Vec<SubjectTransform>,
        /// The origin is in another domain or account.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external: Option<ExternalStream>,
    }
}

crate::record::record! {
    /// Limits every consumer of the stream gets unless it sets its own.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ConsumerLimits {
        /// How long an idle consumer lives.
        #[serde(default, with = "opt_nanos", skip_serializing_if = "Option::is_none")]
        pub inactive_threshold: Option<Duration>,
        /// Most messages delivered and not yet acked, per consumer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_ack_pending: Option<i64>,
    }
}
