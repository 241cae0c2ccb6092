//! The content of form "Model C.Kejadian Khusus dan/atau Keberatan": every kejadian khusus and
//! keberatan recorded today, oldest first, in the chair's language: when, what kind, what it was
//! about, what was written, who raised it and who witnessed it. (The journal's own describer,
//! for technicians and auditors, says every record; this is the chair's form. Both name the
//! kind of incident with [`IncidentKind::title`].)

use tps_firmware::event::{Incident, IncidentKind, Missing};
use tps_firmware::procedure::State;
use tps_firmware::procedure::refusal::who_is_missing;
use tps_firmware::text::{Bilingual, Lang};

use crate::words::{hh_mm, names};

/// One entry of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The record's number in the journal.
    pub seq: u64,
    /// `hh:mm` local time, empty when the journal could not say.
    pub at: String,
    /// A keberatan (an objection), not a kejadian khusus.
    pub objection: bool,
    /// Its kind, as the list heads it.
    pub title: String,
    /// The step it concerns, or what was missing; may be empty.
    pub about: String,
    /// What was written.
    pub text: String,
    /// Who raised it, by name.
    pub raised_by: String,
    /// Who witnessed it, as a list of names.
    pub witnesses: String,
}

/// "Langkah 4: Buka kotak suara…" for the step with id `step`.
fn step_line(state: &State, step: &str, lang: Lang) -> String {
    match state.procedure().step(step) {
        Some((index, spec)) => match lang {
            Lang::Id => format!("Langkah {}: {}", index + 1, spec.title.id),
            Lang::En => format!("Step {}: {}", index + 1, spec.title.en),
        },
        None => step.to_string(),
    }
}

/// Who was missing when a step went ahead under the 30-minute rule: the absent by name, with
/// the time they left.
pub fn missing(state: &State, missing: &Missing) -> Bilingual {
    let zone = state.package().zone;
    let people = |lang: Lang| -> Vec<String> {
        missing
            .absent
            .iter()
            .filter_map(|a| state.person(a.person).map(|p| (p, a.left_ms)))
            .map(|(p, left)| match (left, lang) {
                (Some(ms), Lang::Id) => format!("{} (keluar pukul {})", p.name, hh_mm(ms, zone)),
                (Some(ms), Lang::En) => format!("{} (left at {})", p.name, hh_mm(ms, zone)),
                (None, _) => p.name.to_string(),
            })
            .collect()
    };
    let who = |lang| {
        who_is_missing(
            missing.pengawas,
            missing.saksi_participants,
            missing.witnesses,
            &people(lang),
            lang,
        )
    };
    Bilingual::new(
        format!("Tidak hadir: {}.", who(Lang::Id)),
        format!("Absent: {}.", who(Lang::En)),
    )
}

fn incident(state: &State, seq: u64, i: &Incident, lang: Lang) -> Note {
    let (about, text) = match &i.kind {
        IncidentKind::Reported | IncidentKind::ClockSet { .. } => {
            (String::new(), i.text.to_string())
        }
        IncidentKind::Declined { step, person } => (
            step_line(state, step, lang),
            format!("{}: {}", names(state, [person]), i.text),
        ),
        IncidentKind::StepException { step } => (step_line(state, step, lang), i.text.to_string()),
        // The record's text is fixed and in both languages at once; the screen says it in one.
        IncidentKind::QuorumWaived { step, missing: m } => (
            step_line(state, step, lang),
            missing(state, m).get(lang).to_string(),
        ),
    };
    Note {
        seq,
        at: String::new(),
        objection: false,
        title: i.kind.title().get(lang).to_string(),
        about,
        text,
        raised_by: names(state, &i.raised_by),
        witnesses: names(state, i.witnesses.iter()),
    }
}

/// Every kejadian khusus and keberatan of the day, oldest first.
pub fn notes(state: &State, lang: Lang) -> Vec<Note> {
    let zone = state.package().zone;
    let mut out: Vec<Note> = state
        .incidents
        .iter()
        .map(|n| Note {
            at: hh_mm(n.at_ms, zone),
            ..incident(state, n.seq, &n.incident, lang)
        })
        .collect();
    out.extend(state.objections.iter().map(|o| {
        let about = match o.step.and_then(|i| state.procedure().steps.get(i)) {
            Some(spec) => step_line(state, &spec.id, lang),
            None => Bilingual::new(
                "Tidak terkait langkah tertentu",
                "Not about a particular step",
            )
            .get(lang)
            .to_string(),
        };
        Note {
            seq: o.seq,
            at: hh_mm(o.at_ms, zone),
            objection: true,
            title: Bilingual::new("Keberatan", "Objection")
                .get(lang)
                .to_string(),
            about,
            text: o.reason.to_string(),
            raised_by: names(state, [&o.person]),
            witnesses: String::new(),
        }
    }));
    out.sort_by_key(|n| n.seq);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use tps_firmware::identity::package::{ElectionPackage, SignedPackage};

    #[test]
    fn who_was_missing_is_said_in_each_language_on_its_own() {
        let state = State::for_replay(
            ElectionPackage::from_toml(crate::scenario::DEFAULT_PACKAGE).unwrap(),
        )
        .unwrap();
        let m = Missing {
            pengawas: true,
            saksi_participants: 1,
            witnesses: 0,
            absent: Default::default(),
        };
        let said = missing(&state, &m);
        assert_eq!(
            said.id,
            "Tidak hadir: Pengawas TPS dan saksi dari 1 peserta lagi."
        );
        assert_eq!(
            said.en,
            "Absent: the Pengawas TPS and saksi of 1 more participant(s)."
        );
    }
}
