//! Texts the controllers compose from data, in both languages. Static screen words live in the
//! .slint files (translated with @tr); the engine's own texts (steps, refusals, alarms) come as
//! [`Bilingual`] from the firmware. What is here is the little in between: details of the
//! start-up check, the printer and the reports, times and durations, and lists of names.

use tps_firmware::drivers::printer::PrinterError;
use tps_firmware::kiosk::Check;
use tps_firmware::procedure::State;
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::report::ReportError;
use tps_firmware::text::{Bilingual, Lang};
use tps_firmware::time::{LocalDateTime, LocalTime, TimeZone};

use crate::station::StationStatus;
use crate::worker::PrintFailure;

/// `hh:mm:ss` local time without the zone, for the big clock.
pub fn hh_mm_ss(ms: i64, zone: TimeZone) -> String {
    LocalDateTime::from_unix_ms(ms, zone)
        .map(|t| format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second))
        .unwrap_or_default()
}

/// `hh:mm` local time, empty when the time cannot be said.
pub fn hh_mm(ms: i64, zone: TimeZone) -> String {
    LocalDateTime::from_unix_ms(ms, zone)
        .map(|t| format!("{:02}:{:02}", t.hour, t.minute))
        .unwrap_or_default()
}

/// The names of these people, as a list: `Bu Pengawas, Saksi Satu`.
pub fn names<'a>(state: &State, ids: impl IntoIterator<Item = &'a PersonId>) -> String {
    ids.into_iter()
        .filter_map(|id| state.person(*id))
        .map(|p| p.name.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A schedule time with its zone: `12:00 WIB`.
pub fn at(t: LocalTime, zone: TimeZone) -> String {
    format!("{t} {zone}")
}

/// How long until a moment, as a chair says it: `27 menit lagi`, `4 jam 28 menit lagi`
/// (`in 27 min`, `in 4 h 28 min`); seconds in the last minute so a countdown visibly moves.
/// Minutes and seconds round up, so nothing reads "0 menit" before it is due. Only what is due
/// (zero or less) is `sekarang` / `now`.
pub fn until(ms: i64, lang: Lang) -> String {
    if ms <= 0 {
        return match lang {
            Lang::Id => "sekarang".into(),
            Lang::En => "now".into(),
        };
    }
    if ms <= 59_000 {
        let s = (ms + 999) / 1000;
        return match lang {
            Lang::Id => format!("{s} detik lagi"),
            Lang::En => format!("in {s} s"),
        };
    }
    let minutes = ms.saturating_add(59_999) / 60_000;
    let (h, m) = (minutes / 60, minutes % 60);
    match (lang, h, m) {
        (Lang::Id, 0, m) => format!("{m} menit lagi"),
        (Lang::En, 0, m) => format!("in {m} min"),
        (Lang::Id, h, 0) => format!("{h} jam lagi"),
        (Lang::En, h, 0) => format!("in {h} h"),
        (Lang::Id, h, m) => format!("{h} jam {m} menit lagi"),
        (Lang::En, h, m) => format!("in {h} h {m} min"),
    }
}

/// The engine's "not filled in" refusal as the step screen shows it: counted, with the first
/// one named, since a list of every empty field does not fit beside the form.
pub fn not_filled_in(missing: &[Bilingual], lang: Lang) -> String {
    let n = missing.len();
    let first = missing.first().map(|m| m.get(lang)).unwrap_or_default();
    match (lang, n) {
        (Lang::Id, 1) => format!("1 isian belum diisi: {first}. Ketuk di sini untuk mengisinya."),
        (Lang::En, 1) => format!("1 field not filled in: {first}. Tap here to fill it in."),
        (Lang::Id, n) => {
            format!("{n} isian belum diisi, yang pertama: {first}. Ketuk di sini untuk mengisinya.")
        }
        (Lang::En, n) => {
            format!("{n} fields not filled in, the first: {first}. Tap here to fill it in.")
        }
    }
}

/// Why the day cannot begin on this device (the kiosk did not start: `why`, as the firmware
/// says it), and what to do.
pub fn cannot_start(why: &str) -> Bilingual {
    cannot_begin(&Bilingual::same(why))
}

/// Why the day cannot begin, in each language (`why` is a sentence of each), and what to do.
pub fn cannot_begin(why: &Bilingual) -> Bilingual {
    let id = why.id.trim_end_matches('.');
    let en = why.en.trim_end_matches('.');
    Bilingual::new(
        format!(
            "Hari tidak dapat dimulai: {id}. Tidak ada yang dicatat. Jangan pakai perangkat ini \
             untuk pemungutan suara; hubungi teknisi melalui PPS."
        ),
        format!(
            "The day cannot begin: {en}. Nothing was recorded. Do not use this device for \
             voting; call a technician through PPS."
        ),
    )
}

/// Why a day begun cannot go on on this device (`why` is a sentence of each language), and
/// what to do.
pub fn cannot_go_on(why: &Bilingual) -> Bilingual {
    let id = why.id.trim_end_matches('.');
    let en = why.en.trim_end_matches('.');
    Bilingual::new(
        format!(
            "Hari tidak dapat dilanjutkan di perangkat ini: {id}. Catatan yang sudah ada tetap \
             tersimpan. Jangan catat apa pun lagi di perangkat ini; hubungi teknisi melalui PPS."
        ),
        format!(
            "The day cannot go on on this device: {en}. The records made so far are kept. \
             Record nothing more on this device; call a technician through PPS."
        ),
    )
}

/// What a countdown shows once the thing it counted to has been done.
pub fn done() -> Bilingual {
    Bilingual::new("sudah", "done")
}

/// What is wrong with the printer, and what to do about it.
pub fn printer_problem(e: &PrinterError) -> (Bilingual, Bilingual) {
    match e {
        PrinterError::OutOfPaper => (
            Bilingual::new("kertas habis", "out of paper"),
            Bilingual::new("Pasang gulungan kertas baru.", "Load a new paper roll."),
        ),
        PrinterError::Offline => (
            Bilingual::new("tidak menjawab", "does not answer"),
            Bilingual::new(
                "Periksa bahwa printer menyala dan kabelnya terpasang.",
                "Check that the printer is on and its cable is in.",
            ),
        ),
        PrinterError::NotReady => (
            Bilingual::new("belum siap", "not ready"),
            Bilingual::new("Tutup penutup printer.", "Close the printer's cover."),
        ),
        // For a technician: the driver's own words.
        other => (
            Bilingual::same(other.to_string()),
            tps_firmware::kiosk::alarm::call_technician(),
        ),
    }
}

/// The printer's problem as one line: `Printer: kertas habis. Pasang gulungan kertas baru.`
pub fn printer_status(e: &PrinterError) -> Bilingual {
    let (what, todo) = printer_problem(e);
    Bilingual::new(
        format!("Printer: {}. {}", what.id, todo.id),
        format!("Printer: {}. {}", what.en, todo.en),
    )
}

/// The printer line of the start-up check, which the kiosk itself cannot make (the printer is
/// the station's).
pub fn printer_check(status: &StationStatus) -> Check {
    let (detail, action) = match &status.printer {
        Ok(()) => (
            Bilingual::new("siap, ada kertas", "ready, paper loaded"),
            None,
        ),
        Err(e) => {
            let (detail, action) = printer_problem(e);
            (detail, Some(action))
        }
    };
    Check {
        name: Bilingual::same("Printer"),
        ok: action.is_none(),
        detail,
        action,
    }
}

/// Why a report cannot be shown or printed yet.
pub fn report_unavailable(e: ReportError) -> Bilingual {
    match e {
        ReportError::PollsNotOpen => Bilingual::new(
            "Laporan pembukaan ada setelah pemungutan suara dibuka.",
            "The opening report is there once the polls are open.",
        ),
        ReportError::CloseOutNotDone => Bilingual::new(
            "Laporan penutupan ada setelah langkah penggunaan surat suara dan kehadiran pemilih selesai.",
            "The closing report is there once the ballot and attendance close-out is done.",
        ),
        ReportError::NotCounted => Bilingual::new(
            "C.Hasil ada setelah suara jenis surat suara ini dihitung dan dikonfirmasi.",
            "The C.Hasil is there once this ballot type's votes are counted and confirmed.",
        ),
        _ => Bilingual::new(
            "Laporan belum dapat dibuat sekarang.",
            "The report cannot be made yet.",
        ),
    }
}

/// What went wrong with the printer, as a sentence says it: "kertas printer habis".
fn printer_sentence(e: &PrinterError) -> Bilingual {
    match e {
        PrinterError::OutOfPaper => {
            Bilingual::new("kertas printer habis", "the printer is out of paper")
        }
        PrinterError::Offline => {
            Bilingual::new("printer tidak menjawab", "the printer does not answer")
        }
        PrinterError::NotReady => Bilingual::new("printer belum siap", "the printer is not ready"),
        other => Bilingual::new(
            format!("printer bermasalah ({other})"),
            format!("a printer problem ({other})"),
        ),
    }
}

/// A report that was not printed (or whose print was not recorded): what happened, what to do,
/// and what the journal holds.
pub fn not_printed(failure: &PrintFailure) -> Bilingual {
    match failure {
        PrintFailure::Printer(e) => {
            let what = printer_sentence(e);
            let (_, todo) = printer_problem(e);
            Bilingual::new(
                format!(
                    "Laporan tidak tercetak: {}. {} Lalu tekan Cetak sekarang lagi. Tidak ada yang dicatat.",
                    what.id, todo.id
                ),
                format!(
                    "The report was not printed: {}. {} Then press Print now again. Nothing was recorded.",
                    what.en, todo.en
                ),
            )
        }
        PrintFailure::Report(e) => report_unavailable(*e),
        PrintFailure::NotRecorded(_) => Bilingual::new(
            "Laporan tercetak, tetapi cetakannya belum dicatat. Ikuti petunjuk di layar, lalu cetak lagi.",
            "The report printed, but the print was not recorded. Follow what the screen says, then print again.",
        ),
        PrintFailure::Station(_) => not_saved(),
    }
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

/// The two entries of a new PIN differ.
pub fn pin_mismatch() -> Bilingual {
    Bilingual::new(
        "Kedua PIN tidak sama. Pilih PIN baru sekali lagi.",
        "The two PINs differ. Choose the new PIN again.",
    )
}

/// Who the technician PIN is asked of.
pub fn technician() -> Bilingual {
    Bilingual::new("Teknisi", "Technician")
}

/// The technician's role, where a PIN pad names whose PIN it asks for.
pub fn technician_role() -> Bilingual {
    Bilingual::new(
        "Teknisi perangkat (PIN teknisi)",
        "The device's technician (technician PIN)",
    )
}

/// A command that could not be made durable.
pub fn not_saved() -> Bilingual {
    Bilingual::new(
        "Tidak tersimpan: langkah ini belum dicatat. Ikuti petunjuk di layar, lalu ulangi.",
        "Not saved: this was not recorded. Follow what the screen says, then try again.",
    )
}

/// A command saved on the SD card only, waiting for a USB stick.
pub fn primary_only() -> Bilingual {
    Bilingual::new(
        "Tersimpan di kartu SD saja: disalin ke flashdisk cadangan begitu terpasang. Ikuti petunjuk di layar; jangan ulangi.",
        "Saved on the SD card only: it is copied to the backup USB stick once one is in. Follow what the screen says; do not repeat it.",
    )
}

/// What was saved, for the notice after an action.
/// How many of the KPPS places are registered, and the roles still missing: "KPPS terdaftar: 5
/// dari 7. Belum: Anggota KPPS 6, Anggota KPPS 7."
pub fn kpps_registered(total: usize, missing: &[Role], lang: Lang) -> String {
    let registered = total.saturating_sub(missing.len());
    let roles = missing
        .iter()
        .map(|r| r.label().get(lang).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    match (lang, missing.is_empty()) {
        (Lang::Id, true) => format!("KPPS terdaftar: {registered} dari {total}."),
        (Lang::Id, false) => format!("KPPS terdaftar: {registered} dari {total}. Belum: {roles}."),
        (Lang::En, true) => format!("KPPS registered: {registered} of {total}."),
        (Lang::En, false) => {
            format!("KPPS registered: {registered} of {total}. Missing: {roles}.")
        }
    }
}

/// "Tersimpan: …" / "Saved: …" after an action.
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
        assert_eq!(until(1, Lang::Id), "1 detik lagi");
        assert_eq!(until(59_001, Lang::Id), "1 menit lagi");
        assert_eq!(until(45_000, Lang::En), "in 45 s");
        assert_eq!(until(27 * 60_000, Lang::Id), "27 menit lagi");
        assert_eq!(until(26 * 60_000 + 1, Lang::Id), "27 menit lagi");
        assert_eq!(until(268 * 60_000, Lang::Id), "4 jam 28 menit lagi");
        assert_eq!(until(268 * 60_000, Lang::En), "in 4 h 28 min");
        assert_eq!(until(120 * 60_000, Lang::Id), "2 jam lagi");
        assert_eq!(until(125 * 60_000, Lang::En), "in 2 h 5 min");
        // A clock read far from the day (a hostile RTC) still gives words, no overflow.
        assert!(until(i64::MAX, Lang::Id).ends_with(" lagi"));
    }

    #[test]
    fn a_failed_print_says_what_to_do_in_both_languages() {
        let notice = not_printed(&PrintFailure::Printer(PrinterError::OutOfPaper));
        assert_eq!(
            notice.id,
            "Laporan tidak tercetak: kertas printer habis. Pasang gulungan kertas baru. Lalu tekan Cetak sekarang lagi. Tidak ada yang dicatat."
        );
        assert_eq!(
            notice.en,
            "The report was not printed: the printer is out of paper. Load a new paper roll. Then press Print now again. Nothing was recorded."
        );
        let offline = not_printed(&PrintFailure::Printer(PrinterError::Offline));
        assert!(
            offline.en.contains("the printer does not answer."),
            "{offline:?}"
        );
    }
}
