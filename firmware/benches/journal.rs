//! What the journal costs.
//!
//! 1. Commit: `Journal::append` (sign, frame, append and fdatasync on primary and mirror) against
//!    writing and `sync_data`-ing the same frame bytes to the same two kinds of files with no
//!    crypto. Target: ratio at most 1.2 (the disk, not the code, sets the pace).
//! 2. Verification: records per second of `journal::verify` on a 5,000-record journal against a
//!    bare `ed25519_dalek::verify_batch` over the same messages and signatures. Target: ratio at
//!    least 0.8. And what that means for a national audit.
//!
//! Criterion prints its own figures; a summary with the ratios follows at the end. Both sides of
//! each ratio are timed by the same `iter_custom` loops criterion runs.

#[path = "../tests/support/mod.rs"]
mod support;

use std::cell::Cell;
use std::fs::{File, OpenOptions};
use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use criterion::Criterion;
use ed25519_dalek::Signature;
use support::{Chain, PEMILU_MORNING, file_bytes, next_record};
use tps_firmware::event::RecordBody;
use tps_firmware::identity::signed::{SignedKind, signed_message};
use tps_firmware::journal::JournalPaths;
use tps_firmware::journal::record::{MAGIC, Record, SignedRecord};
use tps_firmware::journal::verify::verify;
use tps_firmware::power::PowerState;
use tps_firmware::procedure::input::{StepId, StepInput};
use tps_firmware::procedure::people::PersonId;
use tps_firmware::time::{ClockStatus, Stamp};

/// Records in the verification journal.
const RECORDS: usize = 5_000;
/// The national audit: TPSs and records per TPS journal.
const NATIONAL_TPS: f64 = 820_000.0;
const RECORDS_PER_TPS: f64 = 300.0;

type Failure = Box<dyn std::error::Error>;

/// Mean time per iteration over everything criterion ran.
#[derive(Default)]
struct Totals {
    time: Cell<Duration>,
    iters: Cell<u64>,
}

impl Totals {
    fn add(&self, time: Duration, iters: u64) {
        self.time.set(self.time.get() + time);
        self.iters.set(self.iters.get() + iters);
    }

    fn mean(&self) -> Option<Duration> {
        let iters = u32::try_from(self.iters.get()).ok().filter(|&n| n > 0)?;
        Some(self.time.get() / iters)
    }
}

/// A day's mix of records (never a genesis).
fn body(i: u64) -> Result<RecordBody, Failure> {
    Ok(match i % 4 {
        0 => RecordBody::StepProposed {
            step: StepId::new("hitung-surat-suara")?,
            input: Box::new(StepInput::PollsClose { queued: 3 }),
            corrects: None,
            reason: None,
        },
        1 | 2 => RecordBody::Confirmed {
            person: PersonId((i % 11) as u16),
            proposal: i - 1,
        },
        _ => RecordBody::PowerChanged {
            state: PowerState::Mains,
        },
    })
}

fn stamp(i: u64) -> Stamp {
    Stamp {
        wall_ms: PEMILU_MORNING + i as i64 * 1_000,
        mono_ms: 1_000 + i * 1_000,
        clock: ClockStatus::Trusted,
    }
}

fn open_append(path: &Path) -> Result<File, Failure> {
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    f.write_all(MAGIC)?;
    f.sync_all()?;
    Ok(f)
}

/// Stops the benchmark with a message (a bench cannot return an error from inside criterion).
fn stop(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("journal bench: {what}: {e}");
    std::process::exit(2)
}

/// Commit timings: criterion's runs, and the alternating rounds.
struct Commit {
    appended: Totals,
    baseline: Totals,
    paired_append: Totals,
    paired_baseline: Totals,
}

/// Alternating rounds of appends and baseline writes after criterion's runs.
const PAIRED_ROUNDS: usize = 40;
const PAIRED_OPS: u64 = 50;

