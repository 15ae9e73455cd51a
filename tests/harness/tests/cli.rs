//! The `jb-harness` CLI protocol: one JSON line out, one JSON line per command, cleanup on
//! `stop`, stdin EOF and SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::Value;

struct Cli {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl Cli {
    fn spawn(args: &[&str]) -> Cli {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jb-harness"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Cli {
            child,
            stdin,
            lines,
        }
    }

    fn line(&self) -> Value {
        let l = self
            .lines
            .recv_timeout(Duration::from_secs(30))
            .expect("no JSON line in 30 s");
        serde_json::from_str(&l).unwrap()
    }

    fn cmd(&mut self, c: &str) -> Value {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{c}").unwrap();
        stdin.flush().unwrap();
        self.line()
    }

    fn wait(&mut self) -> std::process::ExitStatus {
        for _ in 0..200 {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().unwrap();
        panic!("jb-harness did not exit within 10 s");
    }
}

fn pids(info: &Value) -> Vec<u64> {
    info["servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["pid"].as_u64())
        .collect()
}

fn alive(pid: u64) -> bool {
    // A zombie is dead for our purposes (init reaps it).
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.rsplit_once(')').unwrap().1.trim_start().starts_with('Z'))
        .unwrap_or(false)
}

#[test]
fn single_server_commands_and_stop() {
    let mut cli = Cli::spawn(&["start", "--auth", "user", "--max-payload", "4096"]);
    let info = cli.line();
    assert_eq!(info["ok"], true, "{info}");
    assert_eq!(info["auth"]["mode"], "user");
    assert_eq!(info["auth"]["user"], "app");
    assert!(info["auth"]["password"].as_str().unwrap().len() >= 16);
    let s = &info["servers"][0];
    assert_eq!(info["urls"][0], s["url"]);
    assert!(std::path::Path::new(s["store_dir"].as_str().unwrap()).is_dir());
    assert!(std::path::Path::new(s["log"].as_str().unwrap()).is_file());
    let first = pids(&info);

    let r = cli.cmd("kill9 0");
    assert_eq!(r["ok"], true, "{r}");
    assert!(r["server"]["pid"].is_null());
    let r = cli.cmd("restart 0");
    assert_eq!(r["ok"], true, "{r}");
    assert_ne!(r["server"]["pid"].as_u64(), Some(first[0]));
    assert_eq!(r["server"]["port"], s["port"]);
    assert_eq!(cli.cmd("pause 0")["server"]["paused"], true);
    assert_eq!(cli.cmd("resume 0")["server"]["paused"], false);
    let r = cli.cmd("monitor 0 /varz");
    assert_eq!(r["body"]["max_payload"], 4096);
    let r = cli.cmd("stream_leader NOPE");
    assert_eq!(r["ok"], false);
    assert!(r["error"].as_str().unwrap().contains("not found"));
    let r = cli.cmd("kill9 7");
    assert_eq!(r["ok"], false);
    assert_eq!(cli.cmd("frobnicate")["ok"], false);
    let now = pids(&cli.cmd("info"));
    assert_eq!(cli.cmd("stop")["ok"], true);
    assert!(cli.wait().success());
    assert!(now.iter().all(|p| !alive(*p)));
    assert!(!std::path::Path::new(s["store_dir"].as_str().unwrap()).exists());
}

#[test]
fn cluster_cleans_up_on_stdin_eof() {
    let mut cli = Cli::spawn(&["start", "--cluster", "3", "--auth", "jwt"]);
    let info = cli.line();
    assert_eq!(info["ok"], true, "{info}");
    assert_eq!(info["servers"].as_array().unwrap().len(), 3);
    assert!(std::path::Path::new(info["auth"]["jwt"]["user"]["creds"].as_str().unwrap()).is_file());
    assert!(info["auth"]["jwt"]["expired"]["jwt"].is_string());
    let r = cli.cmd("meta_leader");
    assert!(r["index"].as_u64().unwrap() < 3, "{r}");
    assert_eq!(cli.cmd("pause 1")["ok"], true);
    let p = pids(&info);
    drop(cli.stdin.take());
    assert!(cli.wait().success());
    assert!(p.iter().all(|p| !alive(*p)), "servers survived stdin EOF");
}

#[test]
fn sigterm_kills_everything() {
    let mut cli = Cli::spawn(&["start", "--auth", "mtls"]);
    let info = cli.line();
    let tls = &info["auth"]["tls"];
    assert_eq!(tls["verify"], true);
    assert!(std::path::Path::new(tls["client_cert"].as_str().unwrap()).is_file());
    assert!(info["tls_urls"][0].as_str().unwrap().starts_with("tls://"));
    let p = pids(&info);
    // SAFETY: kill(2) on our own child's pid.
    let rc = unsafe { libc::kill(cli.child.id() as i32, libc::SIGTERM) };
    assert_eq!(rc, 0);
    let st = cli.wait();
    assert_eq!(st.code(), Some(143));
    assert!(p.iter().all(|p| !alive(*p)));
}

#[test]
fn bad_arguments_fail_with_a_json_error() {
    let mut cli = Cli::spawn(&["start", "--auth", "kerberos"]);
    let l = cli.line();
    assert_eq!(l["ok"], false);
    assert!(l["error"].as_str().unwrap().contains("kerberos"));
    assert!(!cli.wait().success());
}

#[test]
fn proxy_and_which() {
    let target = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = target.local_addr().unwrap().to_string();
    let mut cli = Cli::spawn(&["proxy", "--target", &addr]);
    let l = cli.line();
    assert_eq!(l["mode"], "pass", "{l}");
    assert_eq!(cli.cmd("blackhole")["mode"], "blackhole");
    assert_eq!(cli.cmd("reset")["mode"], "reset");
    assert_eq!(cli.cmd("pass")["mode"], "pass");
    assert_eq!(cli.cmd("status")["connections"], 0);
    assert_eq!(cli.cmd("sideways")["ok"], false);
    assert_eq!(cli.cmd("stop")["ok"], true);
    assert!(cli.wait().success());

    let mut w = Cli::spawn(&["which"]);
    let l = w.line();
    assert!(l["version"].as_str().unwrap().contains("v2."), "{l}");
    assert!(w.wait().success());
}

/// Polls `monitor I /routez` until `num_routes` satisfies `want`, for at most 20 s.
fn wait_routes(cli: &mut Cli, i: usize, want: impl Fn(u64) -> bool) -> u64 {
    let mut last = u64::MAX;
    for _ in 0..100 {
        let r = cli.cmd(&format!("monitor {i} /routez"));
        last = r["body"]["num_routes"].as_u64().unwrap_or(u64::MAX);
        if want(last) {
            return last;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("node {i} still has {last} routes after 20 s");
}

#[test]
fn proxied_routes_partition_and_heal() {
    let mut cli = Cli::spawn(&["start", "--cluster", "3", "--proxied-routes", "on"]);
    let info = cli.line();
    assert_eq!(info["ok"], true, "{info}");
    let r = cli.cmd("unproxied_routes");
    assert_eq!(r["routes"], serde_json::json!([]), "{r}");
    assert!(wait_routes(&mut cli, 0, |n| n > 0) > 0);

    // reset aborts node 0's route connections and refuses new ones: its routes go away.
    let r = cli.cmd("partition 0 reset");
    assert_eq!(
        (r["ok"].clone(), r["mode"].clone()),
        (true.into(), "reset".into()),
        "{r}"
    );
    wait_routes(&mut cli, 0, |n| n == 0);
    let r = cli.cmd("heal");
    assert_eq!(r["ok"], true, "{r}");
    wait_routes(&mut cli, 0, |n| n > 0);

    assert_eq!(cli.cmd("partition 0")["mode"], "blackhole");
    assert_eq!(cli.cmd("heal")["ok"], true);
    assert_eq!(cli.cmd("partition 0 pass")["ok"], false);
    assert_eq!(cli.cmd("partition 9")["ok"], false);
    assert_eq!(cli.cmd("stop")["ok"], true);
    assert!(cli.wait().success());

    // Without proxied routes, and on a single server, the commands fail with a reason.
    let mut plain = Cli::spawn(&["start", "--cluster", "3"]);
    assert_eq!(plain.line()["ok"], true);
    let r = plain.cmd("partition 0");
    assert!(
        r["error"].as_str().unwrap().contains("proxied_routes"),
        "{r}"
    );
    drop(plain.stdin.take());
    assert!(plain.wait().success());
    let mut single = Cli::spawn(&["start", "--proxied-routes", "on"]);
    let l = single.line();
    assert!(l["error"].as_str().unwrap().contains("--cluster"), "{l}");
    assert!(!single.wait().success());
}
