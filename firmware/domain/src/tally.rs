//! The count of one ballot type as the C.Hasil form holds it (procedure.md step 11: votes per
//! participant, valid and invalid; on a party ballot also each candidate's votes and the votes
//! for the party alone), and the arithmetic those figures must satisfy against the package and
//! the close-out. Plain data and a pure check that names every difference with its numbers; what
//! a difference means (refused, or recorded as a kejadian khusus) is the engine's.
//!
//! Sums are taken in `u64` with saturating additions: at most 64 participants of 13 `u32`
//! figures each cannot reach `u64::MAX`, so a hostile `u32::MAX` gives a difference, never a
//! wrapped sum that happens to match, and never a panic.

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};
use tps_base::bounded::List;
use tps_base::election::BallotType;
use tps_base::text::Bilingual;

use super::package::{BallotSpec, ElectionPackage, MAX_CANDIDATES, MAX_PARTICIPANTS};

/// One candidate's votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct CandidateVotes {
    /// The candidate's number in the party's list.
    pub number: u16,
    /// Ballots punched on this candidate (or on the party and this candidate).
    pub votes: u32,
}

/// One participant's votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct ParticipantVotes {
    /// The participant's number on the ballot.
    pub number: u16,
    /// The participant's valid votes; a party's include its candidates'.
    pub votes: u32,
    /// On a party ballot, the ballots punched on the party's sign alone; 0 on any other.
    pub party_only: u32,
    /// On a party ballot, each of the party's candidates' votes; empty on any other.
    pub candidates: List<CandidateVotes, MAX_CANDIDATES>,
}

/// The count of one ballot type at this TPS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Tally {
    /// The ballot type counted.
    pub ballot: BallotType,
    /// Every participant's votes, in ballot order. Boxed: a full list is about 8 KiB.
    pub participants: Box<List<ParticipantVotes, MAX_PARTICIPANTS>>,
    /// Valid votes (suara sah).
    pub valid: u32,
    /// Invalid votes (suara tidak sah).
    pub invalid: u32,
}

impl Tally {
    /// A count of nothing yet: every participant of `spec`, and on a party ballot every
    /// candidate, at 0 votes; what the entry screen starts from.
    pub fn blank(spec: &BallotSpec) -> Self {
        let mut participants = List::new();
        for p in spec.participants.iter() {
            let mut candidates = List::new();
            for c in p.candidates.iter() {
                // Both lists have the package's own bounds, so neither push can fail.
                let _ = candidates.push(CandidateVotes {
                    number: c.number,
                    votes: 0,
                });
            }
            let _ = participants.push(ParticipantVotes {
                number: p.number,
                votes: 0,
                party_only: 0,
                candidates,
            });
        }
        Tally {
            ballot: spec.ballot,
            participants: Box::new(participants),
            valid: 0,
            invalid: 0,
        }
    }
}

/// What the close-out established for the ballot type counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloseOut {
    /// Ballots of this type used (the close-out's count).
    pub used: u32,
    /// Voters entitled to this type who attended: DPT, DPTb given this type, and DPK.
    pub entitled: u32,
}

/// One way a count does not add up, with its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// The package has no ballot of the type counted.
    BallotNotInPackage {
        /// The ballot type counted.
        ballot: BallotType,
    },
    /// A participant counted is not on the ballot (the package's list of it).
    ParticipantNotOnBallot {
        /// The number given.
        participant: u16,
    },
    /// A participant is counted more than once.
    ParticipantTwice {
        /// Its number.
        participant: u16,
    },
    /// A participant on the ballot has no figure; C.Hasil has a row for each (step 11).
    ParticipantMissing {
        /// Its number.
        participant: u16,
    },
    /// A candidate counted is not on that party's list, or is given on a ballot without lists.
    CandidateNotOnList {
        /// The party's (or participant's) number.
        participant: u16,
        /// The candidate number given.
        candidate: u16,
    },
    /// A candidate is counted more than once.
    CandidateTwice {
        /// The party's number.
        participant: u16,
        /// The candidate's number.
        candidate: u16,
    },
    /// A candidate on the party's list has no figure.
    CandidateMissing {
        /// The party's number.
        participant: u16,
        /// The candidate's number.
        candidate: u16,
    },
    /// Votes for a party alone on a ballot that has no party lists.
    PartyOnlyWithoutLists {
        /// The participant's number.
        participant: u16,
        /// The party-only votes given.
        votes: u32,
    },
    /// A party's votes are not its party-only votes plus its candidates' (issue 13; the DPR and
    /// DPRD C.Hasil count both, PKPU 25/2023, not in `shared/reference/seeds/`).
    PartySum {
        /// The party's number.
        participant: u16,
        /// The party's votes as given.
        votes: u32,
        /// Its party-only votes.
        party_only: u32,
        /// Its candidates' votes, summed.
        candidates: u64,
    },
    /// The participants' votes do not add up to the valid votes (procedure.md, "Numbers that
    /// must reconcile": sum of votes per participant = valid votes).
    ParticipantsSum {
        /// The participants' votes, summed.
        sum: u64,
        /// The valid votes given.
        valid: u32,
    },
    /// Valid plus invalid votes are not the ballots used (procedure.md, "Numbers that must
    /// reconcile": ballots used per type = valid + invalid votes).
    BallotsUsed {
        /// The valid votes.
        valid: u32,
        /// The invalid votes.
        invalid: u32,
        /// The ballots used, from the close-out.
        used: u32,
    },
    /// More ballots used than voters entitled to the type attended (procedure.md, "Numbers that
    /// must reconcile": ballots used = voters who voted with that type; issue 13).
    UsedOverEntitled {
        /// The ballots used.
        used: u32,
        /// The voters entitled.
        entitled: u32,
    },
}

