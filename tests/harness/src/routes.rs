//! Proxied routes: one [`Proxy`] per *directed* route link of a cluster, so route partitions
//! need no root (reliability.md §7.0, the no-root fallback).
//!
//! Node `i` dials node `j` only through proxy `(i, j)`. Every node advertises an unreachable
//! route URL ([`UNREACHABLE_ADVERTISE`]), so gossip cannot open implicit routes that bypass
//! the proxies; [`RouteLinks::bypassing`] checks that against `/routez`.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;

use crate::error::Result;
use crate::ports::free_port;
use crate::proxy::{Proxy, ProxyMode};
use crate::server::Server;

/// The route URL every proxied node advertises: nothing listens on 127.0.0.1 port 1
/// (a privileged port), so a route dialled there is refused.
pub(crate) const UNREACHABLE_ADVERTISE: &str = "127.0.0.1:1";

/// Attempts of the `/routez` check, to ride out a route that is being set up or torn down.
const CHECK_ATTEMPTS: usize = 5;
/// Pause between those attempts.
const CHECK_PAUSE: Duration = Duration::from_millis(200);

/// The proxy of the route link `from -> to`.
#[derive(Debug)]
struct Link {
    from: usize,
    to: usize,
    proxy: Proxy,
}

/// Every directed route link of a cluster, each through its own proxy. Dropping it closes
/// every proxied connection.
#[derive(Debug)]
pub(crate) struct RouteLinks {
    links: Vec<Link>,
}

impl RouteLinks {
    /// Starts, for every ordered pair `(i, j)` with `i != j`, a proxy on a fresh loopback
    /// port forwarding to `route_ports[j]`, in [`ProxyMode::Pass`].
    pub(crate) fn start(route_ports: &[u16]) -> Result<RouteLinks> {
        let mut links = Vec::new();
        for from in 0..route_ports.len() {
            for (to, port) in route_ports.iter().enumerate() {
                if from != to {
                    let proxy = Proxy::start_on(free_port()?, ("127.0.0.1", *port))?;
                    links.push(Link { from, to, proxy });
                }
            }
        }
        Ok(RouteLinks { links })
    }

    /// The ports node `from` dials as its explicit routes: the proxies of its links.
    pub(crate) fn dial_ports(&self, from: usize) -> Vec<u16> {
        self.links
            .iter()
            .filter(|l| l.from == from)
            .map(|l| l.proxy.port())
            .collect()
    }

    /// Sets every link from or to `node` to `mode`; the other links are untouched.
    pub(crate) fn set_node(&self, node: usize, mode: ProxyMode) -> Result<()> {
        for l in self.links.iter().filter(|l| l.from == node || l.to == node) {
            l.proxy.set_mode(mode)?;
        }
        Ok(())
    }

    /// Sets every link to `mode`.
    pub(crate) fn set_all(&self, mode: ProxyMode) -> Result<()> {
        for l in &self.links {
            l.proxy.set_mode(mode)?;
        }
        Ok(())
    }

    /// The routes listed by the running, unpaused nodes' `/routez` that do not run through
    /// a proxy, described in words (empty: all proxied). The remote end of each route of
    /// node `n` must be the listen port of one of `n`'s links (a route `n` dialled) or the
    /// upstream socket of a link to `n` (a route `n` accepted); `did_solicit` is not used,
    /// since the server reports `true` for accepted pooled routes too. Re-checks a few times
    /// (about 1 s) before reporting, since a route being set up or closed can be seen by the
    /// server and not the proxy.
    pub(crate) fn bypassing(&self, servers: &[Server]) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for attempt in 0..CHECK_ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(CHECK_PAUSE);
            }
            found = self.bypassing_once(servers)?;
            if found.is_empty() {
                break;
            }
        }
        Ok(found)
    }

    fn bypassing_once(&self, servers: &[Server]) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for (n, s) in servers.iter().enumerate() {
            if s.pid().is_none() || s.is_paused() {
                continue;
            }
            let proxied: HashSet<u16> = self
                .links
                .iter()
                .flat_map(|l| match (l.from == n, l.to == n) {
                    (true, _) => vec![l.proxy.port()],
                    (_, true) => l.proxy.upstream_ports(),
                    _ => Vec::new(),
                })
                .collect();
            let routez = s.monitor("/routez")?;
            for r in routez["routes"].as_array().into_iter().flatten() {
                let port = r["port"].as_u64().unwrap_or(0) as u16;
                if !proxied.contains(&port) {
                    found.push(describe(s.name(), r));
                }
            }
        }
        Ok(found)
    }
}

fn describe(node: &str, r: &Value) -> String {
    format!(
        "{node}: route to {} (remote end {}:{}) bypasses the proxies",
        r["remote_name"].as_str().unwrap_or("?"),
        r["ip"].as_str().unwrap_or("?"),
        r["port"],
    )
}
