//! Setting the clock in the engine (issue 9, finding 4): alone before the day, witnessed after
//! the first step is proposed (the chair and the Pengawas TPS, or two saksi present), a
//! kejadian khusus with old and new time, never back past the last record.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use tps_firmware::event::{IncidentKind, RecordBody};
use tps_firmware::procedure::Command;
use tps_firmware::procedure::clock::{ClockRefusal, SetClock, preview_clock};
use tps_firmware::procedure::people::PersonId;
use tps_firmware::procedure::refusal::Refusal;
use tps_firmware::time::{LocalTime, instant_at};

fn set(day: &Day, hhmm: &str, witnesses: &[PersonId]) -> Command {
    let p = day.state.package();
    Command::SetClock(SetClock {
        new_ms: instant_at(p.date, LocalTime::parse(hhmm).unwrap(), p.zone).unwrap(),
        by: "Teknisi Andi".into(),
        chair_pin: Some(day.chair_pin()),
        witnesses: witnesses.iter().map(|w| (*w, day.pin_of(*w))).collect(),
        confirm_crossing: false,
    })
}

fn needs_witnesses(r: &Refusal) -> bool {
    matches!(r, Refusal::Clock(ClockRefusal::NeedsWitnesses))
}

#[test]
fn before_the_day_alone_after_it_witnessed_and_never_back() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    // Before the first step: the technician alone, one record.
    day.at("05:50");
    let alone = day.ok(set(&day, "05:52", &[]));
    assert!(matches!(alone.as_slice(), [RecordBody::ClockSet { .. }]));
    day.at("06:00");
    let checklist = day.checklist();
    day.propose("persiapan", checklist);

    // Now one saksi, or a KPPS member, is not enough; nor is an absent saksi.
    day.advance_minutes(1);
    let one = day.refused(set(&day, "06:10", &people.saksi[..1]));
    assert!(needs_witnesses(&one), "{one:?}");
    let kpps = day.refused(set(&day, "06:10", &people.kpps[1..3]));
    assert!(needs_witnesses(&kpps), "{kpps:?}");
    let chair_pin = day.chair_pin();
    day.ok(Command::SetPresence {
        person: people.saksi[1],
        present: false,
        chair_pin,
    });
    let absent = day.refused(set(&day, "06:10", &people.saksi[..2]));
    assert!(needs_witnesses(&absent), "{absent:?}");
    let mut no_pins = set(&day, "06:10", &[]);
    if let Command::SetClock(s) = &mut no_pins {
        s.chair_pin = None;
    }
    assert!(needs_witnesses(&day.refused(no_pins)));
    assert!(
        !day.records
            .iter()
            .any(|r| matches!(r.body, RecordBody::ClockSet { .. } if r.stamp.wall_ms > day.wall_ms - 60_000)),
        "nothing recorded for a refused setting"
    );

    // Two saksi present: a kejadian khusus naming them, then the setting.
    let two = [people.saksi[0], people.saksi[2]];
    let records = day.ok(set(&day, "06:10", &two));
    let [
        RecordBody::Incident(incident),
        RecordBody::ClockSet { old_ms, new_ms, .. },
    ] = records.as_slice()
    else {
        panic!("{records:?}");
    };
    assert_eq!(
        incident.kind,
        IncidentKind::ClockSet {
            old_ms: *old_ms,
            new_ms: *new_ms
        }
    );
    assert_eq!(incident.witnesses.as_slice(), &two);
    assert!(incident.text.contains("menjadi") && incident.text.contains("to"));
    // The Pengawas TPS alone suffices.
    day.at("06:10");
    day.advance_minutes(1);
    day.ok(set(&day, "06:15", &[people.pengawas]));
    // Back past the last record: refused, whoever witnesses.
    let back = day.refused(set(&day, "06:12", &[people.pengawas]));
    assert!(
        matches!(back, Refusal::Clock(ClockRefusal::Backwards { .. })),
        "{back:?}"
    );
    for lang in [tps_firmware::text::Lang::Id, tps_firmware::text::Lang::En] {
        assert!(!back.message(lang).is_empty());
    }
}

