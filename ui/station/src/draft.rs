//! A step's form fields as the chair typed them ([`Draft`]) and the one parser that turns them
//! into the step's [`StepInput`] ([`build`]), used by the screens and by the scenarios alike.
//! Whether the entries are acceptable is the engine's to say (`check_proposal`, `reconcile`),
//! never this module's: it only puts them together, or names what is missing to do so.

use std::collections::BTreeMap;

use tps_firmware::bounded::{List, Text};
use tps_firmware::election::{BallotType, MaleFemale};
use tps_firmware::procedure::State;
use tps_firmware::procedure::input::{
    BallotSealing, BallotTally, BallotUsage, BoxLock, EnvelopeSeal, Exception, InputKind,
    ItemCheck, ItemCount, Reconciliation, StepInput, Turnout,
};
use tps_firmware::procedure::refusal::{Field, Refusal};
use tps_firmware::procedure::spec::{Stage, StepSpec};
use tps_firmware::procedure::tally::{CandidateVotes, ParticipantVotes, Tally};
use tps_firmware::text::Bilingual;

/// A yes/no answer or a tick: 0 unanswered (unticked), 1 yes, 2 no.
pub type Choice = i32;

/// The chair's entries for one step, by field key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// The yes/no answers and ticks, by field key.
    pub choices: BTreeMap<String, Choice>,
    /// What was typed, by field key.
    pub values: BTreeMap<String, String>,
}

/// The field holding the reason for a correction (not part of the step's input: it goes with
/// the correction command).
pub const CORRECTION_REASON: &str = "correction:reason";

/// The padlock number read off a box opened for the count.
pub const FOUND_LOCK: &str = "found:lock";
/// Whether that padlock was unbroken (a choice).
pub const FOUND_INTACT: &str = "found:intact";
/// The ballots found in that box.
pub const FOUND_BALLOTS: &str = "found:ballots";
/// The name of the PPS officer receiving the boxes.
pub const RECEIVER: &str = "receiver";
/// Valid votes of a count.
pub const VALID: &str = "valid";
/// Invalid votes of a count.
pub const INVALID: &str = "invalid";
/// The seal fields of the sealing step for one ballot type, in the order of the input's
/// [`BallotSealing`]: the four envelopes, then the box.
pub const SEALS_AFTER_COUNT: [&str; 5] = [
    "seal-valid",
    "seal-invalid",
    "seal-unused",
    "seal-damaged",
    "seal-box",
];

/// The field of participant `number`'s votes (on a ballot without party lists).
pub fn votes_key(number: u16) -> String {
    format!("votes:{number}")
}

/// The field of party `number`'s votes for the party alone.
pub fn party_key(number: u16) -> String {
    format!("party:{number}")
}

/// The field of candidate `candidate` of party `party`.
pub fn candidate_key(party: u16, candidate: u16) -> String {
    format!("cand:{party}.{candidate}")
}

/// The maximum length of what may be typed into a field (what the record can hold).
pub fn max_length(key: &str) -> usize {
    if key.starts_with("lock:") || key.starts_with("seal") || key == FOUND_LOCK {
        24
    } else if key == RECEIVER {
        64
    } else if key.starts_with("exception") || key == CORRECTION_REASON {
        280
    } else if key.starts_with("item:") || key == "queued" {
        // Counts of equipment and of the queue are kept as u16: 4 digits always fit (our own
        // bound), so a long number is cut on the keypad, never read as "not filled in".
        4
    } else {
        // Ballot and voter counts (u32): 6 digits, more than any TPS; too many are refused by
        // the engine as impossible.
        6
    }
}

/// Whether a field holds sentences someone writes (capitalised where a sentence starts).
pub fn is_free_text(key: &str) -> bool {
    key == CORRECTION_REASON || key == "exception:action"
}

/// Whether a field takes a number.
pub fn is_number(spec: &StepSpec, key: &str) -> bool {
    if key == CORRECTION_REASON {
        return false;
    }
    match spec.input {
        InputKind::BoxInventory => key.starts_with("item:"),
        InputKind::BallotCount => key.starts_with("count:"),
        InputKind::PollsClose | InputKind::Reconciliation => true,
        InputKind::BoxOpen => key == FOUND_BALLOTS,
        InputKind::Count => !key.starts_with("exception"),
        _ => false,
    }
}

impl Draft {
    /// The answer or tick of field `key` (0 if none).
    pub fn choice(&self, key: &str) -> Choice {
        self.choices.get(key).copied().unwrap_or(0)
    }

    /// What was typed into field `key` (empty if nothing).
    pub fn value(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }

    /// The number typed into field `key`; `None` if nothing or not a number of this type.
    pub fn number<T: std::str::FromStr>(&self, key: &str) -> Option<T> {
        let v = self.value(key).trim();
        if v.is_empty() { None } else { v.parse().ok() }
    }

    /// The entries of an input already proposed, to show them again (after a restart, or after
    /// "change" to edit them).
    pub fn from_input(input: &StepInput) -> Draft {
        let mut d = Draft::default();
        let yes = |b: bool| if b { 1 } else { 2 };
        match input {
            StepInput::Checklist { items, exception } => {
                for i in items.iter() {
                    d.choices.insert(format!("item:{}", i.item), yes(i.present));
                }
                d.set_exception(exception.as_ref());
            }
            StepInput::BoxInventory { items, exception } => {
                for i in items.iter() {
                    d.values
                        .insert(format!("item:{}", i.item), i.count.to_string());
                }
                d.set_exception(exception.as_ref());
            }
            StepInput::EmptyBox { locks } => {
                for l in locks.iter() {
                    d.values
                        .insert(format!("lock:{}", l.ballot), l.seal.to_string());
                }
            }
            StepInput::SealCheck { seals, exception } => {
                for s in seals.iter() {
                    d.values
                        .insert(format!("seal:{}", s.ballot), s.seal.to_string());
                    d.choices
                        .insert(format!("intact:{}", s.ballot), yes(s.intact));
                }
                d.set_exception(exception.as_ref());
            }
            StepInput::BallotCount { counts, exception } => {
                for c in counts.iter() {
                    d.values
                        .insert(format!("count:{}", c.ballot), c.counted.to_string());
                    d.choices
                        .insert(format!("dapil:{}", c.ballot), yes(c.dapil_ok));
                }
                d.set_exception(exception.as_ref());
            }
            StepInput::Explanations { topics } => {
                for t in topics.iter() {
                    d.choices.insert(format!("topic:{t}"), 1);
                }
            }
            StepInput::PollsClose { queued } => {
                d.values.insert("queued".into(), queued.to_string());
            }
            StepInput::Reconciliation(r) => {
                for b in r.ballots.iter() {
                    d.values
                        .insert(format!("used:{}", b.ballot), b.used.to_string());
                    d.values
                        .insert(format!("unused:{}", b.ballot), b.unused.to_string());
                    d.values
                        .insert(format!("damaged:{}", b.ballot), b.damaged.to_string());
                    d.values
                        .insert(format!("dptb:{}", b.ballot), b.dptb_voters.to_string());
                }
                for (list, mf) in [
                    ("dpt", r.turnout.dpt),
                    ("dptb", r.turnout.dptb),
                    ("dpk", r.turnout.dpk),
                    ("disabled", r.disabled_voters),
                ] {
                    d.values.insert(format!("{list}:male"), mf.male.to_string());
                    d.values
                        .insert(format!("{list}:female"), mf.female.to_string());
                }
            }
            StepInput::BoxOpen {
                seal,
                intact,
                ballots,
                exception,
                ..
            } => {
                d.values.insert(FOUND_LOCK.into(), seal.to_string());
                d.choices.insert(FOUND_INTACT.into(), yes(*intact));
                d.values.insert(FOUND_BALLOTS.into(), ballots.to_string());
                d.set_exception(exception.as_ref());
            }
            StepInput::Count { tally, exception } => {
                let lists = tally.ballot.lists_candidates();
                for p in tally.participants.iter() {
                    if lists {
                        d.values
                            .insert(party_key(p.number), p.party_only.to_string());
                        for c in p.candidates.iter() {
                            d.values
                                .insert(candidate_key(p.number, c.number), c.votes.to_string());
                        }
                    } else {
                        d.values.insert(votes_key(p.number), p.votes.to_string());
                    }
                }
                d.values.insert(VALID.into(), tally.valid.to_string());
                d.values.insert(INVALID.into(), tally.invalid.to_string());
                d.set_exception(exception.as_ref());
            }
            StepInput::Sealing { seals } => {
                for s in seals.iter() {
                    let numbers = [&s.valid, &s.invalid, &s.unused, &s.damaged, &s.box_seal];
                    for (field, seal) in SEALS_AFTER_COUNT.iter().zip(numbers) {
                        d.values
                            .insert(format!("{field}:{}", s.ballot), seal.to_string());
                    }
                }
            }
            StepInput::Handover { receiver } => {
                d.values.insert(RECEIVER.into(), receiver.to_string());
            }
            StepInput::Attendance | StepInput::Oath | StepInput::PollsOpen => {}
        }
        d
    }

