//! A step's form as the screen lays it out: its rows and cells, filled from the chair's
//! [`Draft`]. The form lists what the procedure data and the package say (equipment, ballot
//! types with their colours, topics); the entries become the step's input through the one
//! parser, [`tps_station::draft::build`]; whether they are acceptable is the engine's to say
//! (`check_proposal`, `reconcile`), never this module's.

use tps_firmware::election::BallotType;
use tps_firmware::procedure::State;
use tps_firmware::procedure::input::InputKind;
use tps_firmware::procedure::refusal::Mismatch;
use tps_firmware::procedure::spec::{Stage, StepSpec};
use tps_firmware::procedure::tally;
use tps_firmware::procedure::validate::{close_out_of, reconcile};
use tps_firmware::text::{Bilingual, Lang};
use tps_station::draft::{
    CORRECTION_REASON, Choice, Draft, FOUND_BALLOTS, FOUND_INTACT, FOUND_LOCK, INVALID, RECEIVER,
    SEALS_AFTER_COUNT, VALID, build_reconciliation, build_tally, candidate_key, party_key,
    votes_key,
};

/// How a field is typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Typed on the keyboard.
    Text,
    /// Typed on the number pad.
    Number,
    /// Answered with two buttons.
    YesNo,
}

/// One input of a form row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellData {
    /// The field's key in the [`Draft`].
    pub key: String,
    /// A word key the screen translates.
    pub caption: &'static str,
    /// How it is typed in.
    pub kind: CellKind,
    /// What was typed.
    pub value: String,
    /// The words of a yes/no cell: 0 present/missing, 1 intact/broken, 2 matches/does not.
    pub variant: i32,
    /// The yes/no answer.
    pub choice: Choice,
    /// Shown as wrong: the figures it is part of do not add up.
    pub bad: bool,
}

/// What a form row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A section heading.
    Header,
    /// An item answered yes or no.
    YesNo,
    /// An item ticked or not.
    Tick,
    /// A row of cells.
    Cells,
}

/// One row of a step's form, in plain Rust (the controller turns it into the screen's struct).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowData {
    /// What the row is.
    pub kind: RowKind,
    /// The field of a yes/no or tick row; what the row is about otherwise.
    pub key: String,
    /// Shown as is, unless `word_label` (and always for a header): then a word key.
    pub label: String,
    /// The label is a word key the screen translates.
    pub word_label: bool,
    /// A figure beside the label (how many were delivered or received).
    pub detail: String,
    /// The word key saying what `detail` is.
    pub detail_word: &'static str,
    /// `#rrggbb` of the ballot, if the procedure gives one.
    pub colour: Option<String>,
    /// The ballot's short name, on its chip.
    pub code: String,
    /// A second line under the label.
    pub sub: String,
    /// The words of a yes/no row, as for [`CellData::variant`].
    pub variant: i32,
    /// The answer of a yes/no or tick row.
    pub choice: Choice,
    /// The row's cells.
    pub cells: Vec<CellData>,
    /// The live sum of the row's figures against what was received.
    pub sum: String,
    /// The row keeps a line for its sum before its parts are typed, so nothing below moves
    /// when the sum appears.
    pub sum_slot: bool,
    /// What does not add up, in the engine's words.
    pub note: String,
    /// The row keeps room for the engine's note whether it shows or not, so nothing below
    /// moves when a typed figure makes the note come or go.
    pub note_slot: bool,
    /// The row adds up.
    pub note_ok: bool,
}

impl RowData {
    fn new(kind: RowKind, key: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            label: label.into(),
            word_label: false,
            detail: String::new(),
            detail_word: "",
            colour: None,
            code: String::new(),
            sub: String::new(),
            variant: 0,
            choice: 0,
            cells: Vec::new(),
            sum: String::new(),
            sum_slot: false,
            note: String::new(),
            note_slot: false,
            note_ok: true,
        }
    }

    fn header(word: &str) -> Self {
        Self::new(RowKind::Header, "", word)
    }
}

