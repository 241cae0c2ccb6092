//! Opening a journal: damage before the tail stops everything and changes nothing; primary and
//! mirror are brought level when one is a prefix of the other, and never when they differ.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use support::{Chain, Dir, body, file_bytes, frame_ends, next_record, record_at, stamp};
use tps_domain::event::MirrorRepair;
use tps_journal::scan::Damage;
use tps_journal::store::Medium;
use tps_journal::verify::Problem;
use tps_journal::{JournalError, Untrusted};

#[test]
fn damage_before_the_tail_stops_open_and_changes_nothing() {
    let chain = Chain::pemilu();
    let records = chain.records(6);
    let original = file_bytes(&records);
    let ends = frame_ends(&records);
    // Up to, not including, the delimiter before the last record: damage there merges the last
    // two frames into one bad tail, which is indistinguishable from a cut write.
    let middle = ends[4] - 1;
    for offset in 0..middle {
        let expected = record_at(&ends, offset);
        let mut damaged = original.clone();
        damaged[offset] ^= 1 << (offset % 8);
        for medium in [Medium::Primary, Medium::Mirror] {
            let dir = Dir::new();
            let (primary, mirror) = match medium {
                Medium::Primary => (&damaged, &original),
                Medium::Mirror => (&original, &damaged),
            };
            std::fs::write(&dir.paths.primary, primary).unwrap();
            std::fs::write(&dir.paths.mirror, mirror).unwrap();
            let before = dir.snapshot();
            match chain.open(&dir.paths) {
                Err(JournalError::Damaged { medium: m, at }) => {
                    assert_eq!(m, medium);
                    assert_eq!(at.seq, expected, "byte {offset}: {at}");
                    if offset < 8 {
                        assert_eq!(at.damage, Damage::NotAJournal);
                    }
                }
                other => panic!("byte {offset} of the {medium}: {other:?}"),
            }
            assert_eq!(dir.snapshot(), before, "byte {offset} of the {medium}");
        }
    }
}

#[test]
fn a_damaged_last_record_is_quarantined_and_restored_from_the_mirror() {
    let chain = Chain::pemilu();
    let records = chain.records(6);
    let original = file_bytes(&records);
    let ends = frame_ends(&records);
    let mut damaged = original.clone();
    damaged[ends[4] + 5] ^= 0x10;
    let dir = Dir::new();
    std::fs::write(&dir.paths.primary, &damaged).unwrap();
    std::fs::write(&dir.paths.mirror, &original).unwrap();
    let opened = chain.open(&dir.paths).unwrap();
    assert_eq!(opened.records, records);
    assert_eq!(
        opened.recovery.mirror_repair,
        MirrorRepair::CopiedToPrimary { records: 1 }
    );
    let q = dir.dir.path().join("journal.tpsj.quarantine-1");
    assert_eq!(std::fs::read(q).unwrap(), &damaged[ends[4]..]);
    assert_eq!(std::fs::read(&dir.paths.primary).unwrap(), original);
}

#[test]
fn a_mirror_behind_the_primary_is_brought_level() {
    let chain = Chain::pemilu();
    let records = chain.records(6);
    for behind in 0..=6 {
        let dir = Dir::new();
        std::fs::write(&dir.paths.primary, file_bytes(&records)).unwrap();
        std::fs::write(&dir.paths.mirror, file_bytes(&records[..6 - behind])).unwrap();
        let opened = chain.open(&dir.paths).unwrap();
        let expected = if behind == 0 {
            MirrorRepair::None
        } else {
            MirrorRepair::CopiedToMirror {
                records: behind as u64,
            }
        };
        assert_eq!(opened.recovery.mirror_repair, expected);
        assert_eq!(opened.records, records);
        assert_eq!(
            std::fs::read(&dir.paths.mirror).unwrap(),
            file_bytes(&records)
        );
    }
}

