//! The C.Hasil payload (`CH1`): one ballot type's [`Tally`] as text in the QR code's
//! alphanumeric alphabet, the payload a `TPSH1` sequence of QR codes carries. Compact (a
//! participant or candidate numbered one more than the one before it is written without its
//! number), unambiguous, and canonical: every tally has one text, and [`decode`] refuses any
//! other, so a decoded payload re-encodes to the very text that was signed. Grammar, fields and
//! limits: FORMAT.md, "The C.Hasil payload".
//!
//! ```text
//! CH1/DPR/V120/I5/P60+10.30.20/P60+0.25.35
//! ```
//! The parser reads bytes with bounds checks only: never a panic, and memory bounded by
//! [`MAX_TEXT`], [`MAX_PARTICIPANTS`] and [`MAX_CANDIDATES`].

use core::fmt::Write as _;

use tps_base::bounded::List;
use tps_base::election::BallotType;
use tps_base::text::Bilingual;

use super::package::{MAX_CANDIDATES, MAX_PARTICIPANTS};
use super::tally::{CandidateVotes, ParticipantVotes, Tally};

/// The payload's version, its first field.
pub const VERSION: &str = "CH1";

/// The longest payload, in characters: what one QR sequence carries at most (our own choice,
/// the sequence's own cap).
pub const MAX_TEXT: usize = 8192;

/// Why a text is not a C.Hasil payload, or a tally has none. `at` is a 0-based byte offset in
/// the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text().en)]
#[non_exhaustive]
pub enum PayloadError {
    /// The text is empty.
    Empty,
    /// The text is longer than [`MAX_TEXT`].
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// A character outside `0-9 A-Z $ % + - . / :` (a space, lower case, non-ASCII...).
    Character {
        /// Where.
        at: usize,
    },
    /// The text does not start with `CH1/`: another version, or not a C.Hasil.
    Version,
    /// The ballot type code is not one of [`BallotType::code`]'s.
    Ballot {
        /// Where the code starts.
        at: usize,
    },
    /// A field's tag or separator is missing.
    Expected {
        /// Where.
        at: usize,
        /// What was due there.
        what: &'static str,
    },
    /// No digits where a number is due.
    Number {
        /// Where.
        at: usize,
    },
    /// A number with a leading zero: not the one way to write it.
    LeadingZero {
        /// Where the number starts.
        at: usize,
    },
    /// A number above its field's bound: `u32` for votes, `u16` for a participant's or
    /// candidate's number (also an implied number past 65535).
    Overflow {
        /// Where the number starts.
        at: usize,
    },
    /// A form the encoder never writes: a number written where it is implied, or a party section
    /// (`+0`) holding nothing.
    NotCanonical {
        /// Where.
        at: usize,
    },
    /// A participant appears twice.
    ParticipantTwice {
        /// Its number.
        participant: u16,
    },
    /// A candidate appears twice under one participant.
    CandidateTwice {
        /// The participant's number.
        participant: u16,
        /// The candidate's number.
        candidate: u16,
    },
    /// More participants than [`MAX_PARTICIPANTS`].
    TooManyParticipants,
    /// More candidates under one participant than [`MAX_CANDIDATES`].
    TooManyCandidates {
        /// The participant's number.
        participant: u16,
    },
    /// Characters after the last complete field.
    Trailing {
        /// Where they start.
        at: usize,
    },
}

