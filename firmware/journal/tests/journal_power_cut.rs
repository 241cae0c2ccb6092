//! Power cut at every byte: opening recovers exactly the complete records, quarantines the rest
//! byte for byte, and the journal verifies and takes the next record.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::path::{Path, PathBuf};

use support::{Chain, Dir, body, stamp};
use tps_domain::event::{MirrorRepair, RecordBody};
use tps_journal::record::{MAGIC, SignedRecord};
use tps_journal::{Journal, JournalError, Opened};

/// A complete journal of six records, written through the store, and where its frames end.
struct Written {
    chain: Chain,
    records: Vec<SignedRecord>,
    bytes: Vec<u8>,
    /// File offsets at which a record ends, the magic's end first.
    boundaries: Vec<usize>,
}

impl Written {
    fn new() -> Self {
        let chain = Chain::pemilu();
        let dir = Dir::new();
        let records = chain.write(&dir.paths, 6);
        let bytes = std::fs::read(&dir.paths.primary).unwrap();
        let mut boundaries = vec![MAGIC.len()];
        boundaries.extend(support::frame_ends(&records));
        Self {
            chain,
            records,
            bytes,
            boundaries,
        }
    }

    /// The end of the last complete record in the first `len` bytes (0 inside the magic).
    fn good(&self, len: usize) -> usize {
        self.boundaries
            .iter()
            .copied()
            .filter(|&b| b <= len)
            .max()
            .unwrap_or(0)
    }

    /// The first record boundary at or after `len`.
    fn next_boundary(&self, len: usize) -> usize {
        self.boundaries
            .iter()
            .copied()
            .find(|&b| b >= len)
            .unwrap_or(self.bytes.len())
    }

    /// Complete records in the first `len` bytes.
    fn complete(&self, len: usize) -> usize {
        self.boundaries[1..].iter().filter(|&&b| b <= len).count()
    }

    fn open(&self, dir: &Dir) -> Opened {
        self.chain
            .open(&dir.paths)
            .unwrap_or_else(|e| panic!("open failed: {e}"))
    }

    /// The record after `n`, as the store would append it.
    fn append_next(&self, journal: &mut Journal, n: usize) -> Result<SignedRecord, JournalError> {
        journal.append(stamp(self.chain.base, n as u64), self.chain.body(n as u64))
    }

    /// Appends the record after `n` and checks that both media verify with `n + 1` records.
    fn append_and_verify(&self, dir: &Dir, journal: &mut Journal, n: usize) {
        let appended = self.append_next(journal, n).unwrap();
        assert_eq!(appended.record.seq, n as u64);
        let primary = std::fs::read(&dir.paths.primary).unwrap();
        assert_eq!(primary, std::fs::read(&dir.paths.mirror).unwrap());
        let report = self.chain.verify(&primary).unwrap();
        assert_eq!(report.records, n as u64 + 1);
    }

    /// A cut at `len` of `medium` (good to `good`) left its torn bytes in the medium's first
    /// quarantine file, and opening named that file; a cut between records quarantined nothing.
    fn assert_quarantined(&self, opened: &Opened, medium: &Path, good: usize, len: usize) {
        let q = quarantine(medium, 1);
        if len > good {
            assert_eq!(opened.quarantined, vec![q.clone()]);
            assert_eq!(std::fs::read(&q).unwrap(), &self.bytes[good..len]);
        } else {
            assert!(opened.quarantined.is_empty());
            assert!(!q.exists());
        }
    }
}

/// Both media hold exactly `kept`.
fn assert_both_hold(dir: &Dir, kept: &[u8]) {
    assert_eq!(std::fs::read(&dir.paths.primary).unwrap(), kept);
    assert_eq!(std::fs::read(&dir.paths.mirror).unwrap(), kept);
}

