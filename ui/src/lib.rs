//! The TPS Kiosk app: the touchscreen UI, the simulator and the headless scenario runner.
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod controllers;
pub mod draft;
pub mod draft_file;
pub mod headless;
pub mod logging;
pub mod notes;
pub mod scenario;
pub mod sim_panel;
pub mod station;
pub mod words;
pub mod worker;
