//! Whole days through the engine: happy paths in each time zone, the 30-minute rule, replay.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use tps_firmware::election::MaleFemale;
use tps_firmware::event::{IncidentKind, RecordBody};
use tps_firmware::procedure::input::StepInput;
use tps_firmware::procedure::pin::PinKey;
use tps_firmware::procedure::refusal::Refusal;
use tps_firmware::procedure::{Command, Phase, State, decide};
use tps_firmware::text::Lang;
use tps_firmware::time::{LocalDateTime, TimeZone};

/// Preparation and attendance, at the day's start.
fn prepare_and_take_attendance(day: &mut Day) {
    day.propose("persiapan", day.checklist());
    day.complete();
    day.propose("kehadiran", StepInput::Attendance);
    day.complete();
}

/// The oath at 07:00, every oath-taker confirming.
/// The oath at 07:00, then right after it the chair's explanation of how to vote and of the
/// KPPS members' duties (seed 004 line 46).
fn take_the_oath_at_seven(day: &mut Day, people: &People) {
    day.at("07:00");
    day.propose("sumpah", StepInput::Oath);
    day.confirm(&people.oath_takers());
    day.complete();
    let explained = day.explanations("penjelasan-awal");
    day.propose("penjelasan-awal", explained);
    day.complete();
}

/// `step` with `input`, confirmed by the Pengawas and two saksi.
fn take_witnessed(day: &mut Day, people: &People, step: &str, input: StepInput) {
    day.propose(step, input);
    day.confirm(&people.witnesses());
    day.complete();
}

#[test]
fn a_pemilu_day_runs_from_preparation_to_close_out() {
    let mut day = Day::pemilu();
    assert_eq!(day.state.phase(), Phase::Opening);
    full_day(&mut day);
    assert_eq!(day.state.phase(), Phase::Finished);
    assert_eq!(day.state.completed.len(), day.state.procedure().steps.len());
    // Nothing went wrong, so nothing was recorded as a special incident.
    assert!(day.state.incidents.is_empty());
    // Every step after the oath that needs witnesses has the Pengawas among its confirmations.
    let pengawas = day
        .state
        .people
        .iter()
        .find(|p| p.name.as_str() == "Bu Pengawas")
        .unwrap()
        .id;
    let (index, _) = day.state.procedure().step("hitung-surat-suara").unwrap();
    assert!(
        day.state
            .completed_step(index)
            .unwrap()
            .confirmations
            .contains(&pengawas)
    );
    // Once everything is done, nothing more can be proposed.
    let refusal = day.refused(Command::Propose {
        step: "rekap".into(),
        input: StepInput::Attendance,
    });
    assert_eq!(refusal, Refusal::DayFinished);
}

#[test]
fn the_dki_package_with_four_ballot_types_runs_too() {
    let mut day = Day::new(PEMILU_DKI);
    assert_eq!(day.ballots().len(), 4);
    full_day(&mut day);
    assert_eq!(day.state.phase(), Phase::Finished);
}

#[test]
fn a_pilkada_day_in_papua_runs_on_wit() {
    let mut day = Day::new(PILKADA_PAPUA);
    assert_eq!(day.state.package().zone, TimeZone::Wit);
    let people = day.register_everyone();
    prepare_and_take_attendance(&mut day);
    // 06:59 WIT is too early for the oath even though it is 04:59 in Jakarta.
    day.at("06:59");
    let refusal = day.refused(Command::Propose {
        step: "sumpah".into(),
        input: StepInput::Oath,
    });
    assert_eq!(
        refusal.message(Lang::Id),
        "'Pembukaan rapat dan sumpah/janji' baru boleh mulai pukul 07:00 WIT."
    );
    take_the_oath_at_seven(&mut day, &people);
    // The Pilkada reserve is 2.5% rounded up: DPT 409 gives 420 ballots of each type.
    assert!(
        day.state
            .package()
            .ballots
            .iter()
            .all(|b| b.delivered == 420)
    );
    for (step, input) in [
        ("buka-kotak", day.inventory()),
        ("kotak-kosong", day.empty_box()),
        ("cek-segel", day.seals()),
        ("hitung-surat-suara", day.counts()),
    ] {
        take_witnessed(&mut day, &people, step, input);
    }
    day.propose("penjelasan", day.explanations("penjelasan"));
    day.complete();
    take_witnessed(&mut day, &people, "buka-pemungutan", StepInput::PollsOpen);
    let opened = day
        .records
        .iter()
        .rev()
        .find(|r| matches!(r.body, RecordBody::StepCompleted { .. }))
        .unwrap();
    let local = LocalDateTime::from_unix_ms(opened.stamp.wall_ms, TimeZone::Wit).unwrap();
    assert_eq!((local.hour, local.minute), (7, 0));
    day.at("12:00");
    let chair_pin = day.chair_pin();
    day.ok(Command::AnnounceDpk { chair_pin });
    day.at("13:00");
    // No one queuing: voting ends with the closing.
    take_witnessed(
        &mut day,
        &people,
        "tutup-pemungutan",
        StepInput::PollsClose { queued: 0 },
    );
    assert_eq!(day.state.phase(), Phase::CloseOut);
    let input = day.reconciliation(
        MaleFemale {
            male: 150,
            female: 160,
        },
        MaleFemale::default(),
        MaleFemale { male: 3, female: 2 },
    );
    // Nothing to record all day: NIHIL, confirmed by the chair.
    let chair_pin = day.chair_pin();
    day.ok(Command::ConfirmNihil { chair_pin });
    take_witnessed(&mut day, &people, "rekap", input);
    assert_eq!(day.state.phase(), Phase::Counting);
    // The count: each of the two boxes opened and counted, governor's first, then the seals and
    // the hand-over.
    let rest: Vec<String> = day.step_ids()[day.state.current_step()..].to_vec();
    assert_eq!(
        rest,
        [
            "kotak-gubernur",
            "hitung-gubernur",
            "kotak-bupati-walikota",
            "hitung-bupati-walikota",
            "segel",
            "serah-terima"
        ]
    );
    for step in rest {
        day.take_step(&people, &step);
    }
    assert_eq!(day.state.phase(), Phase::Finished);
}

