//! Why a receipt was not printed: apart from `mod.rs` so the ESC/POS encoder and the driver
//! share it without importing each other.

/// Why a receipt was not printed. The first three are for the chair's screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PrinterError {
    /// No answer to the status request: the printer is off or unplugged.
    #[error("the printer does not answer: check that it is switched on and its cable is in")]
    Offline,
    /// The printer reports it is out of paper.
    #[error("the printer is out of paper: load a new roll")]
    OutOfPaper,
    /// The printer reports it is not ready (its cover is open).
    #[error("the printer is not ready: close its cover")]
    NotReady,
    /// The answer to a status request is not a status byte (wrong serial speed, say).
    #[error(
        "the printer answered status request {request} with {byte:#04x}, which is not a status \
         byte: check the serial speed in the board file"
    )]
    UnexpectedStatus {
        /// The status request sent (1 to 4).
        request: u8,
        /// The byte that came back.
        byte: u8,
    },
    /// The QR payload is longer than the kiosk prints on 58 mm paper.
    #[error("a {bytes}-byte QR code is too large to print readably on 58 mm paper")]
    QrTooLarge {
        /// The payload's length.
        bytes: usize,
    },
    /// Writing to or reading from the serial port failed.
    #[error("the printer's serial port failed: {0}")]
    Port(embedded_io::ErrorKind),
}
