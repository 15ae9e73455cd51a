//! A JetStream cluster of N nats-server nodes with routes on free loopback ports.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::auth::Credentials;
use crate::error::{Error, Result};
use crate::jsz::{consumer_details, jsz_query, stream_details};
use crate::options::{ClusterLayout, ServerOptions};
use crate::ports::free_port;
use crate::proxy::ProxyMode;
use crate::routes::{RouteLinks, UNREACHABLE_ADVERTISE};
use crate::server::{START_ATTEMPTS, Server, temp_dir};

/// Poll period of leader lookups.
const POLL: Duration = Duration::from_millis(50);

/// How to start a [`Cluster`].
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    pub(crate) size: usize,
    pub(crate) name: String,
    pub(crate) server: ServerOptions,
    pub(crate) ready_timeout: Duration,
    pub(crate) leader_timeout: Duration,
    pub(crate) proxied_routes: bool,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            size: 3,
            name: "c1".into(),
            server: ServerOptions::default(),
            ready_timeout: Duration::from_secs(30),
            leader_timeout: Duration::from_secs(20),
            proxied_routes: false,
        }
    }
}

impl ClusterOptions {
    /// Number of nodes, 2..=9 (default 3).
    pub fn size(mut self, n: usize) -> Self {
        self.size = n;
        self
    }
    /// Cluster name (default `c1`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
    /// Options applied to every node (its `name` is ignored: nodes are `n1..nN`).
    pub fn server(mut self, opts: ServerOptions) -> Self {
        self.server = opts;
        self
    }
    /// Bound on the whole cluster becoming ready at start and in [`Cluster::wait_ready`]
    /// (default 30 s).
    pub fn ready_timeout(mut self, t: Duration) -> Self {
        self.ready_timeout = t;
        self
    }
    /// Bound on leader lookups (default 20 s: a Raft election after a leader dies takes 4-10 s).
    pub fn leader_timeout(mut self, t: Duration) -> Self {
        self.leader_timeout = t;
        self
    }
    /// Route every directed route link through its own harness [`crate::Proxy`] (default
    /// off), so [`Cluster::partition`] can cut a node off without root. Nodes then dial only
    /// proxies and advertise an unreachable route URL, so gossip opens no route around them.
    pub fn proxied_routes(mut self, on: bool) -> Self {
        self.proxied_routes = on;
        self
    }
}

/// N JetStream servers named `n1..nN` (index `0..N`) with full-mesh routes, each with its own
/// store dir and `sync_interval: always` unless configured otherwise. All nodes share one
/// [`Credentials`]. Dropping it kills every node and removes all temp dirs.
#[derive(Debug)]
pub struct Cluster {
    name: String,
    servers: Vec<Server>,
    credentials: Arc<Credentials>,
    ready_timeout: Duration,
    leader_timeout: Duration,
    /// The route proxies of a [`ClusterOptions::proxied_routes`] cluster. Declared after
    /// `servers`, so the nodes die before their links close.
    links: Option<RouteLinks>,
}

impl Cluster {
    /// Starts a cluster of `size` nodes with default options and waits until it is ready.
    pub fn start(size: usize) -> Result<Cluster> {
        Cluster::start_with(ClusterOptions::default().size(size))
    }

