//! The core's own tokio runtime.
//!
//! One multi-thread runtime per process, created on first use, with named
//! threads (`jetbridge-N`). Every public async function of the core runs its I/O
//! here through [`run`], so a caller on another executor (asyncio, libuv, a Go
//! goroutine via C, or plain threads) only awaits the result. Heartbeats and
//! acks keep flowing while the caller's thread is busy.
//!
//! Fork safety: starting the runtime registers a `pthread_atfork` child handler
//! that marks the process as forked (the runtime's threads do not exist in a
//! child), so every entry point returns [`ErrorKind::Forked`] instead of
//! hanging. The check is one atomic load, cheap enough for every publish.

use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::{Error, ErrorKind, Result};

/// Options for the core runtime. They only take effect before first use.
#[derive(Clone, Debug, Default)]
pub struct RuntimeOptions {
    /// Worker threads; `None` picks `min(available cores, 4)`, at least 2.
    pub worker_threads: Option<usize>,
}

struct CoreRuntime {
    runtime: tokio::runtime::Runtime,
}

/// Set in a child process forked after the runtime started.
static FORKED: AtomicBool = AtomicBool::new(false);

extern "C" fn mark_forked() {
    FORKED.store(true, Ordering::Relaxed);
}

static RUNTIME: OnceLock<std::result::Result<CoreRuntime, String>> = OnceLock::new();
static PENDING_OPTIONS: OnceLock<RuntimeOptions> = OnceLock::new();
static THREAD_SEQ: AtomicUsize = AtomicUsize::new(0);

/// Sets the runtime options. Fails with `INVALID_ARGUMENT` when called after the
/// runtime started or twice, or with zero threads.
pub fn configure(options: RuntimeOptions) -> Result<()> {
    if options.worker_threads == Some(0) {
        return Err(Error::invalid("worker_threads", "must be at least 1"));
    }
    if RUNTIME.get().is_some() {
        return Err(Error::invalid(
            "runtime options",
            "the runtime has already started; configure it before the first connect",
        ));
    }
    PENDING_OPTIONS
        .set(options)
        .map_err(|_| Error::invalid("runtime options", "already configured"))
}

fn build(options: &RuntimeOptions) -> std::result::Result<CoreRuntime, String> {
    let threads = options.worker_threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(2, 4)
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name_fn(|| format!("jetbridge-{}", THREAD_SEQ.fetch_add(1, Ordering::Relaxed)))
        .on_thread_start(block_sigpipe)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the JetBridge runtime: {e}"))?;
    // SAFETY: registers a plain function with no captured state; the child
    // handler only stores to an atomic, which is async-signal-safe.
    let rc = unsafe { libc::pthread_atfork(None, None, Some(mark_forked)) };
    if rc != 0 {
        return Err(format!("cannot register the fork handler (error {rc})"));
    }
    Ok(CoreRuntime { runtime })
}

/// Blocks SIGPIPE on the calling (runtime) thread. A write to a connection
/// the server already closed then fails with `EPIPE`, and the client
/// reconnects, instead of killing the host process: a C or Go program keeps
/// SIGPIPE's default action, which terminates it (Rust, Python and Node
/// programs ignore it themselves). The signal is directed at the writing
/// thread, so it stays pending there and never reaches the program.
fn block_sigpipe() {
    // SAFETY: builds a local signal set, then changes only this thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

fn core() -> Result<&'static CoreRuntime> {
    let slot = RUNTIME.get_or_init(|| build(PENDING_OPTIONS.get_or_init(RuntimeOptions::default)));
    match slot {
        Ok(rt) if !FORKED.load(Ordering::Relaxed) => Ok(rt),
        Ok(_) => Err(Error::new(
            ErrorKind::Forked,
            "this process was forked after JetBridge started; connect again from a fresh process \
             (or fork before the first connect)",
        )),
        Err(msg) => Err(Error::new(ErrorKind::Internal, msg.clone())),
    }
}

/// Fails with `FORKED` in a forked child, and starts the runtime if needed.
/// For entry points that do no I/O of their own.
pub fn check() -> Result<()> {
    core().map(|_| ())
}

/// A handle to the core runtime, for code that must spawn long-lived tasks.
pub fn handle() -> Result<tokio::runtime::Handle> {
    Ok(core()?.runtime.handle().clone())
}

/// True when the current thread is one of the core runtime's threads.
pub fn on_core_thread() -> bool {
    match (RUNTIME.get(), tokio::runtime::Handle::try_current()) {
        (Some(Ok(rt)), Ok(current)) => rt.runtime.handle().id() == current.id(),
        _ => false,
    }
}

/// Runs `fut` on the core runtime and resolves with its output. The returned
/// future can be awaited from any executor. A panic inside `fut` becomes an
/// [`ErrorKind::Panic`] error. Dropping the returned future (cancelling the
/// call) aborts `fut` at its next await point.
pub async fn run<F, T>(fut: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut join = AbortOnDrop(Some(core()?.runtime.spawn(fut)));
    let outcome = match join.0.as_mut() {
        Some(handle) => handle.await,
        None => return Err(Error::new(ErrorKind::Internal, "task handle missing")),
    };
    join.0 = None;
    match outcome {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(panic_error(e.into_panic())),
        Err(_) => Err(Error::closed("runtime")),
    }
}

/// Aborts the task when the awaiting future is dropped before it finished.
struct AbortOnDrop<T>(Option<tokio::task::JoinHandle<T>>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.abort();
        }
    }
}

/// Runs `fut` on the core runtime and blocks the calling thread until it is done.
/// For callers without an event loop (C, blocking Python). Refuses to run on a
/// core thread, where blocking would deadlock.
pub fn block_on<F, T>(fut: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    if on_core_thread() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "a blocking JetBridge call was made from a JetBridge callback thread; use the async form",
        ));
    }
    let rt = core()?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    rt.runtime.spawn(async move {
        let out = match tokio::spawn(fut).await {
            Ok(result) => result,
            Err(e) if e.is_panic() => Err(panic_error(e.into_panic())),
            Err(_) => Err(Error::closed("runtime")),
        };
        let _ = tx.send(out);
    });
    rx.recv()
        .unwrap_or_else(|_| Err(Error::new(ErrorKind::Internal, "runtime task vanished")))
}

/// Spawns a detached task on the core runtime.
pub fn spawn<F>(fut: F) -> Result<tokio::task::JoinHandle<F::Output>>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    Ok(core()?.runtime.spawn(fut))
}

/// Turns a caught panic payload into a `PANIC` error. Only `&str`/`String`
/// payloads are shown; they are library messages, never user data.
pub fn panic_error(payload: Box<dyn std::any::Any + Send>) -> Error {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    Error::new(
        ErrorKind::Panic,
        format!("panic inside JetBridge: {detail}"),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn run_from_a_foreign_thread_and_catch_panics() {
        let out = block_on(async { Ok(on_core_thread()) });
        assert_eq!(out, Ok(true));
        let err = block_on(async {
            if std::env::var("JB_NEVER_SET_THIS").is_err() {
                panic!("boom");
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Panic);
        assert!(err.message().contains("boom"));
        assert!(!on_core_thread());
    }

    #[test]
    fn configure_after_start_is_rejected() {
        let _ = handle();
        let err = configure(RuntimeOptions {
            worker_threads: Some(2),
        })
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
}
