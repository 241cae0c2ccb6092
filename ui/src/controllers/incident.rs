//! `IncidentAdapter`: kejadian khusus (what happened, who raised it, who witnessed it with their
//! PIN, the chair's PIN), how many incidents and objections are recorded today, and the way to
//! their list.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::Phase;
use tps_firmware::procedure::view::DEFAULT_BREAK_MINUTES;
use tps_firmware::text::Bilingual;
use tps_kiosk_screens::{IncidentAdapter, Screen};
use tps_station::words::names;

use super::{ChairAction, EditTarget, Model, PickTarget, Ui, count, overlay, weak, with};

/// Wires the `IncidentAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<IncidentAdapter>();
    let w = weak(ui);
    adapter.on_edit_text(move || {
        with(&w, |ui| {
            let text = ui.model.borrow().incident.text.clone();
            overlay::edit(
                ui,
                EditTarget::IncidentText,
                Bilingual::new("Uraian kejadian", "What happened"),
                text,
            )
        })
    });
    let w = weak(ui);
    adapter.on_pick_raised_by(move || {
        with(&w, |ui| {
            overlay::pick(
                ui,
                PickTarget::RaisedBy,
                Bilingual::new("Siapa yang menyampaikan?", "Who raises it?"),
            )
        })
    });
    let w = weak(ui);
    adapter.on_add_witness(move || {
        with(&w, |ui| {
            overlay::pick(
                ui,
                PickTarget::Witness,
                Bilingual::new(
                    "Siapa yang menyaksikan? Setiap saksi memasukkan PIN-nya.",
                    "Who witnessed it? Each witness enters their PIN.",
                ),
            )
        })
    });
    let w = weak(ui);
    adapter.on_clear_witnesses(move || with(&w, |ui| ui.update(|m| m.incident.witnesses.clear())));
    let w = weak(ui);
    adapter.on_save(move || with(&w, |ui| overlay::ask_chair(ui, ChairAction::Incident)));
    let w = weak(ui);
    adapter.on_announce_break(move || {
        with(&w, |ui| overlay::ask_chair(ui, ChairAction::AnnounceBreak))
    });
    let w = weak(ui);
    adapter.on_open_list(move || with(&w, |ui| ui.go(Screen::IncidentList)));
    let w = weak(ui);
    adapter.on_back(move || {
        with(&w, |ui| {
            let back = ui.model.borrow().before_incident;
            ui.go(back);
        })
    });
}

/// Fills the `IncidentAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<IncidentAdapter>();
    let Some(state) = m.state() else { return };
    let draft = &m.incident;
    adapter.set_text(draft.text.clone().into());
    adapter.set_raised_by(names(state, &draft.raised_by).into());
    adapter.set_witnesses(names(state, draft.witnesses.iter().map(|(id, _)| id)).into());
    adapter.set_ready(!draft.text.trim().is_empty());
    adapter.set_incidents(count(state.incidents.len()));
    adapter.set_objections(count(state.objections.len()));
    adapter.set_counting(state.phase() == Phase::Counting);
    adapter.set_break_minutes(i32::from(DEFAULT_BREAK_MINUTES));
}
