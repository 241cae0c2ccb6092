//! Why the clock may not be set so, in both languages, and the time of day in words the
//! witnesses read: apart from `clock` so the refusals (`refusal`) name them without importing
//! the clock's rules, which read the `State`.

use tps_base::text::Lang;
use tps_base::time::{LocalDateTime, LocalTime, TimeZone, format_clock, format_local};

/// Why the clock may not be set so.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClockRefusal {
    /// The new time is before the last record's: the journal's time never goes back.
    Backwards {
        /// The last record's wall time (unix ms).
        last_ms: i64,
        /// The time asked for (unix ms).
        new_ms: i64,
        /// The TPS's time zone, to show both times in.
        zone: TimeZone,
    },
    /// The day has begun: the chair and the Pengawas TPS (or two saksi present) must confirm
    /// with their PINs.
    NeedsWitnesses,
    /// The new time is after the election's last possible day (see [`latest_setting`]): a
    /// mistyped year would become the journal's time, and the journal's time never goes back.
    AfterTheElection {
        /// The latest time the clock may be set to (unix ms).
        latest_ms: i64,
        /// The time asked for (unix ms).
        new_ms: i64,
        /// The TPS's time zone, to show both times in.
        zone: TimeZone,
    },
    /// The setting crosses a regulated time of the day; the witnesses must see both times and
    /// confirm.
    CrossesRegulatedTime {
        /// What the clock reads now (unix ms).
        old_ms: i64,
        /// The time asked for (unix ms).
        new_ms: i64,
        /// The regulated times crossed, in local time.
        times: Vec<LocalTime>,
        /// The TPS's time zone.
        zone: TimeZone,
    },
}

impl ClockRefusal {
    /// A short, stable name of the kind of refusal.
    pub fn kind(&self) -> &'static str {
        match self {
            ClockRefusal::Backwards { .. } => "clock-set-backwards",
            ClockRefusal::NeedsWitnesses => "clock-set-needs-witnesses",
            ClockRefusal::AfterTheElection { .. } => "clock-set-after-the-election",
            ClockRefusal::CrossesRegulatedTime { .. } => "clock-set-crosses-regulated-time",
        }
    }

    /// The sentence the screen shows.
    pub fn message(&self, lang: Lang) -> String {
        let id = lang == Lang::Id;
        match self {
            ClockRefusal::Backwards {
                last_ms,
                new_ms,
                zone,
            } => {
                let (last, new) = (format_clock(*last_ms, *zone), format_clock(*new_ms, *zone));
                if id {
                    format!("Jam tidak boleh disetel ke {new}: lebih awal dari catatan terakhir ({last}). Waktu jurnal tidak pernah mundur.")
                } else {
                    format!("The clock may not be set to {new}: earlier than the last record ({last}). The journal's time never goes back.")
                }
            }
            ClockRefusal::AfterTheElection {
                latest_ms,
                new_ms,
                zone,
            } => {
                let (latest, new) = (
                    format_local(*latest_ms, *zone),
                    format_local(*new_ms, *zone),
                );
                if id {
                    format!("Jam tidak boleh disetel ke {new}: lewat dari hari pemungutan dan penghitungan suara (paling lambat {latest}). Periksa tanggal dan tahunnya.")
                } else {
                    format!("The clock may not be set to {new}: after the voting and counting days (at the latest {latest}). Check the date and the year.")
                }
            }
            ClockRefusal::NeedsWitnesses => if id {
                "Hari sudah dimulai: menyetel jam perlu PIN Ketua KPPS dan Pengawas TPS (atau dua saksi yang hadir)."
            } else {
                "The day has begun: setting the clock needs the PINs of the KPPS chair and the Pengawas TPS (or two saksi present)."
            }
            .into(),
            ClockRefusal::CrossesRegulatedTime {
                old_ms,
                new_ms,
                times,
                zone,
            } => {
                let crossed: Vec<String> = times.iter().map(|t| t.to_string()).collect();
                let (old, new) = (
                    time_in_words(*old_ms, *zone, lang),
                    time_in_words(*new_ms, *zone, lang),
                );
                if id {
                    format!(
                        "Perhatian: jam akan diubah dari {old} menjadi {new}, melewati waktu yang diatur ({}). Para saksi harus melihat kedua waktu ini lalu mengonfirmasi.",
                        crossed.join(", ")
                    )
                } else {
                    format!(
                        "Attention: the clock goes from {old} to {new}, across a regulated time ({}). The witnesses must see both times, then confirm.",
                        crossed.join(", ")
                    )
                }
            }
        }
    }
}

