//! `receipt verify --journal` of a C.Hasil's QR sequence, on the simulator's days: the codes the
//! kiosk printed check out against its journal and say at which record they were printed; codes
//! from another day or TPS, or against a doctored journal, fail saying why; codes whose count was
//! corrected later say by which record.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};

use support::tps_keys;
use tps_firmware::chasil;
use tps_firmware::election::{BallotType, TpsCode};
use tps_firmware::event::{RecordBody, ReportKind};
use tps_firmware::identity::cert::DeviceCertificate;
use tps_firmware::identity::keyfile::{KeyKind, read_signing_key};
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::journal::SignedRecord;
use tps_firmware::report::sequence::{self, QrSequence};
use tps_station::scenario::{Scenario, run};

fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios")
}

/// Runs the scenario `text` (a copy of a scenario file, perhaps with events added) on a new
/// data directory `dir/name`, and gives that directory.
fn day(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let scenario = Scenario::load(&file).unwrap();
    let data = dir.join(name);
    std::fs::create_dir(&data).unwrap();
    let mut said = Vec::new();
    if let Err(e) = run(&scenario, &data, &mut said) {
        panic!("{e:?}\n{}", String::from_utf8_lossy(&said));
    }
    data
}

fn scenario_text(name: &str) -> String {
    std::fs::read_to_string(scenarios().join(name)).unwrap()
}

/// Every C.Hasil sequence printed on `data`'s printer, in print order, with its ballot type's
/// code: the `[QR] TPSH1...` lines of one receipt (a copy each for the saksi and the Pengawas:
/// a print's copies carry the same codes, so a sequence is kept once).
fn sequences(data: &Path) -> Vec<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for n in 1.. {
        let Ok(text) = std::fs::read_to_string(data.join(format!("printer/receipt-{n}.txt")))
        else {
            break;
        };
        let codes: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("[QR] "))
            .filter(|c| c.starts_with("TPSH1*"))
            .map(str::to_string)
            .collect();
        let Some(first) = codes.first() else {
            continue;
        };
        let ballot = first.split('*').nth(3).unwrap().to_string();
        if !found.iter().any(|(_, c)| *c == codes) {
            found.push((ballot, codes));
        }
    }
    found
}

/// The first sequence printed for `ballot`.
fn codes_of(data: &Path, ballot: &str) -> Vec<String> {
    sequences(data)
        .into_iter()
        .find(|(b, _)| b == ballot)
        .unwrap_or_else(|| panic!("no C.Hasil {ballot} printed"))
        .1
}

fn records(data: &Path) -> Vec<SignedRecord> {
    tps_firmware::journal::verify::parse_strict(&std::fs::read(data.join("journal.tpsj")).unwrap())
        .unwrap()
}

/// The records at which the kiosk recorded printing a C.Hasil of `ballot`, in order.
fn printed_at(data: &Path, ballot: BallotType) -> Vec<u64> {
    records(data)
        .iter()
        .filter_map(|r| match &r.record.body {
            RecordBody::ReportPrinted {
                kind: ReportKind::Result(b),
                ..
            } if *b == ballot => Some(r.record.seq),
            _ => None,
        })
        .collect()
}

/// `receipt verify` of `codes` against the journal at `journal` under the authority of
/// `authority` (data directories or copies of them).
fn verify(
    cwd: &Path,
    codes: &[String],
    journal: &Path,
    authority: &Path,
    extra: &[&str],
) -> support::Run {
    let journal = journal.join("journal.tpsj").to_string_lossy().into_owned();
    let authority = authority
        .join("authority.pub")
        .to_string_lossy()
        .into_owned();
    let mut args = vec![
        "receipt",
        "verify",
        "--journal",
        &journal,
        "--authority",
        &authority,
    ];
    for c in codes {
        args.extend(["--code", c.as_str()]);
    }
    args.extend(extra);
    tps_keys(cwd, &args)
}

/// A sequence signed by `data`'s own device (its key and certificate), standing on record `seq`
/// with chain hash `head`, for `tps`, carrying `payload`: what the kiosk would have printed
/// had its journal said so.
fn signed_by_device(
    data: &Path,
    tps: &str,
    (seq, head): (u64, [u8; 32]),
    payload: &str,
) -> Vec<String> {
    let key = read_signing_key(&data.join("device.key"), KeyKind::DeviceSecret).unwrap();
    let certificate = std::fs::read(data.join("device.crt")).unwrap();
    let device = DeviceCertificate::read_unverified(&certificate)
        .unwrap()
        .device_id
        .to_string();
    sequence::encode(
        TpsCode::parse(tps).unwrap(),
        BallotType::Dpr,
        (&device, &certificate),
        (seq, head),
        payload,
        &key,
    )
    .unwrap()
}

