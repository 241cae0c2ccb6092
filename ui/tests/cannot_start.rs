//! A device whose certificate or election package the kiosk cannot use does not begin the day:
//! the start-up check says why and what to do, in both languages, and "Mulai" stays disabled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Kiosk, init_backend};
use tps_kiosk_screens::Screen;

#[test]
fn a_certificate_or_package_the_kiosk_cannot_use_keeps_mulai_disabled_with_what_to_do() {
    init_backend();
    for file in ["device.crt", "package.tpsp"] {
        let k = Kiosk::new();
        assert!(k.enabled("Mulai"), "{file}");
        std::fs::write(k.dir.path().join(file), b"not what it should be").unwrap();
        let k = k.hard_restart();
        assert_eq!(k.screen(), Screen::SelfCheck, "{file}");
        assert!(!k.enabled("Mulai"), "{file}");
        let why = k.value("Mengapa hari tidak dapat dimulai");
        assert!(why.starts_with("Hari tidak dapat dimulai: "), "{why}");
        assert!(why.contains(file), "{why}");
        assert!(why.ends_with("hubungi teknisi melalui PPS."), "{why}");
        assert_eq!(
            k.control("Mulai")
                .accessible_description()
                .unwrap()
                .as_str(),
            why
        );
        k.tap("Bahasa / Language");
        let why = k.value("Why the day cannot begin");
        assert!(why.starts_with("The day cannot begin: "), "{why}");
        assert!(why.ends_with("call a technician through PPS."), "{why}");
        assert!(!k.enabled("Start"), "{file}");
    }
}
