//! The engine's one decision: given the state, a command and the time, which records to make,
//! or why not. Pure: the caller appends the records durably, then applies them.

use super::command::{Command, OutcomeInput};
use super::pin_check::{verify_chair, verify_pin};
use super::quorum;
use super::refusal::{Field, Refusal};
use super::state::{Phase, State};
use super::validate::check_input;
use super::view;
use tps_base::bounded::{List, Text};
use tps_base::time::Stamp;
use tps_domain::event::{Incident, IncidentKind, Outcome, RecordBody};
use tps_domain::input::{InputKind, StepInput};
use tps_domain::people::{PersonId, Role};
use tps_domain::pin::{Pin, PinHash};
use tps_domain::spec::StepSpec;

/// Decides `command` at `now`. On refusal, [`Refusal::journal_entry`] says whether the refusal
/// itself is recorded (wrong PINs, clock anomalies).
pub fn decide(state: &State, command: &Command, now: &Stamp) -> Result<Vec<RecordBody>, Refusal> {
    match command {
        Command::ReportIncident {
            text,
            raised_by,
            witnesses,
            chair_pin,
        } => report_incident(state, text, *raised_by, witnesses, chair_pin, now),
        Command::Object {
            person,
            pin,
            reason,
        } => object(state, *person, pin, reason, now),
        // Setting the clock is how an untrusted clock is put right: not behind the clock gate.
        Command::SetClock(set) => super::clock::set_clock(state, set, now),
        _ => {
            clock_gate(state, now)?;
            decide_on_trusted_clock(state, command, now)
        }
    }
}

fn decide_on_trusted_clock(
    state: &State,
    command: &Command,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    match command {
        Command::Register {
            role,
            name,
            letter,
            id_number,
            pin,
            salt,
            chair_pin,
        } => register(
            state,
            *role,
            [name, letter, id_number],
            pin,
            *salt,
            chair_pin.as_ref(),
            now,
        ),
        Command::SetPresence {
            person,
            present,
            chair_pin,
        } => {
            let chair = verify_chair(state, chair_pin, now)?;
            let p = state
                .person(*person)
                .ok_or(Refusal::UnknownPerson { person: *person })?;
            if *present && let Role::Saksi(part) = p.role {
                check_saksi_inside(state, part, Some(p.id))?;
            }
            Ok(vec![RecordBody::PresenceChanged {
                person: *person,
                present: *present,
                by: chair,
            }])
        }
        Command::Propose { step, input } => {
            let (index, spec) = step_spec(state, step)?;
            check_proposal(state, index, spec, input, now)?;
            Ok(vec![RecordBody::StepProposed {
                step: step_id(spec),
                input: Box::new(input.clone()),
                corrects: None,
                reason: None,
            }])
        }
        Command::Correct {
            step,
            input,
            reason,
        } => {
            let (index, spec) = step_spec(state, step)?;
            let corrects = Some(view::correction_of(state, index)?.proposal);
            let reason = text::<280>(reason, Field::Reason, true)?;
            check_input(state, spec, input)?;
            Ok(vec![RecordBody::StepProposed {
                step: step_id(spec),
                input: Box::new(input.clone()),
                corrects,
                reason: Some(reason),
            }])
        }
        Command::Confirm { person, pin } => {
            let open = view::confirmable(state, *person)?;
            verify_pin(state, *person, pin, now)?;
            Ok(vec![RecordBody::Confirmed {
                person: *person,
                proposal: open.seq,
            }])
        }
        Command::Complete {
            chair_pin,
            proceed_without_quorum,
        } => {
            let chair = verify_chair(state, chair_pin, now)?;
            completion(state, chair, *proceed_without_quorum, now)
        }
        Command::RecordDeclined {
            person,
            reason,
            confirmers,
            chair_pin,
        } => record_declined(state, *person, reason, confirmers, chair_pin, now),
        Command::ResolveObjection {
            objection,
            outcome,
            confirmers,
            chair_pin,
        } => resolve_objection(state, *objection, outcome, confirmers, chair_pin, now),
        Command::ConfirmNihil { chair_pin } => {
            view::preview_nihil(state)?;
            let chair = verify_chair(state, chair_pin, now)?;
            Ok(vec![RecordBody::NihilConfirmed { chair }])
        }
        Command::AnnounceDpk { chair_pin } => {
            view::preview_dpk_announcement(state, now)?;
            let chair = verify_chair(state, chair_pin, now)?;
            Ok(vec![RecordBody::DpkAnnounced { chair }])
        }
        Command::AnnounceBreak { minutes, chair_pin } => {
            view::preview_break(state, *minutes)?;
            let chair = verify_chair(state, chair_pin, now)?;
            Ok(vec![RecordBody::BreakAnnounced {
                chair,
                minutes: *minutes,
            }])
        }
        Command::EndVoting { chair_pin } => {
            view::preview_end_voting(state)?;
            let chair = verify_chair(state, chair_pin, now)?;
            Ok(vec![RecordBody::VotingEnded { chair }])
        }
        // Handled before the clock gate.
        Command::ReportIncident { .. } | Command::Object { .. } | Command::SetClock(_) => {
            Ok(Vec::new())
        }
    }
}

