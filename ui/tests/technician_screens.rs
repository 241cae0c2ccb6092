//! The technician's functions on the touchscreen, by touch: the clock form (before the day with
//! the technician PIN; after it with the chair and witnesses, who see both times in words when a
//! regulated time is crossed) and "Ekspor untuk PPS" after the closing report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::{Kiosk, PINS, after_full_day, init_backend, to_voting};
use tps_firmware::event::{IncidentKind, RecordBody};
use tps_firmware::journal::read::read_prefix;
use tps_firmware::journal::verify::{Signatures, verify_parsed};
use tps_firmware::kiosk::DataDir;
use tps_firmware::kiosk::provision::DEVELOPMENT_TECHNICIAN_PIN;
use tps_firmware::time::{Date, LocalTime, instant_at};
use tps_kiosk_screens::Screen;

/// 2024-02-14 at `hh:mm` WIB.
fn at(hh: u8, mm: u8) -> i64 {
    let date = Date::parse("2024-02-14").unwrap();
    instant_at(
        date,
        LocalTime::new(hh, mm),
        tps_firmware::time::TimeZone::Wib,
    )
    .unwrap()
}

/// Types digits on the clock form's keypad.
fn type_digits(k: &Kiosk, digits: &str) {
    for d in digits.chars() {
        k.tap(&d.to_string());
    }
}

fn clock_sets(k: &Kiosk) -> Vec<(i64, i64)> {
    k.journal()
        .into_iter()
        .filter_map(|r| match r.body {
            RecordBody::ClockSet { old_ms, new_ms, .. } => Some((old_ms, new_ms)),
            _ => None,
        })
        .collect()
}

/// Types the technician PIN after taking the screen.
fn technician_pin(k: &Kiosk, pin: &str) {
    assert!(
        k.has("Saya sudah memegang layar"),
        "the screen is handed over"
    );
    k.pin(pin);
}

#[test]
fn before_the_day_the_technician_sets_the_clock_and_never_back_past_the_last_record() {
    init_backend();
    let k = Kiosk::new();
    assert_eq!(k.screen(), Screen::SelfCheck);
    k.tap("Setel jam");
    assert_eq!(k.screen(), Screen::Clock);
    assert!(k.value("Yang menandatangani").contains("PIN teknisi"));
    assert!(!k.enabled("Setel"), "nothing typed yet");
    type_digits(&k, "1402202406");
    assert_eq!(k.value("Tanggal dan jam baru"), "14-02-2024 06:__");
    assert!(!k.enabled("Setel"));
    type_digits(&k, "10");
    assert_eq!(
        k.value("Pratinjau jam"),
        "Jam baru: 2024-02-14 06:10:00 WIB"
    );

    // A wrong technician PIN: said on the pad, nothing set.
    let records = k.journal().len();
    k.tap("Setel");
    technician_pin(&k, "135791");
    assert!(
        !k.value("Kesalahan PIN").is_empty(),
        "a wrong PIN is said on the pad"
    );
    assert_eq!(k.journal().len(), records);
    assert_eq!(k.hw.rtc.time_ms(), at(5, 40));
    k.tap("Batal");

    k.tap("Setel");
    technician_pin(&k, DEVELOPMENT_TECHNICIAN_PIN);
    assert_eq!(
        k.notice(),
        "Tersimpan: jam disetel ke 2024-02-14 06:10:00 WIB."
    );
    assert_eq!(k.screen(), Screen::SelfCheck);
    assert!(k.hw.rtc.time_ms() >= at(6, 10));
    assert_eq!(clock_sets(&k).last().map(|s| s.1), Some(at(6, 10)));

    // Back before that record: the engine's refusal shows before anyone signs.
    let records = k.journal().len();
    k.tap("Setel jam");
    type_digits(&k, "140220240600");
    let preview = k.value("Pratinjau jam");
    assert!(
        preview.contains("tidak boleh disetel ke 06:00:00 WIB")
            && preview.contains("catatan terakhir"),
        "{preview}"
    );
    assert!(!k.enabled("Setel"));
    k.tap("Bahasa / Language");
    let preview = k.value("Clock preview");
    assert!(
        preview.contains("may not be set to 06:00:00 WIB"),
        "{preview}"
    );
    k.tap("Bahasa / Language");

    // A date that does not exist.
    for _ in 0..12 {
        k.tap("Hapus");
    }
    type_digits(&k, "310220240700");
    assert!(k.value("Pratinjau jam").contains("tidak ada"));
    assert!(!k.enabled("Setel"));
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::SelfCheck);
    assert_eq!(k.journal().len(), records, "nothing recorded");
}

