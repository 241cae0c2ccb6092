//! For every step of both procedures, the refusals a chair can meet: out of order, too early,
//! wrong numbers, missing witness, weak PIN, locked PIN, already done. Each is checked for its
//! kind and for a message in both languages, and nothing is recorded except what must be
//! (wrong PINs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use tps_firmware::election::MaleFemale;
use tps_firmware::event::RecordBody;
use tps_firmware::procedure::Command;
use tps_firmware::procedure::input::{Exception, StepInput};
use tps_firmware::procedure::people::Role;
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::refusal::Refusal;
use tps_firmware::text::Lang;

/// Entries with a number or item that is wrong for `step`, and whether the refusal fits.
type Fits = fn(&Refusal) -> bool;

fn wrong_entries(day: &Day, step: &str) -> Option<(StepInput, Fits)> {
    Some(match day.correct_input(step) {
        StepInput::Checklist { mut items, .. } => {
            items.as_mut_slice()[0].present = false;
            (
                StepInput::Checklist {
                    items,
                    exception: None,
                },
                |r| matches!(r, Refusal::ExceptionRequired { .. }),
            )
        }
        StepInput::BoxInventory { mut items, .. } => {
            items.as_mut_slice()[0].count -= 1;
            (
                StepInput::BoxInventory {
                    items,
                    exception: None,
                },
                |r| matches!(r, Refusal::ExceptionRequired { .. }),
            )
        }
        StepInput::EmptyBox { mut locks } => {
            locks.as_mut_slice()[0].seal = "  ".try_into().unwrap();
            (StepInput::EmptyBox { locks }, |r| {
                matches!(r, Refusal::MissingSeal { .. })
            })
        }
        StepInput::SealCheck { mut seals, .. } => {
            seals.as_mut_slice()[1].intact = false;
            (
                StepInput::SealCheck {
                    seals,
                    exception: None,
                },
                |r| matches!(r, Refusal::ExceptionRequired { .. }),
            )
        }
        StepInput::BallotCount { mut counts, .. } => {
            counts.as_mut_slice()[0].counted -= 6;
            (
                StepInput::BallotCount {
                    counts,
                    exception: None,
                },
                |r| matches!(r, Refusal::ExceptionRequired { .. }),
            )
        }
        StepInput::Explanations { topics } => (
            StepInput::Explanations {
                topics: topics[1..].to_vec().try_into().unwrap(),
            },
            |r| matches!(r, Refusal::Unexplained { .. }),
        ),
        StepInput::Reconciliation(mut rec) => {
            rec.ballots.as_mut_slice()[0].unused += 1;
            (StepInput::Reconciliation(rec), |r| {
                matches!(r, Refusal::DoesNotReconcile { .. })
            })
        }
        StepInput::BoxOpen {
            ballot,
            seal,
            intact,
            ballots,
            ..
        } => (
            StepInput::BoxOpen {
                ballot,
                seal,
                intact,
                ballots: ballots - 1,
                exception: None,
            },
            |r| matches!(r, Refusal::ExceptionRequired { .. }),
        ),
        StepInput::Count { mut tally, .. } => {
            tally.valid += 1;
            (
                StepInput::Count {
                    tally,
                    exception: None,
                },
                |r| matches!(r, Refusal::CountDoesNotAddUp { .. }),
            )
        }
        StepInput::Sealing { mut seals } => {
            let first = &mut seals.as_mut_slice()[0];
            first.box_seal = first.valid.clone();
            (StepInput::Sealing { seals }, |r| {
                matches!(r, Refusal::SealTwice { .. })
            })
        }
        StepInput::Handover { .. } => (
            StepInput::Handover {
                receiver: " ".try_into().unwrap(),
            },
            |r| matches!(r, Refusal::MissingText { .. }),
        ),
        StepInput::Attendance
        | StepInput::Oath
        | StepInput::PollsOpen
        | StepInput::PollsClose { .. } => return None,
    })
}

fn assert_messages(r: &Refusal) {
    let id = r.message(Lang::Id);
    let en = r.message(Lang::En);
    assert!(!id.is_empty() && !en.is_empty());
    assert_ne!(id, en, "{r:?} must be translated");
}

