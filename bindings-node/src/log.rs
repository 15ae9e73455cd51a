//! The core's log records into JavaScript (`setLogger` in `lib/log.js`).
//!
//! `setLogSink(maxLevel, handler)` installs one core sink that hands each
//! record to `handler([level, topic, message])` on the JavaScript thread
//! through a threadsafe function that is:
//! - weak (unreferenced): a pending record never keeps the process alive;
//! - unbounded and called `NonBlocking`: a core thread never waits on
//!   JavaScript (the sink only queues).
//!
//! The level names are the core's (`LogLevel`, parsed by the core).

use std::sync::Arc;

use jetbridge::{LogLevel, Named};
use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};

use crate::runtime::guard;

type Args = (&'static str, &'static str, String);
type Handler = ThreadsafeFunction<Args, (), Args, Status, false, true, 0>;

/// Sends every core record at `maxLevel` (`error`, `warn`, `info`, `debug`)
/// or more important to `handler([level, topic, message])`, replacing the
/// previous sink. `handler` must not throw (`lib/log.js` catches).
#[napi_derive::napi(js_name = "setLogSink")]
pub fn set_log_sink(
    env: &Env,
    max_level: String,
    #[napi(ts_arg_type = "(record: [level: string, topic: string, message: string]) => void")]
    handler: Function<'_, Args, ()>,
) -> napi::Result<()> {
    let level = guard(env, || LogLevel::parse(&max_level))?;
    let handler: Arc<Handler> = Arc::new(
        handler
            .build_threadsafe_function::<Args>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?,
    );
    jetbridge::set_log_sink(level, move |r| {
        // Fails only while the environment is torn down: the record is dropped.
        let _ = handler.call(
            (r.level.name(), r.topic, r.message.to_string()),
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    });
    Ok(())
}

/// Removes the sink: no record reaches JavaScript any more.
#[napi_derive::napi(js_name = "clearLogSink")]
pub fn clear_log_sink() {
    jetbridge::clear_log_sink();
}