#[test]
fn after_the_day_began_the_chair_and_witnesses_sign_and_see_both_times_in_words() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("12:50");
    k.tap("Setel jam");
    assert_eq!(k.screen(), Screen::Clock);
    assert!(
        k.value("Yang menandatangani").contains("Pengawas TPS"),
        "{}",
        k.value("Yang menandatangani")
    );
    type_digits(&k, "140220241305");
    let preview = k.value("Pratinjau jam");
    assert!(
        preview.contains("pukul dua belas lewat lima puluh menit (12.50 WIB)")
            && preview.contains("pukul tiga belas lewat lima menit (13.05 WIB)"),
        "both times in words before anyone confirms: {preview}"
    );
    k.tap("Bahasa / Language");
    let preview = k.value("Clock preview");
    assert!(
        preview.contains("fifty minutes past twelve (12:50 WIB)")
            && preview.contains("five minutes past thirteen (13:05 WIB)"),
        "{preview}"
    );
    k.tap("Bahasa / Language");

    // The chair alone: the engine asks for the witnesses.
    let before = clock_sets(&k).len();
    k.tap("Setel");
    let chair = k.chair_pin();
    k.pin(&chair);
    assert!(
        k.notice().contains("perlu PIN Ketua KPPS dan Pengawas TPS"),
        "{}",
        k.notice()
    );
    assert_eq!(clock_sets(&k).len(), before);

    // The Pengawas TPS signs too, but nobody said they saw the times: refused, in words.
    k.tap("Saksi (dengan PIN)");
    k.tap("Bu Pengawas");
    k.pin(PINS[1]);
    assert_eq!(k.value("Saksi penyetelan jam"), "Bu Pengawas");
    k.tap("Setel");
    k.pin(&chair);
    assert!(
        k.notice().contains("pukul tiga belas lewat lima menit"),
        "{}",
        k.notice()
    );
    assert_eq!(clock_sets(&k).len(), before);

    // Seen and confirmed: a kejadian khusus with both times, then the setting.
    k.tap("Saksi sudah melihat kedua waktu");
    k.tap("Setel");
    k.pin(&chair);
    assert_eq!(
        k.notice(),
        "Tersimpan: jam disetel ke 2024-02-14 13:05:00 WIB."
    );
    assert_eq!(k.screen(), Screen::Voting);
    assert_eq!(clock_sets(&k).len(), before + 1);
    let journal = k.journal();
    let incident = journal
        .iter()
        .rev()
        .find_map(|r| match &r.body {
            RecordBody::Incident(i) => Some(i.clone()),
            _ => None,
        })
        .unwrap();
    assert!(matches!(
        incident.kind,
        IncidentKind::ClockSet { new_ms, .. } if new_ms == at(13, 5)
    ));
    assert!(k.hw.rtc.time_ms() >= at(13, 5));
}

const FOLDER: &str = "TPS-32.73.08.1004.007_2024-02-14";

/// Every file of the device's own (not the stick's), with its bytes.
fn device_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let data = DataDir::new(dir);
    [
        data.journal().primary,
        data.device_key(),
        data.certificate(),
        data.package(),
        data.authority_pub(),
    ]
    .into_iter()
    .map(|p| {
        let bytes = std::fs::read(&p).unwrap();
        (p, bytes)
    })
    .collect()
}

