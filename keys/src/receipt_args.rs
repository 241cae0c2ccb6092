//! What `receipt verify` is asked to do (read by the receipt code's check and the QR
//! sequence's alike).

use std::path::Path;

use tps_firmware::text::Lang;

/// What to check.
#[derive(Debug)]
pub struct ReceiptArgs<'a> {
    /// The code as read from the QR (or typed), or a sequence's codes; or a file holding them.
    pub codes: &'a [String],
    pub code_file: Option<&'a Path>,
    /// Without a journal the code is checked from what it carries (offline).
    pub journal: Option<&'a Path>,
    pub authority: &'a Path,
    pub package: Option<&'a Path>,
    pub json: bool,
    pub lang: Lang,
}
