//! Placeholder; the node binding lands here.
