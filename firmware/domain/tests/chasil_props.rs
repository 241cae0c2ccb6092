//! The C.Hasil payload is exact and canonical: any tally it accepts comes back as it was, and any
//! text that decodes is the one text its tally encodes to; whatever else is given is refused
//! with a named error, never a panic.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

use proptest::prelude::*;
use tps_base::bounded::List;
use tps_base::election::BallotType;
use tps_domain::chasil::{MAX_TEXT, PayloadError, decode, encode};
use tps_domain::package::{MAX_CANDIDATES, MAX_PARTICIPANTS};
use tps_domain::tally::{CandidateVotes, ParticipantVotes, Tally};

/// A vote figure: mostly small, as a TPS counts, sometimes anything a `u32` holds.
fn votes() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..400, 1 => any::<u32>()]
}

/// A participant's or candidate's number: mostly in ballot order, sometimes anything.
fn number() -> impl Strategy<Value = u16> {
    prop_oneof![4 => 0u16..30, 1 => any::<u16>()]
}

fn participant() -> impl Strategy<Value = ParticipantVotes> {
    (
        number(),
        votes(),
        votes(),
        proptest::collection::vec((number(), votes()), 0..=MAX_CANDIDATES),
    )
        .prop_map(|(number, votes, party_only, candidates)| ParticipantVotes {
            number,
            votes,
            party_only,
            candidates: List::try_from(
                candidates
                    .into_iter()
                    .map(|(number, votes)| CandidateVotes { number, votes })
                    .collect::<Vec<_>>(),
            )
            .unwrap(),
        })
}

fn tally() -> impl Strategy<Value = Tally> {
    (
        proptest::sample::select(BallotType::ALL.to_vec()),
        proptest::collection::vec(participant(), 0..=MAX_PARTICIPANTS),
        votes(),
        votes(),
    )
        .prop_map(|(ballot, participants, valid, invalid)| Tally {
            ballot,
            participants: Box::new(List::try_from(participants).unwrap()),
            valid,
            invalid,
        })
}

/// Numbers in ballot order from 1, so no participant or candidate is there twice.
fn ordered(mut t: Tally) -> Tally {
    for (i, p) in t.participants.as_mut_slice().iter_mut().enumerate() {
        p.number = i as u16 + 1;
        for (j, c) in p.candidates.as_mut_slice().iter_mut().enumerate() {
            c.number = j as u16 + 1;
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_tally_round_trips_exactly_or_is_refused_by_name(t in tally()) {
        match encode(&t) {
            Ok(text) => {
                prop_assert!(text.len() <= MAX_TEXT);
                prop_assert_eq!(decode(&text), Ok(t));
            }
            Err(e) => prop_assert!(
                matches!(
                    e,
                    PayloadError::ParticipantTwice { .. }
                        | PayloadError::CandidateTwice { .. }
                        | PayloadError::TooLong { .. }
                ),
                "{e:?}"
            ),
        }
    }

    #[test]
    fn a_tally_in_ballot_order_always_has_a_payload(t in tally()) {
        let t = ordered(t);
        // Up to 64 parties of 12 candidates at small figures stays within the cap.
        let small = t.participants.iter().all(|p| {
            p.votes < 400 && p.party_only < 400 && p.candidates.iter().all(|c| c.votes < 400)
        });
        let text = encode(&t);
        if small {
            prop_assert!(text.is_ok());
        }
        if let Ok(text) = text {
            prop_assert_eq!(decode(&text), Ok(t));
        }
    }

    /// Any text in the payload's alphabet built from its pieces: what decodes re-encodes to the
    /// very same text.
    #[test]
    fn what_decodes_re_encodes_identically(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "/P", "+", ".", ":", "0", "1", "2", "7", "65535", "65536", "4294967295",
                "4294967296", "00", "/", "V", "I", "X", "-",
            ]),
            0..40,
        ),
        ballot in proptest::sample::select(BallotType::ALL.to_vec()),
    ) {
        let text = format!("CH1/{}/V3/I0{}", ballot.code(), pieces.concat());
        if let Ok(t) = decode(&text) {
            prop_assert_eq!(encode(&t), Ok(text));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        if let Ok(t) = decode(&text) {
            prop_assert_eq!(encode(&t), Ok(text));
        }
    }

    #[test]
    fn one_character_changed_in_a_payload_never_panics(
        t in tally(), at in any::<usize>(), to in 0u8..128,
    ) {
        let Ok(text) = encode(&ordered(t)) else { return Ok(()) };
        let mut bytes = text.into_bytes();
        let at = at % bytes.len();
        bytes[at] = to;
        let changed = String::from_utf8(bytes).unwrap();
        if let Ok(t) = decode(&changed) {
            prop_assert_eq!(encode(&t), Ok(changed));
        }
    }
}
