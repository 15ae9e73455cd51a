//! `jb_subscription`: a continuous flow of messages — a durable consumer's
//! `messages()`, an ordered replay, a push consumer, a Dapr subscription —
//! read through a channel (`recv`, `try_recv`, `recv_many`) or delivered to a
//! callback closure.
//!
//! The closure contract is documented on `jb_message_closure`.

use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use futures::FutureExt;
use jetbridge_core::{
    Client, ErrorKind, Health, Message, MessageStream, ReplayOptions, Result, runtime,
};

use crate::client::{jb_client, jb_dapr_config};
use crate::consumer::{consumer, jb_consumer, speed_from_c, speed_to_c, start_from_c, start_to_c};
use crate::convert::{Out, SendPtr, cstr, cstr_array, ms, opt_input, out_slice};
use crate::error::{c_message, err, jb_result, set_last};
use crate::generated::{jb_consumer_config, jb_messages_options};
use crate::handles::{Handle, handle_registry};
use crate::message::{jb_message, message_handle, message_handles};
use crate::panic::boundary;
use crate::record_c;
use crate::runtime::{block, blocking_and_async};

/// A continuous flow of messages. Opaque handle.
///
/// Caller owns it: free with `jb_subscription_free`, which stops the flow
/// (buffered, un-acked messages are redelivered by the server after their
/// ack wait). Safe to use from any thread; one receiver at a time.
pub struct jb_subscription {
    _private: [u8; 0],
}

/// The health of a subscription (`jb_subscription_health`).
#[repr(u32)]
#[derive(Clone, Copy, Debug)]
pub enum jb_health {
    /// Receiving messages or heartbeats.
    Active = 0,
    /// The connection is down; reconnecting.
    Reconnecting = 1,
    /// Two heartbeats were missed.
    Stalled = 2,
    /// Re-issuing pulls or re-creating the consumer.
    Recovering = 3,
    /// Stopped, or ended by an unrecoverable error.
    Stopped = 4,
}

fn health_code(h: Health) -> u32 {
    (match h {
        Health::Active => jb_health::Active,
        Health::Reconnecting => jb_health::Reconnecting,
        Health::Stalled => jb_health::Stalled,
        Health::Recovering => jb_health::Recovering,
        _ => jb_health::Stopped,
    }) as u32
}

/// What an ordered replay reads; fill with `jb_replay_options_default`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_replay_options {
    /// A `JB_START_*` value (default all).
    pub start: u32,
    /// With `JB_START_SEQUENCE`: the first sequence (at least 1).
    pub start_sequence: u64,
    /// With `JB_START_TIME`: Unix nanoseconds.
    pub start_time_ns: i64,
    /// Only these subjects; NULL/0 = all.
    pub filter_subjects: *const *const c_char,
    /// Number of `filter_subjects`.
    pub filter_subjects_len: usize,
    /// A `JB_REPLAY_SPEED_*` value.
    pub speed: u32,
    /// Pull tuning, read during the call; NULL = the core's defaults.
    pub messages: *const jb_messages_options,
}

/// Delivery of a subscription's messages to a callback.
///
/// Contract (zenoh-c style), once `jb_subscription_set_callback` took the
/// closure:
/// - `call` runs on one library thread per subscription, one call at a time,
///   in delivery order. It receives ownership of each message handle.
/// - When the flow ends with an error (the stream or consumer is gone for
///   good), `call` runs once more with that result and a NULL message.
/// - `drop` runs exactly once, after the last `call` has returned: when the
///   flow ends, or when the subscription is freed.
/// - `jb_subscription_free` from another thread waits until a running `call`
///   returns and `drop` has run; from inside `call` it returns at once and
///   `drop` runs right after that `call` returns; from another library
///   thread (an async callback) it waits for a running `call` only. No
///   `call` starts after `jb_subscription_free` was called.
/// - `call` may call any `jb_` function, including blocking ones (it does not
///   run on a core runtime thread). Blocking in `call` delays this
///   subscription only.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_message_closure {
    /// Passed back to `call` and `drop`; may be NULL.
    pub context: *mut c_void,
    /// Required. `result` is `JB_RESULT_OK` with a message the callee owns
    /// (free it with `jb_message_free`), or the error that ended the flow
    /// with a NULL message; `error` is valid only during the call.
    pub call: Option<
        unsafe extern "C" fn(
            context: *mut c_void,
            result: jb_result,
            error: *const c_char,
            message: *mut jb_message,
        ),
    >,
    /// Optional. Runs exactly once, after the last `call`.
    pub drop: Option<unsafe extern "C" fn(context: *mut c_void)>,
}

