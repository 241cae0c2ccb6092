//! Scenarios: a scripted day on simulated hardware, with expectations. Used by
//! `tps-kiosk --sim --headless --scenario FILE`, by the tests, and for demos and benchmarks.

mod authority;
mod entries;
mod packages;
pub mod parse;
mod run;

pub use packages::{BUILTIN_PACKAGES, DEFAULT_PACKAGE, builtin_package};
pub use parse::{Scenario, ScenarioError};
pub use run::{RunError, Summary, run};
