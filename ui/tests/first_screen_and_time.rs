//! Waiting, time and the first screen: the header clock runs on the incident form and the PIN
//! handover, and the first screen of an empty day leads to registering the chair.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Kiosk, init_backend};
use tps_kiosk_screens::Screen;

/// The header clock as the screen shows it, in either language.
fn clock(k: &Kiosk) -> String {
    if k.has("Jam") {
        k.value("Jam")
    } else {
        k.value("Clock")
    }
}

#[test]
fn the_header_clock_runs_on_the_incident_and_handover_screens() {
    init_backend();
    let k = Kiosk::new();
    k.tap("Mulai");
    assert_eq!(clock(&k), "05:40:00 WIB");

    // The incident form, in both languages.
    k.tap("Kejadian khusus");
    assert_eq!(k.screen(), Screen::Incident);
    k.at("05:41");
    assert_eq!(clock(&k), "05:41:00 WIB");
    k.tap("Bahasa / Language");
    k.at("05:42");
    assert_eq!(clock(&k), "05:42:00 WIB");
    k.tap("Bahasa / Language");

    // Handing the screen to the person who makes their PIN.
    k.tap("Kembali");
    k.tap("Daftar hadir");
    k.tap("Daftarkan orang");
    k.tap("Peran");
    k.tap("Ketua KPPS");
    k.tap("Nama");
    k.type_text("Ibu Ketua");
    k.tap("Buat PIN");
    assert!(k.has("Saya sudah memegang layar"));
    k.at("05:43");
    assert_eq!(clock(&k), "05:43:00 WIB");
    k.tap("Saya sudah memegang layar");
    k.at("05:44");
    assert_eq!(clock(&k), "05:44:00 WIB");
}

#[test]
fn the_first_screen_with_no_one_registered_leads_to_registering_the_chair() {
    init_backend();
    let k = Kiosk::new();
    k.tap("Mulai");
    assert_eq!(k.screen(), Screen::Progress);
    assert!(k.state().people.is_empty());
    assert!(!k.has("Buka langkah sekarang"));
    k.tap("Bahasa / Language");
    assert!(k.has("Register the KPPS chair"));
    assert!(k.shows("Start by registering the KPPS chair."));
    k.tap("Bahasa / Language");
    assert!(k.shows("Mulailah dengan mendaftarkan Ketua KPPS."));

    // The big button opens the registration with the chair's role already chosen.
    k.tap("Daftarkan Ketua KPPS");
    assert_eq!(k.screen(), Screen::Register);
    assert!(k.has("Ketua KPPS"), "the role is not chosen");
    k.tap("Nama");
    k.type_text("Ibu Ketua");
    k.tap("Buat PIN");
    let pin = support::PINS[0];
    k.pin(pin);
    k.pin(pin);
    assert_eq!(k.notice(), "Tersimpan: Ibu Ketua terdaftar.");
    let state = k.state();
    assert_eq!(state.people.len(), 1);
    assert_eq!(
        state.chair().map(|p| p.name.to_string()),
        Some("Ibu Ketua".into())
    );

    // With the chair registered, the big button opens the day's step again.
    assert_eq!(k.screen(), Screen::Attendance);
    k.tap("Beranda");
    assert!(k.has("Buka langkah sekarang"));
    assert!(!k.has("Daftarkan Ketua KPPS"));
}
