//! A USB stick whose mirror file is larger than any journal can be (the magic and zeros, a
//! sparse file a mebibyte over `MAX_JOURNAL_FILE`)
//! is refused at start before a byte of it is read: the mirror alarm says to replace the stick,
//! the stick's file and the SD card are left as they were (but for the start record), and the
//! process's peak memory (VmHWM, Linux) grows by far less than the file. One test in this
//! binary, so nothing else runs beside it.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod kiosk_support;

use kiosk_support::{at, provisioned};
use tps_firmware::journal::mirror::MirrorProblem;
use tps_firmware::journal::read::MAX_JOURNAL_FILE;
use tps_firmware::journal::verify::parse_strict;
use tps_firmware::kiosk::{Alarm, Kiosk};
use tps_hal_sim::{HostileStick, SimUsbStick};

const MIB: u64 = 1 << 20;

/// The peak resident memory of this process so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

#[test]
fn a_stick_file_larger_than_any_journal_is_refused_before_it_is_read() {
    let (tmp, dir) = provisioned();
    let (kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    drop(kiosk);
    let paths = dir.journal();
    let primary_before = std::fs::read(&paths.primary).unwrap();

    let stick = SimUsbStick::new(tmp.path()).unwrap();
    stick.unplug().unwrap();
    let huge = MAX_JOURNAL_FILE + MIB;
    stick.plug_hostile(&HostileStick::Huge(huge)).unwrap();

    let peak_before = peak_rss();
    let (kiosk, _) = Kiosk::start(&dir, at("06:00")).unwrap();
    let grown = peak_rss().saturating_sub(peak_before);
    assert!(grown < 64 * MIB, "peak memory grew by {} MiB", grown / MIB);

    let expected = Alarm::MirrorRefused {
        detail: MirrorProblem::TooLarge { size: huge }.describe().en,
    };
    assert_eq!(
        kiosk.blocking_alarm(),
        Some(&expected),
        "{:?}",
        kiosk.alarms()
    );
    assert!(expected.instructions().id.contains("Ganti flashdisk"));
    drop(kiosk);

    // The stick's file is as it was; the SD card only gained the start record.
    let file = std::fs::metadata(&paths.mirror).unwrap();
    assert_eq!(file.len(), huge);
    let primary_after = std::fs::read(&paths.primary).unwrap();
    assert!(primary_after.starts_with(&primary_before));
    let added: Vec<_> = parse_strict(&primary_after).unwrap()
        [parse_strict(&primary_before).unwrap().len()..]
        .iter()
        .map(|r| r.record.body.kind_name())
        .collect();
    assert_eq!(added, ["started"]);
}
