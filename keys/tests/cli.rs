//! `tps-keys` end to end: the built binary in a temporary directory, from a new authority to an
//! audit, and every kind of malformed input.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use support::{
    build_package, certify_device, example, provision, tps_keys, verify_journal, write_journal,
};
use tps_firmware::event::ReportKind;
use tps_firmware::identity::keyfile::{KeyKind, read_signing_key, read_verifying_key};
use tps_firmware::journal::SignedRecord;
use tps_firmware::report::ReceiptCode;

const JAKARTA: &str = "election-pemilu-2024.toml";
const JABAR: &str = "election-pemilu-2024-jabar.toml";
const PILKADA: &str = "election-pilkada-2024.toml";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The byte offset of the middle of record `seq` in a journal file of `records`.
fn middle_of(records: &[SignedRecord], seq: usize) -> usize {
    let start: usize = 8 + records[..seq]
        .iter()
        .map(|r| r.frame().len())
        .sum::<usize>();
    start + records[seq].frame().len() / 2
}

fn flip(path: &Path, offset: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[offset] ^= 0x04;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn provision_build_write_verify_tamper_for_each_example() {
    for (example, tps, zone, first) in [
        (
            JAKARTA,
            "31.71.01.1001.012",
            "WIB",
            "2024-02-14 07:00:00 WIB",
        ),
        (JABAR, "32.73.08.1004.007", "WIB", "2024-02-14 07:00:00 WIB"),
        (
            PILKADA,
            "91.71.02.1005.003",
            "WIT",
            "2024-11-27 07:00:00 WIT",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let p = provision(tmp.path(), example, false);
        let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p.authority_key), 0o600);
        assert_eq!(mode(&p.device_key), 0o600);

        let kiosk = tmp.path().join("kiosk");
        let records = write_journal(&p, &kiosk, 8);
        let journal = kiosk.join("journal.tpsj");
        let run = verify_journal(tmp.path(), s(&journal), &[]).expect(0);
        let out = &run.stdout;
        assert!(out.contains(&format!("TPS        {tps}")), "{out}");
        assert!(out.contains("Device     pi-0001"), "{out}");
        assert!(out.contains("Records    8"), "{out}");
        assert!(out.contains(&format!("First      {first}")), "{out}");
        assert!(out.contains(zone));
        assert!(out.contains(&hex::encode(records[7].hash)), "{out}");
        assert!(out.contains("found next to the journal"), "{out}");
        assert!(!out.contains("DEVELOPMENT"));
        assert!(run.stderr.is_empty(), "{}", run.stderr);

        // One changed byte in record 5: exit 1, and the message names the record.
        flip(&journal, middle_of(&records, 5));
        let run = verify_journal(tmp.path(), s(&journal), &[])
            .one_line_error(1, &["journal.tpsj", "record 5"]);
        assert!(run.stdout.contains("FAILED at record 5"), "{}", run.stdout);
    }
}

#[test]
fn verify_json_reports_the_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), PILKADA, false);
    let records = write_journal(&p, &tmp.path().join("k"), 5);
    let run = verify_journal(
        tmp.path(),
        "k/journal.tpsj",
        &["--mirror", "k/usb/journal.tpsj", "--json"],
    )
    .expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["tps"], "91.71.02.1005.003");
    assert_eq!(v["device_id"], "pi-0001");
    assert_eq!(v["development"], false);
    assert_eq!(v["records"], 5);
    assert_eq!(v["zone"], "WIT");
    assert_eq!(v["first"], "2024-11-27 07:00:00 WIT");
    assert_eq!(v["last"], "2024-11-27 07:04:00 WIT");
    assert_eq!(v["head_hash"], hex::encode(records[4].hash));
    assert_eq!(v["mirror"]["relation"], "identical");
}

#[test]
fn without_a_package_times_are_utc() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, false);
    write_journal(&p, &tmp.path().join("k"), 3);
    std::fs::remove_file(tmp.path().join("k/package.tpsp")).unwrap();
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &[]).expect(0);
    // 07:00 WIB is midnight UTC.
    assert!(
        run.stdout.contains("First      2024-02-14 00:00:00 UTC"),
        "{}",
        run.stdout
    );
    // With --package given explicitly, local time again.
    let run =
        verify_journal(tmp.path(), "k/journal.tpsj", &["--package", "package.tpsp"]).expect(0);
    assert!(run.stdout.contains("2024-02-14 07:00:00 WIB"));
}

#[test]
fn another_tps_package_fails_at_record_0() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, false);
    write_journal(&p, &tmp.path().join("k"), 3);
    build_package(
        tmp.path(),
        &example(JABAR),
        "auth/authority.key",
        "jabar.tpsp",
    )
    .expect(0);
    verify_journal(tmp.path(), "k/journal.tpsj", &["--package", "jabar.tpsp"])
        .one_line_error(1, &["k/journal.tpsj", "record 0", "package"]);
}

