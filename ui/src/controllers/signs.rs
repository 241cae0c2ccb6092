//! What a PIN signs, named on the PIN pad (issue 11): "Budi Santoso mengonfirmasi Langkah 3:
//! Sumpah/janji", "Ketua KPPS mendaftarkan …", "… mencatat bahwa … keluar". The names, roles and
//! step titles are the engine's (the state's); this only puts them in a sentence.

use tps_firmware::procedure::State;
use tps_firmware::procedure::people::PersonId;
use tps_firmware::procedure::view::DEFAULT_BREAK_MINUTES;
use tps_firmware::text::Bilingual;

use super::{ChairAction, Model, PinNext, TechnicianAction};

/// The sentence for `person`'s PIN (the technician's when `person` is `None`) going to `next`.
pub fn signs(m: &Model, person: Option<PersonId>, next: &PinNext) -> Bilingual {
    let Some(state) = m.state() else {
        return Bilingual::default();
    };
    let name = |id: PersonId| {
        state
            .person(id)
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    };
    let who = person.map(name).unwrap_or_default();
    let s = |id: String, en: String| Bilingual::new(id, en);
    match next {
        PinNext::RegisterNew | PinNext::RegisterRepeat(_) => {
            let (new, role) = registering(m, state);
            s(
                format!("{new} memilih PIN sebagai {}", role.id),
                format!("{new} chooses a PIN as {}", role.en),
            )
        }
        PinNext::RegisterChair(_) => {
            let (new, role) = registering(m, state);
            let chair = chair_role(state);
            s(
                format!("{} mendaftarkan {new} sebagai {}", chair.id, role.id),
                format!("The {} registers {new} as {}", chair.en, role.en),
            )
        }
        PinNext::Confirm(_) => {
            let step = open_step(state);
            s(
                format!("{who} mengonfirmasi {}", step.id),
                format!("{who} confirms {}", step.en),
            )
        }
        PinNext::Object { .. } => {
            let step = open_step(state);
            s(
                format!("{who} mengajukan keberatan atas {}", step.id),
                format!("{who} objects to {}", step.en),
            )
        }
        PinNext::Chair(action) => chair(state, m, &who, action),
        PinNext::Witness(_) => s(
            format!("{who} menyaksikan kejadian khusus yang dicatat"),
            format!("{who} witnesses the special incident being recorded"),
        ),
        PinNext::ResponseWitness(_) => {
            let step = open_step(state);
            s(
                format!("{who} menyaksikan tanggapan yang dicatat pada {}", step.id),
                format!("{who} witnesses the response recorded on {}", step.en),
            )
        }
        PinNext::ClockChair => s(
            format!("{who} menyetel jam perangkat"),
            format!("{who} sets the kiosk's clock"),
        ),
        PinNext::ClockWitness(_) => s(
            format!("{who} menyaksikan penyetelan jam perangkat"),
            format!("{who} witnesses the setting of the kiosk's clock"),
        ),
        PinNext::Technician(action) => match action {
            TechnicianAction::SetClock => Bilingual::new(
                "Teknisi menyetel jam perangkat",
                "The technician sets the kiosk's clock",
            ),
            TechnicianAction::Export => Bilingual::new(
                "Teknisi mengekspor berkas hari ini ke flashdisk untuk PPS",
                "The technician exports the day's files to the USB stick for the PPS",
            ),
            TechnicianAction::Reprovision => Bilingual::new(
                "Teknisi menyiapkan perangkat untuk pemilu berikutnya",
                "The technician prepares the kiosk for the next election",
            ),
        },
    }
}

/// What the chair's PIN signs.
fn chair(state: &State, m: &Model, who: &str, action: &ChairAction) -> Bilingual {
    let s = |id: String, en: String| Bilingual::new(id, en);
    match action {
        ChairAction::Complete {
            proceed_without_quorum,
        } => {
            let step = open_step(state);
            let (without_id, without_en) = if *proceed_without_quorum {
                (
                    " tanpa saksi yang tidak hadir",
                    " without the absent witnesses",
                )
            } else {
                ("", "")
            };
            s(
                format!("{who} menyelesaikan {}{without_id}", step.id),
                format!("{who} completes {}{without_en}", step.en),
            )
        }
        ChairAction::Presence { person, present } => {
            let name = state
                .person(*person)
                .map(|p| p.name.to_string())
                .unwrap_or_default();
            let chair = chair_role(state);
            if *present {
                s(
                    format!("{} mencatat bahwa {name} masuk", chair.id),
                    format!("The {} records that {name} comes in", chair.en),
                )
            } else {
                s(
                    format!("{} mencatat bahwa {name} keluar", chair.id),
                    format!("The {} records that {name} leaves", chair.en),
                )
            }
        }
        ChairAction::AnnounceBreak => s(
            format!("{who} mengumumkan istirahat penghitungan suara {DEFAULT_BREAK_MINUTES} menit"),
            format!("{who} announces a {DEFAULT_BREAK_MINUTES}-minute break in the count"),
        ),
        ChairAction::AnnounceDpk => s(
            format!("{who} mengumumkan bahwa pemilih DPK boleh memilih"),
            format!("{who} announces that DPK voters may vote"),
        ),
        ChairAction::EndVoting => s(
            format!("{who} mencatat bahwa pemilih terakhir sudah memilih"),
            format!("{who} records that the last voter has voted"),
        ),
        ChairAction::Incident => s(
            format!("{who} mencatat kejadian khusus: \"{}\"", m.incident.text),
            format!("{who} records a special incident: \"{}\"", m.incident.text),
        ),
        ChairAction::Response => {
            let step = open_step(state);
            s(
                format!("{who} mencatat tanggapan pada {}", step.id),
                format!("{who} records a response on {}", step.en),
            )
        }
        ChairAction::Nihil => s(
            format!("{who} mengonfirmasi NIHIL: tidak ada kejadian khusus atau keberatan"),
            format!("{who} confirms NIHIL: no special incident or objection"),
        ),
    }
}

/// "Langkah 3: Sumpah/janji" of the open proposal ("koreksi Langkah …" for a correction); the
/// current step when none is open.
fn open_step(state: &State) -> Bilingual {
    let (index, correction) = state
        .proposal
        .as_ref()
        .map_or((state.current_step(), false), |p| {
            (p.step, p.corrects.is_some())
        });
    let title = state.step_title(index);
    let n = index + 1;
    if correction {
        Bilingual::new(
            format!("koreksi Langkah {n}: {}", title.id),
            format!("the correction of step {n}: {}", title.en),
        )
    } else {
        Bilingual::new(
            format!("Langkah {n}: {}", title.id),
            format!("step {n}: {}", title.en),
        )
    }
}

/// The role of the chair, as the package names it ("Ketua KPPS").
fn chair_role(state: &State) -> Bilingual {
    state
        .chair()
        .map(|c| state.role_label(c.role))
        .unwrap_or_default()
}

/// The name and role of the person being registered.
fn registering(m: &Model, state: &State) -> (String, Bilingual) {
    let role = m
        .register
        .role
        .map(|r| state.role_label(r))
        .unwrap_or_default();
    (m.register.name.trim().to_string(), role)
}
