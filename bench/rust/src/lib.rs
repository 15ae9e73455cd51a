//! The shared command-line contract of every bench entry, in Rust.
//!
//! Every entry (in every language) is a program that takes
//!
//! ```text
//! --url URL --op OP --count N [--payload BYTES] [--stream NAME] [--window 1024] [--batch 500]
//! ```
//!
//! runs one operation against a stream the driver already created (and, for
//! `consume` and `replay`, filled), and prints ONE JSON line on stdout (see
//! [`Report`]). It exits 0 when it believes it succeeded, 2 for a failure
//! (message on stderr), 3 when the client has no such operation. The driver
//! checks the server's side (message counts, ack floors) on its own.
//!
//! Operations (`OP`):
//! - `publish`: pipelined publish of `count` messages to `<stream>.x`, at most
//!   `window` unacked; timed until every ack is in.
//! - `publish-ids`: the same, each message with a unique `Nats-Msg-Id`.
//! - `latency`: `count` sequential publish-and-await; p50/p99 in µs.
//! - `consume`: create the durable pull consumer `bench` (explicit ack) and
//!   consume-and-ack `count` messages in batches of `batch`; timed from the
//!   first pull until the server shows no ack pending.
//! - `dedup`: like `publish-ids`, but every tenth message repeats the previous
//!   message's id ([`dedup_msg_id`]); reports the duplicates the acks showed.
//! - `replay`: ordered replay of `count` messages from stream sequence 1,
//!   checking every sequence; timed until the last one arrives.
//! - `core`: core NATS publish of `count` messages to `bench.core` (no stream),
//!   timed until a flush (PING/PONG) returns.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

/// Exit code for a failed run.
pub const EXIT_FAILED: i32 = 2;
/// Exit code for an operation the client does not have.
pub const EXIT_UNSUPPORTED: i32 = 3;
/// The durable consumer every `consume` run creates.
pub const DURABLE: &str = "bench";
/// The subject of the `core` operation.
pub const CORE_SUBJECT: &str = "bench.core";

/// The parsed command line.
#[derive(Clone, Debug)]
pub struct Args {
    /// Server URL.
    pub url: String,
    /// Operation name (see the module docs).
    pub op: String,
    /// Number of messages.
    pub count: usize,
    /// Payload size in bytes.
    pub payload: usize,
    /// Stream name (empty for `core`).
    pub stream: String,
    /// Most unacked publishes at once.
    pub window: usize,
    /// Pull batch size.
    pub batch: usize,
}

impl Args {
    /// Parses `std::env::args()`; prints usage and exits 2 on bad input.
    pub fn parse() -> Args {
        match Args::try_parse(std::env::args().skip(1)) {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "error: {e}\nusage: --url URL --op OP --count N [--payload B] [--stream S] [--window W] [--batch B]"
                );
                std::process::exit(EXIT_FAILED);
            }
        }
    }

    /// Parses the given arguments.
    pub fn try_parse(args: impl Iterator<Item = String>) -> Result<Args, String> {
        let mut a = Args {
            url: String::new(),
            op: String::new(),
            count: 0,
            payload: 128,
            stream: String::new(),
            window: 1024,
            batch: 500,
        };
        let mut it = args;
        while let Some(flag) = it.next() {
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<usize>()
                    .map_err(|_| format!("{flag}: not a number: {value}"))
            };
            match flag.as_str() {
                "--url" => a.url = value.clone(),
                "--op" => a.op = value.clone(),
                "--count" => a.count = number()?,
                "--payload" => a.payload = number()?,
                "--stream" => a.stream = value.clone(),
                "--window" => a.window = number()?,
                "--batch" => a.batch = number()?,
                other => return Err(format!("unknown flag {other}")),
            }
        }
        if a.url.is_empty() || a.op.is_empty() || a.count == 0 {
            return Err("--url, --op and --count are required".into());
        }
        if a.op != "core" && a.stream.is_empty() {
            return Err("--stream is required".into());
        }
        Ok(a)
    }

    /// The subject stream operations publish to: `<stream>.x`.
    pub fn subject(&self) -> String {
        format!("{}.x", self.stream)
    }

    /// A payload of `payload` bytes.
    pub fn payload_bytes(&self) -> bytes::Bytes {
        bytes::Bytes::from(vec![b'x'; self.payload])
    }
}

