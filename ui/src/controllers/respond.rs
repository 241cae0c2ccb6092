//! The flows that settle a witness's response: a witness inside who will neither confirm nor
//! object is recorded as declining (confirmed by the Pengawas TPS, or two other witnesses when
//! the Pengawas declines); a keberatan gets its outcome; a day with nothing to record closes on
//! NIHIL. The engine's previews decide what is offered; `decide` has the last word.

use tps_firmware::event::Outcome;
use tps_firmware::procedure::command::OutcomeInput;
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::quorum::must_respond;
use tps_firmware::procedure::view::{
    DeclineConfirmer, decline_confirmed_by, preview_decline, preview_nihil, unresolved_objections,
};
use tps_firmware::procedure::{Command, State};
use tps_firmware::text::Bilingual;

use super::overlay::{ask_chair, ask_person, edit, pick};
use super::{
    ChairAction, EditTarget, Model, OutcomeKind, Pending, PickTarget, PinNext, ResponseDraft, Ui,
};

/// Whether someone inside may be recorded as declining now.
pub fn can_decline(state: &State) -> bool {
    state
        .people
        .iter()
        .any(|p| preview_decline(state, p.id).is_ok())
}

/// Whether a keberatan waits for its outcome (the engine's list of unresolved ones).
pub fn can_resolve(state: &State) -> bool {
    !unresolved_objections(state).is_empty()
}

/// Whether the engine would accept NIHIL now.
pub fn can_confirm_nihil(state: &State) -> bool {
    preview_nihil(state).is_ok()
}

/// "Tidak menanggapi": the chair picks the witness who declines.
pub fn start_decline(ui: &Ui) {
    ui.update(|m| m.response = ResponseDraft::default());
    pick(
        ui,
        PickTarget::Decliner,
        Bilingual::new(
            "Siapa yang tidak bersedia konfirmasi atau mengajukan keberatan?",
            "Who will neither confirm nor object?",
        ),
    );
}

/// "Hasil keberatan": the chair picks the keberatan.
pub fn start_resolve(ui: &Ui) {
    ui.update(|m| m.response = ResponseDraft::default());
    pick(
        ui,
        PickTarget::Objection,
        Bilingual::new(
            "Keberatan mana yang diselesaikan?",
            "Which objection gets its outcome?",
        ),
    );
}

/// "NIHIL": asks the chair's PIN to record that there is nothing to record.
pub fn start_nihil(ui: &Ui) {
    ask_chair(ui, ChairAction::Nihil);
}

/// The picker's lines for the response flows: key, label, detail.
pub fn choices(
    m: &Model,
    state: &State,
    target: &PickTarget,
) -> Vec<(String, String, String, bool)> {
    let lang = m.lang;
    let person = |id: PersonId| {
        state
            .person(id)
            .map(|p| {
                (
                    p.name.to_string(),
                    state.role_label(p.role).get(lang).to_string(),
                )
            })
            .unwrap_or_default()
    };
    match target {
        PickTarget::Decliner => state
            .people
            .iter()
            .filter(|p| preview_decline(state, p.id).is_ok())
            .map(|p| {
                let (name, role) = person(p.id);
                (p.id.0.to_string(), name, role, true)
            })
            .collect(),
        PickTarget::ResponseWitness => state
            .people
            .iter()
            .filter(|p| p.present && must_respond(p.role))
            .filter(|p| Some(p.id) != m.response.decliner)
            .filter(|p| !m.response.confirmers.iter().any(|(c, _)| *c == p.id))
            .map(|p| {
                let (name, role) = person(p.id);
                (p.id.0.to_string(), name, role, true)
            })
            .collect(),
        PickTarget::Objection => unresolved_objections(state)
            .into_iter()
            .map(|o| {
                let (name, _) = person(o.person);
                (o.seq.to_string(), name, o.reason.to_string(), true)
            })
            .collect(),
        PickTarget::Outcome => {
            let correction = latest_correction(state, m.response.objection.unwrap_or(u64::MAX));
            [
                (OutcomeKind::Explained, true),
                (OutcomeKind::Accepted, correction.is_some()),
                (OutcomeKind::NotAccepted { followed: true }, true),
                (OutcomeKind::NotAccepted { followed: false }, true),
            ]
            .into_iter()
            .map(|(kind, enabled)| {
                let title = outcome_title(kind);
                let detail = match (kind, enabled) {
                    (OutcomeKind::Accepted, false) => Bilingual::new(
                        "Buat koreksi langkahnya dulu; koreksi dikonfirmasi saksi yang hadir",
                        "Correct the step first; the witnesses present confirm the correction",
                    ),
                    (OutcomeKind::Explained, _) => Bilingual::new(
                        "Saksi yang mengajukan mengonfirmasi dengan PIN",
                        "The objector confirms with their PIN",
                    ),
                    (OutcomeKind::Accepted, true) => Bilingual::new(
                        "Koreksi terakhir; angka lama tetap tercatat",
                        "The latest correction; the old figures stay on record",
                    ),
                    (OutcomeKind::NotAccepted { followed: true }, _) => Bilingual::new(
                        "KPPS mengikuti saran perbaikan Pengawas TPS; Pengawas TPS dan saksi \
                         mengonfirmasi dengan PIN",
                        "The KPPS follows the Pengawas TPS's advice; the Pengawas TPS and the \
                         saksi confirm with their PINs",
                    ),
                    (OutcomeKind::NotAccepted { followed: false }, _) => Bilingual::new(
                        "KPPS tidak mengikuti saran perbaikan Pengawas TPS dan mencatat \
                         alasannya; Pengawas TPS dan saksi mengonfirmasi dengan PIN",
                        "The KPPS does not follow the Pengawas TPS's advice and records why; the \
                         Pengawas TPS and the saksi confirm with their PINs",
                    ),
                };
                (
                    kind_key(kind).to_string(),
                    title.get(lang).to_string(),
                    detail.get(lang).to_string(),
                    enabled,
                )
            })
            .collect()
        }
        _ => Vec::new(),
    }
}

