//! Random sequences of commands at random times: whatever the chair and witnesses do, the rules
//! hold in what gets recorded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use proptest::prelude::*;
use tps_firmware::event::{IncidentKind, RecordBody};
use tps_firmware::procedure::input::{InputKind, StepInput};
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::quorum;
use tps_firmware::procedure::validate::reconcile;
use tps_firmware::procedure::{Command, State};
use tps_firmware::time::{LocalDateTime, LocalTime};

#[derive(Debug, Clone)]
enum Op {
    /// Let time pass.
    Wait(u16),
    /// Propose a step (by index) with the right entries or spoiled ones.
    Propose {
        step: usize,
        spoil: bool,
    },
    /// Someone confirms, with the right PIN or not.
    Confirm {
        person: u16,
        right_pin: bool,
    },
    Complete {
        right_pin: bool,
        proceed: bool,
    },
    AnnounceDpk,
    EndVoting,
    Presence {
        person: u16,
        present: bool,
    },
    /// Someone raises a keberatan.
    Object {
        person: u16,
    },
    /// The chair records that someone declines to respond, confirmed by `confirmers`.
    Decline {
        person: u16,
        confirmers: Vec<u16>,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u16..180).prop_map(Op::Wait),
        (0usize..12, any::<bool>()).prop_map(|(step, spoil)| Op::Propose { step, spoil }),
        (0u16..13, prop::bool::weighted(0.85))
            .prop_map(|(person, right_pin)| Op::Confirm { person, right_pin }),
        (prop::bool::weighted(0.9), any::<bool>())
            .prop_map(|(right_pin, proceed)| Op::Complete { right_pin, proceed }),
        Just(Op::AnnounceDpk),
        Just(Op::EndVoting),
        (0u16..13, any::<bool>()).prop_map(|(person, present)| Op::Presence { person, present }),
        (0u16..13).prop_map(|person| Op::Object { person }),
        (0u16..13, prop::collection::vec(0u16..13, 0..3))
            .prop_map(|(person, confirmers)| Op::Decline { person, confirmers }),
    ]
}

/// Spoils entries so they no longer add up (or drops an item).
fn spoil(input: StepInput) -> StepInput {
    match input {
        StepInput::BallotCount { mut counts, .. } => {
            counts.as_mut_slice()[0].counted += 1;
            StepInput::BallotCount {
                counts,
                exception: None,
            }
        }
        StepInput::Reconciliation(mut r) => {
            r.ballots.as_mut_slice()[0].damaged += 1;
            StepInput::Reconciliation(r)
        }
        StepInput::Checklist { mut items, .. } => {
            items.as_mut_slice()[0].present = false;
            StepInput::Checklist {
                items,
                exception: None,
            }
        }
        other => other,
    }
}

fn apply_op(day: &mut Day, op: &Op) {
    let steps = day.step_ids();
    let wrong = pin(PINS[15]);
    let command = match op {
        Op::Wait(minutes) => {
            day.advance_minutes(i64::from(*minutes));
            return;
        }
        Op::Propose { step, spoil: s } => {
            let id = &steps[step % steps.len()];
            let input = day.correct_input(id);
            Command::Propose {
                step: id.clone(),
                input: if *s { spoil(input) } else { input },
            }
        }
        Op::Confirm { person, right_pin } => {
            let person = PersonId(*person);
            Command::Confirm {
                person,
                pin: if *right_pin {
                    day.pin_of(person)
                } else {
                    wrong
                },
            }
        }
        Op::Complete { right_pin, proceed } => Command::Complete {
            chair_pin: if *right_pin { day.chair_pin() } else { wrong },
            proceed_without_quorum: *proceed,
        },
        Op::AnnounceDpk => Command::AnnounceDpk {
            chair_pin: day.chair_pin(),
        },
        Op::EndVoting => Command::EndVoting {
            chair_pin: day.chair_pin(),
        },
        Op::Presence { person, present } => Command::SetPresence {
            person: PersonId(*person),
            present: *present,
            chair_pin: day.chair_pin(),
        },
        Op::Object { person } => {
            let person = PersonId(*person);
            Command::Object {
                person,
                pin: day.pin_of(person),
                reason: "prosedur tidak sesuai".into(),
            }
        }
        Op::Decline { person, confirmers } => Command::RecordDeclined {
            person: PersonId(*person),
            reason: "tidak mau menanggapi".into(),
            confirmers: confirmers
                .iter()
                .map(|c| (PersonId(*c), day.pin_of(PersonId(*c))))
                .collect(),
            chair_pin: day.chair_pin(),
        },
    };
    // Refusals are expected; the properties are about what gets recorded.
    let _ = day.run(command);
}