/// Delivery of a subscription's messages to a callback, several at a time:
/// the contract of `jb_message_closure`, except that `call` receives every
/// message ready at that moment (at most 256) in one call, in delivery order.
/// Fewer crossings for a caller whose every call costs (Go's cgo callbacks).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_messages_closure {
    /// Passed back to `call` and `drop`; may be NULL.
    pub context: *mut c_void,
    /// Required. `result` is `JB_RESULT_OK` with `count` ≥ 1 message handles
    /// the callee owns (the array is only lent for the call), or the error
    /// that ended the flow with NULL and 0; `error` is valid only during the
    /// call.
    pub call: Option<
        unsafe extern "C" fn(
            context: *mut c_void,
            result: jb_result,
            error: *const c_char,
            messages: *const *mut jb_message,
            count: usize,
        ),
    >,
    /// Optional. Runs exactly once, after the last `call`.
    pub drop: Option<unsafe extern "C" fn(context: *mut c_void)>,
}

/// Called once with a new subscription handle (owned by the callback), or
/// NULL and the error.
pub type jb_subscription_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        subscription: *mut jb_subscription,
    ),
>;

/// How long one wait holds the stream, so health reads never wait longer.
const SLICE: Duration = Duration::from_millis(100);
/// Messages taken per wake-up by a callback delivery thread.
const DELIVERY_BATCH: usize = 256;

type SharedStream = Arc<tokio::sync::Mutex<MessageStream>>;

/// The state behind a `jb_subscription`.
pub(crate) struct Subscription {
    stream: SharedStream,
    health: Arc<AtomicU32>,
    delivery: Mutex<Option<Delivery>>,
}

handle_registry!(jb_subscription, Subscription, 0x16, "jb_subscription");

/// A callback delivery thread.
struct Delivery {
    stop: Arc<AtomicBool>,
    /// Held while `call` runs, so `free` can wait for it.
    gate: Arc<Mutex<()>>,
    thread: Option<JoinHandle<()>>,
    thread_id: ThreadId,
}

impl Subscription {
    fn new(stream: MessageStream) -> Subscription {
        let health = Arc::new(AtomicU32::new(health_code(stream.health())));
        Subscription {
            stream: Arc::new(tokio::sync::Mutex::new(stream)),
            health,
            delivery: Mutex::new(None),
        }
    }

    fn delivery(&self) -> std::sync::MutexGuard<'_, Option<Delivery>> {
        self.delivery.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn check_channel_mode(&self) -> Result<()> {
        if self.delivery().is_some() {
            return Err(err(
                ErrorKind::InvalidArgument,
                "this subscription delivers to a callback; recv is not available",
            ));
        }
        Ok(())
    }

    /// Stops callback delivery (see the module contract).
    fn stop_delivery(&self) {
        let Some(mut d) = self.delivery().take() else {
            return;
        };
        if std::thread::current().id() == d.thread_id {
            // Inside `call`: the loop sees the flag when `call` returns.
            d.stop.store(true, Ordering::Release);
            return;
        }
        {
            let _running_call = d.gate.lock().unwrap_or_else(|p| p.into_inner());
            d.stop.store(true, Ordering::Release);
        }
        // The delivery thread waits on the core runtime; a core thread must
        // not wait for it (with one worker that would deadlock): it lets the
        // thread finish, and `drop` run, on its own.
        if runtime::on_core_thread() {
            return;
        }
        if let Some(thread) = d.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.stop_delivery();
    }
}

/// Waits up to `timeout` for up to `max` messages, holding the stream at most
/// `SLICE` at a time. Zero messages is not an error.
async fn receive(
    stream: SharedStream,
    health: Arc<AtomicU32>,
    max: usize,
    timeout: Duration,
) -> Result<Vec<Message>> {
    let deadline = Instant::now() + timeout;
    loop {
        let wait = deadline
            .saturating_duration_since(Instant::now())
            .min(SLICE);
        let batch = {
            let s = stream.lock().await;
            let batch = s.next_batch(max, wait).await;
            health.store(health_code(s.health()), Ordering::Relaxed);
            batch
        }?;
        if !batch.is_empty() || Instant::now() >= deadline {
            return Ok(batch);
        }
    }
}

