//! Provisioning a blank device through its screen, as a technician does: the request on the
//! USB stick, the authority's answer checked and its TPS shown, the technician PIN set twice,
//! and the kiosk's start-up check once it is installed; an answer for another device refused on
//! the screen with nothing installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use ed25519_dalek::SigningKey;
use support::{Kiosk, init_backend};
use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_firmware::identity::keyfile::{KeyKind, KeyText};
use tps_firmware::identity::package::ElectionPackage;
use tps_firmware::kiosk::DataDir;
use tps_firmware::kiosk::enrol::{STICK_AUTHORITY, STICK_PACKAGE, certificate_name, request_name};
use tps_kiosk::cli::DEFAULT_PACKAGE;
use tps_kiosk::station::SIM_DEVICE_ID;
use tps_kiosk_screens::Screen;

const INFO: &str = "Keterangan penyiapan";
const ERROR: &str = "Kesalahan penyiapan";

/// The authority's part (`tps-keys device certify`, `package build --device`): the answer to
/// the request on the stick, with the package naming `device`.
fn authority_answers(k: &Kiosk, device: &str) {
    let stick = k.hw.usb.mirror_dir();
    let authority = SigningKey::from_bytes(&[21; 32]);
    let request = std::fs::read(stick.join(request_name(SIM_DEVICE_ID))).unwrap();
    let request = CertificateRequest::read(&request).unwrap();
    let cert = DeviceCertificate::issue(&request, &authority, 0, i64::MAX / 2, false).unwrap();
    std::fs::write(stick.join(certificate_name(SIM_DEVICE_ID)), cert).unwrap();
    let package = ElectionPackage::from_toml(DEFAULT_PACKAGE)
        .unwrap()
        .for_devices(&[device])
        .unwrap();
    std::fs::write(stick.join(STICK_PACKAGE), package.seal(&authority)).unwrap();
    let key = KeyText {
        kind: KeyKind::AuthorityPublic,
        bytes: authority.verifying_key().to_bytes(),
        comments: Vec::new(),
    };
    std::fs::write(stick.join(STICK_AUTHORITY), key.render()).unwrap();
}

#[test]
fn a_blank_device_is_provisioned_on_its_screen() {
    init_backend();
    let k = Kiosk::blank();
    let data = DataDir::new(k.dir.path());
    assert_eq!(k.screen(), Screen::Provision);

    // Too early: nothing on the stick yet.
    k.tap("Periksa jawaban di USB");
    assert!(k.value(ERROR).contains("Tidak ada yang dipasang"));

    k.tap("Buat permintaan sertifikat");
    let said = k.value(INFO);
    assert!(
        said.contains("sim-0001.req") && said.contains("sim-0001.crt"),
        "{said}"
    );
    assert!(k.value(ERROR).is_empty());
    assert!(k.hw.usb.mirror_dir().join("sim-0001.req").exists());

    // An answer for another device: refused on the screen, nothing installed.
    authority_answers(&k, "pi-0099");
    k.tap("Periksa jawaban di USB");
    assert!(
        k.value(ERROR).contains("tidak menyebut perangkat ini"),
        "{}",
        k.value(ERROR)
    );
    assert!(!k.has("Benar, pasang"));
    assert!(!data.is_provisioned());

    // The right answer: the TPS is shown for the technician to confirm.
    authority_answers(&k, SIM_DEVICE_ID);
    k.tap("Periksa jawaban di USB");
    let summary = k.value(INFO);
    assert!(summary.contains("TPS 32.73.08.1004.007"), "{summary}");
    assert!(summary.contains("Kota Bandung"), "{summary}");
    // In English one tap away: the TPS and the screen's own words.
    k.tap("Bahasa / Language");
    assert!(k.value("Provisioning details").contains("Device sim-0001"));
    assert!(k.has("Correct, install"));
    k.tap("Bahasa / Language");
    k.tap("Benar, pasang");

    // A weak PIN is refused and typed again; then the same strong PIN twice.
    k.pin("111111");
    k.pin("111111");
    assert!(
        k.value(ERROR).contains("PIN terlalu mudah"),
        "{}",
        k.value(ERROR)
    );
    assert!(!data.is_provisioned());
    k.pin("305947");
    k.pin("305947");
    assert!(data.is_provisioned());
    assert_eq!(k.screen(), Screen::SelfCheck);
    assert!(data.technician_pin().exists());
}
