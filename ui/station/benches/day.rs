//! The headless simulator's cost for a whole day: `tps-kiosk --sim --headless` on the full-day
//! scenario, run in this process. Prints the wall time (median of five days) and the peak
//! resident memory (VmHWM), with the part of it that is the Argon2id PIN hash's working memory
//! (19 MiB by design, sized for a Raspberry Pi).

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use tps_station::scenario::{Scenario, run};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn main() -> ExitCode {
    // `cargo test --benches` runs bench binaries with `--bench` absent: nothing to measure then.
    if !std::env::args().any(|a| a == "--bench") {
        return ExitCode::SUCCESS;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hal-sim/scenarios/full-day.toml");
    let scenario = match Scenario::load(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("day bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut records = 0;
    for _ in 0..5 {
        let Ok(dir) = tempfile::tempdir() else {
            eprintln!("day bench: no temporary directory");
            return ExitCode::FAILURE;
        };
        let start = Instant::now();
        match run(&scenario, dir.path(), &mut std::io::sink()) {
            Ok(summary) => records = summary.records,
            Err(e) => {
                eprintln!("day bench: {e}");
                return ExitCode::FAILURE;
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "full day (headless, {records} records, {} events): median {:.0} ms over 5 runs",
        scenario.events.len(),
        median.as_secs_f64() * 1e3
    );
    match peak_rss_kib() {
        Some(kib) => println!(
            "peak resident memory: {:.1} MiB (of which the Argon2id PIN hash's working memory is 19 MiB)",
            kib as f64 / 1024.0
        ),
        None => println!("peak resident memory: not available (no /proc/self/status)"),
    }
    ExitCode::SUCCESS
}
