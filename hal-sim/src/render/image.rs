//! Drawing a printed receipt as the paper would look, one pixel per printer dot. Text uses the
//! public-domain 8×8 font stretched to the printer's 12×24 cell: good enough to read, not a
//! likeness of the printer's own font.

use font8x8::legacy::BASIC_LEGACY;
use qrcode::{EcLevel, QrCode};

use super::receipt::{Align, PAPER_DOTS, PrintedItem, PrintedReceipt, QrLevel, TextRow};

const CELL_WIDTH: usize = 12;
const CELL_HEIGHT: usize = 24;
/// Dots from one text line to the next at the default line spacing.
const LINE_PITCH: usize = 30;
const MARGIN: usize = 12;
const WIDTH: usize = PAPER_DOTS as usize;

/// Why a receipt could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The PNG encoder failed.
    #[error("encoding the receipt image as PNG failed: {0}")]
    Png(#[from] png::EncodingError),
    /// The receipt is taller than a PNG image can be.
    #[error("the receipt is too long to draw ({0} dots)")]
    TooLong(usize),
}

/// White paper, black dots.
struct Paper {
    dots: Vec<bool>,
    height: usize,
}

impl Paper {
    fn new(height: usize) -> Self {
        Self {
            dots: vec![false; WIDTH * height],
            height,
        }
    }

    fn dot(&mut self, x: usize, y: usize) {
        if x < WIDTH && y < self.height {
            self.dots[y * WIDTH + x] = true;
        }
    }
}

impl PrintedReceipt {
    /// The receipt drawn as a PNG image [`PAPER_DOTS`] wide, one pixel per printer dot.
    pub fn to_png(&self) -> Result<Vec<u8>, RenderError> {
        render_png(self)
    }
}

fn render_png(receipt: &PrintedReceipt) -> Result<Vec<u8>, RenderError> {
    let items: Vec<(&PrintedItem, Option<QrCode>)> = receipt
        .items
        .iter()
        .map(|item| (item, qr_code(item)))
        .collect();
    let height = MARGIN * 2
        + items
            .iter()
            .map(|(item, qr)| item_height(item, qr.as_ref()))
            .sum::<usize>();
    let mut paper = Paper::new(height);
    let mut y = MARGIN;
    for (item, qr) in &items {
        match (item, qr) {
            (PrintedItem::Text(row), _) => draw_text(&mut paper, row, y),
            (
                PrintedItem::Qr {
                    module_dots, align, ..
                },
                Some(qr),
            ) => draw_qr(&mut paper, qr, usize::from(*module_dots), *align, y),
            _ => {}
        }
        y += item_height(item, qr.as_ref());
    }
    encode(&paper)
}

/// The symbol a QR item prints; `None` when the payload does not fit in any QR code (the printer
/// prints nothing then).
fn qr_code(item: &PrintedItem) -> Option<QrCode> {
    let PrintedItem::Qr { payload, level, .. } = item else {
        return None;
    };
    let level = match level {
        QrLevel::L => EcLevel::L,
        QrLevel::M => EcLevel::M,
        QrLevel::Q => EcLevel::Q,
        QrLevel::H => EcLevel::H,
    };
    QrCode::with_error_correction_level(payload.as_bytes(), level).ok()
}

fn item_height(item: &PrintedItem, qr: Option<&QrCode>) -> usize {
    match (item, qr) {
        (PrintedItem::Text(row), _) if row.double_height => LINE_PITCH + CELL_HEIGHT,
        (PrintedItem::Qr { module_dots, .. }, Some(qr)) => {
            qr.width() * usize::from(*module_dots) + LINE_PITCH - CELL_HEIGHT
        }
        (PrintedItem::Qr { .. }, None) => 0,
        _ => LINE_PITCH,
    }
}

fn left_edge(align: Align, width: usize) -> usize {
    let free = WIDTH.saturating_sub(width);
    match align {
        Align::Left => 0,
        Align::Center => free / 2,
        Align::Right => free,
    }
}