    fn set_exception(&mut self, e: Option<&Exception>) {
        if let Some(e) = e {
            self.values
                .insert("exception:action".into(), e.action.to_string());
            self.choices
                .insert("exception:pps".into(), i32::from(e.pps_contacted));
        }
    }
}

/// A field that must be filled before the entries can even be put together, named as the
/// engine's "not filled in" refusal names things.
fn missing(state: &State, key: &str) -> Bilingual {
    if let Some(named) = count_field(key) {
        return named;
    }
    let (part, code) = key.split_once(':').unwrap_or((key, ""));
    let ballot = BallotType::parse(code).map(|b| {
        state
            .procedure()
            .ballot_rule(b)
            .map_or_else(|| Bilingual::new(code, code), |r| r.name.clone())
    });
    let what = match part {
        "used" => Bilingual::new("digunakan", "used"),
        "unused" => Bilingual::new("tidak digunakan", "unused"),
        "damaged" => Bilingual::new("rusak", "damaged"),
        "dptb" if ballot.is_some() => Bilingual::new("diterima pemilih DPTb", "DPTb voters"),
        "count" => Bilingual::new("jumlah dihitung", "count"),
        "dapil" => Bilingual::new("dapil sesuai atau tidak", "dapil matches or not"),
        "intact" => Bilingual::new("segel utuh atau rusak", "seal intact or broken"),
        "queued" => Bilingual::new("jumlah pemilih yang masih antre", "voters still queuing"),
        "disabled" => Bilingual::new("pemilih disabilitas", "voters with disabilities"),
        list => Bilingual::new(list.to_uppercase(), list.to_uppercase()),
    };
    let sex = match code {
        "male" => Some(Bilingual::new("laki-laki", "male")),
        "female" => Some(Bilingual::new("perempuan", "female")),
        _ => None,
    };
    match (ballot, sex) {
        (Some(b), _) => Bilingual::new(
            format!("{} {}", b.id, what.id),
            format!("{} {}", b.en, what.en),
        ),
        (None, Some(s)) => Bilingual::new(
            format!("{} {}", what.id, s.id),
            format!("{} {}", what.en, s.en),
        ),
        (None, None) => what,
    }
}

/// The name of a count's or a box opening's field, if `key` is one.
fn count_field(key: &str) -> Option<Bilingual> {
    let (part, rest) = key.split_once(':').unwrap_or((key, ""));
    Some(match (part, rest.split_once('.')) {
        ("votes", _) => Bilingual::new(
            format!("suara peserta nomor {rest}"),
            format!("votes of participant {rest}"),
        ),
        ("party", _) => Bilingual::new(
            format!("suara partai saja nomor {rest}"),
            format!("party-only votes of party {rest}"),
        ),
        ("cand", Some((party, candidate))) => Bilingual::new(
            format!("suara calon nomor {candidate} partai nomor {party}"),
            format!("votes of candidate {candidate} of party {party}"),
        ),
        ("valid", _) => Bilingual::new("suara sah", "valid votes"),
        ("invalid", _) => Bilingual::new("suara tidak sah", "invalid votes"),
        ("found", _) if rest == "intact" => {
            Bilingual::new("gembok utuh atau rusak", "padlock intact or broken")
        }
        ("found", _) if rest == "ballots" => {
            Bilingual::new("surat suara di dalam kotak", "ballots in the box")
        }
        _ => return None,
    })
}

fn incomplete(state: &State, keys: &[String]) -> Refusal {
    Refusal::Incomplete {
        missing: keys.iter().map(|k| missing(state, k)).collect(),
    }
}

fn note<const N: usize>(s: &str, field: Field) -> Result<Text<N>, Refusal> {
    Text::new(s.trim()).map_err(|_| Refusal::TextTooLong { field, max: N })
}

fn exception(draft: &Draft) -> Result<Option<Exception>, Refusal> {
    let action = draft.value("exception:action").trim();
    if action.is_empty() {
        return Ok(None);
    }
    Ok(Some(Exception {
        action: note(action, Field::Action)?,
        pps_contacted: draft.choice("exception:pps") == 1,
    }))
}

fn list<T, const N: usize>(items: Vec<T>) -> List<T, N> {
    // The package has at most 8 ballot types and the procedure at most 24 items or 12 topics,
    // the sizes of these lists.
    List::try_from(items).unwrap_or_default()
}

fn id(s: &str) -> Text<24> {
    Text::truncated(s)
}