/// Refuses anything decided on a clock the kiosk cannot trust.
fn clock_gate(state: &State, now: &Stamp) -> Result<(), Refusal> {
    let behind = state.last_trusted_ms.is_some_and(|t| now.wall_ms < t);
    if now.clock.is_trusted() && !behind {
        return Ok(());
    }
    let status = if now.clock.is_trusted() {
        tps_base::time::ClockStatus::BehindJournal
    } else {
        now.clock
    };
    Err(Refusal::ClockUntrusted {
        status,
        rtc_ms: now.wall_ms,
        journal_ms: state.last_trusted_ms,
        record_anomaly: !state.clock_anomaly,
    })
}

fn step_spec<'a>(state: &'a State, id: &str) -> Result<(usize, &'a StepSpec), Refusal> {
    state
        .procedure()
        .step(id)
        .ok_or_else(|| Refusal::UnknownStep { id: id.to_string() })
}

fn step_id(spec: &StepSpec) -> Text<24> {
    // Step ids are checked to fit when the procedure loads.
    Text::truncated(&spec.id)
}

/// Trims and bounds a text a person typed.
fn text<const N: usize>(s: &str, field: Field, required: bool) -> Result<Text<N>, Refusal> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(Refusal::MissingText { field });
    }
    Text::new(t).map_err(|_| Refusal::TextTooLong { field, max: N })
}

/// A one-line field (a name, a letter or card number), as [`text`], which also refuses control
/// characters: a line break or escape typed into a name would forge lines on the reports.
fn line<const N: usize>(s: &str, field: Field, required: bool) -> Result<Text<N>, Refusal> {
    if s.chars().any(char::is_control) {
        return Err(Refusal::ControlCharacter { field });
    }
    text(s, field, required)
}

/// Whether step `index` may be proposed with `input` now (everything but PINs and quorum).
pub fn check_proposal(
    state: &State,
    index: usize,
    spec: &StepSpec,
    input: &StepInput,
    now: &Stamp,
) -> Result<(), Refusal> {
    if state.phase() == Phase::Finished {
        return Err(Refusal::DayFinished);
    }
    if let Some(open) = &state.proposal
        && (open.step != index || open.corrects.is_some())
    {
        return Err(Refusal::ProposalOpen {
            step: state.step_title(open.step),
        });
    }
    let current = state.current_step();
    if index < current {
        return Err(Refusal::AlreadyDone {
            step: spec.title.clone(),
        });
    }
    if index > current {
        return Err(Refusal::OutOfOrder {
            expected: state.step_title(current),
            requested: spec.title.clone(),
        });
    }
    if state.phase() == Phase::Queue {
        return Err(Refusal::VotingNotEnded {
            queued: queued(state),
        });
    }
    time_window(state, spec, now)?;
    check_input(state, spec, input)
}

fn queued(state: &State) -> u16 {
    state
        .completed
        .iter()
        .find_map(|c| match c.input {
            StepInput::PollsClose { queued } => Some(queued),
            _ => None,
        })
        .unwrap_or(0)
}

/// The step's not-before and not-after times.
fn time_window(state: &State, spec: &StepSpec, now: &Stamp) -> Result<(), Refusal> {
    let schedule = state.procedure().schedule;
    let zone = state.package().zone;
    if let Some(from) = spec.not_before.map(|r| schedule.time(r))
        && now.wall_ms < state.instant(from)
    {
        return Err(Refusal::TooEarly {
            what: spec.title.clone(),
            from,
            zone,
        });
    }
    if let Some(until) = spec.not_after.map(|r| schedule.time(r))
        && now.wall_ms >= state.instant(until)
    {
        return Err(Refusal::TooLate {
            what: spec.title.clone(),
            until,
            zone,
        });
    }
    Ok(())
}