/// The next message or the error that ended the flow, if one is ready now,
/// without waiting (`None` also while another thread is receiving).
fn take_ready(s: &Subscription) -> Option<Result<Message>> {
    let stream = s.stream.try_lock().ok()?;
    let next = stream.next().now_or_never();
    s.health
        .store(health_code(stream.health()), Ordering::Relaxed);
    next
}

fn subscription(handle: *const jb_subscription) -> Result<Arc<Subscription>> {
    jb_subscription::get(handle, "subscription")
}

fn insert_stream(stream: MessageStream) -> Result<Subscription> {
    Ok(Subscription::new(stream))
}

/// # Safety
/// `o` is NULL or valid, with valid filter strings.
unsafe fn replay_options(o: *const jb_replay_options) -> Result<ReplayOptions> {
    // SAFETY: caller's contract.
    let Some(o) = (unsafe { opt_input(o, "options") })? else {
        return Ok(ReplayOptions::default());
    };
    Ok(ReplayOptions {
        start: start_from_c(o.start, o.start_sequence, o.start_time_ns)?,
        // SAFETY: caller's contract.
        filter_subjects: unsafe {
            cstr_array(
                o.filter_subjects,
                o.filter_subjects_len,
                "options.filter_subjects",
            )
        }?,
        speed: speed_from_c(o.speed)?,
        // SAFETY: caller's contract.
        messages: unsafe { record_c::read_or_default(o.messages, "options.messages") }?,
        ..ReplayOptions::default()
    })
}

/// Fills `out` with the core's replay defaults (`messages` NULL: the core's
/// pull tuning).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_replay_options_default(out: *mut jb_replay_options) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let d = ReplayOptions::default();
        let (start, start_sequence, start_time_ns) = start_to_c(d.start);
        // SAFETY: checked out-parameter.
        unsafe {
            out.write(jb_replay_options {
                start,
                start_sequence,
                start_time_ns,
                filter_subjects: std::ptr::null(),
                filter_subjects_len: 0,
                speed: speed_to_c(d.speed),
                messages: std::ptr::null(),
            })
        };
        Ok(())
    })
}

blocking_and_async! {
    /// Starts a continuous pull from a durable consumer, blocking until it is
    /// set up: pull requests stay outstanding, heartbeats are on, and it recovers
    /// by itself after reconnects, restarts, leader changes and a deleted
    /// durable. `options` may be NULL. On success `*out` is owned by the caller.
    fn jb_consumer_messages(consumer: *const jb_consumer, options: *const jb_messages_options)
        -> handle(jb_subscription, jb_subscription_callback);
    /// `jb_consumer_messages` without blocking.
    async fn jb_consumer_messages_async;
    {
        let c = self::consumer(consumer)?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read_or_default(options, "options") }?;
        async move { insert_stream(c.messages(options).await?) }
    }
}

/// # Safety
/// As the exported callers.
unsafe fn replay_args(
    client: *const jb_client,
    stream: *const c_char,
    options: *const jb_replay_options,
) -> Result<(Client, String, ReplayOptions)> {
    let c = crate::client::client(client)?;
    // SAFETY: caller's contract.
    let stream = unsafe { cstr(stream, "stream") }?.to_string();
    // SAFETY: caller's contract.
    let options = unsafe { replay_options(options) }?;
    Ok((c, stream, options))
}

blocking_and_async! {
    /// Starts an ordered replay of `stream`, blocking until it is set up: every
    /// stored message from the start position, each once and in stream order,
    /// through an ephemeral consumer that resets itself across gaps, restarts
    /// and deletion. Replayed messages take no acks. `options` may be NULL
    /// (from the first message).
    fn jb_client_replay(
        client: *const jb_client,
        stream: *const c_char,
        options: *const jb_replay_options,
    ) -> handle(jb_subscription, jb_subscription_callback);
    /// `jb_client_replay` without blocking.
    async fn jb_client_replay_async;
    {
        // SAFETY: caller's contract.
        let (c, stream, options) = unsafe { replay_args(client, stream, options) }?;
        async move { insert_stream(c.replay(&stream, options).await?) }
    }
}

