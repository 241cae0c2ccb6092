//! `EditorAdapter`, `PickerAdapter` and `PinAdapter`: typing, choosing and PINs, the three ways
//! the chair and the witnesses put something into a flow; and what happens when the command a
//! flow ends in comes back from the journal.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::view::{
    DEFAULT_BREAK_MINUTES, may_object, preview_any_registration, preview_confirmation,
    preview_registration,
};
use tps_firmware::procedure::{Command, Refusal, State};
use tps_firmware::text::{Bilingual, Lang};
use tps_kiosk_screens::{ChoiceLine, EditorAdapter, PickerAdapter, PinAdapter, Screen};
use tps_station::words;
use tps_station::worker::TechnicianTask;

use super::overlay::{ask_person, ask_pin, clear_pin, close, edit, pick_participant};
use super::{
    ChairAction, EditTarget, Model, Notice, Overlay, Pending, PickTarget, PinError, PinNext,
    TechnicianAction, Ui, clock, respond, sync, waiting, weak, with,
};

/// Wires the callbacks of the editor, the picker and the PIN pad (`EditorAdapter`, `PickerAdapter`, `PinAdapter`).
pub fn wire(ui: &Rc<Ui>) {
    let editor = ui.app.global::<EditorAdapter>();
    let w = weak(ui);
    editor.on_done(move |value| with(&w, |ui| edited(ui, value.to_string())));
    let w = weak(ui);
    editor.on_cancel(move || with(&w, close));
    let w = weak(ui);
    editor.on_typed(move || with(&w, Ui::persist_draft));
    let picker = ui.app.global::<PickerAdapter>();
    let w = weak(ui);
    picker.on_picked(move |key| with(&w, |ui| picked(ui, key.as_str())));
    let w = weak(ui);
    picker.on_cancel(move || with(&w, close));
    let pin = ui.app.global::<PinAdapter>();
    let w = weak(ui);
    pin.on_handed(move || {
        with(&w, |ui| {
            ui.update(|m| {
                if let Overlay::Pin(ask) = &mut m.overlay {
                    ask.handover = false;
                }
            })
        })
    });
    let w = weak(ui);
    pin.on_done(move |typed| with(&w, |ui| pin_typed(ui, typed.as_str())));
    let w = weak(ui);
    pin.on_cancel(move || with(&w, close));
}

fn edited(ui: &Ui, value: String) {
    let target = match &ui.model.borrow().overlay {
        Overlay::Editor { target, .. } => target.clone(),
        _ => return,
    };
    let value = value.trim().to_string();
    match target {
        EditTarget::Cell { step, key } => ui.update(|m| {
            let draft = m.draft_mut(step);
            if value.is_empty() {
                draft.values.remove(&key);
            } else {
                draft.values.insert(key, value);
            }
            m.overlay = Overlay::None;
        }),
        EditTarget::RegisterName => ui.update(|m| {
            m.register.name = value;
            m.overlay = Overlay::None;
        }),
        EditTarget::RegisterLetter => ui.update(|m| {
            m.register.letter = value;
            m.overlay = Overlay::None;
        }),
        EditTarget::RegisterIdNumber => ui.update(|m| {
            m.register.id_number = value;
            m.overlay = Overlay::None;
        }),
        EditTarget::IncidentText => ui.update(|m| {
            m.incident.text = value;
            m.overlay = Overlay::None;
        }),
        EditTarget::ResponseText => respond::edited(ui, value),
        EditTarget::ObjectionReason(person) => {
            if value.is_empty() {
                return close(ui);
            }
            ask_person(
                ui,
                person,
                PinNext::Object {
                    person,
                    reason: value,
                },
            );
        }
    }
}

/// One line of a picker, in plain Rust.
struct Choice {
    key: String,
    label: String,
    detail: String,
    enabled: bool,
    /// Already done by this person (a confirmation): shown ticked.
    done: bool,
}

