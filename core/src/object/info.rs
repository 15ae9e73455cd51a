//! An object's info: the JSON the official clients write on the meta subject.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

crate::record::record! {
    /// What the store knows about an object.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ObjectInfo {
        /// The object's name.
        pub name: String,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// The bucket.
        pub bucket: String,
        /// The id its chunks are stored under.
        pub nuid: String,
        /// Size in bytes.
        #[serde(default)]
        pub size: u64,
        /// Number of chunks.
        #[serde(default)]
        pub chunks: u64,
        /// When it was written (RFC 3339).
        #[serde(default)]
        pub mtime: String,
        /// `SHA-256=<base64url>` of the content.
        #[serde(default)]
        pub digest: String,
        /// True for a deleted object's marker.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub deleted: bool,
        /// Free-form text keys and values kept with the object.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub metadata: BTreeMap<String, String>,
        /// Set when this entry is a link to another object or to a whole store.
        #[serde(default, rename = "options", with = "link_wire", skip_serializing_if = "Option::is_none")]
        pub link: Option<ObjectLink>,
    }
}

crate::record::record! {
    /// Where a link points: an object of a store, or a whole store.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ObjectLink {
        /// The store it points into.
        #[serde(default)]
        pub bucket: String,
        /// The object it points to; unset for a link to the whole store.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
    }
}

crate::record::record! {
    /// An object's name and descriptive fields, as `update_meta` sets them.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct ObjectMeta {
        /// The object's (new) name.
        pub name: String,
        /// Free text.
        pub description: Option<String>,
        /// Free-form text keys and values (replacing the old ones).
        pub metadata: BTreeMap<String, String>,
    }
}

/// The info's `options` object on the wire, which holds the link (the
/// official clients also write `max_chunk_size` there; it is not kept).
mod link_wire {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::ObjectLink;

    #[derive(Serialize, Deserialize)]
    struct Options {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<ObjectLink>,
    }

    pub(super) fn serialize<S: Serializer>(
        link: &Option<ObjectLink>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        Options { link: link.clone() }.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<ObjectLink>, D::Error> {
        Ok(Option::<Options>::deserialize(d)?.and_then(|o| o.link))
    }
}

impl ObjectInfo {
    pub(crate) fn decode(payload: &[u8]) -> Result<ObjectInfo> {
        serde_json::from_slice(payload).map_err(|e| {
            Error::new(
                ErrorKind::Server,
                format!("an object's info is not valid: {e}"),
            )
        })
    }

    pub(crate) fn encode(&self) -> Result<Bytes> {
        serde_json::to_vec(self)
            .map(Bytes::from)
            .map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))
    }
}

/// An object name: anything but empty (it is base64url-encoded on the wire).
pub(crate) fn validate_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid("object name", "must not be empty"));
    }
    Ok(())
}

/// The meta subject's last token for `name`.
pub(crate) fn encode_name(name: &str) -> String {
    URL_SAFE.encode(name)
}

/// The digest as the info records it.
pub(crate) fn digest_text(sum: &[u8]) -> String {
    format!("SHA-256={}", URL_SAFE.encode(sum))
}

/// Now, RFC 3339.
pub(crate) fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
