//! A register model of the Maxim DS3231 real-time clock, as the kiosk uses it: time, date and
//! century in BCD, the control register, and the status register with the oscillator-stop flag.

use crate::calendar::DateTime;
use crate::clock::SimClock;
use crate::i2c::I2cDevice;
use crate::shared::Shared;

/// The DS3231's fixed I2C address.
pub const DS3231_ADDRESS: u8 = 0x68;

const SECONDS: usize = 0x00;
const HOURS: usize = 0x02;
const DAY_OF_WEEK: usize = 0x03;
const DATE: usize = 0x04;
const MONTH: usize = 0x05;
const YEAR: usize = 0x06;
const CONTROL: usize = 0x0E;
const STATUS: usize = 0x0F;
const TEMP_MSB: usize = 0x11;
const TEMP_LSB: usize = 0x12;
const REGISTER_COUNT: usize = 0x13;

const CENTURY: u8 = 0x80;
const TWELVE_HOUR: u8 = 0x40;
const PM: u8 = 0x20;
/// Status bits that only a write of 0 changes (clears): OSF, A2F, A1F.
const STATUS_CLEAR_ONLY: u8 = 0b1000_0011;
const OSF: u8 = 0x80;
const EN32KHZ: u8 = 0x08;

/// 2000-01-01T00:00:00Z and 2199-12-31T23:59:59Z: what the registers (with the century bit) hold.
const FIRST_SECOND: i64 = 946_684_800;
const LAST_SECOND: i64 = 7_258_118_399;

/// The DS3231 model. Clones are the same chip: attach one to a [`SimI2cBus`](crate::SimI2cBus)
/// and keep another to stop the oscillator or look at the time.
///
/// A new model reads the [`SimClock`]'s wall time with the oscillator-stop flag clear (a
/// provisioned kiosk with a healthy battery) and then keeps pace with the clock, including its
/// jumps. Times outside 2000–2199 read as the nearest end of that range. It always answers in
/// 24-hour mode (a 12-hour write is converted), computes the day of the week from the date, and
/// ignores a time write that names a date that does not exist.
#[derive(Debug, Clone)]
pub struct Ds3231Model {
    clock: SimClock,
    state: Shared<RtcState>,
}

#[derive(Debug)]
struct RtcState {
    registers: [u8; REGISTER_COUNT],
    pointer: usize,
    time: Timekeeping,
}

#[derive(Debug, Clone, Copy)]
enum Timekeeping {
    /// RTC time is the clock's wall time plus `offset_ms`.
    Running { offset_ms: i64 },
    /// The oscillator is stopped at this time.
    Stopped { at_ms: i64 },
}

impl Ds3231Model {
    /// A clock chip on `clock`, running, its oscillator-stop flag clear, reading the simulated time.
    pub fn new(clock: &SimClock) -> Self {
        let mut registers = [0; REGISTER_COUNT];
        registers[CONTROL] = 0b0001_1100;
        registers[STATUS] = EN32KHZ;
        // 25.00 °C.
        registers[TEMP_MSB] = 25;
        registers[TEMP_LSB] = 0;
        Self {
            clock: clock.clone(),
            state: Shared::new(RtcState {
                registers,
                pointer: 0,
                time: Timekeeping::Running { offset_ms: 0 },
            }),
        }
    }

    /// The chip's time now, unix milliseconds (its registers show the whole seconds).
    pub fn time_ms(&self) -> i64 {
        let now = self.clock.now_ms();
        self.state.with(|s| s.time_ms(now))
    }

    /// Puts the chip at `unix_ms` without touching its flags (a clock that drifted or was set
    /// wrong).
    pub fn set_time_ms(&self, unix_ms: i64) {
        let now = self.clock.now_ms();
        self.state.with(|s| s.set_time_ms(unix_ms, now));
    }

    /// The oscillator stops (a flat backup battery during a power cut): time stands still and the
    /// oscillator-stop flag (OSF) is set until software clears it.
    pub fn stop_oscillator(&self) {
        let now = self.clock.now_ms();
        self.state.with(|s| {
            s.time = Timekeeping::Stopped {
                at_ms: s.time_ms(now),
            };
            s.registers[STATUS] |= OSF;
        });
    }

