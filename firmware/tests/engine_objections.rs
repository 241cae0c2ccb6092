//! Keberatan resolved as the Bawaslu guide says (seed 004 lines 53-58): each gets an outcome
//! before the close-out (explained, accepted with a correction, or not accepted with the
//! Pengawas TPS's advice), and a day with nothing to record closes on the chair's NIHIL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use tps_firmware::event::{Outcome, RecordBody};
use tps_firmware::procedure::Command;
use tps_firmware::procedure::command::OutcomeInput;
use tps_firmware::procedure::people::PersonId;
use tps_firmware::procedure::refusal::Refusal;
use tps_firmware::procedure::view::preview_close_out;
use tps_firmware::text::Lang;

/// A day at the close-out with its entries proposed and every witness confirming; `objection`
/// is the seq of a keberatan Saksi 1 raised while voting (at 10:00).
fn at_close_out_with_an_objection() -> (Day, People, u64) {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "tutup-pemungutan");
    day.at("10:00");
    let objector = people.saksi[0];
    let pin = day.pin_of(objector);
    day.ok(Command::Object {
        person: objector,
        pin,
        reason: "Jumlah surat suara DPR tidak diumumkan".into(),
    });
    let seq = day.state.objections[0].seq;
    day.take_step(&people, "tutup-pemungutan");
    day.prepare_for("rekap");
    day.propose("rekap", day.correct_input("rekap"));
    day.confirm(&people.witnesses());
    (day, people, seq)
}

fn resolve(
    day: &mut Day,
    objection: u64,
    outcome: OutcomeInput,
    confirmers: &[PersonId],
) -> Result<Vec<RecordBody>, Refusal> {
    let chair_pin = day.chair_pin();
    let confirmers = confirmers.iter().map(|p| (*p, day.pin_of(*p))).collect();
    day.run(Command::ResolveObjection {
        objection,
        outcome,
        confirmers,
        chair_pin,
    })
}

#[test]
fn the_close_out_waits_for_every_objection_to_have_an_outcome_and_names_it() {
    let (mut day, people, seq) = at_close_out_with_an_objection();
    let refusal = day.try_complete(false).unwrap_err();
    assert_eq!(refusal.kind(), "objections-unresolved");
    let said = refusal.message(Lang::Id);
    assert!(
        said.contains("Jumlah surat suara DPR tidak diumumkan") && said.contains("Saksi 1"),
        "{said}"
    );
    // Explained: the objector accepts with their PIN, not someone else's.
    let explained = || OutcomeInput::Explained {
        note: "Jumlah diumumkan ulang: 306 lembar DPR".into(),
    };
    let r = resolve(&mut day, seq, explained(), &[people.pengawas]).unwrap_err();
    assert_eq!(r.kind(), "objector-must-confirm");
    resolve(&mut day, seq, explained(), &[people.saksi[0]]).unwrap();
    assert!(matches!(
        day.state.objections[0].outcome,
        Some((_, Outcome::Explained { .. }))
    ));
    // Once only.
    let r = resolve(&mut day, seq, explained(), &[people.saksi[0]]).unwrap_err();
    assert_eq!(r.kind(), "objection-resolved");
    assert_eq!(preview_close_out(&day.state), Ok(()));
    day.complete();
    assert_eq!(day.state.phase(), tps_firmware::procedure::Phase::Counting);
}

#[test]
fn not_accepted_records_the_pengawas_advice_and_whether_it_was_followed() {
    let (mut day, people, seq) = at_close_out_with_an_objection();
    let not_followed = |why: &str| OutcomeInput::NotAccepted {
        advice: "Umumkan jumlah surat suara setiap jenis".into(),
        followed: false,
        why_not: why.into(),
    };
    // The Pengawas's PIN is required (their advice), and the objector's, who is inside.
    let r = resolve(&mut day, seq, not_followed("sudah"), &[people.saksi[0]]).unwrap_err();
    assert_eq!(r, Refusal::AdviceNeedsPengawas);
    let r = resolve(&mut day, seq, not_followed("sudah"), &[people.pengawas]).unwrap_err();
    assert_eq!(r.kind(), "objector-must-confirm");
    // Not followed: why not is written down.
    let both = [people.pengawas, people.saksi[0]];
    let r = resolve(&mut day, seq, not_followed("  "), &both).unwrap_err();
    assert_eq!(r.kind(), "missing-text");
    let records = resolve(
        &mut day,
        seq,
        not_followed("Jumlah sudah diumumkan pukul 07.20 di depan saksi"),
        &both,
    )
    .unwrap();
    let RecordBody::ObjectionResolved {
        outcome, witnesses, ..
    } = &records[0]
    else {
        panic!("{records:?}");
    };
    assert!(matches!(
        **outcome,
        Outcome::NotAccepted {
            followed: false,
            why_not: Some(_),
            ..
        }
    ));
    assert_eq!(witnesses.as_slice(), &both);
    day.complete();
}

