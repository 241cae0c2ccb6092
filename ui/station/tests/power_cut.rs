//! The power fails at many points while the ballot count is written. After each restart the
//! kiosk resumes, every record it acknowledged is still there (the runner checks at restart), the
//! day can be finished, and the journal verifies (the runner checks at the end).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use tps_station::scenario::{Scenario, run};

/// The shipped power-cut scenario up to its first cut: a day through the seal check.
fn prefix() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hal-sim/scenarios/power-cut.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let cut = text
        .find("[[event]]\nat = \"07:16\"\ndo = \"cut-power\"")
        .unwrap();
    text[..cut].to_string()
}

fn with_cut_after(bytes: usize) -> String {
    let either = |e: &str| format!("{e}|power-cut");
    let mut s = prefix();
    s.push_str(&format!(
        "[[event]]\nat = \"07:16\"\ndo = \"cut-power\"\nafter_bytes = {bytes}\n\n"
    ));
    s.push_str(&format!(
        "[[event]]\ndo = \"propose\"\nstep = \"hitung-surat-suara\"\nexpect = \"{}\"\n\n",
        either("done")
    ));
    for who in ["Hendra Gunawan", "Saksi PDIP Wati", "Saksi PKS Fajar"] {
        s.push_str(&format!(
            "[[event]]\ndo = \"confirm\"\nwho = [\"{who}\"]\nexpect = \"{}\"\n\n",
            either("done")
        ));
    }
    s.push_str(&format!(
        "[[event]]\ndo = \"complete\"\nexpect = \"{}\"\n\n",
        either("done")
    ));
    // Power back: finish the step whatever reached the disk.
    s.push_str("[[event]]\nat = \"07:20\"\ndo = \"restart\"\n\n");
    s.push_str("[[event]]\ndo = \"propose\"\nstep = \"hitung-surat-suara\"\nexpect = \"done|refused:already-done\"\n\n");
    s.push_str("[[event]]\ndo = \"confirm\"\nwho = [\"Hendra Gunawan\", \"Saksi PDIP Wati\", \"Saksi PKS Fajar\"]\nexpect = \"done|refused:no-open-proposal\"\n\n");
    s.push_str("[[event]]\ndo = \"complete\"\nexpect = \"done|refused:no-open-proposal\"\n\n");
    s.push_str("[[event]]\ndo = \"check\"\ncurrent_step = \"penjelasan\"\n\n");
    s
}

#[test]
fn a_cut_at_any_point_of_the_ballot_count_loses_nothing_acknowledged() {
    // The proposal, three confirmations and the completion write about 1,300 bytes to the two
    // files; cut points run through all of it.
    for bytes in (0..1_400).step_by(53) {
        let text = with_cut_after(bytes);
        let scenario = Scenario::parse(&text, Path::new("power-cut-variant.toml")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        let result = run(&scenario, dir.path(), &mut out);
        let log = String::from_utf8(out).unwrap();
        if let Err(e) = result {
            panic!("cut after {bytes} bytes: {e}\n{log}");
        }
        assert!(log.contains("journal verified"), "{log}");
    }
}
