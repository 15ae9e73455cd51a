//! Never strip what JetBridge does not model.
//!
//! JetBridge's config types model a subset of what a server accepts. A config
//! written back to the server must not drop the rest: a stream made by the nats
//! CLI, Terraform or the Kubernetes operator can carry sources, a mirror,
//! republish, subject transforms, placement, compression, metadata… An update
//! therefore starts from the server's current config (as raw JSON) and
//! overlays only the keys JetBridge sends.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

/// A stream's or consumer's info with its config as the server sent it,
/// every key kept.
#[derive(Deserialize)]
pub(crate) struct RawInfo {
    pub(crate) config: Map<String, Value>,
}

/// The server's `current` config with every key that `ours` serialises
/// replaced by ours. Keys `ours` does not send (fields JetBridge does not
/// model, and optional fields left unset) keep the server's value unchanged.
pub(crate) fn overlay<T: Serialize>(current: Map<String, Value>, ours: &T) -> Result<Value> {
    let Value::Object(ours) = serde_json::to_value(ours)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("cannot encode config: {e}")))?
    else {
        return Err(Error::new(
            ErrorKind::Internal,
            "a config must encode as a JSON object",
        ));
    };
    let mut merged = current;
    merged.extend(ours);
    Ok(Value::Object(merged))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_we_send_win_and_the_rest_stay() {
        let current = json!({
            "name": "S", "max_msgs": 10, "subject_transform": {"src": "a.>", "dest": "b.>"},
            "metadata": {"owner": "terraform"}, "description": "old"
        });
        let Value::Object(current) = current else {
            unreachable!()
        };
        let ours = json!({"name": "S", "max_msgs": 20});
        let merged = overlay(current, &ours).unwrap();
        assert_eq!(
            merged,
            json!({
                "name": "S", "max_msgs": 20, "subject_transform": {"src": "a.>", "dest": "b.>"},
                "metadata": {"owner": "terraform"}, "description": "old"
            })
        );
    }
}
