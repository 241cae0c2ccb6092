//! Opening the journal (the kiosk's boot) streams both media frame by frame: the process's peak
//! resident memory (VmHWM, Linux) grows by far less than a hostile stick file of nearly the
//! largest size a journal can have, and stays under the 64 MiB for a long valid journal
//! on both media (what grows there is the records the kiosk keeps to replay, not the file).
//! One test in this binary, so nothing else runs beside it.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::io::Write;
use std::path::Path;

use support::{Chain, Dir, file_bytes};
use tps_domain::event::MirrorRepair;
use tps_journal::JournalError;
use tps_journal::read::MAX_JOURNAL_FILE;
use tps_journal::record::{FrameError, MAX_FRAME};
use tps_journal::scan::Damage;
use tps_journal::store::Medium;

const MIB: u64 = 1 << 20;

/// The peak resident memory of this process so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// Writes `head`, then `fill` repeated up to `len` bytes in all, without holding the file.
fn write_filled(path: &Path, head: &[u8], fill: &[u8], len: u64) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    file.write_all(head).unwrap();
    let mut left = len - head.len() as u64;
    while left > 0 {
        let n = left.min(fill.len() as u64) as usize;
        file.write_all(&fill[..n]).unwrap();
        left -= n as u64;
    }
}

#[test]
fn opening_streams_both_media_in_bounded_memory() {
    let chain = Chain::pemilu();
    let records = chain.records(3);
    let good = file_bytes(&records);
    let near = MAX_JOURNAL_FILE - 4096;

    // A piece of exactly MAX_FRAME + 1 bytes before a valid frame: damage named by its length,
    // counted without being kept; nothing changed.
    let dir = Dir::new();
    std::fs::write(&dir.paths.primary, &good).unwrap();
    let mut hostile = file_bytes(&records[..1]);
    hostile.extend(std::iter::repeat_n(1u8, MAX_FRAME + 1));
    hostile.push(0);
    hostile.extend_from_slice(&records[1].frame());
    std::fs::write(&dir.paths.mirror, &hostile).unwrap();
    let before = dir.snapshot();
    match chain.open(&dir.paths) {
        Err(JournalError::Damaged { medium, at }) => {
            assert_eq!(medium, Medium::Mirror);
            assert_eq!(at.seq, 1);
            assert_eq!(
                at.damage,
                Damage::Frame(FrameError::TooLarge {
                    len: MAX_FRAME + 1,
                    max: MAX_FRAME
                })
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(dir.snapshot(), before);
    drop(dir);

    // A warm-up on a small stick of zeros (1 MiB): whatever the first run of this code costs once
    // (allocator arenas; under qemu-user, which CI uses for aarch64, its translated code, which
    // counts in this process's memory) is paid here, so the measures below see only what grows
    // with the file. Had the file been read whole, they would still grow by the 88 MiB.
    let dir = Dir::new();
    std::fs::write(&dir.paths.primary, &good).unwrap();
    write_filled(&dir.paths.mirror, b"TPSJRNL1", &[0; 1 << 16], MIB);
    let warm = chain.open(&dir.paths).unwrap();
    assert_eq!(warm.recovery.mirror_quarantined, MIB - 8);
    drop(warm);
    drop(dir);

    // The stick: the magic and zeros, nearly the largest a journal can be. A torn tail:
    // quarantined from the file, and the mirror rebuilt from the primary.
    let dir = Dir::new();
    std::fs::write(&dir.paths.primary, &good).unwrap();
    write_filled(&dir.paths.mirror, b"TPSJRNL1", &[0; 1 << 16], near);
    let start = peak_rss();
    let opened = chain.open(&dir.paths).unwrap();
    let zeros = peak_rss().saturating_sub(start);
    assert_eq!(opened.recovery.mirror_quarantined, near - 8);
    assert_eq!(
        opened.recovery.mirror_repair,
        MirrorRepair::CopiedToMirror { records: 3 }
    );
    assert_eq!(opened.records, records);
    let quarantine = &opened.quarantined[0];
    assert_eq!(std::fs::metadata(quarantine).unwrap().len(), near - 8);
    assert_eq!(std::fs::read(&dir.paths.mirror).unwrap(), good);
    drop(opened);
    drop(dir);

    // The stick: a valid record repeated to nearly the largest size: damage (the record again
    // where the next was expected) before valid frames, so nothing is changed.
    let dir = Dir::new();
    std::fs::write(&dir.paths.primary, &good).unwrap();
    write_filled(&dir.paths.mirror, &good, &records[2].frame(), near);
    let start = peak_rss();
    let result = chain.open(&dir.paths);
    let repeated = peak_rss().saturating_sub(start);
    match result {
        Err(JournalError::Damaged { medium, at }) => {
            assert_eq!(medium, Medium::Mirror);
            assert_eq!(at.seq, 3);
            assert!(matches!(at.damage, Damage::SequenceRepeat { .. }), "{at}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(&dir.paths.primary).unwrap(), good);
    assert_eq!(std::fs::metadata(&dir.paths.mirror).unwrap().len(), near);
    drop(dir);

    // A long valid journal on both media, the stick one record ahead (so every record of it is
    // verified before that one is copied).
    let n = 20_000;
    let long = chain.records(n);
    let dir = Dir::new();
    let bytes = file_bytes(&long);
    std::fs::write(&dir.paths.mirror, &bytes).unwrap();
    std::fs::write(&dir.paths.primary, file_bytes(&long[..long.len() - 1])).unwrap();
    let file = bytes.len() as u64;
    drop(bytes);
    let start = peak_rss();
    let opened = chain.open(&dir.paths).unwrap();
    let valid = peak_rss().saturating_sub(start);
    assert_eq!(
        opened.recovery.mirror_repair,
        MirrorRepair::CopiedToPrimary { records: 1 }
    );
    assert_eq!(opened.records.len(), n as usize);
    drop(opened);

    println!(
        "peak memory growth: zeros stick +{} KiB and repeated-record stick +{} KiB on {} MiB \
         files; a valid journal of {n} records on both media +{} KiB ({} KiB each file)",
        zeros / 1024,
        repeated / 1024,
        near / MIB,
        valid / 1024,
        file / 1024
    );
    assert!(zeros < 4 * MIB, "zeros: +{zeros} bytes");
    assert!(repeated < 4 * MIB, "repeated: +{repeated} bytes");
    assert!(valid < 64 * MIB, "valid: +{valid} bytes");
}
