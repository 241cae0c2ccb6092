//! The printer's UART as an embedded-io port (rppal's `Uart` implements only
//! embedded-hal-nb's serial traits).

use std::path::Path;
use std::time::Duration;

use embedded_io::{ErrorKind, ErrorType, Read, ReadReady, Write};
use rppal::uart::{self, Parity, Uart};

/// A UART at 8N1 whose reads never block: [`ReadReady`] says when a byte is waiting.
#[derive(Debug)]
pub struct SerialPort(Uart);

/// The UART failed.
#[derive(Debug, thiserror::Error)]
#[error("printer serial port: {0}")]
pub struct SerialError(#[from] uart::Error);

impl embedded_io::Error for SerialError {
    fn kind(&self) -> ErrorKind {
        match &self.0 {
            uart::Error::Io(e) => e.kind().into(),
            _ => ErrorKind::Other,
        }
    }
}

impl SerialPort {
    /// Opens the serial device `path` at `baud`, 8N1, with reads that do not wait.
    pub fn open(path: &Path, baud: u32) -> Result<Self, uart::Error> {
        let mut uart = Uart::with_path(path, baud, Parity::None, 8, 1)?;
        // Non-blocking reads: return at once with what is there.
        uart.set_read_mode(0, Duration::ZERO)?;
        uart.set_write_mode(true)?;
        Ok(Self(uart))
    }
}

impl ErrorType for SerialPort {
    type Error = SerialError;
}

impl Read for SerialPort {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, SerialError> {
        Ok(self.0.read(buf)?)
    }
}

impl ReadReady for SerialPort {
    fn read_ready(&mut self) -> Result<bool, SerialError> {
        Ok(self.0.input_len()? > 0)
    }
}

impl Write for SerialPort {
    fn write(&mut self, buf: &[u8]) -> Result<usize, SerialError> {
        Ok(self.0.write(buf)?)
    }

    /// Waits until everything written has gone out on the wire.
    fn flush(&mut self) -> Result<(), SerialError> {
        Ok(self.0.drain()?)
    }
}
