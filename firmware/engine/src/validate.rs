//! Checks of the chair's entries against the package and the procedure data: what is missing,
//! short, broken or different, and whether the close-out adds up.

use super::refusal::{
    CountOf, Difference, Envelope, Field, Mismatch, NamedBallot, Refusal, SealPlace,
};
use super::state::State;
use tps_base::election::BallotType;
use tps_base::text::Bilingual;
use tps_domain::input::{BallotUsage, Exception, InputKind, StepInput, Turnout};
use tps_domain::spec::{Stage, StepSpec};
use tps_domain::tally::{self, CloseOut, Tally};

/// Checks `input` for step `spec`. `Ok` means it may be proposed.
pub fn check_input(state: &State, spec: &StepSpec, input: &StepInput) -> Result<(), Refusal> {
    if input.kind() != spec.input {
        return Err(Refusal::WrongInput {
            step: spec.title.clone(),
        });
    }
    if let Some(expected) = spec.ballot
        && input.ballot() != Some(expected)
    {
        return Err(Refusal::WrongBallot {
            step: spec.title.clone(),
            expected: named(state, expected),
        });
    }
    if let Some(e) = input.exception() {
        check_exception(e)?;
    }
    let differences = match input {
        StepInput::Checklist { items, .. } => checklist(state, items)?,
        StepInput::BoxInventory { items, .. } => inventory(state, items)?,
        StepInput::EmptyBox { locks } => {
            ballots_once(state, locks.iter().map(|l| l.ballot))?;
            seals_once(state, spec, input)?;
            Vec::new()
        }
        StepInput::SealCheck { seals, .. } => {
            ballots_once(state, seals.iter().map(|s| s.ballot))?;
            seals_once(state, spec, input)?;
            seals
                .iter()
                .filter(|s| !s.intact)
                .map(|s| Difference::SealBroken {
                    ballot: named(state, s.ballot),
                })
                .collect()
        }
        StepInput::BallotCount { counts, .. } => {
            ballots_once(state, counts.iter().map(|c| c.ballot))?;
            let mut d = Vec::new();
            for c in counts.iter() {
                let Some(spec) = state.package().ballot(c.ballot) else {
                    continue;
                };
                possible(state, c.ballot, CountOf::Counted, c.counted, spec.delivered)?;
                if c.counted != spec.delivered {
                    d.push(Difference::CountDiffers {
                        ballot: named(state, c.ballot),
                        expected: spec.delivered,
                        counted: c.counted,
                    });
                }
                if !c.dapil_ok {
                    d.push(Difference::WrongDapil {
                        ballot: named(state, c.ballot),
                        dapil: spec.dapil.to_string(),
                    });
                }
            }
            d
        }
        StepInput::Explanations { topics } => {
            let missing: Vec<Bilingual> = state
                .procedure()
                .topics_of(spec)
                .filter(|t| !topics.iter().any(|given| given.as_str() == t.id))
                .map(|t| t.text.clone())
                .collect();
            if !missing.is_empty() {
                return Err(Refusal::Unexplained { topics: missing });
            }
            Vec::new()
        }
        StepInput::Reconciliation(r) => {
            ballots_once(state, r.ballots.iter().map(|b| b.ballot))?;
            for b in r.ballots.iter() {
                let Some(spec) = state.package().ballot(b.ballot) else {
                    continue;
                };
                possible(state, b.ballot, CountOf::Used, b.used, spec.delivered)?;
                possible(state, b.ballot, CountOf::Unused, b.unused, spec.delivered)?;
                possible(state, b.ballot, CountOf::Damaged, b.damaged, spec.delivered)?;
            }
            let mismatches = reconcile(state, r);
            if !mismatches.is_empty() {
                return Err(Refusal::DoesNotReconcile { mismatches });
            }
            Vec::new()
        }
        StepInput::BoxOpen {
            ballot,
            seal,
            intact,
            ballots,
            ..
        } => box_open(state, *ballot, seal, *intact, *ballots)?,
        StepInput::Count { tally, .. } => count(state, tally)?,
        StepInput::Sealing { seals } => {
            ballots_once(state, seals.iter().map(|s| s.ballot))?;
            seals_once(state, spec, input)?;
            Vec::new()
        }
        StepInput::Handover { receiver } => {
            if receiver.chars().any(char::is_control) {
                return Err(Refusal::ControlCharacter {
                    field: Field::Receiver,
                });
            }
            if receiver.trim().is_empty() {
                return Err(Refusal::MissingText {
                    field: Field::Receiver,
                });
            }
            Vec::new()
        }
        StepInput::Attendance
        | StepInput::Oath
        | StepInput::PollsOpen
        | StepInput::PollsClose { .. } => Vec::new(),
    };
    if !differences.is_empty() && input.exception().is_none() {
        return Err(Refusal::ExceptionRequired { differences });
    }
    Ok(())
}

