//! The UPS HAT's two status lines, and the enclosure lid switch.

use crate::pcf2129::Pcf2129Model;
use crate::pin::SimInputPin;

/// Where the kiosk's power comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supply {
    /// Mains power is present.
    Mains,
    /// Mains is gone; the UPS battery runs the kiosk.
    Battery,
    /// On battery, and the battery is low.
    BatteryLow,
}

/// The UPS HAT as two input pins, wired like the kiosk's default board: the mains line is high
/// while mains power is present; the battery-low line is active low.
#[derive(Debug, Clone)]
pub struct SimPower {
    mains: SimInputPin,
    battery_low: SimInputPin,
}

impl SimPower {
    /// A UPS whose lines read `supply`.
    pub fn new(supply: Supply) -> Self {
        let power = Self {
            mains: SimInputPin::new(true),
            battery_low: SimInputPin::new(true),
        };
        power.set(supply);
        power
    }

    /// Sets both lines as the UPS does for `supply`.
    pub fn set(&self, supply: Supply) {
        self.mains.set_level(supply == Supply::Mains);
        self.battery_low.set_level(supply != Supply::BatteryLow);
    }

    /// The supply the two lines show.
    pub fn supply(&self) -> Supply {
        match (self.mains.level(), self.battery_low.level()) {
            (true, _) => Supply::Mains,
            (false, true) => Supply::Battery,
            (false, false) => Supply::BatteryLow,
        }
    }

    /// The mains-present line, for the power driver.
    pub fn mains_pin(&self) -> SimInputPin {
        self.mains.clone()
    }

    /// The battery-low line, for the power driver.
    pub fn battery_low_pin(&self) -> SimInputPin {
        self.battery_low.clone()
    }
}

/// The enclosure lid switch: its pin reads high while the lid is open (the switch closes to
/// ground when the lid is shut; a pull-up makes an open switch or a cut wire read open). A
/// second contact drives the tamper latch's TS input, so an opening is latched whether the
/// kiosk is on or off.
#[derive(Debug, Clone)]
pub struct SimLid(SimInputPin, Option<Pcf2129Model>);

impl SimLid {
    /// A lid, open or shut, with no tamper latch wired to it.
    pub fn new(open: bool) -> Self {
        Self(SimInputPin::new(open), None)
    }

    /// A lid whose openings the latch `latch` also sees.
    pub fn with_latch(open: bool, latch: Pcf2129Model) -> Self {
        Self(SimInputPin::new(open), Some(latch))
    }

    /// Opens the lid; the latch, if wired, latches the opening.
    pub fn open(&self) {
        if !self.0.level()
            && let Some(latch) = &self.1
        {
            latch.ts_event();
        }
        self.0.set_level(true);
    }

    /// Shuts the lid.
    pub fn close(&self) {
        self.0.set_level(false);
    }

    /// Whether the lid is open.
    pub fn is_open(&self) -> bool {
        self.0.level()
    }

    /// The switch's pin, for the tamper driver.
    pub fn pin(&self) -> SimInputPin {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use embedded_hal::digital::InputPin;

    use super::*;

    #[test]
    fn each_supply_drives_the_documented_levels() {
        let power = SimPower::new(Supply::Mains);
        let (mut mains, mut low) = (power.mains_pin(), power.battery_low_pin());
        assert!(mains.is_high().unwrap() && low.is_high().unwrap());
        power.set(Supply::Battery);
        assert!(mains.is_low().unwrap() && low.is_high().unwrap());
        power.set(Supply::BatteryLow);
        assert!(mains.is_low().unwrap() && low.is_low().unwrap());
        assert_eq!(power.supply(), Supply::BatteryLow);
    }

    #[test]
    fn an_open_lid_reads_high() {
        let lid = SimLid::new(false);
        let mut pin = lid.pin();
        assert!(pin.is_low().unwrap());
        lid.open();
        assert!(pin.is_high().unwrap() && lid.is_open());
        lid.close();
        assert!(pin.is_low().unwrap());
    }
}
