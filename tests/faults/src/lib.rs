//! JetBridge's fault suite (reliability.md §7 as code): a Jepsen-style queue
//! checker, the fault tests, and the report.
#![allow(missing_docs)]

pub mod checker;
pub mod load;
pub mod premise;
pub mod process_stats;
pub mod report;
pub mod scenarios;
pub mod tier;