fn refusal_table(toml: &str) {
    let steps = Day::new(toml).step_ids();
    for (i, step) in steps.iter().enumerate() {
        let mut day = Day::new(toml);
        let people = day.register_everyone();
        day.progress_to(&people, step);
        day.prepare_for(step);
        let spec = day.state.procedure().step(step).unwrap().1.clone();

        // Out of order: the next step cannot go first.
        if let Some(next) = steps.get(i + 1) {
            let input = day.correct_input(next);
            let r = day.refused(Command::Propose {
                step: next.clone(),
                input,
            });
            assert!(matches!(r, Refusal::OutOfOrder { .. }), "{step}: {r:?}");
            assert_messages(&r);
        }

        // Too early, for steps with a time that the day can still be before (a step whose time
        // has passed before its predecessors ran cannot be too early without the clock going
        // back, which is a clock anomaly, tested elsewhere).
        let from = spec
            .not_before
            .map(|at| day.state.instant(day.state.procedure().schedule.time(at)));
        if let Some(from) = from.filter(|&f| f - 60_000 >= day.state.last_trusted_ms.unwrap_or(0)) {
            let now = day.wall_ms;
            day.wall_ms = from - 60_000;
            let input = day.correct_input(step);
            let r = day.refused(Command::Propose {
                step: step.clone(),
                input,
            });
            assert!(matches!(r, Refusal::TooEarly { .. }), "{step}: {r:?}");
            assert_messages(&r);
            day.wall_ms = now;
        }

        // Wrong numbers, where the step takes numbers; with an exception note they pass
        // (except the close-out, which must add up).
        let records_before = day.records.len();
        if let Some((bad, fits)) = wrong_entries(&day, step) {
            let r = day.refused(Command::Propose {
                step: step.clone(),
                input: bad,
            });
            assert!(fits(&r), "{step}: {r:?}");
            assert_messages(&r);
        }
        assert_eq!(
            day.records.len(),
            records_before,
            "{step}: a refusal recorded something"
        );

        // Weak PIN for someone registering late, at this step.
        let r = day.refused(Command::Register {
            role: Role::Pemantau,
            name: "Pemantau Terlambat".into(),
            letter: "ST-9".into(),
            id_number: "3171014506900009".into(),
            pin: pin("121212"),
            salt: [9; 16],
            chair_pin: Some(day.chair_pin()),
        });
        assert!(matches!(r, Refusal::WeakPin(_)), "{step}: {r:?}");
        assert_messages(&r);

        // The right entries, then missing witnesses where the step needs any.
        let input = day.correct_input(step);
        day.propose(step, input);
        let who = day.confirmers(&people, step);
        if !who.is_empty() {
            let r = day.try_complete(false).unwrap_err();
            assert!(
                matches!(r, Refusal::MissingWitnesses { .. }),
                "{step}: {r:?}"
            );
            assert_messages(&r);
        }

        // Locked PIN: five wrong tries are recorded, then the person must wait.
        let tried = who.first().copied().unwrap_or(people.kpps[0]);
        let wrong = if day.pin_of(tried) == pin(PINS[15]) {
            pin(PINS[14])
        } else {
            pin(PINS[15])
        };
        // The chair's PIN is tried by completing when no one else confirms the step.
        let attempt = |pin: &Pin| {
            if who.is_empty() {
                Command::Complete {
                    chair_pin: pin.clone(),
                    proceed_without_quorum: false,
                }
            } else {
                Command::Confirm {
                    person: tried,
                    pin: pin.clone(),
                }
            }
        };
        for n in 1..=5u16 {
            let r = day.refused(attempt(&wrong));
            assert!(
                matches!(r, Refusal::WrongPin { failures, .. } if failures == n),
                "{step}: {r:?}"
            );
            assert!(matches!(
                day.records.last().map(|r| &r.body),
                Some(RecordBody::PinFailed { person, failures }) if *person == tried && *failures == n
            ));
        }
        let locked = day.refused(attempt(&day.pin_of(tried)));
        assert!(
            matches!(locked, Refusal::PinLocked { .. }),
            "{step}: {locked:?}"
        );
        assert_messages(&locked);
        day.advance_ms(30_000);

        // Confirm and complete; then the step is done and cannot be proposed again.
        day.confirm(&who);
        day.complete();
        let input = day.correct_input(step);
        let r = day.refused(Command::Propose {
            step: step.clone(),
            input,
        });
        let fits = matches!(r, Refusal::AlreadyDone { .. })
            || (matches!(r, Refusal::DayFinished) && i + 1 == steps.len())
            || (matches!(r, Refusal::VotingNotEnded { .. }) && step == "tutup-pemungutan");
        assert!(fits, "{step}: {r:?}");
        assert_messages(&r);
    }
}

