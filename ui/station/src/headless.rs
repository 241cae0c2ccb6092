//! `tps-kiosk --sim --headless --scenario FILE [--data DIR]`: a scripted day with no window.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tps_firmware::kiosk::DataDir;

use crate::scenario::{RunError, Scenario, run as run_scenario};

/// Runs a scenario and says how it went: exit 0 when every expectation held, 1 at the first
/// failed expectation, 2 when the scenario or the data directory cannot be used.
pub fn run(scenario: &Path, data: Option<&Path>) -> ExitCode {
    let parsed = match Scenario::load(scenario) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tps-kiosk: {e}");
            return ExitCode::from(2);
        }
    };
    let dir: PathBuf = match data {
        Some(d) => d.to_path_buf(),
        // A fresh directory each run: a scenario starts on an empty one.
        None => (0..)
            .map(|n| {
                std::env::temp_dir().join(format!("tps-kiosk-scenario-{}-{n}", std::process::id()))
            })
            .find(|d| !d.exists())
            .unwrap_or_else(std::env::temp_dir),
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("tps-kiosk: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let mut out = std::io::stdout().lock();
    match run_scenario(&parsed, &dir, &mut out) {
        Ok(summary) => {
            let journal = DataDir::new(&dir).journal();
            println!(
                "ok: {} events, {} records; journal {}, mirror {}, {} receipt(s) in {}",
                summary.events,
                summary.records,
                journal.primary.display(),
                journal.mirror.display(),
                summary.receipts.len() / 2,
                dir.join("printer").display(),
            );
            ExitCode::SUCCESS
        }
        Err(e @ RunError::Expectation { .. }) => {
            eprintln!("tps-kiosk: {e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("tps-kiosk: {e}");
            ExitCode::from(2)
        }
    }
}
