//! Every shipped scenario runs and passes; what it leaves behind verifies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use tps_station::scenario::{Scenario, run};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hal-sim/scenarios")
}

fn run_one(name: &str) -> (tempfile::TempDir, String) {
    let path = scenarios_dir().join(name);
    let scenario = Scenario::load(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    let result = run(&scenario, dir.path(), &mut out);
    let log = String::from_utf8(out).unwrap();
    if let Err(e) = result {
        panic!("{name} failed: {e}\n{log}");
    }
    (dir, log)
}

#[test]
fn every_shipped_scenario_passes() {
    let mut names: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    for name in names {
        let (dir, log) = run_one(&name);
        assert!(log.contains("journal verified"), "{name}: {log}");
        assert!(dir.path().join("journal.tpsj").exists());
        assert!(dir.path().join("mirror/journal.tpsj").exists());
    }
}

#[test]
fn the_full_day_prints_both_reports() {
    let (dir, log) = run_one("full-day.toml");
    let opening = std::fs::read_to_string(dir.path().join("printer/receipt-1.txt")).unwrap();
    assert!(opening.contains("PEMBUKAAN TPS"), "{opening}");
    assert!(opening.contains("32.73.08.1004.007"));
    let closing = std::fs::read_to_string(dir.path().join("printer/receipt-2.txt")).unwrap();
    assert!(closing.contains("LAPORAN PENUTUPAN"), "{closing}");
    assert!(closing.contains("NIHIL"), "{closing}");
    assert!(closing.contains("dikonfirmasi Ketua KPPS"), "{closing}");
    assert!(closing.contains("[QR] TPSK2|C|"), "{closing}");
    assert!(log.contains("DEVELOPMENT authority"));
}

/// A clock set once the day has begun, witnessed, is printed on the reports with its old and new
/// time (issue 9, finding 4): the full day with a setting after the witnesses arrive.
#[test]
fn a_witnessed_clock_setting_is_printed_on_the_reports() {
    let path = scenarios_dir().join("full-day.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let after = "name = \"Saksi PKS Fajar\"\nletter = \"MANDAT/PKS/0931\"\npin = \"120205\"\n";
    let at = text.find(after).unwrap() + after.len();
    let set = "\n[[event]]\ndo = \"set-clock\"\nto = \"06:23\"\nwitnesses = [\"Hendra Gunawan\"]\nby = \"Teknisi Andi\"\n";
    // The setting is a kejadian khusus: the day's checks count it, and the day is no longer
    // NIHIL, so the chair does not confirm that.
    let nihil = "[[event]]\nat = \"13:25\"\ndo = \"confirm-nihil\"\n";
    assert!(
        text.contains(nihil),
        "full-day.toml confirms NIHIL at 13:25"
    );
    let day = format!("{}{set}{}", &text[..at], &text[at..])
        .replace("incidents = 0", "incidents = 1")
        .replace(nihil, "");
    let scenario = Scenario::parse(&day, &path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    let result = run(&scenario, dir.path(), &mut out);
    let log = String::from_utf8(out).unwrap();
    if let Err(e) = result {
        panic!("{e}\n{log}");
    }
    for receipt in ["receipt-1.txt", "receipt-2.txt"] {
        let printed = std::fs::read_to_string(dir.path().join("printer").join(receipt)).unwrap();
        assert!(printed.contains("Jam disetel"), "{receipt}: {printed}");
        assert!(printed.contains("06:23:00 WIB"), "{receipt}: {printed}");
    }
}

/// One parser of form fields (issue 14): the entries a scenario proposed, put back into the
/// step's form as the screen shows them (`Draft::from_input`), read by the screens' parser
/// (`draft::build`), are the same input. The scenarios with shortages, broken seals, a
/// difference and a close-out are among them.
#[test]
fn the_screens_parser_reads_back_what_the_scenarios_proposed() {
    use tps_firmware::event::RecordBody;
    use tps_station::draft::{Draft, build};
    use tps_station::scenario::builtin_package;
    use tps_station::station::SimStation;

    let mut proposals = 0;
    for name in ["full-day.toml", "ballot-shortage.toml"] {
        let scenario = Scenario::load(&scenarios_dir().join(name)).unwrap();
        let (dir, _) = run_one(name);
        let bytes = std::fs::read(dir.path().join("journal.tpsj")).unwrap();
        let records = tps_firmware::journal::verify::parse_strict(&bytes).unwrap();
        // The end of the same day (2024-02-14 23:00 WIB): the package and procedure are fixed.
        let package = builtin_package(&scenario.package).unwrap();
        let station = SimStation::open(dir.path(), package, 1_707_926_400_000).unwrap();
        let kiosk = station.kiosk().unwrap();
        let state = kiosk.state();
        for r in records {
            if let RecordBody::StepProposed { step, input, .. } = &r.record.body {
                let (_, spec) = state.procedure().step(step).unwrap();
                let form = Draft::from_input(input);
                assert_eq!(
                    build(state, spec, &form).as_ref(),
                    Ok(input.as_ref()),
                    "{name}: step {step}"
                );
                proposals += 1;
            }
        }
    }
    assert!(proposals > 20, "{proposals} proposals read back");
}
