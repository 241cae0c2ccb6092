//! `StepAdapter`: one step of the day: its instructions, the chair's entries (checked live by the
//! engine), the witness panel, and "Lanjut", enabled exactly when the engine's preview of the
//! completion accepts it, with the engine's reason next to it when it does not.
//!
//! The same screen corrects a completed step: the figures that stand, to change, and the reason;
//! the engine decides whether the correction is accepted and what it needs, as for the step.

use std::rc::Rc;

use slint::{Color, ComponentHandle, Model as _, ModelRc, SharedString, VecModel};
use tps_firmware::procedure::decide::check_proposal;
use tps_firmware::procedure::quorum::requirements;
use tps_firmware::procedure::spec::StepSpec;
use tps_firmware::procedure::state::Proposal;
use tps_firmware::procedure::view::{may_confirm, may_object, open_correction};
use tps_firmware::procedure::{Command, Refusal, State, decide, preview_completion};
use tps_firmware::text::{Bilingual, Lang};
use tps_firmware::time::Stamp;
use tps_kiosk_screens::{Cell, FormRow, NoteLine, Screen, StepAdapter, WitnessLine};
use tps_station::draft::{CORRECTION_REASON, Draft, build};
use tps_station::words::{self, names};

use super::{
    Ask, ChairAction, EditTarget, Model, Pending, PickTarget, Then, Ui, count, overlay, respond,
    sync, weak, with,
};
use crate::draft::{self, CellKind, RowData, RowKind};

/// The rows last put on the screen, so only changed rows are replaced.
#[derive(Debug, Default)]
pub struct Cache {
    step: Option<usize>,
    rows: Vec<RowData>,
}

/// Wires the `StepAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<StepAdapter>();
    let w = weak(ui);
    adapter.on_row_choice(move |key, value| {
        with(&w, |ui| {
            ui.update(|m| {
                let step = m.step;
                m.draft_mut(step).choices.insert(key.to_string(), value);
            })
        })
    });
    let w = weak(ui);
    adapter.on_cell_edit(move |key| with(&w, |ui| edit_cell(ui, key.as_str())));
    let w = weak(ui);
    adapter.on_propose(move || with(&w, propose));
    let w = weak(ui);
    adapter.on_edit(move || {
        with(&w, |ui| {
            ui.update(|m| {
                let step = m.step;
                let proposed = m
                    .state()
                    .and_then(|s| open_proposal(s, step))
                    .map(|p| Draft::from_input(&p.input));
                if let Some(d) = proposed {
                    m.drafts.insert(step, d);
                }
                m.editing = Some(step);
            })
        })
    });
    let w = weak(ui);
    adapter.on_confirm(move || with(&w, overlay::pick_confirmer));
    let w = weak(ui);
    adapter.on_object(move || {
        with(&w, |ui| {
            overlay::pick(
                ui,
                PickTarget::Objector,
                Bilingual::new(
                    "Siapa yang mengajukan keberatan? (saksi atau Pengawas TPS)",
                    "Who objects? (saksi or Pengawas TPS)",
                ),
            )
        })
    });
    let w = weak(ui);
    adapter.on_complete(move || {
        with(&w, |ui| {
            overlay::ask_chair(
                ui,
                ChairAction::Complete {
                    proceed_without_quorum: false,
                },
            )
        })
    });
    let w = weak(ui);
    adapter.on_cancel_correction(move || {
        with(&w, |ui| {
            ui.update(|m| m.correcting = None);
            ui.go(Screen::Progress);
        })
    });
    let w = weak(ui);
    adapter.on_decline(move || with(&w, respond::start_decline));
    let w = weak(ui);
    adapter.on_resolve(move || with(&w, respond::start_resolve));
    let w = weak(ui);
    adapter.on_nihil(move || with(&w, respond::start_nihil));
    let w = weak(ui);
    adapter.on_open_waiting(move || with(&w, |ui| ui.go(Screen::Waiting)));
    let w = weak(ui);
    adapter.on_open_attendance(move || with(&w, |ui| ui.go(Screen::Attendance)));
    let w = weak(ui);
    adapter.on_jump(move || with(&w, jump));
}

/// To the first empty field: the form scrolls to its row and, if it is typed in, the keypad or
/// keyboard opens on it.
fn jump(ui: &Ui) {
    let target = {
        let m = ui.model.borrow();
        let Some(state) = m.state() else { return };
        let Some(spec) = state.procedure().steps.get(m.step) else {
            return;
        };
        let d = shown_draft(&m, state, m.step);
        draft::first_empty(&form_rows(&m, state, spec, &d, m.lang))
    };
    let Some((row, cell)) = target else { return };
    let adapter = ui.app.global::<StepAdapter>();
    adapter.set_jump_row(i32::try_from(row).unwrap_or(i32::MAX));
    adapter.set_jump_serial(adapter.get_jump_serial().wrapping_add(1).max(1));
    if let Some(key) = cell {
        edit_cell(ui, &key);
    }
}

