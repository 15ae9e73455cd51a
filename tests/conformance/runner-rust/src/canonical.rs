//! The canonical JSON encoding of transcript lines (SPEC.md, "Canonical JSON").
//!
//! Object keys sorted by byte order, no whitespace, integers only, strings
//! escaped exactly like Python's `json.dumps(..., ensure_ascii=True)`: `\"`,
//! `\\`, `\b \f \n \r \t`, other control characters, DEL (U+007F) and every
//! non-ASCII character as lower-case `\uXXXX` (UTF-16 surrogate pairs above
//! U+FFFF).
//! Nothing else is escaped. Every runner must produce these exact bytes.

use serde_json::Value;

/// Encodes `value` as one canonical JSON line (without the newline).
pub(crate) fn encode(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                if let Some(v) = map.get(key.as_str()) {
                    write_value(out, v);
                }
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) >= 0x7f => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn matches_python_ensure_ascii() {
        let v: Value =
            serde_json::from_str(r#"{"b":[1,-2,true,null],"a":"x\"\\\n\u0001é😀/<>&\u007f"}"#)
                .unwrap();
        assert_eq!(
            encode(&v),
            r#"{"a":"x\"\\\n\u0001\u00e9\ud83d\ude00/<>&\u007f","b":[1,-2,true,null]}"#
        );
    }
}
