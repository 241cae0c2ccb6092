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
    Explained {
        /// The explanation given.
        note: String,
    },
    /// Accepted and corrected on the spot: the correction's proposal record (a correction of a
    /// completed step, made after the objection).
    Accepted {
        /// The correction's proposal record.
        correction: u64,
    },
    /// Not accepted: the Pengawas TPS's advice (their PIN confirms it), whether the KPPS followed
    /// it, and why not when it did not.
    NotAccepted {
        /// The Pengawas TPS's advice.
        advice: String,
        /// Whether the KPPS followed it.
        followed: bool,
        /// Why not, when it did not (empty otherwise).
        why_not: String,
    },
}

/// A request from the touchscreen (or a scenario script).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Register a person. The first must be the chair (KPPS 1), who needs no chair PIN;
    /// everyone after is accepted with the chair's PIN.
    Register {
        /// The role they take.
        role: Role,
        /// Their name.
        name: String,
        /// Mandate letter (saksi) or letter of assignment (pemantau, pewarta) number.
        letter: String,
        /// Identity document number (KTP/NIK, or a press or accreditation card): required for
        /// pemantau and pewarta ([`Role::needs_id_number`]), empty for the others.
        id_number: String,
        /// The PIN they chose.
        pin: Pin,
        /// Fresh random salt for the PIN hash (the caller draws it from the OS).
        salt: [u8; 16],
        /// The chair's PIN; none for the chair's own registration.
        chair_pin: Option<Pin>,
    },
    /// Mark a person as inside/present or outside/absent.
    SetPresence {
        /// Who came in or went out.
        person: PersonId,
        /// Whether they are now inside.
        present: bool,
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// The chair's entries for the current step, for confirmation. Replaces an open proposal
    /// of the same step (its confirmations then start again).
    Propose {
        /// The step's id.
        step: String,
        /// The entries.
        input: StepInput,
    },
    /// New figures for a completed step; keeps the old ones and needs the step's quorum again.
    Correct {
        /// The completed step's id.
        step: String,
        /// The new entries.
        input: StepInput,
        /// Why they are corrected.
        reason: String,
    },
    /// A person confirms the open proposal.
    Confirm {
        /// Who confirms.
        person: PersonId,
        /// Their PIN.
        pin: Pin,
    },
    /// A person objects (keberatan), to the open proposal if there is one.
    Object {
        /// Who objects.
        person: PersonId,
        /// Their PIN.
        pin: Pin,
        /// Why they object.
        reason: String,
    },
    /// The chair records that `person`, a witness present, will neither confirm nor object to
    /// the open proposal: a kejadian khusus, confirmed by the Pengawas TPS with their PIN (or,
    /// when the Pengawas is the one declining or is not inside, by two other witnesses present).
    RecordDeclined {
        /// The witness who declines.
        person: PersonId,
        /// Why, as the chair records it.
        reason: String,
        /// Who confirms it, each with their PIN.
        confirmers: Vec<(PersonId, Pin)>,
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// The chair completes the open proposal. `proceed_without_quorum` is the chair's choice,
    /// once the 30-minute wait after the meeting opened is over, to go on without the witnesses
    /// who are absent (never those present).
    Complete {
        /// The chair's PIN.
        chair_pin: Pin,
        /// Go on without the absent witnesses.
        proceed_without_quorum: bool,
    },
    /// The chair records a keberatan's outcome; `confirmers` are the objector (explained), the
    /// Pengawas TPS and the objector if inside (not accepted).
    ResolveObjection {
        /// The `Objected` record.
        objection: u64,
        /// The outcome.
        outcome: OutcomeInput,
        /// Who confirms it, each with their PIN.
        confirmers: Vec<(PersonId, Pin)>,
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// No kejadian khusus and no keberatan today: the chair confirms NIHIL before the close-out.
    ConfirmNihil {
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// The announcement one hour before closing that DPK voters may vote.
    AnnounceDpk {
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// The last queued voter has voted.
    EndVoting {
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// A break in the count, announced to everyone present (procedure.md 9).
    AnnounceBreak {
        /// How long, in minutes.
        minutes: u16,
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// A kejadian khusus, with the PINs of those who witnessed it.
    ReportIncident {
        /// What happened.
        text: String,
        /// Who raised it, if anyone registered did.
        raised_by: Option<PersonId>,
        /// Who witnessed it, each with their PIN.
        witnesses: Vec<(PersonId, Pin)>,
        /// The chair's PIN.
        chair_pin: Pin,
    },
    /// Set the clock (a technician, witnessed once the day has begun); see [`super::clock`].
    SetClock(SetClock),
}
