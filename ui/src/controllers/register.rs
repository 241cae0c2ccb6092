//! `RegisterAdapter`: registering one person: role (and participant for a saksi), name, letter,
//! the identity document number of a pemantau or pewarta, then their own PIN and the chair's.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::people::Role;
use tps_firmware::procedure::view::preview_registration;
use tps_firmware::text::Bilingual;
use tps_kiosk_screens::RegisterAdapter;
use tps_station::words;

use super::{EditTarget, Model, Overlay, PickTarget, PinAsk, PinNext, Ui, overlay, weak, with};

/// Wires the `RegisterAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<RegisterAdapter>();
    let w = weak(ui);
    adapter.on_pick_role(move || {
        with(&w, |ui| {
            overlay::pick(
                ui,
                PickTarget::Role,
                Bilingual::new("Pilih peran", "Choose the role"),
            )
        })
    });
    let w = weak(ui);
    adapter.on_pick_participant(move || with(&w, overlay::pick_participant));
    let w = weak(ui);
    adapter.on_edit_name(move || {
        with(&w, |ui| {
            let value = ui.model.borrow().register.name.clone();
            overlay::edit(
                ui,
                EditTarget::RegisterName,
                Bilingual::new("Nama lengkap", "Full name"),
                value,
            )
        })
    });
    let w = weak(ui);
    adapter.on_edit_letter(move || {
        with(&w, |ui| {
            let value = ui.model.borrow().register.letter.clone();
            overlay::edit(
                ui,
                EditTarget::RegisterLetter,
                Bilingual::new(
                    "Nomor surat mandat/tugas",
                    "Mandate/assignment letter number",
                ),
                value,
            )
        })
    });
    let w = weak(ui);
    adapter.on_edit_id_number(move || {
        with(&w, |ui| {
            let value = ui.model.borrow().register.id_number.clone();
            overlay::edit(ui, EditTarget::RegisterIdNumber, id_number_label(), value)
        })
    });
    let w = weak(ui);
    adapter.on_set_pin(move || {
        with(&w, |ui| {
            let ask = {
                let m = ui.model.borrow();
                let Some(role) = m.register.role else { return };
                PinAsk {
                    person: m.register.name.trim().to_string(),
                    // A saksi by their participant's name, as everywhere else.
                    role: m
                        .state()
                        .map_or_else(|| role.label(), |s| s.role_label(role)),
                    handover: true,
                    signs: super::signs::signs(&m, None, &PinNext::RegisterNew),
                    next: PinNext::RegisterNew,
                    error: None,
                }
            };
            ui.update(|m| m.overlay = Overlay::Pin(ask));
        })
    });
    let w = weak(ui);
    adapter.on_cancel(move || {
        with(&w, |ui| {
            let back = ui.model.borrow().after_register;
            ui.go(back);
        })
    });
}

/// Fills the `RegisterAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<RegisterAdapter>();
    let Some(state) = m.state() else { return };
    let r = &m.register;
    let lang = m.lang;
    let role_text = match r.role {
        Some(Role::Saksi(_)) => words::saksi_role().get(lang).to_string(),
        Some(role) => role.label().get(lang).to_string(),
        None if r.saksi => words::saksi_role().get(lang).to_string(),
        None => String::new(),
    };
    adapter.set_role(role_text.into());
    let saksi = r.saksi || matches!(r.role, Some(Role::Saksi(_)));
    adapter.set_is_saksi(saksi);
    adapter.set_participant(
        match r.role {
            Some(Role::Saksi(p)) => state.participant_name(p),
            _ => String::new(),
        }
        .into(),
    );
    let needs_letter = saksi || r.role.is_some_and(Role::needs_letter);
    adapter.set_needs_letter(needs_letter);
    let needs_id_number = r.role.is_some_and(Role::needs_id_number);
    adapter.set_needs_id_number(needs_id_number);
    adapter.set_name(r.name.clone().into());
    adapter.set_letter(r.letter.clone().into());
    adapter.set_id_number(r.id_number.clone().into());
    adapter.set_first(state.chair().is_none());
    let problem = r
        .role
        .and_then(|role| preview_registration(state, role).err());
    adapter.set_problem(
        problem
            .as_ref()
            .map(|p| p.message(lang))
            .unwrap_or_default()
            .into(),
    );
    adapter.set_ready(
        r.role.is_some()
            && problem.is_none()
            && !r.name.trim().is_empty()
            && (!needs_letter || !r.letter.trim().is_empty())
            && (!needs_id_number || !r.id_number.trim().is_empty()),
    );
}

/// The identity document a pemantau or pewarta shows (seed 004 line 28), as the form field and
/// the keyboard's title name it.
fn id_number_label() -> Bilingual {
    Bilingual::new(
        "Nomor identitas (NIK KTP atau kartu pers)",
        "ID number (KTP/NIK or press card)",
    )
}
