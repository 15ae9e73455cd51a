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
//! - `publish-fast`: `publish` in fast-ingest batches (server 2.14+), on a
//!   stream the driver made with `allow_batched`; the same checks.
//! - `latency`: `count` sequential publish-and-await; p50/p99 in µs.
//! - `consume`: create the durable pull consumer `bench` (explicit ack) and
//!   consume-and-ack `count` messages in batches of `batch`; timed from the
//!   first pull until the server shows no ack pending.
//! - `consume-each`: the same, receiving and acking one message at a time
//!   with the language's per-message calls (its first loop).
//! - `dedup`: like `publish-ids`, but every tenth message repeats the previous
//!   message's id ([`dedup_msg_id`]); reports the duplicates the acks showed.
//! - `replay`: ordered replay of `count` messages from stream sequence 1,
//!   checking every sequence; timed until the last one arrives.
//! - `core`: core NATS publish of `count` messages to `bench.core` (no stream),
//!   timed until a flush (PING/PONG) returns.
//!
//! Key-value and object-store operations. For these `--stream` names the
//! bucket (a KV bucket or an object store the driver created: R1, file
//! storage); the entry only opens it.
//! - `kv-put`: `count` sequential puts, each awaited, value = `payload` bytes,
//!   key [`kv_key`]`(i)` = `k.<i mod 1000>`; reports `acked` (puts that
//!   returned a revision).
//! - `kv-get`: the bucket holds `k.0`..`k.999`; `count` sequential gets of
//!   `k.<i mod 1000>`; reports `received` (gets whose value had `payload` bytes).
//! - `kv-watch`: the bucket holds `count` keys; watch all keys (latest value
//!   per key) and count entries until the client's "initial values done"
//!   signal, timed from the watch call; reports `received`.
//! - `obj-put`: put ONE object [`OBJECT_NAME`] of `count` MiB, streamed from a
//!   generated source ([`Pattern`]: byte `j` is `j % 251`, 64 KiB pieces);
//!   reports `bytes`, the size in the info the client returned.
//! - `obj-get`: read object [`OBJECT_NAME`] (`count` MiB of the pattern)
//!   streamed, checking every byte ([`pattern_matches`]) and discarding it;
//!   reports `bytes` read.
//!
//! For `obj-*` `msgs_per_s` holds MiB/s (`count` is in MiB).

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

/// The object every `obj-*` run writes or reads.
pub const OBJECT_NAME: &str = "bench";
/// Bytes in a MiB (the unit of `count` for `obj-*`).
pub const MIB: u64 = 1024 * 1024;
/// The piece size of the generated object source and of reads.
pub const PIECE: usize = 64 * 1024;
/// The pattern's period: byte `j` of a bench object is `j % PERIOD`.
pub const PERIOD: u64 = 251;

/// The key of put/get number `i`: `k.<i mod 1000>`.
pub fn kv_key(i: usize) -> String {
    format!("k.{}", i % 1000)
}

/// `PIECE + PERIOD` bytes of the pattern from offset 0: any piece of at most
/// `PIECE` bytes at object offset `j` is `table[j % PERIOD..][..len]`.
fn pattern_table() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..(PIECE as u64 + PERIOD))
            .map(|j| (j % PERIOD) as u8)
            .collect()
    })
}

/// The pattern bytes at object offset `offset`, `len <= PIECE` of them.
pub fn pattern_at(offset: u64, len: usize) -> &'static [u8] {
    let start = (offset % PERIOD) as usize;
    &pattern_table()[start..start + len.min(PIECE)]
}

/// True when `data` equals the pattern at object offset `offset`.
pub fn pattern_matches(offset: u64, data: &[u8]) -> bool {
    data.chunks(PIECE)
        .enumerate()
        .all(|(k, piece)| piece == pattern_at(offset + (k * PIECE) as u64, piece.len()))
}

/// The generated object source: `size` bytes of the pattern, handed out in
/// pieces of at most [`PIECE`] bytes; never holds the object in memory.
#[derive(Debug)]
pub struct Pattern {
    offset: u64,
    size: u64,
}

impl Pattern {
    /// A source of `size` bytes.
    pub fn new(size: u64) -> Pattern {
        Pattern { offset: 0, size }
    }
}

impl tokio::io::AsyncRead for Pattern {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let left = usize::try_from(self.size - self.offset).unwrap_or(usize::MAX);
        let n = left.min(buf.remaining()).min(PIECE);
        buf.put_slice(pattern_at(self.offset, n));
        self.offset += n as u64;
        std::task::Poll::Ready(Ok(()))
    }
}

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
