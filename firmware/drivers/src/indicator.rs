//! The status LED and the buzzer: the kiosk's state at a glance, and alarms.

use embedded_hal::digital::{self, Error as _, OutputPin};

/// What the LED (and buzzer) show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Steady on.
    Ready,
    /// Slow blink, 1 Hz.
    Working,
    /// Double blink every 1.5 s.
    WaitingForWitnesses,
    /// Fast blink, 4 Hz, with the buzzer beeping along.
    Alarm,
}

/// One stretch of a pattern: how long, and whether the LED and the buzzer are on.
#[derive(Debug, Clone, Copy)]
struct Step {
    ms: u64,
    led: bool,
    buzzer: bool,
}

const fn step(ms: u64, led: bool, buzzer: bool) -> Step {
    Step { ms, led, buzzer }
}

const READY: &[Step] = &[step(1000, true, false)];
const WORKING: &[Step] = &[step(500, true, false), step(500, false, false)];
const WAITING_FOR_WITNESSES: &[Step] = &[
    step(150, true, false),
    step(150, false, false),
    step(150, true, false),
    step(1050, false, false),
];
const ALARM: &[Step] = &[step(125, true, true), step(125, false, false)];

impl Pattern {
    /// One cycle of the pattern; it repeats.
    fn cycle(self) -> &'static [Step] {
        match self {
            Pattern::Ready => READY,
            Pattern::Working => WORKING,
            Pattern::WaitingForWitnesses => WAITING_FOR_WITNESSES,
            Pattern::Alarm => ALARM,
        }
    }

    /// (LED, buzzer) at `phase_ms` into the pattern.
    fn levels(self, phase_ms: u64) -> (bool, bool) {
        let cycle = self.cycle();
        let period: u64 = cycle.iter().map(|s| s.ms).sum();
        let mut t = phase_ms % period;
        for s in cycle {
            if t < s.ms {
                return (s.led, s.buzzer);
            }
            t -= s.ms;
        }
        (false, false)
    }
}

/// A pin of the indicator could not be driven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IndicatorError {
    /// The status LED's pin could not be driven.
    #[error("driving the status LED pin failed: {0}")]
    Led(digital::ErrorKind),
    /// The buzzer's pin could not be driven.
    #[error("driving the buzzer pin failed: {0}")]
    Buzzer(digital::ErrorKind),
}

/// The LED and buzzer, driven by [`tick`](Self::tick) from the caller's loop (every 10–25 ms keeps
/// the blinks even). Pins are only written when their level changes.
#[derive(Debug)]
pub struct Indicator<L, B> {
    led: L,
    buzzer: B,
    pattern: Pattern,
    /// When the current pattern started (at the first tick after it was set).
    started_ms: Option<u64>,
    /// Levels as last driven, `None` before the first write.
    led_driven: Option<bool>,
    buzzer_driven: Option<bool>,
}

impl<L: OutputPin, B: OutputPin> Indicator<L, B> {
    /// Shows `pattern` from the first tick on.
    pub fn new(led: L, buzzer: B, pattern: Pattern) -> Self {
        Self {
            led,
            buzzer,
            pattern,
            started_ms: None,
            led_driven: None,
            buzzer_driven: None,
        }
    }

    /// Switches to `pattern`, starting at its beginning; setting the current pattern again changes
    /// nothing.
    pub fn set_pattern(&mut self, pattern: Pattern) {
        if pattern != self.pattern {
            self.pattern = pattern;
            self.started_ms = None;
        }
    }

    /// The pattern the LED and buzzer are showing.
    pub fn pattern(&self) -> Pattern {
        self.pattern
    }

    /// Drives the pins for `now_ms` (any monotonic milliseconds).
    pub fn tick(&mut self, now_ms: u64) -> Result<(), IndicatorError> {
        let started = *self.started_ms.get_or_insert(now_ms);
        let (led, buzzer) = self.pattern.levels(now_ms.saturating_sub(started));
        if self.led_driven != Some(led) {
            self.led
                .set_state(led.into())
                .map_err(|e| IndicatorError::Led(e.kind()))?;
            self.led_driven = Some(led);
        }
        if self.buzzer_driven != Some(buzzer) {
            self.buzzer
                .set_state(buzzer.into())
                .map_err(|e| IndicatorError::Buzzer(e.kind()))?;
            self.buzzer_driven = Some(buzzer);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use embedded_hal_mock::eh1::digital::{Mock, State, Transaction};

    use super::*;

    fn sets(states: &[State]) -> Mock {
        let transactions: Vec<_> = states.iter().map(|&s| Transaction::set(s)).collect();
        Mock::new(&transactions)
    }

    #[test]
    fn ready_is_steady_and_only_written_once() {
        let (mut led, mut buzzer) = (sets(&[State::High]), sets(&[State::Low]));
        let mut indicator = Indicator::new(led.clone(), buzzer.clone(), Pattern::Ready);
        for t in (0..5_000).step_by(10) {
            indicator.tick(t).unwrap();
        }
        led.done();
        buzzer.done();
    }

    #[test]
    fn alarm_blinks_fast_with_the_buzzer_and_a_new_pattern_starts_at_its_beginning() {
        use State::{High, Low};
        let mut led = sets(&[High, Low, High, Low, High, Low, High]);
        let mut buzzer = sets(&[Low, High, Low, High, Low]);
        let mut indicator = Indicator::new(led.clone(), buzzer.clone(), Pattern::Working);
        indicator.tick(1_000).unwrap(); // LED on, buzzer off
        indicator.tick(1_500).unwrap(); // LED off
        indicator.set_pattern(Pattern::Alarm);
        indicator.set_pattern(Pattern::Alarm);
        indicator.tick(1_510).unwrap(); // both on
        indicator.tick(1_600).unwrap();
        indicator.tick(1_635).unwrap(); // both off
        indicator.tick(1_760).unwrap(); // both on
        indicator.set_pattern(Pattern::WaitingForWitnesses);
        indicator.tick(2_000).unwrap(); // LED stays on, buzzer off
        indicator.tick(2_150).unwrap(); // off
        indicator.tick(2_300).unwrap(); // on
        led.done();
        buzzer.done();
    }

    #[test]
    fn patterns_repeat_with_their_period() {
        for (pattern, period) in [
            (Pattern::Working, 1_000),
            (Pattern::WaitingForWitnesses, 1_500),
            (Pattern::Alarm, 250),
        ] {
            for t in (0..period).step_by(25) {
                assert_eq!(pattern.levels(t), pattern.levels(t + 7 * period));
            }
        }
        assert_eq!(Pattern::WaitingForWitnesses.levels(200), (false, false));
        assert_eq!(Pattern::WaitingForWitnesses.levels(350), (true, false));
        assert_eq!(Pattern::WaitingForWitnesses.levels(500), (false, false));
    }
}
