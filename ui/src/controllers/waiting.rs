//! `WaitingAdapter`: the 30-minute rule. The step waits for missing witnesses until the time the
//! engine names; the countdown runs to it; then "Lanjut tanpa saksi yang tidak hadir" becomes possible,
//! apart from the ordinary "Lanjut".

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::{Refusal, preview_completion};
use tps_kiosk_screens::{Screen, WaitingAdapter};
use tps_station::words;

use super::{ChairAction, Model, Ui, overlay, weak, with};

/// Wires the `WaitingAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<WaitingAdapter>();
    let w = weak(ui);
    adapter.on_confirm(move || with(&w, overlay::pick_confirmer));
    let w = weak(ui);
    adapter.on_proceed_without(move || {
        with(&w, |ui| {
            overlay::ask_chair(
                ui,
                ChairAction::Complete {
                    proceed_without_quorum: true,
                },
            )
        })
    });
    let w = weak(ui);
    adapter.on_back(move || with(&w, |ui| ui.go(Screen::Step)));
}

/// Fills the `WaitingAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<WaitingAdapter>();
    let (Some(state), Some(stamp)) = (m.state(), m.stamp()) else {
        return;
    };
    let lang = m.lang;
    let zone = state.package().zone;
    adapter.set_title(state.step_title(m.step).get(lang).into());
    let refusal = preview_completion(state, false, &stamp).err();
    // The engine names the end of the wait while it lasts; once over, the procedure's time.
    let until = match &refusal {
        Some(Refusal::MissingWitnesses {
            wait_until: Some((t, _)),
            ..
        }) => *t,
        _ => state.witness_wait_ends(),
    };
    adapter.set_until(words::at(until, zone).into());
    adapter.set_countdown(words::until(state.instant(until) - stamp.wall_ms, lang).into());
    adapter.set_missing(
        refusal
            .as_ref()
            .map(|r| r.message(lang))
            .unwrap_or_default()
            .into(),
    );
    adapter.set_may_proceed(
        matches!(
            refusal,
            Some(Refusal::MissingWitnesses {
                may_proceed: true,
                ..
            })
        ) && preview_completion(state, true, &stamp).is_ok(),
    );
}
