//! `AskAdapter`: a consequential action (a print, going on without the missing witnesses,
//! recording someone as leaving, a correction) is asked once more, saying what it will do,
//! before it is done; a mis-tap then costs a "Tidak, kembali" rather than a record.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_kiosk_screens::AskAdapter;

use super::{ChairAction, Model, Overlay, Then, Ui, overlay, step, weak, with};

/// Wires the `AskAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<AskAdapter>();
    let w = weak(ui);
    adapter.on_proceed(move || with(&w, proceed));
    let w = weak(ui);
    adapter.on_cancel(move || with(&w, overlay::close));
}

fn proceed(ui: &Ui) {
    let then = match &ui.model.borrow().overlay {
        Overlay::Ask(ask) => ask.then.clone(),
        _ => return,
    };
    overlay::close(ui);
    match then {
        Then::Print(kind) => ui.print_report(kind),
        Then::ProceedWithout => overlay::ask_chair(
            ui,
            ChairAction::Complete {
                proceed_without_quorum: true,
            },
        ),
        Then::Leaves(person) => overlay::ask_chair(
            ui,
            ChairAction::Presence {
                person,
                present: false,
            },
        ),
        Then::Correct => step::submit(ui),
    }
}

/// Fills the `AskAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<AskAdapter>();
    match &m.overlay {
        Overlay::Ask(ask) => {
            adapter.set_what(ask.what.get(m.lang).into());
            adapter.set_yes(ask.yes.get(m.lang).into());
            adapter.set_shown(true);
        }
        _ => adapter.set_shown(false),
    }
}