fn kind_key(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Explained => "explained",
        OutcomeKind::Accepted => "accepted",
        OutcomeKind::NotAccepted { followed: true } => "advice-followed",
        OutcomeKind::NotAccepted { followed: false } => "advice-not-followed",
    }
}

/// The outcome's name as the journal and reports say it.
fn outcome_title(kind: OutcomeKind) -> Bilingual {
    let sample = match kind {
        OutcomeKind::Explained => Outcome::Explained {
            note: Default::default(),
        },
        OutcomeKind::Accepted => Outcome::Accepted { correction: 0 },
        OutcomeKind::NotAccepted { followed } => Outcome::NotAccepted {
            advice: Default::default(),
            followed,
            why_not: None,
        },
    };
    let title = sample.title();
    match kind {
        OutcomeKind::NotAccepted { followed } => {
            let (id, en) = if followed {
                ("saran diikuti KPPS", "advice followed by the KPPS")
            } else {
                (
                    "saran tidak diikuti KPPS",
                    "advice not followed by the KPPS",
                )
            };
            Bilingual::new(format!("{}: {id}", title.id), format!("{}: {en}", title.en))
        }
        _ => title,
    }
}

/// The latest correction completed after keberatan `objection`.
fn latest_correction(state: &State, objection: u64) -> Option<u64> {
    state
        .completed
        .iter()
        .filter(|c| !c.corrected.is_empty() && c.proposal > objection)
        .map(|c| c.proposal)
        .max()
}

/// A line of a response picker was chosen.
pub fn picked(ui: &Ui, target: &PickTarget, key: &str) {
    match target {
        PickTarget::Decliner => {
            let person = key.parse::<u16>().ok().map(PersonId);
            ui.update(|m| m.response.decliner = person);
            edit(
                ui,
                EditTarget::ResponseText,
                Bilingual::new(
                    "Catatan: tidak bersedia menanggapi",
                    "Note: declines to respond",
                ),
                String::new(),
            );
        }
        PickTarget::ResponseWitness => {
            if let Ok(n) = key.parse::<u16>() {
                ask_person(ui, PersonId(n), PinNext::ResponseWitness(PersonId(n)));
            }
        }
        PickTarget::Objection => {
            ui.update(|m| m.response.objection = key.parse().ok());
            pick(
                ui,
                PickTarget::Outcome,
                Bilingual::new("Hasil keberatan", "The objection's outcome"),
            );
        }
        PickTarget::Outcome => {
            let kind = match key {
                "explained" => OutcomeKind::Explained,
                "accepted" => OutcomeKind::Accepted,
                "advice-followed" => OutcomeKind::NotAccepted { followed: true },
                _ => OutcomeKind::NotAccepted { followed: false },
            };
            ui.update(|m| m.response.outcome = Some(kind));
            match kind {
                OutcomeKind::Accepted => next(ui),
                OutcomeKind::Explained => edit(
                    ui,
                    EditTarget::ResponseText,
                    Bilingual::new("Penjelasan KPPS", "The KPPS's explanation"),
                    String::new(),
                ),
                OutcomeKind::NotAccepted { followed } => edit(
                    ui,
                    EditTarget::ResponseText,
                    if followed {
                        Bilingual::new(
                            "Saran perbaikan Pengawas TPS (diikuti KPPS)",
                            "The Pengawas TPS's advice (followed by the KPPS)",
                        )
                    } else {
                        Bilingual::new(
                            "Saran perbaikan Pengawas TPS (tidak diikuti KPPS)",
                            "The Pengawas TPS's advice (not followed by the KPPS)",
                        )
                    },
                    String::new(),
                ),
            }
        }
        _ => {}
    }
}

