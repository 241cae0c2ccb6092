//! A step's entries while the chair fills them in: what the form shows, and the [`StepInput`] it
//! becomes. The form lists what the procedure data and the package say (equipment, ballot types
//! with their colours, topics); whether the entries are acceptable is the engine's to say
//! (`check_proposal`, `reconcile`), never this module's.

use std::collections::BTreeMap;

use tps_firmware::bounded::{List, Text};
use tps_firmware::election::{BallotType, MaleFemale};
use tps_firmware::procedure::State;
use tps_firmware::procedure::input::{
    BallotTally, BallotUsage, BoxLock, EnvelopeSeal, Exception, InputKind, ItemCheck, ItemCount,
    Reconciliation, StepInput, Turnout,
};
use tps_firmware::procedure::refusal::{Field, Mismatch, Refusal};
use tps_firmware::procedure::spec::{Stage, StepSpec};
use tps_firmware::procedure::validate::reconcile;
use tps_firmware::text::{Bilingual, Lang};

/// A yes/no answer or a tick: 0 unanswered (unticked), 1 yes, 2 no.
pub type Choice = i32;

/// The chair's entries for one step, by field key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub choices: BTreeMap<String, Choice>,
    pub values: BTreeMap<String, String>,
}

/// How a field is typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Number,
    YesNo,
}

/// One input of a form row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellData {
    pub key: String,
    /// A word key the screen translates.
    pub caption: &'static str,
    pub kind: CellKind,
    pub value: String,
    pub variant: i32,
    pub choice: Choice,
    pub bad: bool,
}

/// What a form row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Header,
    YesNo,
    Tick,
    Cells,
}

/// One row of a step's form, in plain Rust (the controller turns it into the screen's struct).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowData {
    pub kind: RowKind,
    pub key: String,
    /// Shown as is, unless `word_label` (and always for a header): then a word key.
    pub label: String,
    pub word_label: bool,
    pub detail: String,
    pub detail_word: &'static str,
    /// `#rrggbb` of the ballot, if the procedure gives one.
    pub colour: Option<String>,
    pub code: String,
    /// A second line under the label.
    pub sub: String,
    pub variant: i32,
    pub choice: Choice,
    pub cells: Vec<CellData>,
    pub sum: String,
    pub note: String,
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
            note: String::new(),
            note_ok: true,
        }
    }

    fn header(word: &str) -> Self {
        Self::new(RowKind::Header, "", word)
    }
}

/// The field holding the reason for a correction (not part of the step's input: it goes with
/// the correction command).
pub const CORRECTION_REASON: &str = "correction:reason";

/// The maximum length of what may be typed into a field (what the record can hold).
pub fn max_length(key: &str) -> usize {
    if key.starts_with("lock:") || key.starts_with("seal:") {
        24
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
        _ => false,
    }
}

impl Draft {
    fn choice(&self, key: &str) -> Choice {
        self.choices.get(key).copied().unwrap_or(0)
    }

    /// What was typed into field `key` (empty if nothing).
    pub fn value(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }

    fn number<T: std::str::FromStr>(&self, key: &str) -> Option<T> {
        let v = self.value(key).trim();
        if v.is_empty() { None } else { v.parse().ok() }
    }

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
        InputKind::Attendance | InputKind::Oath | InputKind::PollsOpen => {
            rows.push(RowData::header("no-inputs"))
        }
    }
    rows
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

/// Says on the row what does not add up, if anything does not.
fn note_mismatches(row: &mut RowData, mine: &[&Mismatch], lang: Lang) {
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

/// A field that must be filled before the entries can even be put together, named as the
/// engine's "not filled in" refusal names things.
fn missing(state: &State, key: &str) -> Bilingual {
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
    };
    if lacking.is_empty() {
        Ok(input)
    } else {
        Err(incomplete(state, &lacking))
    }
}

fn build_reconciliation(state: &State, draft: &Draft) -> Result<Reconciliation, Refusal> {
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