/// Everything completing the open proposal needs except the chair's PIN: the screen asks this to
/// enable "Lanjut" and to say why not.
pub fn preview_completion(
    state: &State,
    proceed_without_quorum: bool,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    clock_gate(state, now)?;
    let chair = state.chair().map(|c| c.id).ok_or(Refusal::ChairFirst)?;
    completion(state, chair, proceed_without_quorum, now)
}

fn completion(
    state: &State,
    chair: PersonId,
    proceed: bool,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    let open = state.proposal.as_ref().ok_or(Refusal::NoOpenProposal)?;
    let spec = state
        .procedure()
        .steps
        .get(open.step)
        .ok_or(Refusal::NoOpenProposal)?;
    let zone = state.package().zone;
    let correction = open.corrects.is_some();
    if !correction {
        time_window(state, spec, now)?;
        if spec.requires_dpk_announcement && state.dpk_announced_ms.is_none() {
            return Err(Refusal::DpkNotAnnounced);
        }
    }
    let lack = quorum::shortfall(state, &spec.quorum, open);
    let names = |ids: &mut dyn Iterator<Item = PersonId>| -> Vec<String> {
        ids.filter_map(|id| state.person(id))
            .map(|p| p.name.to_string())
            .collect()
    };
    let mut waived = None;
    if !lack.is_empty() {
        let wait_end = state.witness_wait_ends();
        let wait_over = spec.witness_wait && now.wall_ms >= state.instant(wait_end);
        // The 30-minute rule (seed 004 line 47) is about those not there: a witness present
        // always responds (confirms, objects, or is recorded as declining), and a correction
        // needs only the witnesses present, so it has nothing to waive.
        let waivable = wait_over && lack.pending.is_empty();
        if waivable && proceed {
            waived = Some(Box::new(lack.missing));
        } else {
            let pending = lack.pending.is_empty();
            return Err(Refusal::MissingWitnesses {
                pending: names(&mut lack.pending.iter().copied()),
                pengawas: lack.missing.pengawas,
                saksi_participants: lack.missing.saksi_participants,
                witnesses: lack.missing.witnesses,
                absent: names(&mut lack.missing.absent.iter().map(|a| a.person)),
                wait_until: (pending && spec.witness_wait && !wait_over)
                    .then_some((wait_end, zone)),
                may_proceed: waivable,
            });
        }
    }

    // Every keberatan has its outcome before the close-out is signed and before the boxes leave
    // (seed 004 lines 54-58); during the count it never stops the counting (line 59).
    let closing = !correction
        && (spec.input == InputKind::Reconciliation
            || open.step + 1 == state.procedure().steps.len());
    if closing {
        view::preview_close_out(state)?;
    }

    let step = step_id(spec);
    let witnesses = List::from_slice(&open.confirmations[..open.confirmations.len().min(16)])
        .unwrap_or_default();
    let mut records = vec![RecordBody::StepCompleted {
        step: step.clone(),
        proposal: open.seq,
        chair,
    }];
    if let Some(e) = open.input.exception() {
        records.push(RecordBody::Incident(Incident {
            kind: IncidentKind::StepException { step: step.clone() },
            text: e.action.clone(),
            raised_by: Some(chair),
            witnesses: witnesses.clone(),
            refers_to: Some(open.seq),
        }));
    }
    if let Some(missing) = waived {
        records.push(RecordBody::Incident(Incident {
            kind: IncidentKind::QuorumWaived { step, missing },
            text: Text::truncated(
                "Dilanjutkan tanpa saksi yang tidak hadir setelah menunggu 30 menit sejak rapat dibuka / proceeded without the absent witnesses after waiting 30 minutes from the meeting's opening",
            ),
            raised_by: Some(chair),
            witnesses,
            refers_to: Some(open.seq),
        }));
    }
    // A day without kejadian khusus or keberatan closes on the chair's NIHIL (seed 004 line
    // 58), unless this completion itself records one.
    let incident_now = records.iter().any(|r| matches!(r, RecordBody::Incident(_)));
    if closing
        && !incident_now
        && state.incidents.is_empty()
        && state.objections.is_empty()
        && state.nihil_ms.is_none()
    {
        return Err(Refusal::NihilNotConfirmed);
    }
    Ok(records)
}

