//! A register model of the NXP PCF2129 as the kiosk's tamper latch: its own battery-backed
//! clock, and the timestamp input (TS) wired to the lid switch, so an opening is latched with
//! its time whether the kiosk is on or off (see `firmware/drivers/src/latch.rs`).
//!
//! Modelled: Control_1 (TSF1), Control_2 (TSF2; both flags cleared by writing 0, unchanged by
//! writing 1), the time registers 03h–09h with OSF, Timestp_ctl (TSM, TSOFF) and the timestamp
//! registers 13h–18h. Years 2000–2099. Everything else is plain memory.

use crate::calendar::DateTime;
use crate::clock::SimClock;
use crate::ds3231::{from_bcd, to_bcd};
use crate::i2c::I2cDevice;
use crate::shared::Shared;

/// The PCF2129's fixed I2C address.
pub const PCF2129_ADDRESS: u8 = 0x51;

const CONTROL_1: usize = 0x00;
const CONTROL_2: usize = 0x01;
const SECONDS: usize = 0x03;
const YEARS: usize = 0x09;
const TIMESTAMP_CONTROL: usize = 0x12;
const TIMESTAMP: usize = 0x13;
const REGISTER_COUNT: usize = 0x1C;

const TSF1: u8 = 1 << 4;
const TSF2: u8 = 1 << 5;
const OSF: u8 = 1 << 7;
const TSM: u8 = 1 << 7;
const TSOFF: u8 = 1 << 6;

/// 2000-01-01T00:00:00Z and 2099-12-31T23:59:59Z.
const FIRST_SECOND: i64 = 946_684_800;
const LAST_SECOND: i64 = 4_102_444_799;

/// The PCF2129 model. Clones are the same chip: attach one to the bus, give one to the
/// [`SimLid`](crate::SimLid) (its TS pin) and keep one to look at it.
///
/// A new chip has just been powered for the first time: its clock runs from 2000-01-01 with the
/// oscillator-stop flag set, timestamping on, nothing latched.
#[derive(Debug, Clone)]
pub struct Pcf2129Model {
    clock: SimClock,
    state: Shared<LatchState>,
}

#[derive(Debug)]
struct LatchState {
    registers: [u8; REGISTER_COUNT],
    pointer: usize,
    /// Chip time is the simulated wall time plus this.
    offset_ms: i64,
}

impl Pcf2129Model {
    /// A latch on `clock` as it leaves the factory: oscillator-stop flag set, nothing latched.
    pub fn new(clock: &SimClock) -> Self {
        let mut registers = [0; REGISTER_COUNT];
        registers[SECONDS] = OSF;
        Self {
            state: Shared::new(LatchState {
                registers,
                pointer: 0,
                offset_ms: FIRST_SECOND * 1000 - clock.now_ms(),
            }),
            clock: clock.clone(),
        }
    }

    /// The TS input is pulled low: the lid switch opened. Latched with the chip's time unless
    /// timestamping is off, or (keeping the first event) one is latched already.
    pub fn ts_event(&self) {
        let now = self.clock.now_ms();
        self.state.with(|s| {
            let r = &s.registers;
            let keep_first = r[TIMESTAMP_CONTROL] & TSM != 0;
            if r[TIMESTAMP_CONTROL] & TSOFF != 0 || (keep_first && r[CONTROL_2] & TSF2 != 0) {
                return;
            }
            let t = s.date_time(now);
            let r = &mut s.registers;
            r[TIMESTAMP] = to_bcd(t.second);
            r[TIMESTAMP + 1] = to_bcd(t.minute);
            r[TIMESTAMP + 2] = to_bcd(t.hour);
            r[TIMESTAMP + 3] = to_bcd(t.day);
            r[TIMESTAMP + 4] = to_bcd(t.month);
            r[TIMESTAMP + 5] = to_bcd((t.year % 100) as u8);
            r[CONTROL_2] |= TSF2;
        });
    }

    /// Whether an opening is latched (TSF2).
    pub fn is_latched(&self) -> bool {
        self.state.with(|s| s.registers[CONTROL_2] & TSF2 != 0)
    }

    /// The latch's backup battery ran flat: its time is no longer kept (OSF set).
    pub fn lose_time(&self) {
        self.state.with(|s| s.registers[SECONDS] |= OSF);
    }
}

impl LatchState {
    fn date_time(&self, now_ms: i64) -> DateTime {
        let secs = now_ms
            .saturating_add(self.offset_ms)
            .div_euclid(1000)
            .clamp(FIRST_SECOND, LAST_SECOND);
        DateTime::from_unix_seconds(secs)
    }

    /// Copies the current time into the time registers, keeping OSF.
    fn latch_time(&mut self, now_ms: i64) {
        let t = self.date_time(now_ms);
        let r = &mut self.registers;
        r[SECONDS] = (r[SECONDS] & OSF) | to_bcd(t.second);
        r[SECONDS + 1] = to_bcd(t.minute);
        r[SECONDS + 2] = to_bcd(t.hour);
        r[SECONDS + 3] = to_bcd(t.day);
        r[SECONDS + 4] = t.weekday_from_sunday() - 1;
        r[SECONDS + 5] = to_bcd(t.month);
        r[YEARS] = to_bcd((t.year % 100) as u8);
    }

    fn registers_time(&self) -> Option<i64> {
        let r = &self.registers;
        DateTime {
            year: 2000 + i64::from(from_bcd(r[YEARS])?),
            month: from_bcd(r[SECONDS + 5] & 0x1F)?,
            day: from_bcd(r[SECONDS + 3] & 0x3F)?,
            hour: from_bcd(r[SECONDS + 2] & 0x3F)?,
            minute: from_bcd(r[SECONDS + 1] & 0x7F)?,
            second: from_bcd(r[SECONDS] & 0x7F)?,
        }
        .to_unix_seconds()
        .map(|s| s * 1000)
    }

    fn write_register(&mut self, index: usize, value: u8) {
        let r = &mut self.registers;
        match index {
            CONTROL_1 => r[CONTROL_1] = (value & !TSF1) | (r[CONTROL_1] & value & TSF1),
            CONTROL_2 => r[CONTROL_2] = (value & !TSF2) | (r[CONTROL_2] & value & TSF2),
            _ => r[index] = value,
        }
    }
}

impl I2cDevice for Pcf2129Model {
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
                wrote_time |= (SECONDS..=YEARS).contains(&s.pointer);
                s.write_register(s.pointer, byte);
                s.pointer = (s.pointer + 1) % REGISTER_COUNT;
            }
            if wrote_time && let Some(ms) = s.registers_time() {
                s.offset_ms = ms - now;
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
