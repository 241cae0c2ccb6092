//! Times and lengths of time, as the describer says them.

use tps_base::text::Lang;
use tps_base::time::{ClockStatus, Stamp, TimeZone};

/// A stamp's wall time, with a warning in `lang` when the clock was not trusted.
pub fn stamp_text(stamp: &Stamp, zone: Option<TimeZone>, lang: Lang) -> String {
    let time = format_time(stamp.wall_ms, zone);
    match (stamp.clock, lang) {
        (ClockStatus::Trusted, _) => time,
        (ClockStatus::OscillatorStopped, Lang::Id) => {
            format!("{time} (jam tidak dapat dipercaya: baterai jam pernah habis)")
        }
        (ClockStatus::OscillatorStopped, Lang::En) => {
            format!("{time} (clock untrusted: oscillator stopped)")
        }
        (ClockStatus::BehindJournal, Lang::Id) => {
            format!("{time} (jam tidak dapat dipercaya: lebih awal dari catatan sebelumnya)")
        }
        (ClockStatus::BehindJournal, Lang::En) => {
            format!("{time} (clock untrusted: behind the journal)")
        }
        (ClockStatus::Moved, Lang::Id) => {
            format!("{time} (jam tidak dapat dipercaya: diubah di luar kiosk)")
        }
        (ClockStatus::Moved, Lang::En) => {
            format!("{time} (clock untrusted: changed outside the kiosk)")
        }
    }
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS ZONE` (24-hour, the same in both languages), in UTC
/// when no zone is known.
pub fn format_time(ms: i64, zone: Option<TimeZone>) -> String {
    match zone {
        Some(zone) => tps_base::time::format_local(ms, zone),
        None => match time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) {
            Ok(t) => format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            Err(_) => format!("@{ms}ms"),
        },
    }
}

/// A length of time in words: `2 h 5 min`, `3 min 12 s`, `800 ms`; in Indonesian `2 jam 5 menit`,
/// `3 menit 12 detik`, `800 milidetik`.
pub fn format_duration(ms: i64, lang: Lang) -> String {
    let abs = ms.unsigned_abs();
    let (h, m, s) = (abs / 3_600_000, abs / 60_000 % 60, abs / 1000 % 60);
    match (h, m, s, lang) {
        (0, 0, 0, Lang::Id) => format!("{abs} milidetik"),
        (0, 0, 0, Lang::En) => format!("{abs} ms"),
        (0, 0, s, Lang::Id) => format!("{s} detik"),
        (0, 0, s, Lang::En) => format!("{s} s"),
        (0, m, s, Lang::Id) => format!("{m} menit {s} detik"),
        (0, m, s, Lang::En) => format!("{m} min {s} s"),
        (h, m, _, Lang::Id) => format!("{h} jam {m} menit"),
        (h, m, _, Lang::En) => format!("{h} h {m} min"),
    }
}
