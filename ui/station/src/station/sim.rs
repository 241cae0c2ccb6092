//! The station on simulated hardware: the firmware's drivers on hal-sim's pins, bus and port.

use std::path::Path;

use tps_firmware::drivers::indicator::{Indicator, Pattern};
use tps_firmware::drivers::latch::TamperLatch;
use tps_firmware::drivers::power::{Power, PowerWiring};
use tps_firmware::drivers::printer::Printer;
use tps_firmware::drivers::rtc::Rtc;
use tps_firmware::drivers::tamper::{LidState, Tamper};
use tps_firmware::journal::store::{Medium, WriteGate};
use tps_firmware::kiosk::export::{StickFault, StickGate};
use tps_firmware::kiosk::{DataDir, provision};
use tps_firmware::power::PowerState;
use tps_hal_sim::{
    PowerCut, SimDelay, SimHardware, SimI2cBus, SimInputPin, SimOutputPin, SimSdCard,
    SimSerialPrinter, SimUsbStick, StickRefusal,
};

use super::{Devices, Station, StationError};

/// The device id the simulator provisions.
pub const SIM_DEVICE_ID: &str = "sim-0001";

/// The drivers on simulated hardware, and the simulated world itself.
#[derive(Debug)]
pub struct SimDevices {
    /// The simulated world: clock, lid, UPS, USB stick, printer, power cut.
    pub hw: SimHardware,
    rtc: Rtc<SimI2cBus>,
    tamper: Tamper<SimInputPin>,
    latch: TamperLatch<SimI2cBus>,
    power: Power<SimInputPin, SimInputPin>,
    indicator: Indicator<SimOutputPin, SimOutputPin>,
    printer: Printer<SimSerialPrinter>,
}

/// The journal's view of the simulated power and media.
struct SimGate {
    cut: PowerCut,
    sd: SimSdCard,
    usb: SimUsbStick,
}

impl WriteGate for SimGate {
    fn allow(&mut self, wanted: usize) -> usize {
        self.cut.allow(wanted)
    }
    fn full(&mut self, medium: Medium) -> bool {
        match medium {
            Medium::Primary => self.sd.is_full(),
            Medium::Mirror => self.usb.is_full(),
        }
    }
}

/// The export's view of the simulated stick: full, or pulled out mid-write.
struct SimStickGate(SimUsbStick);

impl StickGate for SimStickGate {
    fn before_write(&mut self, bytes: usize) -> Result<(), StickFault> {
        self.0.take_write(bytes).map_err(|r| match r {
            StickRefusal::Full => StickFault::Full,
            _ => StickFault::Pulled,
        })
    }
}

impl Devices for SimDevices {
    type I2c = SimI2cBus;
    type Lid = SimInputPin;
    type Mains = SimInputPin;
    type BatteryLow = SimInputPin;
    type Led = SimOutputPin;
    type Buzzer = SimOutputPin;
    type Port = SimSerialPrinter;
    type Delay = SimDelay;

    fn rtc(&mut self) -> &mut Rtc<SimI2cBus> {
        &mut self.rtc
    }
    fn tamper(&mut self) -> &mut Tamper<SimInputPin> {
        &mut self.tamper
    }
    fn latch(&mut self) -> &mut TamperLatch<SimI2cBus> {
        &mut self.latch
    }
    fn power(&mut self) -> &mut Power<SimInputPin, SimInputPin> {
        &mut self.power
    }
    fn indicator(&mut self) -> &mut Indicator<SimOutputPin, SimOutputPin> {
        &mut self.indicator
    }
    fn printer(&mut self) -> (&mut Printer<SimSerialPrinter>, SimDelay) {
        (&mut self.printer, self.hw.clock.delay())
    }
    fn mono_ms(&self) -> u64 {
        self.hw.clock.mono_ms()
    }
    fn device_id(&self) -> String {
        SIM_DEVICE_ID.to_string()
    }
    fn usb_plugged(&self) -> bool {
        self.hw.usb.is_plugged()
    }
    /// The simulated stick is the mirror's directory.
    fn export_dir(&self) -> std::path::PathBuf {
        self.hw.usb.mirror_dir().to_path_buf()
    }
    fn stick_gate(&self) -> Box<dyn StickGate> {
        Box::new(SimStickGate(self.hw.usb.clone()))
    }
    fn write_gate(&self) -> Option<Box<dyn WriteGate>> {
        Some(Box::new(SimGate {
            cut: self.hw.power_cut.clone(),
            sd: self.hw.sd.clone(),
            usb: self.hw.usb.clone(),
        }))
    }
    fn power_is_cut(&self) -> bool {
        self.hw.power_cut.is_cut()
    }
    fn cut_power(&mut self) -> Result<(), StationError> {
        self.hw.power_cut.cut_now();
        Ok(())
    }
    fn restore_power(&mut self) {
        self.hw.power_cut.restore();
    }
}

/// A kiosk on simulated hardware.
pub type SimStation = Station<SimDevices>;

impl Station<SimDevices> {
    /// The simulated hardware at `start_ms` keeping its files in `dir`; provisions a development
    /// identity for `package_toml` when `dir` has none, then starts the kiosk.
    pub fn open(dir: &Path, package_toml: &str, start_ms: i64) -> Result<SimStation, StationError> {
        let data = DataDir::new(dir);
        if !data.is_provisioned() {
            provision::development(&data, package_toml, SIM_DEVICE_ID).map_err(|source| {
                StationError::Provision {
                    dir: dir.to_path_buf(),
                    source,
                }
            })?;
        }
        Self::open_as_is(dir, start_ms)
    }

    /// The simulated hardware at `start_ms` on `dir` as it is: a blank device (no identity)
    /// starts in provisioning, as a real one does.
    pub fn open_as_is(dir: &Path, start_ms: i64) -> Result<SimStation, StationError> {
        Self::open_on(DataDir::new(dir), start_ms)
    }

    /// As [`Self::open_as_is`], with the kiosk taking the data directory as a device outside
    /// the simulator does (without `--sim`): a day is begun only with a certificate valid at
    /// that time and not a development one, and the journal's mirror must be on a medium of its
    /// own. What a real device's screens show, on simulated hardware.
    pub fn open_as_election_device(dir: &Path, start_ms: i64) -> Result<SimStation, StationError> {
        Self::open_on(
            DataDir {
                election_device: true,
                ..DataDir::new(dir)
            },
            start_ms,
        )
    }

    fn open_on(data: DataDir, start_ms: i64) -> Result<SimStation, StationError> {
        let hw = SimHardware::new(start_ms, &data.dir)?;
        let devices = SimDevices {
            rtc: Rtc::new(hw.i2c.clone()),
            tamper: Tamper::new(hw.lid.pin(), LidState::Closed),
            latch: TamperLatch::new(hw.i2c.clone()),
            power: Power::new(
                hw.power.mains_pin(),
                hw.power.battery_low_pin(),
                PowerWiring::default(),
                PowerState::Mains,
            ),
            indicator: Indicator::new(hw.led.clone(), hw.buzzer.clone(), Pattern::Working),
            printer: Printer::new(hw.printer.clone()),
            hw,
        };
        Station::start_on(devices, data)
    }

    /// The simulated world.
    pub fn hw(&self) -> &SimHardware {
        &self.devices().hw
    }
}
