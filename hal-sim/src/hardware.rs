//! Every simulated device, wired together.

use std::path::{Path, PathBuf};

use crate::clock::SimClock;
use crate::ds3231::{DS3231_ADDRESS, Ds3231Model};
use crate::i2c::SimI2cBus;
use crate::pcf2129::{PCF2129_ADDRESS, Pcf2129Model};
use crate::pin::SimOutputPin;
use crate::power::{SimLid, SimPower, Supply};
use crate::power_cut::PowerCut;
use crate::printer::SimSerialPrinter;
use crate::sd::SimSdCard;
use crate::usb::{SimUsbStick, UsbError};

/// Why the simulated hardware could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimSetupError {
    /// The simulated primary data directory could not be created.
    #[error("creating the primary data directory {path}: {source}")]
    DataDir {
        /// The directory that could not be created.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The simulated USB stick could not be set up.
    #[error(transparent)]
    Usb(#[from] UsbError),
}

/// A kiosk's hardware in simulation. Each field is a handle: hand the driver side to the drivers
/// (pins, bus, port) and keep the rest to play the world (open the lid, pull the USB stick, cut
/// the power, run out of paper, jump the clock).
///
/// It starts as a kiosk on a normal morning: the clock (stopped) at the given time with the RTC
/// trusted, lid closed, mains power, paper loaded and the printer online, the USB stick plugged
/// in, no power cut planned.
///
/// ```
/// use embedded_hal::digital::InputPin;
/// use embedded_hal::i2c::I2c;
/// use tps_hal_sim::{DS3231_ADDRESS, SimHardware, Supply};
///
/// let dir = tempfile::tempdir()?;
/// // 2024-02-14 06:00 WIB.
/// let hw = SimHardware::new(1_707_865_200_000, dir.path())?;
///
/// // The driver side: a lid pin and the I2C bus with the RTC on it.
/// let mut lid_pin = hw.lid.pin();
/// let mut i2c = hw.i2c.clone();
/// let mut seconds = [0];
/// i2c.write_read(DS3231_ADDRESS, &[0x00], &mut seconds)?;
///
/// // The world side.
/// hw.lid.open();
/// assert!(lid_pin.is_high()?);
/// hw.power.set(Supply::Battery);
/// hw.usb.unplug()?;
/// hw.clock.advance(60_000);
/// assert_eq!(hw.rtc.time_ms(), 1_707_865_260_000);
/// assert!(!hw.usb.mirror_dir().exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SimHardware {
    /// The simulated time every part reads.
    pub clock: SimClock,
    /// I2C bus 1, with [`rtc`](Self::rtc) at [`DS3231_ADDRESS`].
    pub i2c: SimI2cBus,
    /// The DS3231 real-time clock.
    pub rtc: Ds3231Model,
    /// The tamper latch on the same bus at [`PCF2129_ADDRESS`], its TS input on the lid.
    pub latch: Pcf2129Model,
    /// The enclosure lid switch.
    pub lid: SimLid,
    /// The status LED's pin.
    pub led: SimOutputPin,
    /// The buzzer's pin.
    pub buzzer: SimOutputPin,
    /// The UPS HAT's status lines.
    pub power: SimPower,
    /// The receipt printer on the serial port.
    pub printer: SimSerialPrinter,
    /// The USB stick that holds the journal's mirror.
    pub usb: SimUsbStick,
    /// The power cut that can strike in the middle of a journal write.
    pub power_cut: PowerCut,
    /// The SD card under the primary data directory (it can fill up).
    pub sd: SimSdCard,
    /// The primary data directory: `DIR` itself (the USB stick is `DIR/mirror`).
    pub data_dir: PathBuf,
}

impl SimHardware {
    /// The hardware at `start_ms` (UTC unix milliseconds), keeping its files (primary data
    /// directory and USB stick) in `dir`.
    pub fn new(start_ms: i64, dir: &Path) -> Result<Self, SimSetupError> {
        let data_dir = dir.to_path_buf();
        std::fs::create_dir_all(&data_dir).map_err(|source| SimSetupError::DataDir {
            path: data_dir.clone(),
            source,
        })?;
        let clock = SimClock::new(start_ms);
        let rtc = Ds3231Model::new(&clock);
        let i2c = SimI2cBus::new();
        i2c.attach(DS3231_ADDRESS, rtc.clone());
        let latch = Pcf2129Model::new(&clock);
        i2c.attach(PCF2129_ADDRESS, latch.clone());
        Ok(Self {
            i2c,
            rtc,
            lid: SimLid::with_latch(false, latch.clone()),
            latch,
            led: SimOutputPin::new(&clock),
            buzzer: SimOutputPin::new(&clock),
            power: SimPower::new(Supply::Mains),
            printer: SimSerialPrinter::new(),
            usb: SimUsbStick::new(dir)?,
            power_cut: PowerCut::new(),
            sd: SimSdCard::new(),
            data_dir,
            clock,
        })
    }
}
