//! The TPS Kiosk app: the touchscreen UI, the simulator and the headless scenario runner.
#![forbid(unsafe_code)]

pub mod headless;
pub mod scenario;
pub mod station;
