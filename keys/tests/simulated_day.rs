//! A day on the simulator, then the auditor's tools on what it left: the journal and its mirror
//! verify (as a development authority's), and the closing report's QR code checks out against
//! the journal, while a doctored one does not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;

use support::tps_keys;
use tps_kiosk::scenario::{Scenario, run};

#[test]
fn the_simulators_journal_and_receipts_verify() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios/full-day.toml"),
    )
    .unwrap();
    run(&scenario, dir.path(), &mut Vec::new()).unwrap();
    let d = |p: &str| dir.path().join(p).to_string_lossy().into_owned();

    let out = tps_keys(
        dir.path(),
        &[
            "journal",
            "verify",
            &d("journal.tpsj"),
            "--authority",
            &d("authority.pub"),
            "--mirror",
            &d("mirror/journal.tpsj"),
        ],
    )
    .expect(0);
    assert!(out.stdout.contains("DEVELOPMENT"), "{}", out.stdout);
    assert!(out.stdout.contains("32.73.08.1004.007"), "{}", out.stdout);

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

    // Not a receipt code at all.
    let out = receipt_verify("hello").expect(2);
    assert_eq!(out.stderr.lines().count(), 1);
}
