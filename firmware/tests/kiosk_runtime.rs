//! The kiosk at run time: start, commands made durable, restart resumes, alarms for a missing
//! mirror or an open lid, nothing lost.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod kiosk_support;

use kiosk_support::{at, provisioned};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tps_firmware::drivers::storage::{MirrorStatus, Storage, StorageStatus};
use tps_firmware::event::RecordBody;
use tps_firmware::journal::store::{Medium, WriteGate};
use tps_firmware::journal::verify;
use tps_firmware::kiosk::{Alarm, DataDir, HardwareEvent, Kiosk, KioskError, Outcome};
use tps_firmware::procedure::people::Role;
use tps_firmware::procedure::pin::{Pin, PinKey};
use tps_firmware::procedure::{Command, Refusal};

fn register_chair() -> Command {
    Command::Register {
        role: Role::Kpps(1),
        name: "Ibu Ketua".into(),
        letter: String::new(),
        id_number: String::new(),
        pin: Pin::parse("271828").unwrap(),
        salt: [1; 16],
        chair_pin: None,
    }
}

#[test]
fn a_restart_resumes_exactly_where_the_kiosk_stopped() {
    let (_tmp, dir) = provisioned();
    let (mut kiosk, report) = Kiosk::start(&dir, at("05:40")).unwrap();
    assert_eq!(report.records, 0);
    assert!(report.development);
    // Genesis and the start record.
    assert_eq!(kiosk.records(), 2);
    let outcome = kiosk.submit(&register_chair(), at("05:41")).unwrap();
    assert!(matches!(outcome, Outcome::Done(ref r) if r.len() == 1));
    let before = kiosk.state().clone();
    drop(kiosk);

    let (kiosk, report) = Kiosk::start(&dir, at("05:50")).unwrap();
    assert_eq!(report.records, 3);
    assert_eq!(kiosk.state().people, before.people);
    assert_eq!(kiosk.state().chair().unwrap().name.as_str(), "Ibu Ketua");
    // Both files verify, and are the same.
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    let mirror = std::fs::read(&dir.journal().mirror).unwrap();
    assert_eq!(primary, mirror);
    let authority = kiosk.identity().authority;
    let package = std::fs::read(dir.package()).unwrap();
    let verified = verify(&primary, &authority, Some(&package)).unwrap();
    assert!(verified.development);
    assert_eq!(verified.records, 4);
}

