//! Time as data: record stamps, the three Indonesian time zones, local wall-clock times.
//! Nothing here reads a clock; the caller passes the time in.

use core::fmt;

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

/// How far the kiosk can trust the wall time in a stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, MaxSize)]
pub enum ClockStatus {
    /// The RTC ran without interruption and is not behind the journal.
    Trusted,
    /// The RTC's oscillator stopped at some point (battery flat): its time is a guess.
    OscillatorStopped,
    /// The RTC reads earlier than the newest trusted record in the journal.
    BehindJournal,
    /// Within this boot the RTC parted from the monotonic clock: it was changed outside the
    /// kiosk and has not been set right (witnessed) since.
    Moved,
}

impl ClockStatus {
    /// Whether the stamp's wall time can be relied on.
    pub fn is_trusted(self) -> bool {
        self == ClockStatus::Trusted
    }
}

/// When a record was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, MaxSize)]
pub struct Stamp {
    /// RTC wall time, unix milliseconds (UTC).
    pub wall_ms: i64,
    /// Milliseconds on a counter that never goes backwards, across restarts too: the journal's
    /// last value when the kiosk started plus the time since it started.
    pub mono_ms: u64,
    /// How far the wall time can be trusted.
    pub clock: ClockStatus,
}

/// The three Indonesian time zones. No daylight saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, MaxSize)]
pub enum TimeZone {
    /// Waktu Indonesia Barat, UTC+7.
    Wib,
    /// Waktu Indonesia Tengah, UTC+8.
    Wita,
    /// Waktu Indonesia Timur, UTC+9.
    Wit,
}

impl TimeZone {
    /// Hours ahead of UTC: 7, 8 or 9.
    pub fn utc_offset_hours(self) -> i8 {
        match self {
            TimeZone::Wib => 7,
            TimeZone::Wita => 8,
            TimeZone::Wit => 9,
        }
    }

    /// "WIB", "WITA" or "WIT".
    pub fn abbreviation(self) -> &'static str {
        match self {
            TimeZone::Wib => "WIB",
            TimeZone::Wita => "WITA",
            TimeZone::Wit => "WIT",
        }
    }

    /// Parses "WIB", "WITA" or "WIT" (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "WIB" => Some(TimeZone::Wib),
            "WITA" => Some(TimeZone::Wita),
            "WIT" => Some(TimeZone::Wit),
            _ => None,
        }
    }

    fn offset(self) -> time::UtcOffset {
        // Whole hours between 7 and 9 are always a valid offset.
        time::UtcOffset::from_hms(self.utc_offset_hours(), 0, 0).unwrap_or(time::UtcOffset::UTC)
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.abbreviation())
    }
}

/// A calendar date.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, MaxSize,
)]
pub struct Date {
    /// The year, e.g. 2024.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, refusing dates that do not exist.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        let date = Date { year, month, day };
        date.to_time().map(|_| date)
    }

    fn to_time(self) -> Option<time::Date> {
        let month = time::Month::try_from(self.month).ok()?;
        time::Date::from_calendar_date(i32::from(self.year), month, self.day).ok()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A local time of day, minutes precision (what regulations speak in: 07:00, 13:00).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, MaxSize,
)]
pub struct LocalTime {
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
}

impl LocalTime {
    /// `hour`:`minute`, taken as given (not checked).
    pub const fn new(hour: u8, minute: u8) -> Self {
        Self { hour, minute }
    }

    /// Parses `HH:MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let (h, m) = s.split_once(':')?;
        let hour: u8 = h.parse().ok()?;
        let minute: u8 = m.parse().ok()?;
        (hour < 24 && minute < 60).then_some(Self { hour, minute })
    }

    /// The time `minutes` later, wrapping past midnight.
    pub fn plus_minutes(self, minutes: u16) -> Self {
        let total = (u16::from(self.hour) * 60 + u16::from(self.minute) + minutes) % (24 * 60);
        Self {
            hour: (total / 60) as u8,
            minute: (total % 60) as u8,
        }
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// The unix milliseconds at `time` on `date` in `zone`, or `None` for a date that does not exist.
pub fn instant_at(date: Date, time: LocalTime, zone: TimeZone) -> Option<i64> {
    let t = time::Time::from_hms(time.hour, time.minute, 0).ok()?;
    let dt = time::PrimitiveDateTime::new(date.to_time()?, t).assume_offset(zone.offset());
    i64::try_from(dt.unix_timestamp_nanos() / 1_000_000).ok()
}

/// A moment shown in a zone's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalDateTime {
    /// The local date.
    pub date: Date,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
    /// The second, 0 to 59.
    pub second: u8,
    /// The zone the time is shown in.
    pub zone: TimeZone,
}

impl LocalDateTime {
    /// Unix milliseconds `ms` in `zone`, or `None` outside the calendar's years.
    pub fn from_unix_ms(ms: i64, zone: TimeZone) -> Option<Self> {
        let utc =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
        let local = utc.to_offset(zone.offset());
        Some(Self {
            date: Date {
                year: u16::try_from(local.year()).ok()?,
                month: u8::from(local.month()),
                day: local.day(),
            },
            hour: local.hour(),
            minute: local.minute(),
            second: local.second(),
            zone,
        })
    }

    /// `HH:MM:SS ZONE`, what the status bar shows.
    pub fn clock_text(&self) -> String {
        format!(
            "{:02}:{:02}:{:02} {}",
            self.hour, self.minute, self.second, self.zone
        )
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:02}:{:02}:{:02} {}",
            self.date, self.hour, self.minute, self.second, self.zone
        )
    }
}

/// Formats unix milliseconds in `zone`, or the raw number when it is outside the calendar.
/// `hh:mm:ss ZONE` local time; empty when the instant is out of range.
pub fn format_clock(ms: i64, zone: TimeZone) -> String {
    LocalDateTime::from_unix_ms(ms, zone)
        .map(|t| t.clock_text())
        .unwrap_or_default()
}

/// `YYYY-MM-DD hh:mm:ss ZONE` local time, or `@<ms>ms` when the instant is outside the calendar.
pub fn format_local(ms: i64, zone: TimeZone) -> String {
    LocalDateTime::from_unix_ms(ms, zone)
        .map(|t| t.to_string())
        .unwrap_or_else(|| format!("@{ms}ms"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_in_the_morning_differs_by_zone() {
        let date = Date::parse("2024-02-14").unwrap();
        let wib = instant_at(date, LocalTime::new(7, 0), TimeZone::Wib).unwrap();
        let wit = instant_at(date, LocalTime::new(7, 0), TimeZone::Wit).unwrap();
        // 07:00 WIT comes two hours before 07:00 WIB.
        assert_eq!(wib - wit, 2 * 3_600_000);
        // 2024-02-14 00:00 UTC is 1707868800; 07:00 WIB is midnight UTC.
        assert_eq!(wib, 1_707_868_800_000);
        let shown = LocalDateTime::from_unix_ms(wit, TimeZone::Wit).unwrap();
        assert_eq!(shown.to_string(), "2024-02-14 07:00:00 WIT");
    }

    #[test]
    fn parsing_refuses_impossible_dates_and_times() {
        assert!(Date::parse("2024-02-30").is_none());
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("2024-2").is_none());
        assert!(LocalTime::parse("24:00").is_none());
        assert!(LocalTime::parse("07:60").is_none());
        assert_eq!(LocalTime::parse("07:30"), Some(LocalTime::new(7, 30)));
        assert_eq!(LocalTime::new(7, 0).plus_minutes(30), LocalTime::new(7, 30));
        assert_eq!(TimeZone::parse("wita"), Some(TimeZone::Wita));
    }
}
