//! What a screen may ask the engine before it sends a command: whether an action would be
//! accepted apart from the PIN, and who may take part. Pure, like the rest of the engine; the
//! screen uses these to enable buttons and to say why not, and `decide` still has the last word.

use super::quorum::{counts, must_respond};
use super::refusal::Refusal;
use super::state::{Completed, Objection, Phase, Proposal, State};
use tps_base::text::Bilingual;
use tps_base::time::Stamp;
use tps_domain::people::{MAX_PEOPLE, PersonId, Role};
use tps_domain::spec::{RoleKind, StepSpec};

/// Whether anyone but the chair may be registered now: the chair is registered and there is
/// room.
pub fn preview_any_registration(state: &State) -> Result<(), Refusal> {
    if state.chair().is_none() {
        return Err(Refusal::ChairFirst);
    }
    if state.people.len() >= MAX_PEOPLE {
        return Err(Refusal::TooManyPeople);
    }
    Ok(())
}

/// The KPPS places no one registered holds yet, in order: one place per duty in the procedure's
/// `kpps_duties` (seven, KPPS 1 the chair: procedure.md line 10), so `(total, missing)`.
pub fn kpps_unregistered(state: &State) -> (usize, Vec<Role>) {
    let total = state.procedure().kpps_duties.len();
    let missing = (1..=total)
        .filter_map(|n| u8::try_from(n).ok())
        .map(Role::Kpps)
        .filter(|role| !state.people.iter().any(|p| p.role == *role))
        .collect();
    (total, missing)
}

/// Whether a person of `role` may be registered now (everything but the name, letter and PINs).
pub fn preview_registration(state: &State, role: Role) -> Result<(), Refusal> {
    if !role.is_chair() {
        preview_any_registration(state)?;
    } else if state.people.len() >= MAX_PEOPLE {
        return Err(Refusal::TooManyPeople);
    }
    let procedure = state.procedure();
    let label = || role.label();
    match role {
        Role::Kpps(n) => {
            let max = u8::try_from(procedure.kpps_duties.len()).unwrap_or(u8::MAX);
            if n == 0 || n > max {
                return Err(Refusal::UnknownKppsNumber { number: n, max });
            }
            if let Some(holder) = state.people.iter().find(|p| p.role == role) {
                return Err(Refusal::RoleTaken {
                    role: label(),
                    by: holder.name.to_string(),
                });
            }
        }
        Role::PengawasTps | Role::Ketertiban => {
            let max = if role == Role::PengawasTps {
                procedure.roles.max_pengawas
            } else {
                procedure.roles.max_ketertiban
            };
            if state.people.iter().filter(|p| p.role == role).count() >= usize::from(max) {
                return Err(Refusal::RoleFull { role: label(), max });
            }
        }
        Role::Saksi(part) => {
            if state.package().participant(part).is_none() {
                return Err(Refusal::UnknownParticipant);
            }
            let max = procedure.saksi.max_per_participant;
            if state.saksi_of(part).count() >= usize::from(max) {
                return Err(Refusal::TooManySaksi {
                    participant: state.participant_name(part),
                    max,
                });
            }
        }
        Role::Pemantau | Role::Pewarta | Role::Panwaslu => {}
    }
    Ok(())
}

/// Whether the chair may announce now that DPK voters may vote (apart from the chair's PIN).
pub fn preview_dpk_announcement(state: &State, now: &Stamp) -> Result<(), Refusal> {
    if state.phase() != Phase::Voting {
        return Err(Refusal::NotDuringVoting);
    }
    if state.dpk_announced_ms.is_some() {
        return Err(Refusal::DpkAlreadyAnnounced);
    }
    let at = state.procedure().schedule.dpk_announcement;
    if now.wall_ms < state.instant(at) {
        return Err(Refusal::TooEarly {
            what: Bilingual::new("Pengumuman DPK", "The DPK announcement"),
            from: at,
            zone: state.package().zone,
        });
    }
    Ok(())
}

/// Whether the chair may declare voting over (the queue after closing has voted).
pub fn preview_end_voting(state: &State) -> Result<(), Refusal> {
    if state.phase() != Phase::Queue {
        return Err(Refusal::NotClosing);
    }
    Ok(())
}

