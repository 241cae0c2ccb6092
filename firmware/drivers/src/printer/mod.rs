//! The 58 mm ESC/POS thermal receipt printer on a serial port.
//!
//! Before each receipt the printer is asked for its real-time status (`DLE EOT 1`, printer
//! status, and `DLE EOT 4`, paper sensors); a printer that does not answer is offline. The port
//! must say when an answer is waiting ([`ReadReady`]): the driver polls it, waiting with the
//! caller's delay, and never blocks on a read.

mod error;
mod escpos;
mod receipt;

use embedded_hal::delay::DelayNs;
use embedded_io::{Read, ReadReady, Write};

pub use error::PrinterError;
pub use receipt::{Align, COLUMNS, DOUBLE_COLUMNS, Line, Receipt};

/// The bytes the printer is sent for `receipt` (reset, lines, feed, cut): what an export renders
/// as the paper would show it.
pub fn escpos_bytes(receipt: &Receipt) -> Result<Vec<u8>, PrinterError> {
    escpos::encode(receipt)
}

/// How long to wait for an answer to a status request before calling the printer offline.
pub const STATUS_TIMEOUT_MS: u32 = 500;
/// How often to look for the answer meanwhile.
pub const STATUS_POLL_MS: u32 = 10;

/// `DLE EOT n` requests.
const PRINTER_STATUS: u8 = 1;
const PAPER_STATUS: u8 = 4;
/// Bits 0 and 7 of every status byte are 0, bits 1 and 4 are 1.
const STATUS_FIXED_MASK: u8 = 0b1001_0011;
const STATUS_FIXED_BITS: u8 = 0b0001_0010;
/// Printer status: offline (cover open, feed button held, or stopped for paper end).
const OFFLINE_BIT: u8 = 0x08;
/// Paper sensors: roll paper end.
const PAPER_END_BITS: u8 = 0x60;
/// Stale bytes cleared before a request, at most (a babbling line must not hang the driver).
const MAX_STALE_BYTES: usize = 256;

/// The printer on a serial port.
#[derive(Debug)]
pub struct Printer<P> {
    port: P,
}

impl<P: Read + ReadReady + Write> Printer<P> {
    /// A printer on the serial port `port`.
    pub fn new(port: P) -> Self {
        Self { port }
    }

    /// Checks that the printer answers, has paper and is ready.
    pub fn check_ready(&mut self, delay: &mut impl DelayNs) -> Result<(), PrinterError> {
        let printer = self.request_status(PRINTER_STATUS, delay)?;
        let paper = self.request_status(PAPER_STATUS, delay)?;
        if paper & PAPER_END_BITS != 0 {
            return Err(PrinterError::OutOfPaper);
        }
        if printer & OFFLINE_BIT != 0 {
            return Err(PrinterError::NotReady);
        }
        Ok(())
    }

    /// Prints `receipt` and cuts it off, once the printer is found ready. Running out of paper
    /// half way is not detected here: the printer takes the whole receipt into its buffer first.
    pub fn print(
        &mut self,
        receipt: &Receipt,
        delay: &mut impl DelayNs,
    ) -> Result<(), PrinterError> {
        let bytes = escpos::encode(receipt)?;
        self.check_ready(delay)?;
        self.port.write_all(&bytes).map_err(port_error)?;
        self.port.flush().map_err(port_error)
    }

    /// Gives the port back.
    pub fn release(self) -> P {
        self.port
    }

    /// Sends `DLE EOT request` and waits up to [`STATUS_TIMEOUT_MS`] for the answer.
    fn request_status(
        &mut self,
        request: u8,
        delay: &mut impl DelayNs,
    ) -> Result<u8, PrinterError> {
        self.discard_stale_input()?;
        self.port
            .write_all(&[escpos::DLE, escpos::EOT, request])
            .map_err(port_error)?;
        self.port.flush().map_err(port_error)?;
        let mut waited = 0;
        loop {
            if self.port.read_ready().map_err(port_error)? {
                let mut byte = [0];
                if self.port.read(&mut byte).map_err(port_error)? == 1 {
                    return check_status_byte(request, byte[0]);
                }
            }
            if waited >= STATUS_TIMEOUT_MS {
                return Err(PrinterError::Offline);
            }
            delay.delay_ms(STATUS_POLL_MS);
            waited += STATUS_POLL_MS;
        }
    }

    /// Drops bytes already waiting, such as a late answer to an earlier request.
    fn discard_stale_input(&mut self) -> Result<(), PrinterError> {
        let mut buf = [0; 32];
        let mut dropped = 0;
        while dropped < MAX_STALE_BYTES && self.port.read_ready().map_err(port_error)? {
            match self.port.read(&mut buf).map_err(port_error)? {
                0 => break,
                n => dropped += n,
            }
        }
        Ok(())
    }
}

