//! A simulated 58 mm ESC/POS thermal printer on a serial port.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::path::{Path, PathBuf};

use embedded_io::{ErrorType, Read, ReadReady, Write};

use crate::render::{PrintedReceipt, RenderError, parse_receipts};
use crate::shared::Shared;

/// The serial port to a simulated printer. Clones are the same printer: the driver owns one, a
/// test or the desktop UI keeps another to load paper, pull the cable or look at the receipts.
///
/// It answers the real-time status requests `DLE EOT 1..=4` like an Epson-compatible printer.
/// Offline (switched off, cable out) it answers nothing and what is sent is lost; without paper
/// it answers but prints nothing.
#[derive(Debug, Clone)]
pub struct SimSerialPrinter(Shared<PrinterState>);

#[derive(Debug)]
struct PrinterState {
    paper: bool,
    online: bool,
    /// Every byte the printer accepted while it had paper, status requests included.
    printed: Vec<u8>,
    replies: VecDeque<u8>,
    /// How much of a `DLE EOT` request the last bytes were.
    request: Request,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    None,
    Dle,
    DleEot,
}

/// Bits that are always 1 in a status byte.
const STATUS_FIXED: u8 = 0b0001_0010;

/// Why receipts could not be saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// A receipt image could not be written.
    #[error("writing {path}: {source}")]
    Io {
        /// The file that could not be written.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A receipt could not be drawn.
    #[error("drawing receipt {number}: {source}")]
    Render {
        /// The receipt's number, from 1.
        number: usize,
        /// Why it could not be drawn.
        source: RenderError,
    },
}

impl Default for SimSerialPrinter {
    fn default() -> Self {
        Self::new()
    }
}

impl SimSerialPrinter {
    /// An online printer with paper.
    pub fn new() -> Self {
        Self(Shared::new(PrinterState {
            paper: true,
            online: true,
            printed: Vec::new(),
            replies: VecDeque::new(),
            request: Request::None,
        }))
    }

    /// Loads paper (`true`) or runs it out (`false`).
    pub fn set_paper(&self, present: bool) {
        self.0.with(|p| p.paper = present);
    }

    /// Whether the printer has paper.
    pub fn has_paper(&self) -> bool {
        self.0.with(|p| p.paper)
    }

    /// Online: switched on and connected. Going offline drops any unread answer.
    pub fn set_online(&self, online: bool) {
        self.0.with(|p| {
            p.online = online;
            if !online {
                p.replies.clear();
                p.request = Request::None;
            }
        });
    }

    /// Whether the printer is online (switched on and connected).
    pub fn is_online(&self) -> bool {
        self.0.with(|p| p.online)
    }

    /// Every byte the printer accepted, as sent.
    pub fn output(&self) -> Vec<u8> {
        self.0.with(|p| p.printed.clone())
    }

    /// How many bytes the printer has been sent: a cheap way to see whether anything new came.
    pub fn output_len(&self) -> usize {
        self.0.with(|p| p.printed.len())
    }

    /// The receipts printed (and cut) so far, oldest first.
    pub fn receipts(&self) -> Vec<PrintedReceipt> {
        parse_receipts(&self.output())
    }

    /// The receipts as plain text (see [`PrintedReceipt::text`]).
    pub fn receipt_texts(&self) -> Vec<String> {
        self.receipts().iter().map(PrintedReceipt::text).collect()
    }

    /// Tears off everything printed so far.
    pub fn clear(&self) {
        self.0.with(|p| p.printed.clear());
    }

    /// Writes each receipt to `dir` as `receipt-N.txt` and `receipt-N.png` (N from 1), returning
    /// the files written.
    pub fn save_receipts(&self, dir: &Path) -> Result<Vec<PathBuf>, SaveError> {
        let mut written = Vec::new();
        for (i, receipt) in self.receipts().iter().enumerate() {
            let number = i + 1;
            let png = receipt
                .to_png()
                .map_err(|source| SaveError::Render { number, source })?;
            let text = dir.join(format!("receipt-{number}.txt"));
            let image = dir.join(format!("receipt-{number}.png"));
            for (path, bytes) in [(text, receipt.text().into_bytes()), (image, png)] {
                std::fs::write(&path, bytes).map_err(|source| SaveError::Io {
                    path: path.clone(),
                    source,
                })?;
                written.push(path);
            }
        }
        Ok(written)
    }
}