/// Whether completed step `index` may be corrected now, apart from the new figures and the
/// reason: it is done, the procedure lets its figures be corrected, and no proposal is open
/// (a correction is confirmed like a step, so it waits for whatever is open to finish).
pub fn preview_correction(state: &State, index: usize) -> Result<(), Refusal> {
    correction_of(state, index).map(|_| ())
}

/// The completed step `index` a correction would replace the figures of, when one may be made.
pub(crate) fn correction_of(state: &State, index: usize) -> Result<&Completed, Refusal> {
    let procedure = state.procedure();
    let spec = procedure
        .steps
        .get(index)
        .ok_or_else(|| Refusal::UnknownStep {
            id: index.to_string(),
        })?;
    let Some(done) = state.completed_step(index) else {
        return Err(Refusal::NotCompleted {
            step: spec.title.clone(),
        });
    };
    if !spec.correctable {
        return Err(Refusal::NotCorrectable {
            step: spec.title.clone(),
        });
    }
    if let Some(open) = &state.proposal {
        return Err(Refusal::ProposalOpen {
            step: state.step_title(open.step),
        });
    }
    Ok(done)
}

/// Whether `person` may raise a keberatan.
pub fn may_object(state: &State, person: PersonId) -> bool {
    state.person(person).is_some_and(|p| {
        state
            .procedure()
            .roles
            .may_object
            .contains(&RoleKind::of(p.role))
    })
}

/// Whether `person` may confirm the open proposal now (apart from their PIN): there is one,
/// they are present, have not confirmed it yet, and their confirmation counts for its step.
pub fn preview_confirmation(state: &State, person: PersonId) -> Result<(), Refusal> {
    confirmable(state, person).map(|_| ())
}

/// The open proposal `person` may confirm now.
pub(crate) fn confirmable(state: &State, person: PersonId) -> Result<&Proposal, Refusal> {
    let open = state.proposal.as_ref().ok_or(Refusal::NoOpenProposal)?;
    let p = state
        .person(person)
        .ok_or(Refusal::UnknownPerson { person })?;
    if !p.present {
        return Err(Refusal::PersonAbsent {
            name: p.name.to_string(),
        });
    }
    if open.confirmations.contains(&person) {
        return Err(Refusal::AlreadyConfirmed {
            name: p.name.to_string(),
        });
    }
    let counted = state
        .procedure()
        .steps
        .get(open.step)
        .is_some_and(|spec| counts(p.role, &spec.quorum, open.corrects.is_some()));
    if !counted {
        return Err(Refusal::ConfirmationDoesNotCount {
            name: p.name.to_string(),
            role: Box::new(state.role_label(p.role)),
            step: state.step_title(open.step),
        });
    }
    Ok(open)
}

/// People who may confirm the open proposal now: present and not yet confirmed.
pub fn may_confirm(state: &State) -> Vec<PersonId> {
    state
        .people
        .iter()
        .map(|p| p.id)
        .filter(|&id| preview_confirmation(state, id).is_ok())
        .collect()
}

/// Whether the chair may record that `person` declines to respond to the open proposal (apart
/// from the reason and the PINs): they are a saksi or the Pengawas TPS, inside, and have not
/// responded.
pub fn preview_decline(state: &State, person: PersonId) -> Result<(), Refusal> {
    declinable(state, person).map(|_| ())
}

/// The open proposal `person` may be recorded as declining, and its step.
pub(crate) fn declinable(
    state: &State,
    person: PersonId,
) -> Result<(&Proposal, &StepSpec), Refusal> {
    let open = state.proposal.as_ref().ok_or(Refusal::NoOpenProposal)?;
    let spec = state
        .procedure()
        .steps
        .get(open.step)
        .ok_or(Refusal::NoOpenProposal)?;
    let p = state
        .person(person)
        .ok_or(Refusal::UnknownPerson { person })?;
    let name = || p.name.to_string();
    if !must_respond(p.role) || !spec.quorum.needs_witnesses() {
        return Err(Refusal::NotAWitness { name: name() });
    }
    if !p.present {
        return Err(Refusal::PersonAbsent { name: name() });
    }
    if open.responded(person) {
        return Err(Refusal::AlreadyResponded { name: name() });
    }
    Ok((open, spec))
}

