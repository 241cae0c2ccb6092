//! The catalogue of everything the kiosk can record: the body of a journal record.
//! The state of the day is the fold of these, in journal order.

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

use crate::input::{Note, StepId, StepInput};
use crate::people::{PersonId, Role};
use crate::pin::PinHash;
use tps_base::bounded::{List, Text};
use tps_base::election::{BallotType, TpsCode};
use tps_base::power::PowerState;
use tps_base::text::Bilingual;

/// Record 0: who the device is and what election it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Genesis {
    /// The device certificate file, as the authority signed it.
    pub certificate: List<u8, 256>,
    /// SHA-256 of the signed election package file.
    pub package_hash: [u8; 32],
    /// The TPS the device serves.
    pub tps: TpsCode,
    /// The firmware that wrote the record.
    pub firmware_version: Text<32>,
}

/// What start-up found and repaired in the journal files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Recovery {
    /// Bytes of a torn last frame moved to a quarantine file (0 if none), per medium.
    pub primary_quarantined: u64,
    /// Bytes moved to quarantine from the mirror (0 if none).
    pub mirror_quarantined: u64,
    /// The mirror was a prefix of the primary (or the reverse) and was brought level.
    pub mirror_repair: MirrorRepair,
}

/// How start-up brought the primary and the mirror level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub enum MirrorRepair {
    /// They were level: nothing copied.
    None,
    /// Records copied from the primary to the mirror.
    CopiedToMirror {
        /// How many records.
        records: u64,
    },
    /// Records copied from the mirror to the primary.
    CopiedToPrimary {
        /// How many records.
        records: u64,
    },
    /// The mirror was absent and was created from the primary.
    MirrorCreated {
        /// How many records.
        records: u64,
    },
}

/// A witness who was not inside when a step went ahead without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Absent {
    /// The witness.
    pub person: PersonId,
    /// When the chair marked them outside (Unix ms), if they had been inside earlier today.
    pub left_ms: Option<i64>,
}

/// What a step's minimum lacked when the chair went ahead under the 30-minute rule (seed 004
/// line 47). Only absent witnesses are ever waived: every witness present has responded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, MaxSize)]
pub struct Missing {
    /// The Pengawas TPS was needed and absent.
    pub pengawas: bool,
    /// How many more participants' saksi were needed.
    pub saksi_participants: u8,
    /// How many more witnesses of any kind were needed.
    pub witnesses: u8,
    /// The registered witnesses who were outside, with when they left (the rest of the shortfall
    /// was never registered).
    pub absent: List<Absent, 16>,
}

impl Missing {
    /// Whether nothing was lacking.
    pub fn is_empty(&self) -> bool {
        !self.pengawas && self.saksi_participants == 0 && self.witnesses == 0
    }
}

/// Why a kejadian khusus (special incident) was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub enum IncidentKind {
    /// Raised by someone on the incident screen.
    Reported,
    /// A step went ahead with a shortfall, difference or broken seal; the numbers are in the
    /// step's proposal (`refers_to`).
    StepException {
        /// The step that went ahead.
        step: StepId,
    },
    /// A step went ahead without witnesses who were absent, under the 30-minute rule.
    QuorumWaived {
        /// The step that went ahead.
        step: StepId,
        /// Who was absent, and what the minimum lacked.
        missing: Box<Missing>,
    },
    /// A witness present at a step neither confirmed nor objected; the chair recorded it and the
    /// Pengawas TPS (or, when the Pengawas declined, two other witnesses) confirmed.
    Declined {
        /// The step they were asked to respond to.
        step: StepId,
        /// The witness who declined.
        person: PersonId,
    },
    /// The clock was set once the day had begun, witnessed.
    ClockSet {
        /// What the clock read (unix ms).
        old_ms: i64,
        /// The time it was set to (unix ms).
        new_ms: i64,
    },
}

impl IncidentKind {
    /// What kind of kejadian khusus this is, in the words of the form "Model C.Kejadian Khusus":
    /// the kiosk's incident list titles each entry with it and the journal describer says it. A
    /// reported one is simply a kejadian khusus.
    pub fn title(&self) -> Bilingual {
        match self {
            IncidentKind::Reported => Bilingual::new("Kejadian khusus", "Special incident"),
            IncidentKind::StepException { .. } => Bilingual::new(
                "Kekurangan, kerusakan atau perbedaan pada langkah",
                "A shortfall, damage or difference at a step",
            ),
            IncidentKind::QuorumWaived { .. } => Bilingual::new(
                "Dilanjutkan tanpa saksi yang tidak hadir (aturan 30 menit)",
                "Went ahead without absent witnesses (30-minute rule)",
            ),
            IncidentKind::Declined { .. } => Bilingual::new(
                "Saksi hadir tidak bersedia menanggapi",
                "A witness present declined to respond",
            ),
            IncidentKind::ClockSet { .. } => {
                Bilingual::new("Jam perangkat disetel", "The kiosk's clock was set")
            }
        }
    }
}

