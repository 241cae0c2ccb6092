//! The board file, `/etc/tps-kiosk/board.toml`: which pins and buses the kiosk's parts are on.
//! Every key is optional; a missing file means the default wiring below.
//!
//! ## Default wiring (Raspberry Pi 4/5, BCM GPIO numbers)
//!
//! | part | GPIO | header pin | notes |
//! |---|---|---|---|
//! | DS3231 RTC | I2C-1: SDA 2, SCL 3 | 3, 5 | address 0x68 (fixed by the chip) |
//! | receipt printer | UART: TXD 14, RXD 15 | 8, 10 | `/dev/serial0`, 9600 baud, 8N1 |
//! | lid switch | 17 | 11 | to ground when the lid is shut; internal pull-up: high = open |
//! | status LED | 27 | 13 | high = on |
//! | buzzer | 22 | 15 | high = sounding |
//! | UPS mains present | 5 | 29 | high while on mains |
//! | UPS battery low | 6 | 31 | low when the battery is low (open collector) |
//!
//! The UPS lines are pulled towards their inactive level, so a loose mains wire shows as a
//! power change rather than hiding one.
//!
//! ## A board file with every key at its default
//!
//! ```toml
//! [rtc]
//! i2c_bus = 1
//!
//! [pins]           # BCM GPIO numbers
//! lid = 17
//! led = 27
//! buzzer = 22
//! mains = 5
//! battery_low = 6
//!
//! [ups]            # the level at which each line means "yes"
//! mains_present = "high"
//! battery_low = "low"
//!
//! [printer]
//! port = "/dev/serial0"
//! baud = 9600
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::BoardError;
use crate::power::{ActiveLevel, PowerWiring};

/// Where the board file is looked for.
pub const BOARD_FILE: &str = "/etc/tps-kiosk/board.toml";
/// Serial speeds the supported printers are set to.
pub const PRINTER_BAUD_RATES: [u32; 5] = [9600, 19200, 38400, 57600, 115200];
/// GPIOs on the 40-pin header.
const HEADER_GPIOS: std::ops::RangeInclusive<u8> = 0..=27;
/// GPIOs the default buses use: I2C-1 SDA/SCL and the UART's TXD/RXD.
const BUS_GPIOS: [(u8, &str); 4] = [
    (2, "I2C-1 SDA (the RTC)"),
    (3, "I2C-1 SCL (the RTC)"),
    (14, "UART TXD (the printer)"),
    (15, "UART RXD (the printer)"),
];

/// The board file: which bus, pins and port each part is on (a missing setting keeps
/// the default wiring).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoardConfig {
    /// The real-time clock's bus.
    pub rtc: RtcConfig,
    /// The GPIO pins of the lid switch, LED, buzzer and UPS lines.
    pub pins: PinConfig,
    /// Which level of each UPS line means it is active.
    pub ups: UpsConfig,
    /// The printer's serial port.
    pub printer: PrinterConfig,
}

/// Where the real-time clock (and the tamper latch) sit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RtcConfig {
    /// The I2C bus number (1: `/dev/i2c-1`).
    pub i2c_bus: u8,
}

/// BCM GPIO numbers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PinConfig {
    /// The lid switch.
    pub lid: u8,
    /// The status LED.
    pub led: u8,
    /// The buzzer.
    pub buzzer: u8,
    /// The UPS's mains-present line.
    pub mains: u8,
    /// The UPS's battery-low line.
    pub battery_low: u8,
}

/// How the UPS HAT signals.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UpsConfig {
    /// The level of the mains-present line while mains is present.
    pub mains_present: ActiveLevel,
    /// The level of the battery-low line while the battery is low.
    pub battery_low: ActiveLevel,
}

/// The printer's serial connection.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrinterConfig {
    /// The serial device, e.g. `/dev/serial0`.
    pub port: PathBuf,
    /// The serial speed in baud.
    pub baud: u32,
}

impl Default for RtcConfig {
    fn default() -> Self {
        Self { i2c_bus: 1 }
    }
}

impl Default for PinConfig {
    fn default() -> Self {
        Self {
            lid: 17,
            led: 27,
            buzzer: 22,
            mains: 5,
            battery_low: 6,
        }
    }
}

impl Default for UpsConfig {
    fn default() -> Self {
        let wiring = PowerWiring::default();
        Self {
            mains_present: wiring.mains_present,
            battery_low: wiring.battery_low,
        }
    }
}

impl Default for PrinterConfig {
    fn default() -> Self {
        Self {
            port: PathBuf::from("/dev/serial0"),
            baud: 9600,
        }
    }
}

impl UpsConfig {
    /// The UPS levels as the power driver takes them.
    pub fn wiring(&self) -> PowerWiring {
        PowerWiring {
            mains_present: self.mains_present,
            battery_low: self.battery_low,
        }
    }
}

