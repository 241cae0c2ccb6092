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

#[test]
fn step_2_says_how_many_of_the_seven_kpps_are_registered_and_who_is_missing() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.register("Anggota KPPS 3", None, "Anggota Tiga", "");
    k.open_current_step();
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    assert_eq!(k.state().current_step(), 1);

    // Before it is proposed, both languages.
    assert!(k.shows(
        "KPPS terdaftar: 2 dari 7. Belum: Anggota KPPS 2, Anggota KPPS 4, Anggota KPPS 5, \
         Anggota KPPS 6, Anggota KPPS 7."
    ));
    k.tap("Bahasa / Language");
    assert!(k.shows(
        "KPPS registered: 2 of 7. Missing: KPPS member 2, KPPS member 4, KPPS member 5, \
         KPPS member 6, KPPS member 7."
    ));
    k.tap("Bahasa / Language");

    // Registering the rest from the step's own way to the attendance list.
    k.tap("Buka daftar hadir");
    for (n, name) in [
        (2, "Dua"),
        (4, "Empat"),
        (5, "Lima"),
        (6, "Enam"),
        (7, "Tujuh"),
    ] {
        k.register(
            &format!("Anggota KPPS {n}"),
            None,
            &format!("Anggota {name}"),
            "",
        );
    }
    k.tap("Kembali ke langkah");
    assert_eq!(k.screen(), Screen::Step);
    assert!(k.shows("KPPS terdaftar: 7 dari 7."));
    assert!(!k.shows("Belum: Anggota KPPS 2"));
}
