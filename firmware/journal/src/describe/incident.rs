//! Kejadian khusus, named as the kiosk's incident list names them ([`IncidentKind::title`]).

use super::{Describer, clean, format_time, tr};
use tps_base::text::Lang;
use tps_domain::event::{Incident, IncidentKind, Missing};
use tps_domain::phrase::who_is_missing;

impl Describer<'_> {
    pub(super) fn incident(&self, incident: &Incident) -> (String, Vec<String>) {
        let lang = self.lang;
        let title = incident.kind.title();
        let title = title.get(lang);
        // Every line says it is a kejadian khusus: that is what a reported one is called.
        let special = IncidentKind::Reported.title();
        let mut text = match &incident.kind {
            IncidentKind::Reported => match incident.raised_by {
                Some(p) => format!(
                    "{title}, {} {}",
                    tr(lang, "dilaporkan oleh", "reported by"),
                    self.person(p)
                ),
                None => title.to_string(),
            },
            // The title ends with "pada langkah" / "at a step".
            IncidentKind::StepException { step } => {
                format!("{}: {title} '{}'", special.get(lang), self.step_name(step))
            }
            IncidentKind::QuorumWaived { step, missing } => {
                let mut text = format!(
                    "{}: {title} {} '{}'",
                    special.get(lang),
                    tr(lang, "pada langkah", "at step"),
                    self.step_name(step)
                );
                if let Some(who) = self.missing(missing) {
                    let without = tr(lang, "tanpa konfirmasi dari", "no confirmation from");
                    text.push_str(&format!(", {without} {who}"));
                }
                text
            }
            IncidentKind::Declined { step, person } => format!(
                "{}: {title}: {} {} '{}'",
                special.get(lang),
                self.person(*person),
                tr(lang, "pada langkah", "at step"),
                self.step_name(step)
            ),
            IncidentKind::ClockSet { .. } => format!("{}: {title}", special.get(lang)),
        };
        // The engine writes a quorum waiver's text itself, in both languages at once; its title
        // says the same in one, as on the kiosk's incident list.
        let typed = !matches!(incident.kind, IncidentKind::QuorumWaived { .. });
        if typed && !incident.text.is_empty() {
            text.push_str(": ");
            text.push_str(&clean(&incident.text));
        }
        if let Some(r) = incident.refers_to {
            text.push_str(&match lang {
                Lang::Id => format!(" (tentang catatan {r})"),
                Lang::En => format!(" (about record {r})"),
            });
        }
        let by = incident.witnesses.iter().map(|w| self.person(*w)).collect();
        (text, by)
    }

    /// Who was missing, or `None` when the record names nobody: the shortfall in words, then
    /// each registered witness who was outside, with when they left.
    fn missing(&self, missing: &Missing) -> Option<String> {
        let names: Vec<String> = missing
            .absent
            .iter()
            .map(|a| match a.left_ms {
                Some(ms) => format!(
                    "{} ({} {})",
                    self.person(a.person),
                    tr(self.lang, "keluar pukul", "left at"),
                    format_time(ms, self.zone)
                ),
                None => format!(
                    "{} ({})",
                    self.person(a.person),
                    tr(self.lang, "tidak hadir", "not there")
                ),
            })
            .collect();
        let who = who_is_missing(
            missing.pengawas,
            missing.saksi_participants,
            missing.witnesses,
            &names,
            self.lang,
        );
        (!who.is_empty()).then_some(who)
    }
}
