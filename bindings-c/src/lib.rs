//! Placeholder; the c binding lands here.
