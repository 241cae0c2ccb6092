//! Records in plain words, one line each, in Indonesian or English, for `tps-keys journal show`
//! and whoever else lists a journal.
//!
//! Describing is a fold: a [`Describer`] remembers who registered (so a confirmation names the
//! person and their role) and which step each proposal was for (so a confirmation names the
//! step). It does no I/O and reads no clock. Whoever adds a [`RecordBody`] variant extends
//! [`Describer::describe`] in both languages.
//!
//! The files: `clock` (times and durations), `people` (registration, presence, PINs), `steps`
//! (proposals, confirmations, keberatan, completion, voting), `incident` (kejadian khusus),
//! `device` (the device, its journal files, clock, lid, power, mirror and reports), `input`
//! (what the chair entered for a step), `words` (the small helpers they all use).

mod clock;
mod device;
mod incident;
mod input;
mod people;
mod steps;
#[cfg(test)]
pub(crate) mod tests;
mod words;

use std::collections::BTreeMap;

pub use clock::{format_duration, format_time, stamp_text};
pub use device::{MIRROR_ID, PRIMARY_ID};
use words::{clean, tr};

use crate::record::Record;
use tps_base::election::{BallotType, ParticipantId};
use tps_base::text::Lang;
use tps_base::time::{Stamp, TimeZone};
use tps_domain::event::RecordBody;
use tps_domain::people::{PersonId, Role};
use tps_domain::spec::Procedure;

/// One record, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The record's sequence number.
    pub seq: u64,
    /// When it was made.
    pub stamp: Stamp,
    /// The record's kind, as [`RecordBody::kind_name`] names it.
    pub kind: &'static str,
    /// The language `text` and `by` are in.
    pub lang: Lang,
    /// What happened, in one line of plain words.
    pub text: String,
    /// Who confirmed it with their PIN (name and role), when someone did.
    pub by: Vec<String>,
}

impl Line {
    /// `seq  time  text  [by ...]` (`[oleh ...]`), the line `journal show` prints.
    pub fn render(&self, zone: Option<TimeZone>) -> String {
        let mut out = format!(
            "{:>5}  {}",
            self.seq,
            stamp_text(&self.stamp, zone, self.lang)
        );
        out.push_str("  ");
        out.push_str(&self.text);
        if !self.by.is_empty() {
            out.push_str(tr(self.lang, "  [oleh ", "  [by "));
            out.push_str(&self.by.join(", "));
            out.push(']');
        }
        out
    }
}

#[derive(Debug, Clone)]
struct Person {
    name: String,
    role: Role,
}

/// Describes records in journal order, remembering people and proposals.
#[derive(Debug, Clone)]
pub struct Describer<'a> {
    zone: Option<TimeZone>,
    lang: Lang,
    people: BTreeMap<PersonId, Person>,
    /// Proposal record seq to its step, as named.
    proposals: BTreeMap<u64, String>,
    /// The journal's procedure, when known: steps are named by its titles.
    procedure: Option<&'a Procedure>,
    /// The participants of the journal's package, when known: a saksi is named by the
    /// participant they witness for ("3. Partai ...").
    participants: BTreeMap<ParticipantId, String>,
}

impl<'a> Describer<'a> {
    /// A describer that speaks `lang`, shows times inside records (clock changes) in `zone` (or
    /// UTC), and names steps by their title in `procedure` (or by their id).
    pub fn new(zone: Option<TimeZone>, lang: Lang, procedure: Option<&'a Procedure>) -> Self {
        Self {
            zone,
            lang,
            people: BTreeMap::new(),
            proposals: BTreeMap::new(),
            procedure,
            participants: BTreeMap::new(),
        }
    }

    /// The same describer, naming each saksi by their participant's title in `participants`
    /// (from the journal's own election package).
    pub fn naming_participants(
        mut self,
        participants: impl IntoIterator<Item = (ParticipantId, String)>,
    ) -> Self {
        self.participants = participants.into_iter().collect();
        self
    }

    /// A role as a reader knows it: a saksi by their participant's name when it is known.
    fn role_name(&self, role: Role) -> String {
        let participant = match role {
            Role::Saksi(part) => self.participants.get(&part).map(String::as_str),
            _ => None,
        };
        role.label_naming(participant).get(self.lang).to_string()
    }

