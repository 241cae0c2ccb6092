//! The station's gate in front of the technician's functions, on a simulated kiosk provisioned
//! for development: its documented PIN opens it; wrong PINs are delayed, also after a restart;
//! an edited, removed or linked PIN file opens nothing; a kiosk whose journal is damaged still
//! has its technician.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::kiosk::DataDir;
use tps_firmware::kiosk::provision::DEVELOPMENT_TECHNICIAN_PIN;
use tps_firmware::kiosk::technician::TechnicianError;
use tps_firmware::time::{LocalTime, instant_at};
use tps_station::scenario::DEFAULT_PACKAGE;
use tps_station::station::SimStation;

fn station(dir: &std::path::Path) -> SimStation {
    let package = ElectionPackage::from_toml(DEFAULT_PACKAGE).unwrap();
    let start = instant_at(package.date, LocalTime::new(5, 0), package.zone).unwrap();
    SimStation::open(dir, DEFAULT_PACKAGE, start).unwrap()
}

#[test]
fn the_development_pin_opens_and_wrong_ones_are_delayed_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = station(dir.path());
    s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN).unwrap();
    for n in 1..=5u16 {
        match s.technician_unlock("123957") {
            Err(TechnicianError::Wrong { failures, .. }) => assert_eq!(failures, n),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN),
        Err(TechnicianError::Locked { .. })
    ));
    s.hw().clock.advance(25_000);
    s.restart().unwrap();
    s.hw().clock.advance(25_000);
    // 50 s after the fifth wrong PIN, but only 25 s after the restart: still delayed.
    let e = s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN).unwrap_err();
    assert!(
        matches!(e, TechnicianError::Locked { wait_ms: 5_000 }),
        "{e:?}"
    );
    assert!(
        e.message(tps_firmware::text::Lang::Id)
            .contains("Coba lagi setelah 5 detik")
    );
    s.hw().clock.advance(5_000);
    s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN).unwrap();
}

#[test]
fn an_edited_removed_or_linked_pin_file_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = station(dir.path());
    let path = DataDir::new(dir.path()).technician_pin();
    let good = std::fs::read(&path).unwrap();
    let mut edited = good.clone();
    let last = edited.len() - 70;
    edited[last] ^= 1;
    std::fs::write(&path, &edited).unwrap();
    assert!(matches!(
        s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN),
        Err(TechnicianError::Damaged { .. })
    ));
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN),
        Err(TechnicianError::NotSet { .. })
    ));
    let aside = dir.path().join("pin-elsewhere");
    std::fs::write(&aside, &good).unwrap();
    std::os::unix::fs::symlink(&aside, &path).unwrap();
    assert!(matches!(
        s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN),
        Err(TechnicianError::Damaged { .. })
    ));
}

#[test]
fn a_kiosk_that_cannot_start_still_has_its_technician() {
    let dir = tempfile::tempdir().unwrap();
    drop(station(dir.path()));
    // The journal damaged beyond recovery while the kiosk was off.
    let journal = DataDir::new(dir.path()).journal();
    std::fs::write(&journal.primary, b"not a journal at all").unwrap();
    std::fs::write(&journal.mirror, b"not a journal at all").unwrap();
    let mut s = station(dir.path());
    assert!(s.kiosk().is_err());
    s.technician_unlock(DEVELOPMENT_TECHNICIAN_PIN).unwrap();
    assert!(matches!(
        s.technician_unlock("123957"),
        Err(TechnicianError::Wrong { failures: 1, .. })
    ));
}
