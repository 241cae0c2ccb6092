//! Texts the controllers compose from data, in both languages. Static screen words live in the
//! .slint files (translated with @tr); the engine's own texts (steps, refusals, alarms) come as
//! [`Bilingual`] from the firmware. What is here is the little in between: details of the
//! start-up check and times and durations.

use tps_firmware::procedure::{Bilingual, Lang};
use tps_firmware::time::{LocalDateTime, LocalTime, TimeZone};

use crate::station::StationStatus;

/// `hh:mm:ss ZONE` local time.
pub fn clock(ms: i64, zone: TimeZone) -> String {
    LocalDateTime::from_unix_ms(ms, zone)
        .map(|t| t.clock_text())
        .unwrap_or_default()
}

/// `hh:mm:ss` local time without the zone, for the big clock.
pub fn hh_mm_ss(ms: i64, zone: TimeZone) -> String {
    LocalDateTime::from_unix_ms(ms, zone)
        .map(|t| format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second))
        .unwrap_or_default()
}

/// A schedule time with its zone: `12:00 WIB`.
pub fn at(t: LocalTime, zone: TimeZone) -> String {
    format!("{t} {zone}")
}

/// How long until a moment: `2 jam 05 menit` / `2 h 05 min`; seconds in the last minutes so a
/// countdown visibly moves. Zero or less is "now".
pub fn until(ms: i64, lang: Lang) -> String {
    if ms <= 0 {
        return match lang {
            Lang::Id => "sekarang".into(),
            Lang::En => "now".into(),
        };
    }
    let secs = (ms + 999) / 1000;
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (lang, h > 0) {
        (Lang::Id, true) => format!("{h} jam {m:02} menit"),
        (Lang::En, true) => format!("{h} h {m:02} min"),
        (_, false) => format!("{m:02}:{s:02}"),
    }
}

/// The printer line of the start-up check, which the kiosk itself cannot make (the printer is
/// the station's): name, whether it passed, detail, what to do.
pub fn printer_check(status: &StationStatus, lang: Lang) -> (String, bool, String, String) {
    use tps_firmware::drivers::printer::PrinterError;
    let name = Bilingual::new("Printer", "Printer");
    let (detail, action) = match &status.printer {
        Ok(()) => (
            Bilingual::new("siap, ada kertas", "ready, paper loaded"),
            None,
        ),
        Err(PrinterError::OutOfPaper) => (
            Bilingual::new("kertas habis", "out of paper"),
            Some(Bilingual::new(
                "Pasang gulungan kertas baru.",
                "Load a new paper roll.",
            )),
        ),
        Err(PrinterError::Offline) => (
            Bilingual::new("tidak menjawab", "does not answer"),
            Some(Bilingual::new(
                "Periksa bahwa printer menyala dan kabelnya terpasang.",
                "Check that the printer is on and its cable is in.",
            )),
        ),
        Err(PrinterError::NotReady) => (
            Bilingual::new("belum siap", "not ready"),
            Some(Bilingual::new(
                "Tutup penutup printer.",
                "Close the printer's cover.",
            )),
        ),
        Err(other) => (
            Bilingual::new(other.to_string(), other.to_string()),
            Some(Bilingual::new(
                "Hubungi teknisi melalui PPS.",
                "Call a technician through PPS.",
            )),
        ),
    };
    (
        name.get(lang).to_string(),
        action.is_none(),
        detail.get(lang).to_string(),
        action.map(|a| a.get(lang).to_string()).unwrap_or_default(),
    )
}

/// Why the kiosk could not start, for the alarm screen.
pub fn start_failure() -> (Bilingual, Bilingual) {
    (
        Bilingual::new("Perangkat tidak dapat mulai", "The kiosk cannot start"),
        Bilingual::new(
            "Jangan matikan perangkat dan jangan hapus apa pun. Hubungi teknisi melalui PPS.",
            "Do not switch the device off and delete nothing. Call a technician through PPS.",
        ),
    )
}

/// The saksi role before its participant is chosen.
pub fn saksi_role() -> Bilingual {
    Bilingual::new(
        "Saksi peserta pemilu (dengan surat mandat)",
        "Saksi of a participant (with a mandate letter)",
    )
}

/// A role's name.
pub fn role(role: tps_firmware::procedure::people::Role) -> Bilingual {
    Bilingual::new(role.label_id(), role.label_en())
}

/// The two entries of a new PIN differ.
pub fn pin_mismatch() -> Bilingual {
    Bilingual::new(
        "Kedua PIN tidak sama. Pilih PIN baru sekali lagi.",
        "The two PINs differ. Choose the new PIN again.",
    )
}

/// A command that could not be made durable.
pub fn not_saved() -> Bilingual {
    Bilingual::new(
        "Tidak tersimpan: langkah ini belum dicatat. Ikuti petunjuk di layar, lalu ulangi.",
        "Not saved: this was not recorded. Follow what the screen says, then try again.",
    )
}

/// What was saved, for the notice after an action.
pub fn saved(what: &Bilingual, lang: Lang) -> String {
    match lang {
        Lang::Id => format!("Tersimpan: {}.", what.id),
        Lang::En => format!("Saved: {}.", what.en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_chair_would_say_them() {
        assert_eq!(until(0, Lang::Id), "sekarang");
        assert_eq!(until(-5, Lang::En), "now");
        assert_eq!(until(59_001, Lang::Id), "01:00");
        assert_eq!(until(125 * 60_000, Lang::Id), "2 jam 05 menit");
        assert_eq!(until(125 * 60_000, Lang::En), "2 h 05 min");
    }
}
