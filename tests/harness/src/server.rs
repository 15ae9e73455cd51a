//! One nats-server process with JetStream: start, restart, kill, pause, inspect.

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::auth::Credentials;
use crate::binary::nats_server_binary;
use crate::callout::CalloutService;
use crate::error::{Error, Result};
use crate::files::tail;
use crate::http;
use crate::jsz;
use crate::options::{ClusterLayout, NodeLayout, ServerOptions, render_config, write_config};
use crate::ports::free_port;
use crate::process;

/// Timeout of one monitoring HTTP request.
const HTTP_TIMEOUT: Duration = Duration::from_secs(2);
/// Poll period of readiness loops.
const POLL: Duration = Duration::from_millis(25);
/// Bound on a graceful stop before falling back to SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Bound on SIGSTOP/SIGCONT taking effect.
const SIGNAL_TIMEOUT: Duration = Duration::from_secs(2);
/// Start attempts with fresh ports when a port was taken between picking and binding.
pub(crate) const START_ATTEMPTS: usize = 3;
/// Log lines quoted in errors.
const TAIL_LINES: usize = 30;

/// A running (or stopped) nats-server with JetStream on 127.0.0.1.
///
/// Owns a temp dir holding `store/` (the JetStream store dir), `server.conf` and
/// `server.log`. The client and monitoring ports stay the same across [`Server::restart`].
/// Dropping it SIGKILLs the process (a paused one too) and removes the temp dirs.
#[derive(Debug)]
pub struct Server {
    layout: NodeLayout,
    dir: TempDir,
    config_path: PathBuf,
    log_path: PathBuf,
    binary: PathBuf,
    child: Option<Child>,
    paused: bool,
    opts: ServerOptions,
    credentials: Arc<Credentials>,
    /// Keeps the auth material (creds, PEMs) alive; shared by all nodes of a cluster.
    _material: Arc<TempDir>,
    /// The auth-callout service of an [`AuthMode::Callout`](crate::AuthMode::Callout) server.
    callout: Option<CalloutService>,
}

impl Server {
    /// Starts a single server with default [`ServerOptions`] (no auth, `sync_interval: always`).
    pub fn start() -> Result<Server> {
        Server::start_with(ServerOptions::default())
    }

    /// Starts a single server with `opts` and waits until it is ready
    /// (`/healthz?js-enabled-only=true` answers 200, bounded by the ready timeout).
    pub fn start_with(opts: ServerOptions) -> Result<Server> {
        let material = Arc::new(temp_dir("jb-auth-")?);
        let creds = Arc::new(Credentials::generate(
            opts.auth,
            opts.server_cert,
            material.path(),
        )?);
        let name = opts.name.clone().unwrap_or_else(|| "n1".to_string());
        let mut last = None;
        for _ in 0..START_ATTEMPTS {
            let mut server = Server::create(&opts, &name, None, creds.clone(), material.clone())?;
            match server
                .spawn()
                .and_then(|()| server.wait_ready(opts.ready_timeout))
            {
                Ok(()) => {
                    if let Some(m) = &creds.callout {
                        server.callout = Some(CalloutService::start(
                            server.port(),
                            m.clone(),
                            opts.ready_timeout,
                        )?);
                    }
                    return Ok(server);
                }
                Err(e) if server.port_conflict() => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::State("no start attempt made".into())))
    }

    /// Creates the node's directory and config, without starting it. Picks fresh ports.
    pub(crate) fn create(
        opts: &ServerOptions,
        name: &str,
        cluster: Option<ClusterLayout>,
        credentials: Arc<Credentials>,
        material: Arc<TempDir>,
    ) -> Result<Server> {
        let binary = match &opts.binary {
            Some(b) => b.clone(),
            None => nats_server_binary()?,
        };
        let dir = temp_dir(&format!("jb-{name}-"))?;
        let store_dir = dir.path().join("store");
        std::fs::create_dir_all(&store_dir)
            .map_err(|e| Error::io(format!("creating {}", store_dir.display()), e))?;
        let layout = NodeLayout {
            name: name.to_string(),
            port: free_port()?,
            monitor_port: free_port()?,
            store_dir,
            cluster,
        };
        let config_path = dir.path().join("server.conf");
        write_config(&config_path, &render_config(opts, &layout, &credentials))?;
        Ok(Server {
            log_path: dir.path().join("server.log"),
            config_path,
            layout,
            dir,
            binary,
            child: None,
            paused: false,
            opts: opts.clone(),
            credentials,
            _material: material,
            callout: None,
        })
    }