blocking_and_async! {
    /// Creates (or joins) a push consumer on `stream` and starts receiving,
    /// blocking until set up. `config` needs a durable name to be shared; set
    /// `deliver_group` to share the work (each message goes to one member);
    /// `deliver_subject` may be NULL. Joining with a different configuration is
    /// `JB_RESULT_CONFIG_MISMATCH`.
    fn jb_client_push_subscribe(
        client: *const jb_client,
        stream: *const c_char,
        config: *const jb_consumer_config,
    ) -> handle(jb_subscription, jb_subscription_callback);
    /// `jb_client_push_subscribe` without blocking.
    async fn jb_client_push_subscribe_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let stream = unsafe { cstr(stream, "stream") }?.to_string();
        // SAFETY: caller's contract.
        let config = unsafe { record_c::read(config, "config") }?;
        async move { insert_stream(c.push_subscribe(&stream, config).await?) }
    }
}

blocking_and_async! {
    /// Subscribes to `topic` the way the Dapr component does (a push consumer
    /// filtered on the topic, on `streamName` or the stream that captures the
    /// topic, shared by `queueGroupName`), blocking until set up.
    fn jb_client_dapr_subscribe(
        client: *const jb_client,
        topic: *const c_char,
        config: *const jb_dapr_config,
    ) -> handle(jb_subscription, jb_subscription_callback);
    /// `jb_client_dapr_subscribe` without blocking.
    async fn jb_client_dapr_subscribe_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let topic = unsafe { cstr(topic, "topic") }?.to_string();
        let options = jb_dapr_config::get(config, "config")?.subscription.clone();
        async move { insert_stream(c.subscribe(&topic, &options).await?) }
    }
}

/// Waits up to `timeout_ms` for the next message, blocking. On success
/// `*out` is a message the caller owns. `JB_RESULT_TIMEOUT` when none
/// arrived; the error that ended the flow once, then `JB_RESULT_CLOSED`.
/// Not available in callback mode, nor on a library callback thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_subscription_recv(
    subscription: *const jb_subscription,
    timeout_ms: u64,
    out: *mut *mut jb_message,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let s = self::subscription(subscription)?;
        s.check_channel_mode()?;
        // A message already buffered is taken on the caller's thread: only a
        // wait goes through a core thread (a round trip of two wake-ups).
        let m = match take_ready(&s) {
            Some(next) => next?,
            None => {
                let (stream, health) = (s.stream.clone(), s.health.clone());
                let mut batch =
                    block(async move { receive(stream, health, 1, ms(timeout_ms)).await })?;
                batch.pop().ok_or_else(|| {
                    err(
                        ErrorKind::Timeout,
                        format!("no message within {timeout_ms} ms"),
                    )
                })?
            }
        };
        let handle = message_handle(m)?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Takes the next message if one is already buffered, never blocking (also
/// usable on a library callback thread). `JB_RESULT_TIMEOUT` when none is
/// ready (or another thread is receiving).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_subscription_try_recv(
    subscription: *const jb_subscription,
    out: *mut *mut jb_message,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let s = self::subscription(subscription)?;
        s.check_channel_mode()?;
        let m = take_ready(&s).ok_or_else(|| err(ErrorKind::Timeout, "no message is ready"))??;
        let handle = message_handle(m)?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Waits up to `timeout_ms` for the first message, then takes whatever else
/// is buffered, up to `max`, blocking. Zero messages is not an error. On
/// success `out_messages[0..*out_len]` are messages the caller owns;
/// `out_messages` must have room for `max`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_subscription_recv_many(
    subscription: *const jb_subscription,
    max: usize,
    timeout_ms: u64,
    out_messages: *mut *mut jb_message,
    out_len: *mut usize,
) -> jb_result {
    boundary(|| {
        let out_len = Out::new(out_len, "out_len")?;
        // SAFETY: caller's contract.
        let out = unsafe { out_slice(out_messages, max, "out_messages") }?;
        let s = self::subscription(subscription)?;
        s.check_channel_mode()?;
        let (stream, health) = (s.stream.clone(), s.health.clone());
        let batch = block(async move { receive(stream, health, max, ms(timeout_ms)).await })?;
        let handles = message_handles(batch)?;
        let n = handles.len();
        for (slot, h) in out.iter_mut().zip(handles) {
            slot.write(h);
        }
        // SAFETY: checked out-parameter.
        unsafe { out_len.write(n) };
        Ok(())
    })
}

