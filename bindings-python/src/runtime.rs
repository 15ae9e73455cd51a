//! Running core futures for Python: the `Call` object, fork detection, and
//! runtime configuration.
//!
//! Every async native method spawns its core future on the core's runtime
//! (`jetbridge::runtime::spawn`) and returns a [`Call`] at once. A `Call` is
//! both:
//! - awaitable: `await call` resolves on the caller's asyncio loop. The core
//!   thread that finishes the future never takes the GIL; it hands the outcome
//!   to the loop's wakeup channel (see `event_loop.rs`), and the loop thread
//!   converts it to Python objects and resolves the future;
//! - blocking: `call.wait()` releases the GIL while it waits, and checks for
//!   signals about every 100 ms so that Ctrl-C interrupts it.
//!
//! A cancelled `await` does not stop the task by itself: it runs to its end
//! (every core operation is bounded by its own timeouts) and its outcome is
//! dropped. `cancel()` aborts it; the Python package calls it where waiting
//! itself is the work (a `fill` of a message stream, a wait for health or for
//! room in a publisher window), and `wait()` calls it on Ctrl-C. Core
//! operations run their I/O in tasks of their own, so an abort only stops the
//! waiting: an ack or publish already handed to the core still completes.
//! Calls made with [`spawn_to_completion`] ignore `cancel()`: they run to
//! their end and keep their result themselves (`fetch` puts its messages in a
//! buffer), so an interrupted wait loses nothing. A panic in the future
//! becomes `PanicError`.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use futures::FutureExt;
use jetbridge::{Error, ErrorKind};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::error;
use crate::event_loop::{self, LoopBridge};

/// Turns a finished core value into a Python object, on a Python thread.
pub(crate) type Convert = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// What a core future ended with, still as Rust values.
pub(crate) type Outcome = Result<Convert, Error>;

enum State {
    Running,
    /// `await`ed: resolve this asyncio future through this loop's bridge.
    Awaited(Arc<LoopBridge>, Py<PyAny>),
    /// A thread is blocked in `wait`.
    Blocked,
    Done(Outcome),
    Taken,
}

struct Slot {
    state: Mutex<State>,
    done: Condvar,
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores or delivers the outcome. Called once, on a core thread.
    fn complete(&self, outcome: Outcome) {
        let mut state = self.lock();
        match std::mem::replace(&mut *state, State::Taken) {
            State::Running => *state = State::Done(outcome),
            State::Blocked => {
                *state = State::Done(outcome);
                self.done.notify_all();
            }
            State::Awaited(bridge, future) => {
                drop(state);
                bridge.deliver(future, outcome);
            }
            old @ (State::Done(_) | State::Taken) => *state = old,
        }
    }
}

/// Spawned calls whose task has not ended yet (finished or aborted).
static UNFINISHED: AtomicUsize = AtomicUsize::new(0);

/// Completes the slot with `CLOSED` if the task is dropped before it finished
/// (aborted), so that no waiter can hang; counts unfinished tasks.
struct CompleteOnDrop(Option<Arc<Slot>>);

impl Drop for CompleteOnDrop {
    fn drop(&mut self) {
        UNFINISHED.fetch_sub(1, Ordering::AcqRel);
        if let Some(slot) = self.0.take() {
            slot.complete(Err(Error::new(ErrorKind::Closed, "the call was cancelled")));
        }
    }
}

/// How many spawned calls have not ended yet (tests use it to prove that
/// cancelled calls leave no task behind).
#[pyfunction]
fn _unfinished_calls() -> usize {
    UNFINISHED.load(Ordering::Acquire)
}

/// A core operation in progress. Await it (asyncio) or call `wait()`
/// (blocking); use it once.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct Call {
    slot: Arc<Slot>,
    /// `None` for calls that must run to completion.
    abort: Option<tokio::task::AbortHandle>,
}

/// Spawns `fut` on the core runtime; `convert` makes its value a Python object
/// once a Python thread collects it. `Call.cancel()` aborts the task.
/// Fails with `ForkedError` in a forked child.
pub(crate) fn spawn<F, T, C>(fut: F, convert: C) -> PyResult<Call>
where
    F: Future<Output = jetbridge::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    spawn_inner(fut, convert, true)
}

