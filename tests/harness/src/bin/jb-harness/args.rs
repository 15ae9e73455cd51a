//! Minimal `--flag value` parsing.

use std::collections::HashMap;

/// Parses `--key value` pairs; every key must be in `allowed`.
pub(crate) fn parse(argv: &[String], allowed: &[&str]) -> Result<HashMap<String, String>, String> {
    let mut map = HashMap::new();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let key = flag
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {flag:?}"))?;
        let (key, value) = match key.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => {
                let v = it.next().ok_or_else(|| format!("--{key} needs a value"))?;
                (key.to_string(), v.clone())
            }
        };
        if !allowed.contains(&key.as_str()) {
            return Err(format!(
                "unknown option --{key}; allowed: --{}",
                allowed.join(", --")
            ));
        }
        map.insert(key, value);
    }
    Ok(map)
}
