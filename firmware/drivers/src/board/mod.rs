//! The Raspberry Pi: the kiosk's drivers on real pins and buses through rppal. This is the only
//! module that names rppal (no longer maintained upstream; behind embedded-hal, moving to
//! linux-embedded-hal touches only this module).
//!
//! The wiring comes from the board file; see [`config`] for the file and the default pin table.

pub mod config;
mod error;
mod serial;

use rppal::gpio::{self, Gpio, InputPin, OutputPin};
use rppal::hal::Delay;
use rppal::i2c::I2c;

use crate::indicator::{Indicator, Pattern};
use crate::latch::TamperLatch;
use crate::power::{ActiveLevel, Power};
use crate::printer::Printer;
use crate::rtc::Rtc;
use crate::tamper::{LidState, Tamper};
pub use config::{BOARD_FILE, BoardConfig};
pub use error::BoardError;
pub use serial::{SerialError, SerialPort};
use tps_base::power::PowerState;

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
