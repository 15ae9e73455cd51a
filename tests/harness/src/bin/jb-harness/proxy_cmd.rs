//! `jb-harness proxy --target HOST:PORT [--listen PORT]`.

use std::io::BufRead;

use jetbridge_harness::{Proxy, ProxyMode};
use serde_json::{Value, json};

use crate::args;
use crate::out::{emit, error};

pub(crate) fn run(argv: &[String]) -> Result<(), String> {
    let flags = args::parse(argv, &["target", "listen"])?;
    let target = flags
        .get("target")
        .ok_or("--target HOST:PORT is required")?;
    let listen = match flags.get("listen") {
        Some(p) => p
            .parse::<u16>()
            .map_err(|_| format!("--listen {p:?} is not a port"))?,
        None => 0,
    };
    let proxy = Proxy::start_on(listen, target.as_str()).map_err(|e| e.to_string())?;
    // The proxy's threads die with the process; signals need no cleanup beyond exiting.
    if !emit(&status(&proxy, "start")) {
        return Ok(());
    }
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let cmd = line.trim();
        if cmd.is_empty() {
            continue;
        }
        if cmd == "stop" {
            drop(proxy);
            emit(&json!({ "ok": true, "cmd": "stop" }));
            return Ok(());
        }
        let reply = match (cmd, ProxyMode::parse(cmd)) {
            ("status", _) => status(&proxy, cmd),
            (_, Ok(mode)) => match proxy.set_mode(mode) {
                Ok(()) => status(&proxy, cmd),
                Err(e) => error(cmd, &e.to_string()),
            },
            (_, Err(e)) => error(cmd, &e.to_string()),
        };
        if !emit(&reply) {
            break;
        }
    }
    Ok(())
}

fn status(p: &Proxy, cmd: &str) -> Value {
    json!({
        "ok": true,
        "cmd": cmd,
        "addr": p.addr().to_string(),
        "port": p.port(),
        "url": p.url(),
        "target": p.target().to_string(),
        "mode": p.mode(),
        "connections": p.connections(),
    })
}
