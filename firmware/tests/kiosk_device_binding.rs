//! Issue 9, finding 6: the election package names the devices allowed to run it; a kiosk
//! refuses at start a package that does not name it, and says so in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tps_firmware::identity::keyfile::{KeyKind, read_signing_key};
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::kiosk::files::IdentityError;
use tps_firmware::kiosk::{ClockReading, DataDir, Kiosk, StartError, provision};
use tps_firmware::text::Lang;
use tps_firmware::time::{Date, LocalTime, TimeZone, instant_at};

const PACKAGE: &str = include_str!("../../keys/examples/election-pemilu-2024-jabar.toml");

fn morning() -> ClockReading {
    ClockReading {
        wall_ms: instant_at(
            Date::parse("2024-02-14").unwrap(),
            LocalTime::new(5, 40),
            TimeZone::Wib,
        )
        .unwrap(),
        oscillator_stopped: false,
        since_boot_ms: 10,
    }
}

/// A development device `sim-0001` whose package, signed by its own authority, names `devices`.
fn provisioned(devices: &[&str]) -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    provision::development(&dir, PACKAGE, "sim-0001").unwrap();
    let authority =
        read_signing_key(&dir.dir.join("authority.key"), KeyKind::AuthoritySecret).unwrap();
    let package = ElectionPackage::from_toml(PACKAGE)
        .unwrap()
        .for_devices(devices)
        .unwrap();
    std::fs::write(dir.package(), package.seal(&authority)).unwrap();
    (tmp, dir)
}

#[test]
fn a_package_naming_the_device_runs() {
    let (_tmp, dir) = provisioned(&["sim-0002", "sim-0001"]);
    let (kiosk, _) = Kiosk::start(&dir, morning()).unwrap();
    assert!(kiosk.records() >= 1);
}

#[test]
fn a_package_for_another_device_is_refused_at_start_and_nothing_is_written() {
    for devices in [&["sim-0002"][..], &[]] {
        let (_tmp, dir) = provisioned(devices);
        let err = Kiosk::start(&dir, morning()).unwrap_err();
        let StartError::Identity(e) = &err else {
            panic!("{err}")
        };
        assert!(
            matches!(e, IdentityError::DeviceNotInPackage { device, .. } if device == "sim-0001"),
            "{e}"
        );
        let id = e.message(Lang::Id);
        let en = e.message(Lang::En);
        assert!(
            id.contains("bukan untuk perangkat sim-0001") && id.contains("panggil teknisi"),
            "{id}"
        );
        assert!(
            en.contains("not for device sim-0001") && en.contains("call the technician"),
            "{en}"
        );
        assert_eq!(err.to_string(), format!("device identity: {en}"));
        assert!(!dir.journal().primary.exists(), "no journal begun");
    }
}

#[test]
fn a_package_names_well_formed_devices_once() {
    let p = ElectionPackage::from_toml(PACKAGE).unwrap();
    assert!(p.clone().for_devices(&["pi 1"]).is_err());
    assert!(p.clone().for_devices(&["pi-1", "pi-1"]).is_err());
    let nine: Vec<String> = (0..9).map(|i| format!("pi-{i}")).collect();
    let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
    assert!(p.clone().for_devices(&nine).is_err());
    assert!(p.for_devices(&nine[..8]).is_ok());
}
