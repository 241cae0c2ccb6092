//! Drivers for the kiosk's hardware, generic over the embedded-hal 1.0 and embedded-io traits so
//! the same code runs on the Raspberry Pi (`crate::board`, feature `rpi`) and against the
//! simulator (`tps-hal-sim`). This crate imports only the base (`tps-base`) and the hardware traits.
//!
//! | driver | hardware | interface |
//! |---|---|---|
//! | [`rtc`] | DS3231 real-time clock | I2C |
//! | [`tamper`] | enclosure lid switch | input pin |
//! | [`latch`] | PCF2129 tamper latch: the lid opened while the kiosk was off | I2C |
//! | [`indicator`] | status LED and buzzer | two output pins |
//! | [`printer`] | 58 mm ESC/POS thermal printer | serial port (embedded-io) |
//! | [`power`] | UPS HAT status lines | two input pins |
//! | [`storage`] | primary data directory and USB stick | the file system |
//!
//! None of them reads a clock: whatever depends on time takes the time (or a delay) from the
//! caller. Errors name the part that failed, in words a technician can act on.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "rpi")]
pub mod board;
pub mod indicator;
pub mod latch;
pub mod power;
pub mod printer;
pub mod rtc;
pub mod storage;
pub mod tamper;