fn register(
    state: &State,
    role: Role,
    [name, letter, id_number]: [&str; 3],
    pin: &Pin,
    salt: [u8; 16],
    chair_pin: Option<&Pin>,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    view::preview_registration(state, role)?;
    let by = match state.chair() {
        None => None,
        Some(_) => Some(verify_chair(
            state,
            chair_pin.ok_or(Refusal::ChairPinRequired)?,
            now,
        )?),
    };
    let name = line::<64>(name, Field::Name, true)?;
    let letter = line::<40>(letter, Field::Letter, role.needs_letter())?;
    let id_number = line::<32>(id_number, Field::IdNumber, role.needs_id_number())?;
    // A saksi serves one participant only (seed 004 line 34): the same name with the same
    // mandate number is refused a second time, whichever participant it names.
    if matches!(role, Role::Saksi(_))
        && let Some(first) = state.people.iter().find(|p| {
            matches!(p.role, Role::Saksi(_))
                && p.name.trim().eq_ignore_ascii_case(name.trim())
                && p.letter.trim().eq_ignore_ascii_case(letter.trim())
        })
    {
        return Err(Refusal::SaksiTwice {
            name: first.name.to_string(),
            role: state.role_label(first.role),
        });
    }
    let procedure = state.procedure();
    // A second saksi of a participant registers outside while the first is inside.
    let present = match role {
        Role::Saksi(part) => check_saksi_inside(state, part, None).is_ok(),
        _ => true,
    };
    pin.check_strength(&procedure.pin)
        .map_err(Refusal::WeakPin)?;
    // The procedure's Argon2 parameters are checked when it loads, so hashing cannot fail.
    let hash = PinHash::new(pin, state.pin_key()?, salt, &procedure.pin)
        .ok_or(Refusal::WeakPin(tps_domain::pin::PinProblem::NotSixDigits))?;
    let person = PersonId(u16::try_from(state.people.len()).unwrap_or(u16::MAX));
    Ok(vec![RecordBody::PersonRegistered {
        person,
        role,
        name,
        letter,
        id_number,
        pin: hash,
        present,
        by,
    }])
}

fn check_saksi_inside(
    state: &State,
    part: tps_base::election::ParticipantId,
    except: Option<PersonId>,
) -> Result<(), Refusal> {
    let inside: Vec<_> = state
        .saksi_of(part)
        .filter(|p| p.present && Some(p.id) != except)
        .collect();
    if inside.len() >= usize::from(state.procedure().saksi.max_inside_per_participant) {
        return Err(Refusal::SaksiAlreadyInside {
            participant: state.participant_name(part),
            other: inside
                .first()
                .map(|p| p.name.to_string())
                .unwrap_or_default(),
        });
    }
    Ok(())
}

fn object(
    state: &State,
    person: PersonId,
    pin: &Pin,
    reason: &str,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    let p = state
        .person(person)
        .ok_or(Refusal::UnknownPerson { person })?;
    if !view::may_object(state, person) {
        return Err(Refusal::CannotObject {
            name: p.name.to_string(),
        });
    }
    let reason = text::<280>(reason, Field::Reason, true)?;
    verify_pin(state, person, pin, now)?;
    Ok(vec![RecordBody::Objected {
        person,
        proposal: state.proposal.as_ref().map(|p| p.seq),
        reason,
    }])
}

