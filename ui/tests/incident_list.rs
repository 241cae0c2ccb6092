//! The content of form C.Kejadian Khusus dan/atau Keberatan, from the incident screen: NIHIL on
//! a quiet day; then every kejadian khusus and keberatan with its time, kind, the step it
//! concerns, its text, who raised it and who witnessed it, in the chair's language.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Kiosk, PINS, SAKSI, init_backend};
use tps_firmware::procedure::spec::Stage;
use tps_kiosk_screens::Screen;

fn open_list(k: &Kiosk) {
    k.tap("Kejadian khusus");
    k.tap("Daftar kejadian khusus dan keberatan");
    assert_eq!(k.screen(), Screen::IncidentList);
}

#[test]
fn the_list_says_nihil_then_holds_each_incident_and_objection() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.register("Pengawas TPS", None, "Bu Pengawas", "");
    k.register(
        SAKSI,
        Some("2. H. Prabowo Subianto - Gibran Rakabuming Raka"),
        "Saksi Satu",
        "SM/01/2024",
    );

    open_list(&k);
    assert_eq!(k.value("Isi formulir"), "NIHIL");
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::Incident);
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::Attendance);

    // A kejadian khusus raised by the Pengawas TPS, witnessed by the saksi.
    k.at("06:02");
    k.tap("Kejadian khusus");
    k.tap("Uraian kejadian");
    k.type_text("Tenda TPS roboh karena angin");
    k.tap("Disampaikan oleh");
    k.tap("Bu Pengawas");
    k.tap("Saksi kejadian (dengan PIN)");
    k.tap("Saksi Satu");
    k.pin(PINS[2]);
    k.tap("Simpan kejadian khusus");
    k.pin(PINS[0]);
    assert_eq!(k.notice(), "Tersimpan: kejadian khusus.");

    // The preparation short of an item: the step goes ahead with what was done, and the saksi
    // objects to it before it does.
    k.at("06:10");
    k.open_current_step();
    let items = k.equipment(Stage::Preparation);
    for (i, (item, _)) in items.iter().enumerate() {
        let answer = if i == 0 { "Tidak ada" } else { "Ada" };
        k.tap(&format!("{item}: {answer}"));
    }
    k.tap("Tindakan yang dilakukan");
    k.type_text("PPS mengantar bilik cadangan");
    k.tap("PPS sudah dihubungi");
    k.tap("Ajukan untuk konfirmasi");
    k.tap("Keberatan");
    k.tap("Saksi Satu");
    k.type_text("Bilik cadangan belum datang");
    k.pin(PINS[2]);
    assert_eq!(k.notice(), "Tersimpan: keberatan.");
    k.complete();
    assert_eq!(k.state().incidents.len(), 2);
    assert_eq!(k.state().objections.len(), 1);

    open_list(&k);
    assert!(!k.has("NIHIL"));
    for line in [
        // 1. the reported incident
        "1.",
        "06:02",
        "Kejadian khusus",
        "Tenda TPS roboh karena angin",
        "Disampaikan oleh Bu Pengawas",
        "Disaksikan oleh Saksi Satu",
        // 2. the objection to the preparation's proposal
        "2.",
        "Keberatan",
        "Langkah 1: Persiapan TPS",
        "Bilik cadangan belum datang",
        "Disampaikan oleh Saksi Satu",
        // 3. the step that went ahead short of an item
        "3.",
        "Kekurangan, kerusakan atau perbedaan pada langkah",
        "PPS mengantar bilik cadangan",
        "Disampaikan oleh Ibu Ketua",
    ] {
        assert!(k.shows(line), "{line:?} is not on the list");
    }
    assert!(k.shows("06:10"));

    // In English, the same entries in English.
    k.tap("Bahasa / Language");
    for line in [
        "Special incident",
        "Objection",
        "Step 1: Prepare the TPS",
        "A shortfall, damage or difference at a step",
        "Raised by Saksi Satu",
        "Witnessed by Saksi Satu",
    ] {
        assert!(k.shows(line), "{line:?} is not on the English list");
    }
    assert!(!k.has("Keberatan") && !k.has("Kejadian khusus"));
}

#[test]
fn the_incident_screen_is_reachable_from_the_start_up_check_and_returns_to_it() {
    init_backend();
    let k = Kiosk::new();
    assert_eq!(k.screen(), Screen::SelfCheck);
    open_list(&k);
    assert_eq!(k.value("Isi formulir"), "NIHIL");
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::Incident);
    // Before anyone is registered, nothing can be recorded yet, and the screen says why.
    k.tap("Uraian kejadian");
    k.type_text("Segel kios rusak saat tiba");
    k.tap("Simpan kejadian khusus");
    assert_eq!(k.screen(), Screen::Incident);
    assert_eq!(k.notice(), "Daftarkan Ketua KPPS terlebih dahulu.");
    assert!(k.state().incidents.is_empty());
    assert!(k.shows("Segel kios rusak saat tiba"), "the text is kept");
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::SelfCheck);
}