#[test]
fn without_the_usb_stick_nothing_advances_and_nothing_is_lost() {
    let (_tmp, dir) = provisioned();
    let (mut kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    // Unplug: the mirror directory disappears.
    let hidden = dir.dir.join(".unplugged");
    std::fs::rename(&dir.mirror_dir, &hidden).unwrap();
    // The alarm is up once the stick is seen gone, and the pull is itself a record.
    let pulled = kiosk
        .hardware(HardwareEvent::UsbUnplugged, at("05:40"))
        .unwrap()
        .unwrap();
    assert_eq!(pulled.record.body, RecordBody::MirrorRemoved);
    assert_eq!(kiosk.blocking_alarm(), Some(&Alarm::MirrorMissing));
    let err = kiosk.submit(&register_chair(), at("05:41")).unwrap_err();
    assert!(matches!(err, KioskError::Alarm(Alarm::MirrorMissing)));
    assert!(
        kiosk.state().people.is_empty(),
        "not acknowledged, not applied"
    );
    // The lid opens meanwhile: durable on the primary at once, copied when the stick is back.
    let lid = kiosk
        .hardware(HardwareEvent::Lid { open: true }, at("05:42"))
        .unwrap()
        .unwrap();
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    assert!(primary.ends_with(&lid.frame()));
    // Plug back in: the mirror is brought level and the waiting record is made.
    std::fs::rename(&hidden, &dir.mirror_dir).unwrap();
    let restored = kiosk
        .hardware(HardwareEvent::UsbPlugged, at("05:43"))
        .unwrap()
        .unwrap();
    assert!(matches!(
        restored.record.body,
        RecordBody::MirrorRestored { .. }
    ));
    assert!(kiosk.state().lid_open);
    assert!(kiosk.alarms().contains(&Alarm::Tamper));
    // The lid alarm blocks steps until the lid is closed.
    assert!(matches!(
        kiosk.submit(&register_chair(), at("05:44")),
        Err(KioskError::Alarm(Alarm::Tamper))
    ));
    kiosk
        .hardware(HardwareEvent::Lid { open: false }, at("05:45"))
        .unwrap();
    assert!(matches!(
        kiosk.submit(&register_chair(), at("05:46")).unwrap(),
        Outcome::Done(_)
    ));
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    assert_eq!(primary, std::fs::read(&dir.journal().mirror).unwrap());
}

#[test]
fn a_clock_that_goes_back_is_refused_and_recorded() {
    let (_tmp, dir) = provisioned();
    let (mut kiosk, _) = Kiosk::start(&dir, at("06:00")).unwrap();
    kiosk.submit(&register_chair(), at("06:01")).unwrap();
    let outcome = kiosk
        .submit(
            &Command::Register {
                role: Role::Kpps(2),
                name: "Anggota".into(),
                letter: String::new(),
                id_number: String::new(),
                pin: Pin::parse("314159").unwrap(),
                salt: [2; 16],
                chair_pin: Some(Pin::parse("271828").unwrap()),
            },
            at("05:00"),
        )
        .unwrap();
    assert!(matches!(
        outcome,
        Outcome::Refused(Refusal::ClockUntrusted { .. })
    ));
    assert!(kiosk.alarms().contains(&Alarm::Clock));
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    let package = std::fs::read(dir.package()).unwrap();
    // The anomaly is in the journal and the journal still verifies.
    verify(&primary, &kiosk.identity().authority, Some(&package)).unwrap();
    assert!(kiosk.state().clock_anomaly);
}

#[test]
fn a_journal_from_another_device_is_refused_at_start() {
    let (_tmp, dir) = provisioned();
    let (mut kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    kiosk.submit(&register_chair(), at("05:41")).unwrap();
    drop(kiosk);
    let (_tmp2, other) = provisioned();
    std::fs::copy(dir.journal().primary, other.journal().primary).unwrap();
    std::fs::copy(dir.journal().mirror, other.journal().mirror).unwrap();
    let err = Kiosk::start(&other, at("05:50")).unwrap_err();
    // Signed by another authority: the certificate in its genesis is not this authority's.
    assert!(err.to_string().contains("record 0"), "{err}");
}

#[test]
fn started_without_the_usb_stick_the_start_is_recorded_once_when_it_returns() {
    let (_tmp, dir) = provisioned();
    let hidden = dir.dir.join(".unplugged");
    std::fs::rename(&dir.mirror_dir, &hidden).unwrap();
    let (mut kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    assert_eq!(kiosk.blocking_alarm(), Some(&Alarm::MirrorMissing));
    // The start is durable on the SD card at once; the stick gets it when it is back.
    assert_eq!(kiosk.records(), 2);
    std::fs::rename(&hidden, &dir.mirror_dir).unwrap();
    kiosk
        .hardware(HardwareEvent::UsbPlugged, at("05:41"))
        .unwrap();
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    let records = tps_firmware::journal::verify::parse_strict(&primary).unwrap();
    let kinds: Vec<&str> = records.iter().map(|r| r.record.body.kind_name()).collect();
    // Genesis stays record 0, the start is recorded once, then the mirror's return.
    assert_eq!(kinds, ["genesis", "started", "mirror-restored"]);
    verify(
        &primary,
        &kiosk.identity().authority,
        Some(&std::fs::read(dir.package()).unwrap()),
    )
    .unwrap();
    assert_eq!(primary, std::fs::read(&dir.journal().mirror).unwrap());
}

#[test]
fn the_journal_holds_pin_hashes_only_the_device_can_check() {
    let (_tmp, dir) = provisioned();
    let (mut kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    kiosk.submit(&register_chair(), at("05:41")).unwrap();
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    let records = verify::parse_strict(&primary).unwrap();
    let stored = records
        .iter()
        .find_map(|r| match &r.record.body {
            RecordBody::PersonRegistered { pin, .. } => Some(pin.clone()),
            _ => None,
        })
        .unwrap();
    let chair_pin = Pin::parse("271828").unwrap();
    let device = PinKey::of_device(&kiosk.identity().key.to_bytes());
    assert!(stored.matches(&chair_pin, &device));
    // Another device's kiosk, given this journal, cannot check the chair's PIN.
    let (_other_tmp, other) = provisioned();
    let other_key = tps_firmware::kiosk::files::Identity::load(&other)
        .unwrap()
        .key;
    assert!(!stored.matches(&chair_pin, &PinKey::of_device(&other_key.to_bytes())));
}

/// Reports `medium` full while the flag is set, as a full SD card or USB stick would.
struct FullMedium {
    medium: Medium,
    full: Arc<AtomicBool>,
}

impl WriteGate for FullMedium {
    fn allow(&mut self, wanted: usize) -> usize {
        wanted
    }
    fn full(&mut self, medium: Medium) -> bool {
        medium == self.medium && self.full.load(Ordering::SeqCst)
    }
}

fn start_filling(dir: &DataDir, medium: Medium) -> (Kiosk, Arc<AtomicBool>) {
    let full = Arc::new(AtomicBool::new(false));
    let gate = FullMedium {
        medium,
        full: Arc::clone(&full),
    };
    let (kiosk, _) = Kiosk::start_with(dir, at("05:40"), Some(Box::new(gate))).unwrap();
    (kiosk, full)
}

fn register_member(n: u8, pin: &str) -> Command {
    Command::Register {
        role: Role::Kpps(n),
        name: format!("Anggota {n}"),
        letter: String::new(),
        id_number: String::new(),
        pin: Pin::parse(pin).unwrap(),
        salt: [n; 16],
        chair_pin: Some(Pin::parse("271828").unwrap()),
    }
}

#[test]
fn a_full_sd_card_stops_the_kiosk_and_loses_nothing_acknowledged() {
    let (_tmp, dir) = provisioned();
    let (mut kiosk, full) = start_filling(&dir, Medium::Primary);
    kiosk.submit(&register_chair(), at("05:41")).unwrap();
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    let mirror = std::fs::read(&dir.journal().mirror).unwrap();
    let before = kiosk.state().clone();

    full.store(true, Ordering::SeqCst);
    let err = kiosk
        .submit(&register_member(2, "314159"), at("05:42"))
        .unwrap_err();
    let KioskError::Alarm(alarm @ Alarm::Storage { .. }) = err else {
        panic!("{err:?}");
    };
    assert!(
        alarm.detail().unwrap().contains("primary journal"),
        "{alarm:?}"
    );
    assert_eq!(
        alarm.instructions().id,
        "Langkah terakhir tidak tersimpan dan tidak dianggap selesai. Hubungi teknisi melalui PPS."
    );
    // Not saved, not applied, nothing on either medium changed; and no further step is taken.
    assert_eq!(kiosk.state(), &before);
    assert_eq!(std::fs::read(&dir.journal().primary).unwrap(), primary);
    assert_eq!(std::fs::read(&dir.journal().mirror).unwrap(), mirror);
    assert!(matches!(
        kiosk.submit(&register_member(3, "141421"), at("05:43")),
        Err(KioskError::Alarm(Alarm::Storage { .. }))
    ));

    // A technician makes room and restarts: the day resumes with every acknowledged record.
    drop(kiosk);
    let (mut kiosk, report) = Kiosk::start(&dir, at("06:10")).unwrap();
    assert_eq!(report.records, 3, "genesis, start, the chair");
    assert_eq!(kiosk.state().people.len(), 1);
    assert!(kiosk.alarms().is_empty());
    assert!(matches!(
        kiosk
            .submit(&register_member(2, "314159"), at("06:11"))
            .unwrap(),
        Outcome::Done(_)
    ));
}

#[test]
fn a_full_usb_stick_asks_for_an_empty_one_and_every_record_is_copied_onto_it() {
    let (_tmp, dir) = provisioned();
    let (mut kiosk, full) = start_filling(&dir, Medium::Mirror);
    kiosk.submit(&register_chair(), at("05:41")).unwrap();

    full.store(true, Ordering::SeqCst);
    let err = kiosk
        .submit(&register_member(2, "314159"), at("05:42"))
        .unwrap_err();
    assert!(
        matches!(err, KioskError::WaitingForMirror(Alarm::MirrorFull)),
        "{err:?}"
    );
    assert_eq!(Alarm::MirrorFull.title().en, "Backup USB stick full");
    // The record reached the SD card, so the state follows it; it waits for a second copy.
    assert_eq!(kiosk.state().people.len(), 2);
    assert_eq!(kiosk.blocking_alarm(), Some(&Alarm::MirrorFull));

    // The chair pulls the full stick and plugs in an empty one: every record is copied onto it.
    let old_stick = dir.dir.join("old-stick");
    std::fs::rename(&dir.mirror_dir, &old_stick).unwrap();
    kiosk
        .hardware(HardwareEvent::UsbUnplugged, at("05:43"))
        .unwrap();
    assert_eq!(kiosk.blocking_alarm(), Some(&Alarm::MirrorMissing));
    // The same full stick plugged back in: still full, and the screen says so.
    std::fs::rename(&old_stick, &dir.mirror_dir).unwrap();
    assert!(
        kiosk
            .hardware(HardwareEvent::UsbPlugged, at("05:43"))
            .unwrap()
            .is_none()
    );
    assert_eq!(kiosk.alarms(), &[Alarm::MirrorFull]);
    std::fs::rename(&dir.mirror_dir, &old_stick).unwrap();
    kiosk
        .hardware(HardwareEvent::UsbUnplugged, at("05:43"))
        .unwrap();
    full.store(false, Ordering::SeqCst);
    std::fs::create_dir(&dir.mirror_dir).unwrap();
    let restored = kiosk
        .hardware(HardwareEvent::UsbPlugged, at("05:44"))
        .unwrap()
        .unwrap();
    // Genesis, start, two registrations and the two pulls of the stick.
    assert!(matches!(
        restored.record.body,
        RecordBody::MirrorRestored { records_copied: 6 }
    ));
    assert!(kiosk.alarms().is_empty());
    let primary = std::fs::read(&dir.journal().primary).unwrap();
    assert_eq!(primary, std::fs::read(&dir.journal().mirror).unwrap());
    // The old stick keeps what it had, up to the record that did not fit.
    let old = std::fs::read(old_stick.join("journal.tpsj")).unwrap();
    assert!(primary.starts_with(&old) && old.len() < primary.len());
}

#[test]
fn the_self_check_catches_a_nearly_full_medium_before_the_day() {
    let (_tmp, dir) = provisioned();
    let (kiosk, _) = Kiosk::start(&dir, at("05:40")).unwrap();
    let line = |storage| {
        kiosk
            .self_check(at("05:40"), &storage)
            .into_iter()
            .find(|c| c.name.en == "Free space")
            .unwrap()
    };
    let roomy = line(Ok(StorageStatus {
        primary_free_bytes: 12_345_000_000,
        mirror: MirrorStatus::Present {
            free_bytes: 3_100_000_000,
        },
    }));
    assert!(roomy.ok);
    assert_eq!(roomy.detail.id, "SD 12,3 GB · flashdisk 3,1 GB");
    assert_eq!(roomy.detail.en, "SD 12.3 GB · USB 3.1 GB");
    assert!(roomy.action.is_none());

    // A USB stick with 20 MB left: the line fails and says what to do.
    let tight = line(Ok(StorageStatus {
        primary_free_bytes: 12_345_000_000,
        mirror: MirrorStatus::Present {
            free_bytes: 20_000_000,
        },
    }));
    assert!(!tight.ok);
    assert_eq!(tight.detail.en, "SD 12.3 GB · USB 20 MB");
    assert!(
        tight
            .action
            .unwrap()
            .id
            .starts_with("Ruang hampir habis. Sebelum hari dimulai")
    );

    // The real media under the test's directory can be looked at.
    let real = kiosk.self_check(
        at("05:40"),
        &Storage::new(&dir.dir, &dir.mirror_dir).status(),
    );
    assert!(real.iter().any(|c| c.name.id == "Sisa ruang"));
}
