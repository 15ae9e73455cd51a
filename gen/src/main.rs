//! Writes each binding's declaration of the core's declared types
//! (`jetbridge::record`): one source of truth, generated files checked in.
//!
//! `jb-gen` rewrites the generated files; `jb-gen --check` changes nothing and
//! fails, naming the stale files, when one differs from what the core
//! declares (CI runs it).

/// Every type the core declares for the bindings, once, for every generator:
/// `declared_types!(each!(args…))` expands to `each!(args… [Type tag, …])`.
/// Nested types come before the types that hold them (Python and the Node
/// checkers need that order). The number is the C tag of the type's
/// library-owned copies: never reuse or change one.
macro_rules! declared_types {
    ($each:ident ! ($($args:tt)*)) => {
        $each!($($args)* [
            ConsumerConfig 0xA0,
            Placement 0xA6,
            SubjectTransform 0xA7,
            Republish 0xA8,
            ExternalStream 0xA9,
            StreamSource 0xAA,
            ConsumerLimits 0xAB,
            StreamConfig 0xA1,
            FetchOptions 0xA2,
            MessagesOptions 0xA3,
            PublisherOptions 0xA4,
            PurgeOptions 0xA5,
            ConsumerPauseState 0xAC,
            AccountInfo 0xAD,
            GetMessagesOptions 0xAE,
            KvConfig 0xAF,
            KvWatchOptions 0xB0,
            ObjectStoreConfig 0xB1,
            ObjectLink 0xB5,
            ObjectInfo 0xB2,
            KvStatus 0xB3,
            ObjectStoreStatus 0xB4,
            ObjectMeta 0xB6,
            ObjectWatchOptions 0xB7,
            TraceContext 0xB8,
            SpanSpec 0xB9,
        ])
    };
}
pub(crate) use declared_types;

mod c;
mod go;
mod node;
mod python;

use std::path::{Path, PathBuf};

/// One generated file: its path from the repository root and its text.
struct Output {
    path: &'static str,
    text: String,
}

fn outputs() -> Vec<Output> {
    vec![
        python::types(),
        node::checkers(),
        node::typescript(),
        c::types(),
        go::types(),
    ]
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stale = Vec::new();
    for out in outputs() {
        let path = root.join(out.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == out.text {
            continue;
        }
        if check {
            stale.push(out.path);
        } else if let Err(e) = write(&path, &out.text) {
            eprintln!("jb-gen: cannot write {}: {e}", out.path);
            std::process::exit(1);
        } else {
            println!("jb-gen: wrote {}", out.path);
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "jb-gen: stale generated files (run `cargo run -p jetbridge-gen`): {}",
            stale.join(", ")
        );
        std::process::exit(1);
    }
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// A doc comment's text as plain lines: trimmed, Rust's `x` code spans as
/// ``x`` (reStructuredText) when `rst`.
fn doc_lines(doc: &str, rst: bool) -> Vec<String> {
    doc.lines()
        .map(|l| {
            let l = l.trim();
            if rst {
                l.replace('`', "``")
            } else {
                l.to_string()
            }
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// `last_per_subject` → `LastPerSubject` (C enum variants, Go names).
fn pascal(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Rust source as rustfmt writes it (generated Rust is checked by
/// `cargo fmt --check` like the rest).
fn rustfmt(text: &str) -> String {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let run = || -> std::io::Result<String> {
        let mut child = Command::new("rustfmt")
            .args(["--edition", "2024", "--emit", "stdout"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?
            .write_all(text.as_bytes())?;
        let out = child.wait_with_output()?;
        if !out.status.success() {
            return Err(std::io::Error::other("rustfmt failed on generated code"));
        }
        String::from_utf8(out.stdout).map_err(std::io::Error::other)
    };
    run().unwrap_or_else(|e| {
        eprintln!("jb-gen: {e}");
        std::process::exit(1);
    })
}