/// `cargo bench` passes `--bench`; `cargo test --benches` runs each benchmark once without it.
fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn bench_commit(c: &mut Criterion, t: &Chain) -> Result<Commit, Failure> {
    // A temporary directory in the system's temp dir: one filesystem for both sides.
    let dir = tempfile::tempdir()?;
    std::fs::create_dir(dir.path().join("usb"))?;
    std::fs::create_dir(dir.path().join("raw-usb"))?;
    let mut journal = t
        .open(&JournalPaths {
            primary: dir.path().join("journal.tpsj"),
            mirror: dir.path().join("usb/journal.tpsj"),
            mirror_on_own_device: false,
        })?
        .journal;
    journal.append(stamp(0), t.genesis())?;
    let template = body(1)?;

    // The same frame the journal writes for that record, without the crypto to make it.
    let frame = SignedRecord::sign(
        Record {
            seq: 1,
            prev: [0; 32],
            stamp: stamp(1),
            body: template.clone(),
        },
        &t.device,
    )
    .frame();
    let mut primary = open_append(&dir.path().join("raw.tpsj"))?;
    let mut mirror = open_append(&dir.path().join("raw-usb/raw.tpsj"))?;

    let appended = Totals::default();
    let baseline = Totals::default();
    let mut next = 1u64;
    let mut group = c.benchmark_group("commit");
    group.bench_function(
        "Journal::append (sign + frame + 2x write + fdatasync)",
        |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    if let Err(e) = journal.append(stamp(next), template.clone()) {
                        stop("append", e);
                    }
                    next += 1;
                }
                let took = start.elapsed();
                appended.add(took, iters);
                took
            })
        },
    );
    group.bench_function(
        "baseline (same frame, 2x write + sync_data, no crypto)",
        |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let done = primary
                        .write_all(black_box(&frame))
                        .and_then(|()| primary.sync_data())
                        .and_then(|()| mirror.write_all(black_box(&frame)))
                        .and_then(|()| mirror.sync_data());
                    if let Err(e) = done {
                        stop("baseline write", e);
                    }
                }
                let took = start.elapsed();
                baseline.add(took, iters);
                took
            })
        },
    );
    // What the CPU adds: signing and framing the same record, no I/O.
    let mut seq = 1u64;
    group.bench_function("sign + frame only (no I/O)", |b| {
        b.iter(|| {
            seq += 1;
            SignedRecord::sign(
                Record {
                    seq,
                    prev: [7; 32],
                    stamp: stamp(seq),
                    body: template.clone(),
                },
                &t.device,
            )
            .frame()
        })
    });
    group.finish();

    // The disk's speed drifts while other work shares it: also time the two alternately, in
    // short rounds, so both see the same conditions.
    let paired_append = Totals::default();
    let paired_baseline = Totals::default();
    if benchmarking() {
        for _ in 0..PAIRED_ROUNDS {
            let start = Instant::now();
            for _ in 0..PAIRED_OPS {
                journal.append(stamp(next), template.clone())?;
                next += 1;
            }
            paired_append.add(start.elapsed(), PAIRED_OPS);
            let start = Instant::now();
            for _ in 0..PAIRED_OPS {
                primary.write_all(&frame)?;
                primary.sync_data()?;
                mirror.write_all(&frame)?;
                mirror.sync_data()?;
            }
            paired_baseline.add(start.elapsed(), PAIRED_OPS);
        }
    }
    Ok(Commit {
        appended,
        baseline,
        paired_append,
        paired_baseline,
    })
}

/// A journal of `RECORDS` records, as bytes, and the records.
fn journal_bytes(t: &Chain) -> Result<(Vec<u8>, Vec<SignedRecord>), Failure> {
    let mut records: Vec<SignedRecord> = Vec::with_capacity(RECORDS);
    for i in 0..RECORDS as u64 {
        let body = if i == 0 { t.genesis() } else { body(i)? };
        records.push(next_record(records.last(), stamp(i), body, &t.device));
    }
    Ok((file_bytes(&records), records))
}

/// Verification timings: criterion's runs, the alternating rounds, and the journal.
struct Verification {
    ours: Totals,
    raw: Totals,
    paired_ours: Totals,
    paired_raw: Totals,
    bytes: Vec<u8>,
}

/// Alternating rounds of `verify` and raw `verify_batch` after criterion's runs.
const PAIRED_VERIFY_ROUNDS: u64 = 20;

fn bench_verify(c: &mut Criterion, t: &Chain) -> Result<Verification, Failure> {
    let (bytes, records) = journal_bytes(t)?;
    let authority = t.authority.verifying_key();
    let device = t.device.verifying_key();
    if verify(&bytes, &authority, Some(&t.package))?.records != RECORDS as u64 {
        return Err("the bench journal does not verify".into());
    }
    let messages: Vec<Vec<u8>> = records
        .iter()
        .map(|r| signed_message(SignedKind::JournalRecord, &r.bytes))
        .collect();
    let message_refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let signatures: Vec<Signature> = records
        .iter()
        .map(|r| Signature::from_bytes(&r.signature))
        .collect();
    let keys = vec![device; RECORDS];

    let ours = Totals::default();
    let raw = Totals::default();
    let mut group = c.benchmark_group("verify 5000 records");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function(
        "journal::verify (parse + chain + cert + package + batch)",
        |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    if let Err(e) = verify(black_box(&bytes), &authority, Some(&t.package)) {
                        stop("verify", e);
                    }
                }
                let took = start.elapsed();
                ours.add(took, iters);
                took
            })
        },
    );
    group.bench_function("baseline: ed25519_dalek::verify_batch, one batch", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                if let Err(e) = ed25519_dalek::verify_batch(
                    black_box(&message_refs),
                    black_box(&signatures),
                    &keys,
                ) {
                    stop("verify_batch", e);
                }
            }
            let took = start.elapsed();
            raw.add(took, iters);
            took
        })
    });
    group.finish();

    let paired_ours = Totals::default();
    let paired_raw = Totals::default();
    if benchmarking() {
        for _ in 0..PAIRED_VERIFY_ROUNDS {
            let start = Instant::now();
            verify(black_box(&bytes), &authority, Some(&t.package))?;
            paired_ours.add(start.elapsed(), 1);
            let start = Instant::now();
            ed25519_dalek::verify_batch(black_box(&message_refs), &signatures, &keys)?;
            paired_raw.add(start.elapsed(), 1);
        }
    }
    Ok(Verification {
        ours,
        raw,
        paired_ours,
        paired_raw,
        bytes,
    })
}