/// Like [`spawn`], but a cancelled or interrupted wait does not abort the
/// task: what must happen once asked for (an ack, a close) happens, and a
/// result that must not be lost (fetched messages) is kept by `fut` itself
/// where the next call finds it.
pub(crate) fn spawn_to_completion<F, T, C>(fut: F, convert: C) -> PyResult<Call>
where
    F: Future<Output = jetbridge::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    spawn_inner(fut, convert, false)
}

/// The conversion of a value that Python sees as itself (`int`, `None`, …).
pub(crate) fn as_is<T: for<'py> IntoPyObject<'py>>(
    py: Python<'_>,
    value: T,
) -> PyResult<Py<PyAny>> {
    value.into_py_any(py)
}

fn spawn_inner<F, T, C>(fut: F, convert: C, abortable: bool) -> PyResult<Call>
where
    F: Future<Output = jetbridge::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    check_fork()?;
    let slot = Arc::new(Slot {
        state: Mutex::new(State::Running),
        done: Condvar::new(),
    });
    UNFINISHED.fetch_add(1, Ordering::AcqRel);
    let mut guard = CompleteOnDrop(Some(slot.clone()));
    let task = jetbridge::runtime::spawn(async move {
        let result = AssertUnwindSafe(fut)
            .catch_unwind()
            .await
            .unwrap_or_else(|payload| Err(jetbridge::runtime::panic_error(payload)));
        let outcome: Outcome =
            result.map(|value| -> Convert { Box::new(move |py: Python<'_>| convert(py, value)) });
        if let Some(slot) = guard.0.take() {
            slot.complete(outcome);
        }
    })
    .map_err(error::to_py)?;
    Ok(Call {
        slot,
        abort: abortable.then(|| task.abort_handle()),
    })
}

/// Spawns a future whose value needs no conversion beyond `IntoPyObject`.
pub(crate) fn spawn_value<F, T>(fut: F) -> PyResult<Call>
where
    F: Future<Output = jetbridge::Result<T>> + Send + 'static,
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    spawn(fut, as_is)
}

/// Resolves an asyncio future with an outcome, unless it is already done
/// (cancelled). Runs on the loop's thread.
pub(crate) fn resolve(py: Python<'_>, future: &Bound<'_, PyAny>, outcome: Outcome) -> PyResult<()> {
    if future
        .call_method0(pyo3::intern!(py, "done"))?
        .is_truthy()?
    {
        return Ok(());
    }
    match outcome.map(|convert| convert(py)) {
        Ok(Ok(value)) => future.call_method1(pyo3::intern!(py, "set_result"), (value,))?,
        Ok(Err(err)) => {
            future.call_method1(pyo3::intern!(py, "set_exception"), (err.into_value(py),))?
        }
        Err(e) => future.call_method1(
            pyo3::intern!(py, "set_exception"),
            (error::exception(py, &e)?,),
        )?,
    };
    Ok(())
}

fn outcome_value(py: Python<'_>, outcome: Outcome) -> PyResult<Py<PyAny>> {
    match outcome {
        Ok(convert) => convert(py),
        Err(e) => Err(error::to_py(e)),
    }
}

#[pymethods]
impl Call {
    /// Awaits the result on the running asyncio loop.
    fn __await__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let event_loop = event_loop::running_loop(py)?;
        let future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
        // Before the lock: a new loop's bridge is registered by Python code.
        let bridge = event_loop::bridge_for(py, &event_loop)?;
        let mut state = self.slot.lock();
        match std::mem::replace(&mut *state, State::Taken) {
            State::Running => *state = State::Awaited(bridge, future.clone().unbind()),
            State::Done(outcome) => {
                drop(state);
                resolve(py, &future, outcome)?;
            }
            other => {
                *state = other;
                return Err(PyRuntimeError::new_err("this call was already awaited"));
            }
        }
        future.call_method0(pyo3::intern!(py, "__await__"))
    }

    /// Blocks until the result is there, with the GIL released. Ctrl-C
    /// (any signal handler that raises) interrupts the wait and cancels it.
    /// With `timeout` (seconds or a `timedelta`), Python's own
    /// `TimeoutError` when the result is not there by then, as
    /// `concurrent.futures.Future.result` does; the call goes on and can be
    /// waited for again.
    #[pyo3(name = "wait", signature = (timeout=None))]
    fn wait_py(&self, py: Python<'_>, timeout: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let timeout = crate::convert::opt_duration(timeout, "timeout")?;
        self.wait_until(py, timeout.map(|t| std::time::Instant::now() + t))
    }
}