#[test]
fn every_pemilu_step_refuses_what_it_must() {
    refusal_table(PEMILU_JABAR);
}

#[test]
fn every_pilkada_step_refuses_what_it_must() {
    refusal_table(PILKADA_PAPUA);
}

#[test]
fn a_ballot_shortage_passes_only_with_a_kejadian_khusus_under_the_steps_quorum() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "hitung-surat-suara");
    let StepInput::BallotCount { mut counts, .. } = day.counts() else {
        unreachable!()
    };
    counts.as_mut_slice()[2].counted -= 6;
    let refusal = day.refused(Command::Propose {
        step: "hitung-surat-suara".into(),
        input: StepInput::BallotCount {
            counts: counts.clone(),
            exception: None,
        },
    });
    assert_eq!(
        refusal.message(Lang::Id),
        "surat suara DPD: dihitung 296, seharusnya 302 (selisih -6). Hubungi PPS dan tuliskan tindakan yang dilakukan (kejadian khusus)."
    );
    day.propose(
        "hitung-surat-suara",
        StepInput::BallotCount {
            counts,
            exception: Some(Exception {
                action: "PPS dihubungi pukul 07.15, kekurangan 6 surat suara DPD dikirim"
                    .try_into()
                    .unwrap(),
                pps_contacted: true,
            }),
        },
    );
    // The kejadian khusus needs the same quorum as the step.
    assert!(matches!(
        day.try_complete(false),
        Err(Refusal::MissingWitnesses { .. })
    ));
    day.confirm(&people.witnesses());
    let records = day.complete();
    let incident = records
        .iter()
        .find_map(|r| match r {
            RecordBody::Incident(i) => Some(i),
            _ => None,
        })
        .expect("a kejadian khusus");
    assert!(incident.text.contains("PPS dihubungi"));
    assert_eq!(incident.witnesses.len(), 4);
}

#[test]
fn polls_may_open_after_0730_without_a_reason_or_a_kejadian_khusus() {
    // No source sets a late-opening time: the opening time is in the journal and on the
    // report, and counting the ballots sheet by sheet can take past 07:30.
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "buka-pemungutan");
    day.at("07:45");
    day.propose("buka-pemungutan", StepInput::PollsOpen);
    day.confirm(&people.witnesses());
    let records = day.complete();
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(day.state.incidents.is_empty());
    assert_eq!(day.state.phase(), tps_firmware::procedure::Phase::Voting);
}

#[test]
fn saksi_limits_and_inside_rule() {
    use tps_firmware::election::ParticipantKind;
    let mut day = Day::pemilu();
    let _people = day.register_everyone();
    let pkb = day.saksi_role(ParticipantKind::Partai, 1);
    // The second saksi of a participant registers outside: only one may be inside.
    let first = day.register(pkb, "Saksi PKB Satu");
    assert!(day.state.person(first).unwrap().present);
    let second = day.register(pkb, "Saksi PKB Dua");
    assert!(!day.state.person(second).unwrap().present);
    let chair_pin = day.chair_pin();
    let r = day.refused(Command::SetPresence {
        person: second,
        present: true,
        chair_pin,
    });
    assert!(matches!(r, Refusal::SaksiAlreadyInside { .. }));
    let r = day.refused(Command::Register {
        role: pkb,
        name: "Saksi PKB Tiga".into(),
        letter: "SM-77".into(),
        id_number: String::new(),
        pin: pin(PINS[15]),
        salt: [1; 16],
        chair_pin: Some(day.chair_pin()),
    });
    assert_eq!(
        r.message(Lang::Id),
        "1. Partai Kebangkitan Bangsa sudah punya 2 saksi (maksimum)."
    );
    // A participant that is not on this TPS's ballots cannot have a saksi.
    let r = day.refused(Command::Register {
        role: day.saksi_role(ParticipantKind::Partai, 99),
        name: "Saksi Palsu".into(),
        letter: "SM-78".into(),
        id_number: String::new(),
        pin: pin(PINS[15]),
        salt: [1; 16],
        chair_pin: Some(day.chair_pin()),
    });
    assert_eq!(r, Refusal::UnknownParticipant);
    // A saksi needs the mandate letter number.
    let r = day.refused(Command::Register {
        role: day.saksi_role(ParticipantKind::Partai, 2),
        name: "Saksi Gerindra".into(),
        letter: " ".into(),
        id_number: String::new(),
        pin: pin(PINS[15]),
        salt: [1; 16],
        chair_pin: Some(day.chair_pin()),
    });
    assert_eq!(
        r.message(Lang::En),
        "Mandate/assignment letter number is required."
    );
}

