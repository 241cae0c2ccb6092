//! The opening report from the voting screen: shown on the screen line for line as it prints,
//! read out, then printed; each print recorded in the journal, reprints too. A printer that
//! cannot print says why and what to do, in both languages, and nothing is recorded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use slint::ComponentHandle;
use support::{Kiosk, WITNESSES, init_backend, to_voting};
use tps_firmware::event::{RecordBody, ReportKind};
use tps_firmware::procedure::Phase;
use tps_kiosk_screens::{ReportAdapter, Screen};

/// The journal's `ReportPrinted` records.
fn prints(k: &Kiosk) -> Vec<ReportKind> {
    k.journal()
        .into_iter()
        .filter_map(|r| match r.body {
            RecordBody::ReportPrinted { kind, .. } => Some(kind),
            _ => None,
        })
        .collect()
}

#[test]
fn the_opening_report_is_read_on_the_screen_then_printed_and_each_print_recorded() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("07:31");
    k.tap("Cetak laporan pembukaan");
    assert_eq!(k.screen(), Screen::Report);
    // The receipt's own lines, before anything is printed.
    assert!(k.shows("PEMBUKAAN TPS"));
    assert!(k.shows("Kejadian khusus/keberatan: NIHIL"));
    let code = k.ui.app.global::<ReportAdapter>().get_qr().size();
    assert!(code.width > 100 && code.width == code.height, "{code:?}");
    assert!(k.hw.printer.receipt_texts().is_empty());
    assert_eq!(k.value("Sudah dicetak"), "0");

    k.tap_sure("Cetak sekarang");
    let printed = k.hw.printer.receipt_texts();
    assert_eq!(printed.len(), 1);
    assert!(printed[0].contains("PEMBUKAAN TPS"), "{}", printed[0]);
    assert_eq!(k.notice(), "Tersimpan: laporan pembukaan tercetak.");
    assert_eq!(prints(&k), [ReportKind::Opening]);
    assert_eq!(k.state().reports.len(), 1);
    assert_eq!(k.value("Sudah dicetak"), "1");

    // A second copy for the Pengawas TPS: printed and recorded again.
    k.tap_sure("Cetak sekarang");
    assert_eq!(k.hw.printer.receipt_texts().len(), 2);
    assert_eq!(prints(&k), [ReportKind::Opening, ReportKind::Opening]);
    assert_eq!(k.value("Sudah dicetak"), "2");

    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::Voting);
}

#[test]
fn a_printer_that_cannot_print_says_what_to_do_and_nothing_is_recorded() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.tap("Cetak laporan pembukaan");

    k.hw.printer.set_paper(false);
    k.poll();
    k.tap_sure("Cetak sekarang");
    assert_eq!(
        k.notice(),
        "Laporan tidak tercetak: kertas printer habis. Pasang gulungan kertas baru. Lalu tekan Cetak sekarang lagi. Tidak ada yang dicatat."
    );
    assert!(k.has("▲ Printer: kertas habis. Pasang gulungan kertas baru."));
    assert!(k.hw.printer.receipt_texts().is_empty());
    assert!(prints(&k).is_empty());
    assert!(k.state().reports.is_empty());
    assert_eq!(k.value("Sudah dicetak"), "0");
    k.tap("Bahasa / Language");
    assert_eq!(
        k.notice(),
        "The report was not printed: the printer is out of paper. Load a new paper roll. Then press Print now again. Nothing was recorded."
    );
    k.tap("Bahasa / Language");

    // Switched off: the same, in its own words.
    k.hw.printer.set_paper(true);
    k.hw.printer.set_online(false);
    k.poll();
    k.tap_sure("Cetak sekarang");
    assert!(
        k.notice()
            .starts_with("Laporan tidak tercetak: printer tidak menjawab. Periksa bahwa printer menyala dan kabelnya terpasang."),
        "{}",
        k.notice()
    );
    assert!(prints(&k).is_empty());

    // Back on: it prints, and only that print is recorded.
    k.hw.printer.set_online(true);
    k.poll();
    k.tap_sure("Cetak sekarang");
    assert_eq!(k.hw.printer.receipt_texts().len(), 1);
    assert_eq!(prints(&k), [ReportKind::Opening]);
}

#[test]
fn after_the_polls_close_the_opening_report_is_reprinted_from_home() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    // While the polls are open the voting screen offers it, and Home does not.
    k.tap("Beranda");
    assert!(!k.has("Laporan pembukaan"));
    k.tap("Buka langkah sekarang");
    assert_eq!(k.screen(), Screen::Voting);

    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    let chair = k.chair_pin();
    k.pin(&chair);
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("0");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    assert_eq!(k.phase(), Phase::CloseOut);

    k.tap("Beranda");
    k.tap("Laporan pembukaan");
    assert_eq!(k.screen(), Screen::Report);
    assert!(k.shows("PEMBUKAAN TPS"));
    k.tap_sure("Cetak sekarang");
    assert_eq!(prints(&k), [ReportKind::Opening]);
    let printed = k.hw.printer.receipt_texts();
    assert!(printed[0].contains("PEMBUKAAN TPS"), "{}", printed[0]);
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::Progress);
}
