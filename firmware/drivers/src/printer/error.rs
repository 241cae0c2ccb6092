//! Why a receipt was not printed: apart from `mod.rs` so the ESC/POS encoder and the driver
//! share it without importing each other.

/// Why a receipt was not printed. The first three are for the chair's screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PrinterError {
    #[error("the printer does not answer: check that it is switched on and its cable is in")]
    Offline,
    #[error("the printer is out of paper: load a new roll")]
    OutOfPaper,
    #[error("the printer is not ready: close its cover")]
    NotReady,
    #[error(
        "the printer answered status request {request} with {byte:#04x}, which is not a status \
         byte: check the serial speed in the board file"
    )]
    UnexpectedStatus { request: u8, byte: u8 },
    #[error("a {bytes}-byte QR code is too large to print readably on 58 mm paper")]
    QrTooLarge { bytes: usize },
    #[error("the printer's serial port failed: {0}")]
    Port(embedded_io::ErrorKind),
}
