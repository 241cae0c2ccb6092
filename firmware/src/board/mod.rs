//! The Raspberry Pi: the kiosk's drivers on real pins and buses through rppal. This is the only
//! module that names rppal (no longer maintained upstream; behind embedded-hal, moving to
//! linux-embedded-hal touches only this module).
//!
//! The wiring comes from the board file; see [`config`] for the file and the default pin table.

pub mod config;
mod serial;

use std::path::PathBuf;

use rppal::gpio::{self, Gpio, InputPin, OutputPin};
use rppal::hal::Delay;
use rppal::i2c::{self, I2c};

use crate::drivers::indicator::{Indicator, Pattern};
use crate::drivers::latch::TamperLatch;
use crate::drivers::power::{ActiveLevel, Power};
use crate::drivers::printer::Printer;
use crate::drivers::rtc::Rtc;
use crate::drivers::tamper::{LidState, Tamper};
use crate::power::PowerState;
pub use config::{BOARD_FILE, BoardConfig};
pub use serial::{SerialError, SerialPort};

/// Why the board could not be brought up. Each names the part and the setting to check.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BoardError {
    /// The board file could not be read.
    #[error("the board file {path} cannot be read: {source}")]
    ConfigUnreadable {
        /// The board file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The board file is not TOML of the board file's shape (an unknown setting, a wrong type).
    #[error("the board file {path}, line {line} (`{text}`): {message}")]
    ConfigSyntax {
        /// The board file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// The line as written.
        text: String,
        /// What is wrong with it.
        message: String,
    },
    /// A setting of the board file has a value the board cannot use.
    #[error("the board file {path}, `{field}`: {problem}")]
    ConfigInvalid {
        /// The board file.
        path: PathBuf,
        /// The setting.
        field: &'static str,
        /// What is wrong with its value.
        problem: String,
    },
    /// The GPIO controller could not be opened.
    #[error("the GPIO controller cannot be opened: {0}")]
    Gpio(gpio::Error),
    /// A GPIO pin a part needs could not be claimed.
    #[error("GPIO {gpio} for the {part} cannot be claimed: {source}")]
    Pin {
        /// The part the pin is for.
        part: &'static str,
        /// The BCM GPIO number.
        gpio: u8,
        /// What the GPIO driver said.
        source: gpio::Error,
    },
    /// The I2C bus of the clock and tamper latch could not be opened.
    #[error("I2C bus {bus} for the real-time clock and tamper latch cannot be opened: {source}")]
    I2c {
        /// The I2C bus number.
        bus: u8,
        /// What the I2C driver said.
        source: i2c::Error,
    },
    /// The printer's serial port could not be opened.
    #[error("the printer's serial port {port} cannot be opened: {source}")]
    Uart {
        /// The serial device.
        port: PathBuf,
        /// What the UART driver said.
        source: rppal::uart::Error,
    },
}

/// The Pi's bus, pin and delay types, for code that holds the drivers without naming rppal.
pub type BoardI2c = I2c;
/// An input pin of the Pi.
pub type BoardInputPin = InputPin;
/// An output pin of the Pi.
pub type BoardOutputPin = OutputPin;
/// The Pi's blocking delay.
pub type BoardDelay = Delay;

/// What the journal last recorded, so the drivers report only real changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastRecorded {
    /// The lid as last recorded.
    pub lid: LidState,
    /// The power supply as last recorded.
    pub power: PowerState,
}

/// The kiosk's drivers on the Pi.
#[derive(Debug)]
pub struct Board {
    /// The DS3231 real-time clock.
    pub rtc: Rtc<I2c>,
    /// The debounced lid switch.
    pub tamper: Tamper<InputPin>,
    /// The PCF2129 tamper latch on the RTC's I2C bus (its TS input on the lid switch's second
    /// contact), which keeps an opening while the kiosk is off.
    pub latch: TamperLatch<I2c>,
    /// Starts with [`Pattern::Working`].
    pub indicator: Indicator<OutputPin, OutputPin>,
    /// The UPS HAT's status lines.
    pub power: Power<InputPin, InputPin>,
    /// The receipt printer.
    pub printer: Printer<SerialPort>,
    /// For the printer's status polling.
    pub delay: Delay,
}

impl Board {
    /// Opens every part as `config` wires it; `last` is what the journal last recorded.
    pub fn open(config: &BoardConfig, last: LastRecorded) -> Result<Self, BoardError> {
        let gpio = Gpio::new().map_err(BoardError::Gpio)?;
        let pin = |part, gpio_number| {
            gpio.get(gpio_number).map_err(|source| BoardError::Pin {
                part,
                gpio: gpio_number,
                source,
            })
        };
        let pins = &config.pins;
        let wiring = config.ups.wiring();
        // Each UPS line is pulled towards "no", so a loose wire shows as a change.
        let pulled_inactive = |p: gpio::Pin, active| match active {
            ActiveLevel::High => p.into_input_pulldown(),
            ActiveLevel::Low => p.into_input_pullup(),
        };

        let lid = pin("lid switch", pins.lid)?.into_input_pullup();
        let led = pin("status LED", pins.led)?.into_output_low();
        let buzzer = pin("buzzer", pins.buzzer)?.into_output_low();
        let mains = pulled_inactive(pin("UPS mains line", pins.mains)?, wiring.mains_present);
        let battery_low = pulled_inactive(
            pin("UPS battery-low line", pins.battery_low)?,
            wiring.battery_low,
        );
        // Two handles on the one bus (the kernel serialises their transfers): the RTC's and the
        // latch's.
        let open_i2c = || {
            I2c::with_bus(config.rtc.i2c_bus).map_err(|source| BoardError::I2c {
                bus: config.rtc.i2c_bus,
                source,
            })
        };
        let i2c = open_i2c()?;
        let latch_i2c = open_i2c()?;
        let port =
            SerialPort::open(&config.printer.port, config.printer.baud).map_err(|source| {
                BoardError::Uart {
                    port: config.printer.port.clone(),
                    source,
                }
            })?;

        Ok(Self {
            rtc: Rtc::new(i2c),
            tamper: Tamper::new(lid, last.lid),
            latch: TamperLatch::new(latch_i2c),
            indicator: Indicator::new(led, buzzer, Pattern::Working),
            power: Power::new(mains, battery_low, wiring, last.power),
            printer: Printer::new(port),
            delay: Delay::new(),
        })
    }
}