fn person_choices(state: &State, lang: Lang, ids: impl Iterator<Item = PersonId>) -> Vec<Choice> {
    ids.filter_map(|id| state.person(id))
        .map(|p| Choice {
            key: p.id.0.to_string(),
            label: p.name.to_string(),
            detail: state.role_label(p.role).get(lang).to_string(),
            enabled: true,
            done: false,
        })
        .collect()
}

/// Everyone who might confirm, in the order they were registered (the list never reorders):
/// those who may now with their role; those who may not (already confirmed, outside, or not
/// counted for this step) greyed, with the engine's reason. The chair confirms with "Lanjut".
fn confirmers(state: &State, lang: Lang, chair: Option<PersonId>) -> Vec<Choice> {
    state
        .people
        .iter()
        .filter(|p| Some(p.id) != chair)
        .map(|p| {
            let refusal = preview_confirmation(state, p.id).err();
            let done = matches!(refusal, Some(Refusal::AlreadyConfirmed { .. }));
            let detail = match &refusal {
                None => state.role_label(p.role).get(lang).to_string(),
                Some(r @ Refusal::AlreadyConfirmed { .. }) => format!("✓ {}", r.message(lang)),
                Some(r) => r.message(lang),
            };
            Choice {
                key: p.id.0.to_string(),
                label: p.name.to_string(),
                detail,
                enabled: refusal.is_none(),
                done,
            }
        })
        .collect()
}

fn choices(m: &Model, target: &PickTarget) -> Vec<Choice> {
    let Some(state) = m.state() else {
        return Vec::new();
    };
    let lang = m.lang;
    match target {
        PickTarget::Role => {
            let procedure = state.procedure();
            let mut roles: Vec<(String, Role, String)> = procedure
                .kpps_duties
                .iter()
                .enumerate()
                .map(|(i, duty)| {
                    let n = u8::try_from(i + 1).unwrap_or(u8::MAX);
                    (
                        format!("kpps:{n}"),
                        Role::Kpps(n),
                        duty.get(lang).to_string(),
                    )
                })
                .collect();
            roles.push(("ketertiban".into(), Role::Ketertiban, String::new()));
            roles.push(("pengawas".into(), Role::PengawasTps, String::new()));
            roles.push(("pemantau".into(), Role::Pemantau, String::new()));
            roles.push(("pewarta".into(), Role::Pewarta, String::new()));
            roles.push(("panwaslu".into(), Role::Panwaslu, String::new()));
            let mut out: Vec<Choice> = roles
                .into_iter()
                .map(|(key, role, duty)| {
                    let problem = preview_registration(state, role).err();
                    Choice {
                        key,
                        label: role.label().get(lang).to_string(),
                        enabled: problem.is_none(),
                        done: false,
                        detail: problem.map(|p| p.message(lang)).unwrap_or(duty),
                    }
                })
                .collect();
            // Saksi come right after the KPPS and security staff; the participant is chosen next.
            let saksi_problem = preview_any_registration(state).err();
            let saksi = Choice {
                key: "saksi".into(),
                label: words::saksi_role().get(lang).to_string(),
                detail: saksi_problem
                    .as_ref()
                    .map(|p| p.message(lang))
                    .unwrap_or_default(),
                enabled: saksi_problem.is_none(),
                done: false,
            };
            let at = out
                .iter()
                .position(|c| c.key == "pengawas")
                .unwrap_or(out.len());
            out.insert(at, saksi);
            out
        }
        PickTarget::Participant => state
            .package()
            .participants()
            .into_iter()
            .enumerate()
            .map(|(i, (id, p))| {
                let problem = preview_registration(state, Role::Saksi(id)).err();
                let kind = match lang {
                    Lang::Id => id.kind.label_id(),
                    Lang::En => id.kind.label_en(),
                };
                Choice {
                    key: i.to_string(),
                    label: format!("{}. {}", p.number, p.name),
                    detail: problem
                        .as_ref()
                        .map_or_else(|| kind.to_string(), |p| p.message(lang)),
                    enabled: problem.is_none(),
                    done: false,
                }
            })
            .collect(),
        PickTarget::Confirmer => confirmers(state, lang, m.chair_id()),
        PickTarget::Objector => person_choices(
            state,
            lang,
            state
                .people
                .iter()
                .map(|p| p.id)
                .filter(|id| may_object(state, *id)),
        ),
        PickTarget::RaisedBy => person_choices(state, lang, state.people.iter().map(|p| p.id)),
        PickTarget::Decliner
        | PickTarget::ResponseWitness
        | PickTarget::Objection
        | PickTarget::Outcome => respond::choices(m, state, target)
            .into_iter()
            .map(|(key, label, detail, enabled)| Choice {
                key,
                label,
                detail,
                enabled,
                done: false,
            })
            .collect(),
        PickTarget::Witness => person_choices(
            state,
            lang,
            state
                .people
                .iter()
                .filter(|p| !m.incident.witnesses.iter().any(|(w, _)| *w == p.id))
                .map(|p| p.id),
        ),
        // Who may witness is the engine's to say when the setting is submitted.
        PickTarget::ClockWitness => person_choices(
            state,
            lang,
            state
                .people
                .iter()
                .filter(|p| p.present && Some(p.id) != m.chair_id())
                .filter(|p| !m.clock.witnesses.iter().any(|(w, _)| *w == p.id))
                .map(|p| p.id),
        ),
    }
}

