//! A device whose certificate or election package the kiosk cannot use does not begin the day:
//! the start-up check says why and what to do, in both languages, and "Mulai" stays disabled.
//! Outside the simulator (without `--sim`) that holds for a development certificate and for
//! one not valid at that time too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Kiosk, init_backend};
use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_firmware::identity::keyfile::{KeyKind, read_signing_key};
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::kiosk::{DataDir, provision};
use tps_firmware::time::{LocalTime, instant_at};
use tps_kiosk_screens::Screen;
use tps_station::scenario::DEFAULT_PACKAGE;
use tps_station::station::SIM_DEVICE_ID;

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

/// A data directory provisioned as the simulator does it (a development certificate), no day
/// begun on it yet.
fn provisioned() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    provision::development(&DataDir::new(dir.path()), DEFAULT_PACKAGE, SIM_DEVICE_ID).unwrap();
    dir
}

/// The device's certificate replaced by one its authority issued, not a development one, valid
/// from `from` to `to` (unix ms).
fn certify(dir: &std::path::Path, from: i64, to: i64) {
    let data = DataDir::new(dir);
    let authority = read_signing_key(&dir.join("authority.key"), KeyKind::AuthoritySecret).unwrap();
    let device = read_signing_key(&data.device_key(), KeyKind::DeviceSecret).unwrap();
    let request =
        CertificateRequest::read(&CertificateRequest::create(SIM_DEVICE_ID, &device).unwrap())
            .unwrap();
    let cert = DeviceCertificate::issue(&request, &authority, from, to, false).unwrap();
    std::fs::write(data.certificate(), cert).unwrap();
}

/// 2024-01-01 00:00 UTC.
const NEW_YEAR_2024: i64 = 1_704_067_200_000;

#[test]
fn outside_the_simulator_a_development_or_expired_certificate_keeps_mulai_disabled() {
    init_backend();
    let cases: [(&str, &str, &str); 2] = [
        (
            "development",
            "Sertifikat perangkat ini sertifikat UJI COBA dan tidak boleh dipakai pada hari pemungutan suara.",
            "This device's certificate is a DEVELOPMENT one and must not run an election day.",
        ),
        (
            "expired",
            "Sertifikat perangkat tidak berlaku pada waktu ini (berlaku ",
            "The device certificate is not valid at this time (valid ",
        ),
    ];
    for (what, id, en) in cases {
        let dir = provisioned();
        if what == "expired" {
            // Issued for 2023 only.
            certify(dir.path(), 1_672_531_200_000, NEW_YEAR_2024 - 1_000);
        }
        let k = Kiosk::as_election_device(dir);
        assert_eq!(k.screen(), Screen::SelfCheck, "{what}");
        assert!(!k.enabled("Mulai"), "{what}");
        // What is wrong and what to do, in the screen's language only, said once.
        let why = k.value("Mengapa hari tidak dapat dimulai");
        assert!(
            why.starts_with(&format!("Hari tidak dapat dimulai: {id}")),
            "{what}: {why}"
        );
        assert!(
            why.ends_with("hubungi teknisi melalui PPS."),
            "{what}: {why}"
        );
        assert_eq!(why.matches("teknisi").count(), 1, "{what}: {why}");
        assert!(!why.contains("certificate"), "{what}: {why}");
        assert_eq!(
            k.control("Mulai")
                .accessible_description()
                .unwrap()
                .as_str(),
            why
        );
        // Nothing was recorded: the day has not begun.
        let journal = DataDir::new(k.dir.path()).journal().primary;
        let records = std::fs::read(&journal).map_or(0, |bytes| {
            tps_firmware::journal::verify::parse_strict(&bytes)
                .unwrap()
                .len()
        });
        assert_eq!(records, 0, "{what}");
        k.tap("Bahasa / Language");
        let why = k.value("Why the day cannot begin");
        assert!(
            why.starts_with(&format!("The day cannot begin: {en}")),
            "{what}: {why}"
        );
        assert!(
            why.ends_with("call a technician through PPS."),
            "{what}: {why}"
        );
        assert!(!why.contains("teknisi"), "{what}: {why}");
        assert!(!k.enabled("Start"), "{what}");
        if what == "development" {
            // The simulator begins the day on the same directory: its certificate is its own.
            let Kiosk { ui, dir, .. } = k;
            drop(ui);
            let k = Kiosk::open(dir);
            assert!(k.enabled("Mulai"));
        }
    }
}

#[test]
fn outside_the_simulator_a_day_begun_does_not_go_on_once_the_certificate_has_expired() {
    init_backend();
    let package = ElectionPackage::from_toml(DEFAULT_PACKAGE).unwrap();
    let at = |h, m| instant_at(package.date, LocalTime::new(h, m), package.zone).unwrap();
    let dir = provisioned();
    // Valid until 10:00 on election day.
    certify(dir.path(), NEW_YEAR_2024, at(10, 0));
    let k = Kiosk::as_election_device(dir);
    assert!(k.enabled("Mulai"));
    assert!(!k.journal().is_empty(), "the day has begun");
    // The power comes back at 10:30: the certificate has expired since.
    let records = k.journal().len();
    let Kiosk { ui, dir, .. } = k;
    drop(ui);
    let k = Kiosk::as_election_device_at(dir, at(10, 30));
    assert_eq!(k.screen(), Screen::SelfCheck);
    assert!(!k.enabled("Mulai"));
    // Nothing was written after the certificate expired (not even the start-up record), so the
    // journal still verifies.
    let journal = k.journal();
    assert_eq!(journal.len(), records);
    assert!(journal.iter().all(|r| r.stamp.wall_ms <= at(10, 0)));
    let why = k.value("Mengapa hari tidak dapat dimulai");
    assert!(
        why.starts_with(
            "Hari tidak dapat dilanjutkan di perangkat ini: Sertifikat perangkat tidak berlaku pada waktu ini (berlaku "
        ),
        "{why}"
    );
    assert!(why.ends_with("hubungi teknisi melalui PPS."), "{why}");
    k.tap("Bahasa / Language");
    let why = k.value("Why the day cannot begin");
    assert!(
        why.starts_with("The day cannot go on on this device: The device certificate is not valid"),
        "{why}"
    );
    assert!(why.ends_with("call a technician through PPS."), "{why}");
    assert!(!k.enabled("Start"));
}
