//! The figures of a C.Hasil read from a verified QR sequence's `CH1` payload, as `receipt
//! verify` reports them, and whether they add up.
//!
//! A difference is reported, never a failure: the kiosk may print a count whose difference the
//! KPPS recorded as a kejadian khusus under the witnesses' confirmation (issue 13), and the
//! signature says the device printed those very figures. Offline there is no close-out, so only
//! the sums a C.Hasil holds by itself are checked ([`tally::sums`]); with the package, also its
//! participants and candidate lists ([`tally::check`] without the close-out's two checks).

use serde::Serialize;
use tps_firmware::identity::package::ElectionPackage;
use tps_firmware::tally::{self, CloseOut, Difference, Tally};
use tps_firmware::text::Lang;

/// One candidate's votes.
#[derive(Debug, Serialize)]
pub struct CandidateFigure {
    number: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    votes: u32,
}

/// One participant's votes.
#[derive(Debug, Serialize)]
pub struct ParticipantFigure {
    number: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    votes: u32,
    party_only: u32,
    candidates: Vec<CandidateFigure>,
}

/// A C.Hasil's figures and the differences its sums show.
#[derive(Debug, Serialize)]
pub struct Figures {
    ballot: &'static str,
    #[serde(skip)]
    lists: bool,
    valid: u32,
    invalid: u32,
    total: u64,
    participants: Vec<ParticipantFigure>,
    /// Whether the sums hold (no difference).
    pub sums_hold: bool,
    differences: Vec<String>,
}

/// The figures of `tally`, its participants named when `package` is given, and the differences
/// in `lang`.
pub fn figures(tally: &Tally, package: Option<&ElectionPackage>, lang: Lang) -> Figures {
    let spec = package.and_then(|p| p.ballot(tally.ballot));
    let differences: Vec<Difference> = match package {
        None => tally::sums(tally),
        Some(p) => {
            let close_out = CloseOut {
                used: tally.valid.saturating_add(tally.invalid),
                entitled: u32::MAX,
            };
            tally::check(tally, p, close_out)
                .into_iter()
                .filter(|d| {
                    !matches!(
                        d,
                        Difference::BallotsUsed { .. } | Difference::UsedOverEntitled { .. }
                    )
                })
                .collect()
        }
    };
    let participants = tally
        .participants
        .iter()
        .map(|p| {
            let on = spec.and_then(|s| s.participant(p.number));
            ParticipantFigure {
                number: p.number,
                name: on.map(|q| q.name.to_string()),
                votes: p.votes,
                party_only: p.party_only,
                candidates: p
                    .candidates
                    .iter()
                    .map(|c| CandidateFigure {
                        number: c.number,
                        name: on
                            .and_then(|q| q.candidate(c.number))
                            .map(|x| x.name.to_string()),
                        votes: c.votes,
                    })
                    .collect(),
            }
        })
        .collect();
    Figures {
        ballot: tally.ballot.code(),
        lists: tally.ballot.lists_candidates(),
        valid: tally.valid,
        invalid: tally.invalid,
        total: u64::from(tally.valid) + u64::from(tally.invalid),
        participants,
        sums_hold: differences.is_empty(),
        differences: differences
            .iter()
            .map(|d| d.text(tally.ballot).get(lang).to_string())
            .collect(),
    }
}

fn named(number: u16, name: Option<&String>) -> String {
    name.map_or(number.to_string(), |n| format!("{number}. {n}"))
}

/// The figures, one participant a line, then whether the sums hold or each difference.
pub fn words(f: &Figures, lang: Lang) -> String {
    let mut s = match lang {
        Lang::Id => format!(
            "C.Hasil {}: suara sah {}, suara tidak sah {}, jumlah {}\n",
            f.ballot, f.valid, f.invalid, f.total
        ),
        Lang::En => format!(
            "C.Hasil {}: valid {}, invalid {}, total {}\n",
            f.ballot, f.valid, f.invalid, f.total
        ),
    };
    for p in &f.participants {
        s.push_str(&format!(
            "  {}: {}",
            named(p.number, p.name.as_ref()),
            p.votes
        ));
        if f.lists || p.party_only != 0 || !p.candidates.is_empty() {
            let candidates: Vec<String> = p
                .candidates
                .iter()
                .map(|c| format!("{}:{}", c.number, c.votes))
                .collect();
            s.push_str(&match lang {
                Lang::Id => format!(
                    " (partai saja {}; calon {})",
                    p.party_only,
                    candidates.join(" ")
                ),
                Lang::En => format!(
                    " (party only {}; candidates {})",
                    p.party_only,
                    candidates.join(" ")
                ),
            });
        }
        s.push('\n');
    }
    if f.sums_hold {
        s.push_str(match (lang, f.lists) {
            (Lang::Id, true) => {
                "jumlah cocok: suara semua peserta = suara sah; suara tiap partai = suara \
                 partai saja + suara calonnya\n"
            }
            (Lang::Id, false) => "jumlah cocok: suara semua peserta = suara sah\n",
            (Lang::En, true) => {
                "the sums hold: the participants' votes = the valid votes; each party's = its \
                 party-only votes + its candidates'\n"
            }
            (Lang::En, false) => "the sums hold: the participants' votes = the valid votes\n",
        });
    }
    for d in &f.differences {
        s.push_str(&match lang {
            Lang::Id => format!("SELISIH: {d}\n"),
            Lang::En => format!("DIFFERENCE: {d}\n"),
        });
    }
    s
}
