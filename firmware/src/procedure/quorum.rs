//! Who must confirm a step, who has, and what is still missing.

use std::collections::BTreeSet;

use super::people::{PersonId, Role};
use super::spec::Quorum;
use super::state::State;
use crate::bounded::List;
use crate::event::Missing;
use crate::text::Bilingual;

/// Whether a role counts as a witness (not a KPPS member or security staff).
pub fn is_witness(role: Role) -> bool {
    matches!(
        role,
        Role::Saksi(_) | Role::PengawasTps | Role::Pemantau | Role::Pewarta
    )
}

/// What `quorum` still lacks given these confirmations (the chair confirms on completion and is
/// never missing).
pub fn missing(state: &State, quorum: &Quorum, confirmations: &[PersonId]) -> Missing {
    let confirmed = |p: &&super::state::Person| confirmations.contains(&p.id);
    let mut out = Missing::default();
    if quorum.all_oath_takers {
        let mut lacking = List::new();
        for p in state
            .people
            .iter()
            .filter(|p| p.role.takes_oath() && !p.role.is_chair() && p.present)
            .filter(|p| !confirmed(p))
        {
            // More than 16 absentees cannot happen with 7 KPPS and 2 security staff.
            let _ = lacking.push(p.id);
        }
        out.oath_takers = lacking;
    }
    if quorum.pengawas {
        out.pengawas = !state
            .people
            .iter()
            .filter(confirmed)
            .any(|p| p.role == Role::PengawasTps);
    }
    if quorum.saksi_participants > 0 {
        let registered: BTreeSet<_> = state
            .people
            .iter()
            .filter_map(|p| match p.role {
                Role::Saksi(part) => Some(part),
                _ => None,
            })
            .collect();
        let confirming: BTreeSet<_> = state
            .people
            .iter()
            .filter(confirmed)
            .filter_map(|p| match p.role {
                Role::Saksi(part) => Some(part),
                _ => None,
            })
            .collect();
        let needed = usize::from(quorum.saksi_participants).min(registered.len());
        out.saksi_participants =
            u8::try_from(needed.saturating_sub(confirming.len())).unwrap_or(u8::MAX);
    }
    if quorum.witnesses > 0 {
        let have = state
            .people
            .iter()
            .filter(confirmed)
            .filter(|p| is_witness(p.role))
            .count();
        out.witnesses =
            u8::try_from(usize::from(quorum.witnesses).saturating_sub(have)).unwrap_or(0);
    }
    out
}

/// One line of the witness panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub label: Bilingual,
    pub met: bool,
    /// Who satisfies it so far.
    pub by: Vec<String>,
}

/// The witness panel for the open proposal: what the step needs and who has confirmed.
pub fn requirements(
    state: &State,
    quorum: &Quorum,
    confirmations: &[PersonId],
) -> Vec<Requirement> {
    let lack = missing(state, quorum, confirmations);
    let names = |pred: &dyn Fn(Role) -> bool| -> Vec<String> {
        confirmations
            .iter()
            .filter_map(|id| state.person(*id))
            .filter(|p| pred(p.role))
            .map(|p| p.name.to_string())
            .collect()
    };
    // The chair confirms by completing the step with their PIN, so is not listed here.
    let mut out = Vec::new();
    if quorum.all_oath_takers {
        out.push(Requirement {
            label: Bilingual::new(
                "Semua anggota KPPS dan petugas ketertiban yang hadir",
                "Every KPPS member and security staff present",
            ),
            met: lack.oath_takers.is_empty(),
            by: names(&|r| r.takes_oath()),
        });
    }
    if quorum.pengawas {
        out.push(Requirement {
            label: Bilingual::new("Pengawas TPS", "Pengawas TPS"),
            met: !lack.pengawas,
            by: names(&|r| r == Role::PengawasTps),
        });
    }
    if quorum.saksi_participants > 0 {
        out.push(Requirement {
            label: Bilingual::new(
                format!(
                    "Saksi dari {} peserta berbeda (jika terdaftar)",
                    quorum.saksi_participants
                ),
                format!(
                    "Saksi of {} different participants (if registered)",
                    quorum.saksi_participants
                ),
            ),
            met: lack.saksi_participants == 0,
            by: names(&|r| matches!(r, Role::Saksi(_))),
        });
    }
    if quorum.witnesses > 0 {
        out.push(Requirement {
            label: Bilingual::new(
                format!("Paling sedikit {} saksi/pengawas", quorum.witnesses),
                format!("At least {} witnesses", quorum.witnesses),
            ),
            met: lack.witnesses == 0,
            by: names(&is_witness),
        });
    }
    out
}
