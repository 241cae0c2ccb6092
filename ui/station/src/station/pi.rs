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
    /// `pi-` and the board's serial number (its last 8 hexadecimal digits).
    fn device_id(&self) -> String {
        let serial = tps_firmware::identity::file::read_regular(Path::new(SERIAL_NUMBER), 64)
            .map(|bytes| {
                let digits: Vec<u8> = bytes.into_iter().filter(u8::is_ascii_hexdigit).collect();
                let from = digits.len().saturating_sub(8);
                String::from_utf8_lossy(&digits[from..]).to_ascii_lowercase()
            })
            .unwrap_or_default();
        if serial.is_empty() {
            "pi-unknown".into()
        } else {
            format!("pi-{serial}")
        }
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

/// Where the Raspberry Pi's firmware gives the board's serial number.
const SERIAL_NUMBER: &str = "/sys/firmware/devicetree/base/serial-number";

/// A kiosk on the Pi.
pub type PiStation = Station<PiDevices>;

/// Why the Pi station could not start.
#[derive(Debug, thiserror::Error)]
pub enum PiError {
    /// The station could not start.
    #[error(transparent)]
    Station(#[from] StationError),
}

impl Station<PiDevices> {
    /// The board from `board_file` (the default pin table when it does not exist) and the data
    /// directory `dir` (mirror on the USB stick at `mirror_dir`); a device not yet provisioned
    /// starts in provisioning.
    pub fn open_pi(dir: &Path, mirror_dir: &Path, board_file: &Path) -> Result<PiStation, PiError> {
        let data = DataDir {
            dir: dir.to_path_buf(),
            mirror_dir: mirror_dir.to_path_buf(),
            election_device: true,
        };
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
