//! A simulated I2C bus hosting device models by address.

use std::collections::BTreeMap;
use std::fmt;

use embedded_hal::i2c::{self, ErrorKind, I2c, NoAcknowledgeSource, Operation};

use crate::shared::Shared;

/// A device on the simulated bus. The bus calls it once per operation of a transaction addressed
/// to it.
pub trait I2cDevice: Send + fmt::Debug {
    /// The controller wrote `bytes`.
    fn write(&mut self, bytes: &[u8]);
    /// The controller reads `buf.len()` bytes.
    fn read(&mut self, buf: &mut [u8]);
}

/// A shared I2C bus. Clones are the same bus: a driver owns one, a test keeps another to attach or
/// detach devices.
#[derive(Debug, Clone, Default)]
pub struct SimI2cBus(Shared<BTreeMap<u8, Box<dyn I2cDevice>>>);

impl SimI2cBus {
    /// An empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts `device` on the bus at the 7-bit `address`, replacing any device already there.
    pub fn attach(&self, address: u8, device: impl I2cDevice + 'static) {
        self.0
            .with(|devices| devices.insert(address, Box::new(device)));
    }

    /// Takes the device at `address` off the bus (a broken wire); whether there was one.
    pub fn detach(&self, address: u8) -> bool {
        self.0.with(|devices| devices.remove(&address).is_some())
    }
}

/// What went wrong on the simulated bus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimI2cError {
    /// A transfer to an address where no simulated device sits.
    #[error("no device acknowledged I2C address {address:#04x}")]
    NoDevice {
        /// The 7-bit address.
        address: u8,
    },
}

impl i2c::Error for SimI2cError {
    fn kind(&self) -> ErrorKind {
        match self {
            SimI2cError::NoDevice { .. } => ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address),
        }
    }
}

impl i2c::ErrorType for SimI2cBus {
    type Error = SimI2cError;
}

impl I2c for SimI2cBus {
    fn transaction(
        &mut self,
        address: u8,
        operations: &mut [Operation<'_>],
    ) -> Result<(), SimI2cError> {
        self.0.with(|devices| {
            let device = devices
                .get_mut(&address)
                .ok_or(SimI2cError::NoDevice { address })?;
            for operation in operations {
                match operation {
                    Operation::Write(bytes) => device.write(bytes),
                    Operation::Read(buf) => device.read(buf),
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Remembers the last byte written and reads it back incremented.
    #[derive(Debug, Default)]
    struct Echo(u8);

    impl I2cDevice for Echo {
        fn write(&mut self, bytes: &[u8]) {
            if let Some(&last) = bytes.last() {
                self.0 = last;
            }
        }
        fn read(&mut self, buf: &mut [u8]) {
            buf.fill(self.0.wrapping_add(1));
        }
    }

    #[test]
    fn transactions_reach_the_device_at_their_address() {
        let mut bus = SimI2cBus::new();
        bus.attach(0x20, Echo::default());
        let mut answer = [0; 2];
        bus.write_read(0x20, &[7], &mut answer).unwrap();
        assert_eq!(answer, [8, 8]);
    }

    #[test]
    fn an_absent_address_is_not_acknowledged() {
        let mut bus = SimI2cBus::new();
        bus.attach(0x20, Echo::default());
        let err = bus.write(0x21, &[1]).unwrap_err();
        assert_eq!(err, SimI2cError::NoDevice { address: 0x21 });
        assert_eq!(
            i2c::Error::kind(&err),
            ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
        );
        assert!(bus.clone().detach(0x20));
        assert!(bus.write(0x20, &[1]).is_err());
    }
}