impl PayloadError {
    /// What is wrong, in Indonesian and English.
    pub fn text(&self) -> Bilingual {
        use PayloadError as E;
        match *self {
            E::Empty => Bilingual::new("isi C.Hasil kosong", "the C.Hasil content is empty"),
            E::TooLong { len } => Bilingual::new(
                format!("isi C.Hasil {len} karakter; paling panjang {MAX_TEXT}"),
                format!("the C.Hasil content is {len} characters; at most {MAX_TEXT}"),
            ),
            E::Character { at } => Bilingual::new(
                format!("karakter ke-{} tidak boleh ada di isi C.Hasil", at + 1),
                format!("character {} has no place in C.Hasil content", at + 1),
            ),
            E::Version => Bilingual::new(
                format!("isi bukan C.Hasil versi {VERSION}"),
                format!("the content is not a C.Hasil of version {VERSION}"),
            ),
            E::Ballot { at } => Bilingual::new(
                format!("jenis surat suara tidak dikenal (karakter ke-{})", at + 1),
                format!("unknown ballot type (character {})", at + 1),
            ),
            E::Expected { at, what } => Bilingual::new(
                format!("karakter ke-{}: seharusnya {what}", at + 1),
                format!("character {}: {what} expected", at + 1),
            ),
            E::Number { at } => Bilingual::new(
                format!("karakter ke-{}: seharusnya angka", at + 1),
                format!("character {}: a number expected", at + 1),
            ),
            E::LeadingZero { at } => Bilingual::new(
                format!("karakter ke-{}: angka diawali nol", at + 1),
                format!("character {}: a number with a leading zero", at + 1),
            ),
            E::Overflow { at } => Bilingual::new(
                format!("karakter ke-{}: angka terlalu besar", at + 1),
                format!("character {}: the number is too large", at + 1),
            ),
            E::NotCanonical { at } => Bilingual::new(
                format!(
                    "karakter ke-{}: bentuk yang tidak pernah ditulis perangkat",
                    at + 1
                ),
                format!("character {}: a form the device never writes", at + 1),
            ),
            E::ParticipantTwice { participant: p } => Bilingual::new(
                format!("peserta nomor {p} tercatat dua kali"),
                format!("participant {p} appears twice"),
            ),
            E::CandidateTwice {
                participant: p,
                candidate: c,
            } => Bilingual::new(
                format!("calon nomor {c} peserta nomor {p} tercatat dua kali"),
                format!("candidate {c} of participant {p} appears twice"),
            ),
            E::TooManyParticipants => Bilingual::new(
                format!("lebih dari {MAX_PARTICIPANTS} peserta"),
                format!("more than {MAX_PARTICIPANTS} participants"),
            ),
            E::TooManyCandidates { participant: p } => Bilingual::new(
                format!("peserta nomor {p} memiliki lebih dari {MAX_CANDIDATES} calon"),
                format!("participant {p} has more than {MAX_CANDIDATES} candidates"),
            ),
            E::Trailing { at } => Bilingual::new(
                format!("karakter ke-{} dan seterusnya berlebih", at + 1),
                format!("unexpected characters from character {}", at + 1),
            ),
        }
    }
}

/// Whether `b` is in the payload alphabet: the QR code's alphanumeric set without the space and
/// `*` (the `TPSH1` separator).
fn payload_byte(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b"$%+-./:".contains(&b)
}

/// Writes `[number ":"]`: the number only when it is not the one implied (`implied`, one more
/// than the one before, from 1).
fn write_entry(out: &mut String, implied: u32, number: u16, count: u32) {
    if u32::from(number) != implied {
        let _ = write!(out, "{number}:");
    }
    let _ = write!(out, "{count}");
}

/// The payload of `tally`. Refuses what [`decode`] would refuse: a participant or a candidate
/// twice, or a text longer than [`MAX_TEXT`] (only with absurd figures: 64 participants of 12
/// candidates of billions of votes).
pub fn encode(tally: &Tally) -> Result<String, PayloadError> {
    let mut out = format!(
        "{VERSION}/{}/V{}/I{}",
        tally.ballot.code(),
        tally.valid,
        tally.invalid
    );
    let mut implied = 1u32;
    for (i, p) in tally.participants.iter().enumerate() {
        if tally.participants[..i].iter().any(|q| q.number == p.number) {
            return Err(PayloadError::ParticipantTwice {
                participant: p.number,
            });
        }
        out.push_str("/P");
        write_entry(&mut out, implied, p.number, p.votes);
        implied = u32::from(p.number) + 1;
        if p.party_only != 0 || !p.candidates.is_empty() {
            let _ = write!(out, "+{}", p.party_only);
            let mut implied = 1u32;
            for (j, c) in p.candidates.iter().enumerate() {
                if p.candidates[..j].iter().any(|d| d.number == c.number) {
                    return Err(PayloadError::CandidateTwice {
                        participant: p.number,
                        candidate: c.number,
                    });
                }
                out.push('.');
                write_entry(&mut out, implied, c.number, c.votes);
                implied = u32::from(c.number) + 1;
            }
        }
        if out.len() > MAX_TEXT {
            return Err(PayloadError::TooLong { len: out.len() });
        }
    }
    Ok(out)
}