/// The form's cells of a [`Draft`]'s fields.
trait Cells {
    fn cell(&self, key: String, caption: &'static str, kind: CellKind) -> CellData;
    fn yes_no(&self, key: String, caption: &'static str, variant: i32) -> CellData;
}

impl Cells for Draft {
    fn cell(&self, key: String, caption: &'static str, kind: CellKind) -> CellData {
        CellData {
            value: self.value(&key).to_string(),
            choice: self.choice(&key),
            key,
            caption,
            kind,
            variant: 0,
            bad: false,
        }
    }

    fn yes_no(&self, key: String, caption: &'static str, variant: i32) -> CellData {
        CellData {
            variant,
            ..self.cell(key, caption, CellKind::YesNo)
        }
    }
}

/// A ballot type at this TPS with what the screen shows of it.
struct Ballot {
    ballot: BallotType,
    name: Bilingual,
    colour: Option<String>,
    delivered: u32,
    dapil: String,
}

fn ballots(state: &State) -> Vec<Ballot> {
    state
        .package()
        .ballots
        .iter()
        .map(|b| {
            let rule = state.procedure().ballot_rule(b.ballot);
            Ballot {
                ballot: b.ballot,
                name: rule.map_or_else(
                    || Bilingual::new(b.ballot.short_name(), b.ballot.short_name()),
                    |r| r.name.clone(),
                ),
                colour: rule.and_then(|r| r.colour.clone()),
                delivered: b.delivered,
                dapil: b.dapil.to_string(),
            }
        })
        .collect()
}

fn ballot_row(b: &Ballot, key: String, lang: Lang) -> RowData {
    RowData {
        colour: b.colour.clone(),
        // The chip (and the label of each of the row's fields) says the forms' short name.
        code: b.ballot.short_name().to_string(),
        ..RowData::new(RowKind::Cells, key, b.name.get(lang))
    }
}

fn exception_rows(draft: &Draft, rows: &mut Vec<RowData>) {
    rows.push(RowData::header("exception"));
    let mut action = RowData::new(RowKind::Cells, "exception", "");
    action
        .cells
        .push(draft.cell("exception:action".into(), "action", CellKind::Text));
    rows.push(action);
    rows.push(RowData {
        choice: draft.choice("exception:pps"),
        word_label: true,
        ..RowData::new(RowKind::Tick, "exception:pps", "pps")
    });
}

/// The rows of the form for `spec`, with the live arithmetic of the close-out.
pub fn rows(state: &State, spec: &StepSpec, draft: &Draft, lang: Lang) -> Vec<RowData> {
    let procedure = state.procedure();
    let types = state.package().ballot_types();
    let mut rows = Vec::new();
    match spec.input {
        InputKind::Checklist => {
            rows.push(RowData::header("equipment"));
            for e in procedure.equipment_for(Stage::Preparation, &types) {
                let key = format!("item:{}", e.id);
                rows.push(RowData {
                    choice: draft.choice(&key),
                    ..RowData::new(RowKind::YesNo, key, e.name.get(lang))
                });
            }
            exception_rows(draft, &mut rows);
        }
        InputKind::BoxInventory => {
            rows.push(RowData::header("box-items"));
            for e in procedure.equipment_for(Stage::Box, &types) {
                let key = format!("item:{}", e.id);
                let mut row = RowData::new(RowKind::Cells, key.clone(), e.name.get(lang));
                row.cells.push(draft.cell(key, "count", CellKind::Number));
                rows.push(row);
            }
            exception_rows(draft, &mut rows);
        }
        InputKind::EmptyBox => {
            rows.push(RowData::header("locks"));
            for b in ballots(state) {
                let key = format!("lock:{}", b.ballot);
                let mut row = ballot_row(&b, key.clone(), lang);
                row.cells.push(draft.cell(key, "seal", CellKind::Text));
                rows.push(row);
            }
        }
        InputKind::SealCheck => {
            rows.push(RowData::header("seals"));
            for b in ballots(state) {
                let mut row = ballot_row(&b, format!("seal:{}", b.ballot), lang);
                row.cells
                    .push(draft.cell(format!("seal:{}", b.ballot), "seal", CellKind::Text));
                row.cells
                    .push(draft.yes_no(format!("intact:{}", b.ballot), "seal-state", 1));
                rows.push(row);
            }
            exception_rows(draft, &mut rows);
        }
        InputKind::BallotCount => {
            rows.push(RowData::header("counts"));
            for b in ballots(state) {
                let mut row = ballot_row(&b, format!("count:{}", b.ballot), lang);
                row.sub = format!("Dapil {}", b.dapil);
                row.detail = b.delivered.to_string();
                row.detail_word = "expected";
                row.cells.push(draft.cell(
                    format!("count:{}", b.ballot),
                    "counted",
                    CellKind::Number,
                ));
                row.cells
                    .push(draft.yes_no(format!("dapil:{}", b.ballot), "dapil", 2));
                rows.push(row);
            }
            exception_rows(draft, &mut rows);
        }
        InputKind::Explanations => {
            rows.push(RowData::header("topics"));
            for t in procedure.topics_of(spec) {
                let key = format!("topic:{}", t.id);
                rows.push(RowData {
                    choice: draft.choice(&key),
                    ..RowData::new(RowKind::Tick, key, t.text.get(lang))
                });
            }
        }
        InputKind::PollsClose => {
            rows.push(RowData::header("queue"));
            let mut row = RowData::new(RowKind::Cells, "queued", "");
            row.cells
                .push(draft.cell("queued".into(), "queued", CellKind::Number));
            rows.push(row);
        }
        InputKind::Reconciliation => reconciliation_rows(state, draft, lang, &mut rows),
        InputKind::BoxOpen => {
            rows.push(RowData::header("box-open"));
            if let Some(b) = step_ballot(state, spec) {
                let mut row = ballot_row(&b, "found".into(), lang);
                if let Some(c) = close_out_of(state, b.ballot) {
                    row.detail = c.used.to_string();
                    row.detail_word = "used-n";
                }
                row.cells
                    .push(draft.cell(FOUND_LOCK.into(), "seal", CellKind::Text));
                row.cells
                    .push(draft.yes_no(FOUND_INTACT.into(), "seal-state", 1));
                row.cells
                    .push(draft.cell(FOUND_BALLOTS.into(), "in-box", CellKind::Number));
                rows.push(row);
            }
            exception_rows(draft, &mut rows);
        }
        InputKind::Count => {
            if let Some(b) = step_ballot(state, spec) {
                count_rows(state, &b, draft, lang, &mut rows);
            }
            exception_rows(draft, &mut rows);
        }
        InputKind::Sealing => {
            rows.push(RowData::header("sealing"));
            for b in ballots(state) {
                let [valid, invalid, unused, damaged, box_seal] = SEALS_AFTER_COUNT;
                let key = |field: &str| format!("{field}:{}", b.ballot);
                // Two rows per ballot type, so each seal number has room to be read.
                let mut envelopes = ballot_row(&b, key("sealing"), lang);
                for (field, caption) in [(valid, "env-valid"), (invalid, "env-invalid")] {
                    envelopes
                        .cells
                        .push(draft.cell(key(field), caption, CellKind::Text));
                }
                rows.push(envelopes);
                let mut rest = ballot_row(&b, key("sealing-rest"), lang);
                for (field, caption) in [
                    (unused, "env-unused"),
                    (damaged, "env-damaged"),
                    (box_seal, "box-seal"),
                ] {
                    rest.cells
                        .push(draft.cell(key(field), caption, CellKind::Text));
                }
                rows.push(rest);
            }
        }
        InputKind::Handover => {
            rows.push(RowData::header("handover"));
            let mut row = RowData::new(RowKind::Cells, RECEIVER, "");
            row.cells
                .push(draft.cell(RECEIVER.into(), "receiver", CellKind::Text));
            rows.push(row);
        }
        InputKind::Attendance | InputKind::Oath | InputKind::PollsOpen => {
            rows.push(RowData::header("no-inputs"))
        }
    }
    rows
}

/// The ballot type a per-ballot step is about, as the form shows it.
fn step_ballot(state: &State, spec: &StepSpec) -> Option<Ballot> {
    let ballot = spec.ballot?;
    ballots(state).into_iter().find(|b| b.ballot == ballot)
}

/// The count's form: a row per participant (on a party ballot the party's votes for the party
/// alone, then a row per candidate, the party's total summed live), then valid and invalid with
/// the engine's own check of the whole count once every figure is there.
fn count_rows(state: &State, b: &Ballot, draft: &Draft, lang: Lang, rows: &mut Vec<RowData>) {
    let Some(spec) = state.package().ballot(b.ballot) else {
        return;
    };
    let close_out = close_out_of(state, b.ballot).unwrap_or_default();
    // The ballot with its colour on top, and how many were used: what the count must reach.
    let mut title = ballot_row(b, "ballot".into(), lang);
    title.detail = close_out.used.to_string();
    title.detail_word = "used-n";
    rows.push(title);
    rows.push(RowData::header("count-votes"));
    let lists = b.ballot.lists_candidates();
    for p in spec.participants.iter() {
        if lists {
            // Named by the participant, not the ballot: each field says whose votes it holds.
            let mut party =
                RowData::new(RowKind::Cells, format!("party-row:{}", p.number), p.title());
            party
                .cells
                .push(draft.cell(party_key(p.number), "party-only", CellKind::Number));
            let parts: Option<Vec<u64>> = std::iter::once(party_key(p.number))
                .chain(
                    p.candidates
                        .iter()
                        .map(|c| candidate_key(p.number, c.number)),
                )
                .map(|k| draft.number::<u64>(&k))
                .collect();
            party.sum_slot = true;
            if let Some(parts) = parts {
                let total: u64 = parts.iter().sum();
                party.sum = match lang {
                    Lang::Id => format!("Jumlah suara partai dan calon: {total}"),
                    Lang::En => format!("Party and candidates together: {total}"),
                };
            }
            rows.push(party);
            for c in p.candidates.iter() {
                let key = candidate_key(p.number, c.number);
                let mut row = RowData::new(
                    RowKind::Cells,
                    format!("cand-row:{}.{}", p.number, c.number),
                    format!("{}.{} {}", p.number, c.number, c.name),
                );
                row.cells.push(draft.cell(key, "votes", CellKind::Number));
                rows.push(row);
            }
        } else {
            let mut row =
                RowData::new(RowKind::Cells, format!("votes-row:{}", p.number), p.title());
            row.cells
                .push(draft.cell(votes_key(p.number), "votes", CellKind::Number));
            rows.push(row);
        }
    }
    rows.push(RowData::header("count-totals"));
    let mut totals = ballot_row(b, "totals".into(), lang);
    totals.detail = close_out.used.to_string();
    totals.detail_word = "used-n";
    totals
        .cells
        .push(draft.cell(VALID.into(), "valid", CellKind::Number));
    totals
        .cells
        .push(draft.cell(INVALID.into(), "invalid", CellKind::Number));
    let mut lacking = Vec::new();
    let t = build_tally(state, b.ballot, draft, &mut lacking);
    let sum: u64 = t.participants.iter().map(|p| u64::from(p.votes)).sum();
    // Two short lines, so the row never grows wider than the form: the participants' sum under
    // the ballot's name, valid + invalid against the ballots used under the figures.
    totals.sub = match lang {
        Lang::Id => format!("Semua peserta: {sum}"),
        Lang::En => format!("All participants: {sum}"),
    };
    totals.sum_slot = true;
    totals.note_slot = true;
    if draft.number::<u32>(VALID).is_some() && draft.number::<u32>(INVALID).is_some() {
        let counted = u64::from(t.valid) + u64::from(t.invalid);
        let used = u64::from(close_out.used);
        totals.sum = format!(
            "{} + {} = {counted} {} {used}",
            t.valid,
            t.invalid,
            if counted == used { "=" } else { "≠" }
        );
    }
    if lacking.is_empty() {
        let problems: Vec<String> = tally::check(&t, state.package(), close_out)
            .iter()
            .map(|d| d.text(b.ballot).get(lang).to_string())
            .collect();
        if !problems.is_empty() {
            totals.note = problems.join("; ");
            totals.note_ok = false;
            for c in &mut totals.cells {
                c.bad = true;
            }
        }
    }
    rows.push(totals);
}

/// The rows a correction adds before the step's own: the reason, which it must have.
pub fn correction_rows(draft: &Draft) -> Vec<RowData> {
    let mut reason = RowData::new(RowKind::Cells, "correction", "");
    reason.cells.push(draft.cell(
        CORRECTION_REASON.into(),
        "correction-reason",
        CellKind::Text,
    ));
    vec![RowData::header("correction"), reason]
}

/// The first field of the form still to fill in: its row, and the key of the cell to type into
/// (`None` for a yes/no answer, which the chair taps where it is). What is written about a
/// difference (the exception) and a correction's reason are left out: they are not always asked.
pub fn first_empty(rows: &[RowData]) -> Option<(usize, Option<String>)> {
    rows.iter().enumerate().find_map(|(i, r)| {
        if r.key.starts_with("exception") || r.key == "correction" {
            return None;
        }
        match r.kind {
            RowKind::YesNo if r.choice == 0 => Some((i, None)),
            RowKind::Cells => r.cells.iter().find_map(|c| match c.kind {
                CellKind::YesNo if c.choice == 0 => Some((i, None)),
                CellKind::Number | CellKind::Text if c.value.trim().is_empty() => {
                    Some((i, Some(c.key.clone())))
                }
                _ => None,
            }),
            _ => None,
        }
    })
}

/// Whether the form has anything to fill in (not only headers and notes).
pub fn has_inputs(rows: &[RowData]) -> bool {
    rows.iter().any(|r| r.kind != RowKind::Header)
}

fn reconciliation_rows(state: &State, draft: &Draft, lang: Lang, rows: &mut Vec<RowData>) {
    // The engine's own check of the whole close-out, once every figure is there.
    let mismatches = match build_reconciliation(state, draft) {
        Ok(r) => reconcile(state, &r),
        Err(_) => Vec::new(),
    };
    rows.push(RowData::header("ballots"));
    for b in ballots(state) {
        let code = b.ballot;
        let mut row = ballot_row(&b, format!("usage:{code}"), lang);
        row.detail = b.delivered.to_string();
        row.detail_word = "received";
        for (part, caption) in [
            ("used", "used"),
            ("unused", "unused"),
            ("damaged", "damaged"),
            ("dptb", "dptb"),
        ] {
            row.cells
                .push(draft.cell(format!("{part}:{code}"), caption, CellKind::Number));
        }
        let parts: Option<Vec<u64>> = ["used", "unused", "damaged"]
            .iter()
            .map(|p| draft.number::<u64>(&format!("{p}:{code}")))
            .collect();
        let mine = concerning(&mismatches, |m| mismatch_ballot(m) == Some(code));
        row.sum_slot = true;
        if let Some(p) = parts {
            let sum: u64 = p.iter().sum();
            let usage_ok = sum == u64::from(b.delivered);
            row.sum = format!(
                "{} + {} + {} = {sum} {} {}",
                p[0],
                p[1],
                p[2],
                if usage_ok { "=" } else { "≠" },
                b.delivered
            );
            row.note_ok = usage_ok && mine.is_empty();
            for c in row.cells.iter_mut().take(3) {
                c.bad = !usage_ok;
            }
        }
        note_mismatches(&mut row, &mine, lang);
        rows.push(row);
    }
    rows.push(RowData::header("turnout"));
    for (list, word) in [("dpt", "dpt"), ("dptb", "dptb-list"), ("dpk", "dpk")] {
        let mut row = male_female_row(draft, format!("turnout:{list}"), list, word);
        if list == "dpt" {
            let mine = concerning(&mismatches, |m| {
                matches!(m, Mismatch::TurnoutOverDpt { .. })
            });
            note_mismatches(&mut row, &mine, lang);
        }
        rows.push(row);
    }
    let mut row = male_female_row(draft, "disabled".into(), "disabled", "disabled");
    let mine = concerning(&mismatches, |m| {
        matches!(m, Mismatch::DisabledOverTurnout { .. })
    });
    note_mismatches(&mut row, &mine, lang);
    rows.push(row);
}

/// A row of male and female counts, its cells keyed `{cells}:male` and `{cells}:female`.
fn male_female_row(draft: &Draft, key: String, cells: &str, word: &str) -> RowData {
    let mut row = RowData::new(RowKind::Cells, key, word);
    row.word_label = true;
    row.cells
        .push(draft.cell(format!("{cells}:male"), "male", CellKind::Number));
    row.cells
        .push(draft.cell(format!("{cells}:female"), "female", CellKind::Number));
    row
}

/// The engine's mismatches that concern one row.
fn concerning(mismatches: &[Mismatch], concerns: impl Fn(&Mismatch) -> bool) -> Vec<&Mismatch> {
    mismatches.iter().filter(|m| concerns(m)).collect()
}

/// Says on the row what does not add up, if anything does not, in the room the row keeps for
/// it.
fn note_mismatches(row: &mut RowData, mine: &[&Mismatch], lang: Lang) {
    row.note_slot = true;
    if !mine.is_empty() {
        row.note = join(mine, lang);
        row.note_ok = false;
    }
}

fn join(ms: &[&Mismatch], lang: Lang) -> String {
    ms.iter()
        .map(|m| m.message(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

fn mismatch_ballot(m: &Mismatch) -> Option<BallotType> {
    match m {
        Mismatch::Usage { ballot, .. }
        | Mismatch::UsedVsVoters { ballot, .. }
        | Mismatch::DptbTooMany { ballot, .. }
        | Mismatch::DptbAllReceive { ballot, .. } => Some(ballot.ballot),
        _ => None,
    }
}
