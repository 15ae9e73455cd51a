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
    /// Whether the pass criteria held: false until a check was made, and
    /// false for good once one failed.
    pub passed: bool,
    /// Pass criteria checked (0: "not checked", which is not a pass).
    pub checks: u32,
    /// Figures, by name.
    pub figures: BTreeMap<String, serde_json::Value>,
    /// Observations in words (characterisations, failures).
    pub notes: Vec<String>,
    /// Wall time, seconds.
    pub seconds: f64,
}

impl Outcome {
    /// A new outcome: not checked, so not passed, until its first check.
    pub fn new(name: &str, plan: u32, what: &str) -> Outcome {
        Outcome {
            name: name.into(),
            plan,
            what: what.into(),
            passed: false,
            checks: 0,
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
        self.passed = ok && (self.checks == 0 || self.passed);
        self.checks += 1;
        if !ok {
            self.passed = false;
            self.notes.push(format!("FAILED: {}", what.into()));
        }
    }

    /// `pass`, `**FAIL**`, or `**FAIL** (not checked)`.
    pub fn verdict(&self) -> &'static str {
        match (self.passed, self.checks) {
            (true, _) => "pass",
            (false, 0) => "**FAIL** (not checked)",
            (false, _) => "**FAIL**",
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
            o.verdict(),
            figures.join(", "),
            o.seconds
        );
    }
    for o in outcomes.iter().filter(|o| !o.notes.is_empty()) {
        let _ = writeln!(md, "\n**{}**: {}", o.name, o.notes.join(" "));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outcome_passes_only_once_checked_and_never_after_a_failure() {
        let mut o = Outcome::new("t", 0, "t");
        assert!(!o.passed);
        assert_eq!(o.verdict(), "**FAIL** (not checked)");
        o.check(true, "a");
        assert!(o.passed);
        o.check(false, "b");
        o.check(true, "c");
        assert!(!o.passed);
        assert_eq!(o.notes, vec!["FAILED: b".to_string()]);
    }
}
