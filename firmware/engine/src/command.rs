//! What the people at the kiosk ask the engine to do.

use super::clock::SetClock;
use tps_domain::input::StepInput;
use tps_domain::people::{PersonId, Role};
use tps_domain::pin::Pin;

/// The outcome the chair records for a keberatan (seed 004 lines 53-58).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutcomeInput {
    /// The KPPS explained the procedure or matched the numbers; the objector accepts with their
    /// PIN.
    Explained { note: String },
    /// Accepted and corrected on the spot: the correction's proposal record (a correction of a
    /// completed step, made after the objection).
    Accepted { correction: u64 },
    /// Not accepted: the Pengawas TPS's advice (their PIN confirms it), whether the KPPS followed
    /// it, and why not when it did not.
    NotAccepted {
        advice: String,
        followed: bool,
        why_not: String,
    },
}

/// A request from the touchscreen (or a scenario script).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Register a person. The first must be the chair (KPPS 1), who needs no chair PIN;
    /// everyone after is accepted with the chair's PIN.
    Register {
        role: Role,
        name: String,
        /// Mandate letter (saksi) or letter of assignment (pemantau, pewarta) number.
        letter: String,
        /// Identity document number (KTP/NIK, or a press or accreditation card): required for
        /// pemantau and pewarta ([`Role::needs_id_number`]), empty for the others.
        id_number: String,
        pin: Pin,
        /// Fresh random salt for the PIN hash (the caller draws it from the OS).
        salt: [u8; 16],
        chair_pin: Option<Pin>,
    },
    /// Mark a person as inside/present or outside/absent.
    SetPresence {
        person: PersonId,
        present: bool,
        chair_pin: Pin,
    },
    /// The chair's entries for the current step, for confirmation. Replaces an open proposal
    /// of the same step (its confirmations then start again).
    Propose { step: String, input: StepInput },
    /// New figures for a completed step; keeps the old ones and needs the step's quorum again.
    Correct {
        step: String,
        input: StepInput,
        reason: String,
    },
    /// A person confirms the open proposal.
    Confirm { person: PersonId, pin: Pin },
    /// A person objects (keberatan), to the open proposal if there is one.
    Object {
        person: PersonId,
        pin: Pin,
        reason: String,
    },
    /// The chair records that `person`, a witness present, will neither confirm nor object to
    /// the open proposal: a kejadian khusus, confirmed by the Pengawas TPS with their PIN (or,
    /// when the Pengawas is the one declining or is not inside, by two other witnesses present).
    RecordDeclined {
        person: PersonId,
        reason: String,
        confirmers: Vec<(PersonId, Pin)>,
        chair_pin: Pin,
    },
    /// The chair completes the open proposal. `proceed_without_quorum` is the chair's choice,
    /// once the 30-minute wait after the meeting opened is over, to go on without the witnesses
    /// who are absent (never those present).
    Complete {
        chair_pin: Pin,
        proceed_without_quorum: bool,
    },
    /// The chair records a keberatan's outcome; `confirmers` are the objector (explained), the
    /// Pengawas TPS and the objector if inside (not accepted).
    ResolveObjection {
        objection: u64,
        outcome: OutcomeInput,
        confirmers: Vec<(PersonId, Pin)>,
        chair_pin: Pin,
    },
    /// No kejadian khusus and no keberatan today: the chair confirms NIHIL before the close-out.
    ConfirmNihil { chair_pin: Pin },
    /// The announcement one hour before closing that DPK voters may vote.
    AnnounceDpk { chair_pin: Pin },
    /// The last queued voter has voted.
    EndVoting { chair_pin: Pin },
    /// A kejadian khusus, with the PINs of those who witnessed it.
    ReportIncident {
        text: String,
        raised_by: Option<PersonId>,
        witnesses: Vec<(PersonId, Pin)>,
        chair_pin: Pin,
    },
    /// Set the clock (a technician, witnessed once the day has begun); see [`super::clock`].
    SetClock(SetClock),
}
