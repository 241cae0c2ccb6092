//! `ReportAdapter`: the opening or closing report on the screen, line for line as the receipt
//! prints it (the QR code drawn as the printer draws it), for the chair to read out to the saksi;
//! then "Cetak sekarang". A print is recorded only once it printed; a printer that cannot print
//! says why and what to do, in the chair's language.

use std::rc::Rc;

use slint::{ComponentHandle, Image, Rgb8Pixel, SharedPixelBuffer};
use tps_firmware::drivers::printer::{Align, Line};
use tps_firmware::event::ReportKind;
use tps_firmware::text::Bilingual;
use tps_firmware::verification::words::capitalized;
use tps_kiosk_screens::{ReceiptLine, ReportAdapter, Screen};
use tps_station::words;
use tps_station::worker::PrintFailure;

use super::{Ask, Model, Notice, Then, Ui, count, overlay, sync, weak, with};

/// Screen pixels per QR module: about 0.6 mm on the 7" panel, which a phone reads.
const QR_MODULE_PX: usize = 3;
/// The light margin around the symbol, in modules (the QR standard's quiet zone).
const QR_QUIET: usize = 4;

/// The QR image last drawn, so it is only drawn again when the code changes.
#[derive(Debug, Default)]
pub struct Cache {
    payload: Option<String>,
}

/// Wires the `ReportAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<ReportAdapter>();
    let w = weak(ui);
    adapter.on_print(move || with(&w, ask_print));
    let w = weak(ui);
    adapter.on_open_export(move || with(&w, super::export::open));
    let w = weak(ui);
    adapter.on_back(move || {
        with(&w, |ui| {
            let back = ui.model.borrow().before_report;
            ui.go(back);
        })
    });
}

/// "Cetak sekarang": which print this will be, asked once more (every print is recorded).
fn ask_print(ui: &Ui) {
    let (kind, next) = {
        let m = ui.model.borrow();
        let printed = m.state().map_or(0, |s| {
            s.reports.iter().filter(|(_, k)| *k == m.report).count()
        });
        (m.report, printed + 1)
    };
    let name = kind.name();
    overlay::ask(
        ui,
        Ask {
            what: Bilingual::new(
                format!(
                    "Mencetak {} (cetakan ke-{next}); cetakan ini dicatat di jurnal.",
                    name.id
                ),
                format!(
                    "Prints the {} (print number {next}); the print is recorded in the journal.",
                    name.en
                ),
            ),
            yes: Bilingual::new("Ya, cetak", "Yes, print"),
            then: Then::Print(kind),
        },
    );
}

/// Shows report `kind` on the report screen.
pub fn open(ui: &Ui, kind: ReportKind) {
    ui.model.borrow_mut().report = kind;
    ui.go(Screen::Report);
}

/// The station's answer to "Cetak sekarang".
pub fn printed(ui: &Ui, result: Result<ReportKind, PrintFailure>) {
    ui.update(|m| match result {
        Ok(kind) => {
            let name = kind.name();
            m.say_saved(
                format!("{} tercetak", name.id),
                format!("{} printed", name.en),
            );
        }
        Err(failure) => {
            log::warn!("report not printed: {failure}");
            m.say(Notice::NotPrinted(failure));
        }
    });
}

fn line(l: &Line) -> ReceiptLine {
    match l {
        Line::Text {
            text,
            bold,
            double,
            align,
        } => ReceiptLine {
            kind: 0,
            text: text.clone().into(),
            bold: *bold,
            double: *double,
            align: match align {
                Align::Left => 0,
                Align::Center => 1,
                Align::Right => 2,
            },
        },
        Line::Rule => ReceiptLine {
            kind: 1,
            ..ReceiptLine::default()
        },
        Line::Qr { .. } => ReceiptLine {
            kind: 2,
            ..ReceiptLine::default()
        },
        // Paper fed out before the cut: nothing to read on the screen.
        Line::Feed(_) => ReceiptLine::default(),
    }
}

/// The QR symbol of `payload` as an image, dark modules on white; `None` when it does not fit
/// in any QR code (the printer prints nothing then either).
fn qr_image(payload: &str) -> Option<Image> {
    let code =
        qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.width();
    let side = (modules + 2 * QR_QUIET) * QR_MODULE_PX;
    let side32 = u32::try_from(side).ok()?;
    let mut pixels = SharedPixelBuffer::<Rgb8Pixel>::new(side32, side32);
    let buffer = pixels.make_mut_slice();
    buffer.fill(Rgb8Pixel::new(255, 255, 255));
    for (i, colour) in code.to_colors().into_iter().enumerate() {
        if colour != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QR_QUIET, i / modules + QR_QUIET);
        for dy in 0..QR_MODULE_PX {
            let row = (my * QR_MODULE_PX + dy) * side;
            for dx in 0..QR_MODULE_PX {
                if let Some(px) = buffer.get_mut(row + mx * QR_MODULE_PX + dx) {
                    *px = Rgb8Pixel::new(0, 0, 0);
                }
            }
        }
    }
    Some(Image::from_rgb8(pixels))
}

/// Fills the `ReportAdapter` from the model.
pub fn render(ui: &Ui, m: &Model, cache: &mut Cache) {
    let adapter = ui.app.global::<ReportAdapter>();
    let (Some(kiosk), Some(snapshot)) = (m.kiosk(), m.snapshot.as_ref()) else {
        return;
    };
    let lang = m.lang;
    let kind = m.report;
    adapter.set_closing(kind == ReportKind::Closing);
    adapter.set_title(capitalized(kind.name().get(lang)).into());
    adapter.set_day_over(
        m.state()
            .is_some_and(|s| s.phase() == tps_firmware::procedure::Phase::Finished),
    );
    let receipt = kiosk.reports.get(kind);
    adapter.set_available(receipt.is_ok());
    adapter.set_unavailable(
        receipt
            .as_ref()
            .err()
            .map(|e| words::report_unavailable(*e).get(lang).to_string())
            .unwrap_or_default()
            .into(),
    );
    let lines = receipt.as_ref().map(|r| r.lines.as_slice()).unwrap_or(&[]);
    let shown = lines
        .iter()
        .filter(|l| !matches!(l, Line::Feed(_)))
        .map(line)
        .collect();
    adapter.set_lines(sync(adapter.get_lines(), shown));
    let payload = lines.iter().find_map(|l| match l {
        Line::Qr { payload } => Some(payload.clone()),
        _ => None,
    });
    if payload != cache.payload {
        adapter.set_qr(payload.as_deref().and_then(qr_image).unwrap_or_default());
        cache.payload = payload;
    }
    let printed = kiosk
        .state
        .reports
        .iter()
        .filter(|(_, k)| *k == kind)
        .count();
    adapter.set_printed(count(printed));
    adapter.set_printer_problem(
        snapshot
            .status
            .printer
            .as_ref()
            .err()
            .map(|e| words::printer_status(e).get(lang).to_string())
            .unwrap_or_default()
            .into(),
    );
}
