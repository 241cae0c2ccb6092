//! `ProgressAdapter`: the day's steps (done, current, locked) and the way into the current one;
//! a done step beside the list, with how often it was corrected and the way to correct it (when
//! the engine allows); the closing report once the day is done.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::election::BallotType;
use tps_firmware::event::ReportKind;
use tps_firmware::procedure::input::StepInput;
use tps_firmware::procedure::people::Role;
use tps_firmware::procedure::view::preview_correction;
use tps_firmware::procedure::{Phase, State};
use tps_kiosk_screens::{ProgressAdapter, Screen, StepLine};
use tps_station::draft::Draft;
use tps_station::words::{hh_mm, names};

use super::{Model, RegisterDraft, Ui, count, report, sync, weak, with};

/// Wires the `ProgressAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<ProgressAdapter>();
    let w = weak(ui);
    adapter.on_open_current(move || with(&w, Ui::open_current));
    let w = weak(ui);
    adapter.on_open_attendance(move || with(&w, |ui| ui.go(Screen::Attendance)));
    let w = weak(ui);
    adapter.on_register_chair(move || {
        with(&w, |ui| {
            let mut m = ui.model.borrow_mut();
            m.register = RegisterDraft {
                role: Some(Role::CHAIR),
                ..RegisterDraft::default()
            };
            m.after_register = Screen::Attendance;
            drop(m);
            ui.go(Screen::Register);
        })
    });
    let w = weak(ui);
    adapter.on_select(move |number| {
        with(&w, |ui| {
            let index = usize::try_from(number - 1).ok();
            ui.update(|m| {
                m.selected = if m.selected == index { None } else { index };
            })
        })
    });
    let w = weak(ui);
    adapter.on_deselect(move || with(&w, |ui| ui.update(|m| m.selected = None)));
    let w = weak(ui);
    adapter.on_correct(move || with(&w, correct));
    let w = weak(ui);
    adapter.on_open_report(move || with(&w, |ui| report::open(ui, ReportKind::Closing)));
    let w = weak(ui);
    adapter.on_open_opening_report(move || with(&w, |ui| report::open(ui, ReportKind::Opening)));
    let w = weak(ui);
    adapter.on_open_result(move || {
        with(&w, |ui| {
            let counted = ui.model.borrow().state().and_then(last_counted);
            if let Some(b) = counted {
                report::open(ui, ReportKind::Result(b));
            }
        })
    });
}

/// The ballot type counted last (its C.Hasil is the one to print now), if any is.
fn last_counted(state: &State) -> Option<BallotType> {
    state.completed.iter().rev().find_map(|c| match &c.input {
        StepInput::Count { tally, .. } => Some(tally.ballot),
        _ => None,
    })
}

/// Opens the selected step's form with the figures that stand, to correct them; a correction
/// already being drafted for it is kept.
fn correct(ui: &Ui) {
    let opened = {
        let mut m = ui.model.borrow_mut();
        let Some(index) = m.selected else { return };
        let standing = m.state().and_then(|state| {
            preview_correction(state, index).ok()?;
            state
                .completed_step(index)
                .map(|c| Draft::from_input(&c.input))
        });
        match standing {
            Some(draft) => {
                if !matches!(&m.correcting, Some((step, _)) if *step == index) {
                    m.correcting = Some((index, draft));
                }
                m.step = index;
                true
            }
            None => false,
        }
    };
    if opened {
        ui.go(Screen::Step);
    }
}

/// Fills the `ProgressAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<ProgressAdapter>();
    let Some(state) = m.state() else { return };
    let current = state.current_step();
    let zone = state.package().zone;
    let steps: Vec<StepLine> = state
        .procedure()
        .steps
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let done = state.completed_step(i);
            StepLine {
                number: count(i + 1),
                title: spec.title.get(m.lang).into(),
                status: if done.is_some() {
                    0
                } else if i == current {
                    1
                } else {
                    2
                },
                at: done
                    .map(|c| hh_mm(c.at_ms, zone))
                    .unwrap_or_default()
                    .into(),
                corrected: count(done.map_or(0, |c| c.corrected.len())),
                selected: m.selected == Some(i),
            }
        })
        .collect();
    adapter.set_steps(sync(adapter.get_steps(), steps));
    adapter.set_current(count(current + 1));
    adapter.set_current_title(
        state
            .current_spec()
            .map(|s| s.title.get(m.lang).to_string())
            .unwrap_or_default()
            .into(),
    );
    adapter.set_phase(match state.phase() {
        Phase::Opening => 0,
        Phase::Voting => 1,
        Phase::Queue => 2,
        Phase::CloseOut => 3,
        Phase::Counting => 4,
        Phase::Finished => 5,
    });
    adapter.set_people(count(state.people.len()));
    adapter.set_has_chair(state.chair().is_some());
    adapter.set_incidents(count(state.incidents.len()));
    adapter.set_objections(count(state.objections.len()));
    let ready = |kind| m.kiosk().is_some_and(|k| k.reports.get(kind).is_ok());
    adapter.set_closing_ready(ready(ReportKind::Closing));
    adapter.set_opening_ready(ready(ReportKind::Opening));
    let counted = last_counted(state);
    adapter.set_result_ready(counted.is_some_and(|b| ready(ReportKind::Result(b))));
    adapter.set_result_name(counted.map_or("", |b| b.short_name()).into());
    render_selected(&adapter, m, state);
}

/// The done step beside the list.
fn render_selected(adapter: &ProgressAdapter, m: &Model, state: &State) {
    let selected = m
        .selected
        .and_then(|i| Some((i, state.procedure().steps.get(i)?, state.completed_step(i)?)));
    let Some((index, spec, done)) = selected else {
        adapter.set_selected(0);
        return;
    };
    adapter.set_selected(count(index + 1));
    adapter.set_selected_title(spec.title.get(m.lang).into());
    adapter.set_selected_at(hh_mm(done.at_ms, state.package().zone).into());
    adapter.set_selected_corrected(count(done.corrected.len()));
    adapter.set_selected_corrected_at(
        done.corrected_at_ms
            .map(|at| hh_mm(at, state.package().zone))
            .unwrap_or_default()
            .into(),
    );
    adapter.set_selected_by(names(state, &done.confirmations).into());
    let allowed = preview_correction(state, index);
    adapter.set_correctable(spec.correctable);
    adapter.set_can_correct(allowed.is_ok());
    adapter.set_correct_message(
        allowed
            .err()
            .map(|r| r.message(m.lang))
            .unwrap_or_default()
            .into(),
    );
}
