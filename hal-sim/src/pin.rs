//! Simulated GPIO pins. Clones of a pin share its level, so a test keeps one clone to flip an
//! input or watch an output while the driver owns another.

use std::collections::VecDeque;
use std::convert::Infallible;

use embedded_hal::digital::{ErrorType, InputPin, OutputPin, StatefulOutputPin};

use crate::clock::SimClock;
use crate::shared::Shared;

/// An input pin whose level the simulation sets.
#[derive(Debug, Clone)]
pub struct SimInputPin(Shared<bool>);

impl SimInputPin {
    /// A pin reading `high` (`true`) or low.
    pub fn new(high: bool) -> Self {
        Self(Shared::new(high))
    }

    /// Drives the pin high (`true`) or low (`false`).
    pub fn set_level(&self, high: bool) {
        self.0.with(|level| *level = high);
    }

    /// The level the pin reads, `true` for high.
    pub fn level(&self) -> bool {
        self.0.with(|level| *level)
    }
}

impl ErrorType for SimInputPin {
    type Error = Infallible;
}

impl InputPin for SimInputPin {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.level())
    }

    fn is_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.level())
    }
}

/// How many level changes an output pin remembers.
pub const HISTORY_LEN: usize = 128;

/// An output pin changed level at a moment on the simulated monotonic clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelChange {
    /// [`SimClock::mono_ms`] when the pin changed.
    pub at_ms: u64,
    /// The level it changed to, `true` for high.
    pub high: bool,
}

/// An output pin that remembers its recent level changes, so a test can check a blink pattern.
/// It starts low.
#[derive(Debug, Clone)]
pub struct SimOutputPin {
    state: Shared<OutputState>,
    clock: SimClock,
}

#[derive(Debug)]
struct OutputState {
    high: bool,
    history: VecDeque<LevelChange>,
}

impl SimOutputPin {
    /// A low pin stamping its changes with `clock`'s monotonic time.
    pub fn new(clock: &SimClock) -> Self {
        Self {
            state: Shared::new(OutputState {
                high: false,
                history: VecDeque::with_capacity(HISTORY_LEN),
            }),
            clock: clock.clone(),
        }
    }

    /// The level the pin is driven to, `true` for high.
    pub fn level(&self) -> bool {
        self.state.with(|s| s.high)
    }

    /// The last [`HISTORY_LEN`] level changes, oldest first. Writes that keep the level are not
    /// changes.
    pub fn history(&self) -> Vec<LevelChange> {
        self.state.with(|s| s.history.iter().copied().collect())
    }

    /// Forgets the level changes so far.
    pub fn clear_history(&self) {
        self.state.with(|s| s.history.clear());
    }

    fn drive(&self, high: bool) {
        let at_ms = self.clock.mono_ms();
        self.state.with(|s| {
            if s.high != high {
                s.high = high;
                if s.history.len() == HISTORY_LEN {
                    s.history.pop_front();
                }
                s.history.push_back(LevelChange { at_ms, high });
            }
        });
    }
}

impl ErrorType for SimOutputPin {
    type Error = Infallible;
}

impl OutputPin for SimOutputPin {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.drive(false);
        Ok(())
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.drive(true);
        Ok(())
    }
}

impl StatefulOutputPin for SimOutputPin {
    fn is_set_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.level())
    }

    fn is_set_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.level())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flipped_input_reads_the_new_level_through_every_clone() {
        let control = SimInputPin::new(false);
        let mut pin = control.clone();
        assert!(pin.is_low().unwrap());
        control.set_level(true);
        assert!(pin.is_high().unwrap());
    }

    #[test]
    fn an_output_records_only_changes_with_their_time() {
        let clock = SimClock::new(0);
        let watch = SimOutputPin::new(&clock);
        let mut pin = watch.clone();
        pin.set_low().unwrap();
        clock.advance(100);
        pin.set_high().unwrap();
        pin.set_high().unwrap();
        clock.advance(50);
        pin.toggle().unwrap();
        assert_eq!(
            watch.history(),
            [
                LevelChange {
                    at_ms: 100,
                    high: true
                },
                LevelChange {
                    at_ms: 150,
                    high: false
                },
            ]
        );
        assert!(pin.is_set_low().unwrap());
        watch.clear_history();
        assert!(watch.history().is_empty());
    }

    #[test]
    fn the_history_keeps_only_the_newest_changes() {
        let clock = SimClock::new(0);
        let watch = SimOutputPin::new(&clock);
        let mut pin = watch.clone();
        for _ in 0..HISTORY_LEN {
            clock.advance(1);
            pin.toggle().unwrap();
        }
        clock.advance(1);
        pin.toggle().unwrap();
        let history = watch.history();
        assert_eq!(history.len(), HISTORY_LEN);
        assert_eq!(history[0].at_ms, 2);
        assert_eq!(history[HISTORY_LEN - 1].at_ms, HISTORY_LEN as u64 + 1);
    }
}
