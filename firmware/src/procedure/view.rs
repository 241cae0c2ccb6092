//! What a screen may ask the engine before it sends a command: whether an action would be
//! accepted apart from the PIN, and who may take part. Pure, like the rest of the engine; the
//! screen uses these to enable buttons and to say why not, and `decide` still has the last word.

use super::decide::MAX_PEOPLE;
use super::people::{PersonId, Role};
use super::refusal::Refusal;
use super::spec::RoleKind;
use super::state::{Phase, State};
use super::text::Bilingual;
use crate::time::Stamp;

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

/// Whether a person of `role` may be registered now (everything but the name, letter and PINs).
pub fn preview_registration(state: &State, role: Role) -> Result<(), Refusal> {
    if !role.is_chair() {
        preview_any_registration(state)?;
    } else if state.people.len() >= MAX_PEOPLE {
        return Err(Refusal::TooManyPeople);
    }
    let procedure = state.procedure();
    let label = || Bilingual::new(role.label_id(), role.label_en());
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
        Role::Pemantau | Role::Pewarta => {}
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

/// People who may confirm the open proposal now: present and not yet confirmed.
pub fn may_confirm(state: &State) -> Vec<PersonId> {
    let Some(open) = &state.proposal else {
        return Vec::new();
    };
    state
        .people
        .iter()
        .filter(|p| p.present && !open.confirmations.contains(&p.id))
        .map(|p| p.id)
        .collect()
}