fn picked(ui: &Ui, key: &str) {
    let target = match &ui.model.borrow().overlay {
        Overlay::Picker { target, .. } => target.clone(),
        _ => return,
    };
    let person = key.parse::<u16>().ok().map(PersonId);
    match target {
        PickTarget::Role => {
            let role = match key {
                "ketertiban" => Some(Role::Ketertiban),
                "pengawas" => Some(Role::PengawasTps),
                "pemantau" => Some(Role::Pemantau),
                "pewarta" => Some(Role::Pewarta),
                "panwaslu" => Some(Role::Panwaslu),
                "saksi" => None,
                k => k
                    .strip_prefix("kpps:")
                    .and_then(|n| n.parse().ok())
                    .map(Role::Kpps),
            };
            ui.update(|m| {
                m.register.role = role;
                m.register.saksi = role.is_none();
                if role.is_some_and(|r| !r.needs_letter()) {
                    m.register.letter.clear();
                }
                if !role.is_some_and(Role::needs_id_number) {
                    m.register.id_number.clear();
                }
                m.overlay = Overlay::None;
            });
            if role.is_none() {
                pick_participant(ui);
            }
        }
        PickTarget::Participant => ui.update(|m| {
            let id = m.state().and_then(|s| {
                key.parse::<usize>()
                    .ok()
                    .and_then(|i| s.package().participants().get(i).map(|(id, _)| *id))
            });
            if let Some(id) = id {
                m.register.role = Some(Role::Saksi(id));
                m.register.saksi = false;
            }
            m.overlay = Overlay::None;
        }),
        PickTarget::Confirmer => {
            if let Some(p) = person {
                ask_person(ui, p, PinNext::Confirm(p));
            }
        }
        PickTarget::Objector => {
            if let Some(p) = person {
                edit(
                    ui,
                    EditTarget::ObjectionReason(p),
                    Bilingual::new("Alasan keberatan", "Reason for the objection"),
                    String::new(),
                );
            }
        }
        PickTarget::RaisedBy => ui.update(|m| {
            m.incident.raised_by = person;
            m.overlay = Overlay::None;
        }),
        PickTarget::Witness => {
            if let Some(p) = person {
                ask_person(ui, p, PinNext::Witness(p));
            }
        }
        PickTarget::ClockWitness => {
            if let Some(p) = person {
                ask_person(ui, p, PinNext::ClockWitness(p));
            }
        }
        PickTarget::Decliner
        | PickTarget::ResponseWitness
        | PickTarget::Objection
        | PickTarget::Outcome => respond::picked(ui, &target, key),
    }
}

