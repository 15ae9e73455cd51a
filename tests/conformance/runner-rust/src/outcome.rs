//! What one step ended with, and its transcript line.

use serde_json::{Map, Value, json};

use crate::canonical;

/// Why a step did not produce a result.
#[derive(Debug)]
pub(crate) enum StepError {
    /// The core returned this error.
    Core(jetbridge::Error),
    /// The scenario asked for something this runner cannot do (unknown op,
    /// unknown argument value). Printed as `UNSUPPORTED`.
    Unsupported(String),
    /// The scenario is malformed or refers to something that does not exist
    /// (an unknown alias, a missing argument). Printed as `RUNNER`.
    Runner(String),
}

impl From<jetbridge::Error> for StepError {
    fn from(e: jetbridge::Error) -> StepError {
        eprintln!("  core error: {e}\n  core error debug: {e:?}");
        StepError::Core(e)
    }
}

/// The result of one step: a JSON object, or an error.
pub(crate) type StepResult = Result<Value, StepError>;

/// A `RUNNER` error with a reason (the reason goes to stderr only).
pub(crate) fn runner(reason: impl Into<String>) -> StepError {
    StepError::Runner(reason.into())
}

/// The transcript line of step `step` (1-based). An error line carries the
/// server's `api_code` when the error has one, with `show_text` the error's
/// text, and with `catch` the kind a Rust program matches on, `e.kind()`
/// (SPEC.md §2).
pub(crate) fn line(
    step: usize,
    op: &str,
    result: &StepResult,
    show_text: bool,
    catch: bool,
) -> String {
    let mut m = Map::new();
    m.insert("step".into(), json!(step));
    m.insert("op".into(), json!(op));
    match result {
        Ok(v) => {
            m.insert("ok".into(), v.clone());
        }
        Err(e) => {
            let name = match e {
                StepError::Core(e) => {
                    if let Some(code) = e.api_code() {
                        m.insert("api_code".into(), json!(code));
                    }
                    if show_text {
                        m.insert("text".into(), json!(e.to_string()));
                    }
                    if catch {
                        m.insert("caught_as".into(), json!(e.kind().name()));
                    }
                    e.kind().name().to_string()
                }
                StepError::Unsupported(why) => {
                    eprintln!("  unsupported: {why}");
                    "UNSUPPORTED".to_string()
                }
                StepError::Runner(why) => {
                    eprintln!("  runner error: {why}");
                    "RUNNER".to_string()
                }
            };
            m.insert("error".into(), json!(name));
        }
    }
    canonical::encode(&Value::Object(m))
}
