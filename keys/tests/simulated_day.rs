//! A day on the simulator, then the auditor's tools on what it left: the journal and its mirror
//! verify (as a development authority's), and the closing report's QR code checks out against
//! the journal, while a doctored one does not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use tps_kiosk::scenario::{Scenario, run};

fn tps_keys(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tps-keys"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_simulators_journal_and_receipts_verify() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios/full-day.toml"),
    )
    .unwrap();
    run(&scenario, dir.path(), &mut Vec::new()).unwrap();
    let d = |p: &str| dir.path().join(p).to_string_lossy().into_owned();

    let out = tps_keys(&[
        "journal",
        "verify",
        &d("journal.tpsj"),
        "--authority",
        &d("authority.pub"),
        "--mirror",
        &d("mirror/journal.tpsj"),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("DEVELOPMENT"), "{stdout}");
    assert!(stdout.contains("32.73.08.1004.007"), "{stdout}");

    let closing = std::fs::read_to_string(dir.path().join("printer/receipt-2.txt")).unwrap();
    let code = closing
        .lines()
        .find_map(|l| l.trim().strip_prefix("[QR] "))
        .expect("a QR code on the closing report")
        .to_string();
    let out = tps_keys(&[
        "receipt",
        "verify",
        "--code",
        &code,
        "--journal",
        &d("journal.tpsj"),
        "--authority",
        &d("authority.pub"),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("figures included"), "{stdout}");
    assert!(stdout.contains("recorded as printed at record"), "{stdout}");

    // A receipt whose turnout was changed on a copy does not pass, and says why in one line.
    let doctored = code.replacen("HADIR=", "HADIR=1", 1);
    let out = tps_keys(&[
        "receipt",
        "verify",
        "--code",
        &doctored,
        "--journal",
        &d("journal.tpsj"),
        "--authority",
        &d("authority.pub"),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("signature is not this device's"),
        "{stderr}"
    );
    assert!(stderr.contains("figures differ"), "{stderr}");
    assert!(!stderr.contains("panicked"));

    // Not a receipt code at all.
    let out = tps_keys(&[
        "receipt",
        "verify",
        "--code",
        "hello",
        "--journal",
        &d("journal.tpsj"),
        "--authority",
        &d("authority.pub"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).lines().count(), 1);
}
