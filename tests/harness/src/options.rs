//! Options shared by [`crate::Server`] and [`crate::Cluster`], and config-file rendering.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::auth::{AuthMode, Credentials, conf_path};
use crate::error::{Error, Result};
use crate::files::conf_quote;
use crate::tls::ServerCert;

/// JetStream `sync_interval`: how often the file store fsyncs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyncInterval {
    /// `sync_interval: always` — fsync after every write (the harness default).
    #[default]
    Always,
    /// Omit the setting: the server default (every 2 minutes).
    ServerDefault,
    /// An explicit interval.
    Every(Duration),
}

impl SyncInterval {
    /// Parses `always`, `default` or a number of milliseconds followed by `ms`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "always" => Ok(SyncInterval::Always),
            "default" => Ok(SyncInterval::ServerDefault),
            other => other
                .strip_suffix("ms")
                .and_then(|n| n.parse::<u64>().ok())
                .map(|ms| SyncInterval::Every(Duration::from_millis(ms)))
                .ok_or_else(|| {
                    Error::InvalidArgument(format!(
                        "sync interval {other:?}: expected always, default or <N>ms"
                    ))
                }),
        }
    }
}

/// How to start a server (or every node of a cluster). Builder-style; start with
/// `ServerOptions::default()`.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub(crate) name: Option<String>,
    pub(crate) sync_interval: SyncInterval,
    pub(crate) max_payload: Option<u64>,
    pub(crate) auth: AuthMode,
    pub(crate) server_cert: ServerCert,
    pub(crate) lame_duck_duration: Duration,
    pub(crate) lame_duck_grace_period: Duration,
    pub(crate) ready_timeout: Duration,
    pub(crate) extra_config: String,
    pub(crate) kill_on_parent_death: bool,
    pub(crate) binary: Option<PathBuf>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            name: None,
            sync_interval: SyncInterval::Always,
            max_payload: None,
            auth: AuthMode::None,
            server_cert: ServerCert::Valid,
            lame_duck_duration: Duration::from_secs(30),
            lame_duck_grace_period: Duration::from_secs(1),
            ready_timeout: Duration::from_secs(10),
            extra_config: String::new(),
            kill_on_parent_death: false,
            binary: None,
        }
    }
}

impl ServerOptions {
    /// `server_name` (default `n1`; cluster nodes are always `n1..nN`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// JetStream `sync_interval` (default [`SyncInterval::Always`]).
    pub fn sync_interval(mut self, s: SyncInterval) -> Self {
        self.sync_interval = s;
        self
    }
    /// `max_payload` in bytes (default: server default, 1 MiB).
    pub fn max_payload(mut self, bytes: u64) -> Self {
        self.max_payload = Some(bytes);
        self
    }
    /// Authentication mode (default [`AuthMode::None`]).
    pub fn auth(mut self, mode: AuthMode) -> Self {
        self.auth = mode;
        self
    }
    /// Which certificate the server presents in TLS modes (default [`ServerCert::Valid`]).
    pub fn server_cert(mut self, which: ServerCert) -> Self {
        self.server_cert = which;
        self
    }
    /// `lame_duck_duration` (default 30 s, the server's minimum) and `lame_duck_grace_period`
    /// (default 1 s; must be shorter than the duration).
    pub fn lame_duck(mut self, duration: Duration, grace_period: Duration) -> Self {
        self.lame_duck_duration = duration;
        self.lame_duck_grace_period = grace_period;
        self
    }
    /// Bound on waiting for readiness at start and restart (default 10 s).
    pub fn ready_timeout(mut self, t: Duration) -> Self {
        self.ready_timeout = t;
        self
    }
    /// Extra raw config text appended to the generated file.
    pub fn extra_config(mut self, text: impl Into<String>) -> Self {
        self.extra_config = text.into();
        self
    }
    /// Ask Linux to SIGKILL the server when the *thread* that spawned it exits
    /// (`PR_SET_PDEATHSIG`). Use only when servers are started and restarted from a thread
    /// that lives as long as they should (the CLI's main thread). Default off.
    pub fn kill_on_parent_death(mut self, on: bool) -> Self {
        self.kill_on_parent_death = on;
        self
    }
    /// Use this nats-server binary instead of the lookup in [`crate::nats_server_binary`].
    pub fn binary(mut self, path: impl Into<PathBuf>) -> Self {
        self.binary = Some(path.into());
        self
    }
}

/// Ports and paths of one node.
#[derive(Debug, Clone)]
pub(crate) struct NodeLayout {
    pub(crate) name: String,
    pub(crate) port: u16,
    pub(crate) monitor_port: u16,
    pub(crate) store_dir: PathBuf,
    /// The `cluster {}` block of cluster nodes.
    pub(crate) cluster: Option<ClusterLayout>,
}

/// One node's `cluster {}` block.
#[derive(Debug, Clone)]
pub(crate) struct ClusterLayout {
    /// The cluster name.
    pub(crate) name: String,
    /// This node's own route listen port.
    pub(crate) port: u16,
    /// Loopback ports this node dials as explicit routes (peers' route ports, or proxies).
    pub(crate) routes: Vec<u16>,
    /// `cluster { advertise }`: the route URL gossiped to peers (`None`: the server's own).
    pub(crate) advertise: Option<String>,
}

/// Renders the nats-server config file of one node.
pub(crate) fn render_config(
    opts: &ServerOptions,
    node: &NodeLayout,
    creds: &Credentials,
) -> String {
    let mut c = String::new();
    c.push_str(&format!("server_name: {}\n", conf_quote(&node.name)));
    c.push_str(&format!("listen: \"127.0.0.1:{}\"\n", node.port));
    c.push_str(&format!("http: \"127.0.0.1:{}\"\n", node.monitor_port));
    if let Some(mp) = opts.max_payload {
        c.push_str(&format!("max_payload: {mp}\n"));
    }
    c.push_str(&format!(
        "lame_duck_duration: \"{}ms\"\nlame_duck_grace_period: \"{}ms\"\n",
        opts.lame_duck_duration.as_millis(),
        opts.lame_duck_grace_period.as_millis()
    ));
    c.push_str(&format!(
        "jetstream {{\n  store_dir: {}\n",
        conf_path(&node.store_dir)
    ));
    match opts.sync_interval {
        SyncInterval::Always => c.push_str("  sync_interval: always\n"),
        SyncInterval::ServerDefault => {}
        SyncInterval::Every(d) => {
            c.push_str(&format!("  sync_interval: \"{}ms\"\n", d.as_millis()))
        }
    }
    c.push_str("}\n");
    if let Some(cl) = &node.cluster {
        let routes: Vec<String> = cl
            .routes
            .iter()
            .map(|p| format!("\"nats-route://127.0.0.1:{p}\""))
            .collect();
        c.push_str(&format!(
            "cluster {{\n  name: {}\n  listen: \"127.0.0.1:{}\"\n  routes: [{}]\n",
            conf_quote(&cl.name),
            cl.port,
            routes.join(", ")
        ));
        if let Some(a) = &cl.advertise {
            c.push_str(&format!("  advertise: {}\n", conf_quote(a)));
        }
        c.push_str("}\n");
    }
    c.push_str(&creds.server_config());
    if !opts.extra_config.is_empty() {
        c.push_str(&opts.extra_config);
        c.push('\n');
    }
    c
}

/// Writes `text` to `path` (mode 0600: it may hold secrets).
pub(crate) fn write_config(path: &Path, text: &str) -> Result<()> {
    crate::files::write_private(path, text.as_bytes())
}
