//! The day's results as data for PPS (issue 13, "What leaves the TPS"): each counted ballot
//! type's figures with the names the package gives, the ballots used that the count must reach,
//! and whether the figures were corrected or carry a kejadian khusus. The export for PPS writes
//! it as `hasil.json`; the signed record of the same figures is the journal's `Count` entries.

use serde::Serialize;

use tps_engine::state::State;
use tps_engine::validate::close_out_of;

/// Every ballot type of the TPS, counted or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Results {
    /// The TPS code (`32.73.08.1004.007`).
    pub tps: String,
    /// Election day (`2024-02-14`).
    pub date: String,
    /// The procedure followed (`pemilu-2024`).
    pub procedure: String,
    /// Each ballot type of the package, in counting order.
    pub ballots: Vec<BallotResult>,
}

/// One ballot type's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotResult {
    /// Its code (`DPR`).
    pub ballot: String,
    /// Its electoral district.
    pub dapil: String,
    /// Whether it is counted (the figures below are empty until then).
    pub counted: bool,
    /// Ballots used, from the close-out (what valid plus invalid must reach).
    pub used: Option<u32>,
    /// Valid votes.
    pub valid: Option<u32>,
    /// Invalid votes.
    pub invalid: Option<u32>,
    /// Each participant's votes, in ballot order.
    pub participants: Vec<ParticipantResult>,
    /// How many times the count was corrected (an accepted keberatan).
    pub corrections: usize,
    /// The kejadian khusus recorded for a difference with the close-out, if there is one.
    pub exception: Option<String>,
    /// The journal record whose figures these are (the latest correction's proposal).
    pub record: Option<u64>,
}

/// One participant's votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantResult {
    /// Its number on the ballot.
    pub number: u16,
    /// Its name in the package.
    pub name: String,
    /// Its valid votes (a party's include its candidates').
    pub votes: u32,
    /// On a party ballot, the votes for the party alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_only: Option<u32>,
    /// On a party ballot, each candidate's votes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<CandidateResult>,
}

/// One candidate's votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateResult {
    /// Their number in the party's list.
    pub number: u16,
    /// Their name in the package.
    pub name: String,
    /// Their votes.
    pub votes: u32,
}

/// The results of the day so far.
pub fn results(state: &State) -> Results {
    let p = state.package();
    let ballots = p
        .ballots
        .iter()
        .map(|spec| {
            let done = super::count_step(state, spec.ballot);
            let lists = spec.ballot.lists_candidates();
            let participants = done.map_or_else(Vec::new, |(_, t, _)| {
                t.participants
                    .iter()
                    .map(|v| {
                        let on = spec.participant(v.number);
                        ParticipantResult {
                            number: v.number,
                            name: on.map(|q| q.name.to_string()).unwrap_or_default(),
                            votes: v.votes,
                            party_only: lists.then_some(v.party_only),
                            candidates: v
                                .candidates
                                .iter()
                                .map(|c| CandidateResult {
                                    number: c.number,
                                    name: on
                                        .and_then(|q| q.candidate(c.number))
                                        .map(|x| x.name.to_string())
                                        .unwrap_or_default(),
                                    votes: c.votes,
                                })
                                .collect(),
                        }
                    })
                    .collect()
            });
            BallotResult {
                ballot: spec.ballot.code().to_string(),
                dapil: spec.dapil.to_string(),
                counted: done.is_some(),
                used: close_out_of(state, spec.ballot).map(|c| c.used),
                valid: done.map(|(_, t, _)| t.valid),
                invalid: done.map(|(_, t, _)| t.invalid),
                participants,
                corrections: done.map_or(0, |(c, _, _)| c.corrected.len()),
                exception: done.and_then(|(_, _, e)| e).map(|e| e.action.to_string()),
                record: done.map(|(c, _, _)| c.proposal),
            }
        })
        .collect();
    Results {
        tps: p.tps.to_string(),
        date: p.date.to_string(),
        procedure: p.procedure.to_string(),
        ballots,
    }
}
