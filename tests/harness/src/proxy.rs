//! A TCP proxy on 127.0.0.1 for client-link faults: pass, blackhole, reset.
//!
//! Threads, not async: one accept thread, and per connection one thread per direction.
//! Sockets use 50 ms read/write timeouts so every thread notices mode changes, `reset` and
//! `Drop` within about 50 ms.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use socket2::SockRef;

use crate::error::{Error, Result};

/// Socket read/write timeout: the latency of noticing a mode change.
const IO_TICK: Duration = Duration::from_millis(50);
/// Sleep while a connection is held (blackhole) or the listener is idle.
const IDLE_TICK: Duration = Duration::from_millis(10);
/// Bound on connecting upstream.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Bound on `reset()` / `Drop` waiting for connections to close.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);
/// Connections beyond this are reset on accept.
const MAX_CONNECTIONS: usize = 1024;

/// What the proxy does with traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxyMode {
    /// Forward bytes both ways; new connections are connected upstream.
    Pass,
    /// Keep every TCP connection open (no FIN, no RST) but forward nothing in either
    /// direction: bytes wait in kernel buffers, as on a partitioned link. New connections are
    /// accepted but not connected upstream until the mode returns to `Pass`. Switching back
    /// to `Pass` delivers what was held, as TCP retransmission would after a heal.
    Blackhole,
    /// Abort (RST) every current connection; while in this mode, new connections are reset
    /// right after accept. Switch to `Pass` to accept again.
    Reset,
}

impl ProxyMode {
    /// Parses `pass`, `blackhole` or `reset`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "pass" => Ok(ProxyMode::Pass),
            "blackhole" => Ok(ProxyMode::Blackhole),
            "reset" => Ok(ProxyMode::Reset),
            other => Err(Error::InvalidArgument(format!(
                "proxy mode {other:?}: expected pass, blackhole or reset"
            ))),
        }
    }

    fn to_u8(self) -> u8 {
        match self {
            ProxyMode::Pass => 0,
            ProxyMode::Blackhole => 1,
            ProxyMode::Reset => 2,
        }
    }

    fn from_u8(v: u8) -> Self {
        match v {
            0 => ProxyMode::Pass,
            1 => ProxyMode::Blackhole,
            _ => ProxyMode::Reset,
        }
    }
}

struct Shared {
    target: SocketAddr,
    mode: AtomicU8,
    stop: AtomicBool,
    conns: Mutex<Vec<Arc<Conn>>>,
    live: Arc<AtomicUsize>,
}

