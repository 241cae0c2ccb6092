//! Across crates: a day run by the scenario runner on simulated hardware, then the station
//! switched on again on the same data directory, as a KPPS chair would after a restart. It must
//! come back at the same step with the same people, and the journal must still verify.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use tps_firmware::identity::keyfile::{KeyKind, read_verifying_key};
use tps_firmware::journal::verify;
use tps_firmware::procedure::Phase;
use tps_station::scenario::{Scenario, builtin_package, run};
use tps_station::station::SimStation;

#[test]
fn a_restart_on_the_same_data_comes_back_at_the_same_step() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../hal-sim/scenarios/late-witness.toml"),
    )
    .unwrap();
    let summary = run(&scenario, dir.path(), &mut Vec::new()).unwrap();

    // Switched on again at 08:15 the same day (2024-02-14 01:15 UTC).
    let package = builtin_package(&scenario.package).unwrap();
    let station = SimStation::open(dir.path(), package, 1_707_873_300_000).unwrap();
    let kiosk = station.kiosk().unwrap();
    let state = kiosk.state();
    assert_eq!(state.phase(), Phase::Voting);
    assert_eq!(
        state.current_spec().map(|s| s.id.as_str()),
        Some("tutup-pemungutan")
    );
    // Seven KPPS, two saksi and the Pengawas who came late.
    assert_eq!(state.people.len(), 10);
    // The waiver for the absent Pengawas (opening late needs no reason: no source sets one).
    assert_eq!(state.incidents.len(), 1);
    // One more record: the restart itself.
    assert_eq!(kiosk.records(), summary.records + 1);

    let data = station.data_dir();
    let (authority, _) =
        read_verifying_key(&data.authority_pub(), KeyKind::AuthorityPublic).unwrap();
    let journal = std::fs::read(data.journal().primary).unwrap();
    let report = verify(
        &journal,
        &authority,
        Some(&std::fs::read(data.package()).unwrap()),
    )
    .unwrap();
    assert_eq!(report.records, summary.records + 1);
    assert!(report.development);
    assert_eq!(journal, std::fs::read(data.journal().mirror).unwrap());
}