    /// Starts a cluster and waits until every node is healthy and a meta leader is elected.
    pub fn start_with(opts: ClusterOptions) -> Result<Cluster> {
        if !(2..=9).contains(&opts.size) {
            return Err(Error::InvalidArgument(format!(
                "cluster size {} not in 2..=9 (nats-server refuses a clustered JetStream \
                 node without routes; use Server for one node)",
                opts.size
            )));
        }
        if opts.server.auth == crate::AuthMode::Callout {
            return Err(Error::InvalidArgument(
                "auth mode callout runs on a single Server only (one callout service)".into(),
            ));
        }
        let material = Arc::new(temp_dir("jb-auth-")?);
        let creds = Arc::new(Credentials::generate(
            opts.server.auth,
            opts.server.server_cert,
            material.path(),
        )?);
        let mut last = None;
        for _ in 0..START_ATTEMPTS {
            let route_ports = (0..opts.size)
                .map(|_| free_port())
                .collect::<Result<Vec<u16>>>()?;
            // A route proxy's port can be taken between picking and binding it,
            // like a server's: start again with fresh ports.
            let links = match opts.proxied_routes.then(|| RouteLinks::start(&route_ports)) {
                None => None,
                Some(Ok(links)) => Some(links),
                Some(Err(e)) if e.is_addr_in_use() => {
                    last = Some(e);
                    continue;
                }
                Some(Err(e)) => return Err(e),
            };
            let mut servers = Vec::with_capacity(opts.size);
            for (i, port) in route_ports.iter().enumerate() {
                let layout = Some(ClusterLayout {
                    name: opts.name.clone(),
                    port: *port,
                    routes: match &links {
                        Some(l) => l.dial_ports(i),
                        None => route_ports.iter().copied().filter(|p| p != port).collect(),
                    },
                    advertise: links.as_ref().map(|_| UNREACHABLE_ADVERTISE.to_string()),
                });
                let name = format!("n{}", i + 1);
                servers.push(Server::create(
                    &opts.server,
                    &name,
                    layout,
                    creds.clone(),
                    material.clone(),
                )?);
            }
            let mut cluster = Cluster {
                name: opts.name.clone(),
                servers,
                credentials: creds.clone(),
                ready_timeout: opts.ready_timeout,
                leader_timeout: opts.leader_timeout,
                links,
            };
            match cluster.boot() {
                Ok(()) => return Ok(cluster),
                Err(e) if cluster.servers.iter().any(Server::port_conflict) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::State("no start attempt made".into())))
    }

    fn boot(&mut self) -> Result<()> {
        for s in &mut self.servers {
            s.spawn()?;
        }
        let deadline = Instant::now() + self.ready_timeout;
        for s in &mut self.servers {
            s.wait_ready(remaining(deadline))?;
        }
        self.wait_ready()
    }

