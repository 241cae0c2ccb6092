//! `tps-kiosk --sim --headless --scenario FILE`: the command line of the scenario runner.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[test]
fn a_bad_scenario_file_is_refused_naming_file_line_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("typo.toml");
    std::fs::write(
        &bad,
        "title = \"typo\"\npackage = \"pemilu-2024-jabar\"\nstart = \"05:45\"\n\n[[event]]\nat = \"06:00\"\ndo = \"propose\"\nstep = \"persiapan\"\nmising = [\"tinta\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tps-kiosk"))
        .args(["--sim", "--headless", "--scenario"])
        .arg(&bad)
        .arg("--data")
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("typo.toml:5: propose: unknown field `mising`"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // Nothing was written: the file was refused before the day began.
    assert!(!dir.path().join("data/journal.tpsj").exists());
}