impl Shared {
    fn mode(&self) -> ProxyMode {
        ProxyMode::from_u8(self.mode.load(Ordering::SeqCst))
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn conns(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Conn>>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks every registered connection for abort (RST on close).
    fn abort_all(&self) {
        for c in self.conns().iter() {
            c.abort();
        }
    }

    fn wait_closed(&self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        while self.live.load(Ordering::SeqCst) > 0 {
            if Instant::now() >= deadline {
                return Err(Error::Timeout {
                    what: "proxied connections to close".into(),
                    after: timeout,
                    log_tail: String::new(),
                });
            }
            std::thread::sleep(IDLE_TICK);
        }
        Ok(())
    }
}

/// One proxied connection; both sockets close (with RST if aborted) when the last reference
/// (the two direction threads and the registry) is dropped.
struct Conn {
    client: TcpStream,
    upstream: OnceLock<TcpStream>,
    dead: AtomicBool,
    live: Arc<AtomicUsize>,
}

impl Conn {
    fn is_dead(&self) -> bool {
        self.dead.load(Ordering::SeqCst)
    }

    /// Zero linger (close sends RST) and tell both directions to stop.
    fn abort(&self) {
        let _ = SockRef::from(&self.client).set_linger(Some(Duration::ZERO));
        if let Some(up) = self.upstream.get() {
            let _ = SockRef::from(up).set_linger(Some(Duration::ZERO));
        }
        self.dead.store(true, Ordering::SeqCst);
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A TCP proxy listening on 127.0.0.1, forwarding to a loopback target, switchable at
/// runtime between [`ProxyMode`]s. Dropping it closes every connection and stops all threads.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("addr", &self.addr)
            .field("target", &self.shared.target)
            .field("mode", &self.shared.mode())
            .finish()
    }
}

impl Proxy {
    /// Starts a proxy on a free 127.0.0.1 port forwarding to `target` (e.g.
    /// `"127.0.0.1:4222"`), in [`ProxyMode::Pass`]. Only loopback targets are accepted.
    pub fn start(target: impl ToSocketAddrs) -> Result<Proxy> {
        Proxy::start_on(0, target)
    }

    /// Like [`Proxy::start`] but listening on `127.0.0.1:<port>` (0 picks a free port).
    pub fn start_on(port: u16, target: impl ToSocketAddrs) -> Result<Proxy> {
        let target = target
            .to_socket_addrs()
            .map_err(|e| Error::io("resolving the proxy target", e))?
            .next()
            .ok_or_else(|| Error::InvalidArgument("proxy target resolves to nothing".into()))?;
        if !target.ip().is_loopback() {
            return Err(Error::InvalidArgument(format!(
                "proxy target {target} is not a loopback address"
            )));
        }
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| Error::io(format!("binding proxy on 127.0.0.1:{port}"), e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("proxy listener nonblocking", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io("proxy listener address", e))?;
        let shared = Arc::new(Shared {
            target,
            mode: AtomicU8::new(ProxyMode::Pass.to_u8()),
            stop: AtomicBool::new(false),
            conns: Mutex::new(Vec::new()),
            live: Arc::new(AtomicUsize::new(0)),
        });
        let sh = shared.clone();
        let accept = std::thread::Builder::new()
            .name(format!("jb-proxy-{}", addr.port()))
            .spawn(move || accept_loop(listener, sh))
            .map_err(|e| Error::io("spawning the proxy thread", e))?;
        Ok(Proxy {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// The listening address (`127.0.0.1:<port>`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `nats://127.0.0.1:<port>`: give this to the client instead of the server's URL.
    pub fn url(&self) -> String {
        format!("nats://{}", self.addr)
    }

    /// Where traffic goes.
    pub fn target(&self) -> SocketAddr {
        self.shared.target
    }

    /// The current mode.
    pub fn mode(&self) -> ProxyMode {
        self.shared.mode()
    }

    /// Number of open proxied connections.
    pub fn connections(&self) -> usize {
        self.shared.live.load(Ordering::SeqCst)
    }

    /// Local ports of the live upstream sockets: the source ports the target sees for
    /// proxied connections (how a server's monitoring lists a connection it accepted from
    /// this proxy).
    pub fn upstream_ports(&self) -> Vec<u16> {
        self.shared
            .conns()
            .iter()
            .filter_map(|c| c.upstream.get())
            .filter_map(|u| u.local_addr().ok())
            .map(|a| a.port())
            .collect()
    }

    /// Switches mode. For [`ProxyMode::Reset`], returns once every current connection is
    /// closed (bounded by 2 s).
    pub fn set_mode(&self, mode: ProxyMode) -> Result<()> {
        self.shared.mode.store(mode.to_u8(), Ordering::SeqCst);
        if mode == ProxyMode::Reset {
            self.shared.abort_all();
            self.shared.wait_closed(CLOSE_TIMEOUT)?;
        }
        Ok(())
    }

    /// [`ProxyMode::Pass`].
    pub fn pass(&self) -> Result<()> {
        self.set_mode(ProxyMode::Pass)
    }

    /// [`ProxyMode::Blackhole`].
    pub fn blackhole(&self) -> Result<()> {
        self.set_mode(ProxyMode::Blackhole)
    }

    /// [`ProxyMode::Reset`]: abort all connections; new ones are reset until [`Proxy::pass`].
    pub fn reset(&self) -> Result<()> {
        self.set_mode(ProxyMode::Reset)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.abort_all();
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        let _ = self.shared.wait_closed(CLOSE_TIMEOUT);
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stopped() {
        match listener.accept() {
            Ok((client, _)) => {
                shared.live.fetch_add(1, Ordering::SeqCst);
                let conn = Arc::new(Conn {
                    client,
                    upstream: OnceLock::new(),
                    dead: AtomicBool::new(false),
                    live: shared.live.clone(),
                });
                let too_many = shared.live.load(Ordering::SeqCst) > MAX_CONNECTIONS;
                if too_many || setup(&conn.client).is_err() {
                    conn.abort();
                    continue;
                }
                shared.conns().push(conn.clone());
                let sh = shared.clone();
                let spawned = std::thread::Builder::new()
                    .name("jb-proxy-conn".into())
                    .spawn(move || handle(conn, sh));
                if spawned.is_err() {
                    // The closure (and conn) was dropped; remove the registry entry.
                    shared.conns().retain(|c| Arc::strong_count(c) > 1);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(IDLE_TICK),
            Err(_) => std::thread::sleep(IDLE_TICK),
        }
    }
}

fn setup(s: &TcpStream) -> std::io::Result<()> {
    s.set_nonblocking(false)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(IO_TICK))?;
    s.set_write_timeout(Some(IO_TICK))
}

/// Waits for `Pass`, connects upstream, then pumps both directions until either side closes.
fn handle(conn: Arc<Conn>, shared: Arc<Shared>) {
    let connected = loop {
        if shared.stopped() || conn.is_dead() {
            break false;
        }
        match shared.mode() {
            ProxyMode::Pass => break true,
            ProxyMode::Blackhole => std::thread::sleep(IDLE_TICK),
            ProxyMode::Reset => {
                conn.abort();
                break false;
            }
        }
    };
    if connected {
        match TcpStream::connect_timeout(&shared.target, CONNECT_TIMEOUT) {
            Ok(up) if setup(&up).is_ok() => {
                let _ = conn.upstream.set(up);
                let (c2, s2) = (conn.clone(), shared.clone());
                let back = std::thread::Builder::new()
                    .name("jb-proxy-pump".into())
                    .spawn(move || pump(&c2, &s2, false));
                pump(&conn, &shared, true);
                if let Ok(h) = back {
                    let _ = h.join();
                } else {
                    conn.abort();
                }
            }
            _ => conn.abort(),
        }
    }
    shared.conns().retain(|c| !Arc::ptr_eq(c, &conn));
}

/// Copies one direction (`client → upstream` if `outbound`) while the mode is `Pass`.
fn pump(conn: &Conn, shared: &Shared, outbound: bool) {
    let Some(up) = conn.upstream.get() else {
        return;
    };
    let (mut src, mut dst) = if outbound {
        (&conn.client, up)
    } else {
        (up, &conn.client)
    };
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if shared.stopped() || conn.is_dead() {
            return;
        }
        if shared.mode() != ProxyMode::Pass {
            std::thread::sleep(IDLE_TICK);
            continue;
        }
        match src.read(&mut buf) {
            Ok(0) => {
                // Propagate the FIN; the other direction keeps running until it ends too.
                let _ = dst.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => {
                // The mode may have changed while read() was blocked: hold the bytes.
                if !wait_for_pass(conn, shared) {
                    return;
                }
                if write_all(&mut dst, &buf[..n], conn, shared).is_err() {
                    conn.dead.store(true, Ordering::SeqCst);
                    return;
                }
            }
            Err(e) if is_tick(&e) => {}
            Err(_) => {
                // A reset from one side becomes a reset of the other.
                conn.abort();
                return;
            }
        }
    }
}

/// Waits while the mode is `Blackhole`; false if the connection must end instead.
fn wait_for_pass(conn: &Conn, shared: &Shared) -> bool {
    loop {
        if shared.stopped() || conn.is_dead() {
            return false;
        }
        match shared.mode() {
            ProxyMode::Pass => return true,
            ProxyMode::Blackhole => std::thread::sleep(IDLE_TICK),
            ProxyMode::Reset => return false,
        }
    }
}

fn write_all(
    dst: &mut &TcpStream,
    mut data: &[u8],
    conn: &Conn,
    shared: &Shared,
) -> std::io::Result<()> {
    while !data.is_empty() {
        if shared.stopped() || conn.is_dead() {
            return Err(ErrorKind::ConnectionAborted.into());
        }
        match dst.write(data) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => data = &data[n..],
            Err(e) if is_tick(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn is_tick(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
    )
}