#[test]
fn a_development_authority_is_said_loudly() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, true);
    let public = std::fs::read_to_string(&p.authority_pub).unwrap();
    assert!(
        public.starts_with("# DEVELOPMENT authority"),
        "the public key file carries the mark: {public}"
    );
    write_journal(&p, &tmp.path().join("k"), 3);
    // Not OK for an election: exit 1 unless the auditor accepts it for testing.
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &[])
        .one_line_error(1, &["development", "--allow-development"]);
    assert!(
        run.stdout
            .contains("DEVELOPMENT authority — not valid for an election")
    );
    let dev = ["--allow-development"];
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &dev).expect(0);
    assert!(
        run.stdout
            .contains("DEVELOPMENT authority — not valid for an election")
    );
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &["--json"]).expect(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["development"], true);
    assert_eq!(v["ok"], false);
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &["--json", dev[0]]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["ok"], true);
    // audit the same.
    let audit = |extra: &[&str]| {
        let args = [
            &["audit", "k", "--authority", "auth/authority.pub"][..],
            extra,
        ]
        .concat();
        tps_keys(tmp.path(), &args)
    };
    let run = audit(&[]).expect(1);
    assert!(run.stdout.contains("--allow-development"), "{}", run.stdout);
    audit(&dev).expect(0);
}

#[test]
fn mirror_prefix_is_reported_and_divergence_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = provision(tmp.path(), JAKARTA, false);
    // A package both kiosks may run.
    let both = [
        "package",
        "build",
        &example(JAKARTA),
        "--authority-key",
        "auth/authority.key",
        "--out",
        "both.tpsp",
        "--device",
        "pi-0001",
        "--device",
        "pi-0002",
    ];
    tps_keys(tmp.path(), &both).expect(0);
    p.package = tmp.path().join("both.tpsp");
    let records = write_journal(&p, &tmp.path().join("k"), 6);
    let mirror = tmp.path().join("k/usb/journal.tpsj");
    let bytes = std::fs::read(&mirror).unwrap();
    let four: usize = 8 + records[..4].iter().map(|r| r.frame().len()).sum::<usize>();
    std::fs::write(&mirror, &bytes[..four]).unwrap();
    let verify_with_mirror = || {
        verify_journal(
            tmp.path(),
            "k/journal.tpsj",
            &["--mirror", "k/usb/journal.tpsj"],
        )
    };
    let run = verify_with_mirror().expect(0);
    assert!(
        run.stdout
            .contains("a prefix of the primary (2 records behind"),
        "{}",
        run.stdout
    );

    // A mirror from another kiosk of the same authority: differs from record 0.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    certify_device(&other, "pi-0002", s(&p.authority_key), false);
    let q = support::Provisioned {
        device_key: other.join("device.key"),
        certificate: other.join("device.crt"),
        ..p.clone()
    };
    write_journal(&q, &other.join("k"), 6);
    std::fs::copy(other.join("k/journal.tpsj"), &mirror).unwrap();
    verify_with_mirror().one_line_error(1, &["usb/journal.tpsj", "record 0", "differs"]);
}

