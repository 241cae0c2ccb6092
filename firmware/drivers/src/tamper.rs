//! The enclosure lid switch. Wiring: the switch closes to ground while the lid is shut and the
//! pin has a pull-up, so the pin reads **high when the lid is open** — and an unplugged switch or
//! a cut wire reads as open too.
//!
//! The pin is polled (every [`POLL_PERIOD_MS`]) and a new level counts once it has read the same
//! for [`DEBOUNCE_MS`]. An opened lid must become an alarm within 100 ms; with these numbers the
//! worst case is one poll period plus the debounce time, 30 ms (see `benches/tamper_latency.rs`).

use embedded_hal::digital::{self, Error as _, InputPin};

/// How long a new level must hold before it counts, to ride out contact bounce.
pub const DEBOUNCE_MS: u64 = 20;
/// How often the caller is expected to call [`Tamper::poll`].
pub const POLL_PERIOD_MS: u64 = 10;

/// Whether the lid is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LidState {
    /// The lid is open (or the switch's wire is cut).
    Open,
    /// The lid is shut.
    Closed,
}

/// A debounced change of the lid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LidEvent {
    /// The lid was opened.
    Opened,
    /// The lid was shut.
    Closed,
}

/// The lid switch could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TamperError {
    /// The lid switch's pin could not be read.
    #[error("reading the enclosure lid switch pin failed: {0}")]
    Pin(digital::ErrorKind),
}

/// The debounced lid switch.
#[derive(Debug)]
pub struct Tamper<P> {
    pin: P,
    state: LidState,
    /// A level that differs from `state`, and when it was first seen.
    change: Option<(LidState, u64)>,
}

impl<P: InputPin> Tamper<P> {
    /// `last_known` is the lid state the journal last recorded; only a difference from it is
    /// reported, so a restart with the lid open reports `Opened` once, and one with it shut
    /// reports nothing.
    pub fn new(pin: P, last_known: LidState) -> Self {
        Self {
            pin,
            state: last_known,
            change: None,
        }
    }

    /// Takes `state` as what the journal last recorded (after a restart that replayed it), so
    /// only a difference from it is reported.
    pub fn assume(&mut self, state: LidState) {
        self.state = state;
        self.change = None;
    }

    /// The debounced state.
    pub fn state(&self) -> LidState {
        self.state
    }

    /// Reads the switch at `now_ms` (any monotonic milliseconds); a change once the new level has
    /// held for [`DEBOUNCE_MS`].
    pub fn poll(&mut self, now_ms: u64) -> Result<Option<LidEvent>, TamperError> {
        let open = self.pin.is_high().map_err(|e| TamperError::Pin(e.kind()))?;
        let seen = if open {
            LidState::Open
        } else {
            LidState::Closed
        };
        if seen == self.state {
            self.change = None;
            return Ok(None);
        }
        match self.change {
            Some((level, since)) if level == seen => {
                if now_ms.saturating_sub(since) < DEBOUNCE_MS {
                    return Ok(None);
                }
                self.state = seen;
                self.change = None;
                Ok(Some(match seen {
                    LidState::Open => LidEvent::Opened,
                    LidState::Closed => LidEvent::Closed,
                }))
            }
            _ => {
                self.change = Some((seen, now_ms));
                Ok(None)
            }
        }
    }

    /// Gives the pin back.
    pub fn release(self) -> P {
        self.pin
    }
}

#[cfg(test)]
mod tests {
    use embedded_hal_mock::eh1::MockError;
    use embedded_hal_mock::eh1::digital::{Mock, State, Transaction};

    use super::*;

    fn reads(levels: &[State]) -> Mock {
        let transactions: Vec<_> = levels.iter().map(|&s| Transaction::get(s)).collect();
        Mock::new(&transactions)
    }

    #[test]
    fn an_opened_lid_is_reported_once_it_has_held_for_the_debounce_time() {
        use State::{High, Low};
        let mut pin = reads(&[Low, High, High, High, High, Low, Low, Low]);
        let mut lid = Tamper::new(pin.clone(), LidState::Closed);
        assert_eq!(lid.poll(0).unwrap(), None);
        assert_eq!(lid.poll(10).unwrap(), None, "first seen open");
        assert_eq!(lid.poll(20).unwrap(), None, "open for 10 ms");
        assert_eq!(lid.poll(30).unwrap(), Some(LidEvent::Opened), "20 ms");
        assert_eq!(lid.poll(40).unwrap(), None, "reported once");
        assert_eq!(lid.state(), LidState::Open);
        assert_eq!(lid.poll(50).unwrap(), None);
        assert_eq!(lid.poll(60).unwrap(), None);
        assert_eq!(lid.poll(70).unwrap(), Some(LidEvent::Closed));
        pin.done();
    }

    #[test]
    fn bounces_shorter_than_the_debounce_time_are_not_reported() {
        use State::{High, Low};
        let mut pin = reads(&[High, Low, High, Low, Low]);
        let mut lid = Tamper::new(pin.clone(), LidState::Closed);
        for t in [0, 10, 20, 30, 40] {
            assert_eq!(lid.poll(t).unwrap(), None, "at {t} ms");
        }
        assert_eq!(lid.state(), LidState::Closed);
        pin.done();
    }

    #[test]
    fn a_restart_with_the_lid_as_last_recorded_reports_nothing() {
        let mut pin = reads(&[State::High; 4]);
        let mut lid = Tamper::new(pin.clone(), LidState::Open);
        for t in [0, 10, 20, 30] {
            assert_eq!(lid.poll(t).unwrap(), None);
        }
        pin.done();
    }

    #[test]
    fn a_pin_that_cannot_be_read_is_an_error() {
        let err = MockError::Io(std::io::ErrorKind::Other);
        let mut pin = Mock::new(&[Transaction::get(State::High).with_error(err)]);
        let mut lid = Tamper::new(pin.clone(), LidState::Closed);
        assert_eq!(
            lid.poll(0),
            Err(TamperError::Pin(digital::ErrorKind::Other))
        );
        pin.done();
    }
}
