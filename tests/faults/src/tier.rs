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

    /// The longest one scenario may run before it counts as hung (each
    /// scenario's own loops end well before: 10 minutes at most in CI, the
    /// 30-minute soak in the long tier).
    pub fn scenario_limit(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.pick(15 * 60, 60 * 60))
    }

    /// The tier's name.
    pub fn name(self) -> &'static str {
        self.pick("ci", "long")
    }
}