impl Call {
    /// Blocks until the result is there (see `wait` above), without a limit.
    pub(crate) fn wait(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.wait_until(py, None)
    }

    fn wait_until(
        &self,
        py: Python<'_>,
        deadline: Option<std::time::Instant>,
    ) -> PyResult<Py<PyAny>> {
        {
            let mut state = self.slot.lock();
            match std::mem::replace(&mut *state, State::Taken) {
                State::Done(outcome) => {
                    drop(state);
                    return outcome_value(py, outcome);
                }
                State::Running | State::Blocked => *state = State::Blocked,
                other => {
                    *state = other;
                    return Err(PyRuntimeError::new_err("this call was already awaited"));
                }
            }
        }
        loop {
            let slot = self.slot.clone();
            let slice = deadline.map_or(Duration::from_millis(100), |d| {
                d.saturating_duration_since(std::time::Instant::now())
                    .min(Duration::from_millis(100))
            });
            let finished = py.detach(move || {
                let state = slot.lock();
                let (mut state, _) = slot
                    .done
                    .wait_timeout_while(state, slice, |s| !matches!(s, State::Done(_)))
                    .unwrap_or_else(|p| p.into_inner());
                match std::mem::replace(&mut *state, State::Taken) {
                    State::Done(outcome) => Some(outcome),
                    other => {
                        *state = other;
                        None
                    }
                }
            });
            if let Some(outcome) = finished {
                return outcome_value(py, outcome);
            }
            if let Err(interrupted) = py.check_signals() {
                self.cancel();
                return Err(interrupted);
            }
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                return Err(pyo3::exceptions::PyTimeoutError::new_err(()));
            }
        }
    }
}

#[pymethods]
impl Call {
    /// Aborts the waiting task (no effect on calls that run to completion;
    /// the core may still finish what it started).
    pub(crate) fn cancel(&self) {
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }
}

static FORKED: AtomicBool = AtomicBool::new(false);

/// Called in the child after `os.fork()` (registered with `os.register_at_fork`).
#[pyfunction]
fn _after_fork_in_child() {
    FORKED.store(true, Ordering::Release);
}

/// Fails with `ForkedError` when this process is a fork of one in which the
/// core runtime had started. Cheap: one atomic load outside a fork.
pub(crate) fn check_fork() -> PyResult<()> {
    if FORKED.load(Ordering::Acquire) {
        // The core compares pids; a child that forked before the runtime ever
        // started gets a fresh runtime and may connect.
        jetbridge::runtime::handle().map_err(error::to_py)?;
    }
    Ok(())
}

/// Sets the number of core worker threads. Only before the first connect.
#[pyfunction]
#[pyo3(signature = (worker_threads=None))]
fn configure_runtime(worker_threads: Option<usize>) -> PyResult<()> {
    jetbridge::runtime::configure(jetbridge::RuntimeOptions { worker_threads })
        .map_err(error::to_py)
}

/// Registers the runtime functions and the fork hook.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Call>()?;
    m.add_function(wrap_pyfunction!(configure_runtime, m)?)?;
    m.add_function(wrap_pyfunction!(_unfinished_calls, m)?)?;
    let hook = wrap_pyfunction!(_after_fork_in_child, m)?;
    m.add_function(hook.clone())?;
    let kwargs = pyo3::types::PyDict::new(m.py());
    kwargs.set_item("after_in_child", hook)?;
    m.py()
        .import("os")?
        .call_method("register_at_fork", (), Some(&kwargs))?;
    Ok(())
}
