//! Scenarios: a scripted day on simulated hardware, with expectations. Used by
//! `tps-kiosk --sim --headless --scenario FILE`, by the tests, and for demos and benchmarks.

mod authority;
mod entries;
pub mod parse;
mod run;

pub use parse::{Scenario, ScenarioError};
pub use run::{RunError, Summary, run};

/// The election packages built into the simulator, by the name scenarios use.
pub const BUILTIN_PACKAGES: [(&str, &str); 3] = [
    (
        "pemilu-2024-jabar",
        include_str!("../../../keys/examples/election-pemilu-2024-jabar.toml"),
    ),
    (
        "pemilu-2024-dki",
        include_str!("../../../keys/examples/election-pemilu-2024.toml"),
    ),
    (
        "pilkada-2024-papua",
        include_str!("../../../keys/examples/election-pilkada-2024.toml"),
    ),
];

/// A built-in package's TOML source by name.
pub fn builtin_package(name: &str) -> Option<&'static str> {
    BUILTIN_PACKAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, toml)| *toml)
}
