//! `receipt verify` of a C.Hasil printed as a sequence of QR codes (`TPSH1`): the codes as
//! arguments or one a line in a file, in any order, checked offline with the authority's key;
//! every way they can be wrong named in one line.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::path::Path;

use support::{provision, tps_keys};
use tps_firmware::election::{BallotType, TpsCode};
use tps_firmware::identity::keyfile::{KeyKind, read_signing_key};
use tps_firmware::report::sequence;

/// The example package's TPS.
const TPS: &str = "31.71.01.1001.012";

/// A DPR result (a `CH1` C.Hasil payload) of 18 parties and 10 candidates each, every figure 3
/// digits, that adds up.
fn payload() -> String {
    let mut parties = String::new();
    let mut valid = 0;
    for party in 1..=18u32 {
        let figures: Vec<u32> = (0..=10)
            .map(|c| 100 + (party * 131 + c * 97) % 900)
            .collect();
        let votes: u32 = figures.iter().sum();
        valid += votes;
        let rest: Vec<String> = figures[1..].iter().map(u32::to_string).collect();
        parties.push_str(&format!("/P{votes}+{}.{}", figures[0], rest.join(".")));
    }
    format!("CH1/DPR/V{valid}/I12{parties}")
}

/// The codes the provisioned device prints for `payload` at record 40, for `tps`.
fn codes(dir: &Path, tps: &str, payload: &str) -> Vec<String> {
    let device = read_signing_key(&dir.join("device.key"), KeyKind::DeviceSecret).unwrap();
    let certificate = std::fs::read(dir.join("device.crt")).unwrap();
    sequence::encode(
        TpsCode::parse(tps).unwrap(),
        BallotType::Dpr,
        ("pi-0001", &certificate),
        (40, [7; 32]),
        payload,
        &device,
    )
    .unwrap()
}

fn verify(dir: &Path, codes: &[String], extra: &[&str]) -> support::Run {
    let mut args = vec!["receipt", "verify", "--authority", "auth/authority.pub"];
    for c in codes {
        args.extend(["--code", c.as_str()]);
    }
    args.extend(extra);
    tps_keys(dir, &args)
}

#[test]
fn a_sequence_verifies_offline_in_any_order_from_arguments_or_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    provision(dir, "election-pemilu-2024.toml", false);
    let parts = codes(dir, TPS, &payload());
    assert!(parts.len() >= 3, "{}", parts.len());
    let mut shuffled = parts.clone();
    shuffled.reverse();
    shuffled.push(parts[1].clone());
    let run = verify(dir, &shuffled, &[]).expect(0);
    let n = parts.len();
    assert!(
        run.stdout.starts_with(&format!(
            "sequence of {n} QR codes: C.Hasil DPR, TPS {TPS}, device pi-0001, record 40\n\
             content: {}\nOK without the journal",
            payload()
        )),
        "{}",
        run.stdout
    );
    // The codes one a line in a file, as a phone's scanner app exports them, with the package.
    std::fs::write(
        dir.join("codes.txt"),
        format!("{}\n\n", shuffled.join("\r\n")),
    )
    .unwrap();
    let run = tps_keys(
        dir,
        &[
            "receipt",
            "verify",
            "--code-file",
            "codes.txt",
            "--authority",
            "auth/authority.pub",
            "--package",
            "package.tpsp",
            "--json",
            "--lang",
            "id",
        ],
    )
    .expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["tps"], TPS);
    assert_eq!(v["ballot"], "DPR");
    assert_eq!(v["device_id"], "pi-0001");
    assert_eq!(v["record"], 40);
    assert_eq!(v["codes"], n);
    assert_eq!(v["payload"], payload());
    let run = verify(dir, &parts, &["--lang", "id"]).expect(0);
    assert!(run.stdout.contains("OK tanpa jurnal"), "{}", run.stdout);
    // A one-code sequence is a sequence too, not a TPSK2 receipt.
    let one = codes(dir, TPS, "CH1/DPR/V218/I0/P120+120/P98+98");
    assert_eq!(one.len(), 1);
    verify(dir, &one, &[]).expect(0);
}