#[test]
fn the_chair_registers_first_and_kpps_roles_are_unique() {
    let mut day = Day::pemilu();
    let r = day.refused(Command::Register {
        role: Role::PengawasTps,
        name: "Pengawas".into(),
        letter: String::new(),
        id_number: String::new(),
        pin: pin(PINS[0]),
        salt: [0; 16],
        chair_pin: None,
    });
    assert_eq!(r, Refusal::ChairFirst);
    day.register(Role::Kpps(1), "Ketua");
    let r = day.refused(Command::Register {
        role: Role::Kpps(1),
        name: "Ketua Kedua".into(),
        letter: String::new(),
        id_number: String::new(),
        pin: pin(PINS[1]),
        salt: [0; 16],
        chair_pin: Some(day.chair_pin()),
    });
    assert!(matches!(r, Refusal::RoleTaken { .. }));
    let r = day.refused(Command::Register {
        role: Role::Kpps(8),
        name: "KPPS Delapan".into(),
        letter: String::new(),
        id_number: String::new(),
        pin: pin(PINS[1]),
        salt: [0; 16],
        chair_pin: Some(day.chair_pin()),
    });
    assert_eq!(r, Refusal::UnknownKppsNumber { number: 8, max: 7 });
    // Without the chair's PIN nobody else is registered.
    let r = day.refused(Command::Register {
        role: Role::Kpps(2),
        name: "Anggota".into(),
        letter: String::new(),
        id_number: String::new(),
        pin: pin(PINS[1]),
        salt: [0; 16],
        chair_pin: None,
    });
    assert_eq!(r, Refusal::ChairPinRequired);
}

#[test]
fn an_objection_is_recorded_and_never_blocks_the_step() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "cek-segel");
    day.propose("cek-segel", day.seals());
    let saksi = people.saksi[0];
    let pin_s = day.pin_of(saksi);
    day.ok(Command::Object {
        person: saksi,
        pin: pin_s,
        reason: "Segel DPR tampak pernah dibuka".into(),
    });
    // A KPPS member may not object on the kiosk.
    let member = people.kpps[3];
    let pin_m = day.pin_of(member);
    let r = day.refused(Command::Object {
        person: member,
        pin: pin_m,
        reason: "x".into(),
    });
    assert!(matches!(r, Refusal::CannotObject { .. }));
    day.confirm(&[people.pengawas, people.saksi[1], people.saksi[2]]);
    day.complete();
    assert_eq!(day.current_step_id(), "hitung-surat-suara");
    assert_eq!(day.state.objections.len(), 1);
}

#[test]
fn corrections_keep_both_values_and_need_the_quorum() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "penjelasan");
    let (index, _) = day.state.procedure().step("hitung-surat-suara").unwrap();
    let original = day.state.completed_step(index).unwrap().proposal;
    let StepInput::BallotCount { mut counts, .. } = day.counts() else {
        unreachable!()
    };
    counts.as_mut_slice()[0].counted -= 1;
    let corrected = StepInput::BallotCount {
        counts,
        exception: Some(Exception {
            action: "Satu lembar PPWP kurang, PPS diberi tahu"
                .try_into()
                .unwrap(),
            pps_contacted: false,
        }),
    };
    let r = day.refused(Command::Correct {
        step: "hitung-surat-suara".into(),
        input: corrected.clone(),
        reason: "".into(),
    });
    assert!(matches!(r, Refusal::MissingText { .. }));
    day.ok(Command::Correct {
        step: "hitung-surat-suara".into(),
        input: corrected.clone(),
        reason: "Salah hitung".into(),
    });
    assert!(matches!(
        day.try_complete(false),
        Err(Refusal::MissingWitnesses { .. })
    ));
    // Long after 07:30 a correction still cannot go ahead without its witnesses.
    day.at("10:05");
    assert!(matches!(
        day.try_complete(true),
        Err(Refusal::MissingWitnesses {
            may_proceed: false,
            wait_until: None,
            ..
        })
    ));
    day.confirm(&people.witnesses());
    day.complete();
    let done = day.state.completed_step(index).unwrap();
    assert_eq!(done.input, corrected);
    assert_eq!(done.corrected, vec![original]);
    // Both values stay in the record of the day.
    let proposals = day
        .records
        .iter()
        .filter(|r| matches!(&r.body, RecordBody::StepProposed { step, .. } if step.as_str() == "hitung-surat-suara"))
        .count();
    assert_eq!(proposals, 2);
    // The current step did not move.
    assert_eq!(day.current_step_id(), "penjelasan");
}

