//! `jb-faults --tier ci|long [--only a,b] [--out DIR]`: runs the fault tests,
//! prints each outcome, writes `report.md` and `report.json`, and exits
//! non-zero when any pass criterion failed or a test checked nothing; exits 2
//! when a name given to `--only` is not a test.
//!
//! Hidden: `jb-faults cas-worker <url> <name> <wins>` is one process of the
//! `kv_cas_concurrent_writers` test (it re-runs this binary).

use std::time::Instant;

use jetbridge_faults::report::{Outcome, markdown};
use jetbridge_faults::scenarios;
use jetbridge_faults::tier::Tier;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("cas-worker") {
        std::process::exit(scenarios::kv_cas::cas_worker(&args[2..]).await);
    }
    let Some(tier) = Tier::parse(&arg("--tier").unwrap_or_else(|| "ci".into())) else {
        eprintln!("--tier must be ci or long");
        std::process::exit(2);
    };
    let only: Option<Vec<String>> =
        arg("--only").map(|s| s.split(',').map(str::to_string).collect());
    let out = std::path::PathBuf::from(
        arg("--out").unwrap_or_else(|| format!("tests/faults/out/{}", tier.name())),
    );
    let server = jetbridge_harness::nats_server_binary()
        .and_then(|b| jetbridge_harness::nats_server_version(&b))
        .unwrap_or_else(|_| "unknown".into());
    let all = scenarios::all();
    if let Some(unknown) = only
        .iter()
        .flatten()
        .find(|n| !all.iter().any(|(name, _)| name == n))
    {
        let names: Vec<&str> = all.iter().map(|(name, _)| *name).collect();
        eprintln!(
            "--only {unknown}: no such test; the tests are {}",
            names.join(", ")
        );
        std::process::exit(2);
    }
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (name, run) in all {
        if only.as_ref().is_some_and(|o| !o.iter().any(|n| n == name)) {
            continue;
        }
        eprintln!("--- {name}");
        let started = Instant::now();
        // No test without a deadline: a scenario that hangs fails with that
        // reason instead of holding up the run.
        let limit = tier.scenario_limit();
        let mut outcome = match tokio::time::timeout(limit, run(tier)).await {
            Ok(outcome) => outcome,
            Err(_) => {
                let mut o = Outcome::new(name, 0, "(hung)");
                o.check(
                    false,
                    format!("no result within {} s: the scenario hung", limit.as_secs()),
                );
                o
            }
        };
        outcome.seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "{} {name} ({:.1}s) {}",
            outcome.verdict(),
            outcome.seconds,
            serde_json::to_string(&outcome.figures).unwrap_or_default()
        );
        for n in &outcome.notes {
            eprintln!("    {n}");
        }
        outcomes.push(outcome);
    }
    let date = time_stamp();
    let md = markdown(tier.name(), &server, &date, &outcomes);
    let json = serde_json::json!({ "tier": tier.name(), "date": date, "server": server, "outcomes": outcomes });
    if std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(out.join("report.md"), &md);
        let _ = std::fs::write(
            out.join("report.json"),
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        );
    }
    println!("{md}");
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    std::process::exit(i32::from(failed > 0));
}

fn time_stamp() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output();
    out.ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
