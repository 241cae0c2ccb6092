//! Why the board could not be brought up: apart from `mod.rs` so the board file's reader
//! (`config`) and the board's opening share it without importing each other.

use std::path::PathBuf;

use rppal::gpio;
use rppal::i2c;

/// Why the board could not be brought up. Each names the part and the setting to check.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BoardError {
    /// The board file could not be read.
    #[error("the board file {path} cannot be read: {source}")]
    ConfigUnreadable {
        /// The board file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The board file is not TOML of the board file's shape (an unknown setting, a wrong type).
    #[error("the board file {path}, line {line} (`{text}`): {message}")]
    ConfigSyntax {
        /// The board file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// The line as written.
        text: String,
        /// What is wrong with it.
        message: String,
    },
    /// A setting of the board file has a value the board cannot use.
    #[error("the board file {path}, `{field}`: {problem}")]
    ConfigInvalid {
        /// The board file.
        path: PathBuf,
        /// The setting.
        field: &'static str,
        /// What is wrong with its value.
        problem: String,
    },
    /// The GPIO controller could not be opened.
    #[error("the GPIO controller cannot be opened: {0}")]
    Gpio(gpio::Error),
    /// A GPIO pin a part needs could not be claimed.
    #[error("GPIO {gpio} for the {part} cannot be claimed: {source}")]
    Pin {
        /// The part the pin is for.
        part: &'static str,
        /// The BCM GPIO number.
        gpio: u8,
        /// What the GPIO driver said.
        source: gpio::Error,
    },
    /// The I2C bus of the clock and tamper latch could not be opened.
    #[error("I2C bus {bus} for the real-time clock and tamper latch cannot be opened: {source}")]
    I2c {
        /// The I2C bus number.
        bus: u8,
        /// What the I2C driver said.
        source: i2c::Error,
    },
    /// The printer's serial port could not be opened.
    #[error("the printer's serial port {port} cannot be opened: {source}")]
    Uart {
        /// The serial device.
        port: PathBuf,
        /// What the UART driver said.
        source: rppal::uart::Error,
    },
}