impl Difference {
    /// Whether this is a difference between the count and the close-out (valid plus invalid is
    /// not the ballots used, or more were used than voters were entitled): it can be real (a
    /// ballot lost or slipped into the wrong box), so the KPPS may record it as a kejadian
    /// khusus (procedure.md 10). Every other difference is an error in the entries themselves
    /// (a sum on the form that does not hold, a participant or candidate not on the ballot) and
    /// is never accepted.
    pub fn is_discrepancy(&self) -> bool {
        matches!(
            self,
            Difference::BallotsUsed { .. } | Difference::UsedOverEntitled { .. }
        )
    }

    /// What is wrong, with the numbers, in Indonesian and English.
    pub fn text(&self, ballot: BallotType) -> Bilingual {
        let b = ballot.short_name();
        match *self {
            Difference::BallotNotInPackage { ballot } => Bilingual::new(
                format!("TPS ini tidak memiliki surat suara {}", ballot.short_name()),
                format!("This TPS has no {} ballot", ballot.short_name()),
            ),
            Difference::ParticipantNotOnBallot { participant: p } => Bilingual::new(
                format!("Peserta nomor {p} tidak ada di surat suara {b}"),
                format!("Participant {p} is not on the {b} ballot"),
            ),
            Difference::ParticipantTwice { participant: p } => Bilingual::new(
                format!("Peserta nomor {p} dicatat lebih dari sekali"),
                format!("Participant {p} is entered more than once"),
            ),
            Difference::ParticipantMissing { participant: p } => Bilingual::new(
                format!("Suara peserta nomor {p} belum diisi"),
                format!("Participant {p}'s votes are not entered"),
            ),
            Difference::CandidateNotOnList {
                participant: p,
                candidate: c,
            } => Bilingual::new(
                format!("Calon nomor {c} tidak ada dalam daftar peserta nomor {p}"),
                format!("Candidate {c} is not on participant {p}'s list"),
            ),
            Difference::CandidateTwice {
                participant: p,
                candidate: c,
            } => Bilingual::new(
                format!("Calon nomor {c} partai nomor {p} dicatat lebih dari sekali"),
                format!("Candidate {c} of party {p} is entered more than once"),
            ),
            Difference::CandidateMissing {
                participant: p,
                candidate: c,
            } => Bilingual::new(
                format!("Suara calon nomor {c} partai nomor {p} belum diisi"),
                format!("The votes of candidate {c} of party {p} are not entered"),
            ),
            Difference::PartyOnlyWithoutLists {
                participant: p,
                votes,
            } => Bilingual::new(
                format!(
                    "Surat suara {b} tidak memuat suara partai saja, tetapi peserta nomor {p} \
                     diberi {votes}"
                ),
                format!("The {b} ballot has no party-only votes, yet participant {p} has {votes}"),
            ),
            Difference::PartySum {
                participant: p,
                votes,
                party_only,
                candidates,
            } => {
                let total = u64::from(party_only).saturating_add(candidates);
                Bilingual::new(
                    format!(
                        "Suara partai nomor {p} tertulis {votes}, tetapi suara partai saja \
                         {party_only} ditambah suara calonnya {candidates} adalah {total}"
                    ),
                    format!(
                        "Party {p} has {votes} votes, but its party-only votes {party_only} plus \
                         its candidates' {candidates} make {total}"
                    ),
                )
            }
            Difference::ParticipantsSum { sum, valid } => Bilingual::new(
                format!("Jumlah suara semua peserta {sum}, tetapi suara sah {valid}"),
                format!("The participants' votes add up to {sum}, but the valid votes are {valid}"),
            ),
            Difference::BallotsUsed {
                valid,
                invalid,
                used,
            } => {
                let total = u64::from(valid).saturating_add(u64::from(invalid));
                Bilingual::new(
                    format!(
                        "Suara sah {valid} ditambah suara tidak sah {invalid} adalah {total}, \
                         tetapi surat suara {b} yang digunakan {used}"
                    ),
                    format!(
                        "Valid votes {valid} plus invalid votes {invalid} make {total}, but \
                         {used} {b} ballots were used"
                    ),
                )
            }
            Difference::UsedOverEntitled { used, entitled } => Bilingual::new(
                format!(
                    "Surat suara {b} yang digunakan ({used}) lebih banyak dari pemilih yang \
                     berhak ({entitled})"
                ),
                format!("{used} {b} ballots were used, more than the {entitled} voters entitled"),
            ),
        }
    }
}