fn check_exception(e: &Exception) -> Result<(), Refusal> {
    if e.action.trim().is_empty() {
        return Err(Refusal::MissingText {
            field: Field::Action,
        });
    }
    Ok(())
}

/// No count of a ballot type can exceed what the package delivered: the DPT plus the reserve
/// (seed 004, line 68: every ballot is counted, the 2% reserve included). More is a typing or
/// counting error, refused as impossible rather than explained as a difference.
fn possible(
    state: &State,
    ballot: BallotType,
    what: CountOf,
    given: u32,
    delivered: u32,
) -> Result<(), Refusal> {
    if given > delivered {
        return Err(Refusal::ImpossibleCount {
            ballot: named(state, ballot),
            what,
            given,
            delivered,
        });
    }
    Ok(())
}

/// A seal number as compared for sameness: without spaces, in capitals. Our own choice: the
/// numbers are printed codes, and "A 0012" typed once and "a0012" another time name one seal.
pub fn seal_key(seal: &str) -> String {
    seal.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The seals `input` writes down, with where each one is.
fn seal_places<'a>(state: &State, input: &'a StepInput) -> Vec<(SealPlace, &'a str)> {
    match input {
        StepInput::EmptyBox { locks } => locks
            .iter()
            .map(|l| (SealPlace::BoxLock(named(state, l.ballot)), l.seal.as_str()))
            .collect(),
        StepInput::SealCheck { seals, .. } => seals
            .iter()
            .map(|s| (SealPlace::Envelope(named(state, s.ballot)), s.seal.as_str()))
            .collect(),
        StepInput::Sealing { seals } => seals
            .iter()
            .flat_map(|s| {
                let b = named(state, s.ballot);
                let envelope = |e| SealPlace::CountedEnvelope(b.clone(), e);
                [
                    (envelope(Envelope::Valid), s.valid.as_str()),
                    (envelope(Envelope::Invalid), s.invalid.as_str()),
                    (envelope(Envelope::Unused), s.unused.as_str()),
                    (envelope(Envelope::Damaged), s.damaged.as_str()),
                    (SealPlace::BoxSeal(b.clone()), s.box_seal.as_str()),
                ]
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Every seal of `input` has a number, and no number is written for two seals: in these
/// entries or in another completed step's (a correction of this step replaces its own).
fn seals_once(state: &State, spec: &StepSpec, input: &StepInput) -> Result<(), Refusal> {
    let given = seal_places(state, input);
    if let Some((place, _)) = given.iter().find(|(_, s)| s.trim().is_empty()) {
        return Err(Refusal::MissingSeal {
            place: place.clone(),
        });
    }
    let mut seen: Vec<(String, SealPlace)> = state
        .completed
        .iter()
        .filter(|c| {
            state
                .procedure()
                .steps
                .get(c.step)
                .is_some_and(|s| s.id != spec.id)
        })
        .flat_map(|c| seal_places(state, &c.input))
        .map(|(place, seal)| (seal_key(seal), place))
        .collect();
    for (place, seal) in given {
        let key = seal_key(seal);
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            return Err(Refusal::SealTwice {
                seal: seal.trim().to_string(),
                places: Box::new((first.clone(), place)),
            });
        }
        seen.push((key, place));
    }
    Ok(())
}

/// The entries name each of the package's ballot types exactly once.
fn ballots_once(state: &State, given: impl Iterator<Item = BallotType>) -> Result<(), Refusal> {
    let mut given: Vec<BallotType> = given.collect();
    given.sort();
    let mut expected = state.package().ballot_types();
    expected.sort();
    if given == expected {
        Ok(())
    } else {
        Err(Refusal::BallotTypesMismatch {
            expected: state
                .package()
                .ballot_types()
                .into_iter()
                .map(|b| named(state, b).name)
                .collect(),
        })
    }
}

/// `ballot` with its name as the procedure gives it (a ballot type the procedure does not know
/// keeps its code).
fn named(state: &State, ballot: BallotType) -> NamedBallot {
    let name = state.procedure().ballot_rule(ballot).map_or_else(
        || Bilingual::new(ballot.short_name(), ballot.short_name()),
        |r| r.name.clone(),
    );
    NamedBallot { ballot, name }
}

/// The equipment of `stage` this package needs, refusing entries for anything else.
fn wanted_items<'a, 'b>(
    state: &'a State,
    stage: Stage,
    ballots: &'a [BallotType],
    mut given: impl Iterator<Item = &'b tps_domain::input::ItemId>,
) -> Result<Vec<&'a tps_domain::spec::Equipment>, Refusal> {
    let wanted: Vec<_> = state.procedure().equipment_for(stage, ballots).collect();
    match given.find(|item| !wanted.iter().any(|w| w.id == item.as_str())) {
        Some(unknown) => Err(Refusal::UnknownItem {
            id: unknown.to_string(),
        }),
        None => Ok(wanted),
    }
}

fn checklist(
    state: &State,
    items: &[tps_domain::input::ItemCheck],
) -> Result<Vec<Difference>, Refusal> {
    let ballots = state.package().ballot_types();
    let wanted = wanted_items(
        state,
        Stage::Preparation,
        &ballots,
        items.iter().map(|i| &i.item),
    )?;
    let missing: Vec<Bilingual> = wanted
        .iter()
        .filter(|w| !items.iter().any(|i| i.item.as_str() == w.id))
        .map(|w| w.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Refusal::Incomplete { missing });
    }
    Ok(wanted
        .iter()
        .filter(|w| items.iter().any(|i| i.item.as_str() == w.id && !i.present))
        .map(|w| Difference::ItemMissing {
            item: w.name.clone(),
        })
        .collect())
}

fn inventory(
    state: &State,
    items: &[tps_domain::input::ItemCount],
) -> Result<Vec<Difference>, Refusal> {
    let ballots = state.package().ballot_types();
    let wanted = wanted_items(state, Stage::Box, &ballots, items.iter().map(|i| &i.item))?;
    let mut differences = Vec::new();
    let mut missing = Vec::new();
    for w in wanted {
        let expected = w.expected(ballots.len());
        match items.iter().find(|i| i.item.as_str() == w.id) {
            None => missing.push(w.name.clone()),
            Some(i) if i.count < expected => differences.push(Difference::ItemShort {
                item: w.name.clone(),
                expected,
                counted: i.count,
            }),
            Some(_) => {}
        }
    }
    if !missing.is_empty() {
        return Err(Refusal::Incomplete { missing });
    }
    Ok(differences)
}

/// Every close-out figure that does not add up.
pub fn reconcile(state: &State, r: &tps_domain::input::Reconciliation) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let t = &r.turnout;
    let dpt = state.package().dpt;
    if t.dpt.male > dpt.male {
        out.push(Mismatch::TurnoutOverDpt {
            female: false,
            came: t.dpt.male,
            registered: dpt.male,
        });
    }
    if t.dpt.female > dpt.female {
        out.push(Mismatch::TurnoutOverDpt {
            female: true,
            came: t.dpt.female,
            registered: dpt.female,
        });
    }
    let turnout = t.total();
    if r.disabled_voters.total() > turnout {
        out.push(Mismatch::DisabledOverTurnout {
            disabled: r.disabled_voters.total(),
            turnout,
        });
    }
    let dptb = t.dptb.total();
    for b in r.ballots.iter() {
        let Some(spec) = state.package().ballot(b.ballot) else {
            continue;
        };
        let sum = u64::from(b.used) + u64::from(b.unused) + u64::from(b.damaged);
        if sum != u64::from(spec.delivered) {
            out.push(Mismatch::Usage {
                ballot: named(state, b.ballot),
                used: b.used,
                unused: b.unused,
                damaged: b.damaged,
                delivered: spec.delivered,
            });
        }
        let always = state
            .procedure()
            .ballot_rule(b.ballot)
            .is_some_and(|rule| rule.dptb_always);
        if b.dptb_voters > dptb {
            out.push(Mismatch::DptbTooMany {
                ballot: named(state, b.ballot),
                given: b.dptb_voters,
                dptb,
            });
        } else if always && b.dptb_voters != dptb {
            out.push(Mismatch::DptbAllReceive {
                ballot: named(state, b.ballot),
                given: b.dptb_voters,
                dptb,
            });
        }
        let voters = voters_of(t, b);
        if b.used != voters {
            out.push(Mismatch::UsedVsVoters {
                ballot: named(state, b.ballot),
                used: b.used,
                voters,
            });
        }
    }
    out
}

