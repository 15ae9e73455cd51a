//! An auth-callout service for [`AuthMode::Callout`](crate::AuthMode::Callout) servers.
//!
//! The server (config mode: `authorization { users: [auth], auth_callout { issuer, auth_users } }`)
//! sends every other client's CONNECT as a server-signed authorization-request JWT on
//! `$SYS.REQ.USER.AUTH`. This service, connected as the `auth` user, answers with an
//! authorization-response JWT signed by the issuer account key: with a user JWT for the
//! global account `$G` when the client's token is the accepted one, with an error (the
//! client gets `Authorization Violation`) for anything else.
//!
//! One thread speaks the NATS text protocol over a plain `TcpStream` on 127.0.0.1. It
//! reconnects every [`RETRY`] while the server is down (restart, kill -9), and stops within
//! [`POLL`] of being dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use nkeys::KeyPair;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::jwt::{JwtClaims, decode_claims, encode, now_unix, user_body};

/// How long a read waits before the stop flag is checked again.
const POLL: Duration = Duration::from_millis(100);
/// The pause between connection attempts while the server is unreachable.
const RETRY: Duration = Duration::from_millis(100);
/// The subject the server sends authorization requests on.
const AUTH_SUBJECT: &str = "$SYS.REQ.USER.AUTH";

/// What the service needs: its own login, the issuer key, and the one accepted token.
#[derive(Clone)]
pub(crate) struct CalloutMaterial {
    /// The `auth` user's password (the service's own login, which bypasses the callout).
    pub(crate) service_password: String,
    /// The issuer account key pair; its public key is the config's `issuer`.
    pub(crate) issuer: Arc<KeyPair>,
    /// The token the service accepts; every other CONNECT is denied.
    pub(crate) accepted_token: String,
}

/// The running service; dropping it stops the thread.
pub(crate) struct CalloutService {
    stop: Arc<AtomicBool>,
    /// True once the current session's subscription is in place (its PING was answered).
    subscribed: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl CalloutService {
    /// Starts answering the callouts of the server on `127.0.0.1:port`; returns once it
    /// is subscribed (bounded by `timeout`).
    pub(crate) fn start(
        port: u16,
        material: CalloutMaterial,
        timeout: Duration,
    ) -> Result<CalloutService> {
        let stop = Arc::new(AtomicBool::new(false));
        let subscribed = Arc::new(AtomicBool::new(false));
        let (flag, ready) = (stop.clone(), subscribed.clone());
        let thread = std::thread::Builder::new()
            .name(format!("jb-callout-{port}"))
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    // Any error (server down, restarted) ends this session; try again.
                    let _ = serve(port, &material, &flag, &ready);
                    std::thread::sleep(RETRY);
                }
            })
            .map_err(|e| Error::io("spawning the callout service", e))?;
        let service = CalloutService {
            stop,
            subscribed,
            thread: Some(thread),
        };
        service.wait_subscribed(timeout)?;
        Ok(service)
    }

    /// Forgets the current session (call before the server starts again), so that
    /// [`CalloutService::wait_subscribed`] waits for the next one.
    pub(crate) fn mark_stale(&self) {
        self.subscribed.store(false, Ordering::Relaxed);
    }

    /// Waits until the service is subscribed on the running server, at most `timeout`.
    pub(crate) fn wait_subscribed(&self, timeout: Duration) -> Result<()> {
        let deadline = std::time::Instant::now() + timeout;
        while !self.subscribed.load(Ordering::Relaxed) {
            if std::time::Instant::now() >= deadline {
                return Err(Error::Timeout {
                    what: "the auth-callout service's subscription".into(),
                    after: timeout,
                    log_tail: String::new(),
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

impl std::fmt::Debug for CalloutService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CalloutService")
    }
}

impl Drop for CalloutService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One session: connect as `auth`, subscribe, answer requests until the connection ends
/// or `stop` is set.
fn serve(
    port: u16,
    m: &CalloutMaterial,
    stop: &AtomicBool,
    subscribed: &AtomicBool,
) -> std::io::Result<()> {
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(POLL))?;
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    let connect = json!({
        "user": "auth", "pass": m.service_password, "verbose": false, "pedantic": false,
        "protocol": 1, "headers": true, "name": "jb-harness-callout",
    });
    write!(out, "CONNECT {connect}\r\nSUB {AUTH_SUBJECT} 1\r\nPING\r\n")?;
    let mut line = String::new();
    loop {
        if stop.load(Ordering::Relaxed) {
            let _ = out.shutdown(Shutdown::Both);
            return Ok(());
        }
        match input.read_line(&mut line) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(_) if line.ends_with('\n') => {}
            Ok(_) => continue,
            Err(e) if is_timeout(&e) => continue,
            Err(e) => return Err(e),
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        line.clear();
        match words.first().map(String::as_str) {
            Some("PING") => out.write_all(b"PONG\r\n")?,
            // The answer to our PING after SUB: the subscription is in place.
            Some("PONG") => subscribed.store(true, Ordering::Relaxed),
            // MSG <subject> <sid> <reply> <len> / HMSG <subject> <sid> <reply> <hdr> <total>
            Some("MSG") if words.len() == 5 => {
                let body = read_body(&mut input, words[4].parse().unwrap_or(0), 0)?;
                answer(&mut out, &words[3], &body, m)?;
            }
            Some("HMSG") if words.len() == 6 => {
                let headers = words[4].parse().unwrap_or(0);
                let body = read_body(&mut input, words[5].parse().unwrap_or(0), headers)?;
                answer(&mut out, &words[3], &body, m)?;
            }
            _ => {} // INFO, +OK, -ERR: nothing to do
        }
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Reads a message's `total` bytes plus CRLF and returns the part after `headers` bytes.
fn read_body(input: &mut impl Read, total: usize, headers: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; total + 2];
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if is_timeout(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    buf.truncate(total);
    Ok(buf.split_off(headers.min(total)))
}

/// Publishes the decision on `request` to `reply`. A request it cannot read is ignored
/// (the server times the client out).
fn answer(
    out: &mut impl Write,
    reply: &str,
    request: &[u8],
    m: &CalloutMaterial,
) -> std::io::Result<()> {
    let Some(response) = decide(request, m) else {
        return Ok(());
    };
    write!(out, "PUB {reply} {}\r\n{response}\r\n", response.len())
}

/// The authorization-response JWT for one request, or `None` if the request is unreadable.
fn decide(request: &[u8], m: &CalloutMaterial) -> Option<String> {
    let claims = decode_claims(std::str::from_utf8(request).ok()?).ok()?;
    let nats = &claims["nats"];
    let user_nkey = nats["user_nkey"].as_str()?.to_string();
    let server_id = nats["server_id"]["id"].as_str()?.to_string();
    let token = nats["connect_opts"]["auth_token"].as_str().unwrap_or("");
    let mut body = json!({ "type": "authorization_response", "version": 2 });
    if token == m.accepted_token {
        let user = JwtClaims {
            subject: user_nkey.clone(),
            name: "callout-user".into(),
            audience: Some("$G".into()),
            issued_at: now_unix(),
            expires: None,
            nats: user_body(),
        };
        body["jwt"] = Value::String(encode(&user, &m.issuer).ok()?);
    } else {
        body["error"] = Value::String("denied by the harness's auth callout".into());
    }
    let response = JwtClaims {
        subject: user_nkey,
        name: String::new(),
        audience: Some(server_id),
        issued_at: now_unix(),
        expires: None,
        nats: body,
    };
    encode(&response, &m.issuer).ok()
}
