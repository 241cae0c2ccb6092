//! The UPS HAT's status lines: whether mains power is present, and whether the battery is low.

use embedded_hal::digital::{self, InputPin};
use serde::Deserialize;

use tps_base::power::PowerState;

/// How many polls in a row must agree before a change counts, so a brief flicker on a line
/// during a brown-out is not recorded as two power changes.
pub const CONFIRMING_READS: u8 = 2;

/// The level at which a status line means "yes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActiveLevel {
    /// The line is high when it means yes.
    High,
    /// The line is low when it means yes.
    Low,
}

/// How the UPS HAT signals. UPS boards differ; the default is the kiosk's reference wiring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowerWiring {
    /// Default: high while mains power is present.
    pub mains_present: ActiveLevel,
    /// Default: low while the battery is low (an open-collector alarm line with a pull-up).
    pub battery_low: ActiveLevel,
}

impl Default for PowerWiring {
    fn default() -> Self {
        Self {
            mains_present: ActiveLevel::High,
            battery_low: ActiveLevel::Low,
        }
    }
}

/// A UPS status line could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PowerError {
    /// The UPS's mains-present pin could not be read.
    #[error("reading the UPS mains-present pin failed: {0}")]
    MainsPin(digital::ErrorKind),
    /// The UPS's battery-low pin could not be read.
    #[error("reading the UPS battery-low pin failed: {0}")]
    BatteryLowPin(digital::ErrorKind),
}

/// The UPS status, reporting changes.
#[derive(Debug)]
pub struct Power<M, L> {
    mains: M,
    battery_low: L,
    wiring: PowerWiring,
    state: PowerState,
    /// A state different from `state` and how many polls in a row have seen it.
    pending: Option<(PowerState, u8)>,
}

impl<M: InputPin, L: InputPin> Power<M, L> {
    /// `last_known` is the power state the journal last recorded; only differences from it are
    /// reported.
    pub fn new(mains: M, battery_low: L, wiring: PowerWiring, last_known: PowerState) -> Self {
        Self {
            mains,
            battery_low,
            wiring,
            state: last_known,
            pending: None,
        }
    }

    /// Takes `state` as what the journal last recorded (after a restart that replayed it), so
    /// only a difference from it is reported.
    pub fn assume(&mut self, state: PowerState) {
        self.state = state;
        self.pending = None;
    }

    /// The confirmed state.
    pub fn state(&self) -> PowerState {
        self.state
    }

    /// Reads both lines; the new state once [`CONFIRMING_READS`] polls in a row have seen it.
    /// Mains present counts as [`PowerState::Mains`] whatever the battery line says.
    pub fn poll(&mut self) -> Result<Option<PowerState>, PowerError> {
        let seen = self.read()?;
        if seen == self.state {
            self.pending = None;
            return Ok(None);
        }
        let reads = match self.pending {
            Some((state, reads)) if state == seen => reads.saturating_add(1),
            _ => 1,
        };
        if reads < CONFIRMING_READS {
            self.pending = Some((seen, reads));
            return Ok(None);
        }
        self.state = seen;
        self.pending = None;
        Ok(Some(seen))
    }

    fn read(&mut self) -> Result<PowerState, PowerError> {
        let mains =
            is_active(&mut self.mains, self.wiring.mains_present).map_err(PowerError::MainsPin)?;
        if mains {
            return Ok(PowerState::Mains);
        }
        let low = is_active(&mut self.battery_low, self.wiring.battery_low)
            .map_err(PowerError::BatteryLowPin)?;
        Ok(if low {
            PowerState::BatteryLow
        } else {
            PowerState::Battery
        })
    }
}

fn is_active(pin: &mut impl InputPin, active: ActiveLevel) -> Result<bool, digital::ErrorKind> {
    let high = pin.is_high().map_err(|e| digital::Error::kind(&e))?;
    Ok(high == (active == ActiveLevel::High))
}

#[cfg(test)]
mod tests {
    use embedded_hal_mock::eh1::digital::{Mock, State, Transaction};

    use super::*;

    fn reads(levels: &[State]) -> Mock {
        let transactions: Vec<_> = levels.iter().map(|&s| Transaction::get(s)).collect();
        Mock::new(&transactions)
    }

    #[test]
    fn a_lost_mains_then_a_low_battery_are_reported_once_confirmed() {
        use State::{High, Low};
        // The battery line is only read while mains is absent.
        let mut mains = reads(&[High, Low, Low, Low, Low, Low]);
        let mut low = reads(&[High, High, High, Low, Low]);
        let mut power = Power::new(
            mains.clone(),
            low.clone(),
            PowerWiring::default(),
            PowerState::Mains,
        );
        assert_eq!(power.poll().unwrap(), None);
        assert_eq!(power.poll().unwrap(), None, "seen once");
        assert_eq!(power.poll().unwrap(), Some(PowerState::Battery));
        assert_eq!(power.poll().unwrap(), None, "no change");
        assert_eq!(power.poll().unwrap(), None);
        assert_eq!(power.poll().unwrap(), Some(PowerState::BatteryLow));
        assert_eq!(power.state(), PowerState::BatteryLow);
        mains.done();
        low.done();
    }

    #[test]
    fn a_single_flicker_is_not_a_change() {
        use State::{High, Low};
        let mut mains = reads(&[Low, High, Low, High]);
        let mut low = reads(&[High, High]);
        let mut power = Power::new(
            mains.clone(),
            low.clone(),
            PowerWiring::default(),
            PowerState::Mains,
        );
        for _ in 0..4 {
            assert_eq!(power.poll().unwrap(), None);
        }
        mains.done();
        low.done();
    }

    #[test]
    fn inverted_wiring_is_honoured() {
        use State::High;
        // A HAT whose power-loss line goes high on battery and whose alarm line is active high.
        let wiring = PowerWiring {
            mains_present: ActiveLevel::Low,
            battery_low: ActiveLevel::High,
        };
        let mut mains = reads(&[High, High]);
        let mut low = reads(&[High, High]);
        let mut power = Power::new(mains.clone(), low.clone(), wiring, PowerState::Mains);
        assert_eq!(power.poll().unwrap(), None);
        assert_eq!(power.poll().unwrap(), Some(PowerState::BatteryLow));
        mains.done();
        low.done();
    }
}