/// A time of day in words, as the witnesses read it before they confirm: "pukul sembilan
/// lewat sepuluh menit (09.10)", "ten minutes past nine (09:10)".
pub fn time_in_words(ms: i64, zone: TimeZone, lang: Lang) -> String {
    let Some(t) = LocalDateTime::from_unix_ms(ms, zone) else {
        return String::new();
    };
    let (h, m) = (t.hour, t.minute);
    match lang {
        Lang::Id if m == 0 => format!("pukul {} tepat ({h:02}.00 {zone})", number_id(h)),
        Lang::Id => format!(
            "pukul {} lewat {} menit ({h:02}.{m:02} {zone})",
            number_id(h),
            number_id(m)
        ),
        Lang::En if m == 0 => format!("{} o'clock ({h:02}:00 {zone})", number_en(h)),
        Lang::En => format!(
            "{} minute{} past {} ({h:02}:{m:02} {zone})",
            number_en(m),
            if m == 1 { "" } else { "s" },
            number_en(h)
        ),
    }
}

const ONES_ID: [&str; 10] = [
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];
const ONES_EN: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS_EN: [&str; 6] = ["", "", "twenty", "thirty", "forty", "fifty"];

/// 0 to 59 in Indonesian words.
fn number_id(n: u8) -> String {
    let ones = |d: u8| ONES_ID[usize::from(d % 10)];
    match n {
        0..=9 => ones(n).into(),
        10 => "sepuluh".into(),
        11 => "sebelas".into(),
        12..=19 => format!("{} belas", ones(n - 10)),
        _ if n.is_multiple_of(10) => format!("{} puluh", ones(n / 10)),
        _ => format!("{} puluh {}", ones(n / 10), ones(n % 10)),
    }
}

/// 0 to 59 in English words.
fn number_en(n: u8) -> String {
    let n = usize::from(n.min(59));
    match n {
        0..=19 => ONES_EN[n].into(),
        _ if n.is_multiple_of(10) => TENS_EN[n / 10].into(),
        _ => format!("{}-{}", TENS_EN[n / 10], ONES_EN[n % 10]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_words_in_both_languages() {
        // 2024-02-14 07:24 WIB and 13:00 WIB.
        let t0724 = 1_707_870_240_000;
        let t1300 = 1_707_890_400_000;
        assert_eq!(
            time_in_words(t0724, TimeZone::Wib, Lang::Id),
            "pukul tujuh lewat dua puluh empat menit (07.24 WIB)"
        );
        assert_eq!(
            time_in_words(t0724, TimeZone::Wib, Lang::En),
            "twenty-four minutes past seven (07:24 WIB)"
        );
        assert_eq!(
            time_in_words(t1300, TimeZone::Wib, Lang::Id),
            "pukul tiga belas tepat (13.00 WIB)"
        );
        assert_eq!(
            time_in_words(t1300, TimeZone::Wib, Lang::En),
            "thirteen o'clock (13:00 WIB)"
        );
        assert_eq!(number_id(11), "sebelas");
        assert_eq!(number_id(50), "lima puluh");
        assert_eq!(number_en(1), "one");
        assert_eq!(number_en(59), "fifty-nine");
    }
}