#[test]
fn wita_opens_an_hour_before_wib_in_absolute_time() {
    let wita = PEMILU_JABAR.replace("zone = \"WIB\"", "zone = \"WITA\"");
    let mut day = Day::new(&wita);
    let people = day.register_everyone();
    prepare_and_take_attendance(&mut day);
    take_the_oath_at_seven(&mut day, &people);
    let done = day.records.last().unwrap();
    // 07:00 WITA is 06:00 WIB.
    let wib = LocalDateTime::from_unix_ms(done.stamp.wall_ms, TimeZone::Wib).unwrap();
    assert_eq!((wib.hour, wib.minute), (6, 0));
}

/// Brings a day to the empty-box step with the Pengawas outside and every saksi confirming.
fn at_empty_box_without_pengawas() -> (Day, People) {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    prepare_and_take_attendance(&mut day);
    take_the_oath_at_seven(&mut day, &people);
    let inventory = day.inventory();
    take_witnessed(&mut day, &people, "buka-kotak", inventory);
    day.propose("kotak-kosong", day.empty_box());
    let chair_pin = day.chair_pin();
    day.ok(Command::SetPresence {
        person: people.pengawas,
        present: false,
        chair_pin,
    });
    day.confirm(&people.saksi);
    (day, people)
}

#[test]
fn the_thirty_minute_rule_refuses_at_0729_and_lets_the_chair_proceed_at_0730() {
    let (mut day, people) = at_empty_box_without_pengawas();
    let left_ms = day.state.person(people.pengawas).unwrap().left_ms;
    day.at("07:29");
    // Even when the chair asks to proceed, before 07:30 the step waits.
    let refusal = day.try_complete(true).unwrap_err();
    assert!(matches!(
        refusal,
        Refusal::MissingWitnesses {
            pengawas: true,
            may_proceed: false,
            wait_until: Some(_),
            ..
        }
    ));
    assert_eq!(
        refusal.message(Lang::Id),
        "Tidak hadir: Pengawas TPS dan Bu Pengawas. Tunggu paling lama sampai pukul 07:30 WIB."
    );
    assert_eq!(
        refusal.message(Lang::En),
        "Absent: the Pengawas TPS and Bu Pengawas. Wait until 07:30 WIB at most."
    );
    day.at("07:30");
    // At 07:30 the chair may proceed, but only by choosing to.
    let refusal = day.try_complete(false).unwrap_err();
    assert!(matches!(
        refusal,
        Refusal::MissingWitnesses {
            may_proceed: true,
            ..
        }
    ));
    let records = day.try_complete(true).unwrap();
    let waived = records.iter().find_map(|r| match r {
        RecordBody::Incident(i) => match &i.kind {
            IncidentKind::QuorumWaived { step, missing } => {
                Some((step.clone(), (**missing).clone()))
            }
            _ => None,
        },
        _ => None,
    });
    let (step, missing) = waived.expect("a kejadian khusus naming who was missing");
    assert_eq!(step.as_str(), "kotak-kosong");
    assert!(missing.pengawas);
    assert_eq!(missing.saksi_participants, 0);
    assert_eq!(missing.absent.len(), 1);
    assert_eq!(missing.absent.as_slice()[0].person, people.pengawas);
    assert_eq!(missing.absent.as_slice()[0].left_ms, left_ms);
    assert!(left_ms.is_some());
    assert_eq!(day.current_step_id(), "cek-segel");
}

#[test]
fn replaying_the_records_rebuilds_the_same_state() {
    let mut day = Day::pemilu();
    full_day(&mut day);
    let mut replayed = State::with_procedure(
        day.state.package().clone(),
        std::sync::Arc::new(day.state.procedure().clone()),
        Some(pin_key()),
    );
    for r in &day.records {
        replayed.apply(r).unwrap();
    }
    assert_eq!(replayed, day.state);
}

#[test]
fn a_journal_replayed_away_from_its_device_cannot_check_a_pin() {
    let mut day = Day::pemilu();
    day.at("05:45");
    let people = day.register_everyone();
    let replay = |key| {
        let mut state = State::with_procedure(
            day.state.package().clone(),
            std::sync::Arc::new(day.state.procedure().clone()),
            key,
        );
        for r in &day.records {
            state.apply(r).unwrap();
        }
        state
    };
    // The chair's right PIN, as someone holding a copy of the journal would try it.
    let command = Command::SetPresence {
        person: people.pengawas,
        present: false,
        chair_pin: day.chair_pin(),
    };
    let now = day.stamp();
    assert!(decide(&day.state, &command, &now).is_ok());
    let auditor = replay(None);
    assert_eq!(
        decide(&auditor, &command, &now),
        Err(Refusal::PinKeyUnavailable)
    );
    assert_eq!(
        Refusal::PinKeyUnavailable.message(Lang::Id),
        "PIN hanya dapat diperiksa oleh kios TPS itu sendiri."
    );
    let other_device = replay(Some(PinKey::of_device(&[8; 32])));
    assert!(matches!(
        decide(&other_device, &command, &now),
        Err(Refusal::WrongPin { failures: 1, .. })
    ));
}
