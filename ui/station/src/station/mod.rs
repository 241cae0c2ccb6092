//! The station: the kiosk with its devices. It reads the clock through the RTC driver, turns the
//! lid, UPS and USB stick into journal records, prints reports, and passes commands to the
//! [`Kiosk`](tps_firmware::kiosk::Kiosk). The same code runs on the Pi ([`pi`], feature `rpi`:
//! drivers on real pins) and on the simulator ([`SimStation`]: the same drivers on hal-sim),
//! which the developer's window, the headless scenarios and the tests use.

mod common;
pub mod export;
#[cfg(feature = "rpi")]
pub mod pi;
pub mod provisioning;
mod sim;

pub use common::{Devices, NOT_PROVISIONED, Station, StationError, StationStatus};
pub use sim::{SIM_DEVICE_ID, SimDevices, SimStation};
