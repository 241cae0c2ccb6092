//! Provisioning a blank device through its screen, as a technician does: the request on the
//! USB stick, the authority's answer checked and its TPS shown, the technician PIN set twice,
//! and the kiosk's start-up check once it is installed; an answer for another device refused on
//! the screen with nothing installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use slint::ComponentHandle;
use support::{Kiosk, authority_answers, init_backend};
use tps_firmware::kiosk::DataDir;
use tps_kiosk_screens::{AlarmAdapter, Screen};
use tps_station::station::SIM_DEVICE_ID;

const INFO: &str = "Keterangan penyiapan";
const ERROR: &str = "Kesalahan penyiapan";

#[test]
fn a_blank_device_is_provisioned_on_its_screen() {
    init_backend();
    let k = Kiosk::blank();
    let data = DataDir::new(k.dir.path());
    assert_eq!(k.screen(), Screen::Provision);
    // No alarm over it, and none of the day's buttons: a blank device is not a fault.
    assert!(!k.ui.app.global::<AlarmAdapter>().get_shown());
    assert!(!k.has("Kejadian khusus") && !k.has("Beranda"));

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
