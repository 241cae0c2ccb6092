//! `AskAdapter`: a consequential action (a print, going on without the missing witnesses,
//! recording someone as leaving, a correction) is asked once more, saying what it will do,
//! before it is done; a mis-tap then costs a "Tidak, kembali" rather than a record.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::event::ReportKind;
use tps_firmware::procedure::people::PersonId;
use tps_firmware::text::Bilingual;
use tps_kiosk_screens::AskAdapter;

use super::{ChairAction, Model, Overlay, Ui, entry, step, weak, with};

/// What is done once the chair says yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    Print(ReportKind),
    /// "Lanjut" without the witnesses who did not come (the chair's PIN next).
    ProceedWithout,
    /// `person` recorded as leaving (the chair's PIN next).
    Leaves(PersonId),
    /// The correction being drafted, submitted for confirmation.
    Correct,
}

/// The question on the screen.
#[derive(Debug, Clone)]
pub struct Ask {
    /// What will happen.
    pub what: Bilingual,
    /// The button that does it.
    pub yes: Bilingual,
    pub then: Then,
}

pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<AskAdapter>();
    let w = weak(ui);
    adapter.on_proceed(move || with(&w, proceed));
    let w = weak(ui);
    adapter.on_cancel(move || with(&w, entry::close));
}

/// Puts the question over the screen.
pub fn ask(ui: &Ui, ask: Ask) {
    ui.update(|m| m.overlay = Overlay::Ask(ask));
}

fn proceed(ui: &Ui) {
    let then = match &ui.model.borrow().overlay {
        Overlay::Ask(ask) => ask.then.clone(),
        _ => return,
    };
    entry::close(ui);
    match then {
        Then::Print(kind) => ui.print_report(kind),
        Then::ProceedWithout => entry::ask_chair(
            ui,
            ChairAction::Complete {
                proceed_without_quorum: true,
            },
        ),
        Then::Leaves(person) => entry::ask_chair(
            ui,
            ChairAction::Presence {
                person,
                present: false,
            },
        ),
        Then::Correct => step::submit(ui),
    }
}

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