fn quarantine(path: &Path, n: u32) -> PathBuf {
    let name = path.file_name().unwrap().to_string_lossy();
    path.with_file_name(format!("{name}.quarantine-{n}"))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_cut_while_writing_the_primary() {
    // The primary is written first: when it is cut, the mirror holds the records before.
    let w = Written::new();
    for len in 0..=w.bytes.len() {
        let dir = Dir::new();
        let good = w.good(len);
        let n = w.complete(len);
        write(&dir.paths.primary, &w.bytes[..len]);
        if len >= MAGIC.len() {
            write(&dir.paths.mirror, &w.bytes[..good]);
        }
        let opened = w.open(&dir);
        assert_eq!(opened.records, w.records[..n], "cut at {len}");
        assert_eq!(opened.recovery.primary_quarantined, (len - good) as u64);
        assert_eq!(opened.recovery.mirror_quarantined, 0);
        assert_eq!(opened.recovery.mirror_repair, MirrorRepair::None);
        w.assert_quarantined(&opened, &dir.paths.primary, good, len);
        assert_both_hold(&dir, &w.bytes[..good.max(MAGIC.len())]);
        let mut journal = opened.journal;
        w.append_and_verify(&dir, &mut journal, n);
    }
}

#[test]
fn a_cut_while_writing_the_mirror() {
    // The record is complete on the primary and cut on the mirror.
    let w = Written::new();
    for len in 0..=w.bytes.len() {
        let dir = Dir::new();
        let good = w.good(len);
        let primary_len = w.next_boundary(len);
        let n = w.complete(primary_len);
        write(&dir.paths.primary, &w.bytes[..primary_len]);
        write(&dir.paths.mirror, &w.bytes[..len]);
        let opened = w.open(&dir);
        assert_eq!(opened.records, w.records[..n], "cut at {len}");
        assert_eq!(opened.recovery.primary_quarantined, 0);
        assert_eq!(opened.recovery.mirror_quarantined, (len - good) as u64);
        let copied = (n - w.complete(len)) as u64;
        let expected_repair = match (copied, good) {
            (0, _) => MirrorRepair::None,
            (records, 0) => MirrorRepair::MirrorCreated { records },
            (records, _) => MirrorRepair::CopiedToMirror { records },
        };
        assert_eq!(
            opened.recovery.mirror_repair, expected_repair,
            "cut at {len}"
        );
        w.assert_quarantined(&opened, &dir.paths.mirror, good, len);
        assert_both_hold(&dir, &w.bytes[..primary_len]);
        let mut journal = opened.journal;
        w.append_and_verify(&dir, &mut journal, n);
    }
}

#[test]
fn both_media_cut_at_the_same_byte() {
    let w = Written::new();
    for len in 0..=w.bytes.len() {
        let dir = Dir::new();
        let good = w.good(len);
        let n = w.complete(len);
        write(&dir.paths.primary, &w.bytes[..len]);
        write(&dir.paths.mirror, &w.bytes[..len]);
        let opened = w.open(&dir);
        assert_eq!(opened.records, w.records[..n], "cut at {len}");
        assert_eq!(opened.recovery.primary_quarantined, (len - good) as u64);
        assert_eq!(opened.recovery.mirror_quarantined, (len - good) as u64);
        if len > good {
            for path in [&dir.paths.primary, &dir.paths.mirror] {
                let q = quarantine(path, 1);
                assert!(opened.quarantined.contains(&q));
                assert_eq!(std::fs::read(&q).unwrap(), &w.bytes[good..len]);
            }
        }
        let mut journal = opened.journal;
        w.append_and_verify(&dir, &mut journal, n);
    }
}

#[test]
fn a_cut_with_the_usb_stick_out_then_restored() {
    let w = Written::new();
    for len in 0..=w.bytes.len() {
        let dir = Dir::new();
        std::fs::remove_dir(dir.usb()).unwrap();
        let good = w.good(len);
        let n = w.complete(len);
        write(&dir.paths.primary, &w.bytes[..len]);
        let opened = w.open(&dir);
        assert_eq!(opened.records, w.records[..n], "cut at {len}");
        if len > good {
            let q = quarantine(&dir.paths.primary, 1);
            assert_eq!(std::fs::read(&q).unwrap(), &w.bytes[good..len]);
        }
        let mut journal = opened.journal;
        assert!(!journal.mirror_present());
        let before = dir.snapshot();
        assert!(matches!(
            w.append_next(&mut journal, n),
            Err(JournalError::MirrorMissing)
        ));
        assert_eq!(dir.snapshot(), before, "a refused append writes nothing");
        std::fs::create_dir(dir.usb()).unwrap();
        assert_eq!(journal.restore_mirror().unwrap(), n as u64);
        w.append_and_verify(&dir, &mut journal, n);
    }
}

#[test]
fn a_second_cut_gets_its_own_quarantine_file() {
    let w = Written::new();
    let dir = Dir::new();
    let ends = &w.boundaries;
    let first_cut = ends[3] + 10;
    write(&dir.paths.primary, &w.bytes[..first_cut]);
    write(&dir.paths.mirror, &w.bytes[..ends[3]]);
    let opened = w.open(&dir);
    assert_eq!(opened.records.len(), 3);
    drop(opened);
    // Power comes back, record 3 is written again in full, and the next one is cut.
    let mut journal = w.open(&dir).journal;
    let rec = journal.append(stamp(w.chain.base, 3), body(3)).unwrap();
    assert_eq!(rec, w.records[3]);
    let mut torn = std::fs::read(&dir.paths.primary).unwrap();
    torn.extend_from_slice(&w.bytes[ends[4]..ends[4] + 7]);
    drop(journal);
    write(&dir.paths.primary, &torn);
    let opened = w.open(&dir);
    assert_eq!(opened.records, w.records[..4]);
    let q1 = quarantine(&dir.paths.primary, 1);
    let q2 = quarantine(&dir.paths.primary, 2);
    assert_eq!(opened.quarantined, vec![q2.clone()]);
    assert_eq!(std::fs::read(&q1).unwrap(), &w.bytes[ends[3]..first_cut]);
    assert_eq!(std::fs::read(&q2).unwrap(), &w.bytes[ends[4]..ends[4] + 7]);
    assert!(matches!(
        opened.records[0].record.body,
        RecordBody::Genesis(_)
    ));
}
