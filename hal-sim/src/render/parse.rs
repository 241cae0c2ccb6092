//! Reading an ESC/POS byte stream the way a printer does. It understands what the kiosk's driver
//! sends plus a few common commands; other commands are skipped.

use super::receipt::{Align, COLUMNS, PrintedItem, PrintedReceipt, QrLevel, TextRow};

const LF: u8 = 0x0A;
const DLE: u8 = 0x10;
const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
/// Module size the printer uses until told otherwise.
const DEFAULT_QR_MODULE_DOTS: u8 = 3;

/// The receipts in `stream`, each ended by a cut. Anything after the last cut is not a receipt
/// yet and is left out.
pub fn parse_receipts(stream: &[u8]) -> Vec<PrintedReceipt> {
    let mut printer = Printer::default();
    let mut rest = stream;
    // `None`: the stream ends inside a command.
    while let Some(used) = rest.first().and_then(|_| printer.step(rest)) {
        rest = &rest[used..];
    }
    printer.receipts
}

#[derive(Debug, Clone, Copy, Default)]
struct Style {
    bold: bool,
    double_width: bool,
    double_height: bool,
    align: Align,
}

#[derive(Debug)]
struct Printer {
    style: Style,
    /// The line being received and the style of its first character.
    line: String,
    line_style: Style,
    qr_module_dots: u8,
    qr_level: QrLevel,
    qr_data: Vec<u8>,
    items: Vec<PrintedItem>,
    receipts: Vec<PrintedReceipt>,
}

impl Default for Printer {
    fn default() -> Self {
        Self {
            style: Style::default(),
            line: String::new(),
            line_style: Style::default(),
            qr_module_dots: DEFAULT_QR_MODULE_DOTS,
            qr_level: QrLevel::default(),
            qr_data: Vec::new(),
            items: Vec::new(),
            receipts: Vec::new(),
        }
    }
}

impl Printer {
    /// Handles the command or character at the start of `s` (not empty); how many bytes it took,
    /// or `None` if `s` ends before the command does.
    fn step(&mut self, s: &[u8]) -> Option<usize> {
        match s[0] {
            LF => {
                self.end_line();
                Some(1)
            }
            ESC => self.esc(s),
            GS => self.gs(s),
            // DLE EOT n and DLE ENQ n are real-time requests: answered, never printed.
            DLE => match s.get(1)? {
                0x04 | 0x05 => s.get(2).map(|_| 3),
                _ => Some(1),
            },
            byte @ 0x20..=0x7E => {
                self.put(char::from(byte));
                Some(1)
            }
            // The code page is unknown here.
            0x80.. => {
                self.put('?');
                Some(1)
            }
            _ => Some(1),
        }
    }

    fn esc(&mut self, s: &[u8]) -> Option<usize> {
        let command = *s.get(1)?;
        let arg = || s.get(2).copied();
        match command {
            b'@' => {
                let receipts = std::mem::take(&mut self.receipts);
                let items = std::mem::take(&mut self.items);
                *self = Self {
                    receipts,
                    items,
                    ..Self::default()
                };
                Some(2)
            }
            b'E' => {
                self.style.bold = arg()? & 1 != 0;
                Some(3)
            }
            b'!' => {
                let n = arg()?;
                self.style.bold = n & 0x08 != 0;
                self.style.double_height = n & 0x10 != 0;
                self.style.double_width = n & 0x20 != 0;
                Some(3)
            }
            b'a' => {
                self.style.align = match arg()? {
                    0 | b'0' => Align::Left,
                    1 | b'1' => Align::Center,
                    2 | b'2' => Align::Right,
                    _ => self.style.align,
                };
                Some(3)
            }
            b'd' => {
                let lines = arg()?;
                if !self.line.is_empty() {
                    self.end_line();
                }
                self.items
                    .extend(std::iter::repeat_n(PrintedItem::Blank, usize::from(lines)));
                Some(3)
            }
            b'2' => Some(2),
            b'-' | b'3' | b'G' | b'J' | b'M' | b'R' | b'V' | b't' | b'{' => arg().map(|_| 3),
            _ => Some(2),
        }
    }

    fn gs(&mut self, s: &[u8]) -> Option<usize> {
        let command = *s.get(1)?;
        match command {
            b'!' => {
                let n = *s.get(2)?;
                self.style.double_width = (n >> 4) & 0x07 != 0;
                self.style.double_height = n & 0x07 != 0;
                Some(3)
            }
            b'V' => {
                let mode = *s.get(2)?;
                let used = if mode == 65 || mode == 66 { 4 } else { 3 };
                s.get(used - 1)?;
                self.cut();
                Some(used)
            }
            b'(' => {
                let len = usize::from(*s.get(3)?) + 256 * usize::from(*s.get(4)?);
                let body = s.get(5..5 + len)?;
                if s[2] == b'k' {
                    self.qr(body);
                }
                Some(5 + len)
            }
            b'B' | b'H' | b'b' | b'f' | b'h' | b'w' => s.get(2).map(|_| 3),
            b'L' | b'W' => s.get(3).map(|_| 4),
            _ => Some(2),
        }
    }