#[test]
fn a_primary_behind_the_mirror_is_brought_level() {
    let chain = Chain::pemilu();
    let records = chain.records(6);
    for behind in 1..=6 {
        let dir = Dir::new();
        std::fs::write(&dir.paths.primary, file_bytes(&records[..6 - behind])).unwrap();
        std::fs::write(&dir.paths.mirror, file_bytes(&records)).unwrap();
        let opened = chain.open(&dir.paths).unwrap();
        assert_eq!(
            opened.recovery.mirror_repair,
            MirrorRepair::CopiedToPrimary {
                records: behind as u64
            }
        );
        assert_eq!(opened.records, records);
        assert_eq!(
            std::fs::read(&dir.paths.primary).unwrap(),
            file_bytes(&records)
        );
        // And the journal goes on from the newest record.
        let mut journal = opened.journal;
        let next = journal.append(stamp(chain.base, 6), body(6)).unwrap();
        assert_eq!(next.record.seq, 6);
    }
    // A missing primary file is created from the mirror.
    let dir = Dir::new();
    std::fs::write(&dir.paths.mirror, file_bytes(&records)).unwrap();
    let opened = chain.open(&dir.paths).unwrap();
    assert_eq!(opened.records, records);
    assert_eq!(
        std::fs::read(&dir.paths.primary).unwrap(),
        file_bytes(&records)
    );
}

#[test]
fn diverged_media_stop_open_and_change_nothing() {
    let chain = Chain::pemilu();
    let common = chain.records(3);
    let mut ours = common.clone();
    let mut theirs = common.clone();
    for i in 3..6 {
        ours.push(next_record(
            ours.last(),
            stamp(chain.base, i),
            body(i),
            &chain.device,
        ));
        // The same seq and time, another body: a fork.
        theirs.push(next_record(
            theirs.last(),
            stamp(chain.base, i),
            body(i + 1),
            &chain.device,
        ));
    }
    for (primary, mirror) in [
        (&ours[..], &theirs[..]),
        (&ours[..], &theirs[..4]),
        (&ours[..4], &theirs[..]),
    ] {
        let dir = Dir::new();
        std::fs::write(&dir.paths.primary, file_bytes(primary)).unwrap();
        std::fs::write(&dir.paths.mirror, file_bytes(mirror)).unwrap();
        // Even with a torn tail on the primary, nothing is repaired before the fork is seen.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&dir.paths.primary)
            .unwrap();
        std::io::Write::write_all(&mut f, &[9, 9, 9]).unwrap();
        drop(f);
        let before = dir.snapshot();
        assert!(matches!(
            chain.open(&dir.paths),
            Err(JournalError::Diverged { seq: 3 })
        ));
        assert_eq!(dir.snapshot(), before);
    }
}

#[test]
fn without_the_usb_stick_the_journal_opens_but_records_nothing() {
    let chain = Chain::pemilu();
    let dir = Dir::new();
    chain.write(&dir.paths, 4);
    std::fs::remove_file(&dir.paths.mirror).unwrap();
    std::fs::remove_dir(dir.usb()).unwrap();
    let opened = chain.open(&dir.paths).unwrap();
    assert_eq!(opened.records.len(), 4);
    let mut journal = opened.journal;
    assert!(!journal.mirror_present());
    let before = dir.snapshot();
    assert!(matches!(
        journal.append(stamp(chain.base, 4), body(4)),
        Err(JournalError::MirrorMissing)
    ));
    assert_eq!(dir.snapshot(), before);
    // Restoring before the stick is back fails and still writes nothing.
    assert!(matches!(
        journal.restore_mirror(),
        Err(JournalError::MirrorMissing)
    ));
    std::fs::create_dir(dir.usb()).unwrap();
    assert_eq!(journal.restore_mirror().unwrap(), 4);
    assert_eq!(
        std::fs::read(&dir.paths.mirror).unwrap(),
        std::fs::read(&dir.paths.primary).unwrap()
    );
    journal.append(stamp(chain.base, 4), body(4)).unwrap();
    let report = chain
        .verify(&std::fs::read(&dir.paths.mirror).unwrap())
        .unwrap();
    assert_eq!(report.records, 5);
}