/// The msg id of message `i` in the `dedup` operation: every tenth message
/// (i % 10 == 9) repeats the id of the one before it.
pub fn dedup_msg_id(i: usize) -> String {
    let n = if i % 10 == 9 { i - 1 } else { i };
    format!("m{n}")
}

/// The msg id of message `i` in the `publish-ids` operation.
pub fn unique_msg_id(i: usize) -> String {
    format!("m{i}")
}

/// The one JSON line an entry prints.
#[derive(Debug)]
pub struct Report {
    fields: Map<String, Value>,
}

impl Report {
    /// A report for `entry` running `args`, timed over `elapsed`.
    pub fn new(entry: &str, args: &Args, elapsed: Duration) -> Report {
        let secs = elapsed.as_secs_f64();
        let mut fields = Map::new();
        fields.insert("entry".into(), json!(entry));
        fields.insert("op".into(), json!(args.op));
        fields.insert("count".into(), json!(args.count));
        fields.insert("payload".into(), json!(args.payload));
        fields.insert("seconds".into(), json!(secs));
        fields.insert(
            "msgs_per_s".into(),
            json!(if secs > 0.0 {
                args.count as f64 / secs
            } else {
                0.0
            }),
        );
        Report { fields }
    }

    /// Adds a field.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Report {
        self.fields.insert(key.into(), value.into());
        self
    }

    /// Adds `p50_us` and `p99_us` from per-message latencies.
    pub fn with_latencies(self, mut lat: Vec<Duration>) -> Report {
        lat.sort();
        let pick = |q: f64| -> f64 {
            if lat.is_empty() {
                return 0.0;
            }
            let i = ((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1;
            lat[i].as_secs_f64() * 1e6
        };
        let (p50, p99) = (pick(0.50), pick(0.99));
        self.with("p50_us", p50).with("p99_us", p99)
    }

    /// Prints the line.
    pub fn print(&self) {
        println!("{}", Value::Object(self.fields.clone()));
    }
}

/// What a replay received, for the driver to check against the server:
/// `received`; `in_order` (each stream sequence is the previous one + 1,
/// starting at 1); `seq_checksum`, the sum of position x sequence (1-based;
/// order-sensitive).
#[derive(Debug)]
pub struct Sequences {
    received: u64,
    last: u64,
    in_order: bool,
    checksum: u64,
}

impl Default for Sequences {
    fn default() -> Self {
        Sequences {
            received: 0,
            last: 0,
            in_order: true,
            checksum: 0,
        }
    }
}

impl Sequences {
    /// Records the next sequence; returns how many were received.
    pub fn add(&mut self, seq: u64) -> u64 {
        self.received += 1;
        self.in_order &= seq == self.last + 1;
        self.last = seq;
        self.checksum = self.checksum.wrapping_add(self.received.wrapping_mul(seq));
        self.received
    }

    /// How many were received.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Adds `received`, `in_order` and `seq_checksum` to `r`.
    pub fn report(&self, r: Report) -> Report {
        r.with("received", self.received)
            .with("in_order", self.in_order)
            .with("seq_checksum", self.checksum)
    }
}

/// Prints the "unsupported" line and exits 3.
pub fn unsupported(entry: &str, args: &Args, why: &str) -> ! {
    println!(
        "{}",
        json!({"entry": entry, "op": args.op, "unsupported": why})
    );
    std::process::exit(EXIT_UNSUPPORTED);
}

/// Prints the error and exits 2.
pub fn fail(entry: &str, what: impl std::fmt::Display) -> ! {
    eprintln!("{entry}: {what}");
    std::process::exit(EXIT_FAILED);
}

/// A stopwatch.
pub fn start() -> Instant {
    Instant::now()
}