    /// A `GS ( k` function for QR codes (symbol type 49).
    fn qr(&mut self, body: &[u8]) {
        match body {
            [49, 67, dots, ..] => self.qr_module_dots = *dots,
            [49, 69, level, ..] => {
                self.qr_level = match level {
                    48 => QrLevel::L,
                    49 => QrLevel::M,
                    50 => QrLevel::Q,
                    51 => QrLevel::H,
                    _ => self.qr_level,
                }
            }
            [49, 80, 48, data @ ..] => self.qr_data = data.to_vec(),
            [49, 81, ..] => {
                if !self.line.is_empty() {
                    self.end_line();
                }
                self.items.push(PrintedItem::Qr {
                    payload: String::from_utf8_lossy(&self.qr_data).into_owned(),
                    module_dots: self.qr_module_dots,
                    level: self.qr_level,
                    align: self.style.align,
                });
            }
            _ => {}
        }
    }

    fn put(&mut self, c: char) {
        if self.line.is_empty() {
            self.line_style = self.style;
        }
        let width = if self.line_style.double_width { 2 } else { 1 };
        // A full line is printed and the text goes on on the next, as the printer does.
        if (self.line.chars().count() + 1) * width > COLUMNS {
            self.end_line();
            self.line_style = self.style;
        }
        self.line.push(c);
    }

    fn end_line(&mut self) {
        if self.line.is_empty() {
            self.items.push(PrintedItem::Blank);
            return;
        }
        let style = self.line_style;
        self.items.push(PrintedItem::Text(TextRow {
            text: std::mem::take(&mut self.line),
            bold: style.bold,
            double_width: style.double_width,
            double_height: style.double_height,
            align: style.align,
        }));
    }

    fn cut(&mut self) {
        if !self.line.is_empty() {
            self.end_line();
        }
        self.receipts.push(PrintedReceipt {
            items: std::mem::take(&mut self.items),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str) -> PrintedItem {
        PrintedItem::Text(TextRow {
            text: text.into(),
            bold: false,
            double_width: false,
            double_height: false,
            align: Align::Left,
        })
    }

    #[test]
    fn styles_alignment_and_cuts_make_receipts() {
        let mut s =
            b"\x1b@\x1ba\x01\x1bE\x01\x1d!\x11JUDUL\n\x1bE\x00\x1d!\x00\x1ba\x00isi\n".to_vec();
        s.extend_from_slice(b"\x1bd\x02\x1dVA\x03sisa");
        let receipts = parse_receipts(&s);
        assert_eq!(
            receipts.len(),
            1,
            "text after the last cut is not a receipt yet"
        );
        let items = &receipts[0].items;
        assert_eq!(
            items[0],
            PrintedItem::Text(TextRow {
                text: "JUDUL".into(),
                bold: true,
                double_width: true,
                double_height: true,
                align: Align::Center,
            })
        );
        assert_eq!(
            items[1..],
            [row("isi"), PrintedItem::Blank, PrintedItem::Blank]
        );
        assert_eq!(receipts[0].text(), "           JUDUL\nisi\n\n\n");
    }

    #[test]
    fn qr_codes_status_queries_and_foreign_bytes() {
        let mut s = b"\x10\x04\x01\x1d(k\x03\x001C\x05\x1d(k\x03\x001E1".to_vec();
        s.extend_from_slice(b"\x1d(k\x06\x001P0abc\x1d(k\x03\x001Q0caf\xc3\xa9\n\x1dV\x01");
        let receipts = parse_receipts(&s);
        assert_eq!(
            receipts[0].items,
            [
                PrintedItem::Qr {
                    payload: "abc".into(),
                    module_dots: 5,
                    level: QrLevel::M,
                    align: Align::Left,
                },
                row("caf??"),
            ]
        );
        assert_eq!(receipts[0].text(), "[QR] abc\ncaf??\n");
    }

    #[test]
    fn lines_longer_than_the_paper_wrap() {
        let mut s = vec![b'x'; COLUMNS + 3];
        s.extend_from_slice(b"\n\x1b!\x20");
        s.extend(vec![b'y'; COLUMNS / 2 + 1]);
        s.extend_from_slice(b"\n\x1dV\x00");
        let text = parse_receipts(&s)[0].text();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "x".repeat(COLUMNS),
                "xxx".into(),
                "y".repeat(16),
                "y".into()
            ]
        );
    }
}
