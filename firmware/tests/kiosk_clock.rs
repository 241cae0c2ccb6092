//! The clock under attack (issue 9, finding 4), on the kiosk: a clock changed outside the kiosk
//! is seen against the monotonic clock, and the wrong-PIN delay can be shortened neither by
//! moving the RTC nor by a restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod kiosk_support;

use kiosk_support::provisioned;
use tps_firmware::event::RecordBody;
use tps_firmware::journal::verify::parse_strict;
use tps_firmware::kiosk::{
    Alarm, ClockReading, DRIFT_PER_HOUR_MS, DRIFT_SLACK_MS, DataDir, Kiosk, Outcome,
};
use tps_firmware::procedure::people::Role;
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::{Command, Refusal};
use tps_firmware::time::{Date, LocalTime, TimeZone, instant_at};

const HOUR: u64 = 3_600_000;

fn wall(hhmm: &str) -> i64 {
    instant_at(
        Date::parse("2024-02-14").unwrap(),
        LocalTime::parse(hhmm).unwrap(),
        TimeZone::Wib,
    )
    .unwrap()
}

fn reading(wall_ms: i64, since_boot_ms: u64) -> ClockReading {
    ClockReading {
        wall_ms,
        oscillator_stopped: false,
        since_boot_ms,
    }
}

fn register(role: Role, name: &str, pin: &str, chair_pin: Option<&str>) -> Command {
    Command::Register {
        role,
        name: name.into(),
        letter: String::new(),
        id_number: String::new(),
        pin: Pin::parse(pin).unwrap(),
        salt: [3; 16],
        chair_pin: chair_pin.map(|p| Pin::parse(p).unwrap()),
    }
}

fn kinds(dir: &DataDir) -> Vec<&'static str> {
    let bytes = std::fs::read(dir.journal().primary).unwrap();
    parse_strict(&bytes)
        .unwrap()
        .iter()
        .map(|r| r.record.body.kind_name())
        .collect()
}

#[test]
fn a_clock_running_off_the_monotonic_clock_is_recorded_and_no_step_is_taken_on_it() {
    let (_tmp, dir) = provisioned();
    let t0 = wall("05:00");
    let (mut kiosk, _) = Kiosk::start(&dir, reading(t0, 0)).unwrap();
    let chair = register(Role::Kpps(1), "Ibu Ketua", "271828", None);
    // An hour on, the RTC is as far off as the kiosk allows: 2 s + 5 s an hour.
    let allowed = (DRIFT_SLACK_MS + DRIFT_PER_HOUR_MS) as i64;
    let r = reading(t0 + HOUR as i64 + allowed, HOUR);
    assert!(matches!(kiosk.submit(&chair, r).unwrap(), Outcome::Done(_)));
    assert!(!kiosk.alarms().contains(&Alarm::ClockMoved));
    // A second more than that, later on: a clock changed outside the kiosk.
    let over = (DRIFT_SLACK_MS + 2 * DRIFT_PER_HOUR_MS) as i64 + 1_000;
    let r = reading(t0 + 2 * HOUR as i64 + over, 2 * HOUR);
    let member = register(Role::Kpps(2), "Anggota", "314159", Some("271828"));
    let outcome = kiosk.submit(&member, r).unwrap();
    assert!(
        matches!(outcome, Outcome::Refused(Refusal::ClockUntrusted { .. })),
        "{outcome:?}"
    );
    assert!(kiosk.alarms().contains(&Alarm::ClockMoved));
    assert!(kinds(&dir).contains(&"clock-moved"));
    let moved = parse_strict(&std::fs::read(dir.journal().primary).unwrap())
        .unwrap()
        .into_iter()
        .find_map(|r| match r.record.body {
            RecordBody::ClockMoved {
                rtc_ms,
                expected_ms,
            } => Some((rtc_ms, expected_ms)),
            _ => None,
        })
        .unwrap();
    assert_eq!(moved.1, t0 + 2 * HOUR as i64);
    assert!(moved.0 - moved.1 > (DRIFT_SLACK_MS + 2 * DRIFT_PER_HOUR_MS) as i64);
    assert_eq!(
        kiosk.state().people.len(),
        1,
        "nothing decided on that clock"
    );
}

#[test]
fn the_wrong_pin_delay_survives_a_moved_rtc_and_a_restart() {
    let (_tmp, dir) = provisioned();
    let t0 = wall("05:00");
    let (mut kiosk, _) = Kiosk::start(&dir, reading(t0, 0)).unwrap();
    let chair = register(Role::Kpps(1), "Ibu Ketua", "271828", None);
    kiosk.submit(&chair, reading(t0 + 1_000, 1_000)).unwrap();
    let member = |chair_pin| register(Role::Kpps(2), "Anggota", "314159", Some(chair_pin));
    // Five wrong chair PINs: the sixth try waits 30 s (the procedure's first delay).
    let mut t = 2_000;
    for _ in 0..5 {
        let out = kiosk
            .submit(&member("999111"), reading(t0 + t as i64, t))
            .unwrap();
        assert!(matches!(out, Outcome::Refused(Refusal::WrongPin { .. })));
        t += 1_000;
    }
    let locked = |out: Outcome| matches!(out, Outcome::Refused(Refusal::PinLocked { .. }));
    assert!(locked(
        kiosk
            .submit(&member("271828"), reading(t0 + t as i64, t))
            .unwrap()
    ));
    // The RTC moved an hour on while the kiosk was off: after the restart the delay runs again
    // in full, on the monotonic clock.
    drop(kiosk);
    let t1 = t0 + HOUR as i64;
    let (mut kiosk, _) = Kiosk::start(&dir, reading(t1, 0)).unwrap();
    assert!(locked(
        kiosk
            .submit(&member("271828"), reading(t1 + 29_000, 29_000))
            .unwrap()
    ));
    // A restart again does not shorten it either.
    drop(kiosk);
    let (mut kiosk, _) = Kiosk::start(&dir, reading(t1 + 30_000, 0)).unwrap();
    assert!(locked(
        kiosk
            .submit(&member("271828"), reading(t1 + 59_000, 29_000))
            .unwrap()
    ));
    // Thirty seconds of the kiosk running after the last start: the right PIN is taken.
    let out = kiosk
        .submit(&member("271828"), reading(t1 + 61_000, 31_000))
        .unwrap();
    assert!(matches!(out, Outcome::Done(_)), "{out:?}");
}
