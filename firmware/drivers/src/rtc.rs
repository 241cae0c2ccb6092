//! The DS3231 battery-backed real-time clock: the kiosk's trusted wall time, kept in UTC.

use core::fmt;

use ds323x::{DateTimeAccess, Datelike, Ds323x, NaiveDate, ic, interface::I2cInterface};
use embedded_hal::i2c::{self, I2c};

/// What the clock said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtcReading {
    /// UTC unix milliseconds (whole seconds: the chip counts seconds).
    pub unix_ms: i64,
    /// The oscillator stopped at some point since the clock was last set (flat backup battery),
    /// so `unix_ms` is not to be trusted.
    pub oscillator_stopped: bool,
}

/// Why the clock could not be read or set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RtcError {
    /// The I2C transfer with the clock failed.
    #[error("the real-time clock (DS3231 on I2C, address 0x68) did not answer properly: {0}")]
    Bus(i2c::ErrorKind),
    /// The clock's registers hold a date that does not exist (a month 13, say).
    #[error("the real-time clock holds a date that does not exist; set the clock")]
    ImpossibleDate,
    /// A time to set that the clock's two-digit year cannot hold.
    #[error("{unix_ms} ms is outside the years the real-time clock can hold (2000 to 2100)")]
    OutOfRange {
        /// The time asked for.
        unix_ms: i64,
    },
}

/// The DS3231 on an I2C bus, at its fixed address 0x68.
pub struct Rtc<I2C> {
    chip: Ds323x<I2cInterface<I2C>, ic::DS3231>,
}

// ds323x's chip markers do not implement Debug.
impl<I2C> fmt::Debug for Rtc<I2C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rtc").finish_non_exhaustive()
    }
}

impl<I2C: I2c> Rtc<I2C> {
    /// The DS3231 on `i2c`.
    pub fn new(i2c: I2C) -> Self {
        Self {
            chip: Ds323x::new_ds3231(i2c),
        }
    }

    /// The current time and whether it can be trusted.
    pub fn read(&mut self) -> Result<RtcReading, RtcError> {
        let time = self.chip.datetime().map_err(from_chip)?;
        let oscillator_stopped = self.chip.has_been_stopped().map_err(from_chip)?;
        Ok(RtcReading {
            unix_ms: time.and_utc().timestamp_millis(),
            oscillator_stopped,
        })
    }

    /// Sets the clock to `unix_ms` (UTC; the milliseconds are dropped) and clears the
    /// oscillator-stopped flag, so the time is trusted from now on. For technicians: the caller
    /// records the old and the new time.
    pub fn set(&mut self, unix_ms: i64) -> Result<(), RtcError> {
        let out_of_range = RtcError::OutOfRange { unix_ms };
        let t = time::OffsetDateTime::from_unix_timestamp(unix_ms.div_euclid(1000))
            .map_err(|_| out_of_range)?;
        let datetime =
            NaiveDate::from_ymd_opt(t.year(), u32::from(u8::from(t.month())), u32::from(t.day()))
                .and_then(|d| {
                    d.and_hms_opt(
                        u32::from(t.hour()),
                        u32::from(t.minute()),
                        u32::from(t.second()),
                    )
                })
                .ok_or(out_of_range)?;
        if !(2000..=2100).contains(&datetime.year()) {
            return Err(out_of_range);
        }
        self.chip.set_datetime(&datetime).map_err(|e| match e {
            ds323x::Error::InvalidInputData => out_of_range,
            other => from_chip(other),
        })?;
        self.chip.clear_has_been_stopped_flag().map_err(from_chip)
    }

    /// Gives the I2C bus back.
    pub fn release(self) -> I2C {
        self.chip.destroy_ds3231()
    }
}

fn from_chip<E: i2c::Error>(e: ds323x::Error<E>) -> RtcError {
    match e {
        ds323x::Error::Comm(e) => RtcError::Bus(e.kind()),
        ds323x::Error::InvalidDeviceState | ds323x::Error::InvalidInputData => {
            RtcError::ImpossibleDate
        }
    }
}

#[cfg(test)]
mod tests {
    use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
    use embedded_hal_mock::eh1::i2c::{Mock, Transaction};

    use super::*;

    const ADDR: u8 = 0x68;
    /// 2024-02-14 07:30:05 UTC, a Wednesday.
    const T: i64 = 1_707_895_805_000;
    const T_REGISTERS: [u8; 7] = [0x05, 0x30, 0x07, 4, 0x14, 0x02, 0x24];

    #[test]
    fn reads_bcd_registers_as_utc_milliseconds_with_the_stop_flag() {
        let mut i2c = Mock::new(&[
            Transaction::write_read(ADDR, vec![0x00], T_REGISTERS.to_vec()),
            Transaction::write_read(ADDR, vec![0x0F], vec![0x88]),
        ]);
        let mut rtc = Rtc::new(i2c.clone());
        assert_eq!(
            rtc.read().unwrap(),
            RtcReading {
                unix_ms: T,
                oscillator_stopped: true
            }
        );
        i2c.done();
    }

    #[test]
    fn setting_writes_the_time_and_clears_the_stop_flag() {
        let mut registers = vec![0x00];
        registers.extend(T_REGISTERS);
        let mut i2c = Mock::new(&[
            Transaction::write(ADDR, registers),
            // OSF cleared; the alarm flags are written as 1, which leaves them as they are.
            Transaction::write(ADDR, vec![0x0F, 0x0B]),
        ]);
        let mut rtc = Rtc::new(i2c.clone());
        rtc.set(T + 999).unwrap();
        i2c.done();
    }

    #[test]
    fn times_the_chip_cannot_hold_are_refused_without_touching_it() {
        let mut i2c = Mock::new(&[]);
        let mut rtc = Rtc::new(i2c.clone());
        assert_eq!(rtc.set(0), Err(RtcError::OutOfRange { unix_ms: 0 }));
        assert_eq!(
            rtc.set(i64::MAX),
            Err(RtcError::OutOfRange { unix_ms: i64::MAX })
        );
        i2c.done();
    }

    #[test]
    fn a_silent_chip_and_an_impossible_date_are_told_apart() {
        let nack = ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address);
        let mut i2c = Mock::new(&[
            Transaction::write_read(ADDR, vec![0x00], vec![0; 7]).with_error(nack),
            // Day 0 of month 0.
            Transaction::write_read(ADDR, vec![0x00], vec![0; 7]),
        ]);
        let mut rtc = Rtc::new(i2c.clone());
        assert_eq!(rtc.read(), Err(RtcError::Bus(nack)));
        assert_eq!(rtc.read(), Err(RtcError::ImpossibleDate));
        let message = RtcError::Bus(nack).to_string();
        assert!(message.contains("real-time clock"), "{message}");
        i2c.done();
    }
}
