//! The base of the TPS Kiosk firmware: what every other crate shares and nothing of ours below
//! it. Bilingual text, injected time, bounded strings and lists, the election's identifiers and
//! the power supply's state.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bounded;
pub mod election;
pub mod power;
pub mod text;
pub mod time;