    /// Waits (bounded by the ready timeout) until every running, unpaused node answers the
    /// full `/healthz` with 200 and one node reports itself meta leader.
    pub fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + self.ready_timeout;
        for s in &mut self.servers {
            if s.is_running() && !s.is_paused() {
                s.wait_healthy(remaining(deadline))?;
            }
        }
        self.meta_leader_within(remaining(deadline)).map(|_| ())
    }

    /// The cluster name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.servers.len()
    }

    /// Always false (a cluster has at least one node); for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    /// Client URLs of all nodes, `nats://127.0.0.1:<port>`.
    pub fn urls(&self) -> Vec<String> {
        self.servers.iter().map(Server::url).collect()
    }

    /// All nodes, index `i` is server `n{i+1}`.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// Node `i` (0-based).
    pub fn server(&self, i: usize) -> Result<&Server> {
        let n = self.servers.len();
        self.servers.get(i).ok_or_else(|| out_of_range(i, n))
    }

    /// Node `i` (0-based), mutable.
    pub fn server_mut(&mut self, i: usize) -> Result<&mut Server> {
        let n = self.servers.len();
        self.servers.get_mut(i).ok_or_else(|| out_of_range(i, n))
    }

    /// The credentials shared by all nodes.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// [`Server::kill9`] on node `i`.
    pub fn kill9(&mut self, i: usize) -> Result<()> {
        self.server_mut(i)?.kill9()
    }

    /// [`Server::restart`] on node `i` (waits for `/healthz?js-enabled-only=true` only; call
    /// [`Cluster::wait_ready`] to also wait for it to catch up).
    pub fn restart(&mut self, i: usize) -> Result<()> {
        self.server_mut(i)?.restart()
    }

    /// [`Server::stop`] on node `i`.
    pub fn stop(&mut self, i: usize) -> Result<()> {
        self.server_mut(i)?.stop()
    }

    /// [`Server::pause`] on node `i`.
    pub fn pause(&mut self, i: usize) -> Result<()> {
        self.server_mut(i)?.pause()
    }

    /// [`Server::resume`] on node `i`.
    pub fn resume(&mut self, i: usize) -> Result<()> {
        self.server_mut(i)?.resume()
    }

    /// [`Server::lame_duck`] on node `i`.
    pub fn lame_duck(&mut self, i: usize) -> Result<()> {
        self.server_mut(i)?.lame_duck()
    }

    /// Cuts node `i` off from every other node: every route proxy from or to it goes
    /// [`ProxyMode::Blackhole`] (connections stay open, nothing is forwarded, as under 100 %
    /// packet loss). Client links are untouched. Needs [`ClusterOptions::proxied_routes`].
    pub fn partition(&self, i: usize) -> Result<()> {
        self.partition_with(i, ProxyMode::Blackhole)
    }

    /// Like [`Cluster::partition`] with another proxy mode ([`ProxyMode::Reset`]: route
    /// connections are aborted and reconnects refused).
    pub fn partition_with(&self, i: usize, mode: ProxyMode) -> Result<()> {
        self.server(i)?;
        self.route_links()?.set_node(i, mode)
    }

    /// Heals every partition: every route proxy back to [`ProxyMode::Pass`]; held bytes are
    /// delivered. Needs [`ClusterOptions::proxied_routes`].
    pub fn heal(&self) -> Result<()> {
        self.route_links()?.set_all(ProxyMode::Pass)
    }

    /// The routes, per the running nodes' `/routez`, that do not run through a route proxy
    /// (empty: every route is proxied, so partitions are real). Needs
    /// [`ClusterOptions::proxied_routes`].
    pub fn unproxied_routes(&self) -> Result<Vec<String>> {
        self.route_links()?.bypassing(&self.servers)
    }

    fn route_links(&self) -> Result<&RouteLinks> {
        self.links.as_ref().ok_or_else(|| {
            Error::State("the cluster was started without proxied_routes(true)".into())
        })
    }

    /// The leader of `stream` as node `i` sees it right now (`None`: it names none), from its
    /// `/jsz`. Unlike [`Cluster::stream_leader`], this trusts the node's view, stale or not:
    /// use it to observe what each side of a partition believes.
    pub fn stream_leader_seen_by(
        &self,
        i: usize,
        account: Option<&str>,
        stream: &str,
    ) -> Result<Option<String>> {
        let jsz = self.server(i)?.monitor(jsz_query(false))?;
        Ok(stream_details(&jsz, account, stream)
            .into_iter()
            .find_map(|sd| sd.pointer("/cluster/leader").and_then(Value::as_str))
            .map(str::to_string))
    }

    /// Index of the node that is JetStream meta leader (bounded wait).
    pub fn meta_leader(&self) -> Result<usize> {
        self.meta_leader_within(self.leader_timeout)
    }

    fn meta_leader_within(&self, timeout: Duration) -> Result<usize> {
        self.find_self_reported("the JetStream meta leader", timeout, "/jsz", |jsz| {
            jsz.pointer("/meta_cluster/leader")
                .and_then(Value::as_str)
                .map(str::to_string)
                .into_iter()
                .collect()
        })
    }

    /// Index of the node leading stream `stream` in `account` (`None`: any account; the
    /// global account is `$G`, a JWT account is its public key or its JWT `name`). Waits (bounded) until
    /// a reachable node reports itself as the stream's leader.
    pub fn stream_leader(&self, account: Option<&str>, stream: &str) -> Result<usize> {
        let what = format!("a leader of stream {stream}");
        self.find_self_reported(&what, self.leader_timeout, jsz_query(false), |jsz| {
            stream_details(jsz, account, stream)
                .into_iter()
                .filter_map(|sd| sd.pointer("/cluster/leader").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
    }

    /// Index of the node leading durable `consumer` of `stream` (see [`Cluster::stream_leader`]).
    pub fn consumer_leader(
        &self,
        account: Option<&str>,
        stream: &str,
        consumer: &str,
    ) -> Result<usize> {
        let what = format!("a leader of consumer {stream}/{consumer}");
        self.find_self_reported(&what, self.leader_timeout, jsz_query(true), |jsz| {
            consumer_details(jsz, account, stream, consumer)
                .into_iter()
                .filter_map(|cd| cd.pointer("/cluster/leader").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
    }

    /// Polls `query` on every running, unpaused node until one node's answer names that node
    /// itself as leader (per `leaders_in`), bounded by `timeout`. Trusting only self-reports
    /// avoids stale views of a dead or deposed leader.
    fn find_self_reported(
        &self,
        what: &str,
        timeout: Duration,
        query: &str,
        leaders_in: impl Fn(&Value) -> Vec<String>,
    ) -> Result<usize> {
        let deadline = Instant::now() + timeout;
        loop {
            for (i, s) in self.servers.iter().enumerate() {
                if s.pid().is_none() || s.is_paused() {
                    continue;
                }
                let Ok(jsz) = s.monitor(query) else { continue };
                if leaders_in(&jsz).iter().any(|l| l == s.name()) {
                    return Ok(i);
                }
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout {
                    what: what.to_string(),
                    after: timeout,
                    log_tail: String::new(),
                });
            }
            std::thread::sleep(POLL);
        }
    }
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

fn out_of_range(i: usize, n: usize) -> Error {
    Error::InvalidArgument(format!("server index {i} out of range 0..{n}"))
}
