//! Pulls that belong to a consumer's priority group (server 2.11+).
//!
//! A consumer with `priority_groups` serves only pulls that name one of its
//! groups. What else a pull carries depends on the consumer's policy:
//! - `overflow`: `min_pending` / `min_ack_pending` hold the pull until the
//!   consumer has at least that many pending / unacknowledged messages
//!   (either is enough when both are set);
//! - `prioritized` (2.12+): pulls with a lower `priority` (0–9) are served
//!   first;
//! - `pinned_client`: the server pins one consumer handle. Its messages carry
//!   a `Nats-Pin-Id` header; the handle sends that id back (`id`) on each
//!   later pull. After an unpin (or `pinned_ttl` without pulls) the server
//!   refuses a pull with the old id (status 423); the handle forgets it and
//!   pulls again without one, to be pinned anew or to wait as a standby.

use serde::Serialize;

use crate::client::ClientInner;
use crate::consumer::ConsumerInner;
use crate::error::{Error, Result};
use crate::server_version::{V2_11, V2_12};
use crate::validate;

/// The header that carries the pin id of a `pinned_client` consumer.
pub const PIN_ID_HEADER: &str = "Nats-Pin-Id";

/// Highest `priority` a prioritized pull may have (0 is served first).
pub const MAX_PRIORITY: u8 = 9;

/// The priority-group fields of one pull request (all absent for a
/// consumer without priority groups).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct PriorityPull {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min_pending: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min_ack_pending: Option<u64>,
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) priority: u8,
    /// The pin id this handle holds (`pinned_client`), set per request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
}

impl PriorityPull {
    /// Checks a pull's priority fields: a valid group name; the other
    /// fields only with a group; counts at least 1; `priority` at most 9.
    pub(crate) fn new(
        group: Option<&String>,
        min_pending: Option<u64>,
        min_ack_pending: Option<u64>,
        priority: u8,
    ) -> Result<PriorityPull> {
        if let Some(g) = group {
            validate::priority_group("group", g)?;
        }
        let needs_group = [
            (min_pending.is_some(), "min_pending"),
            (min_ack_pending.is_some(), "min_ack_pending"),
            (priority != 0, "priority"),
        ];
        if group.is_none()
            && let Some((_, field)) = needs_group.iter().find(|(set, _)| *set)
        {
            return Err(Error::invalid(
                field,
                "needs a group (the consumer's priority group)",
            ));
        }
        for (value, field) in [
            (min_pending, "min_pending"),
            (min_ack_pending, "min_ack_pending"),
        ] {
            if value == Some(0) {
                return Err(Error::invalid(field, "must be at least 1"));
            }
        }
        if priority > MAX_PRIORITY {
            return Err(Error::invalid(
                "priority",
                format!("must be between 0 and {MAX_PRIORITY}"),
            ));
        }
        Ok(PriorityPull {
            group: group.cloned(),
            min_pending,
            min_ack_pending,
            priority,
            id: None,
        })
    }

    /// Checks the pull's group against the consumer's `priority_groups`
    /// (fixed when the consumer is made): a consumer with groups serves only
    /// pulls in one of them; one without serves no grouped pull.
    pub(crate) fn check_groups(&self, consumer: &str, groups: &[String]) -> Result<()> {
        match (&self.group, groups.is_empty()) {
            (None, true) => Ok(()),
            (Some(_), true) => Err(Error::invalid(
                "group",
                format!("consumer {consumer:?} has no priority groups"),
            )),
            (None, false) => Err(Error::invalid(
                "group",
                format!(
                    "consumer {consumer:?} serves only pulls in its priority groups {groups:?}"
                ),
            )),
            (Some(g), false) if !groups.contains(g) => Err(Error::invalid(
                "group",
                format!("{g:?} is not one of consumer {consumer:?}'s priority groups {groups:?}"),
            )),
            (Some(_), false) => Ok(()),
        }
    }

    /// Checks the pull for consumer handle `c` before anything is sent: the
    /// server's version, then the consumer's groups.
    pub(crate) fn check_for(&self, c: &ConsumerInner) -> Result<()> {
        self.check_server(&c.client)?;
        let groups = c
            .config
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .priority_groups
            .clone();
        self.check_groups(&c.name, &groups)
    }

    /// Fails with `SERVER_TOO_OLD` when the connected server cannot serve
    /// these fields.
    fn check_server(&self, client: &ClientInner) -> Result<()> {
        let features = [
            (self.group.is_some(), "group", V2_11),
            (self.priority != 0, "priority", V2_12),
        ];
        let needed: Vec<_> = features
            .into_iter()
            .filter_map(|(set, name, v)| set.then_some((name, v)))
            .collect();
        client.require_features(&needed)
    }
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

/// The pin id a consumer handle holds, shared by its fetches and its
/// message stream.
#[derive(Debug, Default)]
pub(crate) struct Pin(std::sync::Mutex<Option<String>>);

impl Pin {
    /// The id to send with the next pull (none before the first pin).
    pub(crate) fn get(&self) -> Option<String> {
        self.0.lock().map(|g| g.clone()).unwrap_or(None)
    }

    /// Remembers the pin id a delivered message carries, if any.
    pub(crate) fn observe(&self, msg: &async_nats::Message) {
        let id = msg
            .headers
            .as_ref()
            .and_then(|h| h.get(PIN_ID_HEADER))
            .map(|v| v.as_str().to_string());
        if let (Some(id), Ok(mut held)) = (id, self.0.lock())
            && held.as_deref() != Some(id.as_str())
        {
            *held = Some(id);
        }
    }

    /// Forgets the pin (the server refused it: another handle is pinned).
    pub(crate) fn forget(&self) {
        if let Ok(mut held) = self.0.lock() {
            *held = None;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn field_of(e: Error) -> String {
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        e.message().to_string()
    }

    #[test]
    fn fields_other_than_group_need_a_group() {
        let e = PriorityPull::new(None, Some(5), None, 0).unwrap_err();
        assert!(field_of(e).starts_with("invalid min_pending"));
        let e = PriorityPull::new(None, None, None, 1).unwrap_err();
        assert!(field_of(e).starts_with("invalid priority"));
        assert_eq!(
            PriorityPull::new(None, None, None, 0).unwrap(),
            PriorityPull::default()
        );
    }

    #[test]
    fn bounds_are_checked() {
        let g = "jobs".to_string();
        let e = PriorityPull::new(Some(&g), Some(0), None, 0).unwrap_err();
        assert!(field_of(e).contains("at least 1"));
        let e = PriorityPull::new(Some(&g), None, None, 10).unwrap_err();
        assert!(field_of(e).contains("between 0 and 9"));
        let bad = "no.dots".to_string();
        assert!(PriorityPull::new(Some(&bad), None, None, 0).is_err());
        let ok = PriorityPull::new(Some(&g), Some(3), Some(2), 9).unwrap();
        let json = serde_json::to_value(&ok).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"group":"jobs","min_pending":3,"min_ack_pending":2,"priority":9})
        );
    }
}