/// The entries as the step's input. `Err` is a refusal the screen shows as is: a field that must
/// be filled first (named as the engine names missing entries), or a text too long.
pub fn build(state: &State, spec: &StepSpec, draft: &Draft) -> Result<StepInput, Refusal> {
    let procedure = state.procedure();
    let types = state.package().ballot_types();
    let mut lacking = Vec::new();
    let input = match spec.input {
        InputKind::Attendance => StepInput::Attendance,
        InputKind::Oath => StepInput::Oath,
        InputKind::Checklist => StepInput::Checklist {
            // Unanswered items are left out: the engine names them.
            items: list(
                procedure
                    .equipment_for(Stage::Preparation, &types)
                    .filter_map(|e| match draft.choice(&format!("item:{}", e.id)) {
                        0 => None,
                        c => Some(ItemCheck {
                            item: id(&e.id),
                            present: c == 1,
                        }),
                    })
                    .collect(),
            ),
            exception: exception(draft)?,
        },
        InputKind::BoxInventory => StepInput::BoxInventory {
            items: list(
                procedure
                    .equipment_for(Stage::Box, &types)
                    .filter_map(|e| {
                        draft
                            .number(&format!("item:{}", e.id))
                            .map(|count| ItemCount {
                                item: id(&e.id),
                                count,
                            })
                    })
                    .collect(),
            ),
            exception: exception(draft)?,
        },
        InputKind::EmptyBox => {
            let mut locks = Vec::new();
            for b in &types {
                locks.push(BoxLock {
                    ballot: *b,
                    seal: note(draft.value(&format!("lock:{b}")), Field::SealNumber)?,
                });
            }
            StepInput::EmptyBox { locks: list(locks) }
        }
        InputKind::SealCheck => {
            let mut seals = Vec::new();
            for b in &types {
                let key = format!("intact:{b}");
                let intact = match draft.choice(&key) {
                    0 => {
                        lacking.push(key);
                        true
                    }
                    c => c == 1,
                };
                seals.push(EnvelopeSeal {
                    ballot: *b,
                    seal: note(draft.value(&format!("seal:{b}")), Field::SealNumber)?,
                    intact,
                });
            }
            StepInput::SealCheck {
                seals: list(seals),
                exception: exception(draft)?,
            }
        }
        InputKind::BallotCount => {
            let mut counts = Vec::new();
            for b in &types {
                let count_key = format!("count:{b}");
                let dapil_key = format!("dapil:{b}");
                let counted = draft.number(&count_key).unwrap_or_else(|| {
                    lacking.push(count_key.clone());
                    0
                });
                let dapil_ok = match draft.choice(&dapil_key) {
                    0 => {
                        lacking.push(dapil_key);
                        true
                    }
                    c => c == 1,
                };
                counts.push(BallotTally {
                    ballot: *b,
                    counted,
                    dapil_ok,
                });
            }
            StepInput::BallotCount {
                counts: list(counts),
                exception: exception(draft)?,
            }
        }
        InputKind::Explanations => StepInput::Explanations {
            topics: list(
                procedure
                    .topics_of(spec)
                    .filter(|t| draft.choice(&format!("topic:{}", t.id)) == 1)
                    .map(|t| id(&t.id))
                    .collect(),
            ),
        },
        InputKind::PollsOpen => StepInput::PollsOpen,
        InputKind::PollsClose => match draft.number("queued") {
            Some(queued) => StepInput::PollsClose { queued },
            None => return Err(incomplete(state, &["queued".to_string()])),
        },
        InputKind::Reconciliation => StepInput::Reconciliation(build_reconciliation(state, draft)?),
        InputKind::BoxOpen => {
            let intact = match draft.choice(FOUND_INTACT) {
                0 => {
                    lacking.push(FOUND_INTACT.to_string());
                    true
                }
                c => c == 1,
            };
            let ballots = draft.number(FOUND_BALLOTS).unwrap_or_else(|| {
                lacking.push(FOUND_BALLOTS.to_string());
                0
            });
            StepInput::BoxOpen {
                ballot: step_ballot(state, spec)?,
                seal: note(draft.value(FOUND_LOCK), Field::SealNumber)?,
                intact,
                ballots,
                exception: exception(draft)?,
            }
        }
        InputKind::Count => StepInput::Count {
            tally: build_tally(state, step_ballot(state, spec)?, draft, &mut lacking),
            exception: exception(draft)?,
        },
        InputKind::Sealing => {
            let mut seals = Vec::new();
            for b in &types {
                let seal =
                    |field: &str| note(draft.value(&format!("{field}:{b}")), Field::SealNumber);
                let [valid, invalid, unused, damaged, box_seal] = SEALS_AFTER_COUNT;
                seals.push(BallotSealing {
                    ballot: *b,
                    valid: seal(valid)?,
                    invalid: seal(invalid)?,
                    unused: seal(unused)?,
                    damaged: seal(damaged)?,
                    box_seal: seal(box_seal)?,
                });
            }
            StepInput::Sealing { seals: list(seals) }
        }
        InputKind::Handover => StepInput::Handover {
            receiver: note(draft.value(RECEIVER), Field::Receiver)?,
        },
    };
    if lacking.is_empty() {
        Ok(input)
    } else {
        Err(incomplete(state, &lacking))
    }
}