#[test]
fn a_clock_behind_the_journal_is_refused_and_recorded_once() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "buka-pemungutan");
    day.at("06:30");
    let input = day.correct_input("buka-pemungutan");
    let r = day.refused(Command::Propose {
        step: "buka-pemungutan".into(),
        input: input.clone(),
    });
    assert!(matches!(r, Refusal::ClockUntrusted { .. }));
    assert!(matches!(
        day.records.last().unwrap().body,
        RecordBody::ClockAnomaly { .. }
    ));
    let before = day.records.len();
    let r = day.refused(Command::Propose {
        step: "buka-pemungutan".into(),
        input,
    });
    assert_eq!(
        r.message(Lang::En),
        "The device clock is behind the last record. No step can be taken; call a technician."
    );
    assert_eq!(day.records.len(), before, "the anomaly is recorded once");
    // An incident can still be recorded on a clock that cannot be trusted.
    let chair_pin = day.chair_pin();
    day.clock = tps_firmware::time::ClockStatus::BehindJournal;
    day.ok(Command::ReportIncident {
        text: "Jam kiosk mundur, teknisi dipanggil".into(),
        raised_by: None,
        witnesses: vec![],
        chair_pin,
    });
}

#[test]
fn a_close_out_that_does_not_add_up_names_the_numbers() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "rekap");
    day.prepare_for("rekap");
    let input = day.reconciliation(
        MaleFemale {
            male: 150,
            female: 110,
        },
        MaleFemale { male: 2, female: 1 },
        MaleFemale::default(),
    );
    let r = day.refused(Command::Propose {
        step: "rekap".into(),
        input,
    });
    // Only 149 men are on this TPS's DPT.
    assert!(
        r.message(Lang::En)
            .contains("male DPT voters who came (150) exceed those registered (149)")
    );
}

#[test]
fn one_person_is_saksi_for_one_participant_only() {
    use tps_firmware::election::ParticipantKind;
    use tps_firmware::procedure::people::PersonId;
    let mut day = Day::pemilu();
    day.register_everyone();
    let pkb = day.saksi_role(ParticipantKind::Partai, 1);
    let pdip = day.saksi_role(ParticipantKind::Partai, 3);
    let register = |day: &mut Day, role, name: &str, letter: &str| Command::Register {
        role,
        name: name.into(),
        letter: letter.into(),
        id_number: String::new(),
        pin: pin(PINS[14]),
        salt: [1; 16],
        chair_pin: Some(day.chair_pin()),
    };
    let first = register(&mut day, pkb, "Ahmad Fauzi", "SM-001");
    day.ok(first);
    // The same person and mandate number for another participant, in other letter case.
    let again = register(&mut day, pdip, " ahmad fauzi ", "sm-001");
    let r = day.refused(again);
    assert_eq!(r.kind(), "saksi-twice");
    assert!(
        r.message(Lang::Id)
            .contains("satu saksi hanya untuk satu peserta")
    );
    // Someone else with their own mandate is fine.
    let other = register(&mut day, pdip, "Ahmad Fauzi", "SM-PDIP-9");
    day.ok(other);
    assert!(
        day.state
            .person(PersonId(day.state.people.len() as u16 - 1))
            .is_some()
    );
}

#[test]
fn the_panwaslu_kelurahan_desa_registers_with_a_letter_and_may_object() {
    use tps_firmware::procedure::people::Role;
    let mut day = Day::pemilu();
    day.register_everyone();
    let panwaslu = day.register(Role::Panwaslu, "Pak Panwaslu");
    assert!(!day.state.person(panwaslu).unwrap().letter.is_empty());
    let pin = day.pin_of(panwaslu);
    day.ok(Command::Object {
        person: panwaslu,
        pin,
        reason: "Tata cara memilih tidak ditempel".into(),
    });
    assert_eq!(day.state.objections.len(), 1);
    // A pemantau may not.
    let pemantau = day.register(Role::Pemantau, "Bu Pemantau");
    let pin = day.pin_of(pemantau);
    let r = day.refused(Command::Object {
        person: pemantau,
        pin,
        reason: "x".into(),
    });
    assert!(r.message(Lang::Id).contains("Panwaslu Kelurahan/Desa"));
}

