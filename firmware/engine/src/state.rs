//! The state of the day: the fold of the journal's records.

use std::sync::Arc;

use super::refusal::Refusal;
use tps_base::bounded::Text;
use tps_base::election::ParticipantId;
use tps_base::power::PowerState;
use tps_base::text::Bilingual;
use tps_base::time::{LocalDateTime, LocalTime, instant_at};
use tps_domain::event::{Incident, IncidentKind, Outcome, RecordBody, ReportKind};
use tps_domain::input::{InputKind, Note, StepInput};
use tps_domain::package::ElectionPackage;
use tps_domain::people::{PersonId, Role};
use tps_domain::pin::{PinHash, PinKey};
use tps_domain::record::Record;
use tps_domain::record::trusted_time_after;
use tps_domain::spec::{Procedure, ProcedureError, StepSpec, builtin};

/// A registered person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their number in the register.
    pub id: PersonId,
    /// The role they hold.
    pub role: Role,
    /// Their name.
    pub name: Text<64>,
    /// Their mandate or assignment letter number (empty when the role has none).
    pub letter: Text<40>,
    /// Identity document number (pemantau, pewarta), empty for the others.
    pub id_number: Text<32>,
    pub(crate) pin: PinHash,
    /// Inside the TPS (for saksi) or present (for everyone else).
    pub present: bool,
    /// Consecutive wrong PINs.
    pub pin_failures: u16,
    /// When the last wrong PIN was entered (unix ms), if any.
    pub last_failure_ms: Option<i64>,
    /// When the chair last marked them outside (cleared when they come back in).
    pub left_ms: Option<i64>,
    /// When they were registered: their arrival (the Pengawas TPS's is on the opening report).
    pub arrived_ms: i64,
    /// Where the wrong-PIN delay counts from, on the monotonic clock: the last wrong PIN, or
    /// the last start after it (a restart runs the delay again in full).
    pub delay_from_mono: Option<u64>,
}

/// Entries awaiting confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The `StepProposed` record's sequence number.
    pub seq: u64,
    /// The step's index in the procedure.
    pub step: usize,
    /// The chair's entries.
    pub input: StepInput,
    /// For a correction: the proposal whose figures this replaces.
    pub corrects: Option<u64>,
    /// For a correction: why.
    pub reason: Option<Note>,
    /// Who confirmed, in order.
    pub confirmations: Vec<PersonId>,
    /// Who objected, with their reason.
    pub objections: Vec<(PersonId, Note)>,
    /// Witnesses present recorded as declining to respond (a kejadian khusus each).
    pub declined: Vec<PersonId>,
}

impl Proposal {
    /// No entries yet: what the witness panel shows before the chair submits.
    pub fn empty() -> Self {
        Self {
            seq: 0,
            step: 0,
            input: StepInput::Attendance,
            corrects: None,
            reason: None,
            confirmations: Vec::new(),
            objections: Vec::new(),
            declined: Vec::new(),
        }
    }

    /// Whether `person` has responded to these entries: confirmed, objected, or been recorded
    /// as declining.
    pub fn responded(&self, person: PersonId) -> bool {
        self.confirmations.contains(&person)
            || self.objections.iter().any(|(p, _)| *p == person)
            || self.declined.contains(&person)
    }
}

/// A completed step, with its current figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    /// The step's index in the procedure.
    pub step: usize,
    /// The proposal whose figures stand (the latest correction, if any).
    pub proposal: u64,
    /// The figures that stand.
    pub input: StepInput,
    /// Who confirmed them.
    pub confirmations: Vec<PersonId>,
    /// When the step was first completed (unix ms).
    pub at_ms: i64,
    /// Earlier proposals these figures replaced, oldest first.
    pub corrected: Vec<u64>,
    /// When the latest correction was completed (`at_ms` stays the step's first completion).
    pub corrected_at_ms: Option<i64>,
}

/// A kejadian khusus as the day keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotedIncident {
    /// The record's sequence number and wall time.
    pub seq: u64,
    /// The record's wall time (unix ms).
    pub at_ms: i64,
    /// The incident as recorded.
    pub incident: Incident,
}