#[test]
fn show_lists_records_in_words_with_names() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JABAR, false);
    write_journal(&p, &tmp.path().join("k"), 6);
    let run = tps_keys(tmp.path(), &["journal", "show", "k/journal.tpsj"]).expect(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", run.stdout);
    assert!(lines[0].contains("times in WIB"));
    assert!(lines[1].contains("2024-02-14 07:00:00 WIB"));
    assert!(lines[1].contains("TPS 32.73.08.1004.007"));
    // The package beside the journal is its own: steps are named by their titles.
    assert!(lines[4].contains(
        "Budi Santoso (KPPS chair) confirmed the proposal for step 'Prepare the TPS' (record 2)"
    ));
    let run = tps_keys(tmp.path(), &["journal", "show", "k/journal.tpsj", "--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["records"][3]["kind"], "confirmed");
    assert_eq!(v["records"][3]["by"][0], "Budi Santoso (KPPS chair)");
    assert_eq!(v["records"][3]["time"], "2024-02-14 07:03:00 WIB");

    // Another TPS's package gives no local times, and says why.
    build_package(
        tmp.path(),
        &example(JAKARTA),
        "auth/authority.key",
        "jakarta.tpsp",
    )
    .expect(0);
    let run = tps_keys(
        tmp.path(),
        &[
            "journal",
            "show",
            "k/journal.tpsj",
            "--package",
            "jakarta.tpsp",
        ],
    )
    .expect(0);
    assert!(
        run.stdout
            .contains("Note: jakarta.tpsp is not this journal's election package"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2024-02-14 00:00:00 UTC"));
    // Another TPS's package says nothing about this journal's steps: they keep their ids.
    assert!(run.stdout.contains("step 'persiapan'"), "{}", run.stdout);
}

#[test]
fn show_speaks_indonesian_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JABAR, false);
    let records = write_journal(&p, &tmp.path().join("k"), 6);
    let show = |extra: &[&str]| {
        tps_keys(
            tmp.path(),
            &[&["journal", "show", "k/journal.tpsj"], extra].concat(),
        )
    };
    let run = show(&["--lang", "id"]).expect(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", run.stdout);
    assert_eq!(
        lines[0],
        "Jurnal k/journal.tpsj: 6 catatan, waktu dalam WIB (tanda tangan tidak diperiksa: \
         gunakan `journal verify`)"
    );
    assert!(lines[1].contains("Jurnal dimulai untuk TPS 32.73.08.1004.007"));
    assert!(lines[2].contains("Budi Santoso didaftarkan sebagai Ketua KPPS"));
    assert!(
        lines[4].ends_with(
            "Budi Santoso (Ketua KPPS) mengonfirmasi pengajuan langkah 'Persiapan TPS' (catatan 2)  \
             [oleh Budi Santoso (Ketua KPPS)]"
        ),
        "{}",
        lines[4]
    );
    for line in &lines {
        for english in ["Journal", "records", "confirmed", " by ", "Power", "lid"] {
            assert!(!line.contains(english), "{english:?} in {line}");
        }
    }

    let run = show(&["--json", "--lang", "id"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["lang"], "id");
    assert_eq!(v["records"][3]["by"][0], "Budi Santoso (Ketua KPPS)");
    assert_eq!(v["records"][3]["time"], "2024-02-14 07:03:00 WIB");
    let run = show(&["--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["lang"], "en", "English unless asked");

    show(&["--lang", "xx"]).one_line_error(2, &["'xx'", "--lang", "id, en"]);

    // The note about a foreign package and the damage at the end are in Indonesian too.
    build_package(
        tmp.path(),
        &example(JAKARTA),
        "auth/authority.key",
        "jakarta.tpsp",
    )
    .expect(0);
    let journal = std::fs::read(tmp.path().join("k/journal.tpsj")).unwrap();
    std::fs::write(
        tmp.path().join("k/cut.tpsj"),
        &journal[..middle_of(&records, 5)],
    )
    .unwrap();
    let run = tps_keys(
        tmp.path(),
        &[
            "journal",
            "show",
            "k/cut.tpsj",
            "--package",
            "jakarta.tpsp",
            "--lang",
            "id",
        ],
    )
    .one_line_error(1, &["k/cut.tpsj", "incomplete record"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[1],
        "Perhatian: jakarta.tpsp bukan paket pemilu jurnal ini; waktu dalam UTC"
    );
    assert!(
        lines[lines.len() - 1].starts_with("RUSAK: ")
            && lines[lines.len() - 1].contains("catatan yang tidak lengkap"),
        "{}",
        run.stdout
    );
}

/// Asserts that a report asked for in Indonesian has none of the English report's words.
fn assert_indonesian(report: &str) {
    for english in [
        "Journal",
        "Result",
        "Device",
        "Records",
        "records",
        "First",
        "Last",
        "Head",
        "head",
        "Package",
        "Mirror",
        "verified",
        "matches",
        "found",
        "FAILED",
        "failed",
        "signature",
        "receipt",
        "figures",
        "DEVELOPMENT",
        "identical",
        "primary",
        "device ",
        " ok",
    ] {
        assert!(!report.contains(english), "{english:?} in\n{report}");
    }
}

#[test]
fn verify_speaks_indonesian_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JABAR, false);
    let records = write_journal(&p, &tmp.path().join("k"), 8);
    let in_indonesian = ["--lang", "id"];
    let run = verify_journal(
        tmp.path(),
        "k/journal.tpsj",
        &[&in_indonesian[..], &["--mirror", "k/usb/journal.tpsj"]].concat(),
    )
    .expect(0);
    let (head, firmware) = (hex::encode(records[7].hash), tps_firmware::FIRMWARE_VERSION);
    assert_eq!(
        run.stdout,
        format!(
            "Jurnal              k/journal.tpsj\n\
             Hasil               OK: 8 catatan terverifikasi\n\
             TPS                 32.73.08.1004.007\n\
             Perangkat           pi-0001\n\
             Firmware            {firmware}\n\
             Jumlah catatan      8\n\
             Waktu pertama       2024-02-14 07:00:00 WIB\n\
             Waktu terakhir      2024-02-14 07:07:00 WIB\n\
             Hash terakhir       {head}\n\
             Hari                belum lengkap: belum ada langkah, 8 catatan\n\
             Perubahan jam       tidak ada\n\
             Paket pemilu        k/package.tpsp (ditemukan di samping jurnal): cocok dengan \
             catatan awal jurnal\n\
             Flashdisk cadangan  k/usb/journal.tpsj: 8 catatan, sama persis dengan jurnal utama\n"
        )
    );

    // The mirror two records short, in Indonesian too.
    let mirror = tmp.path().join("k/usb/journal.tpsj");
    let bytes = std::fs::read(&mirror).unwrap();
    let six: usize = 8 + records[..6].iter().map(|r| r.frame().len()).sum::<usize>();
    std::fs::write(&mirror, &bytes[..six]).unwrap();
    let run = verify_journal(
        tmp.path(),
        "k/journal.tpsj",
        &[&in_indonesian[..], &["--mirror", "k/usb/journal.tpsj"]].concat(),
    )
    .expect(0);
    assert!(
        run.stdout.contains(
            "k/usb/journal.tpsj: 6 catatan, bagian awal jurnal utama (kurang 2 catatan: salin \
             dulu sebelum diarsipkan)"
        ),
        "{}",
        run.stdout
    );
    assert_indonesian(&run.stdout);

    // Another authority's key: the reason names record 0 in Indonesian; stderr stays English.
    tps_keys(tmp.path(), &["authority", "init", "--out", "other"]).expect(0);
    let other = |extra: &[&str]| {
        tps_keys(
            tmp.path(),
            &[
                &[
                    "journal",
                    "verify",
                    "k/journal.tpsj",
                    "--authority",
                    "other/authority.pub",
                ],
                extra,
            ]
            .concat(),
        )
    };
    let run =
        other(&in_indonesian).one_line_error(1, &["record 0", "not signed by this authority"]);
    assert!(
        run.stdout.contains(
            "Hasil               GAGAL pada catatan 0: sertifikat perangkat tidak \
             ditandatangani oleh otoritas ini\n"
        ),
        "{}",
        run.stdout
    );
    assert_indonesian(&run.stdout);
    let run = other(&[&in_indonesian[..], &["--json"]].concat()).expect(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["lang"], "id");
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"]["seq"], 0);
    assert_eq!(
        v["error"]["problem"],
        "sertifikat perangkat tidak ditandatangani oleh otoritas ini"
    );
    let run = other(&["--json"]).expect(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["lang"], "en", "English unless asked");
    assert_eq!(
        v["error"]["problem"],
        "the device certificate is not signed by this authority"
    );

    // One changed byte in record 5: exit 1, the reason in Indonesian names the record.
    flip(&tmp.path().join("k/journal.tpsj"), middle_of(&records, 5));
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &in_indonesian)
        .one_line_error(1, &["journal.tpsj", "record 5"]);
    let result = run.stdout.lines().nth(1).unwrap();
    assert!(
        result.starts_with("Hasil               GAGAL pada catatan 5: "),
        "{}",
        run.stdout
    );
    assert_indonesian(&run.stdout);
}

#[test]
fn a_development_authority_is_said_loudly_in_indonesian() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, true);
    write_journal(&p, &tmp.path().join("k"), 3);
    let args = ["--lang", "id", "--allow-development"];
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &args).expect(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let warning = "!!! otoritas PENGEMBANGAN — tidak sah untuk pemilu !!!";
    assert_eq!(lines[0], warning);
    assert_eq!(lines[lines.len() - 1], warning);
    assert_indonesian(&run.stdout);
}

#[test]
fn receipt_verify_speaks_indonesian_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, false);
    let records = write_journal(&p, &tmp.path().join("k"), 6);
    // The journal's records are not a polling day, so no figures to recompute: no package.
    std::fs::remove_file(tmp.path().join("k/package.tpsp")).unwrap();
    let device = read_signing_key(&p.device_key, KeyKind::DeviceSecret).unwrap();
    let certificate = std::fs::read(&p.certificate).unwrap();
    let code = |seq: u64, head: [u8; 32]| {
        ReceiptCode::sign(
            ReportKind::Opening,
            "31.71.01.1001.012".into(),
            ("pi-0001", &certificate),
            (seq, head),
            vec![("HADIR".into(), "120".into())],
            &device,
        )
        .to_string()
    };
    let verify = |code: &str, lang: &str| {
        tps_keys(
            tmp.path(),
            &[
                "receipt",
                "verify",
                "--code",
                code,
                "--journal",
                "k/journal.tpsj",
                "--authority",
                "auth/authority.pub",
                "--lang",
                lang,
            ],
        )
    };

    let good = code(3, records[3].hash);
    let run = verify(&good, "id").expect(0);
    assert_eq!(
        run.stdout,
        "struk: laporan pembukaan, TPS 31.71.01.1001.012, perangkat pi-0001, catatan 3\n\
         angka: HADIR=120\n\
         OK: ditandatangani perangkat ini dan cocok dengan jurnal (angka tidak diperiksa: tidak \
         ada paket pemilu di samping jurnal atau yang diberikan)\n\
         tidak tercatat dicetak di jurnal ini\n"
    );
    let run = verify(&good, "en").expect(0);
    assert!(
        run.stdout
            .starts_with("receipt: opening report, TPS 31.71.01.1001.012, device pi-0001"),
        "{}",
        run.stdout
    );

    // A receipt naming record 3 with record 2's chain hash.
    let bad = code(3, records[2].hash);
    let run = verify(&bad, "id").one_line_error(1, &["<code>", "another chain hash"]);
    assert!(
        run.stdout.contains(
            "GAGAL: hash rantai catatan 3 di jurnal berbeda dari yang tertera di struk\n"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("OK:"), "{}", run.stdout);
    assert_indonesian(&run.stdout);
    let run = tps_keys(
        tmp.path(),
        &[
            "receipt",
            "verify",
            "--code",
            &bad,
            "--journal",
            "k/journal.tpsj",
            "--authority",
            "auth/authority.pub",
            "--lang",
            "id",
            "--json",
        ],
    )
    .expect(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["lang"], "id");
    assert_eq!(v["ok"], false);
    assert_eq!(
        v["problems"][0],
        "hash rantai catatan 3 di jurnal berbeda dari yang tertera di struk"
    );

    // A journal that does not verify: the receipt is not checked, and the report says why.
    flip(&tmp.path().join("k/journal.tpsj"), middle_of(&records, 4));
    let run = verify(&good, "id").one_line_error(1, &["k/journal.tpsj", "record 4"]);
    assert!(
        run.stdout
            .contains("GAGAL: jurnal tidak lolos verifikasi: catatan 4: "),
        "{}",
        run.stdout
    );
    assert_indonesian(&run.stdout);
}

#[test]
fn package_show_prints_the_package_and_checks_the_signature() {
    let tmp = tempfile::tempdir().unwrap();
    provision(tmp.path(), JAKARTA, false);
    let run = tps_keys(
        tmp.path(),
        &[
            "package",
            "show",
            "package.tpsp",
            "--authority",
            "auth/authority.pub",
        ],
    )
    .expect(0);
    let out = &run.stdout;
    for want in [
        "31.71.01.1001.012",
        "Gambir",
        "Kota Administrasi Jakarta Pusat",
        "DKI Jakarta",
        "2024-02-14 (WIB, UTC+7)",
        "293 voters: 142 male, 151 female",
        "Ballot PPWP: dapil Nasional, 299 delivered, 3 participants",
        "H. Prabowo Subianto - Gibran Rakabuming Raka",
        "Ballot DPR: dapil DKI Jakarta II, 299 delivered, 18 participants",
        "    1  Partai Kebangkitan Bangsa\n          1. ",
        "verified",
    ] {
        assert!(out.contains(want), "{want:?} missing from\n{out}");
    }
    let run = tps_keys(tmp.path(), &["package", "show", "package.tpsp", "--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["dpt_male"], 142);
    assert_eq!(v["ballots"][0]["type"], "PPWP");
    assert_eq!(v["ballots"][0]["participants"][1]["number"], 2);
    assert!(v["ballots"][0]["participants"][1]["candidates"].is_null());
    // The DPR ballot's parties carry their candidates (synthetic names in the example).
    assert_eq!(v["ballots"][1]["type"], "DPR");
    let pkb = &v["ballots"][1]["participants"][0];
    assert_eq!(pkb["candidates"].as_array().map(Vec::len), Some(7));
    assert_eq!(pkb["candidates"][6]["number"], 7);
    assert_eq!(v["signature"], "not checked");

    // Another authority's public key: exit 1.
    tps_keys(tmp.path(), &["authority", "init", "--out", "other"]).expect(0);
    tps_keys(
        tmp.path(),
        &[
            "package",
            "show",
            "package.tpsp",
            "--authority",
            "other/authority.pub",
        ],
    )
    .one_line_error(1, &["package.tpsp", "signature"]);
}

#[test]
fn audit_verifies_every_journal_and_names_the_bad_one() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, false);
    let root = tmp.path().join("collected");
    write_journal(&p, &root.join("tps-012"), 5);
    let bad = write_journal(&p, &root.join("tps-013"), 7);
    flip(&root.join("tps-013/journal.tpsj"), middle_of(&bad, 4));
    let run = tps_keys(
        tmp.path(),
        &["audit", "collected", "--authority", "auth/authority.pub"],
    );
    let run = run.expect(1);
    let out = &run.stdout;
    // Four files: two journals and their mirrors.
    assert!(out.contains("OK      tps-012/journal.tpsj"), "{out}");
    assert!(out.contains("OK      tps-012/usb/journal.tpsj"), "{out}");
    assert!(out.contains("OK      tps-013/usb/journal.tpsj"), "{out}");
    assert!(
        out.contains("FAILED  tps-013/journal.tpsj  record 4:"),
        "{out}"
    );
    assert!(
        out.contains("4 journals: 3 ok, 1 failed; 0 complete, 3 incomplete; 17 records in"),
        "{out}"
    );
    assert!(out.contains("records/s"));
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].contains("tps-013/journal.tpsj: record 4"));

    let run = tps_keys(
        tmp.path(),
        &[
            "audit",
            "collected",
            "--authority",
            "auth/authority.pub",
            "--json",
        ],
    )
    .expect(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["ok"], 3);
    assert_eq!(v["failed"], 1);
    assert_eq!(v["records"], 17);

    // In Indonesian: the same lines and totals, the reason in Indonesian; stderr stays English.
    let run = tps_keys(
        tmp.path(),
        &[
            "audit",
            "collected",
            "--authority",
            "auth/authority.pub",
            "--lang",
            "id",
        ],
    )
    .expect(1);
    let out = &run.stdout;
    assert!(
        out.contains(
            "OK      tps-012/journal.tpsj  TPS 31.71.01.1001.012  perangkat pi-0001  5 catatan  \
             hash terakhir "
        ),
        "{out}"
    );
    assert!(
        out.contains("GAGAL   tps-013/journal.tpsj  catatan 4: "),
        "{out}"
    );
    let totals = out.lines().last().unwrap();
    assert!(
        totals
            .starts_with("4 jurnal: 3 OK, 1 gagal; 0 lengkap, 3 belum lengkap; 17 catatan dalam ")
            && totals.contains(" detik (")
            && totals.contains(" catatan/detik dengan "),
        "{totals}"
    );
    assert_indonesian(out);
    assert!(run.stderr.contains("tps-013/journal.tpsj: record 4"));
    let run = tps_keys(
        tmp.path(),
        &[
            "audit",
            "collected",
            "--authority",
            "auth/authority.pub",
            "--json",
            "--lang",
            "id",
        ],
    )
    .expect(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["lang"], "id");
    assert_eq!(v["failed"], 1);
    let failed = v["journals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["ok"] == false)
        .unwrap();
    assert!(
        failed["error"].as_str().unwrap().starts_with("catatan 4: "),
        "{failed}"
    );

    // Only good journals: exit 0.
    std::fs::remove_file(root.join("tps-013/journal.tpsj")).unwrap();
    tps_keys(
        tmp.path(),
        &["audit", "collected", "--authority", "auth/authority.pub"],
    )
    .expect(0);
}