/// What the close-out established for `ballot`: its ballots used, and the voters entitled to it
/// who came (DPT, DPK, and the DPTb voters given this type). None before the close-out.
pub fn close_out_of(state: &State, ballot: BallotType) -> Option<CloseOut> {
    let StepInput::Reconciliation(r) = &state.completed_of_kind(InputKind::Reconciliation)?.input
    else {
        return None;
    };
    let usage = r.ballots.iter().find(|b| b.ballot == ballot)?;
    Some(CloseOut {
        used: usage.used,
        entitled: voters_of(&r.turnout, usage),
    })
}

/// The voters who came and were entitled to `usage`'s ballot type: DPT, DPK, and the DPTb
/// voters given this type (their transfer form decides).
fn voters_of(t: &Turnout, usage: &BallotUsage) -> u32 {
    t.dpt
        .total()
        .saturating_add(t.dpk.total())
        .saturating_add(usage.dptb_voters)
}

/// The padlock number written down for `ballot`'s box when it was shown empty.
pub fn lock_of(state: &State, ballot: BallotType) -> Option<&str> {
    let StepInput::EmptyBox { locks } = &state.completed_of_kind(InputKind::EmptyBox)?.input else {
        return None;
    };
    locks
        .iter()
        .find(|l| l.ballot == ballot)
        .map(|l| l.seal.as_str())
}