/// The subscription's health as a `JB_HEALTH_*` value. Never blocks; while
/// another thread is waiting in `recv`, the value may be up to 100 ms old.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_subscription_health(
    subscription: *const jb_subscription,
    out: *mut u32,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let s = self::subscription(subscription)?;
        if let Ok(stream) = s.stream.try_lock() {
            s.health
                .store(health_code(stream.health()), Ordering::Relaxed);
        }
        // SAFETY: checked out-parameter.
        unsafe { out.write(s.health.load(Ordering::Relaxed)) };
        Ok(())
    })
}

/// Switches the subscription to callback delivery (see the contract of
/// `jb_message_closure`). The library owns the closure from
/// this call on: `drop` runs exactly once even when this call fails (e.g. a
/// NULL `call` or a subscription already in callback mode).
#[unsafe(no_mangle)]
pub extern "C" fn jb_subscription_set_callback(
    subscription: *const jb_subscription,
    closure: jb_message_closure,
) -> jb_result {
    let guard = ClosureGuard {
        context: closure.context,
        drop: closure.drop,
    };
    start_delivery(subscription, closure.call.map(Sink::One), guard)
}

/// Switches the subscription to callback delivery in batches (see the
/// contract of `jb_messages_closure`); otherwise as
/// `jb_subscription_set_callback`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_subscription_set_batch_callback(
    subscription: *const jb_subscription,
    closure: jb_messages_closure,
) -> jb_result {
    let guard = ClosureGuard {
        context: closure.context,
        drop: closure.drop,
    };
    start_delivery(subscription, closure.call.map(Sink::Many), guard)
}

/// Starts the delivery thread for `sink` (None: the closure had no `call`).
/// `guard` runs the closure's `drop` once, whether this fails or the thread
/// ends.
fn start_delivery(
    subscription: *const jb_subscription,
    sink: Option<Sink>,
    guard: ClosureGuard,
) -> jb_result {
    let mut owned = Some(guard);
    let code = boundary(|| {
        let s = self::subscription(subscription)?;
        let Some(sink) = sink else {
            return Err(crate::error::null("closure.call"));
        };
        let mut slot = s.delivery();
        if slot.is_some() {
            return Err(err(
                ErrorKind::InvalidArgument,
                "this subscription already delivers to a callback",
            ));
        }
        let stop = Arc::new(AtomicBool::new(false));
        let gate = Arc::new(Mutex::new(()));
        let guard = owned
            .take()
            .ok_or_else(|| err(ErrorKind::Internal, "closure taken twice"))?;
        let worker = Worker {
            stream: s.stream.clone(),
            health: s.health.clone(),
            stop: stop.clone(),
            gate: gate.clone(),
            sink,
            closure: guard,
        };
        let thread = std::thread::Builder::new()
            .name("jetbridge-callback".into())
            .spawn(move || worker.run())
            .map_err(|e| {
                err(
                    ErrorKind::Internal,
                    format!("cannot start a delivery thread: {e}"),
                )
            })?;
        *slot = Some(Delivery {
            stop,
            gate,
            thread_id: thread.thread().id(),
            thread: Some(thread),
        });
        Ok(())
    });
    // On failure before the worker took it, the guard drops here: `drop` runs.
    drop(owned);
    code
}

/// Calls the closure's `drop` exactly once, when dropped.
struct ClosureGuard {
    context: *mut c_void,
    drop: Option<unsafe extern "C" fn(context: *mut c_void)>,
}

// SAFETY: the closure's contract allows calling it from any thread.
unsafe impl Send for ClosureGuard {}

impl Drop for ClosureGuard {
    fn drop(&mut self) {
        if let Some(drop_fn) = self.drop {
            // SAFETY: the closure contract; runs once (this guard is unique).
            unsafe { drop_fn(self.context) };
        }
    }
}

/// Where a delivery thread hands messages: one per call, or all ready ones.
#[derive(Clone, Copy)]
enum Sink {
    One(unsafe extern "C" fn(*mut c_void, jb_result, *const c_char, *mut jb_message)),
    Many(
        unsafe extern "C" fn(*mut c_void, jb_result, *const c_char, *const *mut jb_message, usize),
    ),
}

