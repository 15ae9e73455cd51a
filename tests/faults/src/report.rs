//! One test's outcome, and the report of a run (markdown + JSON).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

/// The outcome of one fault test or characterisation.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// Short name (`kill9_r1`).
    pub name: String,
    /// The test number in the plan (reliability.md §7).
    pub plan: u32,
    /// What was done.
    pub what: String,
    /// Whether the pass criteria held.
    pub passed: bool,
    /// Figures, by name.
    pub figures: BTreeMap<String, serde_json::Value>,
    /// Observations in words (characterisations, failures).
    pub notes: Vec<String>,
    /// Wall time, seconds.
    pub seconds: f64,
}

impl Outcome {
    /// A new outcome that passes until a check fails.
    pub fn new(name: &str, plan: u32, what: &str) -> Outcome {
        Outcome {
            name: name.into(),
            plan,
            what: what.into(),
            passed: true,
            figures: BTreeMap::new(),
            notes: Vec::new(),
            seconds: 0.0,
        }
    }

    /// Records a figure.
    pub fn figure(&mut self, name: &str, value: impl Serialize) {
        self.figures.insert(
            name.to_string(),
            serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        );
    }

    /// Checks a pass criterion; a failure is noted and fails the outcome.
    pub fn check(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.passed = false;
            self.notes.push(format!("FAILED: {}", what.into()));
        }
    }

    /// Adds an observation.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }
}

/// Renders a run as markdown.
pub fn markdown(tier: &str, server: &str, date: &str, outcomes: &[Outcome]) -> String {
    let mut md = String::new();
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let _ = writeln!(md, "# JetBridge fault suite — {tier} tier\n");
    let _ = writeln!(
        md,
        "{date}, nats-server {server}, {passed}/{} passed.\n",
        outcomes.len()
    );
    let _ = writeln!(md, "| # | test | result | figures | seconds |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    for o in outcomes {
        let figures: Vec<String> = o.figures.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(
            md,
            "| {} | {} — {} | {} | {} | {:.1} |",
            o.plan,
            o.name,
            o.what,
            if o.passed { "pass" } else { "**FAIL**" },
            figures.join(", "),
            o.seconds
        );
    }
    for o in outcomes.iter().filter(|o| !o.notes.is_empty()) {
        let _ = writeln!(md, "\n**{}**: {}", o.name, o.notes.join(" "));
    }
    md
}
