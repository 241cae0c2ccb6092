//! "Ekspor untuk PPS" on simulated hardware: what the folder holds and that its copy verifies;
//! sticks that are full, pulled mid-export or prepared with links; and that a failed export
//! changes nothing on the device and can be tried again.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tps_firmware::journal::read::read_prefix;
use tps_firmware::journal::verify::{Signatures, verify_parsed};
use tps_firmware::kiosk::DataDir;
use tps_station::scenario::{Scenario, builtin_package, run};
use tps_station::station::SimStation;

/// 2024-02-14 18:00 WIB, after the full day's last record (the hand-over at 17:45).
const AFTER_THE_DAY_MS: i64 = 1_707_908_400_000;
const FOLDER: &str = "TPS-32.73.08.1004.007_2024-02-14";

/// A kiosk that has run the full day (both reports printed), started again afterwards.
fn after_full_day() -> (tempfile::TempDir, SimStation) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hal-sim/scenarios/full-day.toml"),
    )
    .unwrap();
    run(&scenario, dir.path(), &mut Vec::new()).unwrap();
    let package = builtin_package("pemilu-2024-jabar").unwrap();
    let station = SimStation::open(dir.path(), package, AFTER_THE_DAY_MS).unwrap();
    (dir, station)
}

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

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_export_holds_the_days_files_and_its_journal_verifies() {
    let (dir, mut station) = after_full_day();
    let exported = station.export_for_pps().unwrap();
    assert_eq!(exported.folder, FOLDER);
    let folder = station.hw().usb.mirror_dir().join(FOLDER);
    assert_eq!(
        names(&folder),
        [
            "c-hasil-dpd.png",
            "c-hasil-dpd.txt",
            "c-hasil-dpr.png",
            "c-hasil-dpr.txt",
            "c-hasil-dprd-kabkota.png",
            "c-hasil-dprd-kabkota.txt",
            "c-hasil-dprd-prov.png",
            "c-hasil-dprd-prov.txt",
            "c-hasil-ppwp.png",
            "c-hasil-ppwp.txt",
            "device.crt",
            "hasil.json",
            "journal.tpsj",
            "laporan-pembukaan.png",
            "laporan-pembukaan.txt",
            "laporan-penutupan.png",
            "laporan-penutupan.txt",
            "package.tpsp",
            "verification.json",
            "verification.txt",
            "verifikasi.txt",
        ]
    );
    let data = DataDir::new(dir.path());
    let journal = std::fs::read(folder.join("journal.tpsj")).unwrap();
    assert_eq!(journal, std::fs::read(data.journal().primary).unwrap());
    let package = std::fs::read(folder.join("package.tpsp")).unwrap();
    let authority = station.kiosk().unwrap().identity().authority;
    let (records, damage) = read_prefix(journal.as_slice()).unwrap();
    verify_parsed(
        &records,
        damage,
        &authority,
        Some(&package),
        Signatures::Every,
    )
    .unwrap();
    let closing = std::fs::read_to_string(folder.join("laporan-penutupan.txt")).unwrap();
    assert!(closing.contains("LAPORAN PENUTUPAN"), "{closing}");
    assert!(closing.contains("[QR] TPSK2|C|"), "{closing}");
    let png = std::fs::read(folder.join("laporan-penutupan.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let words = std::fs::read_to_string(folder.join("verifikasi.txt")).unwrap();
    assert!(words.contains("OK: "), "{words}");
    assert!(words.contains("lengkap"), "{words}");
    let json = std::fs::read_to_string(folder.join("verification.json")).unwrap();
    assert!(json.contains("\"complete\": true"), "{json}");
    // The results for PPS: every ballot type counted, with the figures the journal holds.
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("hasil.json")).unwrap()).unwrap();
    let ballots = results["ballots"].as_array().unwrap();
    assert_eq!(ballots.len(), 5);
    let state = station.kiosk().unwrap().state().clone();
    for b in ballots {
        assert_eq!(b["counted"], true, "{b}");
        let code = b["ballot"].as_str().unwrap();
        let ballot = tps_firmware::election::BallotType::parse(code).unwrap();
        let tally = tps_firmware::report::counted(&state, ballot).unwrap();
        assert_eq!(b["valid"], tally.valid, "{code}");
        assert_eq!(b["invalid"], tally.invalid, "{code}");
        let votes: Vec<u64> = b["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["votes"].as_u64().unwrap())
            .collect();
        let journal: Vec<u64> = tally
            .participants
            .iter()
            .map(|p| u64::from(p.votes))
            .collect();
        assert_eq!(votes, journal, "{code}");
    }
    let dpr = ballots.iter().find(|b| b["ballot"] == "DPR").unwrap();
    assert!(
        dpr["participants"][0]["candidates"][0]["name"].is_string(),
        "{dpr}"
    );
    let chasil = std::fs::read_to_string(folder.join("c-hasil-dpr.txt")).unwrap();
    assert!(chasil.contains("C.HASIL DPR"), "{chasil}");
    assert!(chasil.contains("[QR] TPSH1"), "{chasil}");
}

#[test]
fn an_export_before_the_closing_report_is_refused_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let package = builtin_package("pemilu-2024-jabar").unwrap();
    let mut station = SimStation::open(dir.path(), package, AFTER_THE_DAY_MS).unwrap();
    let e = station.export_for_pps().unwrap_err();
    assert_eq!(e.kind(), "not-closed");
    assert!(e.message().id.contains("laporan penutupan"));
    assert!(e.message().en.contains("closing report"));
    assert_eq!(names(station.hw().usb.mirror_dir()), ["journal.tpsj"]);
}

