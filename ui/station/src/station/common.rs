//! What the Pi and the simulator share: the [`Station`] over its [`Devices`], its errors and the
//! status it reports.

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::{InputPin, OutputPin};
use embedded_hal::i2c::I2c;
use embedded_io::{Read, ReadReady, Write};
use tps_firmware::drivers::indicator::{Indicator, Pattern};
use tps_firmware::drivers::latch::TamperLatch;
use tps_firmware::drivers::power::Power;
use tps_firmware::drivers::printer::{Line, Printer, PrinterError};
use tps_firmware::drivers::rtc::Rtc;
use tps_firmware::drivers::storage::{Storage, StorageError, StorageStatus};
use tps_firmware::drivers::tamper::{LidEvent, LidState, Tamper};
use tps_firmware::event::ReportKind;
use tps_firmware::journal::store::WriteGate;
use tps_firmware::kiosk::export::{RealStick, StickGate};
use tps_firmware::kiosk::technician::{Gate, TechnicianError};
use tps_firmware::kiosk::{
    Alarm, ClockReading, DataDir, HardwareEvent, Identity, Kiosk, KioskError, Outcome, StartError,
};
use tps_firmware::power::PowerState;
use tps_firmware::procedure::Command;
use tps_firmware::procedure::clock::SetClock;
use tps_firmware::report::result_copies;
use tps_firmware::text::{Bilingual, Lang};