fn export_now(k: &Kiosk, pin: &str) {
    k.tap("Ekspor sekarang");
    technician_pin(k, pin);
}

#[test]
fn the_export_after_the_closing_report_says_safe_to_remove_and_its_folder_verifies() {
    init_backend();
    let k = after_full_day();
    let before = device_files(k.dir.path());
    k.tap("Mulai");
    k.tap("Cetak laporan penutupan");
    k.tap("Ekspor untuk PPS");
    assert_eq!(k.screen(), Screen::Export);

    // A wrong technician PIN exports nothing.
    export_now(&k, "135791");
    assert!(!k.value("Kesalahan PIN").is_empty());
    k.tap("Batal");
    assert!(!k.hw.usb.mirror_dir().join(FOLDER).exists());

    // The export runs on the station's thread: the screen says it is working meanwhile.
    k.tap("Ekspor sekarang");
    k.tap("Saya sudah memegang layar");
    for d in DEVELOPMENT_TECHNICIAN_PIN.chars() {
        k.tap(&d.to_string());
    }
    k.tap_no_wait("OK");
    assert!(k.has("Mengekspor… jangan cabut flashdisk"));
    k.settle();
    assert!(!k.has("Mengekspor… jangan cabut flashdisk"));
    assert_eq!(k.value("Hasil ekspor"), "Aman dicabut");
    assert_eq!(k.value("Folder ekspor"), FOLDER);
    assert!(k.value("Keterangan ekspor").contains("aman dicabut"));
    let folder = k.hw.usb.mirror_dir().join(FOLDER);
    let journal = std::fs::read(folder.join("journal.tpsj")).unwrap();
    let package = std::fs::read(folder.join("package.tpsp")).unwrap();
    let authority = tps_firmware::kiosk::Identity::load(&DataDir::new(k.dir.path()))
        .unwrap()
        .authority;
    let (records, damage) = read_prefix(journal.as_slice()).unwrap();
    verify_parsed(
        &records,
        damage,
        &authority,
        Some(&package),
        Signatures::Every,
    )
    .unwrap();
    // Not a record, and nothing of the device's changed.
    assert!(
        device_files(k.dir.path()) == before,
        "the device's files changed"
    );
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::Report);
}

#[test]
fn an_export_with_no_stick_or_a_full_one_says_so_and_changes_nothing() {
    init_backend();
    let k = after_full_day();
    k.tap("Mulai");
    k.tap("Cetak laporan penutupan");
    k.tap("Ekspor untuk PPS");

    // The stick pulled is itself a record; from then on nothing of the device's changes.
    k.hw.usb.unplug().unwrap();
    k.poll();
    let before = device_files(k.dir.path());
    export_now(&k, DEVELOPMENT_TECHNICIAN_PIN);
    assert_eq!(k.value("Hasil ekspor"), "Ekspor gagal");
    let message = k.value("Keterangan ekspor");
    assert!(
        message.contains("Flashdisk tidak terpasang")
            && message.contains("Data di perangkat tidak berubah"),
        "{message}"
    );
    assert!(
        device_files(k.dir.path()) == before,
        "the device's files changed"
    );

    k.hw.usb.plug_new().unwrap();
    k.poll();
    k.hw.usb.fill();
    let before = device_files(k.dir.path());
    export_now(&k, DEVELOPMENT_TECHNICIAN_PIN);
    assert_eq!(k.value("Hasil ekspor"), "Ekspor gagal");
    assert!(k.value("Keterangan ekspor").contains("Flashdisk penuh"));
    k.tap("Bahasa / Language");
    assert_eq!(k.value("Export result"), "Export failed");
    assert!(
        k.value("Export details")
            .contains("Nothing on the device changed"),
        "{}",
        k.value("Export details")
    );
    k.tap("Bahasa / Language");
    assert!(
        device_files(k.dir.path()) == before,
        "the device's files changed"
    );
    assert!(!k.hw.usb.mirror_dir().join(FOLDER).exists());
}