/// A box opened for the count (procedure.md 9): its padlock is the one put on it after it was
/// shown empty and unbroken, and it holds as many ballots as the close-out says were used.
fn box_open(
    state: &State,
    ballot: BallotType,
    seal: &str,
    intact: bool,
    found: u32,
) -> Result<Vec<Difference>, Refusal> {
    let b = named(state, ballot);
    if seal.trim().is_empty() {
        return Err(Refusal::MissingSeal {
            place: SealPlace::BoxLock(b),
        });
    }
    if let Some(spec) = state.package().ballot(ballot) {
        possible(state, ballot, CountOf::InBox, found, spec.delivered)?;
    }
    let mut d = Vec::new();
    if !intact {
        d.push(Difference::BoxLockBroken { ballot: b.clone() });
    }
    let locked = lock_of(state, ballot).unwrap_or_default();
    if seal_key(locked) != seal_key(seal) {
        d.push(Difference::BoxLockDiffers {
            ballot: b.clone(),
            locked: locked.trim().to_string(),
            found: seal.trim().to_string(),
        });
    }
    if let Some(close_out) = close_out_of(state, ballot)
        && close_out.used != found
    {
        d.push(Difference::BallotsInBox {
            ballot: b,
            found,
            used: close_out.used,
        });
    }
    Ok(d)
}

/// A count (procedure.md 11 and "Numbers that must reconcile"): no figure above the ballots
/// delivered; the form's own sums hold, or the entries are refused; a difference with the
/// close-out needs a kejadian khusus.
fn count(state: &State, t: &Tally) -> Result<Vec<Difference>, Refusal> {
    let b = named(state, t.ballot);
    if let Some(spec) = state.package().ballot(t.ballot) {
        let delivered = spec.delivered;
        possible(state, t.ballot, CountOf::Valid, t.valid, delivered)?;
        possible(state, t.ballot, CountOf::Invalid, t.invalid, delivered)?;
        for p in t.participants.iter() {
            possible(state, t.ballot, CountOf::Votes, p.votes, delivered)?;
            possible(state, t.ballot, CountOf::Votes, p.party_only, delivered)?;
            for c in p.candidates.iter() {
                possible(state, t.ballot, CountOf::Votes, c.votes, delivered)?;
            }
        }
    }
    let close_out = close_out_of(state, t.ballot).unwrap_or_default();
    let (discrepancies, errors): (Vec<_>, Vec<_>) = tally::check(t, state.package(), close_out)
        .into_iter()
        .partition(tally::Difference::is_discrepancy);
    if !errors.is_empty() {
        return Err(Refusal::CountDoesNotAddUp {
            ballot: b,
            problems: errors.iter().map(|e| e.text(t.ballot)).collect(),
        });
    }
    Ok(discrepancies
        .iter()
        .map(|d| Difference::Count {
            ballot: b.clone(),
            text: d.text(t.ballot),
        })
        .collect())
}