#[test]
fn a_full_stick_and_a_pulled_one_change_nothing_and_trying_again_works() {
    let (dir, mut station) = after_full_day();
    let before = device_files(dir.path());
    let usb = station.hw().usb.clone();

    usb.fill();
    let e = station.export_for_pps().unwrap_err();
    assert_eq!(e.kind(), "stick-full");
    assert!(e.message().id.contains("Flashdisk penuh"), "{e}");
    assert!(
        e.message().en.contains("Nothing on the device changed"),
        "{e}"
    );
    assert_eq!(device_files(dir.path()), before);
    assert_eq!(names(usb.mirror_dir()), ["journal.tpsj"], "nothing left");

    usb.unplug().unwrap();
    usb.plug_new().unwrap();
    // Pulled once the journal and part of what follows are on the stick.
    usb.pull_after(20_000);
    let e = station.export_for_pps().unwrap_err();
    assert_eq!(e.kind(), "stick-pulled");
    assert!(e.message().id.contains("dicabut"), "{e}");
    assert!(!usb.is_plugged());
    assert_eq!(device_files(dir.path()), before);

    usb.plug().unwrap();
    let exported = station.export_for_pps().unwrap();
    assert_eq!(exported.folder, FOLDER);
    assert_eq!(device_files(dir.path()), before);
}

#[test]
fn links_and_folders_already_on_the_stick_are_never_followed_or_overwritten() {
    let (dir, mut station) = after_full_day();
    let stick = station.hw().usb.mirror_dir().to_path_buf();
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("keep"), b"keep").unwrap();
    // A folder of the export's name, and links where its working folder and second name go.
    std::fs::create_dir(stick.join(FOLDER)).unwrap();
    std::fs::write(stick.join(FOLDER).join("journal.tpsj"), b"someone else's").unwrap();
    std::os::unix::fs::symlink(&outside, stick.join(format!(".{FOLDER}.partial-1"))).unwrap();
    std::os::unix::fs::symlink(&outside, stick.join(format!("{FOLDER}-2"))).unwrap();

    let exported = station.export_for_pps().unwrap();
    assert_eq!(exported.folder, format!("{FOLDER}-3"));
    assert_eq!(names(&outside), ["keep"]);
    assert_eq!(
        std::fs::read(stick.join(FOLDER).join("journal.tpsj")).unwrap(),
        b"someone else's"
    );
    assert!(stick.join(format!("{FOLDER}-3/journal.tpsj")).is_file());

    // The stick's directory itself a link: refused, nothing written through it.
    let usb = station.hw().usb.clone();
    usb.unplug().unwrap();
    usb.plug_hostile(&tps_hal_sim::HostileStick::DirLink(outside.clone()))
        .unwrap();
    let e = station.export_for_pps().unwrap_err();
    assert_eq!(e.kind(), "not-a-directory");
    assert_eq!(names(&outside), ["keep"]);
}
