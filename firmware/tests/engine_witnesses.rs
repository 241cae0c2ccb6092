//! The witness rule, step by step: a witness who is inside responds (confirms, objects, or is
//! recorded as declining); only absent witnesses are waived, and only 30 minutes after the
//! meeting opened (seed 004 line 47), each waiver a kejadian khusus naming who was missing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use tps_firmware::event::{IncidentKind, RecordBody};
use tps_firmware::procedure::Command;
use tps_firmware::procedure::people::PersonId;
use tps_firmware::procedure::refusal::Refusal;
use tps_firmware::text::Lang;

/// The steps whose quorum needs witnesses (every one but the oath, which needs the oath takers).
fn witnessed_steps(day: &Day) -> Vec<String> {
    day.state
        .procedure()
        .steps
        .iter()
        .filter(|s| s.quorum.needs_witnesses())
        .map(|s| s.id.clone())
        .collect()
}

/// A day with everyone registered, brought to `step` and its entries proposed at the step's
/// usual time.
fn at_step(step: &str) -> (Day, People) {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, step);
    day.prepare_for(step);
    let input = day.correct_input(step);
    day.propose(step, input);
    (day, people)
}

fn name(day: &Day, p: PersonId) -> String {
    day.state.person(p).unwrap().name.to_string()
}

/// A time after the 30-minute wait at which `step` may still be completed.
fn after_the_wait(step: &str) -> &'static str {
    match step {
        "tutup-pemungutan" => "13:45",
        // The close-out and the count come after 13:30.
        _ if time_for(step) >= "13:30" => "14:00",
        _ => "07:45",
    }
}

fn waiver(records: &[RecordBody]) -> Option<tps_firmware::event::Missing> {
    records.iter().find_map(|r| match r {
        RecordBody::Incident(i) => match &i.kind {
            IncidentKind::QuorumWaived { missing, .. } => Some((**missing).clone()),
            _ => None,
        },
        _ => None,
    })
}

fn mark_outside(day: &mut Day, who: &[PersonId]) {
    for p in who {
        let chair_pin = day.chair_pin();
        day.ok(Command::SetPresence {
            person: *p,
            present: false,
            chair_pin,
        });
    }
}

#[test]
fn a_present_silent_witness_is_never_waived() {
    let day = Day::pemilu();
    for step in witnessed_steps(&day) {
        let (mut day, people) = at_step(&step);
        let silent = people.saksi[2];
        let others: Vec<_> = people
            .witnesses()
            .into_iter()
            .filter(|p| *p != silent)
            .collect();
        day.confirm(&others);
        // Long after the wait, and with the chair asking to proceed: still refused.
        day.at(after_the_wait(&step));
        let refusal = day.try_complete(true).unwrap_err();
        assert_eq!(refusal.kind(), "missing-witnesses", "{step}");
        match &refusal {
            Refusal::MissingWitnesses {
                pending,
                may_proceed,
                wait_until,
                ..
            } => {
                assert_eq!(pending, &vec![name(&day, silent)], "{step}");
                assert!(!may_proceed, "{step}");
                assert_eq!(*wait_until, None, "{step}");
            }
            other => panic!("{step}: {other:?}"),
        }
        assert!(
            refusal.message(Lang::Id).contains(&name(&day, silent)),
            "{}",
            refusal.message(Lang::Id)
        );
        assert_eq!(day.current_step_id(), step);
    }
}

#[test]
fn an_objection_is_a_response_and_the_step_completes() {
    let day = Day::pemilu();
    for step in witnessed_steps(&day) {
        let (mut day, people) = at_step(&step);
        let objector = people.saksi[2];
        let others: Vec<_> = people
            .witnesses()
            .into_iter()
            .filter(|p| *p != objector)
            .collect();
        day.confirm(&others);
        let pin = day.pin_of(objector);
        day.ok(Command::Object {
            person: objector,
            pin,
            reason: "Sampul tidak diperlihatkan kepada saksi".into(),
        });
        if step == "rekap" || step == "serah-terima" {
            // The close-out and the hand-over wait for the objection's outcome (seed 004 lines
            // 54-58); the count goes on (line 59).
            let seq = day.state.objections[0].seq;
            let (pin, chair_pin) = (day.pin_of(objector), day.chair_pin());
            day.ok(Command::ResolveObjection {
                objection: seq,
                outcome: tps_firmware::procedure::command::OutcomeInput::Explained {
                    note: "Sampul diperlihatkan ulang".into(),
                },
                confirmers: vec![(objector, pin)],
                chair_pin,
            });
        }
        let records = day.complete();
        assert!(waiver(&records).is_none(), "{step}");
        assert_ne!(day.current_step_id(), step);
        assert_eq!(day.state.objections.len(), 1);
    }
}