    /// The oscillator runs again from where it stopped; the flag stays set.
    pub fn start_oscillator(&self) {
        let now = self.clock.now_ms();
        self.state.with(|s| {
            if let Timekeeping::Stopped { at_ms } = s.time {
                s.time = Timekeeping::Running {
                    offset_ms: at_ms - now,
                };
            }
        });
    }

    /// Whether the oscillator-stop flag is set: the time is not to be trusted.
    pub fn oscillator_stop_flag(&self) -> bool {
        self.state.with(|s| s.registers[STATUS] & OSF != 0)
    }
}

impl RtcState {
    fn time_ms(&self, now_ms: i64) -> i64 {
        match self.time {
            Timekeeping::Running { offset_ms } => now_ms.saturating_add(offset_ms),
            Timekeeping::Stopped { at_ms } => at_ms,
        }
    }

    fn set_time_ms(&mut self, unix_ms: i64, now_ms: i64) {
        self.time = match self.time {
            Timekeeping::Running { .. } => Timekeeping::Running {
                offset_ms: unix_ms.saturating_sub(now_ms),
            },
            Timekeeping::Stopped { .. } => Timekeeping::Stopped { at_ms: unix_ms },
        };
    }

    /// Copies the current time into the time registers, as the chip does at each I2C start.
    fn latch_time(&mut self, now_ms: i64) {
        let secs = self
            .time_ms(now_ms)
            .div_euclid(1000)
            .clamp(FIRST_SECOND, LAST_SECOND);
        let t = DateTime::from_unix_seconds(secs);
        let r = &mut self.registers;
        r[SECONDS] = to_bcd(t.second);
        r[SECONDS + 1] = to_bcd(t.minute);
        r[HOURS] = to_bcd(t.hour);
        r[DAY_OF_WEEK] = t.weekday_from_sunday();
        r[DATE] = to_bcd(t.day);
        let century = if t.year >= 2100 { CENTURY } else { 0 };
        r[MONTH] = century | to_bcd(t.month);
        r[YEAR] = to_bcd((t.year % 100) as u8);
    }

    /// The time the time registers name, if it exists.
    fn registers_time(&self) -> Option<i64> {
        let r = &self.registers;
        let hours = r[HOURS];
        let hour = if hours & TWELVE_HOUR != 0 {
            let h12 = from_bcd(hours & 0x1F)?;
            h12 % 12 + if hours & PM != 0 { 12 } else { 0 }
        } else {
            from_bcd(hours & 0x3F)?
        };
        let century = if r[MONTH] & CENTURY != 0 { 2100 } else { 2000 };
        let t = DateTime {
            year: century + i64::from(from_bcd(r[YEAR])?),
            month: from_bcd(r[MONTH] & 0x1F)?,
            day: from_bcd(r[DATE] & 0x3F)?,
            hour,
            minute: from_bcd(r[SECONDS + 1] & 0x7F)?,
            second: from_bcd(r[SECONDS] & 0x7F)?,
        };
        t.to_unix_seconds().map(|secs| secs * 1000)
    }

    fn write_register(&mut self, index: usize, value: u8) {
        let r = &mut self.registers;
        match index {
            STATUS => {
                let kept_or_cleared = r[STATUS] & value & STATUS_CLEAR_ONLY;
                r[STATUS] = kept_or_cleared | (value & EN32KHZ);
            }
            TEMP_MSB | TEMP_LSB => {}
            _ => r[index] = value,
        }
    }
}

impl I2cDevice for Ds3231Model {
    /// The first byte sets the register pointer; the rest are written from there on, the pointer
    /// moving one register per byte.
    fn write(&mut self, bytes: &[u8]) {
        let now = self.clock.now_ms();
        self.state.with(|s| {
            let Some((&pointer, data)) = bytes.split_first() else {
                return;
            };
            s.pointer = usize::from(pointer) % REGISTER_COUNT;
            s.latch_time(now);
            let mut wrote_time = false;
            for &byte in data {
                wrote_time |= s.pointer <= YEAR;
                s.write_register(s.pointer, byte);
                s.pointer = (s.pointer + 1) % REGISTER_COUNT;
            }
            if wrote_time && let Some(ms) = s.registers_time() {
                s.set_time_ms(ms, now);
            }
        });
    }

    fn read(&mut self, buf: &mut [u8]) {
        let now = self.clock.now_ms();
        self.state.with(|s| {
            s.latch_time(now);
            for byte in buf {
                *byte = s.registers[s.pointer];
                s.pointer = (s.pointer + 1) % REGISTER_COUNT;
            }
        });
    }
}