/// The ballot type of a per-ballot step; a step without one (a procedure the engine did not
/// expand) cannot be entered.
fn step_ballot(state: &State, spec: &StepSpec) -> Result<BallotType, Refusal> {
    spec.ballot.ok_or_else(|| Refusal::BallotTypesMismatch {
        expected: state
            .package()
            .ballot_types()
            .into_iter()
            .filter_map(|b| state.procedure().ballot_rule(b).map(|r| r.name.clone()))
            .collect(),
    })
}

/// A count as the engine's [`Tally`]: every participant of the package's ballot in ballot order;
/// on a party ballot each party's votes are what the kiosk adds up from its party-only votes and
/// its candidates' (shown live on the screen), on any other what was typed. Empty fields are
/// pushed onto `lacking`.
pub fn build_tally(
    state: &State,
    ballot: BallotType,
    draft: &Draft,
    lacking: &mut Vec<String>,
) -> Tally {
    let mut num = |key: String| -> u32 {
        draft.number(&key).unwrap_or_else(|| {
            lacking.push(key);
            0
        })
    };
    let mut participants = Vec::new();
    for p in state
        .package()
        .ballot(ballot)
        .into_iter()
        .flat_map(|spec| spec.participants.iter())
    {
        if ballot.lists_candidates() {
            let party_only = num(party_key(p.number));
            let mut candidates = Vec::new();
            for c in p.candidates.iter() {
                candidates.push(CandidateVotes {
                    number: c.number,
                    votes: num(candidate_key(p.number, c.number)),
                });
            }
            let votes = candidates
                .iter()
                .fold(party_only, |sum, c| sum.saturating_add(c.votes));
            participants.push(ParticipantVotes {
                number: p.number,
                votes,
                party_only,
                candidates: List::try_from(candidates).unwrap_or_default(),
            });
        } else {
            participants.push(ParticipantVotes {
                number: p.number,
                votes: num(votes_key(p.number)),
                party_only: 0,
                candidates: List::new(),
            });
        }
    }
    Tally {
        ballot,
        participants: Box::new(List::try_from(participants).unwrap_or_default()),
        valid: num(VALID.to_string()),
        invalid: num(INVALID.to_string()),
    }
}

/// The close-out's figures as the engine's [`Reconciliation`]; `Err` names the fields still empty.
pub fn build_reconciliation(state: &State, draft: &Draft) -> Result<Reconciliation, Refusal> {
    let mut lacking = Vec::new();
    let mut num = |key: String| -> u32 {
        draft.number(&key).unwrap_or_else(|| {
            lacking.push(key);
            0
        })
    };
    let mut usage = Vec::new();
    for b in state.package().ballot_types() {
        usage.push(BallotUsage {
            ballot: b,
            used: num(format!("used:{b}")),
            unused: num(format!("unused:{b}")),
            damaged: num(format!("damaged:{b}")),
            dptb_voters: num(format!("dptb:{b}")),
        });
    }
    let mut mf = |list: &str| MaleFemale {
        male: num(format!("{list}:male")),
        female: num(format!("{list}:female")),
    };
    let turnout = Turnout {
        dpt: mf("dpt"),
        dptb: mf("dptb"),
        dpk: mf("dpk"),
    };
    let disabled_voters = mf("disabled");
    if !lacking.is_empty() {
        return Err(incomplete(state, &lacking));
    }
    Ok(Reconciliation {
        ballots: list(usage),
        turnout,
        disabled_voters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_number_a_field_takes_fits_its_record() {
        let most = |key: &str| "9".repeat(max_length(key));
        let draft = Draft {
            values: ["item:segel", "queued", "count:DPR", "used:DPR"]
                .into_iter()
                .map(|k| (k.to_string(), most(k)))
                .collect(),
            ..Draft::default()
        };
        assert_eq!(draft.number::<u16>("item:segel"), Some(9999));
        assert_eq!(draft.number::<u16>("queued"), Some(9999));
        assert_eq!(draft.number::<u32>("count:DPR"), Some(999_999));
        assert_eq!(draft.number::<u32>("used:DPR"), Some(999_999));
    }
}
