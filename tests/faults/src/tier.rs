//! Counts and durations per tier: CI (each fault at least once, well inside
//! CI's time) and long (the plan's full counts, the soak).

/// Which tier runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Reduced counts, each fault at least once.
    Ci,
    /// Full counts and the 30-minute soak.
    Long,
}

impl Tier {
    /// Parses `ci` or `long`.
    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "ci" => Some(Tier::Ci),
            "long" => Some(Tier::Long),
            _ => None,
        }
    }

    /// `ci` when CI, else `long`.
    pub fn pick<T>(self, ci: T, long: T) -> T {
        match self {
            Tier::Ci => ci,
            Tier::Long => long,
        }
    }

    /// The tier's name.
    pub fn name(self) -> &'static str {
        self.pick("ci", "long")
    }
}