pub(crate) fn to_bcd(value: u8) -> u8 {
    ((value / 10) << 4) | (value % 10)
}

pub(crate) fn from_bcd(bcd: u8) -> Option<u8> {
    let (tens, units) = (bcd >> 4, bcd & 0x0F);
    (tens <= 9 && units <= 9).then_some(tens * 10 + units)
}

#[cfg(test)]
mod tests {
    use embedded_hal::i2c::I2c;

    use super::*;
    use crate::SimI2cBus;

    /// 2024-02-14 07:30:05 UTC, a Wednesday.
    const T: i64 = 1_707_895_805_000;

    fn chip_at(ms: i64) -> (SimClock, Ds3231Model, SimI2cBus) {
        let clock = SimClock::new(ms);
        let chip = Ds3231Model::new(&clock);
        let bus = SimI2cBus::new();
        bus.attach(DS3231_ADDRESS, chip.clone());
        (clock, chip, bus)
    }

    fn read_registers(bus: &mut SimI2cBus, from: u8, n: usize) -> Vec<u8> {
        let mut buf = vec![0; n];
        bus.write_read(DS3231_ADDRESS, &[from], &mut buf).unwrap();
        buf
    }

    #[test]
    fn time_registers_hold_the_clock_time_in_bcd_and_keep_pace() {
        let (clock, _chip, mut bus) = chip_at(T);
        assert_eq!(
            read_registers(&mut bus, 0, 7),
            [0x05, 0x30, 0x07, 4, 0x14, 0x02, 0x24]
        );
        clock.advance(60_000);
        assert_eq!(read_registers(&mut bus, 0, 2), [0x05, 0x31]);
    }

    #[test]
    fn the_century_bit_marks_the_twenty_second_century() {
        // 2100-03-01 00:00:00 UTC.
        let (_clock, _chip, mut bus) = chip_at(4_107_542_400_000);
        assert_eq!(read_registers(&mut bus, 4, 3), [0x01, CENTURY | 0x03, 0x00]);
    }

    #[test]
    fn writing_the_time_registers_sets_the_time_which_then_runs_on() {
        let (clock, chip, mut bus) = chip_at(T);
        // 2030-12-31 23:59:58, 12-hour mode 11 PM.
        let hours = TWELVE_HOUR | PM | 0x11;
        bus.write(DS3231_ADDRESS, &[0, 0x58, 0x59, hours, 3, 0x31, 0x12, 0x30])
            .unwrap();
        assert_eq!(chip.time_ms(), 1_924_991_998_000);
        clock.advance(2_000);
        assert_eq!(
            read_registers(&mut bus, 0, 7),
            [0x00, 0x00, 0x00, 4, 0x01, 0x01, 0x31],
            "rolls over into 2031, answered in 24-hour mode"
        );
    }

    #[test]
    fn a_date_that_does_not_exist_is_ignored() {
        let (_clock, chip, mut bus) = chip_at(T);
        bus.write(DS3231_ADDRESS, &[4, 0x30, 0x02]).unwrap();
        assert_eq!(chip.time_ms(), T);
    }

    #[test]
    fn a_stopped_oscillator_freezes_time_and_sets_osf_until_cleared_by_a_zero() {
        let (clock, chip, mut bus) = chip_at(T);
        chip.stop_oscillator();
        clock.advance(10_000);
        assert_eq!(chip.time_ms(), T);
        chip.start_oscillator();
        clock.advance(1_000);
        assert_eq!(chip.time_ms(), T + 1_000);
        assert_eq!(read_registers(&mut bus, STATUS as u8, 1), [OSF | EN32KHZ]);
        // Writing 1 to OSF leaves it set; writing 0 clears it.
        bus.write(DS3231_ADDRESS, &[STATUS as u8, OSF | EN32KHZ])
            .unwrap();
        assert!(chip.oscillator_stop_flag());
        bus.write(DS3231_ADDRESS, &[STATUS as u8, EN32KHZ | 0b11])
            .unwrap();
        assert!(!chip.oscillator_stop_flag());
    }

    #[test]
    fn times_before_2000_read_as_2000() {
        let (_clock, _chip, mut bus) = chip_at(0);
        assert_eq!(
            read_registers(&mut bus, 0, 7),
            [0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00]
        );
    }
}
