//! The count's arithmetic: a tally that adds up passes, one that does not is refused with every
//! difference and its numbers, and hostile figures give differences, never a panic.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

use proptest::prelude::*;
use tps_base::bounded::{List, Text};
use tps_base::election::{BallotType, ElectionKind, MaleFemale, TpsCode};
use tps_base::text::Lang;
use tps_base::time::{Date, TimeZone};
use tps_domain::package::{BallotSpec, Candidate, ElectionPackage, Participant, Region};
use tps_domain::tally::{CandidateVotes, CloseOut, Difference, ParticipantVotes, Tally, check};

/// The candidates each of the DPR ballot's 18 parties lists (a 7-seat dapil; some lists short,
/// one party with none).
const LISTS: [u16; 18] = [7, 7, 7, 7, 7, 5, 6, 7, 4, 7, 5, 7, 6, 7, 7, 0, 7, 3];

fn text<const N: usize>(s: &str) -> Text<N> {
    Text::new(s).unwrap()
}

fn ballot(ballot: BallotType, participants: Vec<Participant>) -> BallotSpec {
    BallotSpec {
        ballot,
        dapil: text("Dapil"),
        delivered: 306,
        participants: Box::new(List::try_from(participants).unwrap()),
    }
}

fn participant(number: u16, candidates: u16) -> Participant {
    let list: Vec<Candidate> = (1..=candidates)
        .map(|n| Candidate {
            number: n,
            name: text(&format!("Calon {n}")),
        })
        .collect();
    Participant {
        number,
        name: text(&format!("Peserta {number}")),
        candidates: Box::new(List::try_from(list).unwrap()),
    }
}

/// A package with a PPWP ballot (3 pairs), a DPR ballot (18 parties with [`LISTS`]) and a DPD
/// ballot (8 candidates), built as plain data.
fn package() -> ElectionPackage {
    let dpr_numbers = (1..=17).chain([24]);
    let ballots = vec![
        ballot(
            BallotType::Ppwp,
            (1..=3).map(|n| participant(n, 0)).collect(),
        ),
        ballot(
            BallotType::Dpr,
            dpr_numbers
                .zip(LISTS)
                .map(|(n, l)| participant(n, l))
                .collect(),
        ),
        ballot(
            BallotType::Dpd,
            (21..=28).map(|n| participant(n, 0)).collect(),
        ),
    ];
    ElectionPackage {
        tps: TpsCode::parse("31.71.01.1001.012").unwrap(),
        address: text("Jl. Contoh 1"),
        region: Region {
            province: text("DKI Jakarta"),
            regency: text("Jakarta Pusat"),
            district: text("Gambir"),
            village: text("Gambir"),
        },
        election: ElectionKind::Pemilu,
        date: Date::parse("2024-02-14").unwrap(),
        zone: TimeZone::Wib,
        dpt: MaleFemale {
            male: 150,
            female: 150,
        },
        ballots: List::try_from(ballots).unwrap(),
        procedure: text("pemilu-2024"),
        devices: List::new(),
    }
}

/// How many figures a tally of `spec` holds before valid and invalid: per participant its
/// party-only votes and each candidate's on a party ballot, its votes on any other.
fn figures(spec: &BallotSpec) -> usize {
    spec.participants
        .iter()
        .map(|p| {
            if spec.ballot.lists_candidates() {
                1 + p.candidates.len()
            } else {
                1
            }
        })
        .sum()
}

/// The tally of `spec` that adds up, from `votes` (one per figure, in [`figures`] order) and
/// `invalid`, with the close-out that matches it.
fn consistent(spec: &BallotSpec, votes: &[u32], invalid: u32) -> (Tally, CloseOut) {
    let mut tally = Tally::blank(spec);
    let mut next = votes.iter().copied();
    for p in tally.participants.as_mut_slice() {
        if spec.ballot.lists_candidates() {
            p.party_only = next.next().unwrap();
            for c in p.candidates.as_mut_slice() {
                c.votes = next.next().unwrap();
            }
            p.votes = p.party_only + p.candidates.iter().map(|c| c.votes).sum::<u32>();
        } else {
            p.votes = next.next().unwrap();
        }
    }
    tally.valid = tally.participants.iter().map(|p| p.votes).sum();
    tally.invalid = invalid;
    let used = tally.valid + invalid;
    (
        tally,
        CloseOut {
            used,
            entitled: used,
        },
    )
}

