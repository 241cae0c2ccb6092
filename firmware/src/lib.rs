//! TPS Kiosk firmware: the runtime below the screen ([`kiosk`]: engine + journal + alarms), the
//! reports and the verification of an exported day. It uses every firmware crate below it:
//! `tps-base`, `tps-drivers`, `tps-domain`, `tps-engine`, `tps-journal`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The crates below, under the paths the crates above (ui, keys, tests) have always named.
pub use tps_base::{bounded, election, power, text, time};
pub use tps_domain::{chasil, event, tally};
pub use tps_drivers as drivers;
#[cfg(feature = "rpi")]
pub use tps_drivers::board;
pub use tps_engine as procedure;
pub use tps_journal as journal;
pub use tps_journal::identity;

pub mod kiosk;
pub mod report;
pub mod verification;

/// The firmware version recorded in every journal's genesis record.
pub const FIRMWARE_VERSION: &str = concat!("tps-kiosk ", env!("CARGO_PKG_VERSION"));