/// Checks every rule over the records of a day, replaying them into a fresh state so each
/// completion is judged on the state just before it.
fn check_rules(day: &Day) -> Result<(), TestCaseError> {
    let procedure = std::sync::Arc::new(day.state.procedure().clone());
    let mut state = State::with_procedure(day.state.package().clone(), procedure, Some(pin_key()));
    let zone = day.state.package().zone;
    for (i, record) in day.records.iter().enumerate() {
        if let RecordBody::StepCompleted { proposal, .. } = &record.body {
            let open = state.proposal.clone().expect("an open proposal");
            prop_assert_eq!(open.seq, *proposal);
            let spec = state.procedure().steps[open.step].clone();
            if open.corrects.is_none() {
                // Steps only in order.
                prop_assert_eq!(open.step, state.current_step());
                // On election day's clock: 07:00 to 13:00 for opening, 13:00 on for closing.
                let at = record.stamp.wall_ms;
                let on_day = |hh, mm| state.instant(LocalTime::new(hh, mm));
                let shown = LocalDateTime::from_unix_ms(at, zone).unwrap();
                if spec.input == InputKind::PollsOpen {
                    prop_assert!(at >= on_day(7, 0), "polls opened at {}", shown);
                    prop_assert!(at < on_day(13, 0), "polls opened at {}", shown);
                }
                if spec.input == InputKind::PollsClose {
                    prop_assert!(at >= on_day(13, 0), "polls closed at {}", shown);
                }
            }
            // No step completes while someone present who must respond has neither
            // confirmed, objected nor been recorded as declining; oath takers present confirm.
            for p in state.people.iter().filter(|p| p.present) {
                let responded = open.confirmations.contains(&p.id)
                    || open.objections.iter().any(|(o, _)| *o == p.id)
                    || open.declined.contains(&p.id);
                let witness = matches!(p.role, Role::Saksi(_) | Role::PengawasTps)
                    && spec.quorum.needs_witnesses();
                let oath = spec.quorum.all_oath_takers && p.role.takes_oath() && !p.role.is_chair();
                prop_assert!(
                    !witness || responded,
                    "{} completed while {} (present) had not responded",
                    spec.id,
                    p.name
                );
                prop_assert!(
                    !oath || open.confirmations.contains(&p.id),
                    "{} completed while {} had not sworn",
                    spec.id,
                    p.name
                );
            }
            // A shortfall of absent witnesses only under the 30-minute rule, recorded.
            let lack = quorum::shortfall(&state, &spec.quorum, &open);
            prop_assert!(lack.pending.is_empty());
            if !lack.missing.is_empty() {
                let waived = day.records[i + 1..].iter().take(3).any(|r| {
                    matches!(&r.body, RecordBody::Incident(inc)
                        if matches!(&inc.kind, IncidentKind::QuorumWaived { .. }))
                });
                prop_assert!(waived, "{} completed without quorum", spec.id);
                // Only once 30 minutes have passed since the meeting opened (the oath).
                let opened = state.meeting_opened_ms().expect("the meeting opened");
                prop_assert!(record.stamp.wall_ms >= opened + 30 * 60_000);
            }
            // The close-out never passes with numbers that do not add up.
            if let StepInput::Reconciliation(r) = &open.input {
                prop_assert!(reconcile(&state, r).is_empty());
            }
        }
        state.apply(record).unwrap();
    }
    prop_assert_eq!(&state, &day.state);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn rules_hold_whatever_is_tried(ops in prop::collection::vec(op(), 1..120)) {
        let mut day = Day::pemilu();
        day.register_everyone();
        for op in &ops {
            apply_op(&mut day, op);
        }
        check_rules(&day)?;
    }

    #[test]
    fn rules_hold_on_a_day_that_mostly_goes_right(
        ops in prop::collection::vec(op(), 1..60),
        upto in 0usize..12,
    ) {
        // Start from a correct day part-way through, then do random things.
        let mut day = Day::pemilu();
        let people = day.register_everyone();
        let steps = day.step_ids();
        day.progress_to(&people, &steps[upto % steps.len()]);
        for op in &ops {
            apply_op(&mut day, op);
        }
        check_rules(&day)?;
    }
}
