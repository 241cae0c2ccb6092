//! A day on the simulator, then the auditor's tools on what it left: the journal and its mirror
//! verify (as a development authority's), and the closing report's QR code checks out against
//! the journal, while a doctored one does not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;

use support::tps_keys;
use tps_station::scenario::{Scenario, run};

#[test]
fn the_simulators_journal_and_receipts_verify() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios/full-day.toml"),
    )
    .unwrap();
    run(&scenario, dir.path(), &mut Vec::new()).unwrap();
    let d = |p: &str| dir.path().join(p).to_string_lossy().into_owned();

    let journal = d("journal.tpsj");
    let (authority, mirror) = (d("authority.pub"), d("mirror/journal.tpsj"));
    let verify = [
        "journal",
        "verify",
        &journal,
        "--authority",
        &authority,
        "--mirror",
        &mirror,
    ];
    // A development authority's journal is not OK for an election...
    tps_keys(dir.path(), &verify).expect(1);
    // ...unless the auditor accepts it for testing.
    let out = tps_keys(
        dir.path(),
        &[&verify[..], &["--allow-development"]].concat(),
    )
    .expect(0);
    assert!(out.stdout.contains("DEVELOPMENT"), "{}", out.stdout);
    assert!(out.stdout.contains("32.73.08.1004.007"), "{}", out.stdout);
    // The whole day: close-out done and the closing report recorded.
    assert!(
        out.stdout.contains("Day        complete\n"),
        "{}",
        out.stdout
    );
    // `journal show` names each saksi by their participant, from the package beside the
    // journal, and the printed reports name ballots as the forms do (issue 8).
    for (lang, named) in [
        ("id", "Saksi PDIP Wati (Saksi 3. "),
        ("en", "Saksi PDIP Wati (Saksi for 3. "),
    ] {
        let out = tps_keys(dir.path(), &["journal", "show", &journal, "--lang", lang]).expect(0);
        assert!(out.stdout.contains(named), "{}", out.stdout);
        for numbered in ["Partai Politik no.", "Political party no.", "ticket no."] {
            assert!(!out.stdout.contains(numbered), "{numbered}: {}", out.stdout);
        }
    }
    // What a reader reads: the QR code's payload is for `receipt verify`, not for people.
    let opening: String = std::fs::read_to_string(dir.path().join("printer/receipt-1.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().starts_with("[QR]"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(opening.contains("DPRD Kab/Kota"), "{opening}");
    for code in ["DPRD-P ", "DPRD-K ", "DPRD-PROV", "DPRD-KABKOTA"] {
        assert!(!opening.contains(code), "{code}: {opening}");
    }
    day_cut_short(dir.path());

    let closing = std::fs::read_to_string(dir.path().join("printer/receipt-2.txt")).unwrap();
    let code = closing
        .lines()
        .find_map(|l| l.trim().strip_prefix("[QR] "))
        .expect("a QR code on the closing report")
        .to_string();
    let receipt_verify = |code: &str| {
        tps_keys(
            dir.path(),
            &[
                "receipt",
                "verify",
                "--code",
                code,
                "--journal",
                &d("journal.tpsj"),
                "--authority",
                &d("authority.pub"),
            ],
        )
    };
    let out = receipt_verify(&code).expect(0);
    assert!(out.stdout.contains("figures included"), "{}", out.stdout);
    assert!(!out.stdout.contains("superseded"), "{}", out.stdout);
    assert!(
        out.stdout.contains("recorded as printed at record"),
        "{}",
        out.stdout
    );

    // A receipt whose turnout was changed on a copy does not pass, and says why in one line.
    let doctored = code.replacen("HADIR=", "HADIR=1", 1);
    let out = receipt_verify(&doctored).expect(1);
    let stderr = &out.stderr;
    assert!(
        stderr.contains("signature is not this device's"),
        "{stderr}"
    );
    assert!(stderr.contains("figures differ"), "{stderr}");
    assert!(!stderr.contains("panicked"));

    // The saksi's phone has only the QR: checked offline, from the certificate it carries.
    let authority = d("authority.pub");
    let offline = |code: &str, extra: &[&str]| {
        let args = [
            &[
                "receipt",
                "verify",
                "--code",
                code,
                "--authority",
                &authority,
            ][..],
            extra,
        ];
        tps_keys(dir.path(), &args.concat())
    };
    let out = offline(&code, &[]).expect(0);
    assert!(
        out.stdout.contains("OK without the journal"),
        "{}",
        out.stdout
    );
    let pkg = d("package.tpsp");
    let out = offline(&code, &["--package", &pkg, "--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["offline"], true);
    assert_eq!(v["ok"], true);
    let out = offline(&doctored, &[]).expect(1);
    assert!(
        out.stderr.contains("signature is not this device's"),
        "{}",
        out.stderr
    );
    // Under another authority the certificate in the code is not valid.
    let other = dir.path().join("other");
    let run = tps_keys(
        dir.path(),
        &["authority", "init", "--out", &other.to_string_lossy()],
    );
    run.expect(0);
    let other_pub = other.join("authority.pub");
    let args = [
        "receipt",
        "verify",
        "--code",
        &code,
        "--authority",
        other_pub.to_str().unwrap(),
    ];
    let out = tps_keys(dir.path(), &args).expect(1);
    assert!(
        out.stderr.contains("not this authority's"),
        "{}",
        out.stderr
    );

    // Not a receipt code at all.
    let out = receipt_verify("hello").expect(2);
    assert_eq!(out.stderr.lines().count(), 1);
}

/// The simulator's journal cut between records 40 and 41 (as a pulled stick might leave it):
/// it verifies, but says how far the day got, and `audit --require-complete` fails it.
fn day_cut_short(dir: &Path) {
    let bytes = std::fs::read(dir.join("journal.tpsj")).unwrap();
    let records = tps_firmware::journal::verify::parse_strict(&bytes).unwrap();
    let end: usize = 8 + records[..41].iter().map(|r| r.frame().len()).sum::<usize>();
    let cut = dir.join("cut");
    std::fs::create_dir(&cut).unwrap();
    std::fs::write(cut.join("journal.tpsj"), &bytes[..end]).unwrap();
    std::fs::copy(dir.join("package.tpsp"), cut.join("package.tpsp")).unwrap();
    let auth = dir.join("authority.pub").to_string_lossy().into_owned();
    let run = tps_keys(
        dir,
        &[
            "journal",
            "verify",
            "cut/journal.tpsj",
            "--authority",
            &auth,
            "--allow-development",
            "--json",
        ],
    )
    .expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["complete"], false);
    let day = v["day"].as_str().unwrap();
    assert!(
        day.starts_with("incomplete: last step ") && day.ends_with(" WIB, 41 records"),
        "{day}"
    );
    let audit = |extra: &[&str]| {
        let args = [
            &["audit", "cut", "--authority", &auth, "--allow-development"][..],
            extra,
        ];
        tps_keys(dir, &args.concat())
    };
    let run = audit(&[]).expect(0);
    assert!(
        run.stdout.contains("0 complete, 1 incomplete"),
        "{}",
        run.stdout
    );
    let run = audit(&["--require-complete"]).expect(1);
    assert!(
        run.stdout.contains("incomplete: last step"),
        "{}",
        run.stdout
    );
}

/// The full day, then the close-out corrected (a DPT count was wrong) after the closing report
/// was printed: that receipt still verifies, but says which record superseded it.
#[test]
fn a_receipt_corrected_later_says_by_which_record() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios");
    let mut text = std::fs::read_to_string(scenarios.join("full-day.toml")).unwrap();
    text.push_str(
        r#"
[[event]]
at = "18:00"
do = "correct"
step = "rekap"
dpt = [119, 131]
dptb = [2, 1]
dpk = [1, 1]
disabled = [2, 1]
damaged = { PPWP = 1, DPD = 2 }
reason = "satu pemilih DPT laki-laki terlewat dihitung"

[[event]]
do = "confirm"
who = ["Hendra Gunawan", "Saksi Paslon 02 Rahmat", "Saksi PDIP Wati", "Saksi PKS Fajar"]

[[event]]
do = "complete"
"#,
    );
    let copy = dir.path().join("corrected.toml");
    std::fs::write(&copy, text).unwrap();
    let scenario = Scenario::load(&copy).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    run(&scenario, &data, &mut Vec::new()).unwrap();
    let d = |p: &str| data.join(p).to_string_lossy().into_owned();
    let closing = std::fs::read_to_string(data.join("printer/receipt-2.txt")).unwrap();
    let code = closing
        .lines()
        .find_map(|l| l.trim().strip_prefix("[QR] "))
        .unwrap()
        .to_string();
    let args = [
        "receipt",
        "verify",
        "--code",
        &code,
        "--journal",
        &d("journal.tpsj"),
        "--authority",
        &d("authority.pub"),
    ];
    let out = tps_keys(&data, &args).expect(0);
    let records = tps_firmware::journal::verify::parse_strict(
        &std::fs::read(data.join("journal.tpsj")).unwrap(),
    )
    .unwrap();
    let last = records.last().unwrap().record.seq;
    assert!(
        out.stdout.contains(&format!(
            "superseded by record {last}: its figures were corrected"
        )),
        "{}",
        out.stdout
    );
    let out = tps_keys(&data, &[&args[..], &["--json"]].concat()).expect(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["superseded_by"], last);
}

/// The closing report's QR code, as printed (the simulator's PNG of the 58 mm receipt), read by
/// a real QR decoder gives the code under it; and how big it prints. Skipped, saying so, only
/// where `zbarimg` (Debian: zbar-tools) is not installed.
#[test]
fn the_printed_qr_code_reads_back_through_a_real_decoder() {
    let Ok(probe) = std::process::Command::new("zbarimg")
        .arg("--version")
        .output()
    else {
        eprintln!("SKIPPED: zbarimg is not installed (apt-get install zbar-tools)");
        return;
    };
    assert!(probe.status.success());
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios/full-day.toml"),
    )
    .unwrap();
    run(&scenario, dir.path(), &mut Vec::new()).unwrap();
    for receipt in ["receipt-1", "receipt-2"] {
        let text =
            std::fs::read_to_string(dir.path().join(format!("printer/{receipt}.txt"))).unwrap();
        let code = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("[QR] "))
            .unwrap();
        let png = dir.path().join(format!("printer/{receipt}.png"));
        let out = std::process::Command::new("zbarimg")
            .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
            .arg(&png)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read = String::from_utf8(out.stdout).unwrap();
        assert_eq!(read.trim_end(), code, "{receipt}");
        // The figures a phone camera must resolve: version and dots per module on 384 dots.
        let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
            .unwrap();
        let modules = qr.width();
        let dots = (384 / (modules + 8)).min(8);
        println!(
            "{receipt}: {} bytes, QR version {} ({modules} modules), {dots} dots = {:.2} mm per \
             module at 8 dots/mm, {:.1} mm wide",
            code.len(),
            (modules - 17) / 4,
            dots as f64 / 8.0,
            (modules * dots) as f64 / 8.0
        );
        assert!(dots >= 3, "{receipt}: modules of {dots} dots");
    }
}