/// What the clock form shows before anyone signs is what the engine then decides: back past
/// the last record refused, who signs, and the regulated times crossed (only once witnessed).
#[test]
fn the_preview_says_what_the_setting_will_meet() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    let p = day.state.package().clone();
    let ms = |hhmm: &str| instant_at(p.date, LocalTime::parse(hhmm).unwrap(), p.zone).unwrap();
    day.at("05:50");
    // Before the day: the technician alone, nothing to confirm even across 07:00.
    let before = preview_clock(&day.state, ms("07:30"), day.wall_ms).unwrap();
    assert!(!before.witnessed);
    assert_eq!(before.crossing, None);

    day.at("06:00");
    let checklist = day.checklist();
    day.propose("persiapan", checklist);
    day.advance_minutes(1);
    let plain = preview_clock(&day.state, ms("06:30"), day.wall_ms).unwrap();
    assert!(plain.witnessed);
    assert_eq!(plain.crossing, None);
    let across = preview_clock(&day.state, ms("13:05"), day.wall_ms).unwrap();
    let Some(crossing) = across.crossing.clone() else {
        panic!("{across:?}");
    };
    let words = crossing.message(tps_firmware::text::Lang::Id);
    assert!(
        words.contains("pukul enam lewat satu menit")
            && words.contains("pukul tiga belas lewat lima menit"),
        "{words}"
    );
    // The engine refuses the same setting unconfirmed with the very same refusal.
    let refused = day.refused(set(&day, "13:05", &[people.pengawas]));
    assert_eq!(refused, Refusal::Clock(crossing));
    let back = preview_clock(&day.state, ms("05:00"), day.wall_ms).unwrap_err();
    assert!(matches!(back, ClockRefusal::Backwards { .. }), "{back:?}");
}

/// A mistyped year before the day (2204 for 2024) would become the journal's time, which never
/// goes back, and leave the kiosk unable to run the election: refused, and nothing recorded.
/// Up to the end of the day after the election day (the count may run into it) is allowed.
#[test]
fn a_setting_after_the_election_days_is_refused_before_and_during_the_day() {
    let mut day = Day::pemilu();
    day.register_everyone();
    let p = day.state.package().clone();
    let midnight = instant_at(p.date, LocalTime::new(0, 0), p.zone).unwrap();
    let latest = midnight + 2 * 86_400_000 - 1;
    let at_ms = |new_ms: i64, witnesses: Vec<PersonId>, day: &Day| {
        Command::SetClock(SetClock {
            new_ms,
            by: "Teknisi Andi".into(),
            chair_pin: Some(day.chair_pin()),
            witnesses: witnesses.iter().map(|w| (*w, day.pin_of(*w))).collect(),
            confirm_crossing: true,
        })
    };
    day.at("05:50");
    let year_2204 = midnight + 180 * 365 * 86_400_000;
    for new_ms in [latest + 1, year_2204, i64::MAX] {
        let refused = day.refused(at_ms(new_ms, vec![], &day));
        let Refusal::Clock(ClockRefusal::AfterTheElection { latest_ms, .. }) = &refused else {
            panic!("{refused:?}");
        };
        assert_eq!(*latest_ms, latest);
        let id = refused.message(tps_firmware::text::Lang::Id);
        assert!(id.contains("Periksa tanggal dan tahunnya"), "{id}");
        let en = refused.message(tps_firmware::text::Lang::En);
        assert!(en.contains("Check the date and the year"), "{en}");
        assert!(preview_clock(&day.state, new_ms, day.wall_ms).is_err());
    }
    // The last moment allowed: the technician alone, one record.
    let ok = day.ok(at_ms(latest, vec![], &day));
    assert!(
        matches!(ok.as_slice(), [RecordBody::ClockSet { new_ms, .. }] if *new_ms == latest),
        "{ok:?}"
    );

    // Once the day has begun, the witnesses' PINs do not let it through either.
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.at("06:00");
    let checklist = day.checklist();
    day.propose("persiapan", checklist);
    let refused = day.refused(at_ms(latest + 1, vec![people.pengawas], &day));
    assert!(
        matches!(
            refused,
            Refusal::Clock(ClockRefusal::AfterTheElection { .. })
        ),
        "{refused:?}"
    );
}
