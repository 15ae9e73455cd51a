//! `jb-conformance SCENARIO.json`: runs one conformance scenario through the
//! public API of the Rust core (`jetbridge`) and prints its transcript, one
//! canonical JSON line per step (tests/conformance/SPEC.md).
//!
//! Exit code 0 when every step was executed (whatever its outcome), 2 when
//! the scenario cannot be read. Diagnostics go to stderr.

mod args;
mod canonical;
mod ops;
mod outcome;
mod print;
mod scenario;
mod state;

use std::io::Write;
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: jb-conformance SCENARIO.json");
        return ExitCode::from(2);
    };
    let steps = match scenario::load(&path) {
        Ok(steps) => steps,
        Err(e) => {
            eprintln!("jb-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    // Every core log record, at the most verbose level, to stderr: the
    // suite's secret scan reads it (SPEC.md §7).
    jetbridge::set_log_sink(jetbridge::LogLevel::Debug, |r| {
        use jetbridge::Named;
        eprintln!("jetbridge {} {}: {}", r.level.name(), r.topic, r.message);
    });
    let mut st = state::State::default();
    let mut stdout = std::io::stdout();
    for (i, step) in steps.iter().enumerate() {
        eprintln!("step {} {}", i + 1, step.op);
        let result = ops::run(&mut st, step).await;
        let line = outcome::line(i + 1, &step.op, &result, step.show_text, step.catch);
        if writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::from(3);
        }
    }
    st.shutdown().await;
    ExitCode::SUCCESS
}
