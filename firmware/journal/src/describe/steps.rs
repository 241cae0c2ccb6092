//! The regulated steps: what the chair proposed, who confirmed or objected, completion, and the
//! chair's announcements during voting.

use super::{Describer, clean, input::step_input};
use tps_base::text::Lang;
use tps_domain::event::Outcome;
use tps_domain::input::StepInput;
use tps_domain::people::PersonId;

impl Describer<'_> {
    /// `the proposal for step 'x' (record N)`, or `proposal record N` when the journal did not
    /// say which step.
    fn proposal(&self, seq: u64) -> String {
        match (self.proposals.get(&seq), self.lang) {
            (Some(step), Lang::Id) => format!("pengajuan langkah '{step}' (catatan {seq})"),
            (Some(step), Lang::En) => format!("the proposal for step '{step}' (record {seq})"),
            (None, Lang::Id) => format!("pengajuan pada catatan {seq}"),
            (None, Lang::En) => format!("proposal record {seq}"),
        }
    }

    pub(super) fn proposed(
        &mut self,
        seq: u64,
        step: &str,
        input: &StepInput,
        corrects: Option<u64>,
        reason: Option<&str>,
    ) -> String {
        let step = self.step_name(step);
        let entered = step_input(input, self.lang, |b| self.ballot_name(b));
        let mut text = match (corrects, self.lang) {
            (Some(old), Lang::Id) => {
                format!("Koreksi atas {} diajukan: {entered}", self.proposal(old))
            }
            (Some(old), Lang::En) => {
                format!("Correction of {} proposed: {entered}", self.proposal(old))
            }
            (None, Lang::Id) => format!("Langkah '{step}' diajukan: {entered}"),
            (None, Lang::En) => format!("Step '{step}' proposed: {entered}"),
        };
        if let Some(reason) = reason {
            let label = match self.lang {
                Lang::Id => "alasan",
                Lang::En => "reason",
            };
            text.push_str(&format!("; {label}: {}", clean(reason)));
        }
        self.proposals.insert(seq, step);
        text
    }

    pub(super) fn confirmed(&self, person: PersonId, proposal: u64) -> (String, Vec<String>) {
        let (who, what) = (self.person(person), self.proposal(proposal));
        let text = match self.lang {
            Lang::Id => format!("{who} mengonfirmasi {what}"),
            Lang::En => format!("{who} confirmed {what}"),
        };
        (text, vec![who])
    }

    pub(super) fn objected(
        &self,
        person: PersonId,
        proposal: Option<u64>,
        reason: &str,
    ) -> (String, Vec<String>) {
        let (who, reason) = (self.person(person), clean(reason));
        let text = match (proposal, self.lang) {
            (Some(p), Lang::Id) => format!(
                "{who} mengajukan keberatan atas {}: {reason}",
                self.proposal(p)
            ),
            (Some(p), Lang::En) => format!("{who} objected to {}: {reason}", self.proposal(p)),
            (None, Lang::Id) => format!("{who} mengajukan keberatan: {reason}"),
            (None, Lang::En) => format!("{who} objected: {reason}"),
        };
        (text, vec![who])
    }

    pub(super) fn completed(
        &self,
        step: &str,
        proposal: u64,
        chair: PersonId,
    ) -> (String, Vec<String>) {
        let (step, chair, what) = (
            self.step_name(step),
            self.person(chair),
            self.proposal(proposal),
        );
        let text = match self.lang {
            Lang::Id => format!("Langkah '{step}' diselesaikan oleh {chair} ({what})"),
            Lang::En => format!("Step '{step}' completed by {chair} ({what})"),
        };
        (text, vec![chair])
    }

    pub(super) fn dpk_announced(&self, chair: PersonId) -> (String, Vec<String>) {
        let chair = self.person(chair);
        let text = match self.lang {
            Lang::Id => format!("{chair} mengumumkan bahwa pemilih DPK sekarang boleh memilih"),
            Lang::En => format!("{chair} announced that voters on the DPK may now vote"),
        };
        (text, vec![chair])
    }

    pub(super) fn break_announced(&self, chair: PersonId, minutes: u16) -> (String, Vec<String>) {
        let chair = self.person(chair);
        let text = match self.lang {
            Lang::Id => format!("{chair} mengumumkan istirahat penghitungan suara {minutes} menit"),
            Lang::En => format!("{chair} announced a {minutes}-minute break in the count"),
        };
        (text, vec![chair])
    }

    pub(super) fn voting_ended(&self, chair: PersonId) -> (String, Vec<String>) {
        let chair = self.person(chair);
        let text = match self.lang {
            Lang::Id => format!(
                "{chair} menyatakan pemungutan suara selesai: pemilih terakhir dalam antrean sudah memilih"
            ),
            Lang::En => format!("{chair} declared voting over: the last queued voter has voted"),
        };
        (text, vec![chair])
    }

    pub(super) fn objection_resolved(
        &self,
        objection: u64,
        outcome: &Outcome,
        chair: PersonId,
        witnesses: &[PersonId],
    ) -> (String, Vec<String>) {
        let lang = self.lang;
        let title = outcome.title();
        let mut text = match lang {
            Lang::Id => format!(
                "Penyelesaian keberatan pada catatan {objection}: {}",
                title.id
            ),
            Lang::En => format!(
                "Outcome of the objection in record {objection}: {}",
                title.en
            ),
        };
        match outcome {
            Outcome::Explained { note } => text.push_str(&format!(": {}", clean(note))),
            Outcome::Accepted { correction } => text.push_str(&match lang {
                Lang::Id => {
                    format!(" (koreksi pada catatan {correction}; angka lama tetap tercatat)")
                }
                Lang::En => {
                    format!(" (correction in record {correction}; the old figures stay on record)")
                }
            }),
            Outcome::NotAccepted {
                advice,
                followed,
                why_not,
            } => {
                text.push_str(&match lang {
                    Lang::Id => format!("; saran perbaikan: {}", clean(advice)),
                    Lang::En => format!("; advice: {}", clean(advice)),
                });
                text.push_str(match (followed, lang) {
                    (true, Lang::Id) => "; KPPS mengikuti saran",
                    (true, Lang::En) => "; the KPPS followed it",
                    (false, Lang::Id) => "; KPPS tidak mengikuti saran",
                    (false, Lang::En) => "; the KPPS did not follow it",
                });
                if let Some(w) = why_not {
                    text.push_str(&format!(": {}", clean(w)));
                }
            }
        }
        let mut by = vec![self.person(chair)];
        by.extend(witnesses.iter().map(|w| self.person(*w)));
        (text, by)
    }

    pub(super) fn nihil(&self, chair: PersonId) -> (String, Vec<String>) {
        let chair = self.person(chair);
        let text = match self.lang {
            Lang::Id => {
                format!("{chair} mengonfirmasi NIHIL: tidak ada kejadian khusus dan keberatan")
            }
            Lang::En => format!("{chair} confirmed NIHIL: no special incident and no objection"),
        };
        (text, vec![chair])
    }
}