/// A read position in the text.
struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Consumes `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        let here = self.peek() == Some(b);
        if here {
            self.at += 1;
        }
        here
    }

    fn expect(&mut self, b: u8, what: &'static str) -> Result<(), PayloadError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(PayloadError::Expected { at: self.at, what })
        }
    }

    /// A decimal number, canonical (no leading zero), at most `u32::MAX`.
    fn number(&mut self) -> Result<u32, PayloadError> {
        let start = self.at;
        let mut value = 0u64;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            // Saturates long before it could wrap: 10 digits already pass u32::MAX.
            value = value.saturating_mul(10).saturating_add(u64::from(b - b'0'));
            self.at += 1;
        }
        let digits = self.at - start;
        if digits == 0 {
            return Err(PayloadError::Number { at: start });
        }
        if digits > 1 && self.text.get(start) == Some(&b'0') {
            return Err(PayloadError::LeadingZero { at: start });
        }
        u32::try_from(value).map_err(|_| PayloadError::Overflow { at: start })
    }

    /// `[number ":"] count`: the entry's number (`implied` when not written) and its count.
    fn entry(&mut self, implied: u32) -> Result<(u16, u32), PayloadError> {
        let start = self.at;
        let first = self.number()?;
        if self.eat(b':') {
            let number = u16::try_from(first).map_err(|_| PayloadError::Overflow { at: start })?;
            if u32::from(number) == implied {
                return Err(PayloadError::NotCanonical { at: start });
            }
            Ok((number, self.number()?))
        } else {
            let number =
                u16::try_from(implied).map_err(|_| PayloadError::Overflow { at: start })?;
            Ok((number, first))
        }
    }
}

/// The tally a payload text holds, if it is one exactly as [`encode`] writes it.
pub fn decode(text: &str) -> Result<Tally, PayloadError> {
    if text.is_empty() {
        return Err(PayloadError::Empty);
    }
    if text.len() > MAX_TEXT {
        return Err(PayloadError::TooLong { len: text.len() });
    }
    let bytes = text.as_bytes();
    if let Some(at) = bytes.iter().position(|b| !payload_byte(*b)) {
        return Err(PayloadError::Character { at });
    }
    let prefix = VERSION.len() + 1;
    if bytes.get(..prefix) != Some(format!("{VERSION}/").as_bytes()) {
        return Err(PayloadError::Version);
    }
    let mut c = Cursor {
        text: bytes,
        at: prefix,
    };
    let code_end = bytes[prefix..]
        .iter()
        .position(|b| *b == b'/')
        .map_or(bytes.len(), |n| prefix + n);
    let ballot = BallotType::ALL
        .into_iter()
        .find(|b| b.code().as_bytes() == &bytes[prefix..code_end])
        .ok_or(PayloadError::Ballot { at: prefix })?;
    c.at = code_end;
    c.expect(b'/', "/")?;
    c.expect(b'V', "V")?;
    let valid = c.number()?;
    c.expect(b'/', "/")?;
    c.expect(b'I', "I")?;
    let invalid = c.number()?;
    let mut participants: Box<List<ParticipantVotes, MAX_PARTICIPANTS>> = Box::default();
    let mut implied = 1u32;
    while c.peek().is_some() {
        if !c.eat(b'/') {
            return Err(PayloadError::Trailing { at: c.at });
        }
        c.expect(b'P', "P")?;
        let (number, votes) = c.entry(implied)?;
        implied = u32::from(number) + 1;
        if participants.iter().any(|p| p.number == number) {
            return Err(PayloadError::ParticipantTwice {
                participant: number,
            });
        }
        let mut p = ParticipantVotes {
            number,
            votes,
            party_only: 0,
            candidates: List::new(),
        };
        let plus = c.at;
        if c.eat(b'+') {
            p.party_only = c.number()?;
            let mut implied = 1u32;
            while c.eat(b'.') {
                let (candidate, votes) = c.entry(implied)?;
                implied = u32::from(candidate) + 1;
                if p.candidates.iter().any(|d| d.number == candidate) {
                    return Err(PayloadError::CandidateTwice {
                        participant: number,
                        candidate,
                    });
                }
                p.candidates
                    .push(CandidateVotes {
                        number: candidate,
                        votes,
                    })
                    .map_err(|_| PayloadError::TooManyCandidates {
                        participant: number,
                    })?;
            }
            if p.party_only == 0 && p.candidates.is_empty() {
                return Err(PayloadError::NotCanonical { at: plus });
            }
        }
        participants
            .push(p)
            .map_err(|_| PayloadError::TooManyParticipants)?;
    }
    Ok(Tally {
        ballot,
        participants,
        valid,
        invalid,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::tally::{Difference, sums};

    fn party(number: u16, party_only: u32, candidates: &[(u16, u32)]) -> ParticipantVotes {
        let mut list = List::new();
        for &(number, votes) in candidates {
            list.push(CandidateVotes { number, votes }).unwrap();
        }
        ParticipantVotes {
            number,
            votes: party_only + candidates.iter().map(|c| c.1).sum::<u32>(),
            party_only,
            candidates: list,
        }
    }

    fn small() -> Tally {
        let mut participants = List::new();
        participants
            .push(party(1, 10, &[(1, 30), (2, 20)]))
            .unwrap();
        participants.push(party(2, 0, &[(1, 25), (2, 35)])).unwrap();
        participants.push(party(5, 0, &[])).unwrap();
        participants.push(party(6, 3, &[(2, 4), (3, 0)])).unwrap();
        Tally {
            ballot: BallotType::Dpr,
            participants: Box::new(participants),
            valid: 127,
            invalid: 5,
        }
    }

    #[test]
    fn the_format_example_round_trips() {
        let text = "CH1/DPR/V127/I5/P60+10.30.20/P60+0.25.35/P5:0/P7+3.2:4.0";
        assert_eq!(encode(&small()).unwrap(), text);
        assert_eq!(decode(text).unwrap(), small());
        assert!(sums(&small()).is_empty());
        let ppwp = "CH1/PPWP/V300/I4/P120/P98/P82";
        let t = decode(ppwp).unwrap();
        assert_eq!(t.ballot, BallotType::Ppwp);
        assert_eq!(t.participants.len(), 3);
        assert_eq!(t.participants[2].votes, 82);
        assert_eq!(encode(&t).unwrap(), ppwp);
        assert!(sums(&t).is_empty());
    }

    #[test]
    fn every_malformed_text_is_named() {
        use PayloadError as E;
        let cases: &[(&str, PayloadError)] = &[
            ("", E::Empty),
            ("CH1/DPR/V1/I0 ", E::Character { at: 13 }),
            ("ch1/DPR/V1/I0", E::Character { at: 0 }),
            ("CH1/DPR/V1/I0/P1*", E::Character { at: 16 }),
            ("CH2/DPR/V1/I0", E::Version),
            ("CH1", E::Version),
            ("TPSK2", E::Version),
            ("CH1/DPRX/V1/I0", E::Ballot { at: 4 }),
            ("CH1/", E::Ballot { at: 4 }),
            ("CH1/DPR", E::Expected { at: 7, what: "/" }),
            ("CH1/DPR/I1/V0", E::Expected { at: 8, what: "V" }),
            ("CH1/DPR/V/I0", E::Number { at: 9 }),
            ("CH1/DPR/V1", E::Expected { at: 10, what: "/" }),
            ("CH1/DPR/V1/I01", E::LeadingZero { at: 12 }),
            ("CH1/DPR/V4294967296/I0", E::Overflow { at: 9 }),
            ("CH1/DPR/V99999999999999999999999/I0", E::Overflow { at: 9 }),
            ("CH1/DPR/V1/I0/Q1", E::Expected { at: 14, what: "P" }),
            ("CH1/DPR/V1/I0/P", E::Number { at: 15 }),
            ("CH1/DPR/V1/I0/P1:1", E::NotCanonical { at: 15 }),
            ("CH1/DPR/V1/I0/P1+0", E::NotCanonical { at: 16 }),
            ("CH1/DPR/V1/I0/P1+0.1:1", E::NotCanonical { at: 19 }),
            ("CH1/DPR/V1/I0/P65536:1", E::Overflow { at: 15 }),
            ("CH1/DPR/V1/I0/P65535:1/P1", E::Overflow { at: 24 }),
            (
                "CH1/DPR/V1/I0/P3:1/P3:1",
                E::ParticipantTwice { participant: 3 },
            ),
            (
                "CH1/DPR/V1/I0/P1+0.1.3:1.3:2",
                E::CandidateTwice {
                    participant: 1,
                    candidate: 3,
                },
            ),
            ("CH1/DPR/V1/I0/P1X", E::Trailing { at: 16 }),
            ("CH1/DPR/V1/I0X", E::Trailing { at: 13 }),
            ("CH1/DPR/V1/I0/", E::Expected { at: 14, what: "P" }),
            ("CH1/DPR/V1/I0/P1+1.", E::Number { at: 19 }),
        ];
        for (text, error) in cases {
            assert_eq!(decode(text), Err(*error), "{text:?}");
            assert!(!error.text().id.is_empty() && !error.text().en.is_empty());
        }
        let long = format!("CH1/DPR/V1/I0/P1{}", "0".repeat(MAX_TEXT));
        assert_eq!(decode(&long), Err(E::TooLong { len: long.len() }));
        let many = format!("CH1/PPWP/V0/I0{}", "/P0".repeat(MAX_PARTICIPANTS + 1));
        assert_eq!(decode(&many), Err(E::TooManyParticipants));
        let cands = format!("CH1/DPR/V0/I0/P0+0{}", ".0".repeat(MAX_CANDIDATES + 1));
        assert_eq!(decode(&cands), Err(E::TooManyCandidates { participant: 1 }));
    }

    #[test]
    fn a_tally_with_a_participant_twice_has_no_payload() {
        let mut t = small();
        let again = t.participants[0].clone();
        t.participants.push(again).unwrap();
        assert_eq!(
            encode(&t),
            Err(PayloadError::ParticipantTwice { participant: 1 })
        );
    }

    #[test]
    fn sums_name_each_difference() {
        let mut t = small();
        t.valid = 128;
        t.participants.as_mut_slice()[0].votes = 61;
        t.participants.as_mut_slice()[2].party_only = 1;
        t.participants.as_mut_slice()[3].votes = 0;
        assert_eq!(
            sums(&t),
            vec![
                Difference::PartySum {
                    participant: 1,
                    votes: 61,
                    party_only: 10,
                    candidates: 50
                },
                Difference::PartySum {
                    participant: 5,
                    votes: 0,
                    party_only: 1,
                    candidates: 0
                },
                Difference::PartySum {
                    participant: 6,
                    votes: 0,
                    party_only: 3,
                    candidates: 4
                },
                Difference::ParticipantsSum {
                    sum: 121,
                    valid: 128
                }
            ]
        );
        t.ballot = BallotType::Dpd;
        assert_eq!(
            sums(&t)[0],
            Difference::PartyOnlyWithoutLists {
                participant: 1,
                votes: 10
            }
        );
    }
}
