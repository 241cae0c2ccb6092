//! The TPS Kiosk app: the touchscreen UI and the simulator's window, on the station of
//! `tps-station` (which also runs the headless scenarios).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod app;
pub mod cli;
pub mod controllers;
pub mod draft;
pub mod logging;
pub mod sim_panel;