#[test]
fn outputs_are_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, false);
    let key_before = std::fs::read(&p.authority_key).unwrap();
    tps_keys(tmp.path(), &["authority", "init", "--out", "auth"])
        .one_line_error(2, &["auth/authority.key", "already exists"]);
    assert_eq!(std::fs::read(&p.authority_key).unwrap(), key_before);
    let device_before = std::fs::read(&p.device_key).unwrap();
    tps_keys(
        tmp.path(),
        &[
            "device",
            "request",
            "--device-id",
            "pi-9",
            "--key-out",
            "device.key",
            "--out",
            "new.req",
        ],
    )
    .one_line_error(2, &["device.key", "already exists"]);
    assert_eq!(std::fs::read(&p.device_key).unwrap(), device_before);
    assert!(!tmp.path().join("new.req").exists());
}

/// Every malformed input: one line on stderr naming the file and the problem, exit 2 (1 when a
/// journal does not verify), never a panic.
#[test]
fn malformed_inputs_get_one_line_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = provision(d, JAKARTA, false);
    let good_toml = std::fs::read_to_string(support::examples().join(JAKARTA)).unwrap();
    std::fs::write(d.join("broken.toml"), "procedure = \"pemilu-2024\"\n[tps\n").unwrap();
    std::fs::write(
        d.join("ballot.toml"),
        good_toml.replacen("type = \"DPD\"", "type = \"DPRX\"", 1),
    )
    .unwrap();
    std::fs::write(
        d.join("field.toml"),
        good_toml.replacen("[dpt]", "colour = \"red\"\n[dpt]", 1),
    )
    .unwrap();
    let pkg = std::fs::read(d.join("package.tpsp")).unwrap();
    std::fs::write(d.join("short.tpsp"), &pkg[..pkg.len() / 3]).unwrap();
    std::fs::write(d.join("empty"), b"").unwrap();
    std::fs::write(d.join("garbage.key"), [0xffu8, 0xfe, 0x00, 0x41]).unwrap();
    let req = std::fs::read(d.join("device.req")).unwrap();
    std::fs::write(d.join("short.req"), &req[..40]).unwrap();
    std::fs::create_dir(d.join("adir")).unwrap();
    let build = |src: &str, key: &str| build_package(d, src, key, "out.tpsp");
    build("broken.toml", "auth/authority.key").one_line_error(2, &["broken.toml", "line 2"]);
    build("ballot.toml", "auth/authority.key")
        .one_line_error(2, &["ballot.toml", "unknown ballot type 'DPRX'"]);
    build("field.toml", "auth/authority.key").one_line_error(2, &["field.toml", "colour"]);
    build("adir", "auth/authority.key").one_line_error(2, &["adir", "is a directory"]);
    build("missing.toml", "auth/authority.key").one_line_error(2, &["missing.toml"]);
    build("broken.toml", "auth/authority.pub").one_line_error(2, &["broken.toml"]);
    build(&example(JAKARTA), "auth/authority.pub").one_line_error(
        2,
        &[
            "auth/authority.pub",
            "public key, not an authority secret key",
        ],
    );
    build(&example(JAKARTA), "device.key").one_line_error(2, &["device.key", "device secret key"]);
    build(&example(JAKARTA), "garbage.key").one_line_error(2, &["garbage.key", "not"]);
    build(&example(JAKARTA), "adir").one_line_error(2, &["adir", "is a directory"]);
    assert!(!d.join("out.tpsp").exists());

    let show = |pkg: &str| tps_keys(d, &["package", "show", pkg]);
    show("short.tpsp").one_line_error(2, &["short.tpsp", "malformed"]);
    show("empty").one_line_error(2, &["empty", "too short"]);
    show("device.crt").one_line_error(2, &["device.crt", "device certificate"]);
    show("adir").one_line_error(2, &["adir", "is a directory"]);
    tps_keys(
        d,
        &[
            "package",
            "show",
            "package.tpsp",
            "--authority",
            "device.key",
        ],
    )
    .one_line_error(2, &["device.key", "not an authority public key"]);

    let certify = |req: &str| {
        tps_keys(
            d,
            &[
                "device",
                "certify",
                req,
                "--authority-key",
                "auth/authority.key",
                "--valid-days",
                "10",
                "--out",
                "x.crt",
            ],
        )
    };
    certify("short.req").one_line_error(2, &["short.req", "too short"]);
    certify("package.tpsp").one_line_error(2, &["package.tpsp", "not a certificate request"]);
    certify("adir").one_line_error(2, &["adir", "is a directory"]);

    // Journals: a truncated or foreign file does not verify (exit 1); a directory is an error.
    let records = write_journal(&p, &d.join("k"), 4);
    let journal = std::fs::read(d.join("k/journal.tpsj")).unwrap();
    std::fs::write(d.join("k/cut.tpsj"), &journal[..middle_of(&records, 2)]).unwrap();
    let verify = |j: &str| verify_journal(d, j, &[]);
    verify("k/cut.tpsj").one_line_error(1, &["k/cut.tpsj", "record 2", "incomplete"]);
    verify("package.tpsp").one_line_error(1, &["package.tpsp", "record 0", "not a journal"]);
    verify("adir").one_line_error(2, &["adir", "is a directory"]);
    verify("nothere.tpsj").one_line_error(2, &["nothere.tpsj", "No such file"]);
    tps_keys(
        d,
        &[
            "journal",
            "verify",
            "k/journal.tpsj",
            "--authority",
            "auth/authority.key",
        ],
    )
    .one_line_error(2, &["auth/authority.key", "not an authority public key"]);
    tps_keys(d, &["journal", "show", "k/cut.tpsj"])
        .one_line_error(1, &["k/cut.tpsj", "incomplete record"]);
    tps_keys(
        d,
        &["audit", "package.tpsp", "--authority", "auth/authority.pub"],
    )
    .one_line_error(2, &["package.tpsp", "not a directory"]);
    tps_keys(d, &["audit", "adir", "--authority", "auth/authority.pub"])
        .one_line_error(2, &["adir", "no *.tpsj"]);
}

