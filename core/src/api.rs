//! JetStream API requests (`$JS.API.…`) with one error path.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::ClientInner;
use crate::error::{Error, ErrorKind, Result};
use crate::error_map;

#[derive(serde::Deserialize)]
struct ApiErrorBody {
    error: Option<ApiError>,
}

/// The `error` object of a JetStream API or publish reply.
#[derive(serde::Deserialize)]
pub(crate) struct ApiError {
    #[serde(default)]
    pub(crate) code: u16,
    #[serde(default)]
    pub(crate) err_code: u32,
    #[serde(default)]
    pub(crate) description: String,
}

impl ClientInner {
    /// Sends `body` (JSON; `""` for an empty body) to `<api prefix>.<suffix>`
    /// and decodes the answer.
    /// An `{"error": …}` answer becomes the mapped [`Error`]; no responders
    /// becomes `JETSTREAM_UNAVAILABLE`.
    pub(crate) async fn api_request<Req, Resp>(&self, suffix: &str, body: &Req) -> Result<Resp>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        self.check_open()?;
        let mut payload = serde_json::to_vec(body)
            .map_err(|e| Error::new(ErrorKind::Internal, format!("cannot encode request: {e}")))?;
        if payload == b"\"\"" {
            // `""` stands for "no body": INFO/DELETE requests must be empty.
            payload.clear();
        }
        let subject = format!("{}.{}", self.api_prefix, suffix);
        let request = async_nats::Request::new()
            .payload(payload.into())
            .timeout(Some(self.options.request_timeout));
        let reply = self
            .nc
            .send_request(subject, request)
            .await
            .map_err(|e| match e.kind() {
                async_nats::RequestErrorKind::NoResponders => Error::new(
                    ErrorKind::JetstreamUnavailable,
                    "JetStream did not answer (not enabled on this server/account, or temporarily unavailable)",
                ),
                _ => error_map::request_error(&e, "JetStream API request"),
            })?;
        decode_api_reply(&reply.payload)
    }
}

/// Decodes a JetStream API reply body.
pub(crate) fn decode_api_reply<Resp: DeserializeOwned>(body: &[u8]) -> Result<Resp> {
    if let Ok(ApiErrorBody { error: Some(err) }) = serde_json::from_slice::<ApiErrorBody>(body) {
        return Err(error_map::api_error(
            err.code,
            err.err_code,
            &err.description,
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::Server,
            format!(
                "unexpected JetStream API reply ({e}): {}",
                String::from_utf8_lossy(body)
            ),
        )
    })
}

/// Serde helpers for JetStream's wire formats.
pub(crate) mod wire {
    /// `Duration` as integer nanoseconds; 0 and absent mean "unset".
    pub(crate) mod nanos {
        use serde::{Deserialize, Deserializer, Serializer};
        use std::time::Duration;

        pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_u64(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
            let n = i64::deserialize(d)?;
            Ok(Duration::from_nanos(u64::try_from(n).unwrap_or(0)))
        }
    }

    /// `Option<Duration>` as nanoseconds, omitted when `None`.
    pub(crate) mod opt_nanos {
        use serde::{Deserialize, Deserializer, Serializer};
        use std::time::Duration;

        pub(crate) fn serialize<S: Serializer>(
            d: &Option<Duration>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_u64(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Duration>, D::Error> {
            let n = Option::<i64>::deserialize(d)?;
            Ok(n.and_then(|n| u64::try_from(n).ok())
                .filter(|n| *n > 0)
                .map(Duration::from_nanos))
        }
    }

    /// `Vec<Duration>` as a list of nanoseconds.
    pub(crate) mod nanos_list {
        use serde::{Deserialize, Deserializer, Serializer, ser::SerializeSeq};
        use std::time::Duration;

        pub(crate) fn serialize<S: Serializer>(v: &[Duration], s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(v.len()))?;
            for d in v {
                seq.serialize_element(&u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))?;
            }
            seq.end()
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Vec<Duration>, D::Error> {
            let v = Option::<Vec<i64>>::deserialize(d)?.unwrap_or_default();
            Ok(v.into_iter()
                .map(|n| Duration::from_nanos(u64::try_from(n).unwrap_or(0)))
                .collect())
        }
    }

    /// RFC 3339 timestamps as Unix nanoseconds (`i64`).
    pub(crate) mod rfc3339_nanos {
        use serde::{Deserialize, Deserializer, Serializer};

        pub(crate) fn parse(s: &str) -> Option<i64> {
            let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()?;
            i64::try_from(t.unix_timestamp_nanos()).ok()
        }

        pub(crate) fn format(nanos: i64) -> String {
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
        }

        pub(crate) fn serialize<S: Serializer>(n: &i64, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&format(*n))
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
            let s = Option::<String>::deserialize(d)?;
            Ok(s.as_deref().and_then(parse).unwrap_or(0))
        }
    }

    /// `Option<SystemTime>` as RFC 3339 text, omitted when `None`.
    pub(crate) mod opt_time {
        use serde::{Deserialize, Deserializer, Serializer};
        use std::time::SystemTime;

        use crate::record::{system_time, unix_nanos};

        pub(crate) fn serialize<S: Serializer>(
            t: &Option<SystemTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&super::rfc3339_nanos::format(unix_nanos(*t))),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<SystemTime>, D::Error> {
            let s = Option::<String>::deserialize(d)?;
            Ok(s.as_deref()
                .and_then(super::rfc3339_nanos::parse)
                .map(system_time))
        }
    }
}