impl PinConfig {
    /// Each pin with its key in the board file.
    pub fn named(&self) -> [(&'static str, u8); 5] {
        [
            ("pins.lid", self.lid),
            ("pins.led", self.led),
            ("pins.buzzer", self.buzzer),
            ("pins.mains", self.mains),
            ("pins.battery_low", self.battery_low),
        ]
    }
}

impl BoardConfig {
    /// Reads the board file at `path`; the defaults if there is none.
    pub fn load(path: &Path) -> Result<Self, BoardError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(BoardError::ConfigUnreadable {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Parses and checks the text of the board file at `path` (named in errors).
    pub fn parse(text: &str, path: &Path) -> Result<Self, BoardError> {
        let config: Self = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |span| span.start);
            let line = text[..at.min(text.len())].matches('\n').count() + 1;
            BoardError::ConfigSyntax {
                path: path.to_owned(),
                line,
                text: text.lines().nth(line - 1).unwrap_or("").trim().to_owned(),
                message: e.message().to_owned(),
            }
        })?;
        config
            .check()
            .map_err(|(field, problem)| BoardError::ConfigInvalid {
                path: path.to_owned(),
                field,
                problem,
            })?;
        Ok(config)
    }

    /// The first setting that cannot work, with its key.
    fn check(&self) -> Result<(), (&'static str, String)> {
        if !PRINTER_BAUD_RATES.contains(&self.printer.baud) {
            return Err((
                "printer.baud",
                format!(
                    "{} is not one of {:?}",
                    self.printer.baud, PRINTER_BAUD_RATES
                ),
            ));
        }
        let pins = self.pins.named();
        for (i, &(field, gpio)) in pins.iter().enumerate() {
            if !HEADER_GPIOS.contains(&gpio) {
                return Err((
                    field,
                    format!("GPIO {gpio} is not on the 40-pin header (0 to 27)"),
                ));
            }
            if self.rtc.i2c_bus == 1
                && let Some((_, bus)) = BUS_GPIOS.iter().find(|(g, _)| *g == gpio)
            {
                return Err((field, format!("GPIO {gpio} is {bus}")));
            }
            if let Some((other, _)) = pins[..i].iter().find(|(_, g)| *g == gpio) {
                return Err((field, format!("GPIO {gpio} is already used by {other}")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BoardConfig, BoardError> {
        BoardConfig::parse(text, Path::new("/etc/tps-kiosk/board.toml"))
    }

    #[test]
    fn a_missing_file_or_empty_tables_mean_the_default_wiring() {
        let dir = tempfile::tempdir().unwrap();
        let missing = BoardConfig::load(&dir.path().join("board.toml")).unwrap();
        assert_eq!(missing, BoardConfig::default());
        assert_eq!(parse("[pins]\n").unwrap(), BoardConfig::default());
        assert_eq!(BoardConfig::default().pins.lid, 17);
    }

    #[test]
    fn keys_given_override_the_defaults() {
        let config =
            parse("[pins]\nlid = 23\n[ups]\nmains_present = \"low\"\n[printer]\nbaud = 19200\n")
                .unwrap();
        assert_eq!(config.pins.lid, 23);
        assert_eq!(config.pins.led, 27);
        assert_eq!(config.ups.wiring().mains_present, ActiveLevel::Low);
        assert_eq!(config.printer.baud, 19200);
        assert_eq!(config.printer.port, PathBuf::from("/dev/serial0"));
    }

    #[test]
    fn a_malformed_file_names_the_file_line_and_field() {
        let err = parse("[pins]\nled = 27\nlid = \"seventeen\"\n").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("/etc/tps-kiosk/board.toml"), "{message}");
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("lid = \"seventeen\""), "{message}");

        let err = parse("[pins]\nlid_gpio = 4\n").unwrap_err();
        assert!(
            matches!(err, BoardError::ConfigSyntax { line: 2, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("lid_gpio"), "{err}");
    }

    #[test]
    fn settings_that_cannot_work_are_refused_by_key() {
        let field = |text: &str| match parse(text) {
            Err(BoardError::ConfigInvalid { field, problem, .. }) => (field, problem),
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(field("[pins]\nbuzzer = 17\n").0, "pins.buzzer");
        assert!(field("[pins]\nbuzzer = 17\n").1.contains("pins.lid"));
        assert_eq!(field("[pins]\nled = 40\n").0, "pins.led");
        assert_eq!(
            field("[pins]\nmains = 14\n").1,
            "GPIO 14 is UART TXD (the printer)"
        );
        assert_eq!(field("[printer]\nbaud = 9601\n").0, "printer.baud");
    }
}
