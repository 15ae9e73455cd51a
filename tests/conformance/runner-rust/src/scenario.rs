//! Loading a scenario file: the runner needs only each step's `op` and
//! `args`; expectations (`expect`, `expect_error`) are the driver's business.

use serde_json::{Map, Value};

/// One step of a scenario.
pub(crate) struct Step {
    /// The operation name (SPEC.md, "Operations").
    pub(crate) op: String,
    /// Its arguments (an empty object when the step has none).
    pub(crate) args: Map<String, Value>,
    /// Print the error's text in the step's line (`show_text`, SPEC.md §2).
    pub(crate) show_text: bool,
    /// Print the kind the language's catch idiom sees (`catch`, SPEC.md §2).
    pub(crate) catch: bool,
}

/// Reads the steps of the scenario at `path`.
pub(crate) fn load(path: &str) -> Result<Vec<Step>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("{path} is not valid JSON: {e}"))?;
    let steps = doc
        .get("steps")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{path}: \"steps\" must be a list"))?;
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let op = step
                .get("op")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{path}: step {} has no \"op\"", i + 1))?;
            let args = match step.get("args") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(m)) => m.clone(),
                Some(_) => {
                    return Err(format!("{path}: step {} \"args\" must be an object", i + 1));
                }
            };
            Ok(Step {
                op: op.to_string(),
                args,
                show_text: step
                    .get("show_text")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                catch: step.get("catch").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect()
}
