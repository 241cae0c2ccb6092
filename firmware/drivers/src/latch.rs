//! The tamper latch: an NXP PCF2129 real-time clock on its own backup battery, its timestamp
//! input (TS) wired to the enclosure lid switch. When the lid opens, even while the kiosk is
//! off, the chip sets its timestamp flag (TSF2) and keeps the time of the first opening in its
//! timestamp registers until software clears the flag. The kiosk reads it at start-up, records
//! it, and clears it only once that record is durable.
//!
//! The PCF2129's own clock is never set to the wall time: the kiosk only needs how long ago the
//! lid opened, which is the chip's time now minus its timestamp, both on the same oscillator.
//! Registers as in the PCF2129 data sheet (Rev. 7, section 8): Control_1 00h (TSF1 bit 4),
//! Control_2 01h (TSF2 bit 5), Seconds 03h (OSF bit 7) to Years 09h, Timestp_ctl 12h (TSM bit 7,
//! TSOFF bit 6), Sec_timestp 13h to Year_timestp 18h.

use embedded_hal::i2c::{self, I2c};

/// The PCF2129's fixed I2C address.
pub const PCF2129_ADDRESS: u8 = 0x51;

const CONTROL_1: u8 = 0x00;
const CONTROL_2: u8 = 0x01;
const SECONDS: u8 = 0x03;
const TIMESTAMP_CONTROL: u8 = 0x12;
/// Control_1 to Year_timestp, read in one transaction.
const READ_LEN: usize = 0x19;

const TSF1: u8 = 1 << 4;
const TSF2: u8 = 1 << 5;
const OSF: u8 = 1 << 7;
/// Timestp_ctl: keep the first event (TSM), timestamping on (TSOFF clear).
const TSM: u8 = 1 << 7;

/// What the latch holds after the lid was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latched {
    /// How long ago the first opening was, by the chip's own clock; `None` when its
    /// oscillator stopped since (a flat latch battery), so its time is not kept.
    pub ago_ms: Option<u64>,
}

/// Why the latch could not be read or cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LatchError {
    /// The chip did not answer on the bus: treat the lid as possibly opened.
    #[error("the tamper latch (PCF2129 on I2C, address 0x51) did not answer properly: {0:?}")]
    Bus(i2c::ErrorKind),
}

/// The PCF2129 tamper latch on an I2C bus.
#[derive(Debug)]
pub struct TamperLatch<I2C> {
    i2c: I2C,
}

impl<I2C: I2c> TamperLatch<I2C> {
    /// The latch on `i2c`, at its fixed address.
    pub fn new(i2c: I2C) -> Self {
        Self { i2c }
    }

    fn bus<T>(r: Result<T, I2C::Error>) -> Result<T, LatchError> {
        r.map_err(|e| LatchError::Bus(i2c::Error::kind(&e)))
    }

    /// Whether the lid was opened since the latch was last cleared, and when.
    pub fn latched(&mut self) -> Result<Option<Latched>, LatchError> {
        let mut r = [0u8; READ_LEN];
        Self::bus(self.i2c.write_read(PCF2129_ADDRESS, &[CONTROL_1], &mut r))?;
        if r[usize::from(CONTROL_2)] & TSF2 == 0 {
            return Ok(None);
        }
        let now = chip_time(&r[3..=9], true);
        let at = chip_time(&r[0x13..=0x18], false);
        let kept = r[usize::from(SECONDS)] & OSF == 0;
        let ago_ms = match (now, at) {
            (Some(now), Some(at)) if kept && now >= at => u64::try_from(now - at).ok(),
            _ => None,
        };
        Ok(Some(Latched { ago_ms }))
    }

    /// Clears the latch (TSF1, TSF2), so the next opening is kept. Call it only once the
    /// opening it held is durable in the journal.
    pub fn clear(&mut self) -> Result<(), LatchError> {
        let mut c = [0u8; 2];
        Self::bus(self.i2c.write_read(PCF2129_ADDRESS, &[CONTROL_1], &mut c))?;
        Self::bus(
            self.i2c
                .write(PCF2129_ADDRESS, &[CONTROL_1, c[0] & !TSF1, c[1] & !TSF2]),
        )
    }

    /// Turns timestamping on, keeping the first opening; when the chip's oscillator had stopped
    /// its clock is started again from 2000-01-01 (only differences of its time are used).
    pub fn arm(&mut self) -> Result<(), LatchError> {
        Self::bus(self.i2c.write(PCF2129_ADDRESS, &[TIMESTAMP_CONTROL, TSM]))?;
        let mut seconds = [0u8];
        Self::bus(
            self.i2c
                .write_read(PCF2129_ADDRESS, &[SECONDS], &mut seconds),
        )?;
        if seconds[0] & OSF != 0 {
            // 2000-01-01 00:00:00, a Saturday (weekday 6), OSF cleared.
            Self::bus(
                self.i2c
                    .write(PCF2129_ADDRESS, &[SECONDS, 0, 0, 0, 1, 6, 1, 0]),
            )?;
        }
        Ok(())
    }
}

