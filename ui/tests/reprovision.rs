//! "Siapkan untuk pemilu berikutnya" by touch: after a finished day the technician confirms what
//! will happen, types the technician PIN (a wrong one changes nothing), and the kiosk starts in
//! provisioning with the day archived on the device and its copy on the stick renamed. Mid-day,
//! or with no stick, the station refuses and the screen says why in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::{Kiosk, after_full_day, init_backend};
use tps_firmware::kiosk::DataDir;
use tps_firmware::kiosk::provision::DEVELOPMENT_TECHNICIAN_PIN;
use tps_kiosk_screens::Screen;
use tps_station::worker::Job;

const ARCHIVE: &str = "TPS-32.73.08.1004.007_2024-02-14_1";
const PREPARE: &str = "Siapkan untuk pemilu berikutnya";
const YES: &str = "Ya, siapkan ulang";

/// Every file under `dir` (the device's and the simulated stick's), with its bytes.
fn all_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

/// The files that say who the device is and what it recorded (the clock file and the
/// simulator's own state aside, which move with time, and the technician PIN's file, which
/// counts wrong tries).
/// The files that differ, a journal that only grew aside (the stick pulled is itself a record).
fn changed(now: &BTreeMap<PathBuf, Vec<u8>>, before: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    now.keys()
        .chain(before.keys())
        .filter(|p| match (now.get(*p), before.get(*p)) {
            (Some(a), Some(b)) if p.ends_with("journal.tpsj") => !a.starts_with(b),
            (a, b) => a != b,
        })
        .cloned()
        .collect()
}

fn election_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let data = DataDir::new(dir);
    let keep = [
        data.journal().primary,
        data.journal().mirror,
        data.certificate(),
        data.package(),
        data.authority_pub(),
    ];
    let mut files = all_files(dir);
    files.retain(|p, _| keep.contains(p) || p.starts_with(dir.join("archive")));
    files
}

#[test]
fn after_the_day_a_wrong_pin_changes_nothing_and_the_right_one_starts_provisioning() {
    init_backend();
    let k = after_full_day();
    let data = DataDir::new(k.dir.path());
    assert_eq!(k.screen(), Screen::SelfCheck);

    // From the export screen, and back to it.
    k.tap("Mulai");
    k.tap("Cetak laporan penutupan");
    k.tap("Ekspor untuk PPS");
    k.tap(PREPARE);
    assert_eq!(k.screen(), Screen::Reprovision);
    k.tap("Kembali");
    assert_eq!(k.screen(), Screen::Export);

    // From the self-check after a restart: what it will do, asked once more.
    k.ui.sim(Job::CutPower);
    k.settle();
    k.ui.sim(Job::Restart);
    k.settle();
    assert_eq!(k.screen(), Screen::SelfCheck);
    k.tap(PREPARE);
    assert_eq!(k.screen(), Screen::Reprovision);
    let says = k.value("Yang akan dilakukan");
    assert!(
        says.contains("arsip") && says.contains("flashdisk diganti namanya"),
        "{says}"
    );
    assert!(k.enabled(YES));
    assert_eq!(k.value("Alasan ditolak"), "");
    let before = election_files(k.dir.path());

    // A wrong technician PIN: said on the PIN pad in both languages, nothing changed.
    k.tap(YES);
    assert!(
        k.has("Saya sudah memegang layar"),
        "the screen is handed over"
    );
    k.pin("135791");
    assert!(!k.value("Kesalahan PIN").is_empty());
    k.tap("Bahasa / Language");
    assert!(
        k.value("PIN problem").to_lowercase().contains("technician"),
        "{}",
        k.value("PIN problem")
    );
    k.tap("Bahasa / Language");
    k.tap("Batal");
    assert_eq!(k.screen(), Screen::Reprovision);
    assert_eq!(
        changed(&election_files(k.dir.path()), &before),
        Vec::<PathBuf>::new()
    );
    assert!(!k.dir.path().join("archive").exists());
    assert!(data.technician_pin().exists());

    // The right PIN: the provisioning screen, the day archived, the stick's copy renamed.
    let journal = std::fs::read(data.journal().primary).unwrap();
    k.tap(YES);
    k.pin(DEVELOPMENT_TECHNICIAN_PIN);
    assert_eq!(k.screen(), Screen::Provision);
    assert!(k.has("Buat permintaan sertifikat"));
    let archive = k.dir.path().join("archive").join(ARCHIVE);
    assert!(std::fs::read(archive.join("journal.tpsj")).unwrap() == journal);
    assert!(!data.journal().primary.exists());
    assert!(!data.certificate().exists());
    let mirror = data.journal().mirror;
    assert!(!mirror.exists(), "the stick's copy is renamed");
    let renamed = mirror.with_file_name(format!("journal-{ARCHIVE}.tpsj"));
    assert!(std::fs::read(renamed).unwrap() == journal);
}

#[test]
fn mid_day_the_station_refuses_and_the_screen_says_why_in_both_languages() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.open_current_step();
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    // Restarted mid-day: the self-check offers it, the station refuses it.
    k.ui.sim(Job::CutPower);
    k.settle();
    k.ui.sim(Job::Restart);
    k.settle();
    assert_eq!(k.screen(), Screen::SelfCheck);
    let before = election_files(k.dir.path());
    k.tap(PREPARE);
    assert_eq!(k.screen(), Screen::Reprovision);
    assert!(!k.enabled(YES));
    let why = k.value("Alasan ditolak");
    assert!(
        why.contains("sedang berjalan") && why.contains("Tidak ada yang diubah"),
        "{why}"
    );
    k.tap("Bahasa / Language");
    let why = k.value("Why it was refused");
    assert!(
        why.contains("in progress") && why.contains("Nothing was changed"),
        "{why}"
    );
    assert!(!k.enabled("Yes, provision again"));
    k.tap("Back");
    assert_eq!(k.screen(), Screen::SelfCheck);
    assert_eq!(
        changed(&election_files(k.dir.path()), &before),
        Vec::<PathBuf>::new()
    );
    assert!(!k.dir.path().join("archive").exists());
}

#[test]
fn with_no_stick_it_is_refused_before_the_pin_and_nothing_changes() {
    init_backend();
    let k = after_full_day();
    k.tap(PREPARE);
    // The stick is pulled on the confirmation screen: refused, said so, no PIN try spent.
    k.hw.usb.unplug().unwrap();
    k.poll();
    assert!(!k.enabled(YES));
    assert!(
        k.value("Alasan ditolak")
            .contains("Flashdisk tidak terpasang")
    );
    k.hw.usb.plug().unwrap();
    k.poll();
    assert!(k.enabled(YES));
    let before = election_files(k.dir.path());

    // Pulled after the screen last looked: the station refuses once the PIN is typed.
    k.hw.usb.unplug().unwrap();
    k.tap(YES);
    k.pin(DEVELOPMENT_TECHNICIAN_PIN);
    assert_eq!(k.screen(), Screen::Reprovision);
    assert!(
        k.value("Alasan ditolak")
            .contains("Flashdisk tidak terpasang"),
        "{}",
        k.value("Alasan ditolak")
    );
    // Stick back (it catches up on the record of its pulling): nothing else changed.
    k.hw.usb.plug().unwrap();
    k.poll();
    assert_eq!(
        changed(&election_files(k.dir.path()), &before),
        Vec::<PathBuf>::new()
    );
    assert!(!k.dir.path().join("archive").exists());

    // Stick in: the same PIN now goes through.
    k.tap(YES);
    k.pin(DEVELOPMENT_TECHNICIAN_PIN);
    assert_eq!(k.screen(), Screen::Provision);
}