/// Every difference between `tally` and what it must add up to: the package's ballot of that
/// type (its participants and candidate lists) and the close-out's figures for it. Empty when
/// the count holds. Differences come in the tally's order, then the package's, then the sums.
pub fn check(tally: &Tally, package: &ElectionPackage, close_out: CloseOut) -> Vec<Difference> {
    let mut out = Vec::new();
    let spec = package.ballot(tally.ballot);
    if spec.is_none() {
        out.push(Difference::BallotNotInPackage {
            ballot: tally.ballot,
        });
    }
    let lists = tally.ballot.lists_candidates();
    for (i, p) in tally.participants.iter().enumerate() {
        let participant = p.number;
        if tally.participants[..i]
            .iter()
            .any(|q| q.number == participant)
        {
            out.push(Difference::ParticipantTwice { participant });
        }
        let on_ballot = spec.and_then(|s| s.participant(participant));
        if spec.is_some() && on_ballot.is_none() {
            out.push(Difference::ParticipantNotOnBallot { participant });
        }
        out.extend(party_only_without_lists(p, lists));
        for (j, c) in p.candidates.iter().enumerate() {
            let candidate = c.number;
            if p.candidates[..j].iter().any(|d| d.number == candidate) {
                out.push(Difference::CandidateTwice {
                    participant,
                    candidate,
                });
            }
            let listed = on_ballot.is_some_and(|q| q.candidate(candidate).is_some());
            // Unknown participants are reported once, not once per candidate.
            if !listed && (on_ballot.is_some() || !lists) {
                out.push(Difference::CandidateNotOnList {
                    participant,
                    candidate,
                });
            }
        }
        if let Some(q) = on_ballot {
            for c in q.candidates.iter() {
                if !p.candidates.iter().any(|d| d.number == c.number) {
                    out.push(Difference::CandidateMissing {
                        participant,
                        candidate: c.number,
                    });
                }
            }
        }
        out.extend(party_sum(p, lists));
    }
    if let Some(spec) = spec {
        for q in spec.participants.iter() {
            if !tally.participants.iter().any(|p| p.number == q.number) {
                out.push(Difference::ParticipantMissing {
                    participant: q.number,
                });
            }
        }
    }
    out.extend(participants_sum(tally));
    let counted = u64::from(tally.valid).saturating_add(u64::from(tally.invalid));
    if counted != u64::from(close_out.used) {
        out.push(Difference::BallotsUsed {
            valid: tally.valid,
            invalid: tally.invalid,
            used: close_out.used,
        });
    }
    if close_out.used > close_out.entitled {
        out.push(Difference::UsedOverEntitled {
            used: close_out.used,
            entitled: close_out.entitled,
        });
    }
    out
}

/// The sums the form itself must satisfy, without the package or the close-out: no party-only
/// votes on a ballot without lists, each party's votes its party-only votes plus its
/// candidates', and the participants' votes the valid votes. What an offline verifier of a
/// printed C.Hasil can say; [`check`] makes the same checks among its others.
pub fn sums(tally: &Tally) -> Vec<Difference> {
    let lists = tally.ballot.lists_candidates();
    let mut out = Vec::new();
    for p in tally.participants.iter() {
        out.extend(party_only_without_lists(p, lists));
        out.extend(party_sum(p, lists));
    }
    out.extend(participants_sum(tally));
    out
}

/// Votes for a party alone on a ballot without party lists.
fn party_only_without_lists(p: &ParticipantVotes, lists: bool) -> Option<Difference> {
    (!lists && p.party_only != 0).then_some(Difference::PartyOnlyWithoutLists {
        participant: p.number,
        votes: p.party_only,
    })
}

/// On a party ballot, a party's votes that are not its party-only votes plus its candidates'.
fn party_sum(p: &ParticipantVotes, lists: bool) -> Option<Difference> {
    let candidates = p
        .candidates
        .iter()
        .fold(0u64, |sum, c| sum.saturating_add(u64::from(c.votes)));
    (lists && u64::from(p.votes) != u64::from(p.party_only).saturating_add(candidates)).then_some(
        Difference::PartySum {
            participant: p.number,
            votes: p.votes,
            party_only: p.party_only,
            candidates,
        },
    )
}

/// The participants' votes that do not add up to the valid votes.
fn participants_sum(tally: &Tally) -> Option<Difference> {
    let sum = tally
        .participants
        .iter()
        .fold(0u64, |sum, p| sum.saturating_add(u64::from(p.votes)));
    (sum != u64::from(tally.valid)).then_some(Difference::ParticipantsSum {
        sum,
        valid: tally.valid,
    })
}