fn draw_text(paper: &mut Paper, row: &TextRow, top: usize) {
    let cell_w = CELL_WIDTH * if row.double_width { 2 } else { 1 };
    let cell_h = CELL_HEIGHT * if row.double_height { 2 } else { 1 };
    let mut x0 = left_edge(row.align, row.text.chars().count() * cell_w);
    for c in row.text.chars() {
        let glyph = BASIC_LEGACY
            .get(c as usize)
            .copied()
            .unwrap_or(BASIC_LEGACY[usize::from(b'?')]);
        for y in 0..cell_h {
            let bits = glyph[y * 8 / cell_h];
            for x in 0..cell_w {
                if (bits >> (x * 8 / cell_w)) & 1 == 1 {
                    paper.dot(x0 + x, top + y);
                    if row.bold {
                        paper.dot(x0 + x + 1, top + y);
                    }
                }
            }
        }
        x0 += cell_w;
    }
}

fn draw_qr(paper: &mut Paper, qr: &QrCode, module: usize, align: Align, top: usize) {
    let modules = qr.width();
    let x0 = left_edge(align, modules * module);
    for (i, color) in qr.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let (mx, my) = (i % modules, i / modules);
            for dy in 0..module {
                for dx in 0..module {
                    paper.dot(x0 + mx * module + dx, top + my * module + dy);
                }
            }
        }
    }
}

fn encode(paper: &Paper) -> Result<Vec<u8>, RenderError> {
    let height = u32::try_from(paper.height).map_err(|_| RenderError::TooLong(paper.height))?;
    let pixels: Vec<u8> = paper
        .dots
        .iter()
        .map(|&black| if black { 0 } else { 255 })
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, PAPER_DOTS, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        (info.width, info.height, buf)
    }

    fn text(s: &str, align: Align) -> PrintedItem {
        PrintedItem::Text(TextRow {
            text: s.into(),
            bold: false,
            double_width: false,
            double_height: false,
            align,
        })
    }

    #[test]
    fn the_image_is_paper_wide_with_ink_where_the_text_is() {
        let receipt = PrintedReceipt {
            items: vec![text("HH", Align::Right), PrintedItem::Blank],
        };
        let (width, height, pixels) = decode(&receipt.to_png().unwrap());
        assert_eq!(width, PAPER_DOTS);
        assert_eq!(height as usize, 2 * MARGIN + 2 * LINE_PITCH);
        let ink_at = |x: usize, y: usize| pixels[y * WIDTH + x] == 0;
        let line: Vec<usize> = (0..WIDTH).filter(|&x| ink_at(x, MARGIN + 12)).collect();
        assert!(!line.is_empty(), "the letters are drawn");
        assert!(line[0] >= WIDTH - 2 * CELL_WIDTH, "right-aligned");
        assert!(
            (0..WIDTH).all(|x| !ink_at(x, MARGIN + LINE_PITCH + 10)),
            "blank line"
        );
    }

    #[test]
    fn a_qr_code_is_drawn_at_its_module_size() {
        let receipt = PrintedReceipt {
            items: vec![PrintedItem::Qr {
                payload: "https://example.org/tps/001".into(),
                module_dots: 4,
                level: QrLevel::M,
                align: Align::Center,
            }],
        };
        let (_, height, pixels) = decode(&receipt.to_png().unwrap());
        let qr = QrCode::with_error_correction_level(b"https://example.org/tps/001", EcLevel::M)
            .unwrap();
        let size = qr.width() * 4;
        assert_eq!(
            height as usize,
            2 * MARGIN + size + LINE_PITCH - CELL_HEIGHT
        );
        // The top-left finder pattern's corner module is dark.
        let x0 = (WIDTH - size) / 2;
        assert_eq!(pixels[MARGIN * WIDTH + x0], 0);
        assert_eq!(pixels[MARGIN * WIDTH + x0 - 1], 255);
    }
}
