//! A step's entries from a scenario event: what a careful chair would enter (every item present,
//! every count as delivered), changed by the event's fields to play a shortage, a broken seal or
//! a close-out that does not add up. The entries are put into the step's form ([`Draft`]) and
//! read by the parser the screens use, [`draft::build`]: there is one parser of form fields.

use std::collections::BTreeMap;

use tps_firmware::election::{BallotType, MaleFemale};
use tps_firmware::procedure::State;
use tps_firmware::procedure::input::{InputKind, StepInput, Turnout};
use tps_firmware::procedure::spec::{Stage, StepSpec};
use tps_firmware::procedure::validate::{close_out_of, lock_of};
use tps_firmware::text::Lang;

use crate::draft::{
    self, Choice, Draft, FOUND_BALLOTS, FOUND_INTACT, FOUND_LOCK, INVALID, RECEIVER,
    SEALS_AFTER_COUNT, VALID, candidate_key, party_key, votes_key,
};

use super::parse::{Fields, ScenarioError};

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

/// The chair's note of what was done about a difference, typed into the form.
fn exception(f: &Fields<'_>, draft: &mut Draft) -> Result<(), ScenarioError> {
    if let Some(action) = f.string("exception")? {
        draft.values.insert("exception:action".into(), action);
        let pps = f.bool("pps_contacted")?.unwrap_or(true);
        draft.choices.insert("exception:pps".into(), i32::from(pps));
    }
    Ok(())
}

/// A yes/no answer as the form holds it.
fn yes(b: bool) -> Choice {
    if b { 1 } else { 2 }
}

/// The entries for the step from the event's fields: the form a careful chair fills in, changed
/// by the fields, read by the screens' own parser ([`draft::build`]), so that a scenario and the
/// touchscreen turn the same entries into the same input.
pub fn entries(f: &Fields<'_>, state: &State, spec: &StepSpec) -> Result<StepInput, ScenarioError> {
    let draft = form(f, state, spec)?;
    draft::build(state, spec, &draft).map_err(|r| f.error(r.message(Lang::En)))
}

/// The form as the chair would fill it in for this event.
fn form(f: &Fields<'_>, state: &State, spec: &StepSpec) -> Result<Draft, ScenarioError> {
    let ballots = state.package().ballot_types();
    let mut d = Draft::default();
    match spec.input {
        InputKind::Attendance | InputKind::Oath | InputKind::PollsOpen => {}
        InputKind::Checklist => {
            let missing = f.strings("missing")?;
            for e in state
                .procedure()
                .equipment_for(Stage::Preparation, &ballots)
            {
                d.choices
                    .insert(format!("item:{}", e.id), yes(!missing.contains(&e.id)));
            }
            exception(f, &mut d)?;
        }
        InputKind::BoxInventory => {
            let counts = f.numbers("counted")?;
            for e in state.procedure().equipment_for(Stage::Box, &ballots) {
                let count = match counts.get(&e.id) {
                    Some(n) => u16::try_from(*n)
                        .map_err(|_| f.error(format!("counted.{} is out of range", e.id)))?,
                    None => e.expected(ballots.len()),
                };
                d.values.insert(format!("item:{}", e.id), count.to_string());
            }
            exception(f, &mut d)?;
        }
        InputKind::EmptyBox => {
            for (i, b) in ballots.iter().enumerate() {
                d.values
                    .insert(format!("lock:{b}"), format!("GBK-{:04}", 101 + i));
            }
        }
        InputKind::SealCheck => {
            let broken = f
                .strings("broken")?
                .iter()
                .map(|c| ballot(f, c))
                .collect::<Result<Vec<_>, _>>()?;
            for (i, b) in ballots.iter().enumerate() {
                d.values
                    .insert(format!("seal:{b}"), format!("SGL-{:05}", 7701 + i));
                d.choices
                    .insert(format!("intact:{b}"), yes(!broken.contains(b)));
            }
            exception(f, &mut d)?;
        }
        InputKind::BallotCount => {
            let counted = per_ballot(f, state, "counted")?;
            let wrong_dapil = f
                .strings("wrong_dapil")?
                .iter()
                .map(|c| ballot(f, c))
                .collect::<Result<Vec<_>, _>>()?;
            for b in &state.package().ballots {
                let n = counted.get(&b.ballot).copied().unwrap_or(b.delivered);
                d.values
                    .insert(format!("count:{}", b.ballot), n.to_string());
                d.choices.insert(
                    format!("dapil:{}", b.ballot),
                    yes(!wrong_dapil.contains(&b.ballot)),
                );
            }
            exception(f, &mut d)?;
        }
        InputKind::Explanations => {
            let skipped = f.strings("skipped")?;
            for t in state.procedure().topics_of(spec) {
                if !skipped.contains(&t.id) {
                    d.choices.insert(format!("topic:{}", t.id), 1);
                }
            }
        }
        InputKind::PollsClose => {
            let queued = u16::try_from(f.uint("queued")?.unwrap_or(0))
                .map_err(|_| f.error("queued is out of range"))?;
            d.values.insert("queued".into(), queued.to_string());
        }
        InputKind::Reconciliation => reconciliation(f, state, &mut d)?,
        InputKind::BoxOpen => box_open(f, state, spec, &mut d)?,
        InputKind::Count => count(f, state, spec, &mut d)?,
        InputKind::Sealing => {
            for (i, b) in ballots.iter().enumerate() {
                for (j, field) in SEALS_AFTER_COUNT.iter().enumerate() {
                    d.values.insert(
                        format!("{field}:{b}"),
                        format!("SGH-{:05}", 8801 + i * 5 + j),
                    );
                }
            }
        }
        InputKind::Handover => {
            let receiver = f
                .string("receiver")?
                .unwrap_or_else(|| "Petugas PPS".into());
            d.values.insert(RECEIVER.into(), receiver);
        }
    }
    Ok(d)
}

