//! A step's entries from a scenario event: what a careful chair would enter (every item present,
//! every count as delivered), changed by the event's fields to play a shortage, a broken seal or
//! a close-out that does not add up.

use std::collections::BTreeMap;

use tps_firmware::bounded::{List, Text};
use tps_firmware::election::{BallotType, MaleFemale};
use tps_firmware::procedure::State;
use tps_firmware::procedure::input::*;
use tps_firmware::procedure::spec::{Stage, StepSpec};

use super::parse::{Fields, ScenarioError};

fn bounded<const N: usize>(f: &Fields<'_>, what: &str, s: &str) -> Result<Text<N>, ScenarioError> {
    Text::new(s).map_err(|_| f.error(format!("{what} is longer than {N} bytes")))
}

fn list<T: Clone, const N: usize>(
    f: &Fields<'_>,
    items: Vec<T>,
) -> Result<List<T, N>, ScenarioError> {
    List::try_from(items).map_err(|e| f.error(e.to_string()))
}

fn ballot(f: &Fields<'_>, code: &str) -> Result<BallotType, ScenarioError> {
    BallotType::parse(code).ok_or_else(|| f.error(format!("unknown ballot type `{code}`")))
}

/// Per-ballot overrides from a `NAME = n` table, checked against the package.
fn per_ballot(
    f: &Fields<'_>,
    state: &State,
    key: &str,
) -> Result<BTreeMap<BallotType, u32>, ScenarioError> {
    let mut out = BTreeMap::new();
    for (code, n) in f.numbers(key)? {
        let b = ballot(f, &code)?;
        if state.package().ballot(b).is_none() {
            return Err(f.error(format!("{key}: {code} is not on this TPS's ballots")));
        }
        out.insert(
            b,
            u32::try_from(n).map_err(|_| f.error(format!("{key}.{code} must be 0 or more")))?,
        );
    }
    Ok(out)
}

fn exception(f: &Fields<'_>) -> Result<Option<Exception>, ScenarioError> {
    Ok(match f.string("exception")? {
        None => None,
        Some(action) => Some(Exception {
            action: bounded(f, "exception", &action)?,
            pps_contacted: f.bool("pps_contacted")?.unwrap_or(true),
        }),
    })
}