    /// Spawns the process (no wait). Errors if it is already running.
    pub(crate) fn spawn(&mut self) -> Result<()> {
        if self.is_running() {
            return Err(Error::State(format!(
                "{} is already running",
                self.layout.name
            )));
        }
        let child = process::spawn(
            &self.binary,
            &self.config_path,
            &self.log_path,
            self.opts.kill_on_parent_death,
        )?;
        self.child = Some(child);
        self.paused = false;
        if let Some(c) = &self.callout {
            c.mark_stale();
        }
        Ok(())
    }

    /// True if the log says a listener could not bind (port taken by someone else).
    pub(crate) fn port_conflict(&self) -> bool {
        std::fs::read_to_string(&self.log_path)
            .map(|l| l.contains("address already in use"))
            .unwrap_or(false)
    }

    /// Waits until `/healthz?js-enabled-only=true` answers 200, bounded by `timeout`.
    /// Fails early with [`Error::Exited`] if the process dies.
    /// An auth-callout server is ready once its callout service is subscribed again, too.
    pub fn wait_ready(&mut self, timeout: Duration) -> Result<()> {
        self.wait_health("/healthz?js-enabled-only=true", timeout)?;
        match &self.callout {
            Some(c) => c.wait_subscribed(timeout),
            None => Ok(()),
        }
    }

    /// Waits until the full `/healthz` answers 200: JetStream is enabled, in contact with a
    /// meta leader (clusters), and every stream and consumer on this node is current.
    pub fn wait_healthy(&mut self, timeout: Duration) -> Result<()> {
        self.wait_health("/healthz", timeout)
    }