fn pin_error(ui: &Ui, error: PinError) {
    clear_pin(ui);
    ui.update(|m| {
        if let Overlay::Pin(ask) = &mut m.overlay {
            ask.error = Some(error);
        }
    });
}

fn pin_typed(ui: &Ui, typed: &str) {
    let (next, policy) = {
        let m = ui.model.borrow();
        let Overlay::Pin(ask) = &m.overlay else {
            return;
        };
        let Some(state) = m.state() else { return };
        (ask.next.clone(), state.procedure().pin.clone())
    };
    let pin = match Pin::parse(typed) {
        Ok(p) => p,
        Err(problem) => return pin_error(ui, PinError::Refusal(Refusal::WeakPin(problem))),
    };
    clear_pin(ui);
    match next {
        PinNext::RegisterNew => match pin.check_strength(&policy) {
            Err(problem) => pin_error(ui, PinError::Refusal(Refusal::WeakPin(problem))),
            Ok(()) => ui.update(|m| {
                if let Overlay::Pin(ask) = &mut m.overlay {
                    ask.next = PinNext::RegisterRepeat(pin);
                    ask.error = None;
                }
            }),
        },
        PinNext::RegisterRepeat(first) => {
            if first != pin {
                ui.update(|m| {
                    if let Overlay::Pin(ask) = &mut m.overlay {
                        ask.next = PinNext::RegisterNew;
                        ask.error = Some(PinError::Mismatch);
                    }
                });
                return;
            }
            let chair = ui.model.borrow().chair_id();
            match chair {
                None => register(ui, pin, None),
                // The new person hands the screen back to the chair, who accepts the registration.
                Some(chair) => ask_pin(ui, chair, PinNext::RegisterChair(pin), true),
            }
        }
        PinNext::RegisterChair(new_pin) => register(ui, new_pin, Some(pin)),
        PinNext::Confirm(person) => ui.submit(Command::Confirm { person, pin }, Pending::Confirm),
        PinNext::Object { person, reason } => ui.submit(
            Command::Object {
                person,
                pin,
                reason,
            },
            Pending::Object,
        ),
        PinNext::Witness(person) => ui.update(|m| {
            m.incident.witnesses.push((person, pin));
            m.overlay = Overlay::None;
        }),
        PinNext::ResponseWitness(person) => respond::witnessed(ui, person, pin),
        PinNext::ClockWitness(person) => ui.update(|m| {
            m.clock.witnesses.push((person, pin));
            m.overlay = Overlay::None;
        }),
        PinNext::Technician(action) => clock_or_export(ui, action, typed),
        PinNext::ClockChair => clock::witnessed(ui, pin),
        PinNext::Chair(action) => chair_action(ui, action, pin),
    }
}

/// The technician PIN is typed: the task goes to the station, which checks the PIN first.
fn clock_or_export(ui: &Ui, action: TechnicianAction, pin: &str) {
    match action {
        TechnicianAction::SetClock => clock::by_technician(ui, pin.to_string()),
        TechnicianAction::Export => ui.technician(pin.to_string(), TechnicianTask::Export),
        TechnicianAction::Reprovision => {
            ui.technician(pin.to_string(), TechnicianTask::Reprovision)
        }
    }
}

/// The technician PIN was not accepted: why, on the PIN pad.
pub fn technician_refused(ui: &Ui, why: Bilingual) {
    pin_error(ui, PinError::Technician(why));
}

