//! `jb-harness start`: start servers, print their description, obey stdin commands.

use std::io::BufRead;
use std::sync::{Arc, Mutex};

use jetbridge_harness::{
    AuthMode, Cluster, ClusterOptions, ProxyMode, Server, ServerCert, ServerOptions, SyncInterval,
};
use serde_json::{Value, json};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use crate::args;
use crate::out::{emit, error};
use crate::targets::Targets;

type Shared = Arc<Mutex<Option<Targets>>>;

pub(crate) fn run(argv: &[String]) -> Result<(), String> {
    let flags = args::parse(
        argv,
        &[
            "cluster",
            "auth",
            "sync-interval",
            "max-payload",
            "server-cert",
            "name",
            "proxied-routes",
        ],
    )?;
    let proxied_routes = match flags.get("proxied-routes").map(String::as_str) {
        None | Some("off") => false,
        Some("on") => true,
        Some(other) => return Err(format!("--proxied-routes {other:?}: expected on or off")),
    };
    let mut opts = ServerOptions::default().kill_on_parent_death(true);
    if let Some(a) = flags.get("auth") {
        opts = opts.auth(AuthMode::parse(a).map_err(|e| e.to_string())?);
    }
    if let Some(s) = flags.get("sync-interval") {
        opts = opts.sync_interval(SyncInterval::parse(s).map_err(|e| e.to_string())?);
    }
    if let Some(m) = flags.get("max-payload") {
        let bytes = m
            .parse::<u64>()
            .map_err(|_| format!("--max-payload {m:?} is not a number"))?;
        opts = opts.max_payload(bytes);
    }
    if let Some(c) = flags.get("server-cert") {
        opts = opts.server_cert(ServerCert::parse(c).map_err(|e| e.to_string())?);
    }
    if let Some(n) = flags.get("name") {
        opts = opts.name(n.clone());
    }
    // Install signal handling before any server exists so none can leak.
    let shared: Shared = Arc::new(Mutex::new(None));
    install_signal_handler(shared.clone())?;
    let targets = match flags.get("cluster") {
        Some(n) => {
            let n = n
                .parse::<usize>()
                .map_err(|_| format!("--cluster {n:?} is not a number"))?;
            let cluster = ClusterOptions::default()
                .size(n)
                .server(opts)
                .proxied_routes(proxied_routes);
            Targets::Cluster(Cluster::start_with(cluster).map_err(|e| e.to_string())?)
        }
        None if proxied_routes => return Err("--proxied-routes needs --cluster N".into()),
        None => Targets::Single(Box::new(
            Server::start_with(opts).map_err(|e| e.to_string())?,
        )),
    };
    let first = targets.describe();
    *lock(&shared) = Some(targets);
    if !emit(&first) {
        teardown(&shared);
        return Ok(());
    }
    command_loop(&shared);
    teardown(&shared);
    Ok(())
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Option<Targets>> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

/// Drops every server: SIGCONT if paused, SIGKILL, reap, remove temp dirs.
fn teardown(shared: &Shared) {
    drop(lock(shared).take());
}

fn install_signal_handler(shared: Shared) -> Result<(), String> {
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])
        .map_err(|e| format!("installing signal handlers: {e}"))?;
    std::thread::Builder::new()
        .name("jb-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                teardown(&shared);
                std::process::exit(128 + sig);
            }
        })
        .map_err(|e| format!("spawning the signal thread: {e}"))?;
    Ok(())
}

fn command_loop(shared: &Shared) {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { return };
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(&cmd) = words.first() else { continue };
        if cmd == "stop" {
            teardown(shared);
            emit(&json!({ "ok": true, "cmd": "stop" }));
            return;
        }
        let reply = {
            let mut guard = lock(shared);
            match guard.as_mut() {
                Some(t) => execute(t, cmd, &words[1..]),
                None => error(cmd, "servers are gone"),
            }
        };
        if !emit(&reply) {
            return;
        }
    }
}

fn execute(t: &mut Targets, cmd: &str, args: &[&str]) -> Value {
    match run_command(t, cmd, args) {
        Ok(mut v) => {
            v["ok"] = json!(true);
            v["cmd"] = json!(cmd);
            v
        }
        Err(e) => error(cmd, &e),
    }
}

fn run_command(t: &mut Targets, cmd: &str, args: &[&str]) -> Result<Value, String> {
    let s = |e: jetbridge_harness::Error| e.to_string();
    match (cmd, args) {
        ("kill9" | "restart" | "shutdown" | "pause" | "resume" | "lameduck", [i]) => {
            let i = index(i)?;
            let server = t.server_mut(i).map_err(s)?;
            match cmd {
                "kill9" => server.kill9(),
                "restart" => server.restart(),
                "shutdown" => server.stop(),
                "pause" => server.pause(),
                "resume" => server.resume(),
                _ => server.lame_duck(),
            }
            .map_err(s)?;
            Ok(json!({ "index": i, "server": t.describe_index(i) }))
        }
        ("stream_leader", [stream, rest @ ..]) if rest.len() <= 1 => leader(
            t,
            t.stream_leader(rest.first().copied(), stream).map_err(s)?,
        ),
        ("consumer_leader", [stream, consumer, rest @ ..]) if rest.len() <= 1 => leader(
            t,
            t.consumer_leader(rest.first().copied(), stream, consumer)
                .map_err(s)?,
        ),
        ("meta_leader", []) => leader(t, t.meta_leader().map_err(s)?),
        ("partition", [i, mode @ ..]) if mode.len() <= 1 => {
            let i = index(i)?;
            let mode = match mode.first() {
                Some(m) => ProxyMode::parse(m).map_err(s)?,
                None => ProxyMode::Blackhole,
            };
            if mode == ProxyMode::Pass {
                return Err("partition needs blackhole or reset; heal passes again".into());
            }
            t.cluster()?.partition_with(i, mode).map_err(s)?;
            Ok(json!({ "index": i, "mode": mode }))
        }
        ("heal", []) => t.cluster()?.heal().map(|()| json!({})).map_err(s),
        ("unproxied_routes", []) => {
            let routes = t.cluster()?.unproxied_routes().map_err(s)?;
            Ok(json!({ "routes": routes }))
        }
        ("wait_ready", []) => t.wait_ready().map(|()| json!({})).map_err(s),
        ("info", []) => Ok(t.describe()),
        ("monitor", [i, path]) => {
            let i = index(i)?;
            let server = t.server_mut(i).map_err(s)?;
            let body = server.monitor(path).map_err(s)?;
            Ok(json!({ "index": i, "body": body }))
        }
        _ => Err(format!(
            "unknown command or wrong arguments: {cmd} {}",
            args.join(" ")
        )),
    }
}

fn leader(t: &Targets, i: usize) -> Result<Value, String> {
    let servers = t.servers();
    let server = servers.get(i).ok_or("leader index out of range")?;
    Ok(json!({ "index": i, "name": server.name(), "url": server.url() }))
}

fn index(s: &str) -> Result<usize, String> {
    s.parse::<usize>()
        .map_err(|_| format!("server index {s:?} is not a number"))
}
