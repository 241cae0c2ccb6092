//! What to print, without ESC/POS: the report code builds a [`Receipt`] of [`Line`]s.

/// Characters per line in the printer's default font on 58 mm paper.
pub const COLUMNS: usize = 32;
/// Characters per line in double size.
pub const DOUBLE_COLUMNS: usize = COLUMNS / 2;

/// How a text line sits across the paper.
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

/// One element of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Text, wrapped at word boundaries to the paper width ([`COLUMNS`], or [`DOUBLE_COLUMNS`]
    /// when `double`). A `\n` starts a new line. Characters outside ASCII are transliterated
    /// (é → e, “ → "), and those with no ASCII likeness print as `?`.
    Text {
        /// The words to print.
        text: String,
        /// Emphasised (bold).
        bold: bool,
        /// Double width and height.
        double: bool,
        /// Where each line sits.
        align: Align,
    },
    /// A QR code, centred.
    Qr {
        /// The text the code holds.
        payload: String,
    },
    /// A horizontal rule across the paper.
    Rule,
    /// This many empty lines.
    Feed(u8),
}

impl Line {
    /// Plain text, left aligned.
    pub fn text(text: impl Into<String>) -> Self {
        Line::Text {
            text: text.into(),
            bold: false,
            double: false,
            align: Align::Left,
        }
    }

    /// A title: bold, double size, centred.
    pub fn heading(text: impl Into<String>) -> Self {
        Line::Text {
            text: text.into(),
            bold: true,
            double: true,
            align: Align::Center,
        }
    }
}

/// A receipt: its lines, then a cut.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Receipt {
    /// The lines, top to bottom.
    pub lines: Vec<Line>,
}

/// `text` as printable ASCII: transliterated where possible, `?` where not, control characters
/// (tabs included) as spaces.
pub(super) fn to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' || c.is_ascii_graphic() {
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            match deunicode::deunicode_char(c) {
                Some(s) if !s.is_empty() && s.chars().all(|c| c == ' ' || c.is_ascii_graphic()) => {
                    out.push_str(s)
                }
                _ => out.push('?'),
            }
        }
    }
    out
}

/// Splits ASCII `text` into rows of at most `width` characters, breaking at the last space that
/// fits and cutting words longer than a row. Text that fits is kept as it is, inner spaces
/// included, so columns a caller lined up stay lined up.
pub(super) fn wrap(text: &str, width: usize) -> Vec<&str> {
    let mut rows = Vec::new();
    let mut rest = text.trim_end();
    while rest.len() > width {
        let cut = match rest[..=width].rfind(' ') {
            Some(space) if space > 0 => space,
            _ => width,
        };
        rows.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    rows.push(rest);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_text_stays_and_foreign_letters_are_transliterated() {
        assert_eq!(to_ascii("Jumlah pemilih: 250"), "Jumlah pemilih: 250");
        assert_eq!(
            to_ascii("André “Ketua” – TPS 001"),
            "Andre \"Ketua\" - TPS 001"
        );
        assert_eq!(to_ascii("a\tb"), "a b");
        assert_eq!(to_ascii("✓ 5 €"), "OK 5 EUR");
        assert_eq!(to_ascii("\u{E000}"), "?", "no ASCII likeness");
    }

    #[test]
    fn long_text_wraps_at_spaces_and_long_words_are_cut() {
        let text = "Berita acara pemungutan dan penghitungan suara di TPS";
        let rows = wrap(text, COLUMNS);
        assert_eq!(
            rows,
            ["Berita acara pemungutan dan", "penghitungan suara di TPS"]
        );
        assert_eq!(
            wrap(&"x".repeat(40), 16),
            ["x".repeat(16), "x".repeat(16), "x".repeat(8)]
        );
        assert_eq!(wrap("Nama   : Budi", COLUMNS), ["Nama   : Budi"]);
        assert_eq!(wrap("", COLUMNS), [""]);
        // A space exactly at the edge.
        assert_eq!(wrap("aaaa bbbb", 4), ["aaaa", "bbbb"]);
    }
}
