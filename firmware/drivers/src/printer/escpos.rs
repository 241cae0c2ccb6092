//! The ESC/POS bytes for a receipt.
//!
//! Our own small encoder rather than the `escpos` crate: that crate's printer writes through a
//! `Driver` trait taking `&self` (so an embedded-io port would need a RefCell wrapper), reads
//! status in its own way, and encodes text through encoding_rs. We need a dozen commands, listed
//! here, and byte-exact control for the status requests.

use qrcode::{EcLevel, QrCode};

use super::error::PrinterError;
use super::receipt::{Align, COLUMNS, DOUBLE_COLUMNS, Line, Receipt, to_ascii, wrap};

pub(super) const LF: u8 = 0x0A;
pub(super) const DLE: u8 = 0x10;
pub(super) const EOT: u8 = 0x04;
const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;

/// Printable dots across 58 mm paper.
const PAPER_DOTS: usize = 384;
/// QR modules are at most this many dots (bigger only wastes paper)...
const MAX_QR_MODULE_DOTS: usize = 8;
/// ...and at least this many, or phones struggle to read the code.
const MIN_QR_MODULE_DOTS: usize = 3;
/// The white margin a QR code needs on each side, in modules.
const QR_QUIET_ZONE: usize = 4;
/// Lines fed before the cut so the last printed line clears the cutter / tear bar.
const FEED_BEFORE_CUT: u8 = 4;

/// The whole receipt: reset, lines, feed, cut.
pub(super) fn encode(receipt: &Receipt) -> Result<Vec<u8>, PrinterError> {
    let mut out = vec![ESC, b'@'];
    for line in &receipt.lines {
        match line {
            Line::Text {
                text,
                bold,
                double,
                align,
            } => {
                out.extend([ESC, b'a', align_code(*align)]);
                out.extend([ESC, b'E', u8::from(*bold)]);
                out.extend([GS, b'!', if *double { 0x11 } else { 0x00 }]);
                let width = if *double { DOUBLE_COLUMNS } else { COLUMNS };
                for paragraph in to_ascii(text).split('\n') {
                    for row in wrap(paragraph, width) {
                        out.extend_from_slice(row.as_bytes());
                        out.push(LF);
                    }
                }
                out.extend([ESC, b'E', 0, GS, b'!', 0]);
            }
            Line::Qr { payload } => encode_qr(&mut out, payload)?,
            Line::Rule => {
                out.extend([ESC, b'a', align_code(Align::Left)]);
                out.extend([b'-'; COLUMNS]);
                out.push(LF);
            }
            Line::Feed(lines) => out.extend([ESC, b'd', *lines]),
        }
    }
    out.extend([ESC, b'd', FEED_BEFORE_CUT]);
    // GS V 1: partial cut (ignored by printers with only a tear bar).
    out.extend([GS, b'V', 1]);
    Ok(out)
}

fn align_code(align: Align) -> u8 {
    match align {
        Align::Left => 0,
        Align::Center => 1,
        Align::Right => 2,
    }
}

/// `GS ( k` functions 165–181 for a model 2 QR code at error correction level M, with modules as
/// large as fit the paper.
fn encode_qr(out: &mut Vec<u8>, payload: &str) -> Result<(), PrinterError> {
    let too_large = PrinterError::QrTooLarge {
        bytes: payload.len(),
    };
    let modules = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|_| too_large.clone())?
        .width();
    let dots = (PAPER_DOTS / (modules + 2 * QR_QUIET_ZONE)).min(MAX_QR_MODULE_DOTS);
    if dots < MIN_QR_MODULE_DOTS {
        return Err(too_large);
    }
    // Store: the length counts `cn fn m` (3 bytes) and the data.
    let stored = u16::try_from(payload.len() + 3).map_err(|_| too_large)?;
    let [store_lo, store_hi] = stored.to_le_bytes();
    out.extend([ESC, b'a', align_code(Align::Center)]);
    // Model 2.
    out.extend([GS, b'(', b'k', 4, 0, 49, 65, 50, 0]);
    // Module size; `dots` is at most 8.
    out.extend([GS, b'(', b'k', 3, 0, 49, 67, dots as u8]);
    // Error correction level M.
    out.extend([GS, b'(', b'k', 3, 0, 49, 69, 49]);
    out.extend([GS, b'(', b'k', store_lo, store_hi, 49, 80, 48]);
    out.extend_from_slice(payload.as_bytes());
    // Print the stored symbol.
    out.extend([GS, b'(', b'k', 3, 0, 49, 81, 48]);
    out.extend([ESC, b'a', align_code(Align::Left)]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_is_reset_styled_lines_and_a_cut() {
        let receipt = Receipt {
            lines: vec![
                Line::heading("TPS 001"),
                Line::Rule,
                Line::text("Halo"),
                Line::Feed(2),
            ],
        };
        let mut expected = vec![ESC, b'@'];
        expected.extend(b"\x1ba\x01\x1bE\x01\x1d!\x11TPS 001\n\x1bE\x00\x1d!\x00");
        expected.extend(b"\x1ba\x00");
        expected.extend([b'-'; 32]);
        expected.extend(b"\n\x1ba\x00\x1bE\x00\x1d!\x00Halo\n\x1bE\x00\x1d!\x00");
        expected.extend(b"\x1bd\x02\x1bd\x04\x1dV\x01");
        assert_eq!(encode(&receipt).unwrap(), expected);
    }

    #[test]
    fn a_qr_code_is_stored_then_printed_with_modules_sized_to_the_paper() {
        let payload = "TPS-KIOSK:1:abcdef";
        let bytes = encode(&Receipt {
            lines: vec![Line::Qr {
                payload: payload.into(),
            }],
        })
        .unwrap();
        let mut store = vec![GS, b'(', b'k', payload.len() as u8 + 3, 0, 49, 80, 48];
        store.extend(payload.as_bytes());
        let at = bytes
            .windows(store.len())
            .position(|w| w == store.as_slice())
            .expect("the payload is stored");
        assert_eq!(
            &bytes[at + store.len()..at + store.len() + 8],
            [GS, b'(', b'k', 3, 0, 49, 81, 48]
        );
        // A short payload is a 21- or 25-module symbol: 8-dot modules fit.
        let size = [GS, b'(', b'k', 3, 0, 49, 67, 8];
        assert!(bytes.windows(8).any(|w| w == size));
    }

    #[test]
    fn a_payload_too_big_to_scan_from_58mm_paper_is_refused() {
        let payload = "x".repeat(1_500);
        let receipt = Receipt {
            lines: vec![Line::Qr {
                payload: payload.clone(),
            }],
        };
        assert_eq!(
            encode(&receipt),
            Err(PrinterError::QrTooLarge { bytes: 1_500 })
        );
    }
}
