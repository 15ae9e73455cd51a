//! Test harness for JetBridge: real `nats-server` processes on free loopback ports.
//!
//! - [`Server`]: one JetStream server (temp store dir, generated config, log file); restart,
//!   kill -9, pause/resume, lame duck; monitoring JSON.
//! - [`Cluster`]: N servers with routes; stream/consumer/meta leader lookup; optionally every
//!   route through its own proxy, for partitions without root.
//! - [`AuthMode`] / [`Credentials`]: token, user/password, nkey, decentralized JWT, TLS,
//!   mTLS, TLS-first, auth callout (with the harness's own callout service) — with positive
//!   and negative material generated per run.
//! - [`Proxy`]: a TCP proxy that can pass, blackhole or reset connections.
//! - The `jb-harness` binary exposes all of it to Python, Node, C and Go tests over a
//!   JSON-lines protocol (see the README).
//!
//! Every wait is bounded; all traffic stays on 127.0.0.1.

mod auth;
mod binary;
mod callout;
mod cluster;
mod error;
mod files;
mod http;
mod jsz;
pub mod jwt;
mod jwt_material;
mod options;
mod ports;
mod process;
mod proxy;
mod routes;
mod server;
mod tls;

pub use auth::{AuthMode, Credentials, NkeyCredentials, TlsCredentials};
pub use binary::{NATS_SERVER_BIN_ENV, nats_server_binary, nats_server_version};
pub use cluster::{Cluster, ClusterOptions};
pub use error::{Error, Result};
pub use jwt_material::{JwtCredentials, UserCredentials};
pub use options::{ServerOptions, SyncInterval};
pub use ports::free_port;
pub use proxy::{Proxy, ProxyMode};
pub use server::Server;
pub use tls::{ServerCert, TlsFiles};
