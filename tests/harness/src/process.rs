//! Spawning nats-server and signalling it (Linux).

use std::fs::OpenOptions;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Poll period of every wait loop on a process.
const POLL: Duration = Duration::from_millis(10);

/// Starts `binary -c config` in its own process group, stdout and stderr appended to `log`.
pub(crate) fn spawn(
    binary: &Path,
    config: &Path,
    log: &Path,
    kill_on_parent_death: bool,
) -> Result<Child> {
    let open_log = || {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| Error::io(format!("opening log {}", log.display()), e))
    };
    let mut cmd = Command::new(binary);
    cmd.arg("-c")
        .arg(config)
        .stdin(Stdio::null())
        .stdout(open_log()?)
        .stderr(open_log()?)
        // Own process group: a terminal's Ctrl-C reaches the harness, which cleans up.
        .process_group(0);
    if kill_on_parent_death {
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    cmd.spawn()
        .map_err(|e| Error::io(format!("spawning {}", binary.display()), e))
}

/// Sends `sig` to `pid`.
pub(crate) fn signal(pid: u32, sig: libc::c_int) -> Result<()> {
    let pid = libc::pid_t::try_from(pid)
        .map_err(|_| Error::InvalidArgument(format!("pid {pid} out of range")))?;
    // SAFETY: kill(2) has no memory-safety preconditions.
    let rc = unsafe { libc::kill(pid, sig) };
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::io(
            format!("kill({pid}, {sig})"),
            std::io::Error::last_os_error(),
        ))
    }
}

/// True if `/proc/<pid>/stat` shows the process stopped (`T`) — i.e. SIGSTOP took effect.
fn is_stopped(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with('T'))
        })
        .unwrap_or(false)
}

/// Waits (bounded) until the stopped state of `pid` equals `stopped`.
pub(crate) fn wait_stopped_state(pid: u32, stopped: bool, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while is_stopped(pid) != stopped {
        if Instant::now() >= deadline {
            return Err(Error::Timeout {
                what: format!(
                    "pid {pid} to become {}",
                    if stopped { "stopped" } else { "running" }
                ),
                after: timeout,
                log_tail: String::new(),
            });
        }
        std::thread::sleep(POLL);
    }
    Ok(())
}

/// Waits up to `timeout` for `child` to exit; `Ok(None)` if it is still running.
pub(crate) fn wait_exit(child: &mut Child, timeout: Duration) -> Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(st) = child
            .try_wait()
            .map_err(|e| Error::io("waiting for nats-server", e))?
        {
            return Ok(Some(st));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(POLL);
    }
}

/// SIGKILLs `child` (works on stopped processes too) and reaps it.
pub(crate) fn kill_and_reap(child: &mut Child) -> Result<ExitStatus> {
    if let Some(st) = child
        .try_wait()
        .map_err(|e| Error::io("waiting for nats-server", e))?
    {
        return Ok(st);
    }
    child
        .kill()
        .map_err(|e| Error::io("SIGKILL nats-server", e))?;
    child
        .wait()
        .map_err(|e| Error::io("reaping nats-server", e))
}
