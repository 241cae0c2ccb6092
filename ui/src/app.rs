//! Running the kiosk in a window: on a developer's PC (`--sim`: the 800x480 screen plus the
//! simulator's controls in a second window) or fullscreen on the Pi (feature `rpi`, KMS, no
//! desktop). `SLINT_BACKEND` chooses the backend and renderer; the default is the software
//! renderer.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use slint::ComponentHandle;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::time::{LocalTime, instant_at};
use tps_kiosk_screens::{AppWindow, Shell, SimWindow};
use tps_station::scenario::DEFAULT_PACKAGE;
use tps_station::station::{SimStation, StationError};
use tps_station::worker::Worker;

use crate::cli::Args;
use crate::controllers::Ui;
use crate::sim_panel::{self, SimPanel};

/// Why the window could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// No display to open the window on.
    #[error(
        "no display to open the kiosk window on ({0}); run a scripted day without one: tps-kiosk --headless --scenario FILE"
    )]
    NoDisplay(String),
    /// The election package file could not be read.
    #[error("{path}: {source}")]
    Package {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The election package is not valid.
    #[error("election package: {0}")]
    PackageInvalid(#[from] tps_firmware::identity::package::PackageError),
    /// The station could not start.
    #[error("{0}")]
    Station(#[from] StationError),
    /// The station's thread could not start.
    #[error("the station thread could not start: {0}")]
    Thread(std::io::Error),
    /// The window failed.
    #[error("the window: {0}")]
    Window(#[from] slint::PlatformError),
    /// The Pi's board could not be set up.
    #[cfg(feature = "rpi")]
    #[error("{0}")]
    Board(String),
}

impl RunError {
    /// The process exit code: 2 for anything that stops the kiosk before it runs.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(2)
    }
}

/// The backend and renderer when `SLINT_BACKEND` does not say: winit on a PC, KMS on the Pi;
/// the software renderer on both.
fn select_backend() -> Result<(), RunError> {
    let mut selector = slint::BackendSelector::new();
    if std::env::var_os("SLINT_BACKEND").is_none_or(|v| v.is_empty()) {
        let backend = if cfg!(feature = "rpi") {
            "linuxkms"
        } else {
            "winit"
        };
        selector = selector
            .backend_name(backend.into())
            .renderer_name("software".into());
    }
    selector
        .select()
        .map_err(|e| RunError::NoDisplay(first_line(&e.to_string())))
}

/// The gist of a backend error: its first meaningful line, without source locations.
fn first_line(s: &str) -> String {
    let line = s
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("Could not initialize"))
        .unwrap_or(s);
    match line.rfind(".rs:") {
        Some(at) => line[at..]
            .split_once(": ")
            .map_or(line, |(_, rest)| rest)
            .trim_end_matches('.')
            .to_string(),
        None => line.to_string(),
    }
}

/// The package source: the file given, or the built-in example.
fn package_source(args: &Args) -> Result<String, RunError> {
    match &args.package {
        Some(path) => std::fs::read_to_string(path).map_err(|source| RunError::Package {
            path: path.clone(),
            source,
        }),
        None => Ok(DEFAULT_PACKAGE.to_string()),
    }
}

/// When the simulated clock starts: where the last run left the RTC, or half past five on the
/// election day of the package (local time), before the KPPS arrive.
fn start_time(dir: &Path, package: &str) -> Result<i64, RunError> {
    if let Some(saved) = sim_panel::saved_clock(dir) {
        return Ok(saved);
    }
    let p = ElectionPackage::from_toml(package)?;
    Ok(instant_at(p.date, LocalTime::new(5, 30), p.zone).unwrap_or_default())
}

/// Opens the window(s) and runs until they are closed: on the Pi's own hardware (feature `rpi`
/// without `--sim`), or on simulated hardware with the simulator's panel.
pub fn run(args: &Args) -> Result<(), RunError> {
    select_backend()?;
    #[cfg(feature = "rpi")]
    if !args.sim {
        return run_on_board(args);
    }
    run_simulated(args)
}

/// The kiosk window fed by a station on its worker thread.
fn kiosk_window<D: tps_station::station::Devices>(
    station: tps_station::station::Station<D>,
    args: &Args,
) -> Result<Rc<Ui>, RunError> {
    let app = AppWindow::new()?;
    let window = app.as_weak();
    let worker = Worker::start(
        station,
        Box::new(move || {
            let _ = window.upgrade_in_event_loop(|app| app.global::<Shell>().invoke_worker_news());
        }),
    )
    .map_err(RunError::Thread)?;
    let ui = Ui::new(app, worker, args.lang.into());
    // Closing the kiosk window ends the program (the panel alone is of no use).
    ui.app.window().on_close_requested(|| {
        let _ = slint::quit_event_loop();
        slint::CloseRequestResponse::HideWindow
    });
    Ok(ui)
}

/// Every 50 ms `tick`, then the station reads its hardware (the lid must become an alarm within
/// 100 ms) and the screen follows.
fn every_tick(ui: &Rc<Ui>, mut tick: impl FnMut(&Ui) + 'static) -> slint::Timer {
    let timer = slint::Timer::default();
    let ui = Rc::downgrade(ui);
    timer.start(
        slint::TimerMode::Repeated,
        Duration::from_millis(50),
        move || {
            let Some(ui) = ui.upgrade() else { return };
            tick(&ui);
            ui.poll();
        },
    );
    timer
}

/// The kiosk on the Pi: fullscreen, the board's drivers, the provisioned data directory.
#[cfg(feature = "rpi")]
fn run_on_board(args: &Args) -> Result<(), RunError> {
    let dir = args.data_dir();
    let station =
        tps_station::station::pi::PiStation::open_pi(&dir, &args.mirror_dir(), &args.board_file())
            .map_err(|e| RunError::Board(e.to_string()))?;
    let ui = kiosk_window(station, args)?;
    ui.app.window().set_fullscreen(true);
    let timer = every_tick(&ui, |_| {});
    ui.app.show()?;
    slint::run_event_loop_until_quit()?;
    drop(timer);
    Ok(())
}

/// The kiosk on simulated hardware, with the simulator's controls in a second window.
fn run_simulated(args: &Args) -> Result<(), RunError> {
    let dir = args.data_dir();
    let package = package_source(args)?;
    let start = start_time(&dir, &package)?;
    eprintln!("tps-kiosk: journal and device files in {}", dir.display());
    let station = if args.blank {
        SimStation::open_as_is(&dir, start)?
    } else {
        SimStation::open(&dir, &package, start)?
    };
    let hw = station.hw().clone();
    // The simulated clock follows real time from the start.
    hw.clock.run(1);
    let ui = kiosk_window(station, args)?;
    let panel = SimPanel::new(SimWindow::new()?, hw.clone(), &ui);

    // Twice a second the panel follows; once a second the RTC's time is kept for the next run.
    let timer = {
        let panel = panel.clone();
        let hw = hw.clone();
        let clock_file = sim_panel::clock_file(&dir);
        let mut last = Instant::now();
        let mut saved = Instant::now();
        let mut ticks = 0u32;
        every_tick(&ui, move |ui| {
            let now = Instant::now();
            let real = u64::try_from(now.duration_since(last).as_millis()).unwrap_or(0);
            last = now;
            hw.clock.tick(real);
            ticks = ticks.wrapping_add(1);
            if ticks.is_multiple_of(10) {
                panel.render(ui);
            }
            if now.duration_since(saved) >= Duration::from_secs(1) {
                saved = now;
                sim_panel::save_clock(&clock_file, &hw);
            }
        })
    };
    ui.app.show()?;
    // Beside the kiosk screen, never over it.
    panel
        .window
        .window()
        .set_position(slint::LogicalPosition::new(820.0, 0.0));
    panel.window.show()?;
    slint::run_event_loop_until_quit()?;
    drop(timer);
    sim_panel::save_clock(&sim_panel::clock_file(&dir), &hw);
    Ok(())
}
