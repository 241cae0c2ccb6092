//! What came out of the printer: receipts of text rows, blank lines and QR codes, as the parser
//! reads them from the bytes and the image draws them.

/// Printable dots across 58 mm paper at 203 dpi.
pub const PAPER_DOTS: u32 = 384;
/// Characters per line in the default font (12 × 24 dots).
pub const COLUMNS: usize = 32;

/// How a line or a QR code sits across the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Against the left edge.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Against the right edge.
    Right,
}

/// One printed line of text. The printer gives a line the style of its first character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRow {
    /// The characters printed on the line.
    pub text: String,
    /// Printed in emphasised (bold) type.
    pub bold: bool,
    /// Each character two columns wide.
    pub double_width: bool,
    /// Each character two lines tall.
    pub double_height: bool,
    /// Where the line sits across the paper.
    pub align: Align,
}

impl TextRow {
    /// Columns of the default font this row takes up.
    fn columns(&self) -> usize {
        self.text.chars().count() * if self.double_width { 2 } else { 1 }
    }

    fn indent(&self) -> usize {
        let free = COLUMNS.saturating_sub(self.columns());
        match self.align {
            Align::Left => 0,
            Align::Center => free / 2,
            Align::Right => free,
        }
    }
}

/// Error correction level of a printed QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QrLevel {
    /// Recovers about 7% of the code words.
    #[default]
    L,
    /// Recovers about 15% of the code words.
    M,
    /// Recovers about 25% of the code words.
    Q,
    /// Recovers about 30% of the code words.
    H,
}

/// Something the printer put on the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintedItem {
    /// A line of text.
    Text(TextRow),
    /// An empty line fed.
    Blank,
    /// A QR code.
    Qr {
        /// The text the code holds.
        payload: String,
        /// Dots per QR module.
        module_dots: u8,
        /// Its error correction level.
        level: QrLevel,
        /// Where the code sits across the paper.
        align: Align,
    },
}

/// One receipt: everything printed up to a cut.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrintedReceipt {
    /// What was printed, top to bottom.
    pub items: Vec<PrintedItem>,
}

impl PrintedReceipt {
    /// The receipt as plain text, one line per printed line. Alignment is kept with leading
    /// spaces (counted in columns of the default font), bold and double size are not shown, and a
    /// QR code is a line `[QR] <payload>`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            match item {
                PrintedItem::Text(row) => {
                    out.extend(std::iter::repeat_n(' ', row.indent()));
                    out.push_str(row.text.trim_end());
                }
                PrintedItem::Blank => {}
                PrintedItem::Qr { payload, .. } => {
                    out.push_str("[QR] ");
                    out.push_str(payload);
                }
            }
            out.push('\n');
        }
        out
    }
}
