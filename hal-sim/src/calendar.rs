//! Civil dates from and to days since 1970-01-01 (proleptic Gregorian, UTC), for the RTC model's
//! registers. Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms.

/// A UTC date and time of day, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateTime {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl DateTime {
    pub fn from_unix_seconds(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let of_day = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            // All three are below 60 (or 24) by construction.
            hour: (of_day / 3600) as u8,
            minute: (of_day / 60 % 60) as u8,
            second: (of_day % 60) as u8,
        }
    }

    /// Unix seconds, or `None` for a date or time that does not exist (31 February, hour 25).
    pub fn to_unix_seconds(self) -> Option<i64> {
        if self.month == 0 || self.month > 12 || self.day == 0 {
            return None;
        }
        if self.hour > 23 || self.minute > 59 || self.second > 59 {
            return None;
        }
        let days = days_from_civil(self.year, self.month, self.day);
        // A day past the end of its month comes back as a different date.
        if civil_from_days(days) != (self.year, self.month, self.day) {
            return None;
        }
        Some(
            days * 86_400
                + i64::from(self.hour) * 3600
                + i64::from(self.minute) * 60
                + i64::from(self.second),
        )
    }

    /// Day of the week, 1 = Sunday ... 7 = Saturday.
    pub fn weekday_from_sunday(self) -> u8 {
        let days = days_from_civil(self.year, self.month, self.day);
        // 1970-01-01 was a Thursday.
        ((days + 4).rem_euclid(7) + 1) as u8
    }
}

fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Day 1..=31 and month 1..=12 by construction.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_convert_both_ways() {
        // 2024-02-14 07:30:05 UTC.
        let t = DateTime::from_unix_seconds(1_707_895_805);
        assert_eq!(
            t,
            DateTime {
                year: 2024,
                month: 2,
                day: 14,
                hour: 7,
                minute: 30,
                second: 5
            }
        );
        assert_eq!(t.to_unix_seconds(), Some(1_707_895_805));
        assert_eq!(t.weekday_from_sunday(), 4, "a Wednesday");
        let leap = DateTime {
            year: 2100,
            month: 2,
            day: 29,
            hour: 0,
            minute: 0,
            second: 0,
        };
        assert_eq!(leap.to_unix_seconds(), None, "2100 is not a leap year");
        let leap = DateTime {
            year: 2000,
            month: 2,
            day: 29,
            ..leap
        };
        assert!(leap.to_unix_seconds().is_some(), "2000 is");
    }
}