/// A keberatan as the day keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    /// The `Objected` record's sequence number.
    pub seq: u64,
    /// When it was raised (unix ms).
    pub at_ms: i64,
    /// Who objects.
    pub person: PersonId,
    /// The proposal objected to, and the step it was for.
    pub proposal: Option<u64>,
    /// The step that proposal was for.
    pub step: Option<usize>,
    /// Why they object.
    pub reason: Note,
    /// Its outcome, once recorded: the record's sequence number and the outcome.
    pub outcome: Option<(u64, Outcome)>,
}

/// Where the day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before the polls open.
    Opening,
    /// Polls open.
    Voting,
    /// Polls closed; queued voters may still vote.
    Queue,
    /// Voting over; close-out.
    CloseOut,
    /// Close-out done; the count, the sealing and the hand-over.
    Counting,
    /// Every step done.
    Finished,
}

/// Why a record cannot be applied: the journal and the engine disagree (a bug or a foreign
/// journal). The kiosk stops in an alarm when it sees one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {seq} cannot be applied: {problem}")]
pub struct ApplyError {
    /// The record's sequence number.
    pub seq: u64,
    /// What does not fit.
    pub problem: String,
}

/// The state of the day at a TPS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    procedure: Arc<Procedure>,
    package: Arc<ElectionPackage>,
    /// Everyone registered, by number.
    pub people: Vec<Person>,
    /// The entries awaiting confirmation, if any.
    pub proposal: Option<Proposal>,
    /// The completed steps, in order.
    pub completed: Vec<Completed>,
    /// When the DPK announcement was made (unix ms).
    pub dpk_announced_ms: Option<i64>,
    /// When voting was declared over (unix ms).
    pub voting_ended_ms: Option<i64>,
    /// Every kejadian khusus, in order.
    pub incidents: Vec<NotedIncident>,
    /// Every keberatan, in order.
    pub objections: Vec<Objection>,
    /// The sequence number of the last record applied.
    pub last_seq: Option<u64>,
    /// The newest trusted wall time among the records (unix ms).
    pub last_trusted_ms: Option<i64>,
    /// A clock anomaly was recorded and the clock has not been set right since.
    pub clock_anomaly: bool,
    /// Whether the enclosure lid is open, as last recorded.
    pub lid_open: bool,
    /// The power supply, as last recorded.
    pub power: PowerState,
    /// The reports printed: the record's sequence number and which report.
    pub reports: Vec<(u64, ReportKind)>,
    /// When the chair confirmed NIHIL (no kejadian khusus, no keberatan).
    pub nihil_ms: Option<i64>,
    /// Each break announced in the count: when (unix ms) and for how many minutes.
    pub breaks: Vec<(i64, u16)>,
    /// The device's PIN key; `None` where the journal is only replayed (an auditor's machine),
    /// and every command that needs a PIN is refused.
    pin_key: Option<PinKey>,
}

impl State {
    /// The device's state before any record, for `package` under its own procedure.
    pub fn new(package: ElectionPackage, pin_key: PinKey) -> Result<Self, ProcedureError> {
        let procedure = builtin(&package.procedure)?;
        Ok(Self::with_procedure(package, procedure, Some(pin_key)))
    }

    /// The state for replaying a journal away from its device: records apply, PINs cannot be
    /// checked.
    pub fn for_replay(package: ElectionPackage) -> Result<Self, ProcedureError> {
        let procedure = builtin(&package.procedure)?;
        Ok(Self::with_procedure(package, procedure, None))
    }

    /// The state under an explicit procedure (tests use a cheaper PIN hash), its per-ballot
    /// steps repeated for the package's ballot types ([`Procedure::for_ballots`]).
    pub fn with_procedure(
        package: ElectionPackage,
        procedure: Arc<Procedure>,
        pin_key: Option<PinKey>,
    ) -> Self {
        let procedure = Arc::new(procedure.for_ballots(&package.ballot_types()));
        Self {
            procedure,
            package: Arc::new(package),
            people: Vec::new(),
            proposal: None,
            completed: Vec::new(),
            dpk_announced_ms: None,
            voting_ended_ms: None,
            incidents: Vec::new(),
            objections: Vec::new(),
            last_seq: None,
            last_trusted_ms: None,
            clock_anomaly: false,
            lid_open: false,
            power: PowerState::Mains,
            reports: Vec::new(),
            nihil_ms: None,
            breaks: Vec::new(),
            pin_key,
        }
    }