/// Who confirms that a witness declined to respond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineConfirmer {
    /// The Pengawas TPS, inside.
    Pengawas(PersonId),
    /// Two other witnesses present (the Pengawas is the one declining, or is not inside).
    TwoWitnesses,
}

/// Who confirms that `person` declined to respond: the Pengawas TPS, unless they are the one
/// declining or are not inside. The kiosk's own choice, after the law's rule that results stand
/// without the signature of a saksi who declines.
pub fn decline_confirmed_by(state: &State, person: PersonId) -> DeclineConfirmer {
    state
        .people
        .iter()
        .find(|p| p.role == Role::PengawasTps && p.present && p.id != person)
        .map_or(DeclineConfirmer::TwoWitnesses, |p| {
            DeclineConfirmer::Pengawas(p.id)
        })
}

/// Whether the keberatan recorded as `seq` may get its outcome now (apart from the outcome and
/// the PINs): it exists and has none yet.
pub fn preview_resolution(state: &State, seq: u64) -> Result<(), Refusal> {
    resolvable(state, seq).map(|_| ())
}

pub(crate) fn resolvable(state: &State, seq: u64) -> Result<&Objection, Refusal> {
    let o = state
        .objections
        .iter()
        .find(|o| o.seq == seq)
        .ok_or(Refusal::UnknownObjection { seq })?;
    if o.outcome.is_some() {
        return Err(Refusal::ObjectionResolved { seq });
    }
    Ok(o)
}

/// The keberatan still without an outcome, oldest first.
pub fn unresolved_objections(state: &State) -> Vec<&Objection> {
    state
        .objections
        .iter()
        .filter(|o| o.outcome.is_none())
        .collect()
}

/// Whether the day may close out as far as keberatan go: every one has its outcome (seed 004
/// lines 54-58: the KPPS explains, corrects, or records it with the Pengawas TPS's advice).
pub fn preview_close_out(state: &State) -> Result<(), Refusal> {
    let open = unresolved_objections(state);
    if open.is_empty() {
        return Ok(());
    }
    Err(Refusal::ObjectionsUnresolved {
        objections: open
            .iter()
            .map(|o| {
                let who = state
                    .person(o.person)
                    .map(|p| p.name.to_string())
                    .unwrap_or_default();
                format!("{who}: {}", o.reason)
            })
            .collect(),
    })
}

/// The longest break the kiosk records in one announcement: the kiosk's own choice (no source
/// bounds a break; procedure.md 9 only says breaks are announced). A longer pause is announced
/// again.
pub const MAX_BREAK_MINUTES: u16 = 120;

/// The break the touchscreen announces with one button: the kiosk's own choice (long enough for
/// a meal, short enough that the witnesses wait for it); another length is announced again.
pub const DEFAULT_BREAK_MINUTES: u16 = 30;

/// Whether the chair may announce a break of `minutes` now (apart from the PIN): during the
/// count only, at least a minute and at most [`MAX_BREAK_MINUTES`].
pub fn preview_break(state: &State, minutes: u16) -> Result<(), Refusal> {
    if state.phase() != Phase::Counting {
        return Err(Refusal::NotCounting);
    }
    if !(1..=MAX_BREAK_MINUTES).contains(&minutes) {
        return Err(Refusal::BreakLength {
            max: MAX_BREAK_MINUTES,
        });
    }
    Ok(())
}

/// Whether the chair may confirm NIHIL now (apart from the PIN): voting is over, nothing was
/// recorded as kejadian khusus or keberatan, and NIHIL is not confirmed yet.
pub fn preview_nihil(state: &State) -> Result<(), Refusal> {
    if !matches!(state.phase(), Phase::CloseOut | Phase::Counting) {
        return Err(Refusal::NotClosing);
    }
    if !state.incidents.is_empty() || !state.objections.is_empty() || state.nihil_ms.is_some() {
        return Err(Refusal::NotNihil {
            incidents: state.incidents.len(),
            objections: state.objections.len(),
        });
    }
    Ok(())
}

