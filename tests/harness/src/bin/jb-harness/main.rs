//! `jb-harness`: start nats-servers / proxies for tests in any language.
//!
//! Protocol: the command prints ONE JSON line describing what it started, then reads
//! commands from stdin (one per line) and answers each with ONE JSON line on stdout.
//! Everything it started is killed on `stop`, on stdin EOF, and on SIGTERM/SIGINT/SIGHUP.
//! See tests/harness/README.md for the full protocol.

mod args;
mod out;
mod proxy_cmd;
mod start;
mod targets;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  jb-harness start [--cluster N] [--auth none|token|user|nkey|jwt|tls|mtls|tls-first|callout]
                   [--sync-interval always|default|<N>ms] [--max-payload BYTES]
                   [--server-cert valid|localhost-only|expired] [--name NAME]
                   [--proxied-routes on|off]
      stdin: kill9 I | restart I | shutdown I | pause I | resume I | lameduck I
             | partition I [blackhole|reset] | heal | unproxied_routes
             | stream_leader STREAM [ACCOUNT] | consumer_leader STREAM CONSUMER [ACCOUNT]
             | meta_leader | wait_ready | info | monitor I PATH | stop
  jb-harness proxy --target HOST:PORT [--listen PORT]
      stdin: pass | blackhole | reset | status | stop
  jb-harness which
";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = match argv.first().map(String::as_str) {
        Some("start") => start::run(&argv[1..]),
        Some("proxy") => proxy_cmd::run(&argv[1..]),
        Some("which") => which(),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing subcommand\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out::emit(&out::error("startup", &e));
            eprintln!("jb-harness: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints `{"ok":true,"path":…,"version":…}`.
fn which() -> Result<(), String> {
    let path = jetbridge_harness::nats_server_binary().map_err(|e| e.to_string())?;
    let version = jetbridge_harness::nats_server_version(&path).map_err(|e| e.to_string())?;
    out::emit(&serde_json::json!({ "ok": true, "path": path, "version": version }));
    Ok(())
}
