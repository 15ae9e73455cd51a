//! JSON-lines output on stdout.

use std::io::Write;

use serde_json::{Value, json};

/// Writes one JSON line to stdout and flushes. Returns false if stdout is gone (the parent
/// died), in which case the caller should tear down and exit.
pub(crate) fn emit(v: &Value) -> bool {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{v}")
        .and_then(|()| stdout.flush())
        .is_ok()
}

/// `{"ok":false,"cmd":…,"error":…}`.
pub(crate) fn error(cmd: &str, message: &str) -> Value {
    json!({ "ok": false, "cmd": cmd, "error": message })
}
