//! Waiting, time and the first screen: the header clock runs on every screen, the first screen
//! of an empty day leads to registering the chair, step 2 says which KPPS are still to be
//! registered, and the waiting screen leaves by itself once the witnesses are complete.
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
    let mut k = Kiosk::new();
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
    k.people.clear();
}