    fn wait_health(&mut self, path: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            self.check_alive()?;
            let last = match http::get(self.layout.monitor_port, path, HTTP_TIMEOUT) {
                Ok(r) if r.status == 200 => return Ok(()),
                Ok(r) => format!("status {}: {}", r.status, r.body.trim()),
                Err(e) => e.to_string(),
            };
            if Instant::now() >= deadline {
                return Err(Error::Timeout {
                    what: format!("{} {path} (last: {last})", self.layout.name),
                    after: timeout,
                    log_tail: tail(&self.log_path, TAIL_LINES),
                });
            }
            std::thread::sleep(POLL);
        }
    }

    /// Errors with [`Error::Exited`] if the process has exited, [`Error::State`] if never started.
    fn check_alive(&mut self) -> Result<()> {
        let child = self
            .child
            .as_mut()
            .ok_or_else(|| Error::State(format!("{} is not running", self.layout.name)))?;
        if let Some(st) = child
            .try_wait()
            .map_err(|e| Error::io("waiting for nats-server", e))?
        {
            self.child = None;
            self.paused = false;
            return Err(Error::Exited {
                name: self.layout.name.clone(),
                status: st.to_string(),
                log_tail: tail(&self.log_path, TAIL_LINES),
            });
        }
        Ok(())
    }

    /// `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.layout.port)
    }

    /// `tls://127.0.0.1:<port>` (for TLS modes).
    pub fn tls_url(&self) -> String {
        format!("tls://127.0.0.1:{}", self.layout.port)
    }

    /// The client port.
    pub fn port(&self) -> u16 {
        self.layout.port
    }

    /// The monitoring (HTTP) port.
    pub fn monitor_port(&self) -> u16 {
        self.layout.monitor_port
    }

    /// `http://127.0.0.1:<monitor port>`.
    pub fn monitor_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.layout.monitor_port)
    }

    /// The cluster route port, for cluster nodes.
    pub fn cluster_port(&self) -> Option<u16> {
        self.layout.cluster.as_ref().map(|c| c.port)
    }

    /// The `server_name` (`n1`, `n2`, …).
    pub fn name(&self) -> &str {
        &self.layout.name
    }

    /// The pid of the current process; `None` if stopped or killed.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// True if a process was started and has not been seen to exit (a paused one counts).
    pub fn is_running(&mut self) -> bool {
        self.check_alive().is_ok()
    }

    /// True between [`Server::pause`] and [`Server::resume`].
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// The JetStream store dir (kept across restarts).
    pub fn store_dir(&self) -> &Path {
        &self.layout.store_dir
    }

    /// The log file (stdout and stderr of every incarnation, appended).
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// The generated config file.
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// The server's temp dir (store, config, log).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The credentials clients need for this server's auth mode.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// SIGKILL the process and reap it. The store dir is kept; [`Server::restart`] brings it back.
    pub fn kill9(&mut self) -> Result<()> {
        let mut child = self
            .child
            .take()
            .ok_or_else(|| Error::State(format!("{} is not running", self.layout.name)))?;
        self.paused = false;
        process::kill_and_reap(&mut child)?;
        Ok(())
    }

    /// Graceful stop: SIGCONT if paused, SIGTERM, wait up to 10 s, then SIGKILL.
    /// A no-op if the process is not running.
    pub fn stop(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if self.paused {
            // Best effort: the process may already be gone.
            let _ = process::signal(child.id(), libc::SIGCONT);
            self.paused = false;
        }
        if child.try_wait().ok().flatten().is_none() {
            let _ = process::signal(child.id(), libc::SIGTERM);
            if process::wait_exit(&mut child, STOP_TIMEOUT)?.is_none() {
                process::kill_and_reap(&mut child)?;
            }
        }
        Ok(())
    }

    /// Stops the process if running ([`Server::stop`]), starts it again with the same ports,
    /// config and store dir, and waits until ready (`/healthz?js-enabled-only=true`).
    pub fn restart(&mut self) -> Result<()> {
        self.stop()?;
        self.spawn()?;
        self.wait_ready(self.opts.ready_timeout)
    }

    /// SIGSTOP the process; returns once the kernel reports it stopped.
    pub fn pause(&mut self) -> Result<()> {
        self.check_alive()?;
        let pid = self.pid().ok_or_else(|| Error::State("no pid".into()))?;
        process::signal(pid, libc::SIGSTOP)?;
        self.paused = true;
        process::wait_stopped_state(pid, true, SIGNAL_TIMEOUT)
    }

    /// SIGCONT the process; returns once the kernel reports it running.
    pub fn resume(&mut self) -> Result<()> {
        self.check_alive()?;
        let pid = self.pid().ok_or_else(|| Error::State("no pid".into()))?;
        process::signal(pid, libc::SIGCONT)?;
        self.paused = false;
        process::wait_stopped_state(pid, false, SIGNAL_TIMEOUT)
    }

    /// Enter lame-duck mode (SIGUSR2, what `nats-server --signal ldm=<pid>` sends): the server
    /// stops accepting clients, closes the existing ones over `lame_duck_duration`, then exits.
    /// Returns immediately; see [`Server::wait_exit`].
    pub fn lame_duck(&mut self) -> Result<()> {
        self.check_alive()?;
        let pid = self.pid().ok_or_else(|| Error::State("no pid".into()))?;
        process::signal(pid, libc::SIGUSR2)
    }

    /// Waits up to `timeout` for the process to exit by itself (e.g. after lame duck);
    /// returns true if it did (and reaps it).
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<bool> {
        let Some(child) = self.child.as_mut() else {
            return Ok(true);
        };
        let exited = process::wait_exit(child, timeout)?.is_some();
        if exited {
            self.child = None;
            self.paused = false;
        }
        Ok(exited)
    }

    /// GET a monitoring endpoint (e.g. `/connz?subs=true`) and parse it as JSON.
    pub fn monitor(&self, path_and_query: &str) -> Result<serde_json::Value> {
        http::get_json(self.layout.monitor_port, path_and_query, HTTP_TIMEOUT)
    }

    /// `/varz` as JSON (e.g. `["jetstream"]["config"]["sync_always"]`).
    pub fn varz(&self) -> Result<serde_json::Value> {
        self.monitor("/varz")
    }

    /// True if this server's `/jsz` lists stream `stream` in `account` (`None`: any account).
    pub fn has_stream(&self, account: Option<&str>, stream: &str) -> Result<bool> {
        let jsz = self.monitor(jsz::jsz_query(false))?;
        Ok(!jsz::stream_details(&jsz, account, stream).is_empty())
    }

    /// True if this server's `/jsz` lists durable `consumer` of `stream` in `account`.
    pub fn has_consumer(
        &self,
        account: Option<&str>,
        stream: &str,
        consumer: &str,
    ) -> Result<bool> {
        let jsz = self.monitor(jsz::jsz_query(true))?;
        Ok(!jsz::consumer_details(&jsz, account, stream, consumer).is_empty())
    }

    /// `/jsz?accounts=true&streams=true&consumers=true` as JSON.
    pub fn jsz(&self) -> Result<serde_json::Value> {
        self.monitor("/jsz?accounts=true&streams=true&consumers=true")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGKILL works on a stopped process; SIGCONT first anyway so it dies promptly.
            if self.paused {
                let _ = process::signal(child.id(), libc::SIGCONT);
            }
            let _ = process::kill_and_reap(&mut child);
        }
    }
}

/// A temp dir under `$TMPDIR` with `prefix`.
pub(crate) fn temp_dir(prefix: &str) -> Result<TempDir> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| Error::io("creating a temp dir", e))
}