/// The callback delivery thread.
struct Worker {
    stream: SharedStream,
    health: Arc<AtomicU32>,
    stop: Arc<AtomicBool>,
    gate: Arc<Mutex<()>>,
    sink: Sink,
    closure: ClosureGuard,
}

impl Worker {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Runs `call` (one call of the closure) under the gate unless stopped.
    fn gated(&self, call: impl FnOnce(*mut c_void)) -> bool {
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        if self.stopped() {
            return false;
        }
        call(SendPtr(self.closure.context).0);
        true
    }

    /// Hands `handles` to the closure; those it did not take (stopped) are freed.
    fn deliver(&self, handles: Vec<*mut jb_message>) {
        match self.sink {
            Sink::One(call) => {
                for h in handles {
                    // SAFETY: the closure contract; the handle becomes the callee's.
                    let given =
                        self.gated(|cx| unsafe { call(cx, jb_result::Ok, std::ptr::null(), h) });
                    if !given {
                        let _ = jb_message::remove(h);
                    }
                }
            }
            Sink::Many(call) => {
                // SAFETY: the closure contract; the handles become the callee's,
                // the array is lent for the call.
                let given = self.gated(|cx| unsafe {
                    call(
                        cx,
                        jb_result::Ok,
                        std::ptr::null(),
                        handles.as_ptr(),
                        handles.len(),
                    )
                });
                if !given {
                    for h in handles {
                        let _ = jb_message::remove(h);
                    }
                }
            }
        }
    }

    /// Tells the closure the error that ended the flow.
    fn deliver_end(&self, e: &jetbridge_core::Error) {
        set_last(e); // for jb_last_error_api_code during the call
        let text = c_message(e);
        let code = jb_result::from(e);
        // SAFETY: the closure contract: an error, no message.
        self.gated(|cx| unsafe {
            match self.sink {
                Sink::One(call) => call(cx, code, text.as_ptr(), std::ptr::null_mut()),
                Sink::Many(call) => call(cx, code, text.as_ptr(), std::ptr::null(), 0),
            }
        });
    }

    fn run(self) {
        while !self.stopped() {
            let (stream, health) = (self.stream.clone(), self.health.clone());
            let batch =
                runtime::block_on(
                    async move { receive(stream, health, DELIVERY_BATCH, SLICE).await },
                );
            match batch {
                Ok(messages) if messages.is_empty() => {}
                Ok(messages) => {
                    // A batch the registry cannot take is dropped unacked: the
                    // server redelivers it.
                    if let Ok(handles) = message_handles(messages) {
                        self.deliver(handles);
                    }
                }
                Err(e) => {
                    if !(self.stopped() && e.kind() == ErrorKind::Closed) {
                        self.deliver_end(&e);
                    }
                    break;
                }
            }
        }
        // `self.closure` drops here: `drop` runs once, after the last call.
    }
}

/// Stops the flow without freeing: buffered messages can still be received
/// (channel mode); callback delivery ends and `drop` runs (see the
/// contract). Idempotent. Waits up to 100 ms for another thread's `recv`;
/// on a library callback thread, if another thread is receiving, it returns
/// `JB_RESULT_INVALID_ARGUMENT` instead of waiting.
#[unsafe(no_mangle)]
pub extern "C" fn jb_subscription_stop(subscription: *const jb_subscription) -> jb_result {
    boundary(|| {
        let s = self::subscription(subscription)?;
        s.stop_delivery();
        if let Ok(stream) = s.stream.try_lock() {
            stream.stop();
            s.health
                .store(health_code(stream.health()), Ordering::Relaxed);
            return Ok(());
        }
        let (stream, health) = (s.stream.clone(), s.health.clone());
        block(async move {
            let st = stream.lock().await;
            st.stop();
            health.store(health_code(st.health()), Ordering::Relaxed);
            Ok(())
        })
    })
}

/// Frees the subscription and stops its flow (see `jb_message_closure` for
/// callback mode). NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_subscription_free(subscription: *mut jb_subscription) -> jb_result {
    boundary(|| {
        if let Some(s) = jb_subscription::remove(subscription)? {
            s.stop_delivery();
        }
        Ok(())
    })
}
