//! Reading `/jsz?accounts=true&streams=true[&consumers=true]` answers.

use serde_json::Value;

/// The `/jsz` query listing the streams (and consumers) of all accounts; callers filter by
/// account themselves so that both account ids and JWT account names match.
pub(crate) fn jsz_query(consumers: bool) -> &'static str {
    if consumers {
        "/jsz?accounts=true&streams=true&consumers=true"
    } else {
        "/jsz?accounts=true&streams=true"
    }
}

/// The `stream_detail` entries named `stream` under `account_details`, filtered by account
/// if given (matching the account's `id` — `$G` or a JWT account's public key — or `name`).
pub(crate) fn stream_details<'a>(
    jsz: &'a Value,
    account: Option<&str>,
    stream: &str,
) -> Vec<&'a Value> {
    let accounts = jsz.get("account_details").and_then(Value::as_array);
    accounts
        .into_iter()
        .flatten()
        .filter(|a| {
            account.is_none()
                || a.get("id").and_then(Value::as_str) == account
                || a.get("name").and_then(Value::as_str) == account
        })
        .filter_map(|a| a.get("stream_detail").and_then(Value::as_array))
        .flatten()
        .filter(|sd| sd.get("name").and_then(Value::as_str) == Some(stream))
        .collect()
}

/// The `consumer_detail` entries named `consumer` of the matching streams.
pub(crate) fn consumer_details<'a>(
    jsz: &'a Value,
    account: Option<&str>,
    stream: &str,
    consumer: &str,
) -> Vec<&'a Value> {
    stream_details(jsz, account, stream)
        .into_iter()
        .filter_map(|sd| sd.get("consumer_detail").and_then(Value::as_array))
        .flatten()
        .filter(|cd| cd.get("name").and_then(Value::as_str) == Some(consumer))
        .collect()
}
