//! Fixtures shared by the kiosk runtime tests: a development-provisioned data directory for the
//! Jawa Barat example package, and the clock as an untouched kiosk reads it.
#![allow(dead_code)]
// Test fixtures: a failure here is a failing test.
#![allow(clippy::unwrap_used)]

use tps_firmware::kiosk::{ClockReading, DataDir, provision};
use tps_firmware::time::{Date, LocalTime, TimeZone, instant_at};

pub const PACKAGE: &str = include_str!("../../../keys/examples/election-pemilu-2024-jabar.toml");

/// The RTC at `hhmm` on election day, and the boot timer keeping pace with it, as on a kiosk
/// whose clock nobody touches.
pub fn at(hhmm: &str) -> ClockReading {
    let day = Date::parse("2024-02-14").unwrap();
    let wall_ms = instant_at(day, LocalTime::parse(hhmm).unwrap(), TimeZone::Wib).unwrap();
    let midnight = instant_at(day, LocalTime::new(0, 0), TimeZone::Wib).unwrap();
    ClockReading {
        wall_ms,
        oscillator_stopped: false,
        since_boot_ms: u64::try_from(wall_ms - midnight).unwrap(),
    }
}

/// A data directory provisioned as the simulator does, for device `sim-0001`.
pub fn provisioned() -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    provision::development(&dir, PACKAGE, "sim-0001").unwrap();
    (tmp, dir)
}
