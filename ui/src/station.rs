//! The station: the kiosk with its devices. It reads the clock through the RTC driver, turns the
//! lid, UPS and USB stick into journal records, prints reports, and passes commands to the
//! [`Kiosk`]. [`SimStation`] runs it on simulated hardware (the developer's PC, the headless
//! scenarios, the tests); the Pi build wires the same drivers to real pins.

use std::path::Path;

use tps_firmware::drivers::indicator::{Indicator, Pattern};
use tps_firmware::drivers::power::{Power, PowerWiring};
use tps_firmware::drivers::printer::{Printer, PrinterError};
use tps_firmware::drivers::rtc::Rtc;
use tps_firmware::drivers::tamper::{LidEvent, LidState, Tamper};
use tps_firmware::event::{PowerState, ReportKind};
use tps_firmware::journal::store::PowerGate;
use tps_firmware::kiosk::{
    Alarm, ClockReading, DataDir, HardwareEvent, Kiosk, KioskError, Outcome, StartReport, provision,
};
use tps_firmware::procedure::Command;
use tps_hal_sim::{PowerCut, SimHardware, SimI2cBus, SimInputPin, SimOutputPin, SimSerialPrinter};

/// The device id the simulator provisions.
pub const SIM_DEVICE_ID: &str = "sim-0001";