#[test]
fn ballot_types_are_named_in_a_sentence_never_by_code() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "kotak-kosong");
    let StepInput::EmptyBox { locks } = day.empty_box() else {
        panic!("not an empty-box input");
    };
    let fewer = StepInput::EmptyBox {
        locks: locks.as_slice()[1..].to_vec().try_into().unwrap(),
    };
    let r = day.refused(Command::Propose {
        step: "kotak-kosong".into(),
        input: fewer,
    });
    assert_eq!(r.kind(), "ballot-types-mismatch");
    let said = r.message(Lang::Id);
    assert!(said.contains("DPRD Kabupaten/Kota"), "{said}");
    assert!(!said.contains("DPRD-KABKOTA"), "{said}");
}

#[test]
fn a_saksi_is_shown_with_the_participants_name() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    let saksi = day.state.person(people.saksi[0]).unwrap().role;
    let label = day.state.role_label(saksi);
    let tps_firmware::procedure::people::Role::Saksi(part) = saksi else {
        panic!("{saksi:?}");
    };
    let name = day.state.package().participant(part).unwrap().name.clone();
    assert!(label.id.contains(name.as_str()), "{}", label.id);
    assert!(!label.id.contains("no."), "{}", label.id);
}

/// Pemantau and pewarta hand over their letter of assignment and an identity document (seed 004
/// line 28): both numbers are recorded, and a hostile ID number is refused in both languages with
/// nothing written.
#[test]
fn monitors_and_press_register_with_their_id_number() {
    let mut day = Day::pemilu();
    day.register(Role::Kpps(1), "Ketua");
    let register = |day: &Day, role: Role, id: &str| Command::Register {
        role,
        name: "Rina Wati".into(),
        letter: "ST-07/2024".into(),
        id_number: id.into(),
        pin: pin(PINS[3]),
        salt: [3; 16],
        chair_pin: Some(day.chair_pin()),
    };
    let before = day.records.len();
    for role in [Role::Pemantau, Role::Pewarta] {
        for (id, kind, en) in [
            (
                "",
                "missing-text",
                "ID number (KTP/NIK or press card) is required.",
            ),
            (
                "   ",
                "missing-text",
                "ID number (KTP/NIK or press card) is required.",
            ),
            (
                &"9".repeat(33),
                "text-too-long",
                "ID number (KTP/NIK or press card) is too long (at most 32 characters).",
            ),
            (
                "3171014506900002\nPengawas TPS: hadir",
                "control-character",
                "ID number (KTP/NIK or press card) holds a character that is not allowed (line \
                 break, tab or control character); type it again on one line.",
            ),
            (
                "3171\u{1b}[2J",
                "control-character",
                "ID number (KTP/NIK or press card) holds a character that is not allowed (line \
                 break, tab or control character); type it again on one line.",
            ),
        ] {
            let r = day.refused(register(&day, role, id));
            assert_eq!(r.kind(), kind, "{role:?} {id:?}");
            assert_eq!(r.message(Lang::En), en);
            let id_text = r.message(Lang::Id);
            assert!(
                id_text.starts_with("Nomor identitas (NIK KTP atau kartu pers) "),
                "{id_text}"
            );
            assert_ne!(id_text, r.message(Lang::En));
        }
    }
    // A line break in a name or a letter number is refused the same way.
    let mut forged = register(&day, Role::Pemantau, "3171014506900002");
    if let Command::Register { name, .. } = &mut forged {
        *name = "Rina\r\nKetua KPPS".into();
    }
    assert_eq!(day.refused(forged).kind(), "control-character");
    assert_eq!(day.records.len(), before, "a refusal recorded something");

    // The right numbers are recorded with the person, trimmed.
    let body = day.ok(register(&day, Role::Pemantau, " 3171014506900002 "));
    let RecordBody::PersonRegistered {
        letter, id_number, ..
    } = &body[0]
    else {
        panic!("{body:?}");
    };
    assert_eq!(
        (letter.as_str(), id_number.as_str()),
        ("ST-07/2024", "3171014506900002")
    );
    let monitor = day.state.people.last().unwrap();
    assert_eq!(monitor.id_number.as_str(), "3171014506900002");
    // A KPPS member shows none and needs none.
    let kpps = day.register(Role::Kpps(2), "Anggota Dua");
    assert!(day.state.person(kpps).unwrap().id_number.is_empty());
}