/// A kejadian khusus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Incident {
    /// Why it was recorded.
    pub kind: IncidentKind,
    /// What happened, in the words of whoever raised it (or the kiosk's).
    pub text: Note,
    /// Who raised it, if a registered person did.
    pub raised_by: Option<PersonId>,
    /// Who confirmed it with their PIN.
    pub witnesses: List<PersonId, 16>,
    /// The record it is about, if any.
    pub refers_to: Option<u64>,
}

/// How a keberatan was settled (seed 004 lines 53-58, "Penyelesaian keberatan").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
// One per keberatan, behind a box in its record: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// The KPPS explained the procedure or matched the numbers; the objector accepts (their PIN
    /// confirms it).
    Explained {
        /// The explanation given.
        note: Note,
    },
    /// Accepted: corrected on the spot. `correction` is the correction's proposal record, which
    /// keeps the old figures and was confirmed by the chair and the saksi present.
    Accepted {
        /// The correction's proposal record.
        correction: u64,
    },
    /// Not accepted: the Pengawas TPS's advice (saran perbaikan), confirmed with their PIN, and
    /// whether the KPPS followed it, or why not. The objection stays on the form.
    NotAccepted {
        /// The Pengawas TPS's advice.
        advice: Note,
        /// Whether the KPPS followed the advice.
        followed: bool,
        /// Why the advice was not followed, when it was not.
        why_not: Option<Note>,
    },
}

impl Outcome {
    /// The outcome's name, as the form and the reports say it.
    pub fn title(&self) -> Bilingual {
        match self {
            Outcome::Explained { .. } => Bilingual::new(
                "Dijelaskan, saksi menerima penjelasan",
                "Explained; the objector accepts",
            ),
            Outcome::Accepted { .. } => Bilingual::new(
                "Diterima, dibetulkan seketika",
                "Accepted; corrected on the spot",
            ),
            Outcome::NotAccepted { .. } => Bilingual::new(
                "Tidak diterima, dengan saran perbaikan Pengawas TPS",
                "Not accepted; with the Pengawas TPS's advice",
            ),
        }
    }
}

/// A report the kiosk printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub enum ReportKind {
    /// The opening report, once the polls open.
    Opening,
    /// The closing report, after the close-out.
    Closing,
    /// The C.Hasil of one ballot type, once it is counted: its figures and their signed QR
    /// codes (issue 13).
    Result(BallotType),
}

impl ReportKind {
    /// The report's name in running text: "laporan pembukaan", "closing report".
    pub fn name(self) -> Bilingual {
        match self {
            ReportKind::Opening => Bilingual::new("laporan pembukaan", "opening report"),
            ReportKind::Closing => Bilingual::new("laporan penutupan", "closing report"),
            ReportKind::Result(b) => Bilingual::new(
                format!("C.Hasil {}", b.short_name()),
                format!("C.Hasil (result) {}", b.short_name()),
            ),
        }
    }
}

