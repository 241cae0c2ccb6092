//! Reading a hostile journal costs memory bounded by the largest frame, never by the file: the
//! process's peak resident memory (VmHWM, Linux) is measured around the streaming reader, on a
//! file just under the largest a day can hold. One test in this binary, so nothing else runs
//! beside it.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::io::Write;

use support::Chain;
use tps_journal::identity::file::{OpenError, open_regular};
use tps_journal::read::{MAX_JOURNAL_FILE, read_prefix};
use tps_journal::scan::Damage;
use tps_journal::verify::Problem;

/// The peak resident memory of this process so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

const MIB: u64 = 1 << 20;

#[test]
fn a_huge_hostile_file_is_streamed_in_bounded_memory_and_an_oversized_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Three good records, then 80 MiB with no delimiter: one endless "frame".
    let path = dir.path().join("journal.tpsj");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(&Chain::pemilu().bytes(3)).unwrap();
    let chunk = vec![1u8; MIB as usize];
    for _ in 0..80 {
        file.write_all(&chunk).unwrap();
    }
    drop(file);
    drop(chunk);
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(len < MAX_JOURNAL_FILE);

    let before = peak_rss();
    let (records, damage) = read_prefix(open_regular(&path, MAX_JOURNAL_FILE).unwrap()).unwrap();
    let streamed = peak_rss().saturating_sub(before);
    assert_eq!(records.len(), 3);
    let damage = damage.unwrap();
    assert_eq!(damage.seq, 3);
    assert!(matches!(
        damage.problem,
        Problem::Structure(Damage::TornTail { bytes }) if bytes as u64 == 80 * MIB
    ));
    // The measure is sensitive: reading the whole file raises the peak by its size.
    let whole = std::fs::read(&path).unwrap();
    let read_whole = peak_rss().saturating_sub(before);
    assert_eq!(whole.len() as u64, len);
    drop(whole);
    println!(
        "peak memory: streaming reader +{} KiB, whole-file read +{} KiB, on a {} MiB file",
        streamed / 1024,
        read_whole / 1024,
        len / MIB
    );
    assert!(
        streamed < 4 * MIB,
        "streaming raised the peak by {streamed} bytes"
    );
    assert!(
        read_whole >= 64 * MIB,
        "the measure saw only {read_whole} bytes"
    );

    // The magic and zeros, a mebibyte over the largest journal (sparse: nothing is written):
    // refused before it is read.
    let huge = dir.path().join("huge.tpsj");
    let mut file = std::fs::File::create(&huge).unwrap();
    file.write_all(b"TPSJRNL1").unwrap();
    let too_large = MAX_JOURNAL_FILE + MIB;
    file.set_len(too_large).unwrap();
    drop(file);
    assert!(matches!(
        open_regular(&huge, MAX_JOURNAL_FILE),
        Err(OpenError::TooLarge { len, max }) if len == too_large && max == MAX_JOURNAL_FILE
    ));
}