/// The ballot type a per-ballot step is about.
fn step_ballot(f: &Fields<'_>, spec: &StepSpec) -> Result<BallotType, ScenarioError> {
    spec.ballot
        .ok_or_else(|| f.error("this step is about no ballot type"))
}

/// A box opened for the count: the padlock the chair put on it (`lock` plays another one,
/// `lock_broken` a broken one), holding the ballots the close-out says were used (`in_box`
/// plays another number).
fn box_open(
    f: &Fields<'_>,
    state: &State,
    spec: &StepSpec,
    d: &mut Draft,
) -> Result<(), ScenarioError> {
    let b = step_ballot(f, spec)?;
    let locked = lock_of(state, b).unwrap_or_default().to_string();
    let lock = f.string("lock")?.unwrap_or(locked);
    d.values.insert(FOUND_LOCK.into(), lock);
    let broken = f.bool("lock_broken")?.unwrap_or(false);
    d.choices.insert(FOUND_INTACT.into(), yes(!broken));
    let used = close_out_of(state, b).map_or(0, |c| c.used);
    let in_box = f.uint("in_box")?.unwrap_or(used);
    d.values.insert(FOUND_BALLOTS.into(), in_box.to_string());
    exception(f, d)
}

/// `total` shared among `n` as evenly as whole votes allow, the first ones taking the rest.
fn share(total: u32, n: usize) -> Vec<u32> {
    let n32 = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
    (0..n32)
        .take(n)
        .map(|i| total / n32 + u32::from(i < total % n32))
        .collect()
}

/// A count: a fortieth of the ballots used invalid (`invalid` plays another number), the rest
/// valid (`valid` overrides the figure typed, not the votes), shared among the participants
/// except those `votes` gives (`votes = { "1" = 120 }`); on a party ballot a quarter of a
/// party's votes for the party alone and the rest shared among its candidates.
fn count(
    f: &Fields<'_>,
    state: &State,
    spec: &StepSpec,
    d: &mut Draft,
) -> Result<(), ScenarioError> {
    let b = step_ballot(f, spec)?;
    let ballot = state
        .package()
        .ballot(b)
        .ok_or_else(|| f.error(format!("{b} is not on this TPS's ballots")))?;
    let used = close_out_of(state, b).map_or(0, |c| c.used);
    let invalid = f.uint("invalid")?.unwrap_or(used / 40);
    let votes_given = f.numbers("votes")?;
    let mut given = BTreeMap::new();
    for (number, n) in votes_given {
        let number: u16 = number
            .parse()
            .map_err(|_| f.error(format!("votes: `{number}` is not a participant number")))?;
        let n = u32::try_from(n).map_err(|_| f.error("votes must be 0 or more"))?;
        given.insert(number, n);
    }
    let rest_valid = used
        .saturating_sub(invalid)
        .saturating_sub(given.values().fold(0u32, |a, v| a.saturating_add(*v)));
    let others = ballot
        .participants
        .iter()
        .filter(|p| !given.contains_key(&p.number))
        .count();
    let mut shares = share(rest_valid, others).into_iter();
    let mut valid = 0u32;
    for p in ballot.participants.iter() {
        let votes = match given.get(&p.number) {
            Some(v) => *v,
            None => shares.next().unwrap_or(0),
        };
        valid = valid.saturating_add(votes);
        if b.lists_candidates() {
            let party_only = if p.candidates.is_empty() {
                votes
            } else {
                votes / 4
            };
            d.values.insert(party_key(p.number), party_only.to_string());
            let per = share(votes - party_only, p.candidates.len());
            for (c, v) in p.candidates.iter().zip(per) {
                d.values
                    .insert(candidate_key(p.number, c.number), v.to_string());
            }
        } else {
            d.values.insert(votes_key(p.number), votes.to_string());
        }
    }
    let valid = f.uint("valid")?.unwrap_or(valid);
    d.values.insert(VALID.into(), valid.to_string());
    d.values.insert(INVALID.into(), invalid.to_string());
    exception(f, d)
}

/// The close-out: turnout as given; each type's used count follows from the turnout (DPTb voters
/// receive every type unless `dptb_voters` says otherwise), damaged as given, unused the rest —
/// unless `used` or `unused` override it, which is how a scenario plays numbers that do not add up.
fn reconciliation(f: &Fields<'_>, state: &State, d: &mut Draft) -> Result<(), ScenarioError> {
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
    for b in &state.package().ballots {
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
        for (part, n) in [
            ("used", used),
            ("unused", unused),
            ("damaged", damaged),
            ("dptb", dptb_voters),
        ] {
            d.values
                .insert(format!("{part}:{}", b.ballot), n.to_string());
        }
    }
    for (list, mf) in [
        ("dpt", turnout.dpt),
        ("dptb", turnout.dptb),
        ("dpk", turnout.dpk),
        ("disabled", disabled_voters),
    ] {
        d.values.insert(format!("{list}:male"), mf.male.to_string());
        d.values
            .insert(format!("{list}:female"), mf.female.to_string());
    }
    Ok(())
}
