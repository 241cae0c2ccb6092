//! Opening what covers the screen for a flow: the keyboard or the number pad, a picker, the PIN
//! pad (for a person, the chair or the technician); and closing it. What is typed, chosen or
//! signed goes on in [`super::entry`].

use slint::ComponentHandle;
use tps_firmware::procedure::Refusal;
use tps_firmware::procedure::people::PersonId;
use tps_firmware::text::Bilingual;
use tps_kiosk_screens::{EditorAdapter, PinAdapter};
use tps_station::words;

use super::{
    Ask, ChairAction, EditTarget, Notice, Overlay, PickTarget, PinAsk, PinNext, TechnicianAction,
    Ui, count, signs,
};

/// Puts a consequential action's question over the screen (answered in `ask`).
pub fn ask(ui: &Ui, ask: Ask) {
    ui.update(|m| m.overlay = Overlay::Ask(ask));
}

/// Closes whatever covers the screen.
pub fn close(ui: &Ui) {
    clear_pin(ui);
    ui.update(|m| m.overlay = Overlay::None);
}

/// Empties the PIN pad.
pub fn clear_pin(ui: &Ui) {
    ui.app.global::<PinAdapter>().set_pin("".into());
}

/// Opens the keyboard (or the keypad for a number) on `value`.
pub fn edit(ui: &Ui, target: EditTarget, title: Bilingual, value: String) {
    edit_with_caption(ui, target, title, "", value);
}

/// As [`edit`], with a word the screen translates after the title.
pub fn edit_with_caption(
    ui: &Ui,
    target: EditTarget,
    title: Bilingual,
    caption: &'static str,
    value: String,
) {
    // Names take a capital at each word; free text only where a sentence starts.
    let (numeric, max, capitalise) = {
        let m = ui.model.borrow();
        match &target {
            EditTarget::Cell { step, key } => {
                let numeric = m
                    .state()
                    .and_then(|s| s.procedure().steps.get(*step))
                    .is_some_and(|spec| tps_station::draft::is_number(spec, key));
                let sentence = tps_station::draft::is_free_text(key);
                (numeric, tps_station::draft::max_length(key), sentence)
            }
            EditTarget::RegisterName => (false, 64, true),
            EditTarget::RegisterLetter => (false, 40, false),
            EditTarget::RegisterIdNumber => (false, 32, false),
            EditTarget::IncidentText
            | EditTarget::ObjectionReason(_)
            | EditTarget::ResponseText => (false, 280, true),
        }
    };
    let editor = ui.app.global::<EditorAdapter>();
    editor.set_value(value.into());
    editor.set_max_length(count(max));
    editor.set_capitalise(capitalise);
    editor.set_each_word(matches!(target, EditTarget::RegisterName));
    editor.set_fresh(true);
    ui.update(|m| {
        m.overlay = Overlay::Editor {
            target,
            title,
            caption,
            numeric,
        }
    });
}

/// Opens a picker.
pub fn pick(ui: &Ui, target: PickTarget, title: Bilingual) {
    ui.update(|m| m.overlay = Overlay::Picker { target, title });
}

/// A saksi's participant is chosen, as on the mandate letter.
pub fn pick_participant(ui: &Ui) {
    pick(
        ui,
        PickTarget::Participant,
        Bilingual::new(
            "Saksi untuk peserta yang mana? (lihat surat mandat)",
            "Saksi for which participant? (see the mandate letter)",
        ),
    )
}

/// Someone confirms the open proposal: they pick their name first.
pub fn pick_confirmer(ui: &Ui) {
    pick(
        ui,
        PickTarget::Confirmer,
        Bilingual::new(
            "Siapa yang mengonfirmasi? Pilih nama Anda.",
            "Who is confirming? Choose your name.",
        ),
    )
}

/// Asks `person` for their PIN: the screen is handed to them first unless they are the chair.
pub fn ask_person(ui: &Ui, person: PersonId, next: PinNext) {
    ask_pin(ui, person, next, false);
}

/// Asks `person` for their PIN, the screen handed to them first unless they are the chair and
/// `hand_over` is false.
pub fn ask_pin(ui: &Ui, person: PersonId, next: PinNext, hand_over: bool) {
    clear_pin(ui);
    ui.update(|m| {
        let is_chair = m.chair_id() == Some(person);
        let (name, role) = m.person_label(person);
        let signs = signs::signs(m, Some(person), &next);
        m.overlay = Overlay::Pin(PinAsk {
            person: name,
            role,
            handover: hand_over || !is_chair,
            signs,
            next,
            error: None,
        });
    });
}

/// Asks the chair for their PIN for `action`.
pub fn ask_chair(ui: &Ui, action: ChairAction) {
    let chair = ui.model.borrow().chair_id();
    match chair {
        Some(id) => ask_person(ui, id, PinNext::Chair(action)),
        None => ui.update(|m| m.say(Notice::Refusal(Refusal::ChairFirst))),
    }
}

/// Asks for the technician PIN for `action`; the screen is handed to the technician.
pub fn ask_technician(ui: &Ui, action: TechnicianAction) {
    clear_pin(ui);
    ui.update(|m| {
        let signs = signs::signs(m, None, &PinNext::Technician(action));
        m.overlay = Overlay::Pin(PinAsk {
            person: words::technician().get(m.lang).to_string(),
            role: words::technician_role(),
            handover: true,
            signs,
            next: PinNext::Technician(action),
            error: None,
        });
    });
}
