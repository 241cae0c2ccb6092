//! The device under attack (issue 9), on the simulated station: the lid opened while the kiosk
//! is off is kept by the tamper latch and recorded at start-up with the latched time; the latch
//! is cleared only once that record is durable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tps_firmware::event::RecordBody;
use tps_firmware::journal::verify::parse_strict;
use tps_firmware::kiosk::Alarm;
use tps_station::station::SimStation;

const PACKAGE: &str = include_str!("../../../keys/examples/election-pemilu-2024-jabar.toml");
/// 2024-02-14 05:45 WIB.
const MORNING: i64 = 1_707_864_300_000;

fn station(dir: &std::path::Path) -> SimStation {
    let mut s = SimStation::open(dir, PACKAGE, MORNING).unwrap();
    s.poll_hardware().unwrap();
    s
}

/// Polls the hardware for 60 ms, as the kiosk does every 10 ms.
fn settle(s: &mut SimStation) {
    for _ in 0..6 {
        s.hw().clock.advance(10);
        s.poll_hardware().unwrap();
    }
}

fn bodies(s: &SimStation) -> Vec<RecordBody> {
    let bytes = std::fs::read(s.data_dir().journal().primary).unwrap();
    parse_strict(&bytes)
        .unwrap()
        .into_iter()
        .map(|r| r.record.body)
        .collect()
}

#[test]
fn a_lid_opened_while_off_is_recorded_at_start_with_the_latched_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = station(dir.path());
    s.cut_power().unwrap();
    s.hw().clock.advance(10 * 60_000);
    s.hw().lid.open();
    let opened_at = s.hw().clock.now_ms();
    s.hw().clock.advance(60_000);
    s.hw().lid.close();
    s.hw().clock.advance(30 * 60_000);
    assert!(s.hw().latch.is_latched());
    s.restart().unwrap();
    let kiosk = s.kiosk().unwrap();
    assert!(
        kiosk.alarms().contains(&Alarm::TamperWhileOff),
        "{:?}",
        kiosk.alarms()
    );
    assert!(kiosk.blocking_alarm().is_none(), "steps go on");
    let latched: Vec<_> = bodies(&s)
        .into_iter()
        .filter_map(|b| match b {
            RecordBody::TamperWhileOff { opened_ms } => Some(opened_ms),
            _ => None,
        })
        .collect();
    // The chip counts whole seconds.
    let opened_ms = latched.as_slice()[0].unwrap();
    assert_eq!(latched.len(), 1);
    assert!(
        (opened_ms - opened_at).abs() <= 1_000,
        "{opened_ms} vs {opened_at}"
    );
    assert!(
        !s.hw().latch.is_latched(),
        "cleared once the record is durable"
    );
    // Restarting again records nothing more.
    s.restart().unwrap();
    let count = bodies(&s)
        .iter()
        .filter(|b| matches!(b, RecordBody::TamperWhileOff { .. }))
        .count();
    assert_eq!(count, 1);
    assert!(!s.kiosk().unwrap().alarms().contains(&Alarm::TamperWhileOff));
}

#[test]
fn the_latch_stays_set_while_its_record_cannot_be_made_durable() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = station(dir.path());
    s.cut_power().unwrap();
    s.hw().lid.open();
    s.hw().lid.close();
    s.hw().sd.fill();
    s.restart().unwrap();
    assert!(s.hw().latch.is_latched(), "not durable, not cleared");
    // Room again: the next start records it and clears the latch.
    s.hw().sd.free();
    s.restart().unwrap();
    assert!(!s.hw().latch.is_latched());
    assert!(
        bodies(&s)
            .iter()
            .any(|b| matches!(b, RecordBody::TamperWhileOff { .. }))
    );
}

#[test]
fn a_lid_opened_while_running_is_not_recorded_again_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = station(dir.path());
    s.hw().lid.open();
    settle(&mut s);
    assert!(s.kiosk().unwrap().alarms().contains(&Alarm::Tamper));
    s.hw().lid.close();
    settle(&mut s);
    assert!(!s.hw().latch.is_latched());
    s.restart().unwrap();
    assert!(
        !bodies(&s)
            .iter()
            .any(|b| matches!(b, RecordBody::TamperWhileOff { .. }))
    );
}
