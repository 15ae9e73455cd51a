//! A minimal HTTP/1.0 GET client for the nats-server monitoring port.
//!
//! Only loopback, only plain HTTP, every call bounded by a connect/read/write timeout.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::error::{Error, Result};

/// Upper bound on a monitoring response we are willing to read (jsz with details can be big).
const MAX_RESPONSE: u64 = 64 * 1024 * 1024;

/// A monitoring response: HTTP status code and body.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// `GET http://127.0.0.1:<port><path_and_query>` with `timeout` for connect and for each I/O.
pub(crate) fn get(port: u16, path_and_query: &str, timeout: Duration) -> Result<Response> {
    let url = format!("http://127.0.0.1:{port}{path_and_query}");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let io = |e: std::io::Error| Error::io(format!("GET {url}"), e);
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(io)?;
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    let request = format!(
        "GET {path_and_query} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).map_err(io)?;
    let mut raw = Vec::new();
    stream
        .take(MAX_RESPONSE)
        .read_to_end(&mut raw)
        .map_err(io)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| Error::Monitor {
        url: url.clone(),
        message: "response without header terminator".into(),
    })?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| Error::Monitor {
            url: url.clone(),
            message: format!("bad status line {:?}", head.lines().next().unwrap_or("")),
        })?;
    Ok(Response {
        status,
        body: body.to_string(),
    })
}

/// `GET` and parse the body as JSON; a non-200 status is an error.
pub(crate) fn get_json(
    port: u16,
    path_and_query: &str,
    timeout: Duration,
) -> Result<serde_json::Value> {
    let resp = get(port, path_and_query, timeout)?;
    let url = format!("http://127.0.0.1:{port}{path_and_query}");
    if resp.status != 200 {
        return Err(Error::Monitor {
            url,
            message: format!("status {}: {}", resp.status, resp.body.trim()),
        });
    }
    serde_json::from_str(&resp.body).map_err(|e| Error::Monitor {
        url,
        message: format!("invalid JSON: {e}"),
    })
}