impl PrinterState {
    fn receive(&mut self, byte: u8) {
        self.request = match (self.request, byte) {
            (Request::DleEot, n) => {
                if let Some(status) = self.status(n) {
                    self.replies.push_back(status);
                }
                Request::None
            }
            (Request::Dle, 0x04) => Request::DleEot,
            (_, 0x10) => Request::Dle,
            _ => Request::None,
        };
        if self.paper {
            self.printed.push(byte);
        }
    }

    /// The answer to `DLE EOT n`.
    fn status(&self, n: u8) -> Option<u8> {
        let out = !self.paper;
        let bits = match n {
            // Printer status: bit 3 offline (it stops when the paper runs out).
            1 => u8::from(out) << 3,
            // Offline cause: bit 5 printing stopped for paper end.
            2 => u8::from(out) << 5,
            // Error status: none simulated.
            3 => 0,
            // Paper sensors: bits 2-3 near end, bits 5-6 end.
            4 => {
                if out {
                    0b0110_1100
                } else {
                    0
                }
            }
            _ => return None,
        };
        Some(STATUS_FIXED | bits)
    }
}

impl ErrorType for SimSerialPrinter {
    type Error = Infallible;
}

impl Write for SimSerialPrinter {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Infallible> {
        self.0.with(|p| {
            if p.online {
                buf.iter().for_each(|&b| p.receive(b));
            }
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

impl Read for SimSerialPrinter {
    /// Reads the printer's answers. With nothing to read it returns 0 at once rather than block
    /// forever; check [`ReadReady::read_ready`] first.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Infallible> {
        self.0.with(|p| {
            let n = buf.len().min(p.replies.len());
            for (slot, byte) in buf.iter_mut().zip(p.replies.drain(..n)) {
                *slot = byte;
            }
            Ok(n)
        })
    }
}

impl ReadReady for SimSerialPrinter {
    fn read_ready(&mut self) -> Result<bool, Infallible> {
        Ok(self.0.with(|p| !p.replies.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(port: &mut SimSerialPrinter, n: u8) -> Option<u8> {
        port.write_all(&[0x10, 0x04, n]).unwrap();
        let mut answer = [0];
        port.read_ready()
            .unwrap()
            .then(|| port.read(&mut answer).unwrap())
            .map(|_| answer[0])
    }

    #[test]
    fn status_requests_report_paper_and_silence_when_offline() {
        let control = SimSerialPrinter::new();
        let mut port = control.clone();
        assert_eq!(ask(&mut port, 1), Some(0x12));
        assert_eq!(ask(&mut port, 4), Some(0x12));
        control.set_paper(false);
        assert_eq!(ask(&mut port, 1), Some(0x1A));
        assert_eq!(ask(&mut port, 4), Some(0x7E));
        control.set_online(false);
        assert_eq!(ask(&mut port, 1), None);
        assert!(!port.read_ready().unwrap());
    }

    #[test]
    fn a_request_split_across_writes_is_still_answered() {
        let mut port = SimSerialPrinter::new();
        port.write_all(&[0x10]).unwrap();
        port.write_all(&[0x04]).unwrap();
        port.write_all(&[0x02]).unwrap();
        let mut answer = [0; 4];
        assert_eq!(port.read(&mut answer).unwrap(), 1);
        assert_eq!(answer[0], 0x12);
    }

    #[test]
    fn receipts_are_split_at_cuts_and_saved_as_text_and_png() {
        let control = SimSerialPrinter::new();
        let mut port = control.clone();
        port.write_all(b"\x1b@satu\n\x1dV\x01\x1b@dua\n\x1dV\x01")
            .unwrap();
        control.set_paper(false);
        port.write_all(b"\x1b@tiga\n\x1dV\x01").unwrap();
        assert_eq!(control.receipt_texts(), ["satu\n", "dua\n"]);

        let dir = tempfile::tempdir().unwrap();
        let files = control.save_receipts(dir.path()).unwrap();
        assert_eq!(files.len(), 4);
        let text = std::fs::read_to_string(dir.path().join("receipt-2.txt")).unwrap();
        assert_eq!(text, "dua\n");
        let png = std::fs::read(dir.path().join("receipt-1.png")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        control.clear();
        assert!(control.receipts().is_empty());
    }
}
