//! Simulated time: a wall clock (UTC, unix milliseconds) that a test or the desktop UI can set and
//! jump, and a monotonic counter that only ever moves forward.

use embedded_hal::delay::DelayNs;

use crate::shared::Shared;

/// A shared handle on simulated time. Clones see and move the same time.
///
/// The clock stands still unless told otherwise: [`advance`](Self::advance) moves it by hand, and
/// after [`run`](Self::run) each [`tick`](Self::tick) moves it by the real time elapsed (which the
/// caller measures; nothing in this crate reads the system clock) times the speed factor.
#[derive(Debug, Clone)]
pub struct SimClock(Shared<ClockState>);

#[derive(Debug)]
struct ClockState {
    wall_ms: i64,
    mono_ms: u64,
    /// `Some(factor)` while running.
    speed: Option<u32>,
}

impl SimClock {
    /// A stopped clock reading `wall_ms`, with the monotonic counter at 0.
    pub fn new(wall_ms: i64) -> Self {
        Self(Shared::new(ClockState {
            wall_ms,
            mono_ms: 0,
            speed: None,
        }))
    }

    /// Wall time, UTC unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.0.with(|c| c.wall_ms)
    }

    /// Milliseconds since the clock was made; never goes backwards, whatever [`set`](Self::set) does.
    pub fn mono_ms(&self) -> u64 {
        self.0.with(|c| c.mono_ms)
    }

    /// Sets the wall time (forwards or backwards). The monotonic counter does not move.
    pub fn set(&self, wall_ms: i64) {
        self.0.with(|c| c.wall_ms = wall_ms);
    }

    /// Lets `ms` milliseconds pass: wall time and the monotonic counter both move.
    pub fn advance(&self, ms: u64) {
        self.0.with(|c| {
            c.wall_ms = c.wall_ms.saturating_add_unsigned(ms);
            c.mono_ms = c.mono_ms.saturating_add(ms);
        });
    }

    /// From now on, [`tick`](Self::tick) moves time at `speed` times real time.
    pub fn run(&self, speed: u32) {
        self.0.with(|c| c.speed = Some(speed));
    }

    /// Stops following real time; [`advance`](Self::advance) still works.
    pub fn pause(&self) {
        self.0.with(|c| c.speed = None);
    }

    /// The speed factor while running, `None` while paused.
    pub fn speed(&self) -> Option<u32> {
        self.0.with(|c| c.speed)
    }

    /// Reports that `real_elapsed_ms` of real time went by; a running clock advances by that
    /// times its speed, a paused one does not move.
    pub fn tick(&self, real_elapsed_ms: u64) {
        if let Some(speed) = self.speed() {
            self.advance(real_elapsed_ms.saturating_mul(u64::from(speed)));
        }
    }

    /// An embedded-hal delay that, instead of waiting, advances this clock.
    pub fn delay(&self) -> SimDelay {
        SimDelay {
            clock: self.clone(),
            carry_ns: 0,
        }
    }
}

/// A [`DelayNs`] whose delays advance a [`SimClock`] (whole milliseconds; the rest is carried over
/// to the next delay), so drivers that wait run instantly in tests.
#[derive(Debug, Clone)]
pub struct SimDelay {
    clock: SimClock,
    carry_ns: u64,
}

impl DelayNs for SimDelay {
    fn delay_ns(&mut self, ns: u32) {
        let total = self.carry_ns + u64::from(ns);
        self.clock.advance(total / 1_000_000);
        self.carry_ns = total % 1_000_000;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_wall_time_back_never_moves_the_monotonic_counter_back() {
        let clock = SimClock::new(1_000_000);
        clock.advance(500);
        assert_eq!(clock.now_ms(), 1_000_500);
        clock.set(0);
        assert_eq!(clock.now_ms(), 0);
        assert_eq!(clock.mono_ms(), 500);
        clock.advance(1);
        assert_eq!((clock.now_ms(), clock.mono_ms()), (1, 501));
    }

    #[test]
    fn a_running_clock_follows_real_time_times_its_speed() {
        let clock = SimClock::new(0);
        clock.tick(1_000);
        assert_eq!(clock.now_ms(), 0, "a paused clock ignores ticks");
        clock.run(60);
        clock.tick(1_000);
        assert_eq!(clock.now_ms(), 60_000);
        assert_eq!(clock.speed(), Some(60));
        clock.pause();
        clock.tick(1_000);
        assert_eq!(clock.now_ms(), 60_000);
    }

    #[test]
    fn clones_share_the_same_time() {
        let clock = SimClock::new(0);
        let other = clock.clone();
        other.advance(42);
        assert_eq!(clock.now_ms(), 42);
    }

    #[test]
    fn delays_advance_the_clock_and_carry_sub_millisecond_remainders() {
        let clock = SimClock::new(0);
        let mut delay = clock.delay();
        delay.delay_ms(10);
        assert_eq!(clock.mono_ms(), 10);
        delay.delay_us(600);
        assert_eq!(clock.mono_ms(), 10);
        delay.delay_us(600);
        assert_eq!(clock.mono_ms(), 11);
    }
}
