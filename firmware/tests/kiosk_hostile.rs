//! The kiosk against a hostile USB stick (issue 9): a forged journal on it is never copied onto
//! the SD card, and the start-up says which medium and which record.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ed25519_dalek::SigningKey;
use tps_firmware::event::RecordBody;
use tps_firmware::journal::record::{Record, SignedRecord};
use tps_firmware::journal::store::Medium;
use tps_firmware::journal::verify::parse_strict;
use tps_firmware::journal::{JournalError, Untrusted};
use tps_firmware::kiosk::{ClockReading, DataDir, Kiosk, StartError, provision};
use tps_firmware::power::PowerState;
use tps_firmware::time::{ClockStatus, Date, LocalTime, Stamp, TimeZone, instant_at};

const PACKAGE: &str = include_str!("../../keys/examples/election-pemilu-2024-jabar.toml");

fn at(hhmm: &str, since_boot_ms: u64) -> ClockReading {
    ClockReading {
        wall_ms: instant_at(
            Date::parse("2024-02-14").unwrap(),
            LocalTime::parse(hhmm).unwrap(),
            TimeZone::Wib,
        )
        .unwrap(),
        oscillator_stopped: false,
        since_boot_ms,
    }
}

fn provisioned() -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    provision::development(&dir, PACKAGE, "sim-0001").unwrap();
    (tmp, dir)
}

#[test]
fn a_forged_record_on_the_stick_leaves_the_sd_card_byte_identical() {
    let (_tmp, dir) = provisioned();
    let (kiosk, _) = Kiosk::start(&dir, at("05:40", 10)).unwrap();
    drop(kiosk);
    let paths = dir.journal();
    let primary_before = std::fs::read(&paths.primary).unwrap();
    // The stick: the real records, then one chained to them and signed by another key.
    let mut stick = std::fs::read(&paths.mirror).unwrap();
    let records = parse_strict(&stick).unwrap();
    let last = records.last().unwrap();
    let forged = SignedRecord::sign(
        Record {
            seq: last.record.seq + 1,
            prev: last.hash,
            stamp: Stamp {
                wall_ms: last.record.stamp.wall_ms + 60_000,
                mono_ms: last.record.stamp.mono_ms + 60_000,
                clock: ClockStatus::Trusted,
            },
            body: RecordBody::PowerChanged {
                state: PowerState::Battery,
            },
        },
        &SigningKey::from_bytes(&[42; 32]),
    );
    stick.extend_from_slice(&forged.frame());
    std::fs::write(&paths.mirror, &stick).unwrap();

    let err = Kiosk::start(&dir, at("05:50", 5)).unwrap_err();
    let StartError::Journal(
        ref e @ JournalError::NotThisDevice {
            medium: Medium::Mirror,
            reason: Untrusted::Verify(ref v),
        },
    ) = err
    else {
        panic!("{err:?}");
    };
    assert_eq!(v.seq, forged.record.seq);
    let shown = e.to_string();
    assert!(shown.contains("mirror journal"), "{shown}");
    assert!(
        shown.contains(&format!("record {}", forged.record.seq)),
        "{shown}"
    );
    assert_eq!(std::fs::read(&paths.primary).unwrap(), primary_before);
    assert_eq!(std::fs::read(&paths.mirror).unwrap(), stick);
}
