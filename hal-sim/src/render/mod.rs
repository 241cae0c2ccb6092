//! What a 58 mm ESC/POS printer would put on paper, worked out from the bytes sent to it: as plain
//! text for tests and as a PNG image for people.

mod image;
mod parse;

pub use image::RenderError;
pub use parse::parse_receipts;

/// Printable dots across 58 mm paper at 203 dpi.
pub const PAPER_DOTS: u32 = 384;
/// Characters per line in the default font (12 × 24 dots).
pub const COLUMNS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One printed line of text. The printer gives a line the style of its first character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRow {
    pub text: String,
    pub bold: bool,
    pub double_width: bool,
    pub double_height: bool,
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
    #[default]
    L,
    M,
    Q,
    H,
}

/// Something the printer put on the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintedItem {
    Text(TextRow),
    /// An empty line fed.
    Blank,
    Qr {
        payload: String,
        /// Dots per QR module.
        module_dots: u8,
        level: QrLevel,
        align: Align,
    },
}

/// One receipt: everything printed up to a cut.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrintedReceipt {
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

    /// The receipt drawn as a PNG image [`PAPER_DOTS`] wide, one pixel per printer dot.
    pub fn to_png(&self) -> Result<Vec<u8>, RenderError> {
        image::render_png(self)
    }
}