/// The kiosk's export for PPS: its verification report is what `journal verify --json` prints in
/// the folder, and `audit` takes a folder of exports (and a folder of such folders).
#[test]
fn an_export_for_pps_reports_as_journal_verify_does_and_audits() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios/export-for-pps.toml"),
    )
    .unwrap();
    run(&scenario, dir.path(), &mut Vec::new()).unwrap();
    let authority = dir
        .path()
        .join("authority.pub")
        .to_string_lossy()
        .into_owned();
    let folder = dir.path().join("mirror/TPS-32.73.08.1004.007_2024-02-14");
    let verify = [
        "journal",
        "verify",
        "journal.tpsj",
        "--authority",
        &authority,
        "--allow-development",
    ];
    let json = tps_keys(&folder, &[&verify[..], &["--json"]].concat()).expect(0);
    let written = std::fs::read_to_string(folder.join("verification.json")).unwrap();
    assert_eq!(json.stdout, written);
    let words = tps_keys(&folder, &verify).expect(0);
    let written = std::fs::read_to_string(folder.join("verification.txt")).unwrap();
    assert_eq!(words.stdout, written);

    // A PPS folder holding this TPS's stick folders.
    let pps = dir.path().join("pps");
    let tps = pps.join("kelurahan-cipaganti");
    std::fs::create_dir_all(&tps).unwrap();
    for name in [
        "TPS-32.73.08.1004.007_2024-02-14",
        "TPS-32.73.08.1004.007_2024-02-14-2",
    ] {
        let to = tps.join(name);
        std::fs::create_dir(&to).unwrap();
        for f in std::fs::read_dir(dir.path().join("mirror").join(name)).unwrap() {
            let f = f.unwrap();
            std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
        }
    }
    let pps_arg = pps.to_string_lossy().into_owned();
    let audit = ["audit", &pps_arg, "--authority", &authority];
    let out = tps_keys(dir.path(), &[&audit[..], &["--allow-development"]].concat()).expect(0);
    assert!(
        out.stdout
            .contains("2 journals: 2 ok, 0 failed; 2 complete"),
        "{}",
        out.stdout
    );
    // A journal in an export doctored: the audit names it.
    let doctored = tps.join("TPS-32.73.08.1004.007_2024-02-14-2/journal.tpsj");
    let mut bytes = std::fs::read(&doctored).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 1;
    std::fs::write(&doctored, bytes).unwrap();
    let out = tps_keys(dir.path(), &[&audit[..], &["--allow-development"]].concat()).expect(1);
    assert!(out.stdout.contains("1 failed"), "{}", out.stdout);
}
