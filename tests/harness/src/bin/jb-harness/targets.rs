//! What `jb-harness start` runs: one server or a cluster, behind one interface.

use jetbridge_harness::{Cluster, Credentials, Result, Server};
use serde_json::{Value, json};

/// A single server or a cluster.
pub(crate) enum Targets {
    Single(Box<Server>),
    Cluster(Cluster),
}

impl Targets {
    pub(crate) fn servers(&self) -> Vec<&Server> {
        match self {
            Targets::Single(s) => vec![&**s],
            Targets::Cluster(c) => c.servers().iter().collect(),
        }
    }

    pub(crate) fn server_mut(&mut self, i: usize) -> Result<&mut Server> {
        match self {
            Targets::Single(s) if i == 0 => Ok(s),
            Targets::Single(_) => Err(jetbridge_harness::Error::InvalidArgument(format!(
                "server index {i} out of range 0..1"
            ))),
            Targets::Cluster(c) => c.server_mut(i),
        }
    }

    /// The cluster, for the commands that only a cluster has (partitions).
    pub(crate) fn cluster(&self) -> std::result::Result<&Cluster, String> {
        match self {
            Targets::Cluster(c) => Ok(c),
            Targets::Single(_) => {
                Err("a single server has no routes: start with --cluster N".into())
            }
        }
    }

    /// JSON of server `i` (see [`describe_server`]).
    pub(crate) fn describe_index(&self, i: usize) -> Option<Value> {
        let tls = self.credentials().mode.is_tls();
        self.servers().get(i).map(|s| describe_server(s, tls))
    }

    fn credentials(&self) -> &Credentials {
        match self {
            Targets::Single(s) => s.credentials(),
            Targets::Cluster(c) => c.credentials(),
        }
    }

    /// Full description: the first line `jb-harness start` prints (and `info`).
    pub(crate) fn describe(&self) -> Value {
        let servers = self.servers();
        let tls = self.credentials().mode.is_tls();
        let mut v = json!({
            "ok": true,
            "cluster": match self { Targets::Cluster(c) => Value::from(c.name()), Targets::Single(_) => Value::Null },
            "urls": servers.iter().map(|s| s.url()).collect::<Vec<_>>(),
            "servers": servers.iter().map(|s| describe_server(s, tls)).collect::<Vec<_>>(),
            "auth": serde_json::to_value(self.credentials()).unwrap_or(Value::Null),
        });
        if tls {
            v["tls_urls"] = json!(servers.iter().map(|s| s.tls_url()).collect::<Vec<_>>());
        }
        v
    }

    /// Index of the stream leader (0 for a single server that has the stream).
    pub(crate) fn stream_leader(&self, account: Option<&str>, stream: &str) -> Result<usize> {
        match self {
            Targets::Single(s) => found(s.has_stream(account, stream)?, "stream", stream),
            Targets::Cluster(c) => c.stream_leader(account, stream),
        }
    }

    /// Index of the consumer leader (0 for a single server that has the consumer).
    pub(crate) fn consumer_leader(
        &self,
        account: Option<&str>,
        stream: &str,
        consumer: &str,
    ) -> Result<usize> {
        match self {
            Targets::Single(s) => found(
                s.has_consumer(account, stream, consumer)?,
                "consumer",
                &format!("{stream}/{consumer}"),
            ),
            Targets::Cluster(c) => c.consumer_leader(account, stream, consumer),
        }
    }

    /// Index of the meta leader (always 0 for a single server).
    pub(crate) fn meta_leader(&self) -> Result<usize> {
        match self {
            Targets::Single(_) => Ok(0),
            Targets::Cluster(c) => c.meta_leader(),
        }
    }

    /// Full readiness: `/healthz` (and a meta leader for clusters).
    pub(crate) fn wait_ready(&mut self) -> Result<()> {
        match self {
            Targets::Single(s) => s.wait_healthy(std::time::Duration::from_secs(10)),
            Targets::Cluster(c) => c.wait_ready(),
        }
    }
}

fn found(present: bool, kind: &str, name: &str) -> Result<usize> {
    if present {
        Ok(0)
    } else {
        Err(jetbridge_harness::Error::State(format!(
            "{kind} {name} not found"
        )))
    }
}

/// One server's JSON: name, urls, ports, pid (null when down), paths, state; `tls_url` only
/// in TLS modes.
pub(crate) fn describe_server(s: &Server, tls: bool) -> Value {
    let mut v = json!({
        "name": s.name(),
        "url": s.url(),
        "host": "127.0.0.1",
        "port": s.port(),
        "pid": s.pid(),
        "monitor": s.monitor_url(),
        "monitor_port": s.monitor_port(),
        "cluster_port": s.cluster_port(),
        "store_dir": s.store_dir(),
        "log": s.log_path(),
        "config": s.config_path(),
        "paused": s.is_paused(),
    });
    if tls {
        v["tls_url"] = json!(s.tls_url());
    }
    v
}