#[test]
fn every_clock_change_is_listed_with_its_record() {
    use tps_firmware::bounded::Text;
    use tps_firmware::event::RecordBody;
    use tps_firmware::journal::{Journal, JournalPaths, Trust};
    use tps_firmware::time::Stamp;

    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, false);
    let k = tmp.path().join("k");
    let records = write_journal(&p, &k, 4);
    let device = read_signing_key(&p.device_key, KeyKind::DeviceSecret).unwrap();
    let paths = JournalPaths {
        primary: k.join("journal.tpsj"),
        mirror: k.join("usb/journal.tpsj"),
        mirror_on_own_device: false,
    };
    let (authority, _) = read_verifying_key(&p.authority_pub, KeyKind::AuthorityPublic).unwrap();
    let certificate = std::fs::read(&p.certificate).unwrap();
    let package = std::fs::read(&p.package).unwrap();
    let trust = Trust {
        authority: &authority,
        certificate: &certificate,
        package: &package,
    };
    let mut journal = Journal::open(paths, device, trust).unwrap().journal;
    let last = records[3].record.stamp;
    let at = |minutes: i64| Stamp {
        wall_ms: last.wall_ms + minutes * 60_000,
        mono_ms: last.mono_ms + minutes as u64 * 60_000,
        clock: last.clock,
    };
    // 07:04 WIB: a technician sets the clock back to 06:30, then the RTC is seen to disagree.
    let set = RecordBody::ClockSet {
        old_ms: last.wall_ms + 60_000,
        new_ms: last.wall_ms - 34 * 60_000,
        by: Text::new("teknisi Ani").unwrap(),
    };
    journal.append(at(1), set).unwrap();
    let anomaly = RecordBody::ClockAnomaly {
        rtc_ms: last.wall_ms - 40 * 60_000,
        journal_ms: last.wall_ms + 2 * 60_000,
    };
    journal.append(at(2), anomaly).unwrap();

    let run = verify_journal(tmp.path(), "k/journal.tpsj", &[]).expect(0);
    assert!(
        run.stdout.contains(
            "Clock      record 4: clock set 2024-02-14 07:04:00 WIB -> 2024-02-14 06:29:00 WIB \
             by teknisi Ani\n           record 5: clock anomaly: journal at 2024-02-14 07:05:00 \
             WIB, clock read 2024-02-14 06:23:00 WIB\n"
        ),
        "{}",
        run.stdout
    );
    let run = verify_journal(tmp.path(), "k/journal.tpsj", &["--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = v["clock_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["seq"], 4);
    assert_eq!(changes[0]["kind"], "set");
    assert_eq!(changes[0]["by"], "teknisi Ani");
    assert_eq!(changes[1]["seq"], 5);
    assert_eq!(changes[1]["kind"], "anomaly");
    assert_eq!(v["complete"], false);
}