/// The open proposal of step `index`, unless it is a correction.
pub fn open_proposal(state: &State, index: usize) -> Option<&Proposal> {
    state
        .proposal
        .as_ref()
        .filter(|p| p.step == index && p.corrects.is_none())
}

/// What the step screen shows of step `index`.
enum Mode<'a> {
    /// The day's step: the chair's entries, then its proposal.
    Step(Option<&'a Proposal>),
    /// New figures for the completed step, with the reason, not yet submitted.
    Correcting(&'a Draft),
    /// A correction waiting for its confirmations.
    Correction(&'a Proposal),
}

fn mode<'a>(m: &'a Model, state: &'a State, index: usize) -> Mode<'a> {
    if let Some(p) = open_correction(state).filter(|p| p.step == index) {
        return Mode::Correction(p);
    }
    match &m.correcting {
        Some((step, d)) if *step == index => Mode::Correcting(d),
        _ => Mode::Step(open_proposal(state, index)),
    }
}

/// The entries the screen shows: the open proposal's while it waits for confirmation, the
/// chair's draft otherwise.
fn shown_draft(m: &Model, state: &State, index: usize) -> Draft {
    match mode(m, state, index) {
        Mode::Correction(p) => {
            let mut d = Draft::from_input(&p.input);
            if let Some(reason) = &p.reason {
                d.values
                    .insert(CORRECTION_REASON.into(), reason.to_string());
            }
            d
        }
        Mode::Correcting(d) => d.clone(),
        Mode::Step(Some(p)) if m.editing != Some(index) => Draft::from_input(&p.input),
        Mode::Step(_) => m.drafts.get(&index).cloned().unwrap_or_default(),
    }
}

/// The form's rows: a correction's reason first, then the step's own.
fn form_rows(m: &Model, state: &State, spec: &StepSpec, d: &Draft, lang: Lang) -> Vec<RowData> {
    let index = m.step;
    let mut rows = match mode(m, state, index) {
        Mode::Step(_) => Vec::new(),
        Mode::Correcting(_) | Mode::Correction(_) => draft::correction_rows(d),
    };
    rows.extend(draft::rows(state, spec, d, lang));
    rows
}

/// The command the entries would make: the step's proposal or the correction.
fn command(m: &Model, state: &State, spec: &StepSpec) -> Result<Command, Refusal> {
    match mode(m, state, m.step) {
        Mode::Correcting(d) => Ok(Command::Correct {
            step: spec.id.clone(),
            input: build(state, spec, d)?,
            reason: d.value(CORRECTION_REASON).to_string(),
        }),
        _ => Ok(Command::Propose {
            step: spec.id.clone(),
            input: build(
                state,
                spec,
                m.drafts.get(&m.step).unwrap_or(&Draft::default()),
            )?,
        }),
    }
}

/// Whether the entries would be accepted now (everything but the confirmations): the engine's
/// own check of a proposal, or its decision on the correction (which takes no PIN).
fn check(m: &Model, state: &State, spec: &StepSpec, stamp: &Stamp) -> Result<(), Refusal> {
    match command(m, state, spec)? {
        Command::Propose { input, .. } => check_proposal(state, m.step, spec, &input, stamp),
        correct => decide(state, &correct, stamp).map(|_| ()),
    }
}

fn edit_cell(ui: &Ui, key: &str) {
    let found = {
        let m = ui.model.borrow();
        let Some(state) = m.state() else { return };
        let step = m.step;
        let Some(spec) = state.procedure().steps.get(step) else {
            return;
        };
        let d = shown_draft(&m, state, step);
        // The row's name in both languages, for the keyboard's title.
        let owner = |lang: Lang| {
            form_rows(&m, state, spec, &d, lang)
                .into_iter()
                .find_map(|r| {
                    r.cells.iter().find(|c| c.key == key).map(|c| {
                        let name = if r.code.is_empty() {
                            r.label.clone()
                        } else {
                            r.code.clone()
                        };
                        (name, c.caption, c.value.clone())
                    })
                })
        };
        let reason = Bilingual::new("Koreksi", "Correction");
        owner(Lang::Id)
            .zip(owner(Lang::En))
            .map(|((id, caption, value), (en, _, _))| {
                // The reason's row has no name of its own: it belongs to the correction.
                let title = if id.is_empty() {
                    reason.clone()
                } else {
                    Bilingual::new(id, en)
                };
                (step, title, caption, value)
            })
    };
    if let Some((step, title, caption, value)) = found {
        overlay::edit_with_caption(
            ui,
            EditTarget::Cell {
                step,
                key: key.to_string(),
            },
            title,
            caption,
            value,
        );
    }
}

/// "Ajukan": the step's entries go for confirmation; a correction is asked once more first.
fn propose(ui: &Ui) {
    let correcting = {
        let m = ui.model.borrow();
        m.state()
            .filter(|state| matches!(mode(&m, state, m.step), Mode::Correcting(_)))
            .map(|state| state.step_title(m.step))
    };
    match correcting {
        Some(title) => overlay::ask(
            ui,
            Ask {
                what: Bilingual::new(
                    format!(
                        "Koreksi '{}' diajukan untuk konfirmasi. Angka lama tetap tercatat; konfirmasi yang sama seperti langkah ini diperlukan lagi.",
                        title.id
                    ),
                    format!(
                        "The correction of '{}' is submitted for confirmation. The old figures stay on record; the same confirmations as for the step are needed again.",
                        title.en
                    ),
                ),
                yes: Bilingual::new("Ya, ajukan koreksi", "Yes, submit the correction"),
                then: Then::Correct,
            },
        ),
        None => submit(ui),
    }
}

/// The entries (or the correction) submitted.
pub fn submit(ui: &Ui) {
    let (command, pending) = {
        let m = ui.model.borrow();
        let Some(state) = m.state() else { return };
        let Some(spec) = state.procedure().steps.get(m.step) else {
            return;
        };
        match command(&m, state, spec) {
            Ok(c @ Command::Correct { .. }) => (c, Pending::Correct(m.step)),
            Ok(c) => (c, Pending::Propose(m.step)),
            Err(_) => return,
        }
    };
    ui.submit(command, pending);
}

fn colour(hex: Option<&str>) -> Option<Color> {
    let hex = hex?.strip_prefix('#')?;
    let v = u32::from_str_radix(hex, 16).ok()?;
    let [_, r, g, b] = v.to_be_bytes();
    Some(Color::from_rgb_u8(r, g, b))
}

fn form_row(r: &RowData) -> FormRow {
    let mut cells: Vec<Cell> = r
        .cells
        .iter()
        .map(|c| Cell {
            key: c.key.clone().into(),
            caption: c.caption.into(),
            kind: match c.kind {
                CellKind::Text => 0,
                CellKind::Number => 1,
                CellKind::YesNo => 2,
            },
            value: c.value.clone().into(),
            variant: c.variant,
            choice: c.choice,
            bad: c.bad,
        })
        .collect();
    // Four fields in one line of the form leave their labels too little room: two lines of
    // two.
    let cells2 = if cells.len() > 3 {
        cells.split_off(2)
    } else {
        Vec::new()
    };
    let colour = colour(r.colour.as_deref());
    // Dark text on light ballot colours (the grey and the yellow), white on the others.
    let ink = match colour {
        Some(c) => {
            let luminance = 0.299 * f32::from(c.red())
                + 0.587 * f32::from(c.green())
                + 0.114 * f32::from(c.blue());
            if luminance > 140.0 {
                Color::from_rgb_u8(0x11, 0x14, 0x17)
            } else {
                Color::from_rgb_u8(0xff, 0xff, 0xff)
            }
        }
        None => Color::from_rgb_u8(0xff, 0xff, 0xff),
    };
    FormRow {
        kind: match r.kind {
            RowKind::Header => 0,
            RowKind::YesNo => 1,
            RowKind::Tick => 2,
            RowKind::Cells => 3,
        },
        key: r.key.clone().into(),
        label: r.label.clone().into(),
        word_label: r.word_label,
        detail: r.detail.clone().into(),
        detail_word: r.detail_word.into(),
        colour: colour.unwrap_or_default(),
        coloured: colour.is_some(),
        ink,
        code: r.code.clone().into(),
        sub: r.sub.clone().into(),
        variant: r.variant,
        choice: r.choice,
        cells: ModelRc::new(VecModel::from(cells)),
        cells2: ModelRc::new(VecModel::from(cells2)),
        sum: r.sum.clone().into(),
        sum_slot: r.sum_slot,
        note: r.note.clone().into(),
        note_slot: r.note_slot,
        note_ok: r.note_ok,
    }
}

/// Puts `rows` on the screen, replacing only the rows that changed.
fn put_rows(adapter: &StepAdapter, cache: &mut Cache, step: usize, rows: Vec<RowData>) {
    let current = adapter.get_rows();
    let vec = current.as_any().downcast_ref::<VecModel<FormRow>>();
    match vec {
        Some(vec) if cache.step == Some(step) && cache.rows.len() == rows.len() => {
            for (i, (old, new)) in cache.rows.iter().zip(&rows).enumerate() {
                if old != new {
                    vec.set_row_data(i, form_row(new));
                }
            }
        }
        _ => {
            let model: Vec<FormRow> = rows.iter().map(form_row).collect();
            adapter.set_rows(ModelRc::new(VecModel::from(model)));
        }
    }
    cache.step = Some(step);
    cache.rows = rows;
}

/// Why "Lanjut" is not possible, and whether the 30-minute rule is what it waits for.
fn completion(state: &State, stamp: &Stamp) -> Result<(), (Refusal, bool)> {
    preview_completion(state, false, stamp)
        .map(|_| ())
        .map_err(|r| {
            let waiting = matches!(
                r,
                Refusal::MissingWitnesses {
                    wait_until: Some(_),
                    ..
                } | Refusal::MissingWitnesses {
                    may_proceed: true,
                    ..
                }
            );
            (r, waiting)
        })
}

/// Fills the `StepAdapter` from the model.
pub fn render(ui: &Ui, m: &Model, cache: &mut Cache) {
    let adapter = ui.app.global::<StepAdapter>();
    let (Some(state), Some(stamp)) = (m.state(), m.stamp()) else {
        return;
    };
    let lang = m.lang;
    let index = m.step;
    let Some(spec) = state.procedure().steps.get(index) else {
        return;
    };
    let (proposal, proposed, correction) = match mode(m, state, index) {
        Mode::Step(p) => (p, p.is_some() && m.editing != Some(index), false),
        Mode::Correcting(_) => (None, false, true),
        Mode::Correction(p) => (Some(p), true, true),
    };
    let d = shown_draft(m, state, index);
    adapter.set_number(count(index + 1));
    adapter.set_title(spec.title.get(lang).into());
    adapter.set_correction(correction);
    // A correction's instructions are the screen's own (what to change, and why).
    let instructions: Vec<SharedString> = if correction {
        Vec::new()
    } else {
        spec.instructions
            .iter()
            .map(|i| i.get(lang).into())
            .collect()
    };
    adapter.set_instructions(sync(adapter.get_instructions(), instructions));
    let rows = form_rows(m, state, spec, &d, lang);
    adapter.set_has_inputs(draft::has_inputs(&rows));
    put_rows(&adapter, cache, index, rows);
    adapter.set_is_attendance(
        !correction && spec.input == tps_firmware::procedure::input::InputKind::Attendance,
    );
    let (kpps_total, kpps_missing) = tps_firmware::procedure::view::kpps_unregistered(state);
    adapter.set_kpps_registered(words::kpps_registered(kpps_total, &kpps_missing, lang).into());
    adapter.set_proposed(proposed);
    let check = check(m, state, spec, &stamp);
    adapter.set_can_propose(check.is_ok());
    let (message, can_jump) = match &check {
        Ok(()) => (String::new(), false),
        Err(Refusal::Incomplete { missing }) if !proposed => {
            (words::not_filled_in(missing, lang), true)
        }
        Err(r) => (r.message(lang), false),
    };
    adapter.set_check_message(message.into());
    adapter.set_can_jump(can_jump);
    render_witnesses(&adapter, state, spec, proposal, lang);
    adapter.set_can_confirm(proposed && !may_confirm(state).is_empty());
    adapter.set_can_object(proposed && state.people.iter().any(|p| may_object(state, p.id)));
    adapter.set_can_decline(proposed && respond::can_decline(state));
    adapter.set_can_resolve(respond::can_resolve(state));
    adapter.set_can_nihil(respond::can_confirm_nihil(state));
    let completion = if proposed {
        completion(state, &stamp)
    } else {
        Err((Refusal::NoOpenProposal, false))
    };
    adapter.set_can_complete(completion.is_ok());
    let (message, waiting) = match &completion {
        Ok(()) => (String::new(), false),
        Err((r, waiting)) => (r.message(lang), *waiting),
    };
    adapter.set_complete_message(message.into());
    adapter.set_waiting(waiting);
}

fn render_witnesses(
    adapter: &StepAdapter,
    state: &State,
    spec: &StepSpec,
    proposal: Option<&Proposal>,
    lang: Lang,
) {
    let lines: Vec<WitnessLine> = requirements(state, &spec.quorum, proposal)
        .into_iter()
        .map(|r| WitnessLine {
            label: r.label.get(lang).into(),
            met: r.met,
            by: r.by.join(", ").into(),
        })
        .collect();
    adapter.set_witnesses(sync(adapter.get_witnesses(), lines));
    let objections: Vec<NoteLine> = proposal
        .map(|p| {
            p.objections
                .iter()
                .map(|(who, reason)| NoteLine {
                    text: reason.to_string().into(),
                    who: names(state, [who]).into(),
                    objection: true,
                    ..NoteLine::default()
                })
                .collect()
        })
        .unwrap_or_default();
    adapter.set_objections(sync(adapter.get_objections(), objections));
}
