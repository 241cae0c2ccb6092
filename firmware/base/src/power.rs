//! The power supply's state, as the UPS reports it: a hardware fact the drivers read and the
//! journal records, so it sits at the base beside `time` and `election`.

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

/// Power as the UPS reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub enum PowerState {
    /// Mains power is present.
    Mains,
    /// Mains is gone; the kiosk runs on the UPS battery.
    Battery,
    /// On battery, and the UPS reports the battery low.
    BatteryLow,
}