#[test]
fn a_package_must_name_its_devices() {
    let tmp = tempfile::tempdir().unwrap();
    provision(tmp.path(), JAKARTA, false);
    let build = |extra: &[&str]| {
        let base = [
            "package",
            "build",
            &example(JAKARTA),
            "--authority-key",
            "auth/authority.key",
            "--out",
            "p2.tpsp",
        ];
        tps_keys(tmp.path(), &[&base[..], extra].concat())
    };
    // No --device: a usage error, nothing written.
    let run = build(&[]).expect(2);
    assert!(run.stderr.contains("--device"), "{}", run.stderr);
    assert!(!tmp.path().join("p2.tpsp").exists());
    build(&["--device", "pi 1"]).one_line_error(2, &["device"]);
    assert!(!tmp.path().join("p2.tpsp").exists());
    build(&["--device", "pi-0001", "--device", "pi-0002"]).expect(0);
    let run = tps_keys(tmp.path(), &["package", "show", "p2.tpsp", "--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["devices"], serde_json::json!(["pi-0001", "pi-0002"]));
}

#[test]
fn a_link_a_fifo_or_a_huge_file_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let p = provision(tmp.path(), JAKARTA, false);
    write_journal(&p, &tmp.path().join("k"), 3);
    // The magic and zeros, a mebibyte over the largest journal (sparse on disk).
    let huge = tmp.path().join("huge.tpsj");
    std::fs::write(&huge, b"TPSJRNL1").unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&huge).unwrap();
    file.set_len(tps_firmware::journal::read::MAX_JOURNAL_FILE + (1 << 20))
        .unwrap();
    for command in ["verify", "show"] {
        let mut args = vec!["journal", command, "huge.tpsj"];
        if command == "verify" {
            args.extend(["--authority", "auth/authority.pub"]);
        }
        tps_keys(tmp.path(), &args).one_line_error(2, &["huge.tpsj", "too large"]);
    }
    // A symbolic link to a good journal: not followed.
    std::os::unix::fs::symlink(
        tmp.path().join("k/journal.tpsj"),
        tmp.path().join("link.tpsj"),
    )
    .unwrap();
    verify_journal(tmp.path(), "link.tpsj", &[]).one_line_error(2, &["link.tpsj", "symbolic link"]);
    // A FIFO in place of the journal or the key: refused at once, no hang (a hang fails here).
    let fifo = tmp.path().join("fifo.tpsj");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tps-keys"))
        .args(["journal", "show", "fifo.tpsj"])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut waited = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if waited >= 300 {
            child.kill().unwrap();
            panic!("tps-keys hung on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    };
    assert_eq!(status.code(), Some(2));
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a regular file"), "{stderr}");
    tps_keys(
        tmp.path(),
        &[
            "journal",
            "verify",
            "k/journal.tpsj",
            "--authority",
            "fifo.tpsj",
        ],
    )
    .one_line_error(2, &["fifo.tpsj", "not a regular file"]);
}
