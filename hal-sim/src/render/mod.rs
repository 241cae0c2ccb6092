//! What a 58 mm ESC/POS printer would put on paper, worked out from the bytes sent to it: as plain
//! text for tests and as a PNG image for people.

mod image;
mod parse;
mod receipt;
mod zbar;

pub use image::RenderError;
pub use parse::parse_receipts;
pub use receipt::{Align, COLUMNS, PAPER_DOTS, PrintedItem, PrintedReceipt, QrLevel, TextRow};
pub use zbar::{read_qr_codes, zbar_available};
