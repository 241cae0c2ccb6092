//! `AttendanceAdapter`: everyone registered, who is inside, and presence changes (chair's PIN).

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::text::{Bilingual, Lang};
use tps_kiosk_screens::{AttendanceAdapter, PersonLine, Screen};

use super::{Ask, ChairAction, Model, RegisterDraft, Then, Ui, count, overlay, sync, weak, with};

/// Wires the `AttendanceAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<AttendanceAdapter>();
    let w = weak(ui);
    adapter.on_register(move || {
        with(&w, |ui| {
            let mut m = ui.model.borrow_mut();
            m.register = RegisterDraft::default();
            m.after_register = Screen::Attendance;
            drop(m);
            ui.go(Screen::Register);
        })
    });
    let w = weak(ui);
    adapter.on_set_presence(move |id, present| {
        with(&w, |ui| {
            let person = PersonId(u16::try_from(id).unwrap_or(u16::MAX));
            if present {
                overlay::ask_chair(ui, ChairAction::Presence { person, present });
            } else {
                ask_leaves(ui, person);
            }
        })
    });
    let w = weak(ui);
    adapter.on_back(move || with(&w, Ui::open_current));
}

/// Fills the `AttendanceAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<AttendanceAdapter>();
    let Some(state) = m.state() else { return };
    let people: Vec<PersonLine> = state
        .people
        .iter()
        .map(|p| PersonLine {
            id: i32::from(p.id.0),
            name: p.name.to_string().into(),
            role: state.role_label(p.role).get(m.lang).into(),
            letter: papers(&p.letter, &p.id_number, m.lang).into(),
            present: p.present,
        })
        .collect();
    adapter.set_people(sync(adapter.get_people(), people));
    let of = |f: &dyn Fn(Role) -> bool| state.people.iter().filter(|p| f(p.role)).count();
    adapter.set_kpps(count(of(&|r| matches!(r, Role::Kpps(_)))));
    adapter.set_security(count(of(&|r| r == Role::Ketertiban)));
    adapter.set_saksi(count(of(&|r| matches!(r, Role::Saksi(_)))));
    adapter.set_saksi_inside(count(
        state
            .people
            .iter()
            .filter(|p| matches!(p.role, Role::Saksi(_)) && p.present)
            .count(),
    ));
    adapter.set_pengawas(count(of(&|r| r == Role::PengawasTps)));
    adapter.set_others(count(of(&|r| matches!(r, Role::Pemantau | Role::Pewarta))));
}

/// "Keluar": who is recorded as leaving, asked once more before the chair's PIN.
fn ask_leaves(ui: &Ui, person: PersonId) {
    let (name, role) = ui.model.borrow().person_label(person);
    overlay::ask(
        ui,
        Ask {
            what: Bilingual::new(
                format!(
                    "{name} ({}) dicatat keluar dari TPS. Selama di luar, {name} tidak dapat mengonfirmasi; saat kembali, catat masuk lagi.",
                    role.id
                ),
                format!(
                    "{name} ({}) is recorded as leaving the TPS. While outside, {name} cannot confirm; when they are back, record them coming in.",
                    role.en
                ),
            ),
            yes: Bilingual::new("Ya, catat keluar", "Yes, record leaving"),
            then: Then::Leaves(person),
        },
    );
}

/// The numbers of the papers a person handed over: the letter, then the identity document.
fn papers(letter: &str, id_number: &str, lang: Lang) -> String {
    let id = (!id_number.is_empty()).then(|| {
        format!(
            "{} {id_number}",
            Bilingual::new("identitas", "ID").get(lang)
        )
    });
    [(!letter.is_empty()).then(|| letter.to_string()), id]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}