/// The text of the response was typed: the note, explanation or advice; then, for advice the
/// KPPS did not follow, why not.
pub fn edited(ui: &Ui, value: String) {
    if value.is_empty() {
        return super::overlay::close(ui);
    }
    let why_not_next = {
        let r = &ui.model.borrow().response;
        r.outcome == Some(OutcomeKind::NotAccepted { followed: false }) && r.text.is_empty()
    };
    if why_not_next {
        ui.update(|m| m.response.text = value);
        return edit(
            ui,
            EditTarget::ResponseText,
            Bilingual::new(
                "Alasan KPPS tidak mengikuti saran Pengawas TPS",
                "Why the KPPS does not follow the Pengawas TPS's advice",
            ),
            String::new(),
        );
    }
    ui.update(|m| {
        if m.response.outcome == Some(OutcomeKind::NotAccepted { followed: false }) {
            m.response.why_not = value;
        } else {
            m.response.text = value;
        }
    });
    next(ui);
}

/// A witness's PIN for the response was typed.
pub fn witnessed(ui: &Ui, person: PersonId, pin: Pin) {
    ui.update(|m| m.response.confirmers.push((person, pin)));
    next(ui);
}

/// Asks for the next PIN the response needs, then the chair's.
fn next(ui: &Ui) {
    let wanted = {
        let m = ui.model.borrow();
        let Some(state) = m.state() else { return };
        wanted(state, &m.response)
    };
    match wanted {
        Some(Wanted::Person(p)) => ask_person(ui, p, PinNext::ResponseWitness(p)),
        Some(Wanted::AnyWitness) => pick(
            ui,
            PickTarget::ResponseWitness,
            Bilingual::new(
                "Saksi lain yang hadir mengonfirmasi (dua orang)",
                "Another witness present confirms (two of them)",
            ),
        ),
        None => ask_chair(ui, ChairAction::Response),
    }
}

enum Wanted {
    Person(PersonId),
    AnyWitness,
}

/// Whose PIN the response still needs, as the engine's rules say (the engine checks again).
fn wanted(state: &State, r: &ResponseDraft) -> Option<Wanted> {
    let has = |p: PersonId| r.confirmers.iter().any(|(c, _)| *c == p);
    if let Some(decliner) = r.decliner {
        return match decline_confirmed_by(state, decliner) {
            DeclineConfirmer::Pengawas(p) => (!has(p)).then_some(Wanted::Person(p)),
            DeclineConfirmer::TwoWitnesses => {
                (r.confirmers.len() < 2).then_some(Wanted::AnyWitness)
            }
        };
    }
    let objection = state
        .objections
        .iter()
        .find(|o| Some(o.seq) == r.objection)?;
    let objector = state.person(objection.person)?;
    match r.outcome? {
        OutcomeKind::Accepted => None,
        OutcomeKind::Explained => (!has(objector.id)).then_some(Wanted::Person(objector.id)),
        OutcomeKind::NotAccepted { .. } => {
            let pengawas = state
                .people
                .iter()
                .find(|p| p.role == Role::PengawasTps && p.present);
            match pengawas {
                Some(p) if !has(p.id) => Some(Wanted::Person(p.id)),
                _ if objector.present && !has(objector.id) => Some(Wanted::Person(objector.id)),
                _ => None,
            }
        }
    }
}

/// The command the chair's PIN completes.
pub fn command(m: &Model, chair_pin: Pin, nihil: bool) -> (Command, Pending) {
    if nihil {
        return (Command::ConfirmNihil { chair_pin }, Pending::Response);
    }
    let r = &m.response;
    let confirmers = r.confirmers.clone();
    let command = match (r.decliner, r.objection, r.outcome) {
        (Some(person), _, _) => Command::RecordDeclined {
            person,
            reason: r.text.clone(),
            confirmers,
            chair_pin,
        },
        (None, Some(objection), Some(kind)) => Command::ResolveObjection {
            objection,
            outcome: match kind {
                OutcomeKind::Explained => OutcomeInput::Explained {
                    note: r.text.clone(),
                },
                OutcomeKind::Accepted => OutcomeInput::Accepted {
                    correction: m
                        .state()
                        .and_then(|s| latest_correction(s, objection))
                        .unwrap_or(0),
                },
                OutcomeKind::NotAccepted { followed } => OutcomeInput::NotAccepted {
                    advice: r.text.clone(),
                    followed,
                    why_not: r.why_not.clone(),
                },
            },
            confirmers,
            chair_pin,
        },
        // Nothing drafted: the engine refuses an objection that does not exist.
        _ => Command::ResolveObjection {
            objection: u64::MAX,
            outcome: OutcomeInput::Accepted { correction: 0 },
            confirmers,
            chair_pin,
        },
    };
    (command, Pending::Response)
}

/// What the saved notice says once a response is recorded.
pub fn saved(m: &mut Model) {
    let was = std::mem::take(&mut m.response);
    let (id, en) = if was.decliner.is_some() {
        (
            "tidak bersedia menanggapi, dicatat sebagai kejadian khusus",
            "declined to respond, recorded as a special incident",
        )
    } else if was.objection.is_some() {
        ("hasil keberatan", "the objection's outcome")
    } else {
        ("NIHIL dikonfirmasi", "NIHIL confirmed")
    };
    m.say_saved(id.into(), en.into());
}
