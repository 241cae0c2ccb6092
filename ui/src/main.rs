//! `tps-kiosk`: the polling-station touchscreen.
//!
//! - `tps-kiosk --sim [--data DIR] [--package FILE.toml] [--blank] [--lang id|en]`: the kiosk
//!   screen in an 800x480 window on simulated hardware, with the simulator's controls in a
//!   second window (`--blank`: a new device, in provisioning).
//! - `tps-kiosk --headless --scenario FILE [--data DIR]`: a scripted day, no window.
//! - On the Pi (feature `rpi`): fullscreen on KMS.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use tps_kiosk::cli::Args;

fn main() -> ExitCode {
    let args = Args::parse();
    tps_kiosk::logging::init();
    if args.headless {
        return match &args.scenario {
            Some(scenario) => tps_station::headless::run(scenario, args.data.as_deref()),
            None => {
                eprintln!("tps-kiosk: --headless needs --scenario FILE");
                ExitCode::from(2)
            }
        };
    }
    if !args.sim && !cfg!(feature = "rpi") {
        eprintln!(
            "tps-kiosk: choose --sim (the kiosk in a window on simulated hardware) or --headless --scenario FILE"
        );
        return ExitCode::from(2);
    }
    match tps_kiosk::app::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tps-kiosk: {e}");
            e.exit_code()
        }
    }
}