fn resolve_objection(
    state: &State,
    seq: u64,
    outcome: &OutcomeInput,
    confirmers: &[(PersonId, Pin)],
    chair_pin: &Pin,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    let objection = view::resolvable(state, seq)?;
    let objector = state
        .person(objection.person)
        .ok_or(Refusal::UnknownPerson {
            person: objection.person,
        })?;
    let outcome = match outcome {
        OutcomeInput::Explained { note } => Outcome::Explained {
            note: text::<280>(note, Field::Reason, true)?,
        },
        OutcomeInput::Accepted { correction } => {
            // A correction of a completed step, proposed after the objection: it keeps both
            // values and was confirmed by the chair and the saksi present.
            let corrected = state.completed.iter().any(|c| {
                !c.corrected.is_empty()
                    && (c.proposal == *correction || c.corrected[1..].contains(correction))
            });
            if !corrected || *correction < seq {
                return Err(Refusal::NotACorrection { seq: *correction });
            }
            Outcome::Accepted {
                correction: *correction,
            }
        }
        OutcomeInput::NotAccepted {
            advice,
            followed,
            why_not,
        } => Outcome::NotAccepted {
            advice: text::<280>(advice, Field::Reason, true)?,
            followed: *followed,
            why_not: if *followed {
                None
            } else {
                Some(text::<280>(why_not, Field::Reason, true)?)
            },
        },
    };
    let chair = verify_chair(state, chair_pin, now)?;
    let mut list = List::<PersonId, 16>::new();
    for (w, pin) in confirmers {
        let p = state
            .person(*w)
            .ok_or(Refusal::UnknownPerson { person: *w })?;
        if !p.present {
            return Err(Refusal::PersonAbsent {
                name: p.name.to_string(),
            });
        }
        verify_pin(state, *w, pin, now)?;
        if !list.contains(w) && list.push(*w).is_err() {
            break;
        }
    }
    let objector_confirms = list.contains(&objector.id);
    match &outcome {
        Outcome::Explained { .. } => {
            if !objector_confirms {
                return Err(Refusal::ObjectorMustConfirm {
                    name: objector.name.to_string(),
                });
            }
        }
        Outcome::Accepted { .. } => {}
        Outcome::NotAccepted { .. } => {
            let pengawas = state
                .people
                .iter()
                .any(|p| p.role == Role::PengawasTps && list.contains(&p.id));
            if !pengawas {
                return Err(Refusal::AdviceNeedsPengawas);
            }
            // The objection stays on the form, signed by the saksi (if inside) and the chair.
            if objector.present && !objector_confirms {
                return Err(Refusal::ObjectorMustConfirm {
                    name: objector.name.to_string(),
                });
            }
        }
    }
    Ok(vec![RecordBody::ObjectionResolved {
        objection: seq,
        outcome: Box::new(outcome),
        chair,
        witnesses: list,
    }])
}

fn record_declined(
    state: &State,
    person: PersonId,
    reason: &str,
    confirmers: &[(PersonId, Pin)],
    chair_pin: &Pin,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    let (open, spec) = view::declinable(state, person)?;
    let reason = text::<280>(reason, Field::Reason, true)?;
    let chair = verify_chair(state, chair_pin, now)?;
    let mut list = List::<PersonId, 16>::new();
    for (w, pin) in confirmers {
        let p = state
            .person(*w)
            .ok_or(Refusal::UnknownPerson { person: *w })?;
        if *w == person || !p.present || !quorum::must_respond(p.role) {
            return Err(Refusal::NotAWitness {
                name: p.name.to_string(),
            });
        }
        verify_pin(state, *w, pin, now)?;
        if !list.contains(w) && list.push(*w).is_err() {
            break;
        }
    }
    match view::decline_confirmed_by(state, person) {
        view::DeclineConfirmer::Pengawas(pengawas) => {
            if !list.contains(&pengawas) {
                return Err(Refusal::DeclineNeedsPengawas);
            }
        }
        view::DeclineConfirmer::TwoWitnesses => {
            if list.len() < 2 {
                return Err(Refusal::DeclineNeedsTwoWitnesses);
            }
        }
    }
    Ok(vec![RecordBody::Incident(Incident {
        kind: IncidentKind::Declined {
            step: step_id(spec),
            person,
        },
        text: reason,
        raised_by: Some(chair),
        witnesses: list,
        refers_to: Some(open.seq),
    })])
}

fn report_incident(
    state: &State,
    text_in: &str,
    raised_by: Option<PersonId>,
    witnesses: &[(PersonId, Pin)],
    chair_pin: &Pin,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    let text = text::<280>(text_in, Field::IncidentText, true)?;
    if let Some(r) = raised_by
        && state.person(r).is_none()
    {
        return Err(Refusal::UnknownPerson { person: r });
    }
    let chair = verify_chair(state, chair_pin, now)?;
    let mut list = List::<PersonId, 16>::new();
    for (w, pin) in witnesses {
        verify_pin(state, *w, pin, now)?;
        if !list.contains(w) && list.push(*w).is_err() {
            break;
        }
    }
    Ok(vec![RecordBody::Incident(Incident {
        kind: IncidentKind::Reported,
        text,
        raised_by: raised_by.or(Some(chair)),
        witnesses: list,
        refers_to: None,
    })])
}