    /// The key PINs are hashed under; refused where this state cannot check PINs.
    pub fn pin_key(&self) -> Result<&PinKey, Refusal> {
        self.pin_key.as_ref().ok_or(Refusal::PinKeyUnavailable)
    }

    /// The procedure the day follows.
    pub fn procedure(&self) -> &Procedure {
        &self.procedure
    }

    /// The signed election package of this TPS.
    pub fn package(&self) -> &ElectionPackage {
        &self.package
    }

    /// The person registered under `id`.
    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.people.get(usize::from(id.0))
    }

    /// The KPPS chair, once registered.
    pub fn chair(&self) -> Option<&Person> {
        self.people.iter().find(|p| p.role.is_chair())
    }

    /// The index of the step the day is at (`steps.len()` when all are done).
    pub fn current_step(&self) -> usize {
        self.completed.len()
    }

    /// The step the day is at, or none when all are done.
    pub fn current_spec(&self) -> Option<&StepSpec> {
        self.procedure.steps.get(self.current_step())
    }

    /// The title of step `index` (empty if the procedure has no such step).
    pub fn step_title(&self, index: usize) -> Bilingual {
        self.procedure
            .steps
            .get(index)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    }

    /// The completed step at `index`, if it is completed.
    pub fn completed_step(&self, index: usize) -> Option<&Completed> {
        self.completed.iter().find(|c| c.step == index)
    }

    /// The completed step that takes input of `kind` (the first, if several do).
    pub fn completed_of_kind(&self, kind: InputKind) -> Option<&Completed> {
        self.completed.iter().find(|c| {
            self.procedure
                .steps
                .get(c.step)
                .is_some_and(|s| s.input == kind)
        })
    }

    /// Where the day is, from the completed steps.
    pub fn phase(&self) -> Phase {
        if self.current_step() >= self.procedure.steps.len() {
            Phase::Finished
        } else if self.completed_of_kind(InputKind::Reconciliation).is_some() {
            Phase::Counting
        } else if self.voting_ended_ms.is_some() {
            Phase::CloseOut
        } else if self.completed_of_kind(InputKind::PollsClose).is_some() {
            Phase::Queue
        } else if self.completed_of_kind(InputKind::PollsOpen).is_some() {
            Phase::Voting
        } else {
            Phase::Opening
        }
    }

    /// When the voting meeting opened: the completion of the oath step (seed 004 line 45: the
    /// meeting begins with the oath).
    pub fn meeting_opened_ms(&self) -> Option<i64> {
        self.completed_of_kind(InputKind::Oath).map(|c| c.at_ms)
    }

    /// When the wait for absent witnesses ends: 30 minutes (the procedure's number) after the
    /// meeting opened, to the next whole minute; before it opens, after its scheduled opening.
    pub fn witness_wait_ends(&self) -> LocalTime {
        let schedule = self.procedure.schedule;
        let zone = self.package.zone;
        let minutes = i64::from(schedule.witness_wait_minutes);
        self.meeting_opened_ms()
            .and_then(|at| {
                let end = at.saturating_add(minutes * 60_000);
                // Round up to the whole minute, so the time shown is never early.
                let end = end.saturating_add(59_999);
                LocalDateTime::from_unix_ms(end, zone)
            })
            .map(|t| LocalTime::new(t.hour, t.minute))
            .unwrap_or_else(|| schedule.witness_wait_ends())
    }

    /// Unix ms of a local time on election day.
    pub fn instant(&self, t: LocalTime) -> i64 {
        instant_at(self.package.date, t, self.package.zone).unwrap_or(i64::MAX)
    }

    /// Saksi registered for `participant`.
    pub fn saksi_of(&self, participant: ParticipantId) -> impl Iterator<Item = &Person> {
        self.people
            .iter()
            .filter(move |p| p.role == Role::Saksi(participant))
    }

    /// A role as the screens name it: a saksi by the participant they witness for ("Saksi 3.
    /// Partai Demokrasi Indonesia Perjuangan"), everyone else by the role's own name.
    pub fn role_label(&self, role: Role) -> Bilingual {
        let participant = match role {
            Role::Saksi(part) => Some(self.participant_name(part)),
            _ => None,
        };
        role.label_naming(participant.as_deref())
    }

    /// Display name of a participant.
    pub fn participant_name(&self, participant: ParticipantId) -> String {
        self.package
            .participant(participant)
            .map(|p| p.title())
            .unwrap_or_else(|| format!("{}", participant.number))
    }

    /// Applies one record (already durable) to the state.
    pub fn apply(&mut self, record: &Record) -> Result<(), ApplyError> {
        let seq = record.seq;
        let bad = |problem: &str| ApplyError {
            seq,
            problem: problem.to_string(),
        };
        let at_ms = record.stamp.wall_ms;
        match &record.body {
            RecordBody::Started { .. } => self.restart_pin_delays(record.stamp.mono_ms),
            RecordBody::Genesis(_)
            | RecordBody::MirrorRestored { .. }
            | RecordBody::MirrorRemoved
            | RecordBody::TamperWhileOff { .. }
            | RecordBody::ClockMoved { .. } => {}
            RecordBody::PersonRegistered {
                person,
                role,
                name,
                letter,
                id_number,
                pin,
                present,
                by,
            } => {
                if usize::from(person.0) != self.people.len() {
                    return Err(bad("person numbers out of order"));
                }
                self.people.push(Person {
                    id: *person,
                    role: *role,
                    name: name.clone(),
                    letter: letter.clone(),
                    id_number: id_number.clone(),
                    pin: pin.clone(),
                    present: *present,
                    pin_failures: 0,
                    last_failure_ms: None,
                    left_ms: None,
                    arrived_ms: at_ms,
                    delay_from_mono: None,
                });
                self.pin_ok(*by);
            }
            RecordBody::PresenceChanged {
                person,
                present,
                by,
            } => {
                let p = self
                    .person_mut(*person)
                    .ok_or_else(|| bad("unknown person"))?;
                p.present = *present;
                p.left_ms = (!*present).then_some(at_ms);
                self.pin_ok(Some(*by));
            }
            RecordBody::PinFailed { person, failures } => {
                let p = self
                    .person_mut(*person)
                    .ok_or_else(|| bad("unknown person"))?;
                p.pin_failures = *failures;
                p.last_failure_ms = Some(at_ms);
                p.delay_from_mono = Some(record.stamp.mono_ms);
            }
            RecordBody::StepProposed {
                step,
                input,
                corrects,
                reason,
            } => {
                let (index, _) = self
                    .procedure
                    .step(step)
                    .ok_or_else(|| bad("unknown step"))?;
                self.proposal = Some(Proposal {
                    seq,
                    step: index,
                    input: (**input).clone(),
                    corrects: *corrects,
                    reason: reason.clone(),
                    confirmations: Vec::new(),
                    objections: Vec::new(),
                    declined: Vec::new(),
                });
            }
            RecordBody::Confirmed { person, proposal } => {
                let open = self
                    .proposal
                    .as_mut()
                    .filter(|p| p.seq == *proposal)
                    .ok_or_else(|| bad("confirmation of a proposal that is not open"))?;
                open.confirmations.push(*person);
                self.pin_ok(Some(*person));
            }
            RecordBody::Objected {
                person,
                proposal,
                reason,
            } => {
                let mut step = None;
                if let Some(open) = self.proposal.as_mut().filter(|p| Some(p.seq) == *proposal) {
                    open.objections.push((*person, reason.clone()));
                    step = Some(open.step);
                }
                self.objections.push(Objection {
                    seq,
                    at_ms,
                    person: *person,
                    proposal: *proposal,
                    step,
                    reason: reason.clone(),
                    outcome: None,
                });
                self.pin_ok(Some(*person));
            }
            RecordBody::StepCompleted {
                proposal, chair, ..
            } => {
                let open = self
                    .proposal
                    .take()
                    .filter(|p| p.seq == *proposal)
                    .ok_or_else(|| bad("completion of a proposal that is not open"))?;
                self.complete(open, at_ms);
                self.pin_ok(Some(*chair));
            }
            RecordBody::Incident(incident) => {
                for w in incident.witnesses.iter() {
                    self.pin_ok(Some(*w));
                }
                if let IncidentKind::Declined { person, .. } = incident.kind
                    && let Some(open) = self
                        .proposal
                        .as_mut()
                        .filter(|p| Some(p.seq) == incident.refers_to)
                {
                    open.declined.push(person);
                }
                self.incidents.push(NotedIncident {
                    seq,
                    at_ms,
                    incident: incident.clone(),
                });
            }
            RecordBody::DpkAnnounced { chair } => {
                self.dpk_announced_ms = Some(at_ms);
                self.pin_ok(Some(*chair));
            }
            RecordBody::VotingEnded { chair } => {
                self.voting_ended_ms = Some(at_ms);
                self.pin_ok(Some(*chair));
            }
            RecordBody::ClockAnomaly { .. } => self.clock_anomaly = true,
            RecordBody::ClockSet { .. } => self.clock_anomaly = false,
            RecordBody::TamperChanged { open } => self.lid_open = *open,
            RecordBody::PowerChanged { state } => self.power = *state,
            RecordBody::ReportPrinted { kind, .. } => self.reports.push((seq, *kind)),
            RecordBody::ObjectionResolved {
                objection,
                outcome,
                chair,
                witnesses,
            } => {
                let o = self
                    .objections
                    .iter_mut()
                    .find(|o| o.seq == *objection)
                    .ok_or_else(|| bad("outcome of an objection that was not raised"))?;
                o.outcome = Some((seq, (**outcome).clone()));
                self.pin_ok(Some(*chair));
                for w in witnesses.iter() {
                    self.pin_ok(Some(*w));
                }
            }
            RecordBody::BreakAnnounced { chair, minutes } => {
                self.breaks.push((at_ms, *minutes));
                self.pin_ok(Some(*chair));
            }
            RecordBody::NihilConfirmed { chair } => {
                self.nihil_ms = Some(at_ms);
                self.pin_ok(Some(*chair));
            }
        }
        if record.stamp.clock.is_trusted() {
            self.clock_anomaly = false;
        }
        // A technician's clock setting is the new reference, even if it is earlier.
        self.last_trusted_ms =
            trusted_time_after(self.last_trusted_ms, &record.stamp, &record.body);
        self.last_seq = Some(seq);
        Ok(())
    }

    fn complete(&mut self, open: Proposal, at_ms: i64) {
        match open.corrects {
            None => {
                if matches!(open.input, StepInput::PollsClose { queued: 0 }) {
                    // Nobody queuing: voting ends with the closing itself.
                    self.voting_ended_ms = Some(at_ms);
                }
                self.completed.push(Completed {
                    step: open.step,
                    proposal: open.seq,
                    input: open.input,
                    confirmations: open.confirmations,
                    at_ms,
                    corrected: Vec::new(),
                    corrected_at_ms: None,
                });
            }
            Some(_) => {
                if let Some(done) = self.completed.iter_mut().find(|c| c.step == open.step) {
                    done.corrected.push(done.proposal);
                    done.proposal = open.seq;
                    done.input = open.input;
                    done.confirmations = open.confirmations;
                    done.corrected_at_ms = Some(at_ms);
                }
            }
        }
    }

    fn person_mut(&mut self, id: PersonId) -> Option<&mut Person> {
        self.people.get_mut(usize::from(id.0))
    }

    /// After a restart every wrong-PIN delay runs again in full, from the start record.
    fn restart_pin_delays(&mut self, mono_ms: u64) {
        for p in &mut self.people {
            if p.pin_failures > 0 {
                p.delay_from_mono = Some(mono_ms);
            }
        }
    }

    /// A successful PIN resets the count of wrong ones.
    fn pin_ok(&mut self, person: Option<PersonId>) {
        if let Some(p) = person.and_then(|id| self.person_mut(id)) {
            p.pin_failures = 0;
            p.last_failure_ms = None;
            p.delay_from_mono = None;
        }
    }
}