#[test]
fn absent_witnesses_are_waived_after_the_wait_naming_who_and_when_they_left() {
    let day = Day::pemilu();
    for step in witnessed_steps(&day) {
        // The Pengawas and two saksi left at 11:00 before the closing (after it, for the
        // close-out); in the morning they step out as the step begins.
        let mut day = Day::pemilu();
        let people = day.register_everyone();
        day.progress_to(&people, &step);
        let left_at = match step.as_str() {
            "tutup-pemungutan" => "11:00",
            // The close-out comes after the closing at 13:00.
            "rekap" => "13:05",
            _ => time_for(&step),
        };
        day.at(left_at);
        let left_ms = day.wall_ms;
        let gone = [people.pengawas, people.saksi[1], people.saksi[2]];
        mark_outside(&mut day, &gone);
        day.prepare_for(&step);
        let input = day.correct_input(&step);
        day.propose(&step, input);
        day.confirm(&people.saksi[..1]);
        day.at(after_the_wait(&step));
        // Going on needs the chair's choice.
        let refusal = day.try_complete(false).unwrap_err();
        assert!(
            matches!(
                refusal,
                Refusal::MissingWitnesses {
                    may_proceed: true,
                    ..
                }
            ),
            "{step}: {refusal:?}"
        );
        let records = day.try_complete(true).unwrap();
        let missing = waiver(&records).unwrap_or_else(|| panic!("{step}: no waiver recorded"));
        assert!(!missing.is_empty(), "{step}");
        let named: Vec<_> = missing.absent.iter().map(|a| a.person).collect();
        assert!(
            named.contains(&people.pengawas)
                || !day.state.procedure().step(&step).unwrap().1.quorum.pengawas,
            "{step}: {named:?}"
        );
        for a in missing.absent.iter() {
            assert_eq!(a.left_ms, Some(left_ms), "{step}");
        }
        assert_ne!(day.current_step_id(), step);
    }
}

#[test]
fn absent_witnesses_are_awaited_until_thirty_minutes_after_the_meeting_opened() {
    let day = Day::pemilu();
    // Only the morning steps can come before the wait is over.
    let morning: Vec<_> = witnessed_steps(&day)
        .into_iter()
        .filter(|s| time_for(s) < "07:30")
        .collect();
    assert_eq!(morning.len(), 5, "{morning:?}");
    for step in morning {
        let (mut day, people) = at_step(&step);
        mark_outside(
            &mut day,
            &[people.pengawas, people.saksi[1], people.saksi[2]],
        );
        day.confirm(&people.saksi[..1]);
        let refusal = day.try_complete(true).unwrap_err();
        assert_eq!(refusal.kind(), "missing-witnesses");
        let Refusal::MissingWitnesses {
            wait_until: Some((until, _)),
            may_proceed: false,
            ..
        } = &refusal
        else {
            panic!("{step}: {refusal:?}");
        };
        // The oath was completed at 07:00: the wait ends at 07:30.
        assert_eq!(until.to_string(), "07:30", "{step}");
        assert!(
            refusal.message(Lang::Id).contains("07:30 WIB"),
            "{}",
            refusal.message(Lang::Id)
        );
        day.at("07:29");
        assert!(day.try_complete(true).is_err());
        day.at("07:30");
        assert!(waiver(&day.try_complete(true).unwrap()).is_some(), "{step}");
    }
}

#[test]
fn the_wait_runs_from_when_the_meeting_actually_opened() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "sumpah");
    // The oath is taken at 07:10: the wait ends at 07:40, not 07:30.
    day.at("07:10");
    day.propose("sumpah", day.correct_input("sumpah"));
    day.confirm(&people.oath_takers());
    day.complete();
    day.take_step_with("penjelasan-awal", &[]);
    day.propose("buka-kotak", day.inventory());
    mark_outside(
        &mut day,
        &[people.pengawas, people.saksi[1], people.saksi[2]],
    );
    day.confirm(&people.saksi[..1]);
    day.at("07:35");
    let refusal = day.try_complete(true).unwrap_err();
    assert!(
        refusal.message(Lang::En).contains("Wait until 07:40 WIB"),
        "{}",
        refusal.message(Lang::En)
    );
    day.at("07:40");
    assert!(waiver(&day.try_complete(true).unwrap()).is_some());
}