/// Why the station could not do something.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StationError {
    /// The simulated hardware could not be set up.
    #[error("simulated hardware: {0}")]
    Setup(#[from] tps_hal_sim::SimSetupError),
    /// The development provisioning of a data directory failed.
    #[error("provisioning {dir}: {source}")]
    Provision {
        /// The data directory.
        dir: std::path::PathBuf,
        /// Why.
        source: tps_firmware::kiosk::provision::ProvisionError,
    },
    /// The RTC could not be read or set.
    #[error("the clock could not be read: {0}")]
    Clock(String),
    /// The kiosk failed (its journal, its identity).
    #[error(transparent)]
    Kiosk(#[from] KioskError),
    /// The kiosk is not running (not provisioned, or the power is cut), and why.
    #[error("the kiosk is not running: {0}")]
    NotRunning(String),
    /// The printer failed.
    #[error("printer: {0}")]
    Printer(#[from] PrinterError),
    /// A report could not be made.
    #[error("report: {0}")]
    Report(#[from] tps_firmware::report::ReportError),
    /// These devices cannot do it (a simulator action on the Pi).
    #[error("{0}")]
    Unsupported(&'static str),
    /// Provisioning from the stick refused or failed; nothing was installed.
    #[error("{}", .0.message(Lang::En))]
    Enrol(tps_firmware::kiosk::enrol::EnrolError),
    /// The Pi's board could not be set up.
    #[cfg(feature = "rpi")]
    #[error("board: {0}")]
    Board(#[from] tps_firmware::board::BoardError),
}

/// Why the kiosk is not running on a device without an identity.
pub const NOT_PROVISIONED: &str = "not provisioned";

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationStatus {
    /// Records in the journal.
    pub records: u64,
    /// The USB stick with the journal's mirror is in.
    pub mirror_present: bool,
    /// The lid is open.
    pub lid_open: bool,
    /// Mains or battery, and how low.
    pub power: PowerState,
    /// The printer is ready, or why not.
    pub printer: Result<(), PrinterError>,
    /// The alarms up now.
    pub alarms: Vec<Alarm>,
}

/// The devices a station drives: the firmware's drivers on some pins and buses, and what
/// differs between the Pi and the simulator.
pub trait Devices: Send + 'static {
    /// The I2C bus of the RTC and the tamper latch.
    type I2c: I2c;
    /// The lid switch's pin.
    type Lid: InputPin;
    /// The UPS's "on mains" pin.
    type Mains: InputPin;
    /// The UPS's "battery low" pin.
    type BatteryLow: InputPin;
    /// The status LED's pin.
    type Led: OutputPin;
    /// The buzzer's pin.
    type Buzzer: OutputPin;
    /// The printer's serial port.
    type Port: Read + ReadReady + Write;
    /// The printer's pacing delay.
    type Delay: DelayNs;

    /// The RTC.
    fn rtc(&mut self) -> &mut Rtc<Self::I2c>;
    /// The lid switch.
    fn tamper(&mut self) -> &mut Tamper<Self::Lid>;
    /// The tamper latch that watches the lid while the kiosk is off.
    fn latch(&mut self) -> &mut TamperLatch<Self::I2c>;
    /// The UPS.
    fn power(&mut self) -> &mut Power<Self::Mains, Self::BatteryLow>;
    /// The LED and the buzzer.
    fn indicator(&mut self) -> &mut Indicator<Self::Led, Self::Buzzer>;
    /// The printer, with a delay to pace it.
    fn printer(&mut self) -> (&mut Printer<Self::Port>, Self::Delay);
    /// Milliseconds on a monotonic clock (never goes back, not even when the RTC is set).
    fn mono_ms(&self) -> u64;
    /// The device id its certificate request names.
    fn device_id(&self) -> String;
    /// Whether the USB stick holding the mirror is in.
    fn usb_plugged(&self) -> bool;
    /// The USB stick's top directory, where an export for PPS goes.
    fn export_dir(&self) -> std::path::PathBuf;
    /// What the export asks before each write to the stick: the simulator's stick that fills
    /// up or is pulled mid-write; a real stick answers through the system's errors.
    fn stick_gate(&self) -> Box<dyn StickGate> {
        Box::new(RealStick)
    }
    /// The simulator's power cut and full media, for the journal; `None` on real hardware.
    fn write_gate(&self) -> Option<Box<dyn WriteGate>> {
        None
    }
    /// Whether the (simulated) power is off.
    fn power_is_cut(&self) -> bool {
        false
    }
    /// Cuts the (simulated) power now.
    fn cut_power(&mut self) -> Result<(), StationError> {
        Err(StationError::Unsupported(
            "the power of a real kiosk is not cut from its screen",
        ))
    }
    /// Switches the (simulated) power back on.
    fn restore_power(&mut self) {}
}

/// A kiosk with its devices.
pub struct Station<D: Devices> {
    pub(super) devices: D,
    pub(super) dir: DataDir,
    pub(super) kiosk: Result<Kiosk, String>,
    /// What is wrong with the device's certificate, when that is why the kiosk did not start
    /// (outside the simulator a day is not begun with it).
    pub(super) certificate_refused: Option<Bilingual>,
    /// The monotonic clock when the kiosk last started.
    pub(super) boot_mono: u64,
    pub(super) usb_plugged: bool,
    /// The technician PIN's wrong-PIN delay in this boot.
    pub(super) technician: Gate,
}

impl<D: Devices> std::fmt::Debug for Station<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Station")
            .field("dir", &self.dir)
            .field("running", &self.kiosk.is_ok())
            .finish_non_exhaustive()
    }
}

impl<D: Devices> Station<D> {
    /// A station on `devices` keeping its files in `dir` (provisioned already); starts the kiosk.
    /// A kiosk that fails to start (a damaged journal) leaves the station up, showing why.
    pub fn start_on(devices: D, dir: DataDir) -> Result<Self, StationError> {
        let mut station = Station {
            usb_plugged: devices.usb_plugged(),
            boot_mono: devices.mono_ms(),
            technician: Gate::new(devices.mono_ms()),
            devices,
            dir,
            kiosk: Err("not started".into()),
            certificate_refused: None,
        };
        station.start()?;
        Ok(station)
    }

    /// (Re)starts the kiosk on the station's files, as after switching the power on.
    pub(super) fn start(&mut self) -> Result<(), StationError> {
        self.boot_mono = self.devices.mono_ms();
        self.technician = Gate::new(self.boot_mono);
        self.certificate_refused = None;
        if self.needs_provisioning() {
            // A blank device: the provisioning screens, no kiosk yet.
            self.kiosk = Err(NOT_PROVISIONED.into());
            return Ok(());
        }
        let reading = self.reading()?;
        match Kiosk::start_with(&self.dir, reading, self.devices.write_gate()) {
            Ok((mut kiosk, _)) => {
                self.read_latch(&mut kiosk, reading);
                // The drivers take what the journal last recorded, so a change while the power
                // was off is noticed and recorded.
                let lid = if kiosk.state().lid_open {
                    LidState::Open
                } else {
                    LidState::Closed
                };
                self.devices.tamper().assume(lid);
                self.devices.power().assume(kiosk.state().power);
                self.kiosk = Ok(kiosk);
            }
            Err(e) => {
                if let StartError::Certificate(refusal) = &e {
                    self.certificate_refused = Some(refusal.reason());
                }
                self.kiosk = Err(e.to_string());
            }
        }
        self.poll_hardware()
    }

    /// A lid opened while the kiosk was off, as the tamper latch kept it, becomes a record and
    /// an alarm; the latch is cleared only once that record is durable, then armed for the next
    /// opening. A latch that does not answer is logged: the lid switch still watches while the
    /// kiosk runs.
    fn read_latch(&mut self, kiosk: &mut Kiosk, reading: ClockReading) {
        let latch = self.devices.latch();
        match latch.latched() {
            Ok(Some(latched)) => {
                let opened_ms = latched
                    .ago_ms
                    .and_then(|ago| i64::try_from(ago).ok())
                    .map(|ago| reading.wall_ms.saturating_sub(ago));
                if kiosk.tamper_while_off(opened_ms, reading).is_ok()
                    && let Err(e) = latch.clear()
                {
                    log::warn!("{e}");
                }
            }
            Ok(None) => {}
            Err(e) => log::warn!("{e}"),
        }
        if let Err(e) = latch.arm() {
            log::warn!("{e}");
        }
    }

    /// Where the journal and the identity live.
    pub fn data_dir(&self) -> &DataDir {
        &self.dir
    }

    /// Room left on the SD card and the USB stick now.
    pub fn storage(&self) -> Result<StorageStatus, StorageError> {
        Storage::new(&self.dir.dir, &self.dir.mirror_dir).status()
    }

    /// The devices it drives.
    pub fn devices(&self) -> &D {
        &self.devices
    }

    /// What is wrong with the device's certificate, when that is why the kiosk did not start:
    /// outside the simulator a day is not begun with a development certificate or one not
    /// valid at that time.
    pub fn certificate_refused(&self) -> Option<&Bilingual> {
        self.certificate_refused
            .as_ref()
            .filter(|_| self.kiosk.is_err())
    }

    /// The running kiosk, or why it did not start.
    pub fn kiosk(&self) -> Result<&Kiosk, &str> {
        self.kiosk.as_ref().map_err(String::as_str)
    }

    /// The time now, from the RTC driver and the boot timer.
    pub fn reading(&mut self) -> Result<ClockReading, StationError> {
        let rtc = self
            .devices
            .rtc()
            .read()
            .map_err(|e| StationError::Clock(e.to_string()))?;
        Ok(ClockReading {
            wall_ms: rtc.unix_ms,
            oscillator_stopped: rtc.oscillator_stopped,
            since_boot_ms: self.devices.mono_ms().saturating_sub(self.boot_mono),
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
        self.devices.indicator().set_pattern(Pattern::Working);
        let outcome = self.running()?.submit(command, reading);
        if matches!(outcome, Err(KioskError::PowerCut)) {
            // The device is off until it is restarted.
            self.kiosk = Err("power is off".into());
        }
        self.update_indicator();
        Ok(outcome?)
    }

    /// Reads the lid, the UPS lines and the USB stick, and records what changed. Call it often
    /// (the lid must become an alarm within 100 ms).
    pub fn poll_hardware(&mut self) -> Result<(), StationError> {
        let now = self.devices.mono_ms();
        let mut events = Vec::new();
        match self.devices.tamper().poll(now) {
            Ok(Some(LidEvent::Opened)) => events.push(HardwareEvent::Lid { open: true }),
            Ok(Some(LidEvent::Closed)) => events.push(HardwareEvent::Lid { open: false }),
            Ok(None) => {}
            // A pin that cannot be read is treated as an open lid: fail safe.
            Err(_) => events.push(HardwareEvent::Lid { open: true }),
        }
        if let Ok(Some(state)) = self.devices.power().poll() {
            events.push(HardwareEvent::Power(state));
        }
        let plugged = self.devices.usb_plugged();
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
                    let opened = e == HardwareEvent::Lid { open: true };
                    match kiosk.hardware(e, reading) {
                        // The latch kept this opening too; it is recorded now.
                        Ok(Some(_)) if opened => {
                            if let Err(e) = self.devices.latch().clear() {
                                log::warn!("{e}");
                            }
                        }
                        Ok(_) | Err(KioskError::Alarm(_) | KioskError::WaitingForMirror(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        self.update_indicator();
        Ok(())
    }

    fn update_indicator(&mut self) {
        let pattern = match self.kiosk.as_ref() {
            Err(_) => Pattern::Alarm,
            Ok(k) if k.blocking_alarm().is_some() => Pattern::Alarm,
            Ok(k) if k.state().proposal.is_some() => Pattern::WaitingForWitnesses,
            Ok(_) => Pattern::Ready,
        };
        let now = self.devices.mono_ms();
        let indicator = self.devices.indicator();
        indicator.set_pattern(pattern);
        // An indicator that cannot be driven is not worth stopping the kiosk for.
        let _ = indicator.tick(now);
    }

    /// Prints a report and records that it was printed: the opening or closing report once, a
    /// C.Hasil once per copy ([`result_copies`]: each saksi present and the Pengawas TPS), each
    /// copy headed with whose it is; one record for them all, as every copy carries the same
    /// codes.
    pub fn print_report(&mut self, kind: ReportKind) -> Result<(), StationError> {
        let reading = self.reading()?;
        let report = self.running()?.report(kind)?;
        let copies = match kind {
            ReportKind::Result(_) => result_copies(self.running()?.state()),
            _ => vec![String::new()],
        };
        let (printer, mut delay) = self.devices.printer();
        for (i, whose) in copies.iter().enumerate() {
            let mut receipt = report.receipt.clone();
            if !whose.is_empty() {
                receipt.lines.insert(
                    0,
                    Line::text(format!("SALINAN {}/{}: {whose}", i + 1, copies.len())),
                );
            }
            printer.print(&receipt, &mut delay)?;
        }
        self.running()?.report_printed(&report, reading)?;
        Ok(())
    }

    /// Asks the printer whether it is ready (this waits for its answer, up to half a second
    /// when it is off: not for every poll).
    pub fn printer_status(&mut self) -> Result<(), PrinterError> {
        let (printer, mut delay) = self.devices.printer();
        printer.check_ready(&mut delay)
    }

    /// The status bar, with the printer status the caller last asked for.
    pub fn status(&mut self, printer: Result<(), PrinterError>) -> StationStatus {
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
                mirror_present: self.devices.usb_plugged(),
                lid_open: self.devices.tamper().state() == LidState::Open,
                power: self.devices.power().state(),
                printer,
                // Without power nothing is wrong with the journal; the kiosk is just off (or,
                // blank, waits to be provisioned).
                alarms: if self.devices.power_is_cut() || self.needs_provisioning() {
                    Vec::new()
                } else {
                    vec![Alarm::Journal {
                        detail: detail.clone(),
                    }]
                },
            },
        }
    }

    /// Cuts the (simulated) power now: the kiosk stops where it is.
    pub fn cut_power(&mut self) -> Result<(), StationError> {
        self.devices.cut_power()?;
        self.kiosk = Err("power is off".into());
        Ok(())
    }

    /// Whether the (simulated) power is off.
    pub fn power_is_cut(&self) -> bool {
        self.devices.power_is_cut()
    }

    /// Power back on: the kiosk starts again on the same files.
    pub fn restart(&mut self) -> Result<(), StationError> {
        self.devices.restore_power();
        self.kiosk = Err("restarting".into());
        self.start()
    }

    /// The gate in front of every technician function (provisioning again, the clock before the
    /// day, the export): `Ok` when `pin` is the technician PIN set at provisioning, under the
    /// KPPS PINs' rules and delays (which a restart does not shorten).
    pub fn technician_unlock(&mut self, pin: &str) -> Result<(), TechnicianError> {
        let now = self.devices.mono_ms();
        let identity = match self.kiosk.as_ref() {
            Ok(kiosk) => kiosk.identity().clone(),
            // A kiosk that did not start (a damaged journal) still has its technician.
            Err(_) => Identity::load(&self.dir).map_err(|e| TechnicianError::Identity {
                why: Bilingual::new(e.message(Lang::Id), e.message(Lang::En)),
            })?,
        };
        self.technician
            .unlock_device(&self.dir, &identity, pin, now)
    }

    /// A technician sets the RTC. The engine decides first (once the day has begun: witnessed,
    /// never back past the last record, a regulated time crossed only when confirmed); the RTC
    /// is set only when the records are durable.
    pub fn set_clock(&mut self, set: SetClock) -> Result<Outcome, StationError> {
        let new_ms = set.new_ms;
        let outcome = self.submit(&Command::SetClock(set))?;
        if matches!(outcome, Outcome::Done(_)) {
            self.devices
                .rtc()
                .set(new_ms)
                .map_err(|e| StationError::Clock(e.to_string()))?;
        }
        Ok(outcome)
    }
}