fn from_bcd(b: u8) -> Option<u8> {
    let (hi, lo) = (b >> 4, b & 0x0F);
    (hi < 10 && lo < 10).then_some(hi * 10 + lo)
}

/// Seconds, minutes, hours, day, [weekday,] month, year (BCD, 24-hour) as unix milliseconds;
/// `None` for a date that does not exist.
fn chip_time(r: &[u8], with_weekday: bool) -> Option<i64> {
    let (day, month, year) = if with_weekday {
        (r.get(3)?, r.get(5)?, r.get(6)?)
    } else {
        (r.get(3)?, r.get(4)?, r.get(5)?)
    };
    let second = from_bcd(r.first()? & 0x7F)?;
    let minute = from_bcd(r.get(1)? & 0x7F)?;
    let hour = from_bcd(r.get(2)? & 0x3F)?;
    let month = time::Month::try_from(from_bcd(month & 0x1F)?).ok()?;
    let date = time::Date::from_calendar_date(
        2000 + i32::from(from_bcd(*year)?),
        month,
        from_bcd(day & 0x3F)?,
    )
    .ok()?;
    let t = time::Time::from_hms(hour, minute, second).ok()?;
    Some(date.with_time(t).assume_utc().unix_timestamp() * 1000)
}

#[cfg(test)]
mod tests {
    use embedded_hal_mock::eh1::i2c::{Mock, Transaction};

    use super::*;

    fn registers(ctrl2: u8, now: [u8; 7], stamp: [u8; 6]) -> Vec<u8> {
        let mut r = vec![0u8; READ_LEN];
        r[1] = ctrl2;
        r[3..=9].copy_from_slice(&now);
        r[0x13..=0x18].copy_from_slice(&stamp);
        r
    }

    #[test]
    fn a_latched_opening_says_how_long_ago() {
        // Now 2000-01-02 00:10:05, opened 2000-01-01 23:59:50: 615 s ago.
        let r = registers(
            TSF2,
            [0x05, 0x10, 0x00, 0x02, 0x00, 0x01, 0x00],
            [0x50, 0x59, 0x23, 0x01, 0x01, 0x00],
        );
        let mut mock = Mock::new(&[Transaction::write_read(PCF2129_ADDRESS, vec![0], r)]);
        let mut latch = TamperLatch::new(mock.clone());
        assert_eq!(
            latch.latched().unwrap(),
            Some(Latched {
                ago_ms: Some(615_000)
            })
        );
        mock.done();
    }

    #[test]
    fn a_stopped_oscillator_or_a_nonsense_stamp_keeps_no_time() {
        for (now, stamp) in [
            (
                [OSF | 0x05, 0x10, 0x00, 0x02, 0x00, 0x01, 0x00],
                [0x50, 0x59, 0x23, 0x01, 0x01, 0x00],
            ),
            (
                [0x05, 0x10, 0x00, 0x02, 0x00, 0x01, 0x00],
                [0x50, 0x59, 0x23, 0x31, 0x02, 0x00],
            ),
            (
                [0x05, 0x10, 0x00, 0x02, 0x00, 0x01, 0x00],
                [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            ),
        ] {
            let r = registers(TSF2, now, stamp);
            let mut mock = Mock::new(&[Transaction::write_read(PCF2129_ADDRESS, vec![0], r)]);
            let mut latch = TamperLatch::new(mock.clone());
            assert_eq!(latch.latched().unwrap(), Some(Latched { ago_ms: None }));
            mock.done();
        }
    }

    #[test]
    fn no_flag_is_no_opening_and_clearing_keeps_the_other_bits() {
        let r = registers(0x04, [0; 7], [0; 6]);
        let mut mock = Mock::new(&[
            Transaction::write_read(PCF2129_ADDRESS, vec![0], r),
            Transaction::write_read(PCF2129_ADDRESS, vec![0], vec![TSF1 | 0x01, TSF2 | 0x04]),
            Transaction::write(PCF2129_ADDRESS, vec![0, 0x01, 0x04]),
        ]);
        let mut latch = TamperLatch::new(mock.clone());
        assert_eq!(latch.latched().unwrap(), None);
        latch.clear().unwrap();
        mock.done();
    }
}