/// Why the station could not do something.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StationError {
    #[error("simulated hardware: {0}")]
    Setup(#[from] tps_hal_sim::SimSetupError),
    #[error("provisioning {dir}: {source}")]
    Provision {
        dir: std::path::PathBuf,
        source: provision::ProvisionError,
    },
    #[error("the clock could not be read: {0}")]
    Clock(String),
    #[error(transparent)]
    Kiosk(#[from] KioskError),
    #[error("the kiosk is not running: {0}")]
    NotRunning(String),
    #[error("printer: {0}")]
    Printer(#[from] PrinterError),
    #[error("report: {0}")]
    Report(#[from] tps_firmware::report::ReportError),
}

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationStatus {
    pub records: u64,
    pub mirror_present: bool,
    pub lid_open: bool,
    pub power: PowerState,
    pub printer: Result<(), PrinterError>,
    pub alarms: Vec<Alarm>,
}

struct CutGate(PowerCut);

impl PowerGate for CutGate {
    fn allow(&mut self, wanted: usize) -> usize {
        self.0.allow(wanted)
    }
}

/// A kiosk on simulated hardware.
pub struct SimStation {
    /// The simulated world: clock, lid, UPS, USB stick, printer, power cut.
    pub hw: SimHardware,
    dir: DataDir,
    rtc: Rtc<SimI2cBus>,
    tamper: Tamper<SimInputPin>,
    power: Power<SimInputPin, SimInputPin>,
    indicator: Indicator<SimOutputPin, SimOutputPin>,
    printer: Printer<SimSerialPrinter>,
    kiosk: Result<Kiosk, String>,
    start_report: Option<StartReport>,
    /// The simulated monotonic clock when the kiosk last started.
    boot_mono: u64,
    usb_plugged: bool,
}

impl std::fmt::Debug for SimStation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimStation")
            .field("dir", &self.dir)
            .field("running", &self.kiosk.is_ok())
            .finish_non_exhaustive()
    }
}

impl SimStation {
    /// The simulated hardware at `start_ms` keeping its files in `dir`; provisions a development
    /// identity for `package_toml` when `dir` has none, then starts the kiosk. A kiosk that fails
    /// to start (a damaged journal) leaves the station up, showing why.
    pub fn open(dir: &Path, package_toml: &str, start_ms: i64) -> Result<SimStation, StationError> {
        let hw = SimHardware::new(start_ms, dir)?;
        let data = DataDir::new(dir);
        if !data.is_provisioned() {
            provision::development(&data, package_toml, SIM_DEVICE_ID).map_err(|source| {
                StationError::Provision {
                    dir: dir.to_path_buf(),
                    source,
                }
            })?;
        }
        let mut station = SimStation {
            rtc: Rtc::new(hw.i2c.clone()),
            tamper: Tamper::new(hw.lid.pin(), LidState::Closed),
            power: Power::new(
                hw.power.mains_pin(),
                hw.power.battery_low_pin(),
                PowerWiring::default(),
                PowerState::Mains,
            ),
            indicator: Indicator::new(hw.led.clone(), hw.buzzer.clone(), Pattern::Working),
            printer: Printer::new(hw.printer.clone()),
            usb_plugged: hw.usb.is_plugged(),
            boot_mono: hw.clock.mono_ms(),
            dir: data,
            kiosk: Err("not started".into()),
            start_report: None,
            hw,
        };
        station.start()?;
        Ok(station)
    }

    /// (Re)starts the kiosk on the station's files, as after switching the power on.
    fn start(&mut self) -> Result<(), StationError> {
        self.boot_mono = self.hw.clock.mono_ms();
        let reading = self.reading()?;
        let gate: Box<dyn PowerGate> = Box::new(CutGate(self.hw.power_cut.clone()));
        match Kiosk::start_with(&self.dir, reading, Some(gate)) {
            Ok((kiosk, report)) => {
                // The drivers start from what the journal last recorded, so a change while the
                // power was off is noticed and recorded.
                let lid = if kiosk.state().lid_open {
                    LidState::Open
                } else {
                    LidState::Closed
                };
                self.tamper = Tamper::new(self.hw.lid.pin(), lid);
                self.power = Power::new(
                    self.hw.power.mains_pin(),
                    self.hw.power.battery_low_pin(),
                    PowerWiring::default(),
                    kiosk.state().power,
                );
                self.kiosk = Ok(kiosk);
                self.start_report = Some(report);
            }
            Err(e) => {
                self.kiosk = Err(e.to_string());
                self.start_report = None;
            }
        }
        self.poll_hardware()?;
        Ok(())
    }

    pub fn data_dir(&self) -> &DataDir {
        &self.dir
    }

    /// The running kiosk, or why it did not start.
    pub fn kiosk(&self) -> Result<&Kiosk, &str> {
        self.kiosk.as_ref().map_err(String::as_str)
    }

    pub fn start_report(&self) -> Option<&StartReport> {
        self.start_report.as_ref()
    }

    /// The time now, from the RTC driver and the boot timer.
    pub fn reading(&mut self) -> Result<ClockReading, StationError> {
        let rtc = self
            .rtc
            .read()
            .map_err(|e| StationError::Clock(e.to_string()))?;
        Ok(ClockReading {
            wall_ms: rtc.unix_ms,
            oscillator_stopped: rtc.oscillator_stopped,
            since_boot_ms: self.hw.clock.mono_ms().saturating_sub(self.boot_mono),
        })
    }

    fn running(&mut self) -> Result<&mut Kiosk, StationError> {
        self.kiosk
            .as_mut()
            .map_err(|e| StationError::NotRunning(e.clone()))
    }

    /// Passes a command to the kiosk at the current time.
    pub fn submit(&mut self, command: &Command) -> Result<Outcome, StationError> {
        let reading = self.reading()?;
        self.indicator.set_pattern(Pattern::Working);
        let outcome = self.running()?.submit(command, reading);
        if matches!(outcome, Err(KioskError::PowerCut)) {
            // The device is off until it is restarted.
            self.kiosk = Err("power is off".into());
        }
        self.update_indicator()?;
        Ok(outcome?)
    }

    /// Reads the lid, the UPS lines and the USB stick, and records what changed. Call it often
    /// (the lid must become an alarm within 100 ms).
    pub fn poll_hardware(&mut self) -> Result<(), StationError> {
        let now = self.hw.clock.mono_ms();
        let mut events = Vec::new();
        match self.tamper.poll(now) {
            Ok(Some(LidEvent::Opened)) => events.push(HardwareEvent::Lid { open: true }),
            Ok(Some(LidEvent::Closed)) => events.push(HardwareEvent::Lid { open: false }),
            Ok(None) => {}
            // A pin that cannot be read is treated as an open lid: fail safe.
            Err(_) => events.push(HardwareEvent::Lid { open: true }),
        }
        if let Ok(Some(state)) = self.power.poll() {
            events.push(HardwareEvent::Power(state));
        }
        let plugged = self.hw.usb.is_plugged();
        if plugged && !self.usb_plugged {
            events.push(HardwareEvent::UsbPlugged);
        } else if !plugged && self.usb_plugged {
            events.push(HardwareEvent::UsbUnplugged);
        }
        self.usb_plugged = plugged;
        if !events.is_empty() {
            let reading = self.reading()?;
            if let Ok(kiosk) = self.kiosk.as_mut() {
                for e in events {
                    match kiosk.hardware(e, reading) {
                        Ok(_) | Err(KioskError::Alarm(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        self.update_indicator()
    }

    fn update_indicator(&mut self) -> Result<(), StationError> {
        let pattern = match self.kiosk.as_ref() {
            Err(_) => Pattern::Alarm,
            Ok(k) if k.blocking_alarm().is_some() => Pattern::Alarm,
            Ok(k) if k.state().proposal.is_some() => Pattern::WaitingForWitnesses,
            Ok(_) => Pattern::Ready,
        };
        self.indicator.set_pattern(pattern);
        let now = self.hw.clock.mono_ms();
        // An indicator that cannot be driven is not worth stopping the kiosk for.
        let _ = self.indicator.tick(now);
        Ok(())
    }

    /// Prints the opening or closing report and records that it was printed.
    pub fn print_report(&mut self, kind: ReportKind) -> Result<(), StationError> {
        let reading = self.reading()?;
        let report = self.running()?.report(kind)?;
        let mut delay = self.hw.clock.delay();
        self.printer.print(&report.receipt, &mut delay)?;
        self.running()?.report_printed(&report, reading)?;
        Ok(())
    }

    /// The status bar.
    pub fn status(&mut self) -> StationStatus {
        let mut delay = self.hw.clock.delay();
        let printer = self.printer.check_ready(&mut delay);
        match self.kiosk.as_ref() {
            Ok(k) => StationStatus {
                records: k.records(),
                mirror_present: k.mirror_present(),
                lid_open: k.state().lid_open,
                power: k.state().power,
                printer,
                alarms: k.alarms().to_vec(),
            },
            Err(detail) => StationStatus {
                records: 0,
                mirror_present: self.hw.usb.is_plugged(),
                lid_open: self.hw.lid.is_open(),
                power: PowerState::Mains,
                printer,
                alarms: vec![Alarm::Journal {
                    detail: detail.clone(),
                }],
            },
        }
    }

    /// Cuts the power now: the kiosk stops where it is.
    pub fn cut_power(&mut self) {
        self.hw.power_cut.cut_now();
        self.kiosk = Err("power is off".into());
    }

    /// Whether a planned cut has happened (the journal write stopped part way).
    pub fn power_is_cut(&self) -> bool {
        self.hw.power_cut.is_cut()
    }

    /// Power back on: the kiosk starts again on the same files.
    pub fn restart(&mut self) -> Result<(), StationError> {
        self.hw.power_cut.restore();
        self.kiosk = Err("restarting".into());
        self.start()
    }

    /// A technician sets the RTC; the change is recorded with the old and new time.
    pub fn set_clock(&mut self, new_ms: i64, by: &str) -> Result<(), StationError> {
        let old = self.reading()?;
        self.rtc
            .set(new_ms)
            .map_err(|e| StationError::Clock(e.to_string()))?;
        let reading = self.reading()?;
        self.running()?.hardware(
            HardwareEvent::ClockSet {
                old_ms: old.wall_ms,
                by: by.to_string(),
            },
            reading,
        )?;
        Ok(())
    }
}