/// A consistent tally of one of the package's ballots, with small figures (a TPS has at most
/// 300 voters, but the arithmetic must hold whatever they are).
fn consistent_tally() -> impl Strategy<Value = (Tally, CloseOut)> {
    (0..3usize).prop_flat_map(|i| {
        let spec = package().ballots[i].clone();
        let n = figures(&spec);
        (proptest::collection::vec(0..500u32, n), 0..500u32)
            .prop_map(move |(votes, invalid)| consistent(&spec, &votes, invalid))
    })
}

/// How many `u32` figures a tally and its close-out hold (see [`figure`]).
fn figure_count(tally: &Tally) -> usize {
    tally
        .participants
        .iter()
        .map(|p| 2 + p.candidates.len())
        .sum::<usize>()
        + 3
}

/// The `i`th `u32` figure of a tally and its close-out: each participant's votes, party-only
/// votes and candidates' votes, then valid, invalid and the ballots used.
fn figure<'a>(tally: &'a mut Tally, close_out: &'a mut CloseOut, mut i: usize) -> &'a mut u32 {
    for p in tally.participants.as_mut_slice() {
        let here = 2 + p.candidates.len();
        if i < here {
            return match i {
                0 => &mut p.votes,
                1 => &mut p.party_only,
                c => &mut p.candidates.as_mut_slice()[c - 2].votes,
            };
        }
        i -= here;
    }
    match i {
        0 => &mut tally.valid,
        1 => &mut tally.invalid,
        _ => &mut close_out.used,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_tally_built_consistent_passes((tally, close_out) in consistent_tally()) {
        prop_assert_eq!(check(&tally, &package(), close_out), vec![]);
        // Voters entitled beyond those who used a ballot change nothing.
        let more = CloseOut { entitled: close_out.entitled + 7, ..close_out };
        prop_assert_eq!(check(&tally, &package(), more), vec![]);
    }

    /// Any one figure changed, by any amount (wrapping past `u32::MAX` included), breaks a sum
    /// and is refused.
    #[test]
    fn no_tally_with_one_figure_changed_passes(
        (tally, close_out) in consistent_tally(),
        pick in any::<prop::sample::Index>(),
        delta in 1..=u32::MAX,
    ) {
        let (mut tally, mut close_out) = (tally, close_out);
        let at = pick.index(figure_count(&tally));
        let slot = figure(&mut tally, &mut close_out, at);
        *slot = slot.wrapping_add(delta);
        prop_assert!(!check(&tally, &package(), close_out).is_empty());
    }

    /// Every figure anything at all, hostile ones likely: the check never panics, and passes
    /// exactly when the sums hold in exact (u128) arithmetic.
    #[test]
    fn hostile_figures_give_differences_never_a_panic(
        (tally, close_out) in consistent_tally(),
        values in proptest::collection::vec(
            prop_oneof![Just(0u32), Just(1), Just(u32::MAX), u32::MAX - 3..=u32::MAX, any::<u32>()],
            200,
        ),
        entitled in any::<u32>(),
    ) {
        let (mut tally, mut close_out) = (tally, close_out);
        let lists = tally.ballot.lists_candidates();
        for (at, v) in values.into_iter().enumerate().take(figure_count(&tally)) {
            *figure(&mut tally, &mut close_out, at) = v;
        }
        if !lists {
            for p in tally.participants.as_mut_slice() {
                p.party_only = 0;
            }
        }
        close_out.entitled = entitled;
        let wide = |x: u32| u128::from(x);
        let parties_hold = !lists || tally.participants.iter().all(|p| {
            wide(p.votes) == wide(p.party_only) + p.candidates.iter().map(|c| wide(c.votes)).sum::<u128>()
        });
        let holds = parties_hold
            && tally.participants.iter().map(|p| wide(p.votes)).sum::<u128>() == wide(tally.valid)
            && wide(tally.valid) + wide(tally.invalid) == wide(close_out.used)
            && close_out.used <= close_out.entitled;
        let differences = check(&tally, &package(), close_out);
        prop_assert_eq!(differences.is_empty(), holds, "{:?}", differences);
        for d in &differences {
            let words = d.text(tally.ballot);
            prop_assert!(!words.get(Lang::Id).is_empty() && !words.get(Lang::En).is_empty());
        }
    }

    /// Participants and candidates under any numbers at all: never a panic, and a number the
    /// ballot does not have is named.
    #[test]
    fn any_numbers_are_checked_without_panic(
        numbers in proptest::collection::vec((any::<u16>(), proptest::collection::vec(any::<u16>(), 0..13)), 0..65),
        ballot in prop::sample::select(BallotType::ALL.to_vec()),
    ) {
        let participants: Vec<ParticipantVotes> = numbers
            .iter()
            .map(|(n, cs)| ParticipantVotes {
                number: *n,
                votes: 0,
                party_only: 0,
                candidates: List::try_from(
                    cs.iter().map(|c| CandidateVotes { number: *c, votes: 0 }).collect::<Vec<_>>(),
                )
                .unwrap(),
            })
            .collect();
        let tally = Tally {
            ballot,
            participants: Box::new(List::try_from(participants).unwrap()),
            valid: 0,
            invalid: 0,
        };
        let package = package();
        let differences = check(&tally, &package, CloseOut { used: 0, entitled: 0 });
        match package.ballot(ballot) {
            None => {
                let missing = Difference::BallotNotInPackage { ballot };
                prop_assert!(differences.contains(&missing), "{:?}", differences);
            }
            Some(spec) => {
                for (n, _) in &numbers {
                    if spec.participant(*n).is_none() {
                        let unknown = Difference::ParticipantNotOnBallot { participant: *n };
                        prop_assert!(differences.contains(&unknown), "{:?}", differences);
                    }
                }
            }
        }
    }
}

/// The DPR ballot's tally that adds up: party `n` gets `n` party-only votes and 1 vote per
/// candidate; 5 invalid.
fn dpr() -> (Tally, CloseOut) {
    let package = package();
    let spec = package.ballot(BallotType::Dpr).unwrap();
    let votes: Vec<u32> = spec
        .participants
        .iter()
        .flat_map(|p| std::iter::once(u32::from(p.number)).chain(p.candidates.iter().map(|_| 1)))
        .collect();
    consistent(spec, &votes, 5)
}

fn party(tally: &mut Tally, number: u16) -> &mut ParticipantVotes {
    tally
        .participants
        .as_mut_slice()
        .iter_mut()
        .find(|p| p.number == number)
        .unwrap()
}

#[test]
fn a_wrong_candidate_figure_names_the_party_and_every_sum_it_breaks() {
    let (mut tally, close_out) = dpr();
    assert_eq!(check(&tally, &package(), close_out), vec![]);
    // Party 3 (7 candidates, 3 party-only votes: 10 votes): its candidate 2 written as 8.
    party(&mut tally, 3).candidates.as_mut_slice()[1].votes = 8;
    let differences = check(&tally, &package(), close_out);
    assert_eq!(
        differences,
        vec![Difference::PartySum {
            participant: 3,
            votes: 10,
            party_only: 3,
            candidates: 14
        }]
    );
    let words = differences[0].text(BallotType::Dpr);
    assert_eq!(
        words.get(Lang::Id),
        "Suara partai nomor 3 tertulis 10, tetapi suara partai saja 3 ditambah suara calonnya \
         14 adalah 17"
    );
    assert_eq!(
        words.get(Lang::En),
        "Party 3 has 10 votes, but its party-only votes 3 plus its candidates' 14 make 17"
    );
    // The party's total corrected too: now the valid votes are short by 7.
    party(&mut tally, 3).votes = 17;
    let valid = tally.valid;
    assert_eq!(
        check(&tally, &package(), close_out),
        vec![Difference::ParticipantsSum {
            sum: u64::from(valid) + 7,
            valid
        }]
    );
}

#[test]
fn valid_plus_invalid_must_be_the_ballots_used_and_no_more_than_the_entitled() {
    let (tally, close_out) = dpr();
    let short = CloseOut {
        used: close_out.used + 2,
        entitled: close_out.used + 1,
    };
    let differences = check(&tally, &package(), short);
    assert_eq!(
        differences,
        vec![
            Difference::BallotsUsed {
                valid: tally.valid,
                invalid: 5,
                used: close_out.used + 2
            },
            Difference::UsedOverEntitled {
                used: close_out.used + 2,
                entitled: close_out.used + 1
            }
        ]
    );
    let en: Vec<String> = differences
        .iter()
        .map(|d| d.text(BallotType::Dpr).en)
        .collect();
    let (valid, used) = (tally.valid, close_out.used);
    assert_eq!(
        en,
        [
            format!(
                "Valid votes {valid} plus invalid votes 5 make {}, but {} DPR ballots were used",
                valid + 5,
                used + 2
            ),
            format!(
                "{} DPR ballots were used, more than the {} voters entitled",
                used + 2,
                used + 1
            ),
        ]
    );
    assert!(
        differences[1]
            .text(BallotType::Dpr)
            .id
            .contains("lebih banyak dari pemilih yang berhak")
    );
}

#[test]
fn participants_and_candidates_must_be_the_ballots_each_once() {
    let (mut tally, close_out) = dpr();
    let mut participants: Vec<ParticipantVotes> = tally.participants.to_vec();
    // Party 5 left out, party 2 entered twice (with its figures: the sums then break), and a
    // party 30 the ballot does not have.
    let five = participants.iter().position(|p| p.number == 5).unwrap();
    let five = participants.remove(five);
    participants.push(participants[1].clone());
    participants.push(ParticipantVotes {
        number: 30,
        votes: 0,
        party_only: 0,
        candidates: List::new(),
    });
    // Party 1 lists candidate 9 (its list has 7) and candidate 3 twice, and leaves out 7.
    let one = &mut participants[0];
    let mut list: Vec<CandidateVotes> = one.candidates.to_vec();
    list.pop();
    list.push(CandidateVotes {
        number: 9,
        votes: 0,
    });
    list.push(CandidateVotes {
        number: 3,
        votes: 0,
    });
    one.candidates = List::try_from(list).unwrap();
    one.votes = one.party_only + one.candidates.iter().map(|c| c.votes).sum::<u32>();
    *tally.participants = List::try_from(participants).unwrap();
    let differences = check(&tally, &package(), close_out);
    let two_votes = tally.participants[1].votes;
    let sum = tally.participants.iter().map(|p| u64::from(p.votes)).sum();
    assert_eq!(
        differences,
        vec![
            Difference::CandidateNotOnList {
                participant: 1,
                candidate: 9
            },
            Difference::CandidateTwice {
                participant: 1,
                candidate: 3
            },
            Difference::CandidateMissing {
                participant: 1,
                candidate: 7
            },
            Difference::ParticipantTwice { participant: 2 },
            Difference::ParticipantNotOnBallot { participant: 30 },
            Difference::ParticipantMissing { participant: 5 },
            Difference::ParticipantsSum {
                sum,
                valid: tally.valid
            },
        ]
    );
    assert_eq!(
        sum,
        u64::from(tally.valid) - u64::from(five.votes) + u64::from(two_votes) - 1
    );
    let id: Vec<String> = differences
        .iter()
        .take(6)
        .map(|d| d.text(BallotType::Dpr).id)
        .collect();
    assert_eq!(
        id,
        [
            "Calon nomor 9 tidak ada dalam daftar peserta nomor 1",
            "Calon nomor 3 partai nomor 1 dicatat lebih dari sekali",
            "Suara calon nomor 7 partai nomor 1 belum diisi",
            "Peserta nomor 2 dicatat lebih dari sekali",
            "Peserta nomor 30 tidak ada di surat suara DPR",
            "Suara peserta nomor 5 belum diisi",
        ]
    );
}

#[test]
fn a_ballot_without_lists_has_no_party_only_votes_nor_candidates() {
    let package = package();
    let spec = package.ballot(BallotType::Ppwp).unwrap();
    let (mut tally, close_out) = consistent(spec, &[100, 120, 80], 4);
    assert_eq!(check(&tally, &package, close_out), vec![]);
    let pair = party(&mut tally, 2);
    pair.party_only = 3;
    pair.candidates = List::try_from(vec![CandidateVotes {
        number: 1,
        votes: 3,
    }])
    .unwrap();
    let differences = check(&tally, &package, close_out);
    assert_eq!(
        differences,
        vec![
            Difference::PartyOnlyWithoutLists {
                participant: 2,
                votes: 3
            },
            Difference::CandidateNotOnList {
                participant: 2,
                candidate: 1
            },
        ]
    );
    assert_eq!(
        differences[0].text(BallotType::Ppwp).en,
        "The PPWP ballot has no party-only votes, yet participant 2 has 3"
    );
}

#[test]
fn a_ballot_the_package_lacks_is_named() {
    let package = package();
    let spec = package.ballot(BallotType::Dpd).unwrap();
    let (mut tally, close_out) = consistent(spec, &[1; 8], 0);
    // A Pilkada ballot counted against a Pemilu package: its sums hold, it is still refused.
    tally.ballot = BallotType::Gubernur;
    let differences = check(&tally, &package, close_out);
    assert_eq!(
        differences,
        vec![Difference::BallotNotInPackage {
            ballot: BallotType::Gubernur
        }]
    );
    assert_eq!(
        differences[0].text(BallotType::Gubernur).id,
        "TPS ini tidak memiliki surat suara Gubernur"
    );
}

/// Sums that would wrap to the right figure in `u32` are still differences.
#[test]
fn figures_that_wrap_around_do_not_add_up() {
    let package = package();
    let spec = package.ballot(BallotType::Ppwp).unwrap();
    let mut tally = Tally::blank(spec);
    // u32::MAX + 1 + 0 wraps to 0 in u32.
    tally.participants.as_mut_slice()[0].votes = u32::MAX;
    tally.participants.as_mut_slice()[1].votes = 1;
    tally.valid = 0;
    tally.invalid = 0;
    let close_out = CloseOut {
        used: 0,
        entitled: 0,
    };
    assert_eq!(
        check(&tally, &package, close_out),
        vec![Difference::ParticipantsSum {
            sum: 1 << 32,
            valid: 0
        }]
    );
    tally.valid = u32::MAX;
    tally.invalid = 1;
    tally.participants.as_mut_slice()[1].votes = 0;
    let differences = check(&tally, &package, close_out);
    assert_eq!(
        differences,
        vec![Difference::BallotsUsed {
            valid: u32::MAX,
            invalid: 1,
            used: 0
        }]
    );
    assert!(
        differences[0]
            .text(BallotType::Ppwp)
            .en
            .contains("make 4294967296")
    );
    // A party's candidates wrapping to its party-only votes.
    let (mut dpr, close_out) = dpr();
    let one = party(&mut dpr, 1);
    one.candidates.as_mut_slice()[0].votes = u32::MAX;
    one.candidates.as_mut_slice()[1].votes = 2;
    let rest: u32 = one.candidates.iter().skip(2).map(|c| c.votes).sum();
    let differences = check(&dpr, &package, close_out);
    assert_eq!(
        differences[0],
        Difference::PartySum {
            participant: 1,
            votes: 1 + 7,
            party_only: 1,
            candidates: u64::from(u32::MAX) + 2 + u64::from(rest)
        }
    );
}