#[test]
fn the_usb_stick_pulled_while_running() {
    let chain = Chain::pemilu();
    let dir = Dir::new();
    let mut journal = chain.open(&dir.paths).unwrap().journal;
    journal
        .append(stamp(chain.base, 0), chain.genesis())
        .unwrap();
    journal.append(stamp(chain.base, 1), body(1)).unwrap();
    std::fs::remove_dir_all(dir.usb()).unwrap();
    let before = dir.snapshot();
    assert!(matches!(
        journal.append(stamp(chain.base, 2), body(2)),
        Err(JournalError::MirrorMissing)
    ));
    assert_eq!(dir.snapshot(), before, "nothing reaches the primary alone");
    // A stick with an older copy of this journal is brought level.
    std::fs::create_dir(dir.usb()).unwrap();
    std::fs::write(&dir.paths.mirror, chain.bytes(1)).unwrap();
    assert_eq!(journal.restore_mirror().unwrap(), 1);
    journal.append(stamp(chain.base, 2), body(2)).unwrap();
    assert_eq!(
        std::fs::read(&dir.paths.mirror).unwrap(),
        chain.bytes(3),
        "the store writes exactly what the fixtures frame"
    );
    // A stick holding another journal is refused, and left as it is.
    let other = Chain::new(1, 8, support::JAKARTA, chain.base);
    std::fs::write(&dir.paths.mirror, other.bytes(2)).unwrap();
    assert!(matches!(
        journal.restore_mirror(),
        Err(JournalError::Diverged { seq: 0 })
    ));
    assert_eq!(std::fs::read(&dir.paths.mirror).unwrap(), other.bytes(2));
}

/// A copy holding the device's records plus one with a valid chain but a signature of another
/// key (issue 9, finding 1): nothing is copied from it, neither medium changes, and the error
/// names the medium and the first bad record.
#[test]
fn a_longer_copy_with_a_forged_record_is_never_copied() {
    let chain = Chain::pemilu();
    let real = chain.records(4);
    let mut forged = real.clone();
    forged.push(next_record(
        forged.last(),
        stamp(chain.base, 4),
        body(4),
        &support::key(99),
    ));
    forged.push(next_record(
        forged.last(),
        stamp(chain.base, 5),
        body(5),
        &support::key(99),
    ));
    for medium in [Medium::Mirror, Medium::Primary] {
        for shorter in [&real[..], &real[..2], &[][..]] {
            let dir = Dir::new();
            let (primary, mirror) = match medium {
                Medium::Mirror => (shorter, &forged[..]),
                Medium::Primary => (&forged[..], shorter),
            };
            std::fs::write(&dir.paths.primary, file_bytes(primary)).unwrap();
            std::fs::write(&dir.paths.mirror, file_bytes(mirror)).unwrap();
            let before = dir.snapshot();
            match chain.open(&dir.paths) {
                Err(e @ JournalError::NotThisDevice { medium: m, .. }) => {
                    assert_eq!(m, medium);
                    let JournalError::NotThisDevice {
                        reason: Untrusted::Verify(v),
                        ..
                    } = &e
                    else {
                        panic!("{e:?}");
                    };
                    assert_eq!(v.seq, 4);
                    assert_eq!(v.problem, Problem::BadSignature);
                    assert!(e.to_string().contains("record 4"), "{e}");
                }
                other => panic!("forged {medium}: {other:?}"),
            }
            assert_eq!(dir.snapshot(), before, "forged {medium}");
        }
    }
}

/// A stick holding another device's journal (same authority, same package) is not copied onto
/// an empty SD card: it is not this device's.
#[test]
fn another_devices_journal_on_the_stick_is_never_copied() {
    let ours = Chain::pemilu();
    let theirs = Chain::new(1, 7, support::JAKARTA, support::PEMILU_MORNING);
    let dir = Dir::new();
    std::fs::write(&dir.paths.mirror, theirs.bytes(5)).unwrap();
    let before = dir.snapshot();
    assert!(matches!(
        ours.open(&dir.paths),
        Err(JournalError::NotThisDevice {
            medium: Medium::Mirror,
            reason: Untrusted::OtherDevice | Untrusted::Verify(_)
        })
    ));
    assert_eq!(dir.snapshot(), before);
}
