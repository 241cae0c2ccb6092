//! Who must confirm a step, who has, and what is still missing.

use std::collections::BTreeSet;

use super::state::{Person, Proposal, State};
use tps_base::text::Bilingual;
use tps_domain::event::{Absent, Missing};
use tps_domain::people::{PersonId, Role};
use tps_domain::spec::Quorum;

/// Whether a role counts as a witness (not a KPPS member or security staff).
pub fn is_witness(role: Role) -> bool {
    matches!(
        role,
        Role::Saksi(_) | Role::PengawasTps | Role::Pemantau | Role::Pewarta | Role::Panwaslu
    )
}

/// Whether a person of `role` who is present must respond to every step that needs witnesses:
/// the saksi and the Pengawas TPS witness the steps (seed 004 lines 27 and 69) and sign or
/// initial the forms (seed 004 lines 56 and 58). Pemantau, pewarta and Panwaslu observe; their
/// confirmations count towards a step's minimum but they are never waited for.
pub fn must_respond(role: Role) -> bool {
    matches!(role, Role::Saksi(_) | Role::PengawasTps)
}

/// Whether a confirmation by someone of `role` counts towards `quorum` (for a correction, which
/// needs those present rather than the step's minimum, only the confirmations waited for). The
/// chair confirms by completing the step, so never here.
pub fn counts(role: Role, quorum: &Quorum, correction: bool) -> bool {
    (quorum.all_oath_takers && role.takes_oath() && !role.is_chair())
        || (quorum.needs_witnesses() && must_respond(role))
        || (!correction && quorum.witnesses > 0 && is_witness(role))
}

/// What keeps the open proposal from completing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shortfall {
    /// People present who must respond and have not (never waived).
    pub pending: Vec<PersonId>,
    /// What the step's minimum still lacks, counting those who responded; with nobody pending
    /// only absent witnesses cause it, and only it may be waived under the 30-minute rule.
    pub missing: Missing,
}

impl Shortfall {
    /// Whether nothing keeps the proposal from completing.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.missing.is_empty()
    }
}

/// What `open` still lacks under `quorum` (the chair confirms on completion and is never
/// missing). A correction needs the witnesses present, not the step's minimum (seed 004 line
/// 56: "Ketua KPPS dan Saksi yang hadir membubuhkan paraf").
pub fn shortfall(state: &State, quorum: &Quorum, open: &Proposal) -> Shortfall {
    let present = |p: &&Person| p.present;
    let mut out = Shortfall::default();
    if quorum.all_oath_takers {
        // Oath takers confirm; they have no keberatan to raise on their own oath.
        out.pending.extend(
            state
                .people
                .iter()
                .filter(present)
                .filter(|p| p.role.takes_oath() && !p.role.is_chair())
                .filter(|p| !open.confirmations.contains(&p.id))
                .map(|p| p.id),
        );
    }
    if quorum.needs_witnesses() {
        out.pending.extend(
            state
                .people
                .iter()
                .filter(present)
                .filter(|p| must_respond(p.role) && !open.responded(p.id))
                .map(|p| p.id),
        );
    }
    if open.corrects.is_none() {
        out.missing = minimum(state, quorum, open);
    }
    out
}