/// The entries for the step `kind` from the event's fields.
pub fn entries(f: &Fields<'_>, state: &State, spec: &StepSpec) -> Result<StepInput, ScenarioError> {
    let kind = spec.input;
    let ballots = state.package().ballot_types();
    Ok(match kind {
        InputKind::Attendance => StepInput::Attendance,
        InputKind::Oath => StepInput::Oath,
        InputKind::Checklist => {
            let missing = f.strings("missing")?;
            let items = state
                .procedure()
                .equipment_for(Stage::Preparation, &ballots)
                .map(|e| {
                    Ok(ItemCheck {
                        item: bounded(f, "item", &e.id)?,
                        present: !missing.contains(&e.id),
                    })
                })
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            StepInput::Checklist {
                items: list(f, items)?,
                exception: exception(f)?,
            }
        }
        InputKind::BoxInventory => {
            let counts = f.numbers("counted")?;
            let items = state
                .procedure()
                .equipment_for(Stage::Box, &ballots)
                .map(|e| {
                    let expected = e.expected(ballots.len());
                    let count = match counts.get(&e.id) {
                        Some(n) => u16::try_from(*n)
                            .map_err(|_| f.error(format!("counted.{} is out of range", e.id)))?,
                        None => expected,
                    };
                    Ok(ItemCount {
                        item: bounded(f, "item", &e.id)?,
                        count,
                    })
                })
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            StepInput::BoxInventory {
                items: list(f, items)?,
                exception: exception(f)?,
            }
        }
        InputKind::EmptyBox => {
            let locks = ballots
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    Ok(BoxLock {
                        ballot: *b,
                        seal: bounded(f, "seal", &format!("GBK-{:04}", 101 + i))?,
                    })
                })
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            StepInput::EmptyBox {
                locks: list(f, locks)?,
            }
        }
        InputKind::SealCheck => {
            let broken = f
                .strings("broken")?
                .iter()
                .map(|c| ballot(f, c))
                .collect::<Result<Vec<_>, _>>()?;
            let seals = ballots
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    Ok(EnvelopeSeal {
                        ballot: *b,
                        seal: bounded(f, "seal", &format!("SGL-{:05}", 7701 + i))?,
                        intact: !broken.contains(b),
                    })
                })
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            StepInput::SealCheck {
                seals: list(f, seals)?,
                exception: exception(f)?,
            }
        }
        InputKind::BallotCount => {
            let counted = per_ballot(f, state, "counted")?;
            let wrong_dapil = f
                .strings("wrong_dapil")?
                .iter()
                .map(|c| ballot(f, c))
                .collect::<Result<Vec<_>, _>>()?;
            let counts = state
                .package()
                .ballots
                .iter()
                .map(|b| BallotTally {
                    ballot: b.ballot,
                    counted: counted.get(&b.ballot).copied().unwrap_or(b.delivered),
                    dapil_ok: !wrong_dapil.contains(&b.ballot),
                })
                .collect();
            StepInput::BallotCount {
                counts: list(f, counts)?,
                exception: exception(f)?,
            }
        }
        InputKind::Explanations => {
            let skipped = f.strings("skipped")?;
            let topics = state
                .procedure()
                .topics_of(spec)
                .filter(|t| !skipped.contains(&t.id))
                .map(|t| bounded(f, "topic", &t.id))
                .collect::<Result<Vec<_>, _>>()?;
            StepInput::Explanations {
                topics: list(f, topics)?,
            }
        }
        InputKind::PollsOpen => StepInput::PollsOpen,
        InputKind::PollsClose => StepInput::PollsClose {
            queued: u16::try_from(f.uint("queued")?.unwrap_or(0))
                .map_err(|_| f.error("queued is out of range"))?,
        },
        InputKind::Reconciliation => reconciliation(f, state)?,
    })
}

/// The close-out: turnout as given; each type's used count follows from the turnout (DPTb voters
/// receive every type unless `dptb_voters` says otherwise), damaged as given, unused the rest —
/// unless `used` or `unused` override it, which is how a scenario plays numbers that do not add up.
fn reconciliation(f: &Fields<'_>, state: &State) -> Result<StepInput, ScenarioError> {
    let mf = |key: &str| -> Result<MaleFemale, ScenarioError> {
        Ok(f.male_female(key)?
            .map(|(male, female)| MaleFemale { male, female })
            .unwrap_or_default())
    };
    let turnout = Turnout {
        dpt: mf("dpt")?,
        dptb: mf("dptb")?,
        dpk: mf("dpk")?,
    };
    let disabled_voters = mf("disabled")?;
    let damaged = per_ballot(f, state, "damaged")?;
    let used_override = per_ballot(f, state, "used")?;
    let unused_override = per_ballot(f, state, "unused")?;
    let dptb_override = per_ballot(f, state, "dptb_voters")?;
    let ballots = state
        .package()
        .ballots
        .iter()
        .map(|b| {
            let dptb_voters = dptb_override
                .get(&b.ballot)
                .copied()
                .unwrap_or(turnout.dptb.total());
            let used = used_override
                .get(&b.ballot)
                .copied()
                .unwrap_or(turnout.dpt.total() + turnout.dpk.total() + dptb_voters);
            let damaged = damaged.get(&b.ballot).copied().unwrap_or(0);
            let unused = unused_override
                .get(&b.ballot)
                .copied()
                .unwrap_or(b.delivered.saturating_sub(used).saturating_sub(damaged));
            BallotUsage {
                ballot: b.ballot,
                used,
                unused,
                damaged,
                dptb_voters,
            }
        })
        .collect();
    Ok(StepInput::Reconciliation(Reconciliation {
        ballots: list(f, ballots)?,
        turnout,
        disabled_voters,
    }))
}
