//! Placeholder; the python binding lands here.
