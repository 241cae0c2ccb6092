//! The station on the Raspberry Pi: the firmware's drivers on the board's pins and buses.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tps_firmware::board::{
    Board, BoardConfig, BoardDelay, BoardI2c, BoardInputPin, BoardOutputPin, LastRecorded,
    SerialPort,
};
use tps_firmware::drivers::indicator::Indicator;
use tps_firmware::drivers::latch::TamperLatch;
use tps_firmware::drivers::power::Power;
use tps_firmware::drivers::printer::Printer;
use tps_firmware::drivers::rtc::Rtc;
use tps_firmware::drivers::tamper::{LidState, Tamper};
use tps_firmware::kiosk::DataDir;
use tps_firmware::power::PowerState;

use super::{Devices, Station, StationError};

/// The board's drivers and the monotonic clock since the program started.
#[derive(Debug)]
pub struct PiDevices {
    board: Board,
    boot: Instant,
    mirror_dir: PathBuf,
}

impl Devices for PiDevices {
    type I2c = BoardI2c;
    type Lid = BoardInputPin;
    type Mains = BoardInputPin;
    type BatteryLow = BoardInputPin;
    type Led = BoardOutputPin;
    type Buzzer = BoardOutputPin;
    type Port = SerialPort;
    type Delay = BoardDelay;

    fn rtc(&mut self) -> &mut Rtc<BoardI2c> {
        &mut self.board.rtc
    }
    fn tamper(&mut self) -> &mut Tamper<BoardInputPin> {
        &mut self.board.tamper
    }
    fn latch(&mut self) -> &mut TamperLatch<BoardI2c> {
        &mut self.board.latch
    }
    fn power(&mut self) -> &mut Power<BoardInputPin, BoardInputPin> {
        &mut self.board.power
    }
    fn indicator(&mut self) -> &mut Indicator<BoardOutputPin, BoardOutputPin> {
        &mut self.board.indicator
    }
    fn printer(&mut self) -> (&mut Printer<SerialPort>, BoardDelay) {
        (&mut self.board.printer, BoardDelay::new())
    }
    fn mono_ms(&self) -> u64 {
        u64::try_from(self.boot.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
    fn usb_plugged(&self) -> bool {
        self.mirror_dir.is_dir()
    }
    /// The mirror is a folder on the stick (`/media/tps-usb/tps-kiosk`); the export goes beside
    /// it, at the stick's top.
    fn export_dir(&self) -> PathBuf {
        self.mirror_dir
            .parent()
            .map_or_else(|| self.mirror_dir.clone(), Path::to_path_buf)
    }
}

/// A kiosk on the Pi.
pub type PiStation = Station<PiDevices>;

/// Why the Pi station could not start.
#[derive(Debug, thiserror::Error)]
pub enum PiError {
    #[error(
        "{0} is not provisioned (device.key, device.crt, package.tpsp, authority.pub): provision it with tps-keys first"
    )]
    NotProvisioned(PathBuf),
    #[error(transparent)]
    Station(#[from] StationError),
}

impl Station<PiDevices> {
    /// The board from `board_file` (the default pin table when it does not exist) and the
    /// provisioned data directory `dir` (mirror on the USB stick at `mirror_dir`).
    pub fn open_pi(dir: &Path, mirror_dir: &Path, board_file: &Path) -> Result<PiStation, PiError> {
        let data = DataDir {
            dir: dir.to_path_buf(),
            mirror_dir: mirror_dir.to_path_buf(),
            election_device: true,
        };
        if !data.is_provisioned() {
            return Err(PiError::NotProvisioned(dir.to_path_buf()));
        }
        let config = BoardConfig::load(board_file).map_err(StationError::from)?;
        // The station makes the drivers assume what the journal recorded once it has read it.
        let board = Board::open(
            &config,
            LastRecorded {
                lid: LidState::Closed,
                power: PowerState::Mains,
            },
        )
        .map_err(StationError::from)?;
        let devices = PiDevices {
            board,
            boot: Instant::now(),
            mirror_dir: mirror_dir.to_path_buf(),
        };
        Ok(Station::start_on(devices, data)?)
    }
}