/// The step's minimum numbers, counting everyone who responded, and the absent witnesses who
/// could have made it up.
fn minimum(state: &State, quorum: &Quorum, open: &Proposal) -> Missing {
    let responded = |p: &&Person| open.responded(p.id);
    let mut out = Missing::default();
    let mut absent = Vec::new();
    if quorum.pengawas {
        out.pengawas = !state
            .people
            .iter()
            .filter(responded)
            .any(|p| p.role == Role::PengawasTps);
        if out.pengawas {
            absent.extend(
                state
                    .people
                    .iter()
                    .filter(|p| p.role == Role::PengawasTps && !p.present),
            );
        }
    }
    let participant = |p: &Person| match p.role {
        Role::Saksi(part) => Some(part),
        _ => None,
    };
    if quorum.saksi_participants > 0 {
        let registered: BTreeSet<_> = state.people.iter().filter_map(participant).collect();
        let responding: BTreeSet<_> = state
            .people
            .iter()
            .filter(responded)
            .filter_map(participant)
            .collect();
        let needed = usize::from(quorum.saksi_participants).min(registered.len());
        out.saksi_participants =
            u8::try_from(needed.saturating_sub(responding.len())).unwrap_or(u8::MAX);
        if out.saksi_participants > 0 {
            absent.extend(state.people.iter().filter(|p| {
                !p.present && participant(p).is_some_and(|part| !responding.contains(&part))
            }));
        }
    }
    if quorum.witnesses > 0 {
        let have = state
            .people
            .iter()
            .filter(responded)
            .filter(|p| is_witness(p.role))
            .count();
        out.witnesses =
            u8::try_from(usize::from(quorum.witnesses).saturating_sub(have)).unwrap_or(0);
        if out.witnesses > 0 {
            absent.extend(
                state
                    .people
                    .iter()
                    .filter(|p| must_respond(p.role) && !p.present),
            );
        }
    }
    for p in absent {
        let entry = Absent {
            person: p.id,
            left_ms: p.left_ms,
        };
        // At most 16 named; the numbers above still say how many were lacking.
        if !out.absent.iter().any(|a| a.person == p.id) && out.absent.push(entry).is_err() {
            break;
        }
    }
    out
}

/// One line of the witness panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// What the line asks for.
    pub label: Bilingual,
    /// Whether it is met.
    pub met: bool,
    /// Who satisfies it so far.
    pub by: Vec<String>,
}

/// The witness panel for the open proposal (none yet: nobody has responded): what the step
/// needs and who has responded.
pub fn requirements(state: &State, quorum: &Quorum, open: Option<&Proposal>) -> Vec<Requirement> {
    let empty = Proposal::empty();
    let open = open.unwrap_or(&empty);
    let lack = shortfall(state, quorum, open);
    let responders = |pred: &dyn Fn(Role) -> bool| -> Vec<String> {
        state
            .people
            .iter()
            .filter(|p| pred(p.role) && open.responded(p.id))
            .map(|p| p.name.to_string())
            .collect()
    };
    let pending = |pred: &dyn Fn(Role) -> bool| {
        lack.pending
            .iter()
            .filter_map(|id| state.person(*id))
            .any(|p| pred(p.role))
    };
    // The chair confirms by completing the step with their PIN, so is not listed here.
    let mut out = Vec::new();
    if quorum.all_oath_takers {
        out.push(Requirement {
            label: Bilingual::new(
                "Semua anggota KPPS dan petugas ketertiban yang hadir",
                "Every KPPS member and security staff present",
            ),
            met: !pending(&|r| r.takes_oath()),
            by: responders(&|r| r.takes_oath()),
        });
    }
    if quorum.needs_witnesses() {
        out.push(Requirement {
            label: Bilingual::new(
                "Setiap saksi dan Pengawas TPS yang hadir: konfirmasi PIN atau keberatan",
                "Every saksi and the Pengawas TPS present: PIN confirmation or objection",
            ),
            met: !pending(&must_respond),
            by: responders(&must_respond),
        });
    }
    if open.corrects.is_some() {
        return out;
    }
    if quorum.pengawas {
        out.push(Requirement {
            label: Bilingual::new("Pengawas TPS", "Pengawas TPS"),
            met: !lack.missing.pengawas,
            by: responders(&|r| r == Role::PengawasTps),
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
            met: lack.missing.saksi_participants == 0,
            by: responders(&|r| matches!(r, Role::Saksi(_))),
        });
    }
    if quorum.witnesses > 0 {
        out.push(Requirement {
            label: Bilingual::new(
                format!("Paling sedikit {} saksi/pengawas", quorum.witnesses),
                format!("At least {} witnesses", quorum.witnesses),
            ),
            met: lack.missing.witnesses == 0,
            by: responders(&is_witness),
        });
    }
    out
}
