//! Premise checks: a fault test first proves that its fault happened. Each
//! injection returns `Err(reason)` when the fault did not take effect (kill
//! refused, the process still there, the restarted server not answering, a
//! step-down refused), and the test records that as a failed check.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use jetbridge::Client;
use jetbridge_harness::{Cluster, Server};

use crate::checker::Checker;
use crate::report::Outcome;

/// How long a restarted server may take to greet a new connection.
const ANSWER_LIMIT: Duration = Duration::from_secs(10);

/// Ok once process `pid` no longer exists (killed and reaped).
pub fn gone(pid: u32) -> Result<(), String> {
    if std::path::Path::new(&format!("/proc/{pid}")).exists() {
        Err(format!("process {pid} still exists after kill -9"))
    } else {
        Ok(())
    }
}

/// Ok once a NATS server on 127.0.0.1:`port` greets a new connection with
/// `INFO` within `limit`.
pub fn answers(port: u16, limit: Duration) -> Result<(), String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let fail = |e: std::io::Error| format!("no NATS server answers on {addr}: {e}");
    let mut conn = TcpStream::connect_timeout(&addr, limit).map_err(fail)?;
    conn.set_read_timeout(Some(limit)).map_err(fail)?;
    let mut greeting = [0u8; 5];
    conn.read_exact(&mut greeting).map_err(fail)?;
    if &greeting == b"INFO " {
        Ok(())
    } else {
        Err(format!("{addr} answered {greeting:?}, not a NATS INFO"))
    }
}

/// `kill -9` on `srv`: it was running, the kill succeeded, the process is gone.
pub fn kill9(srv: &mut Server) -> Result<(), String> {
    let name = srv.name().to_string();
    let pid = srv
        .pid()
        .ok_or_else(|| format!("kill -9 {name}: not running"))?;
    srv.kill9().map_err(|e| format!("kill -9 {name}: {e}"))?;
    gone(pid)
}

/// Node `i` of `cluster`.
pub fn node(cluster: &mut Cluster, i: usize) -> Result<&mut Server, String> {
    cluster.server_mut(i).map_err(|e| e.to_string())
}

/// Restarts `srv` and checks that it answers.
pub fn restart(srv: &mut Server) -> Result<(), String> {
    srv.restart()
        .map_err(|e| format!("restart {}: {e}", srv.name()))?;
    answers(srv.port(), ANSWER_LIMIT)
}

/// [`kill9`], `down` of downtime, [`restart`].
pub fn kill9_restart(srv: &mut Server, down: Duration) -> Result<(), String> {
    kill9(srv)?;
    std::thread::sleep(down);
    restart(srv)
}

/// Lame-duck mode on `srv`: it exits by itself within `limit`, then restarts
/// and answers.
pub fn lame_duck_restart(srv: &mut Server, limit: Duration) -> Result<(), String> {
    let name = srv.name().to_string();
    srv.lame_duck()
        .map_err(|e| format!("lame duck {name}: {e}"))?;
    match srv.wait_exit(limit) {
        Ok(true) => restart(srv),
        Ok(false) => Err(format!("lame duck {name}: still running after {limit:?}")),
        Err(e) => Err(format!("lame duck {name}: {e}")),
    }
}

/// Ok when a JetStream API reply (e.g. to a leader step-down) says `success: true`.
pub fn accepted(what: &str, reply: &[u8]) -> Result<(), String> {
    let v: serde_json::Value =
        serde_json::from_slice(reply).map_err(|e| format!("{what}: unreadable reply ({e})"))?;
    if v["success"] == true {
        Ok(())
    } else {
        Err(format!("{what} refused: {v}"))
    }
}

/// The client-side evidence of `faults` faults: `client` reconnected at least
/// `reconnects` times since it counted `before`, and the checker saw an ack
/// after each fault it was told of.
pub fn observed(o: &mut Outcome, client: &Client, before: u64, reconnects: u64, checker: &Checker) {
    let seen = client.counters().reconnects.saturating_sub(before);
    o.figure("reconnects", seen);
    o.check(
        seen >= reconnects,
        format!("client reconnected {seen} times, at least {reconnects} expected"),
    );
    acked_after_each(o, checker);
}

/// Checks that the checker saw at least one fault and an ack after each.
pub fn acked_after_each(o: &mut Outcome, checker: &Checker) {
    let f = checker.failovers();
    let missing = f.iter().filter(|a| a.is_none()).count();
    o.check(
        !f.is_empty() && missing == 0,
        format!(
            "an ack after every fault: {} faults, {missing} without an ack after",
            f.len()
        ),
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_live_process_is_not_gone() {
        let e = gone(std::process::id()).unwrap_err();
        eprintln!("premise failure shown: {e}");
        assert!(e.contains("still exists after kill -9"), "{e}");
    }

    #[test]
    fn a_port_that_refuses_does_not_answer() {
        // Bound, not listening: connecting is refused.
        let sock = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = sock.local_addr().unwrap().port();
        drop(sock);
        let e = answers(port, Duration::from_secs(2)).unwrap_err();
        eprintln!("premise failure shown: {e}");
        assert!(e.contains("no NATS server answers on 127.0.0.1:"), "{e}");
    }

    #[test]
    fn a_refused_step_down_is_an_error() {
        let e = accepted(
            "step-down",
            br#"{"error":{"code":503,"description":"no leader"}}"#,
        )
        .unwrap_err();
        assert!(e.starts_with("step-down refused"), "{e}");
        assert!(accepted("step-down", br#"{"success":true}"#).is_ok());
    }

    #[test]
    fn a_kill_of_a_stopped_server_fails_the_outcome_with_its_reason() {
        let mut srv = Server::start().unwrap();
        srv.kill9().unwrap();
        let mut o = Outcome::new("t", 0, "premise");
        let r = kill9_restart(&mut srv, Duration::ZERO);
        o.check(r.is_ok(), format!("fault injection: {r:?}"));
        eprintln!("premise failure shown: {}", o.notes[0]);
        assert!(!o.passed);
        assert!(o.notes[0].contains("not running"), "{:?}", o.notes);
    }

    #[test]
    fn no_fault_and_no_ack_fail() {
        let c = Checker::default();
        let mut o = Outcome::new("t", 0, "premise");
        acked_after_each(&mut o, &c);
        assert!(!o.passed, "no fault at all");
        let mut o = Outcome::new("t", 0, "premise");
        c.fault();
        acked_after_each(&mut o, &c);
        assert!(!o.passed);
        assert!(
            o.notes[0].contains("1 without an ack after"),
            "{:?}",
            o.notes
        );
    }
}
