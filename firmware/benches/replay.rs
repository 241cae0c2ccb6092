//! The kiosk's boot cost: open a 5,000-record journal (read, scan, recovery check against the
//! mirror), verify it (certificate, package, chain, times, the head signature: the fast mode), and rebuild the
//! state by replaying every record. This is `Kiosk::start` without the `Started` record it
//! appends.
//!
//! The journal is made by a real kiosk: the chair and 11 others registered with their PINs, then
//! hardware changes (UPS on battery and back, lid open and closed) up to 5,000 records. Signature
//! checks dominate the cost and do not depend on the kind of record.

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use tps_firmware::kiosk::{self, ClockReading, DataDir, HardwareEvent, Kiosk, provision};
use tps_firmware::power::PowerState;
use tps_firmware::procedure::people::Role;
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::{Command, Refusal, State};
use tps_firmware::text::Lang;

const RECORDS: u64 = 5_000;
/// 2024-02-14 05:00 WIB.
const START_MS: i64 = 1_707_861_600_000;
const PACKAGE: &str = include_str!("../../keys/examples/election-pemilu-2024-jabar.toml");
const PINS: [&str; 12] = [
    "271828", "314159", "141421", "173205", "223606", "161803", "577215", "693147", "302585",
    "259265", "466920", "120205",
];

fn reading(i: u64) -> ClockReading {
    ClockReading {
        wall_ms: START_MS + i as i64 * 1_000,
        oscillator_stopped: false,
        since_boot_ms: i * 1_000,
    }
}

fn make_journal(dir: &DataDir) -> Result<u64, Box<dyn std::error::Error>> {
    provision::development(dir, PACKAGE, "bench-0001")?;
    let (mut kiosk, _) = Kiosk::start(dir, reading(0))?;
    let roles = [
        Role::Kpps(1),
        Role::Kpps(2),
        Role::Kpps(3),
        Role::Kpps(4),
        Role::Kpps(5),
        Role::Kpps(6),
        Role::Kpps(7),
        Role::Ketertiban,
        Role::PengawasTps,
        Role::Pemantau,
        Role::Pewarta,
        Role::Ketertiban,
    ];
    let pin = |s: &str| Pin::parse(s).map_err(|p| Refusal::WeakPin(p).message(Lang::En));
    let chair = pin(PINS[0])?;
    let mut i = 1;
    for (n, role) in roles.into_iter().enumerate() {
        let command = Command::Register {
            role,
            name: format!("Orang {n}"),
            letter: if role.needs_letter() {
                "ST-1".into()
            } else {
                String::new()
            },
            id_number: if role.needs_id_number() {
                "3171014506900002".into()
            } else {
                String::new()
            },
            pin: pin(PINS[n])?,
            salt: [n as u8; 16],
            chair_pin: (n > 0).then(|| chair.clone()),
        };
        kiosk.submit(&command, reading(i))?;
        i += 1;
    }
    while kiosk.records() < RECORDS {
        let event = match i % 4 {
            0 => HardwareEvent::Power(PowerState::Battery),
            1 => HardwareEvent::Power(PowerState::Mains),
            2 => HardwareEvent::Lid { open: true },
            _ => HardwareEvent::Lid { open: false },
        };
        kiosk.hardware(event, reading(i))?;
        i += 1;
    }
    Ok(kiosk.records())
}

/// The boot path: identity, journal open and recovery check, verification, replay.
fn boot(dir: &DataDir) -> Result<State, Box<dyn std::error::Error>> {
    Ok(kiosk::load(dir)?.2)
}

fn main() -> std::process::ExitCode {
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("replay bench: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let dir = DataDir::new(tmp.path());
    let records = match make_journal(&dir) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("replay bench: making the journal: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Err(e) = boot(&dir) {
        eprintln!("replay bench: the journal does not replay: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    let mut median = None;
    c.bench_function("boot replay (verify + rebuild state), 5,000 records", |b| {
        b.iter(|| black_box(boot(&dir).map(|s| s.people.len()).unwrap_or(0)))
    });
    // A plain figure for the notes, from a few runs of our own.
    let mut runs: Vec<Duration> = (0..7)
        .map(|_| {
            let t = std::time::Instant::now();
            let _ = black_box(boot(&dir).map(|s| s.people.len()));
            t.elapsed()
        })
        .collect();
    runs.sort();
    if let Some(m) = runs.get(runs.len() / 2) {
        median = Some(*m);
    }
    c.final_summary();
    if let Some(m) = median {
        println!(
            "\nboot replay: {records} records in {:.1} ms (median of 7), {:.1} µs per record \
             (target 25 ms here: {}); a Raspberry Pi 4 is roughly 3 to 5 times slower",
            m.as_secs_f64() * 1e3,
            m.as_secs_f64() * 1e6 / records as f64,
            if m.as_secs_f64() <= 0.025 {
                "met"
            } else {
                "NOT MET"
            }
        );
    }
    std::process::ExitCode::SUCCESS
}