/// The open proposal, if it is a correction (of whichever step).
pub fn open_correction(state: &State) -> Option<&Proposal> {
    state.proposal.as_ref().filter(|p| p.corrects.is_some())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::command::Command;
    use crate::decide::decide;
    use tps_base::time::{ClockStatus, LocalTime, Stamp, instant_at};
    use tps_domain::event::RecordBody;
    use tps_domain::input::{ItemCount, StepInput};
    use tps_domain::package::ElectionPackage;
    use tps_domain::record::Record;
    use tps_journal::identity::package::SignedPackage;

    const PACKAGE: &str = include_str!("../../../keys/examples/election-pemilu-2024-jabar.toml");

    struct Day {
        state: State,
        seq: u64,
    }

    impl Day {
        fn new() -> Day {
            let package = ElectionPackage::from_toml(PACKAGE).unwrap();
            Day {
                state: State::new(package, tps_domain::pin::PinKey::of_device(&[3; 32])).unwrap(),
                seq: 0,
            }
        }

        fn apply(&mut self, body: RecordBody) -> u64 {
            let seq = self.seq;
            self.seq += 1;
            let stamp = self.now();
            self.state
                .apply(&Record {
                    seq,
                    prev: [0; 32],
                    stamp,
                    body,
                })
                .unwrap();
            seq
        }

        fn now(&self) -> Stamp {
            let p = self.state.package();
            Stamp {
                wall_ms: instant_at(p.date, LocalTime::new(9, 0), p.zone).unwrap(),
                mono_ms: self.seq,
                clock: ClockStatus::Trusted,
            }
        }

        fn propose(&mut self, step: &str, input: StepInput) -> u64 {
            self.apply(RecordBody::StepProposed {
                step: tps_base::bounded::Text::truncated(step),
                input: Box::new(input),
                corrects: None,
                reason: None,
            })
        }

        fn complete(&mut self, step: &str, input: StepInput) {
            let proposal = self.propose(step, input);
            self.apply(RecordBody::StepCompleted {
                step: tps_base::bounded::Text::truncated(step),
                proposal,
                chair: PersonId(0),
            });
        }

        /// What `decide` says about correcting `step` with figures that are themselves fine.
        fn decide_correction(&self, step: &str, input: StepInput) -> Result<(), Refusal> {
            let command = Command::Correct {
                step: step.into(),
                input,
                reason: "salah hitung".into(),
            };
            decide(&self.state, &command, &self.now()).map(|_| ())
        }
    }

    fn inventory(day: &Day) -> StepInput {
        let state = &day.state;
        let types = state.package().ballot_types();
        let items = state
            .procedure()
            .equipment_for(tps_domain::spec::Stage::Box, &types)
            .map(|e| ItemCount {
                item: tps_base::bounded::Text::truncated(&e.id),
                count: e.expected(types.len()),
            })
            .collect::<Vec<_>>();
        StepInput::BoxInventory {
            items: items.try_into().unwrap(),
            exception: None,
        }
    }

    #[test]
    fn a_correction_is_previewed_as_decide_judges_it() {
        let mut day = Day::new();
        let (box_index, _) = day.state.procedure().step("buka-kotak").unwrap();
        let input = inventory(&day);

        // Not done yet.
        let early = preview_correction(&day.state, box_index);
        assert!(
            matches!(early, Err(Refusal::NotCompleted { .. })),
            "{early:?}"
        );
        assert_eq!(early, day.decide_correction("buka-kotak", input.clone()));

        // Done, but its figures are not correctable (the preparation checklist).
        day.complete(
            "persiapan",
            StepInput::Checklist {
                items: Default::default(),
                exception: None,
            },
        );
        let checklist = preview_correction(&day.state, 0);
        assert!(matches!(checklist, Err(Refusal::NotCorrectable { .. })));

        // Done and correctable: allowed, as decide agrees.
        day.complete("buka-kotak", input.clone());
        assert_eq!(preview_correction(&day.state, box_index), Ok(()));
        assert_eq!(day.decide_correction("buka-kotak", input.clone()), Ok(()));

        // Something else open: it is finished first.
        day.propose(
            "kotak-kosong",
            StepInput::EmptyBox {
                locks: Default::default(),
            },
        );
        let open = preview_correction(&day.state, box_index);
        assert!(
            matches!(open, Err(Refusal::ProposalOpen { .. })),
            "{open:?}"
        );
        assert_eq!(open, day.decide_correction("buka-kotak", input));

        // A step the procedure does not have.
        assert!(matches!(
            preview_correction(&day.state, 99),
            Err(Refusal::UnknownStep { .. })
        ));
    }
}