#[test]
fn never_registered_witnesses_are_waived_after_the_wait() {
    let mut day = Day::pemilu();
    // No Pengawas TPS, a single saksi.
    let kpps: Vec<_> = (1..=7)
        .map(|n| {
            day.register(
                tps_firmware::procedure::people::Role::Kpps(n),
                &format!("Anggota {n}"),
            )
        })
        .collect();
    let (first, _) = day.state.package().participants()[0];
    let saksi = day.register(
        tps_firmware::procedure::people::Role::Saksi(first),
        "Saksi Tunggal",
    );
    for step in ["persiapan", "kehadiran"] {
        day.take_step_with(step, &[]);
    }
    day.at("07:00");
    day.take_step_with("sumpah", &kpps[1..]);
    day.take_step_with("penjelasan-awal", &[]);
    day.at("07:31");
    day.propose("buka-kotak", day.inventory());
    day.confirm(&[saksi]);
    let records = day.try_complete(true).unwrap();
    let missing = waiver(&records).expect("a waiver");
    assert_eq!(missing.witnesses, 1);
    assert!(missing.absent.is_empty());
    day.propose("kotak-kosong", day.empty_box());
    day.confirm(&[saksi]);
    let missing = waiver(&day.try_complete(true).unwrap()).expect("a waiver");
    assert!(missing.pengawas);
    assert_eq!(missing.saksi_participants, 0);
}

#[test]
fn a_witness_who_declines_is_recorded_and_confirmed_by_the_pengawas() {
    let day = Day::pemilu();
    for step in witnessed_steps(&day) {
        let (mut day, people) = at_step(&step);
        let silent = people.saksi[2];
        let others: Vec<_> = people
            .witnesses()
            .into_iter()
            .filter(|p| *p != silent)
            .collect();
        day.confirm(&others);
        let chair_pin = day.chair_pin();
        // Without the Pengawas's PIN it is not recorded.
        let refusal = day.refused(Command::RecordDeclined {
            person: silent,
            reason: "Tidak mau konfirmasi dan tidak mengajukan keberatan".into(),
            confirmers: vec![(people.saksi[0], day.pin_of(people.saksi[0]))],
            chair_pin: chair_pin.clone(),
        });
        assert_eq!(refusal, Refusal::DeclineNeedsPengawas);
        let records = day.ok(Command::RecordDeclined {
            person: silent,
            reason: "Tidak mau konfirmasi dan tidak mengajukan keberatan".into(),
            confirmers: vec![(people.pengawas, day.pin_of(people.pengawas))],
            chair_pin,
        });
        let RecordBody::Incident(incident) = &records[0] else {
            panic!("{records:?}");
        };
        assert_eq!(
            incident.kind,
            IncidentKind::Declined {
                step: step.as_str().try_into().unwrap(),
                person: silent
            }
        );
        assert_eq!(incident.witnesses.as_slice(), &[people.pengawas]);
        // Then the step completes, with no waiver.
        let records = day.complete();
        assert!(waiver(&records).is_none());
        assert_ne!(day.current_step_id(), step);
    }
}

#[test]
fn a_pengawas_who_declines_is_confirmed_by_two_other_witnesses() {
    let (mut day, people) = at_step("kotak-kosong");
    day.confirm(&people.saksi);
    let chair_pin = day.chair_pin();
    let declined = |confirmers: &[PersonId], day: &Day| Command::RecordDeclined {
        person: people.pengawas,
        reason: "Pengawas tidak bersedia menanggapi".into(),
        confirmers: confirmers.iter().map(|p| (*p, day.pin_of(*p))).collect(),
        chair_pin: chair_pin.clone(),
    };
    let one = declined(&people.saksi[..1], &day);
    assert_eq!(day.refused(one), Refusal::DeclineNeedsTwoWitnesses);
    // A KPPS member is not a witness.
    let kpps = declined(&[people.saksi[0], people.kpps[2]], &day);
    assert_eq!(day.refused(kpps).kind(), "not-a-witness");
    let two = declined(&people.saksi[..2], &day);
    day.ok(two);
    // Recorded once only.
    let again = declined(&people.saksi[..2], &day);
    assert_eq!(day.refused(again).kind(), "already-responded");
    day.complete();
    assert_eq!(day.current_step_id(), "cek-segel");
}