fn register(ui: &Ui, pin: Pin, chair_pin: Option<Pin>) {
    let mut salt = [0u8; 16];
    if let Err(e) = getrandom::fill(&mut salt) {
        log::warn!("random source: {e}");
        ui.update(|m| m.say(Notice::NotSaved));
        return;
    }
    let command = {
        let m = ui.model.borrow();
        let Some(role) = m.register.role else { return };
        Command::Register {
            role,
            name: m.register.name.trim().to_string(),
            letter: m.register.letter.trim().to_string(),
            id_number: m.register.id_number.trim().to_string(),
            pin,
            salt,
            chair_pin,
        }
    };
    ui.submit(command, Pending::Register);
}

fn chair_action(ui: &Ui, action: ChairAction, chair_pin: Pin) {
    let (command, pending) = {
        let m = ui.model.borrow();
        match action {
            ChairAction::Complete {
                proceed_without_quorum,
            } => (
                Command::Complete {
                    chair_pin,
                    proceed_without_quorum,
                },
                Pending::Complete {
                    step: m.step,
                    correction: m
                        .state()
                        .and_then(tps_firmware::procedure::view::open_correction)
                        .is_some(),
                },
            ),
            ChairAction::Presence { person, present } => (
                Command::SetPresence {
                    person,
                    present,
                    chair_pin,
                },
                Pending::Presence,
            ),
            ChairAction::AnnounceDpk => (Command::AnnounceDpk { chair_pin }, Pending::Dpk),
            ChairAction::AnnounceBreak => (
                Command::AnnounceBreak {
                    minutes: DEFAULT_BREAK_MINUTES,
                    chair_pin,
                },
                Pending::Break,
            ),
            ChairAction::EndVoting => (Command::EndVoting { chair_pin }, Pending::EndVoting),
            ChairAction::Incident => (
                Command::ReportIncident {
                    text: m.incident.text.clone(),
                    raised_by: m.incident.raised_by,
                    witnesses: m.incident.witnesses.clone(),
                    chair_pin,
                },
                Pending::Incident,
            ),
            ChairAction::Response => respond::command(&m, chair_pin, false),
            ChairAction::Nihil => respond::command(&m, chair_pin, true),
        }
    };
    ui.submit(command, pending);
}

/// A command is done and durable: finish its flow.
pub fn done(ui: &Ui, pending: Pending) {
    clear_pin(ui);
    let mut m = ui.model.borrow_mut();
    m.overlay = Overlay::None;
    match pending {
        Pending::Register => {
            let name = std::mem::take(&mut m.register).name;
            m.say_saved(format!("{name} terdaftar"), format!("{name} registered"));
            m.screen = m.after_register;
        }
        Pending::Presence => {
            m.say_saved("kehadiran".into(), "presence".into());
            waiting::leave_when_complete(&mut m);
        }
        Pending::Propose(_) => {
            m.editing = None;
            m.say_saved(
                "isian diajukan; sekarang konfirmasi dengan PIN".into(),
                "entries submitted; now confirm with PINs".into(),
            );
        }
        Pending::Correct(_) => {
            m.correcting = None;
            m.say_saved(
                "koreksi diajukan; sekarang konfirmasi dengan PIN".into(),
                "correction submitted; now confirm with PINs".into(),
            );
        }
        Pending::Confirm => {
            m.say_saved("konfirmasi".into(), "confirmation".into());
            waiting::leave_when_complete(&mut m);
        }
        Pending::Object => {
            m.say_saved("keberatan".into(), "objection".into());
        }
        Pending::Complete {
            step,
            correction: true,
        } => {
            // Back to the day's list, where the step now shows its correction.
            let title = m.state().map(|s| s.step_title(step)).unwrap_or_default();
            m.say_saved(
                format!("koreksi {}", title.id),
                format!("correction of {}", title.en),
            );
            m.selected = Some(step);
            m.screen = Screen::Progress;
        }
        Pending::Complete {
            step,
            correction: false,
        } => {
            m.drafts.remove(&step);
            m.editing = None;
            let title = m.state().map(|s| s.step_title(step)).unwrap_or_default();
            m.say(Notice::Saved(title));
            drop(m);
            ui.open_current();
        }
        Pending::Incident => {
            m.incident = Default::default();
            m.say_saved("kejadian khusus".into(), "special incident".into());
            m.screen = m.before_incident;
        }
        Pending::Dpk => {
            m.say_saved("pengumuman DPK".into(), "DPK announcement".into());
        }
        Pending::Break => {
            m.say_saved(
                format!("istirahat {DEFAULT_BREAK_MINUTES} menit diumumkan"),
                format!("a {DEFAULT_BREAK_MINUTES}-minute break announced"),
            );
        }
        Pending::EndVoting => {
            m.say_saved("pemungutan suara selesai".into(), "voting is over".into());
            drop(m);
            ui.open_current();
        }
        Pending::Response => respond::saved(&mut m),
        Pending::Clock => clock::saved(&mut m),
        // A print is answered as a print (`report::printed`), an export as an export
        // (`export::exported`), a provisioning step as one (`provision::answered`), never as a
        // command.
        Pending::Print(_) | Pending::Export | Pending::Provision | Pending::Reprovision => {}
    }
}

