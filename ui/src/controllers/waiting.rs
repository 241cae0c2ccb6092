//! `WaitingAdapter`: the 30-minute rule. The step waits for missing witnesses until the time the
//! engine names; the countdown runs to it; then "Lanjut tanpa saksi yang tidak hadir" becomes possible,
//! apart from the ordinary "Lanjut".

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::{Refusal, preview_completion};
use tps_firmware::text::{Bilingual, Lang};
use tps_kiosk_screens::{Screen, WaitingAdapter};
use tps_station::words;

use super::{Ask, Model, RegisterDraft, Then, Ui, overlay, weak, with};

/// Wires the `WaitingAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<WaitingAdapter>();
    let w = weak(ui);
    adapter.on_confirm(move || with(&w, overlay::pick_confirmer));
    let w = weak(ui);
    adapter.on_proceed_without(move || with(&w, ask_proceed_without));
    let w = weak(ui);
    adapter.on_back(move || with(&w, |ui| ui.go(Screen::Step)));
    // A witness who arrives late is registered from here and comes back here to confirm.
    let w = weak(ui);
    adapter.on_register(move || {
        with(&w, |ui| {
            let mut m = ui.model.borrow_mut();
            m.register = RegisterDraft::default();
            m.after_register = Screen::Waiting;
            drop(m);
            ui.go(Screen::Register);
        })
    });
}

/// Once no witness is missing any more, the waiting screen gives way to the step by itself
/// (where "Lanjut" is now possible, or says what else it waits for).
pub fn leave_when_complete(m: &mut Model) {
    if m.screen != Screen::Waiting {
        return;
    }
    let still_waiting = match (m.state(), m.stamp()) {
        (Some(state), Some(stamp)) => matches!(
            preview_completion(state, false, &stamp),
            Err(Refusal::MissingWitnesses { .. })
        ),
        _ => true,
    };
    if !still_waiting {
        m.screen = Screen::Step;
    }
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

/// "Lanjut tanpa saksi yang tidak hadir": what is missing (the engine's words) and that it is
/// recorded, asked once more before the chair's PIN.
fn ask_proceed_without(ui: &Ui) {
    let what = {
        let m = ui.model.borrow();
        let (Some(state), Some(stamp)) = (m.state(), m.stamp()) else {
            return;
        };
        let title = state.step_title(m.step);
        let missing = preview_completion(state, false, &stamp).err();
        let says = |lang| {
            missing
                .as_ref()
                .map(|r| r.message(lang))
                .unwrap_or_default()
        };
        Bilingual::new(
            format!(
                "'{}' diselesaikan tanpa saksi yang tidak hadir. {} Ketidakhadiran mereka dicatat sebagai kejadian khusus.",
                title.id,
                says(Lang::Id)
            ),
            format!(
                "'{}' is completed without the witnesses who are absent. {} Their absence is recorded as a special incident.",
                title.en,
                says(Lang::En)
            ),
        )
    };
    overlay::ask(
        ui,
        Ask {
            what,
            yes: Bilingual::new("Ya, lanjut tanpa mereka", "Yes, go on without them"),
            then: Then::ProceedWithout,
        },
    );
}
