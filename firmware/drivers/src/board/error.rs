//! Why the board could not be brought up: apart from `mod.rs` so the board file's reader
//! (`config`) and the board's opening share it without importing each other.

use std::path::PathBuf;

use rppal::gpio;
use rppal::i2c;

/// Why the board could not be brought up. Each names the part and the setting to check.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BoardError {
    #[error("the board file {path} cannot be read: {source}")]
    ConfigUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the board file {path}, line {line} (`{text}`): {message}")]
    ConfigSyntax {
        path: PathBuf,
        line: usize,
        text: String,
        message: String,
    },
    #[error("the board file {path}, `{field}`: {problem}")]
    ConfigInvalid {
        path: PathBuf,
        field: &'static str,
        problem: String,
    },
    #[error("the GPIO controller cannot be opened: {0}")]
    Gpio(gpio::Error),
    #[error("GPIO {gpio} for the {part} cannot be claimed: {source}")]
    Pin {
        part: &'static str,
        gpio: u8,
        source: gpio::Error,
    },
    #[error("I2C bus {bus} for the real-time clock and tamper latch cannot be opened: {source}")]
    I2c { bus: u8, source: i2c::Error },
    #[error("the printer's serial port {port} cannot be opened: {source}")]
    Uart {
        port: PathBuf,
        source: rppal::uart::Error,
    },
}
