//! TPS Kiosk firmware: everything below the screen.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "rpi")]
pub mod board;
pub mod bounded;
pub mod drivers;
pub mod election;
pub mod event;
pub mod identity;
pub mod journal;
pub mod kiosk;
pub mod power;
pub mod procedure;
pub mod report;
pub mod text;
pub mod time;
pub mod verification;

/// The firmware version recorded in every journal's genesis record.
pub const FIRMWARE_VERSION: &str = concat!("tps-kiosk ", env!("CARGO_PKG_VERSION"));