#[test]
fn only_a_witness_inside_can_be_recorded_as_declining() {
    let (mut day, people) = at_step("kotak-kosong");
    mark_outside(&mut day, &[people.saksi[2]]);
    let chair_pin = day.chair_pin();
    for (who, kind) in [
        (people.saksi[2], "person-absent"),
        (people.kpps[3], "not-a-witness"),
        (PersonId(999), "unknown-person"),
    ] {
        let r = day.refused(Command::RecordDeclined {
            person: who,
            reason: "x".into(),
            confirmers: vec![(people.pengawas, day.pin_of(people.pengawas))],
            chair_pin: chair_pin.clone(),
        });
        assert_eq!(r.kind(), kind);
    }
    // A reason is required, and a wrong Pengawas PIN is refused (and counted).
    let r = day.refused(Command::RecordDeclined {
        person: people.saksi[1],
        reason: "   ".into(),
        confirmers: vec![(people.pengawas, day.pin_of(people.pengawas))],
        chair_pin: chair_pin.clone(),
    });
    assert_eq!(r.kind(), "missing-text");
    let r = day.refused(Command::RecordDeclined {
        person: people.saksi[1],
        reason: "diam saja".into(),
        confirmers: vec![(people.pengawas, pin(PINS[15]))],
        chair_pin,
    });
    assert_eq!(r.kind(), "wrong-pin");
    assert!(day.state.incidents.is_empty());
}

#[test]
fn the_oath_takers_present_always_confirm() {
    let (mut day, people) = at_step("sumpah");
    day.confirm(&people.oath_takers()[1..]);
    day.at("08:30");
    let refusal = day.try_complete(true).unwrap_err();
    let Refusal::MissingWitnesses {
        pending,
        may_proceed,
        ..
    } = &refusal
    else {
        panic!("{refusal:?}");
    };
    assert_eq!(pending, &vec!["Anggota 2".to_string()]);
    assert!(!may_proceed);
}

#[test]
fn closing_the_polls_at_1305_and_1345_without_the_witnesses_inside_is_refused() {
    let (mut day, people) = at_step("tutup-pemungutan");
    // Nobody has confirmed; the Pengawas and the saksi are inside.
    for at in ["13:05", "13:45"] {
        day.at(at);
        let refusal = day.try_complete(true).unwrap_err();
        assert_eq!(refusal.kind(), "missing-witnesses");
        let Refusal::MissingWitnesses {
            pending,
            may_proceed: false,
            ..
        } = &refusal
        else {
            panic!("{at}: {refusal:?}");
        };
        let expected: Vec<_> = people.witnesses().iter().map(|p| name(&day, *p)).collect();
        assert_eq!(pending, &expected, "{at}");
        assert!(!refusal.message(Lang::Id).contains("boleh melanjutkan"));
    }
    assert_eq!(day.current_step_id(), "tutup-pemungutan");
}

/// A confirmation the step's quorum does not count (a saksi on the oath, a KPPS member or the
/// chair on a witnessed step) is refused with the reason, and nothing is recorded.
#[test]
fn a_confirmation_that_does_not_count_for_the_step_is_refused() {
    let (mut day, people) = at_step("sumpah");
    let saksi = people.saksi[0];
    let pin = day.pin_of(saksi);
    let refusal = day.refused(Command::Confirm { person: saksi, pin });
    assert!(
        matches!(&refusal, Refusal::ConfirmationDoesNotCount { name: n, .. } if *n == name(&day, saksi)),
        "{refusal:?}"
    );
    assert!(refusal.message(Lang::Id).contains("tidak dihitung"));
    assert!(refusal.message(Lang::En).contains("does not count"));
    assert!(
        day.state
            .proposal
            .as_ref()
            .unwrap()
            .confirmations
            .is_empty()
    );

    let (mut day, people) = at_step("buka-kotak");
    for kpps in &people.kpps {
        let pin = day.pin_of(*kpps);
        let refusal = day.refused(Command::Confirm { person: *kpps, pin });
        assert!(
            matches!(refusal, Refusal::ConfirmationDoesNotCount { .. }),
            "{refusal:?}"
        );
    }
    day.confirm(&[people.pengawas]);
}