#[test]
fn accepted_is_a_correction_confirmed_by_the_witnesses_present_keeping_both_values() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "tutup-pemungutan");
    day.at("09:00");
    let pin = day.pin_of(people.saksi[1]);
    day.ok(Command::Object {
        person: people.saksi[1],
        pin,
        reason: "DPR dihitung 305, bukan 306".into(),
    });
    let seq = day.state.objections[0].seq;
    // The Pengawas has gone out: a correction needs the witnesses present, not the morning's
    // full quorum (seed 004 line 56).
    let chair_pin = day.chair_pin();
    day.ok(Command::SetPresence {
        person: people.pengawas,
        present: false,
        chair_pin,
    });
    let (index, _) = day.state.procedure().step("hitung-surat-suara").unwrap();
    let before = day.state.completed_step(index).unwrap().clone();
    let mut input = day.counts();
    if let tps_firmware::procedure::input::StepInput::BallotCount { counts, exception } = &mut input
    {
        counts.as_mut_slice()[1].counted -= 1;
        *exception = Some(tps_firmware::procedure::input::Exception {
            action: "PPS dihubungi".try_into().unwrap(),
            pps_contacted: true,
        });
    }
    day.ok(Command::Correct {
        step: "hitung-surat-suara".into(),
        input,
        reason: "Keberatan saksi diterima".into(),
    });
    let correction = day.state.proposal.as_ref().unwrap().seq;
    // The saksi inside respond; the absent Pengawas is not waited for.
    let r = day.try_complete(false).unwrap_err();
    assert_eq!(r.kind(), "missing-witnesses");
    day.confirm(&people.saksi);
    day.complete();
    let after = day.state.completed_step(index).unwrap();
    assert_eq!(after.corrected, vec![before.proposal]);
    assert_ne!(after.input, before.input);
    // The original proposal is not a correction; a correction is.
    let r = resolve(
        &mut day,
        seq,
        OutcomeInput::Accepted {
            correction: before.proposal,
        },
        &[],
    )
    .unwrap_err();
    assert_eq!(r.kind(), "not-a-correction");
    resolve(&mut day, seq, OutcomeInput::Accepted { correction }, &[]).unwrap();
    assert_eq!(
        day.state.objections[0]
            .outcome
            .as_ref()
            .map(|(_, o)| o.clone()),
        Some(Outcome::Accepted { correction })
    );
}

#[test]
fn a_day_without_incident_or_objection_closes_on_the_chairs_nihil() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "tutup-pemungutan");
    day.take_step(&people, "tutup-pemungutan");
    // Not during voting.
    let chair_pin = day.chair_pin();
    assert_eq!(
        day.refused(Command::ConfirmNihil {
            chair_pin: chair_pin.clone()
        }),
        Refusal::NotClosing
    );
    day.at("13:10");
    day.ok(Command::EndVoting {
        chair_pin: chair_pin.clone(),
    });
    day.at("13:30");
    day.propose("rekap", day.correct_input("rekap"));
    day.confirm(&people.witnesses());
    let r = day.try_complete(false).unwrap_err();
    assert_eq!(r, Refusal::NihilNotConfirmed);
    assert!(r.message(Lang::Id).contains("NIHIL"));
    // A wrong PIN does not confirm it.
    let r = day.refused(Command::ConfirmNihil {
        chair_pin: pin(PINS[15]),
    });
    assert_eq!(r.kind(), "wrong-pin");
    day.ok(Command::ConfirmNihil {
        chair_pin: chair_pin.clone(),
    });
    assert!(day.state.nihil_ms.is_some());
    // Once.
    assert_eq!(
        day.refused(Command::ConfirmNihil { chair_pin }).kind(),
        "not-nihil"
    );
    day.complete();
}

#[test]
fn nihil_is_refused_once_anything_was_recorded() {
    let (mut day, people, seq) = at_close_out_with_an_objection();
    let chair_pin = day.chair_pin();
    let r = day.refused(Command::ConfirmNihil { chair_pin });
    assert_eq!(
        r,
        Refusal::NotNihil {
            incidents: 0,
            objections: 1
        }
    );
    // Unknown objection numbers are refused.
    let r = resolve(
        &mut day,
        seq + 1000,
        OutcomeInput::Explained { note: "x".into() },
        &[people.saksi[0]],
    )
    .unwrap_err();
    assert_eq!(r.kind(), "unknown-objection");
}