    /// A step as a reader knows it: its title in the describer's language when the procedure is
    /// known, else its id.
    fn step_name(&self, id: &str) -> String {
        match self.procedure.and_then(|p| p.step(id)) {
            Some((_, spec)) => spec.title.get(self.lang).to_string(),
            None => clean(id),
        }
    }

    /// A ballot type as a reader knows it: its name in the procedure when known, else the
    /// forms' short name.
    fn ballot_name(&self, ballot: BallotType) -> String {
        match self.procedure.and_then(|p| p.ballot_rule(ballot)) {
            Some(rule) => rule.name.get(self.lang).to_string(),
            None => ballot.short_name().to_string(),
        }
    }

    /// Describes the next record and remembers what later records need from it.
    pub fn describe(&mut self, record: &Record) -> Line {
        let (text, by) = self.text(record);
        Line {
            seq: record.seq,
            stamp: record.stamp,
            kind: record.body.kind_name(),
            lang: self.lang,
            text,
            by,
        }
    }

    fn text(&mut self, record: &Record) -> (String, Vec<String>) {
        let alone = |text: String| (text, Vec::new());
        match &record.body {
            RecordBody::Genesis(g) => alone(device::genesis(g, self.lang)),
            RecordBody::Started {
                firmware_version,
                recovery,
            } => alone(device::started(firmware_version, recovery, self.lang)),
            RecordBody::PersonRegistered {
                person,
                role,
                name,
                letter,
                id_number,
                present,
                by,
                ..
            } => self.registered(*person, *role, [name, letter, id_number], *present, *by),
            RecordBody::PresenceChanged {
                person,
                present,
                by,
                ..
            } => self.presence(*person, *present, *by),
            RecordBody::PinFailed { person, failures } => {
                alone(self.pin_failed(*person, *failures))
            }
            RecordBody::StepProposed {
                step,
                input,
                corrects,
                reason,
            } => alone(self.proposed(record.seq, step, input, *corrects, reason.as_deref())),
            RecordBody::Confirmed { person, proposal } => self.confirmed(*person, *proposal),
            RecordBody::Objected {
                person,
                proposal,
                reason,
            } => self.objected(*person, *proposal, reason),
            RecordBody::StepCompleted {
                step,
                proposal,
                chair,
            } => self.completed(step, *proposal, *chair),
            RecordBody::Incident(incident) => self.incident(incident),
            RecordBody::DpkAnnounced { chair } => self.dpk_announced(*chair),
            RecordBody::VotingEnded { chair } => self.voting_ended(*chair),
            RecordBody::ClockAnomaly { rtc_ms, journal_ms } => alone(device::clock_anomaly(
                *rtc_ms,
                *journal_ms,
                self.zone,
                self.lang,
            )),
            RecordBody::ClockSet { old_ms, new_ms, by } => alone(device::clock_set(
                *old_ms, *new_ms, by, self.zone, self.lang,
            )),
            RecordBody::TamperChanged { open } => alone(device::tamper(*open, self.lang)),
            RecordBody::PowerChanged { state } => alone(device::power(*state, self.lang)),
            RecordBody::MirrorRestored { records_copied } => {
                alone(device::mirror_restored(*records_copied, self.lang))
            }
            RecordBody::ReportPrinted { kind, digest } => {
                alone(device::report_printed(*kind, digest, self.lang))
            }
            RecordBody::ObjectionResolved {
                objection,
                outcome,
                chair,
                witnesses,
            } => self.objection_resolved(*objection, outcome, *chair, witnesses.as_slice()),
            RecordBody::NihilConfirmed { chair } => self.nihil(*chair),
            RecordBody::MirrorRemoved => alone(device::mirror_removed(self.lang)),
            RecordBody::TamperWhileOff { opened_ms } => {
                alone(device::tamper_while_off(*opened_ms, self.zone, self.lang))
            }
            RecordBody::ClockMoved {
                rtc_ms,
                expected_ms,
            } => alone(device::clock_moved(
                *rtc_ms,
                *expected_ms,
                self.zone,
                self.lang,
            )),
            RecordBody::BreakAnnounced { chair, minutes } => self.break_announced(*chair, *minutes),
        }
    }
}

/// Describes every record, in order, in `lang`, naming steps as `procedure` titles them.
pub fn describe_all<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    zone: Option<TimeZone>,
    lang: Lang,
    procedure: Option<&Procedure>,
) -> Vec<Line> {
    let mut describer = Describer::new(zone, lang, procedure);
    records.into_iter().map(|r| describer.describe(r)).collect()
}