#[test]
fn the_printed_dpr_result_matches_the_journal_and_says_where_it_was_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = day(tmp.path(), "day", &scenario_text("full-day.toml"));
    let codes = codes_of(&data, "DPR");
    let printed = printed_at(&data, BallotType::Dpr);
    assert_eq!(printed.len(), 1, "{printed:?}");
    let printed = printed[0];

    let out = verify(&data, &codes, &data, &data, &[]).expect(0);
    assert!(
        out.stdout.contains(
            "OK: every part present and chained, signed by the journal's device and matches the \
             journal, figures included\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(&format!("recorded as printed at record {printed}\n")),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("superseded"), "{}", out.stdout);
    // Scanned in another order, the codes are still the ones printed.
    let mut scanned = codes.clone();
    scanned.reverse();
    let out = verify(&data, &scanned, &data, &data, &["--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["offline"], false);
    assert_eq!(v["figures_checked"], true);
    assert_eq!(v["printed_at_record"], printed);
    assert_eq!(v["superseded_by"], serde_json::Value::Null);
    assert_eq!(v["ballot"], "DPR");
    let out = verify(&data, &codes, &data, &data, &["--lang", "id"]).expect(0);
    assert!(
        out.stdout
            .contains(&format!("tercatat dicetak pada catatan {printed}\n")),
        "{}",
        out.stdout
    );

    // Without the package the count is not compared, and the report says so.
    let bare = tmp.path().join("bare");
    std::fs::create_dir(&bare).unwrap();
    std::fs::copy(data.join("journal.tpsj"), bare.join("journal.tpsj")).unwrap();
    let out = verify(&data, &codes, &bare, &data, &[]).expect(0);
    assert!(
        out.stdout
            .contains("figures not checked: no election package"),
        "{}",
        out.stdout
    );

    // The device's own key signing other figures on the same record: the count is not the
    // journal's, both payloads named, and the journal has no print of those codes.
    let s = QrSequence::decode(&codes).unwrap();
    let mut tally = chasil::decode(&s.payload).unwrap();
    tally.invalid += 1;
    let doctored = chasil::encode(&tally).unwrap();
    let forged = signed_by_device(
        &data,
        &s.header.tps.to_string(),
        (s.header.seq, s.head),
        &doctored,
    );
    let out = verify(&data, &forged, &data, &data, &[]).one_line_error(
        1,
        &[
            "the figures differ from the journal's",
            &format!("codes {doctored}, journal {}", s.payload),
        ],
    );
    assert!(
        out.stdout
            .contains("not recorded as printed in this journal\n"),
        "{}",
        out.stdout
    );
    // The same codes standing on an early record, before the count: the journal has none
    // there.
    let first = records(&data);
    let before = &first[10];
    let early = signed_by_device(
        &data,
        &s.header.tps.to_string(),
        (before.record.seq, before.hash),
        &s.payload,
    );
    verify(&data, &early, &data, &data, &[]).one_line_error(
        1,
        &["the journal has no count of the DPR ballot at record 10"],
    );
}

#[test]
fn codes_from_another_day_or_tps_or_a_doctored_journal_fail_saying_why() {
    let tmp = tempfile::tempdir().unwrap();
    let text = scenario_text("full-day.toml");
    let today = day(tmp.path(), "today", &text);
    let codes = codes_of(&today, "DPR");

    // The same TPS on another day (another run: its own device key and authority): the codes'
    // certificate is not that authority's nor the one its journal began with, and its record
    // has another chain hash.
    let other_day = day(tmp.path(), "other-day", &text);
    let out = verify(&today, &codes, &other_day, &other_day, &[]).expect(1);
    for why in [
        "the device certificate in the last code is not this authority's",
        "the device certificate in the codes is not the one the journal began with",
        "in the journal has another chain hash than the codes'",
    ] {
        assert!(out.stderr.contains(why), "{why}: {}", out.stderr);
    }
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(!out.stdout.contains("OK:"), "{}", out.stdout);

    // Another TPS (a Pilkada in Papua), its codes signed by its own device: the TPS differs
    // and that journal has no DPR count.
    let papua = day(tmp.path(), "papua", &scenario_text("pilkada-wit.toml"));
    let s = QrSequence::decode(&codes).unwrap();
    let theirs = records(&papua);
    let last = theirs.last().unwrap();
    let forged = signed_by_device(
        &papua,
        &s.header.tps.to_string(),
        (last.record.seq, last.hash),
        &s.payload,
    );
    let out = verify(&today, &forged, &papua, &papua, &["--lang", "id"]).expect(1);
    let journal_tps =
        ElectionPackage::read_unverified(&std::fs::read(papua.join("package.tpsp")).unwrap())
            .unwrap()
            .tps;
    assert!(
        out.stderr.contains(&format!(
            "the codes name TPS {}, the journal is TPS {journal_tps}'s",
            s.header.tps
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "the journal has no count of the DPR ballot at record {}",
            last.record.seq
        )),
        "{}",
        out.stderr
    );
    // The report itself in the auditor's language.
    assert!(
        out.stdout.contains(&format!(
            "kode menyebut TPS {}, sedangkan jurnal ini milik TPS {journal_tps}",
            s.header.tps
        )),
        "{}",
        out.stdout
    );

    // Today's journal doctored on a copy: the journal's own failure, naming the journal file;
    // nothing is said of a print it may not hold.
    let doctored = tmp.path().join("doctored");
    std::fs::create_dir(&doctored).unwrap();
    let mut bytes = std::fs::read(today.join("journal.tpsj")).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 1;
    std::fs::write(doctored.join("journal.tpsj"), bytes).unwrap();
    std::fs::copy(today.join("package.tpsp"), doctored.join("package.tpsp")).unwrap();
    let out = verify(&today, &codes, &doctored, &today, &[])
        .one_line_error(1, &["doctored/journal.tpsj", "the journal does not verify"]);
    assert!(!out.stdout.contains("printed"), "{}", out.stdout);
}

/// The Pilkada day where an accepted objection corrects the mayor's count, with the C.Hasil
/// printed before the correction and again after it.
fn corrected_day(dir: &Path) -> PathBuf {
    let print = "[[event]]\ndo = \"print\"\nreport = \"c-hasil-bupati-walikota\"\n\n";
    let text = scenario_text("pilkada-wit.toml");
    let before = "[[event]]\ndo = \"check\"\ncurrent_step = \"segel\"";
    let after = "[[event]]\ndo = \"resolve\"\nof = \"Saksi Paslon Wali 3\"\noutcome = \"accepted\"";
    assert_eq!(text.matches(before).count(), 1);
    assert_eq!(text.matches(after).count(), 1);
    let text = text
        .replacen(before, &format!("{print}{before}"), 1)
        .replacen(after, &format!("{print}{after}"), 1);
    day(dir, "corrected", &text)
}

#[test]
fn a_c_hasil_whose_count_was_corrected_later_says_by_which_record() {
    let tmp = tempfile::tempdir().unwrap();
    let data = corrected_day(tmp.path());
    let printed: Vec<Vec<String>> = sequences(&data)
        .into_iter()
        .filter(|(b, _)| b == "BUPATI-WALIKOTA")
        .map(|(_, c)| c)
        .collect();
    assert_eq!(printed.len(), 2, "{printed:?}");
    let at = printed_at(&data, BallotType::BupatiWalikota);
    assert_eq!(at.len(), 2, "{at:?}");
    // The record that completed the correction.
    let records = records(&data);
    let corrected = records
        .iter()
        .find_map(|r| match &r.record.body {
            RecordBody::StepCompleted { proposal, .. }
                if matches!(
                    records[*proposal as usize].record.body,
                    RecordBody::StepProposed {
                        corrects: Some(_),
                        ..
                    }
                ) =>
            {
                Some(r.record.seq)
            }
            _ => None,
        })
        .unwrap();
    assert!(at[0] < corrected && corrected < at[1], "{at:?} {corrected}");

    // The first one still is what the journal held when it was printed, but is superseded.
    let out = verify(&data, &printed[0], &data, &data, &[]).expect(0);
    assert!(
        out.stdout.contains(&format!(
            "superseded by record {corrected}: its figures were corrected later"
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(&format!("recorded as printed at record {}\n", at[0])),
        "{}",
        out.stdout
    );
    let out = verify(&data, &printed[0], &data, &data, &["--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["superseded_by"], corrected);
    assert_eq!(v["printed_at_record"], at[0]);
    let out = verify(&data, &printed[0], &data, &data, &["--lang", "id"]).expect(0);
    assert!(
        out.stdout
            .contains(&format!("digantikan oleh catatan {corrected}")),
        "{}",
        out.stdout
    );
    // The one printed after the correction stands.
    let out = verify(&data, &printed[1], &data, &data, &[]).expect(0);
    assert!(!out.stdout.contains("superseded"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("recorded as printed at record {}\n", at[1])),
        "{}",
        out.stdout
    );
}