fn check_status_byte(request: u8, byte: u8) -> Result<u8, PrinterError> {
    if byte & STATUS_FIXED_MASK == STATUS_FIXED_BITS {
        Ok(byte)
    } else {
        Err(PrinterError::UnexpectedStatus { request, byte })
    }
}

fn port_error(e: impl embedded_io::Error) -> PrinterError {
    PrinterError::Port(e.kind())
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use embedded_hal_mock::eh1::delay::{CheckedDelay, NoopDelay, Transaction};

    use super::*;

    /// A port scripted with the printer's answers: each write of a status request releases the
    /// next answer (`None`: no answer).
    #[derive(Debug, Default)]
    struct Scripted {
        answers: VecDeque<Option<u8>>,
        pending: VecDeque<u8>,
        written: Vec<u8>,
    }

    impl Scripted {
        fn answering(answers: &[Option<u8>]) -> Self {
            Self {
                answers: answers.iter().copied().collect(),
                ..Self::default()
            }
        }
    }

    impl embedded_io::ErrorType for Scripted {
        type Error = embedded_io::ErrorKind;
    }

    impl Write for Scripted {
        fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
            if buf.starts_with(&[escpos::DLE, escpos::EOT]) {
                let answer = self.answers.pop_front().expect("an answer is scripted");
                self.pending.extend(answer);
            }
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
    }

    impl Read for Scripted {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
            let n = buf.len().min(self.pending.len());
            for (slot, byte) in buf.iter_mut().zip(self.pending.drain(..n)) {
                *slot = byte;
            }
            Ok(n)
        }
    }

    impl ReadReady for Scripted {
        fn read_ready(&mut self) -> Result<bool, Self::Error> {
            Ok(!self.pending.is_empty())
        }
    }

    fn receipt() -> Receipt {
        Receipt {
            lines: vec![Line::text("Halo")],
        }
    }

    #[test]
    fn a_ready_printer_gets_the_requests_then_the_receipt() {
        let mut printer = Printer::new(Scripted::answering(&[Some(0x12), Some(0x12)]));
        printer.print(&receipt(), &mut NoopDelay::new()).unwrap();
        let written = printer.release().written;
        assert_eq!(&written[..6], [0x10, 0x04, 1, 0x10, 0x04, 4]);
        assert_eq!(&written[6..8], [0x1B, b'@']);
        assert!(written.ends_with(&[0x1D, b'V', 1]));
    }

    #[test]
    fn out_of_paper_is_reported_and_nothing_is_printed() {
        let mut printer = Printer::new(Scripted::answering(&[Some(0x1A), Some(0x7E)]));
        assert_eq!(
            printer.print(&receipt(), &mut NoopDelay::new()),
            Err(PrinterError::OutOfPaper)
        );
        assert_eq!(printer.release().written.len(), 6);
    }

    #[test]
    fn an_open_cover_is_not_ready() {
        let mut printer = Printer::new(Scripted::answering(&[Some(0x1A), Some(0x12)]));
        assert_eq!(
            printer.check_ready(&mut NoopDelay::new()),
            Err(PrinterError::NotReady)
        );
    }

    #[test]
    fn silence_is_offline_after_polling_for_the_timeout() {
        let mut printer = Printer::new(Scripted::answering(&[None]));
        let polls = (STATUS_TIMEOUT_MS / STATUS_POLL_MS) as usize;
        let waits = vec![Transaction::delay_ms(STATUS_POLL_MS); polls];
        let mut delay = CheckedDelay::new(&waits);
        assert_eq!(printer.check_ready(&mut delay), Err(PrinterError::Offline));
        delay.done();
    }

    #[test]
    fn garbage_from_a_wrong_baud_rate_is_named() {
        let mut printer = Printer::new(Scripted::answering(&[Some(0xFF)]));
        let err = printer.check_ready(&mut NoopDelay::new()).unwrap_err();
        assert_eq!(
            err,
            PrinterError::UnexpectedStatus {
                request: 1,
                byte: 0xFF
            }
        );
        assert!(err.to_string().contains("serial speed"));
    }

    #[test]
    fn a_late_answer_to_an_earlier_request_is_not_taken_for_the_next() {
        let mut port = Scripted::answering(&[Some(0x12), Some(0x72)]);
        port.pending.push_back(0x12);
        let mut printer = Printer::new(port);
        assert_eq!(
            printer.check_ready(&mut NoopDelay::new()),
            Err(PrinterError::OutOfPaper)
        );
    }
}
