//! The kiosk against a hostile USB stick (issue 9): a forged journal on it is never copied onto
//! the SD card, and the start-up says which medium and which record; a FIFO or a link where the
//! mirror should be is refused with the alarm that says to replace the stick.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod kiosk_support;

use kiosk_support::{PACKAGE, at, provisioned};
use std::path::PathBuf;

use ed25519_dalek::SigningKey;
use tps_firmware::event::RecordBody;
use tps_firmware::identity::package::SignedPackage;
use tps_firmware::journal::mirror::MirrorProblem;
use tps_firmware::journal::record::{Record, SignedRecord};
use tps_firmware::journal::store::Medium;
use tps_firmware::journal::verify::parse_strict;
use tps_firmware::journal::{JournalError, Untrusted};
use tps_firmware::kiosk::{
    Alarm, CertificateRefusal, DataDir, HardwareEvent, IdentityError, Kiosk, StartError,
};
use tps_firmware::power::PowerState;
use tps_firmware::time::{ClockStatus, Stamp};
use tps_hal_sim::{HostileStick, SimUsbStick};

#[test]
fn a_forged_record_on_the_stick_leaves_the_sd_card_byte_identical() {
    let (_tmp, dir) = provisioned();
    let (kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
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

    let err = Kiosk::start(&dir, at("05:50")).unwrap_err();
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

/// Every file under `root` that is not under the mirror directory, with its bytes (links as
/// their target), so a test can show nothing was written where it should not be.
fn outside_mirror(root: &std::path::Path, mirror: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if path.starts_with(mirror) || path.to_string_lossy().contains(".usb-replaced") {
                continue;
            }
            if meta.is_dir() {
                stack.push(path);
            } else if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.push((path, target.to_string_lossy().into_owned().into_bytes()));
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// A FIFO, a link to the primary, a link to a file elsewhere, and the stick's directory linked
/// elsewhere (issue 9, finding 3): each is refused as the mirror with the alarm that says to
/// replace the stick; the boot does not hang, nothing is written through the link, and the
/// primary gains only the start record.
#[test]
fn a_hostile_stick_is_refused_with_the_mirror_alarm_and_nothing_written_through_it() {
    let (tmp, dir) = provisioned();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("journal.tpsj"), b"someone else's file").unwrap();
    let paths = dir.journal();
    let stick = SimUsbStick::new(tmp.path()).unwrap();
    let (kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    drop(kiosk);
    let cases = [
        (HostileStick::Fifo, MirrorProblem::NotAFile),
        (
            HostileStick::FileLink(paths.primary.clone()),
            MirrorProblem::Link,
        ),
        (
            HostileStick::FileLink(elsewhere.join("journal.tpsj")),
            MirrorProblem::Link,
        ),
        (
            HostileStick::DirLink(elsewhere.clone()),
            MirrorProblem::Link,
        ),
        (
            HostileStick::DirLink(tmp.path().to_path_buf()),
            MirrorProblem::Link,
        ),
    ];
    for (hostile, problem) in cases {
        stick.unplug().unwrap();
        stick.plug_hostile(&hostile).unwrap();
        let before = outside_mirror(tmp.path(), &dir.mirror_dir);
        let primary_before = std::fs::read(&paths.primary).unwrap();
        let (kiosk, _) = Kiosk::start(&dir, at("06:00")).unwrap();
        let expected = Alarm::MirrorRefused {
            detail: problem.describe().en,
        };
        assert!(
            kiosk.alarms().contains(&expected),
            "{hostile:?}: {:?}",
            kiosk.alarms()
        );
        assert_eq!(kiosk.blocking_alarm(), Some(&expected), "{hostile:?}");
        assert!(
            expected.instructions().id.contains("Ganti flashdisk"),
            "{:?}",
            expected.instructions()
        );
        drop(kiosk);
        // Only the primary changed, by one start record appended.
        let after = outside_mirror(tmp.path(), &dir.mirror_dir);
        let primary_after = std::fs::read(&paths.primary).unwrap();
        assert!(primary_after.starts_with(&primary_before), "{hostile:?}");
        let added = parse_strict(&primary_after).unwrap();
        let kinds: Vec<_> = added[parse_strict(&primary_before).unwrap().len()..]
            .iter()
            .map(|r| r.record.body.kind_name())
            .collect();
        assert_eq!(kinds, ["started"], "{hostile:?}");
        let changed: Vec<_> = after
            .iter()
            .filter(|f| !before.contains(f))
            .map(|f| &f.0)
            .collect();
        assert_eq!(changed, [&paths.primary], "{hostile:?}");
        assert_eq!(
            std::fs::read(elsewhere.join("journal.tpsj")).unwrap(),
            b"someone else's file"
        );
    }
}

/// A stick plugged in while the kiosk runs is checked the same way.
#[test]
fn a_hostile_stick_plugged_in_while_running_is_refused() {
    let (tmp, dir) = provisioned();
    let stick = SimUsbStick::new(tmp.path()).unwrap();
    let (mut kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    stick.unplug().unwrap();
    kiosk
        .hardware(HardwareEvent::UsbUnplugged, at("05:41"))
        .unwrap();
    stick
        .plug_hostile(&HostileStick::FileLink(dir.journal().primary))
        .unwrap();
    let primary = std::fs::read(dir.journal().primary).unwrap();
    assert!(
        kiosk
            .hardware(HardwareEvent::UsbPlugged, at("05:42"))
            .unwrap()
            .is_none()
    );
    assert_eq!(std::fs::read(dir.journal().primary).unwrap(), primary);
    assert!(matches!(
        kiosk.blocking_alarm(),
        Some(Alarm::MirrorRefused { .. })
    ));
    // The chair replaces it with an empty stick: everything is copied, the alarm goes.
    stick.unplug().unwrap();
    kiosk
        .hardware(HardwareEvent::UsbUnplugged, at("05:43"))
        .unwrap();
    stick.plug_new().unwrap();
    kiosk
        .hardware(HardwareEvent::UsbPlugged, at("05:44"))
        .unwrap()
        .unwrap();
    assert!(kiosk.alarms().is_empty(), "{:?}", kiosk.alarms());
    assert_eq!(
        std::fs::read(dir.journal().primary).unwrap(),
        std::fs::read(dir.journal().mirror).unwrap()
    );
}

/// A hard link to the primary on the "stick" is the primary itself; and on the Pi the mirror on
/// the SD card's own file system is not a stick at all.
#[test]
fn the_primary_itself_or_the_same_device_is_refused_as_the_mirror() {
    let (_tmp, dir) = provisioned();
    let (kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    drop(kiosk);
    let paths = dir.journal();
    std::fs::remove_file(&paths.mirror).unwrap();
    std::fs::hard_link(&paths.primary, &paths.mirror).unwrap();
    let (kiosk, _) = Kiosk::start(&dir, at("05:50")).unwrap();
    assert!(kiosk.alarms().contains(&Alarm::MirrorRefused {
        detail: MirrorProblem::IsThePrimary.describe().en
    }));
    drop(kiosk);
    // One start record each time, never twice (as a link to the primary once made it).
    let records = parse_strict(&std::fs::read(&paths.primary).unwrap()).unwrap();
    let kinds: Vec<_> = records.iter().map(|r| r.record.body.kind_name()).collect();
    assert_eq!(kinds, ["genesis", "started", "started"]);

    std::fs::remove_file(&paths.mirror).unwrap();
    let pi = DataDir {
        election_device: true,
        ..dir.clone()
    };
    let (kiosk, _) = Kiosk::start(&pi, at("06:00")).unwrap();
    assert!(kiosk.alarms().contains(&Alarm::MirrorRefused {
        detail: MirrorProblem::SameDevice.describe().en
    }));
    assert!(
        !paths.mirror.exists(),
        "nothing created on the refused medium"
    );
}

/// Outside the simulator a day is not begun with a development certificate, nor with one not
/// valid at that time (issue 9, finding 5); nothing is written, and the message says to call
/// the technician in both languages. The simulator keeps its development authority.
#[test]
fn a_real_kiosk_refuses_to_begin_a_day_with_a_development_or_expired_certificate() {
    let (_tmp, dir) = provisioned();
    let real = DataDir {
        election_device: true,
        ..dir.clone()
    };
    let err = Kiosk::start(&real, at("05:40")).unwrap_err();
    assert!(
        matches!(
            err,
            StartError::Certificate(CertificateRefusal::Development)
        ),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(
        shown.contains("Hubungi teknisi") && shown.contains("Call a technician"),
        "{shown}"
    );
    assert_eq!(records_in(&real), 0, "no genesis written");

    // A certificate that is not a development one, but expired (issued for 2023).
    let authority = SigningKey::from_bytes(&[5; 32]);
    let device = SigningKey::from_bytes(&[6; 32]);
    write_identity(
        &real,
        &authority,
        &device,
        false,
        (1_672_531_200_000, 1_704_067_199_000),
    );
    let err = Kiosk::start(&real, at("05:40")).unwrap_err();
    assert!(
        matches!(
            err,
            StartError::Certificate(CertificateRefusal::NotValidNow { .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("tidak berlaku"), "{err}");
    assert_eq!(records_in(&real), 0, "no genesis written");

    // Valid now and not development: the day begins.
    write_identity(
        &real,
        &authority,
        &device,
        false,
        (1_704_067_200_000, 1_767_139_200_000),
    );
    let (kiosk, _) = Kiosk::start(&real, at("05:40")).unwrap();
    assert_eq!(kiosk.records(), 2);
    // And the simulator's development identity still begins a day.
    let (_tmp2, sim) = provisioned();
    assert!(Kiosk::start(&sim, at("05:40")).is_ok());
}

/// How many records the primary journal holds (none when it does not exist).
fn records_in(dir: &DataDir) -> usize {
    std::fs::read(dir.journal().primary).map_or(0, |b| parse_strict(&b).unwrap().len())
}

/// Replaces the identity in `dir` with `authority`'s certificate for `device`.
fn write_identity(
    dir: &DataDir,
    authority: &SigningKey,
    device: &SigningKey,
    development: bool,
    (from, to): (i64, i64),
) {
    use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate};
    use tps_firmware::identity::keyfile::{KeyKind, KeyText, write_key};
    use tps_firmware::identity::package::ElectionPackage;
    for f in [
        dir.authority_pub(),
        dir.device_key(),
        dir.certificate(),
        dir.package(),
    ] {
        let _ = std::fs::remove_file(f);
    }
    write_key(
        &dir.authority_pub(),
        &KeyText {
            kind: KeyKind::AuthorityPublic,
            bytes: authority.verifying_key().to_bytes(),
            comments: Vec::new(),
        },
    )
    .unwrap();
    write_key(
        &dir.device_key(),
        &KeyText {
            kind: KeyKind::DeviceSecret,
            bytes: device.to_bytes(),
            comments: Vec::new(),
        },
    )
    .unwrap();
    let request =
        CertificateRequest::read(&CertificateRequest::create("pi-0001", device).unwrap()).unwrap();
    let cert = DeviceCertificate::issue(&request, authority, from, to, development).unwrap();
    std::fs::write(dir.certificate(), cert).unwrap();
    let package = ElectionPackage::from_toml(PACKAGE)
        .unwrap()
        .for_devices(&["pi-0001"])
        .unwrap()
        .seal(authority);
    std::fs::write(dir.package(), package).unwrap();
}

/// A device key that others can read is refused at start (issue 9, finding 7).
#[test]
fn a_device_key_readable_by_others_is_refused_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, dir) = provisioned();
    for mode in [0o640, 0o604, 0o660, 0o644] {
        std::fs::set_permissions(dir.device_key(), std::fs::Permissions::from_mode(mode)).unwrap();
        let err = Kiosk::start(&dir, at("05:40")).unwrap_err();
        assert!(
            matches!(
                err,
                StartError::Identity(IdentityError::KeyNotPrivate { mode: m, .. }) if m == mode
            ),
            "{mode:o}: {err:?}"
        );
        assert!(!dir.journal().primary.exists());
    }
    std::fs::set_permissions(dir.device_key(), std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(Kiosk::start(&dir, at("05:40")).is_ok());
}
