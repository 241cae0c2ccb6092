//! `IncidentListAdapter`: what form C.Kejadian Khusus dan/atau Keberatan holds today: every
//! kejadian khusus and keberatan, oldest first, in the chair's language; NIHIL when there is none.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_kiosk_screens::{IncidentListAdapter, NoteLine, Screen};
use tps_station::notes::notes;

use super::{Model, Ui, sync, weak, with};

/// Wires the `IncidentListAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let w = weak(ui);
    ui.app
        .global::<IncidentListAdapter>()
        .on_back(move || with(&w, |ui| ui.go(Screen::Incident)));
}

/// Fills the `IncidentListAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<IncidentListAdapter>();
    let Some(kiosk) = m.kiosk() else { return };
    let lines: Vec<NoteLine> = notes(&kiosk.state, m.lang)
        .into_iter()
        .enumerate()
        .map(|(i, n)| NoteLine {
            number: format!("{}.", i + 1).into(),
            seq: format!("#{}", n.seq).into(),
            at: n.at.into(),
            title: n.title.into(),
            about: n.about.into(),
            text: n.text.into(),
            who: n.raised_by.into(),
            witnesses: n.witnesses.into(),
            objection: n.objection,
        })
        .collect();
    adapter.set_notes(sync(adapter.get_notes(), lines));
}
