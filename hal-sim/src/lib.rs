#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! Simulated TPS Kiosk hardware at the embedded-hal level, so the firmware's real drivers run
//! on a PC: a controllable clock, GPIO pins, an I2C bus with a DS3231 register model and a PCF2129
//! tamper latch on the lid (it keeps an opening while the kiosk is off), a serial
//! ESC/POS printer that keeps (and draws) what it printed, a USB stick that can be pulled, the UPS
//! status lines, a power cut in the middle of a write, and hostile USB sticks (a FIFO, a link or a
//! huge file where the mirror should be).
//!
//! Start with [`SimHardware`], which builds all of it wired together. Every handle is cheap to
//! clone and clones share state, so one clone goes to a driver and another stays with the test or
//! the simulator's window. Nothing here reads the system clock: time moves only when the
//! [`SimClock`] is told to.

mod calendar;
mod clock;
mod ds3231;
mod hardware;
mod i2c;
mod pcf2129;
mod pin;
mod power;
mod power_cut;
mod printer;
pub mod render;
mod sd;
mod shared;
mod usb;

pub use clock::{SimClock, SimDelay};
pub use ds3231::{DS3231_ADDRESS, Ds3231Model};
pub use hardware::{SimHardware, SimSetupError};
pub use i2c::{I2cDevice, SimI2cBus, SimI2cError};
pub use pcf2129::{PCF2129_ADDRESS, Pcf2129Model};
pub use pin::{HISTORY_LEN, LevelChange, SimInputPin, SimOutputPin};
pub use power::{SimLid, SimPower, Supply};
pub use power_cut::PowerCut;
pub use printer::{SaveError, SimSerialPrinter};
pub use sd::SimSdCard;
pub use usb::{
    HostileFile, HostileStick, MIRROR_DIR, MIRROR_FILE, REPLACED_DIR, SimUsbStick, StickRefusal,
    UNPLUGGED_DIR, UsbError,
};