/// CPU seconds this process has used (all threads), from /proc (Linux; USER_HZ = 100).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after the name.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Records per second when every available core verifies journals at once, and how many cores'
/// worth of CPU time the process actually got meanwhile (other work may share the machine).
fn all_cores(bytes: &[u8], t: &Chain, seconds: u64) -> (usize, f64, Option<f64>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let authority = t.authority.verifying_key();
    let until = Instant::now() + Duration::from_secs(seconds);
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let journals: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0usize;
                    while Instant::now() < until {
                        if verify(bytes, &authority, Some(&t.package)).is_ok() {
                            n += 1;
                        }
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let secs = start.elapsed().as_secs_f64();
    let cores_used = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / secs);
    (threads, (journals * RECORDS) as f64 / secs, cores_used)
}

fn hours(records: f64, per_second: f64) -> String {
    let s = records / per_second;
    format!("{:.1} h ({:.0} min)", s / 3600.0, s / 60.0)
}

fn run() -> Result<(), Failure> {
    let t = Chain::pemilu();
    let mut c = Criterion::default().configure_from_args();
    let commit = bench_commit(&mut c, &t)?;
    let (appended, baseline) = (&commit.appended, &commit.baseline);
    let verification = bench_verify(&mut c, &t)?;
    let (ours, raw, bytes) = (&verification.ours, &verification.raw, &verification.bytes);
    c.final_summary();

    if !benchmarking() {
        // `cargo test --benches`: each benchmark ran once to show it works; no figures.
        return Ok(());
    }
    let (Some(append), Some(base), Some(v), Some(r)) =
        (appended.mean(), baseline.mean(), ours.mean(), raw.mean())
    else {
        // Filtered out or listing: nothing to compare.
        return Ok(());
    };
    let commit_ratio = append.as_secs_f64() / base.as_secs_f64();
    let ours_rate = RECORDS as f64 / v.as_secs_f64();
    let raw_rate = RECORDS as f64 / r.as_secs_f64();
    let verify_ratio = ours_rate / raw_rate;
    println!();
    println!("==== journal bench summary ====");
    println!(
        "commit: Journal::append {:.1} us, baseline write+sync_data x2 {:.1} us -> ratio {:.3} \
         (target <= 1.2: {})",
        append.as_secs_f64() * 1e6,
        base.as_secs_f64() * 1e6,
        commit_ratio,
        if commit_ratio <= 1.2 {
            "met"
        } else {
            "NOT MET"
        }
    );
    if let (Some(a), Some(b)) = (commit.paired_append.mean(), commit.paired_baseline.mean()) {
        let ratio = a.as_secs_f64() / b.as_secs_f64();
        println!(
            "        alternating rounds ({PAIRED_ROUNDS} x {PAIRED_OPS} each): append {:.1} us, \
             baseline {:.1} us -> ratio {ratio:.3} (target <= 1.2: {})",
            a.as_secs_f64() * 1e6,
            b.as_secs_f64() * 1e6,
            if ratio <= 1.2 { "met" } else { "NOT MET" }
        );
    }
    println!(
        "verify: journal::verify {ours_rate:.0} records/s, raw verify_batch {raw_rate:.0} \
         records/s -> ratio {verify_ratio:.3} (target >= 0.8: {})",
        if verify_ratio >= 0.8 {
            "met"
        } else {
            "NOT MET"
        }
    );
    if let (Some(a), Some(b)) = (
        verification.paired_ours.mean(),
        verification.paired_raw.mean(),
    ) {
        let ratio = b.as_secs_f64() / a.as_secs_f64();
        println!(
            "        alternating rounds ({PAIRED_VERIFY_ROUNDS} x 1 each): journal::verify {:.0} \
             records/s, raw {:.0} records/s -> ratio {ratio:.3} (target >= 0.8: {})",
            RECORDS as f64 / a.as_secs_f64(),
            RECORDS as f64 / b.as_secs_f64(),
            if ratio >= 0.8 { "met" } else { "NOT MET" }
        );
    }
    let national = NATIONAL_TPS * RECORDS_PER_TPS;
    println!(
        "national audit: {NATIONAL_TPS:.0} TPS x {RECORDS_PER_TPS:.0} records = {national:.0} \
         records; one core at {ours_rate:.0}/s: {}",
        hours(national, ours_rate)
    );
    let (threads, rate, cores_used) = all_cores(bytes, &t, 5);
    println!(
        "  measured on {threads} threads at once: {rate:.0} records/s -> {} \
         (the process got {} cores' worth of CPU meanwhile)",
        hours(national, rate),
        cores_used.map_or("?".to_string(), |c| format!("{c:.2}"))
    );
    println!(
        "  estimate with {threads} whole cores (one core x {threads}): {:.0} records/s -> {}",
        ours_rate * threads as f64,
        hours(national, ours_rate * threads as f64)
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("journal bench: {e}");
            ExitCode::from(2)
        }
    }
}