#[test]
fn every_hostile_sequence_is_named_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    provision(dir, "election-pemilu-2024.toml", false);
    let parts = codes(dir, TPS, &payload());
    let n = parts.len();

    // Missing part: a verdict (exit 1), said in both languages.
    let run = verify(dir, &parts[..n - 1], &[]).one_line_error(1, &["<code>", "missing"]);
    assert!(
        run.stdout
            .contains(&format!("FAILED: part {n} of {n} missing")),
        "{}",
        run.stdout
    );
    let run = verify(dir, &parts[1..], &["--lang", "id"]).expect(1);
    assert!(
        run.stdout
            .contains(&format!("GAGAL: bagian 1 dari {n} tidak ada")),
        "{}",
        run.stdout
    );
    // Broken chain: part 1 of another payload in place of part 1.
    let other = codes(dir, TPS, &payload().replacen("/I12", "/I13", 1));
    let mut spliced = parts.clone();
    spliced[0] = other[0].clone();
    verify(dir, &spliced, &[]).one_line_error(1, &["broken chain: part 2"]);
    // The same part twice, different.
    let both = [parts.clone(), vec![other[0].clone()]].concat();
    verify(dir, &both, &[]).one_line_error(1, &["two different codes claim to be part 1"]);
    // Mixed: part 2 of another TPS's sequence.
    let elsewhere = codes(dir, "31.71.01.1001.013", &payload());
    let mixed = [parts[0].clone(), elsewhere[1].clone()];
    verify(dir, &mixed, &[]).one_line_error(1, &["code 2 is of another sequence"]);
    // Wrong TPS: a whole sequence of another TPS against this TPS's package.
    let run = verify(dir, &elsewhere, &["--package", "package.tpsp"])
        .one_line_error(1, &["TPS 31.71.01.1001.013's, not TPS 31.71.01.1001.012's"]);
    assert!(
        run.stdout.contains("FAILED: the sequence is TPS"),
        "{}",
        run.stdout
    );
    // Under another authority: the certificate is not its.
    tps_keys(dir, &["authority", "init", "--out", "other"]).expect(0);
    let args: Vec<&str> = ["receipt", "verify", "--authority", "other/authority.pub"]
        .into_iter()
        .chain(parts.iter().flat_map(|c| ["--code", c.as_str()]))
        .collect();
    tps_keys(dir, &args).one_line_error(1, &["not this authority's"]);
    // Bad signature: the last part's signature changed.
    let mut forged = parts.clone();
    let last = forged[n - 1].clone();
    let flip = if last.ends_with('0') { '1' } else { '0' };
    forged[n - 1] = format!("{}{flip}", &last[..last.len() - 1]);
    verify(dir, &forged, &[]).one_line_error(1, &["signature is not the certified device's"]);
    // Not a sequence at all, oversize, hostile text: the input is refused (exit 2).
    let hostile = [parts[0].clone(), "hello".to_string()];
    verify(dir, &hostile, &[]).one_line_error(2, &["<code>", "code 2", "has no place"]);
    let long = [format!("{}{}", parts[0], "9".repeat(900))];
    verify(dir, &long, &[]).one_line_error(2, &["code 1", "at most 800"]);
    let escape = ["TPSH1*1/1*\u{1b}[2J".to_string()];
    verify(dir, &escape, &[]).one_line_error(2, &["code 1", "character 11"]);
    let receipt = [parts[0].clone(), "TPSK2|O|x".to_string()];
    verify(dir, &receipt, &[]).one_line_error(2, &["code 2"]);
    // A sequence with a journal that is not there: the file is named (a usage fault).
    verify(dir, &parts, &["--journal", "j.tpsj"]).one_line_error(2, &["j.tpsj"]);
}