/// Everything the kiosk records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub enum RecordBody {
    /// Record 0 only: the device certificate, the package's hash and the TPS.
    Genesis(Box<Genesis>),
    /// The kiosk started; what recovery found.
    Started {
        /// The firmware that started.
        firmware_version: Text<32>,
        /// What start-up found and repaired.
        recovery: Recovery,
    },
    /// The chair registered a person (the first is the chair), with a hash of their PIN.
    PersonRegistered {
        /// The person's number in the register.
        person: PersonId,
        /// The role they hold.
        role: Role,
        /// Their name.
        name: Text<64>,
        /// Mandate letter or letter of assignment number (empty when the role has none).
        letter: Text<40>,
        /// Identity document number, KTP/NIK or press card (empty when the role shows none).
        id_number: Text<32>,
        /// Their PIN as an Argon2id hash keyed with the device's PIN key (never the PIN).
        pin: PinHash,
        /// Whether they are inside the TPS.
        present: bool,
        /// The chair who accepted the registration (none for the chair's own).
        by: Option<PersonId>,
    },
    /// A person came in or went out (saksi: inside or outside the TPS), as the chair recorded.
    PresenceChanged {
        /// Who came in or went out.
        person: PersonId,
        /// Whether they are now inside.
        present: bool,
        /// The chair who recorded it.
        by: PersonId,
    },
    /// A wrong PIN; `failures` counts consecutive failures for this person.
    PinFailed {
        /// Whose PIN was wrong.
        person: PersonId,
        /// Consecutive failures so far, this one included.
        failures: u16,
    },
    /// The chair's entries for a step (or a correction of a completed step), awaiting
    /// confirmations.
    StepProposed {
        /// The step, or the completed step a correction changes.
        step: StepId,
        /// The chair's entries.
        input: Box<StepInput>,
        /// For a correction: the proposal record whose figures this replaces.
        corrects: Option<u64>,
        /// For a correction: why it is corrected.
        reason: Option<Note>,
    },
    /// A person confirmed the open proposal with their PIN.
    Confirmed {
        /// Who confirmed.
        person: PersonId,
        /// The proposal record confirmed.
        proposal: u64,
    },
    /// A keberatan: a person objects, to a proposal or in general.
    Objected {
        /// Who objects.
        person: PersonId,
        /// The proposal record objected to; none for a general objection.
        proposal: Option<u64>,
        /// Why they object.
        reason: Note,
    },
    /// The chair completed the proposal with their PIN.
    StepCompleted {
        /// The step completed.
        step: StepId,
        /// The proposal record whose entries now hold.
        proposal: u64,
        /// The chair who completed it.
        chair: PersonId,
    },
    /// A kejadian khusus, raised by someone or recorded by the kiosk for a step.
    Incident(Incident),
    /// The 12:00 announcement that DPK voters may vote.
    DpkAnnounced {
        /// The chair who announced it.
        chair: PersonId,
    },
    /// The last queued voter has voted; voting is over.
    VotingEnded {
        /// The chair who declared it.
        chair: PersonId,
    },
    /// The RTC read earlier than the journal; nothing was decided on it.
    ClockAnomaly {
        /// What the RTC read (unix ms).
        rtc_ms: i64,
        /// The newest trusted time in the journal (unix ms).
        journal_ms: i64,
    },
    /// A technician set the clock.
    ClockSet {
        /// What the clock read (unix ms).
        old_ms: i64,
        /// The time it was set to (unix ms).
        new_ms: i64,
        /// The technician, as they identified themselves.
        by: Text<40>,
    },
    /// The enclosure lid opened or closed.
    TamperChanged {
        /// Whether the lid is now open.
        open: bool,
    },
    /// The UPS switched between mains and battery, or the battery ran low.
    PowerChanged {
        /// The supply now.
        state: PowerState,
    },
    /// The USB mirror came back and was brought level with the primary.
    MirrorRestored {
        /// How many records were copied to it.
        records_copied: u64,
    },
    /// The opening or closing report was printed; `digest` is the SHA-256 of its text.
    ReportPrinted {
        /// Which report.
        kind: ReportKind,
        /// SHA-256 of the printed text.
        digest: [u8; 32],
    },
    /// A keberatan got its outcome; the chair recorded it with their PIN, `witnesses` confirmed
    /// with theirs.
    ObjectionResolved {
        /// The `Objected` record.
        objection: u64,
        /// The outcome.
        outcome: Box<Outcome>,
        /// The chair who recorded it.
        chair: PersonId,
        /// Who confirmed it with their PIN.
        witnesses: List<PersonId, 16>,
    },
    /// No kejadian khusus and no keberatan all day: the chair confirms NIHIL with their PIN
    /// (seed 004 line 58).
    NihilConfirmed {
        /// The chair who confirmed it.
        chair: PersonId,
    },
    /// The USB stick with the mirror was pulled out; records go on to the primary alone until
    /// it is back.
    MirrorRemoved,
    /// At start-up the tamper latch showed the lid was opened while the kiosk was off; the
    /// latch's own time of the opening (unix ms) when it kept one.
    TamperWhileOff {
        /// The latch's time of the opening (unix ms), if it kept one.
        opened_ms: Option<i64>,
    },
    /// Within one boot the RTC parted from the monotonic clock by more than the kiosk allows:
    /// it read `rtc_ms` where `expected_ms` was due. The clock was changed outside the kiosk.
    ClockMoved {
        /// What the RTC read (unix ms).
        rtc_ms: i64,
        /// What the monotonic clock said it should read (unix ms).
        expected_ms: i64,
    },
    /// The chair announced a break in the count (procedure.md 9: breaks must be announced);
    /// the count resumes with the next step's records.
    BreakAnnounced {
        /// The chair who announced it.
        chair: PersonId,
        /// How long the break is announced for, in minutes.
        minutes: u16,
    },
}

impl RecordBody {
    /// A short English name of the kind of record (for logs and `journal show`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            RecordBody::Genesis(_) => "genesis",
            RecordBody::Started { .. } => "started",
            RecordBody::PersonRegistered { .. } => "person-registered",
            RecordBody::PresenceChanged { .. } => "presence-changed",
            RecordBody::PinFailed { .. } => "pin-failed",
            RecordBody::StepProposed { .. } => "step-proposed",
            RecordBody::Confirmed { .. } => "confirmed",
            RecordBody::Objected { .. } => "objected",
            RecordBody::StepCompleted { .. } => "step-completed",
            RecordBody::Incident(_) => "incident",
            RecordBody::DpkAnnounced { .. } => "dpk-announced",
            RecordBody::VotingEnded { .. } => "voting-ended",
            RecordBody::ClockAnomaly { .. } => "clock-anomaly",
            RecordBody::ClockSet { .. } => "clock-set",
            RecordBody::TamperChanged { .. } => "tamper-changed",
            RecordBody::PowerChanged { .. } => "power-changed",
            RecordBody::MirrorRestored { .. } => "mirror-restored",
            RecordBody::ReportPrinted { .. } => "report-printed",
            RecordBody::ObjectionResolved { .. } => "objection-resolved",
            RecordBody::NihilConfirmed { .. } => "nihil-confirmed",
            RecordBody::MirrorRemoved => "mirror-removed",
            RecordBody::TamperWhileOff { .. } => "tamper-while-off",
            RecordBody::ClockMoved { .. } => "clock-moved",
            RecordBody::BreakAnnounced { .. } => "break-announced",
        }
    }
}