/// The engine said no: a PIN problem stays on the PIN pad, anything else is shown as a notice.
pub fn refused(ui: &Ui, refusal: Refusal) {
    let on_pin_pad = matches!(ui.model.borrow().overlay, Overlay::Pin(_))
        && matches!(
            refusal,
            Refusal::WrongPin { .. } | Refusal::PinLocked { .. } | Refusal::WeakPin(_)
        );
    if on_pin_pad {
        pin_error(ui, PinError::Refusal(refusal));
        return;
    }
    clear_pin(ui);
    let mut m = ui.model.borrow_mut();
    m.overlay = Overlay::None;
    m.say(Notice::Refusal(refusal));
}

/// Fills the editor, the picker and the PIN pad from the model.
pub fn render(ui: &Ui, m: &Model) {
    let lang = m.lang;
    let editor = ui.app.global::<EditorAdapter>();
    let picker = ui.app.global::<PickerAdapter>();
    let pin = ui.app.global::<PinAdapter>();
    match &m.overlay {
        Overlay::Editor {
            title,
            caption,
            numeric,
            ..
        } => {
            editor.set_mode(if *numeric { 2 } else { 1 });
            editor.set_title(title.get(lang).into());
            editor.set_caption((*caption).into());
        }
        _ => editor.set_mode(0),
    }
    match &m.overlay {
        Overlay::Picker { target, title } => {
            picker.set_shown(true);
            picker.set_title(title.get(lang).into());
            let lines: Vec<ChoiceLine> = choices(m, target)
                .into_iter()
                .map(|c| ChoiceLine {
                    key: c.key.into(),
                    label: c.label.into(),
                    detail: c.detail.into(),
                    enabled: c.enabled,
                    done: c.done,
                })
                .collect();
            picker.set_choices(sync(picker.get_choices(), lines));
        }
        _ => picker.set_shown(false),
    }
    match &m.overlay {
        Overlay::Pin(ask) => {
            pin.set_shown(true);
            pin.set_stage(if ask.handover { 0 } else { 1 });
            pin.set_person(ask.person.clone().into());
            pin.set_role(ask.role.get(lang).into());
            pin.set_signs(ask.signs.get(lang).into());
            pin.set_purpose(match ask.next {
                PinNext::RegisterNew => 1,
                PinNext::RegisterRepeat(_) => 2,
                _ => 0,
            });
            pin.set_error(
                match &ask.error {
                    None => String::new(),
                    Some(PinError::Refusal(r)) => r.message(lang),
                    Some(PinError::Mismatch) => words::pin_mismatch().get(lang).to_string(),
                    Some(PinError::Technician(why)) => why.get(lang).to_string(),
                }
                .into(),
            );
        }
        _ => pin.set_shown(false),
    }
}
