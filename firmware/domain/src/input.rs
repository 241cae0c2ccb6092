//! What the chair enters at each step. These values go into signed records, so every string and
//! list is bounded.

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

use tps_base::bounded::{List, Text};
use tps_base::election::{BallotType, MaleFemale};

use super::tally::Tally;

/// A step's id, as named in the procedure data (e.g. `hitung-surat-suara`).
pub type StepId = Text<24>;
/// An equipment item's or explanation topic's id in the procedure data.
pub type ItemId = Text<24>;
/// Free text a person typed: incidents, objections, reasons.
pub type Note = Text<280>;
/// A seal or padlock number.
pub type SealNumber = Text<24>;

/// What was done about a shortfall or a broken seal: it becomes a kejadian khusus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Exception {
    /// What the KPPS did, in their words.
    pub action: Note,
    /// Whether PPS (the village committee) was contacted.
    pub pps_contacted: bool,
}

/// An equipment item checked during preparation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct ItemCheck {
    /// The item's id in the procedure.
    pub item: ItemId,
    /// Whether it is there.
    pub present: bool,
}

/// A document or piece of equipment taken out of the box and counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct ItemCount {
    /// The item's id in the procedure.
    pub item: ItemId,
    /// How many were counted.
    pub count: u16,
}

/// The padlock or seal number put on a ballot box after showing it empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BoxLock {
    /// The ballot type whose box it locks.
    pub ballot: BallotType,
    /// The number on the padlock or seal.
    pub seal: SealNumber,
}

/// The seal on the envelope holding one ballot type's ballots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct EnvelopeSeal {
    /// The ballot type in the envelope.
    pub ballot: BallotType,
    /// The number on the seal.
    pub seal: SealNumber,
    /// Whether the seal was found unbroken.
    pub intact: bool,
}

/// Ballots of one type counted before voting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BallotTally {
    /// The ballot type.
    pub ballot: BallotType,
    /// How many ballots were counted.
    pub counted: u32,
    /// The ballots are for this TPS's electoral district (dapil).
    pub dapil_ok: bool,
}

/// Ballots of one type at close-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BallotUsage {
    /// The ballot type.
    pub ballot: BallotType,
    /// Ballots given to voters.
    pub used: u32,
    /// Ballots left unused.
    pub unused: u32,
    /// Damaged or wrongly punched (rusak/keliru coblos).
    pub damaged: u32,
    /// DPTb voters who received this type (their transfer form decides which types they get).
    pub dptb_voters: u32,
}

/// Voters who came, per list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Turnout {
    /// Voters on the permanent list (DPT).
    pub dpt: MaleFemale,
    /// Voters transferred in (DPTb).
    pub dptb: MaleFemale,
    /// Voters on no list who voted with their ID (DPK).
    pub dpk: MaleFemale,
}

impl Turnout {
    /// Voters of all three lists together (saturating).
    pub fn total(&self) -> u32 {
        self.dpt
            .total()
            .saturating_add(self.dptb.total())
            .saturating_add(self.dpk.total())
    }
}

/// The close-out figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Reconciliation {
    /// The ballots of each type.
    pub ballots: List<BallotUsage, 8>,
    /// Voters who came, per list.
    pub turnout: Turnout,
    /// Voters with disabilities who voted.
    pub disabled_voters: MaleFemale,
}

/// The seals put on one ballot type's envelopes and box at the end of the count (procedure.md
/// 12: valid, invalid, unused with the leftover reserve, and damaged ballots in separate sealed
/// envelopes; the box sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BallotSealing {
    /// The ballot type.
    pub ballot: BallotType,
    /// The seal on the envelope of valid ballots.
    pub valid: SealNumber,
    /// The seal on the envelope of invalid ballots.
    pub invalid: SealNumber,
    /// The seal on the envelope of unused ballots (the leftover reserve included).
    pub unused: SealNumber,
    /// The seal on the envelope of damaged or wrongly punched ballots.
    pub damaged: SealNumber,
    /// The seal on the ballot box.
    pub box_seal: SealNumber,
}

/// The chair's entries for one step. Which variant a step takes is named in the procedure data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub enum StepInput {
    /// Preparation: every equipment item present or not.
    Checklist {
        /// Each item, present or not.
        items: List<ItemCheck, 24>,
        /// What was done about a missing item, if one is.
        exception: Option<Exception>,
    },
    /// Attendance taken (people are registered with their own commands).
    Attendance,
    /// The oath of the KPPS members and security staff.
    Oath,
    /// Box opened, contents counted.
    BoxInventory {
        /// Each item's count.
        items: List<ItemCount, 24>,
        /// What was done about a shortfall, if there is one.
        exception: Option<Exception>,
    },
    /// Boxes shown empty, closed and locked.
    EmptyBox {
        /// The padlock or seal put on each box.
        locks: List<BoxLock, 8>,
    },
    /// Ballot envelopes' seals checked.
    SealCheck {
        /// Each envelope's seal.
        seals: List<EnvelopeSeal, 8>,
        /// What was done about a broken seal, if there is one.
        exception: Option<Exception>,
    },
    /// Ballots counted per type, with the dapil check.
    BallotCount {
        /// Each type's count.
        counts: List<BallotTally, 8>,
        /// What was done about a difference, if there is one.
        exception: Option<Exception>,
    },
    /// Explanations given to voters, saksi and Pengawas.
    Explanations {
        /// The topics explained, by id.
        topics: List<ItemId, 12>,
    },
    /// Polls opened (no late-opening time: no source sets one; the time is in the record).
    PollsOpen,
    /// Polls closed; voters still queued may vote.
    PollsClose {
        /// How many voters were queuing at closing time.
        queued: u16,
    },
    /// Close-out reconciliation.
    Reconciliation(Reconciliation),
    /// One ballot type's box unlocked for the count, its padlock number read off it.
    BoxOpen {
        /// The ballot type whose box is opened.
        ballot: BallotType,
        /// The number on the padlock or seal found on the box.
        seal: SealNumber,
        /// Whether it was found unbroken.
        intact: bool,
        /// Ballots found in the box, counted before the votes are.
        ballots: u32,
        /// What was done about a broken or different padlock, or a number of ballots that is
        /// not the close-out's, if there is one.
        exception: Option<Exception>,
    },
    /// One ballot type counted, as C.Hasil holds it.
    Count {
        /// The figures.
        tally: Tally,
        /// The kejadian khusus recorded for a difference in the figures, if there is one.
        exception: Option<Exception>,
    },
    /// The envelopes and boxes sealed after the count.
    Sealing {
        /// Each ballot type's seals.
        seals: List<BallotSealing, 8>,
    },
    /// The sealed boxes and forms handed to PPS.
    Handover {
        /// Who received them for PPS.
        receiver: Text<64>,
    },
}

/// The kind of input a step takes, as the procedure data names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A step that takes [`StepInput::Checklist`] entries.
    Checklist,
    /// A step that takes [`StepInput::Attendance`] entries.
    Attendance,
    /// A step that takes [`StepInput::Oath`] entries.
    Oath,
    /// A step that takes [`StepInput::BoxInventory`] entries.
    BoxInventory,
    /// A step that takes [`StepInput::EmptyBox`] entries.
    EmptyBox,
    /// A step that takes [`StepInput::SealCheck`] entries.
    SealCheck,
    /// A step that takes [`StepInput::BallotCount`] entries.
    BallotCount,
    /// A step that takes [`StepInput::Explanations`] entries.
    Explanations,
    /// A step that takes [`StepInput::PollsOpen`] entries.
    PollsOpen,
    /// A step that takes [`StepInput::PollsClose`] entries.
    PollsClose,
    /// A step that takes [`StepInput::Reconciliation`] entries.
    Reconciliation,
    /// A step that takes [`StepInput::BoxOpen`] entries.
    BoxOpen,
    /// A step that takes [`StepInput::Count`] entries.
    Count,
    /// A step that takes [`StepInput::Sealing`] entries.
    Sealing,
    /// A step that takes [`StepInput::Handover`] entries.
    Handover,
}

impl InputKind {
    /// Whether a step of this kind concerns one ballot type, and the procedure repeats it for
    /// each of the package's types.
    pub fn per_ballot(self) -> bool {
        matches!(self, InputKind::BoxOpen | InputKind::Count)
    }
}

impl StepInput {
    /// The kind of input these entries are.
    pub fn kind(&self) -> InputKind {
        match self {
            StepInput::Checklist { .. } => InputKind::Checklist,
            StepInput::Attendance => InputKind::Attendance,
            StepInput::Oath => InputKind::Oath,
            StepInput::BoxInventory { .. } => InputKind::BoxInventory,
            StepInput::EmptyBox { .. } => InputKind::EmptyBox,
            StepInput::SealCheck { .. } => InputKind::SealCheck,
            StepInput::BallotCount { .. } => InputKind::BallotCount,
            StepInput::Explanations { .. } => InputKind::Explanations,
            StepInput::PollsOpen => InputKind::PollsOpen,
            StepInput::PollsClose { .. } => InputKind::PollsClose,
            StepInput::Reconciliation(_) => InputKind::Reconciliation,
            StepInput::BoxOpen { .. } => InputKind::BoxOpen,
            StepInput::Count { .. } => InputKind::Count,
            StepInput::Sealing { .. } => InputKind::Sealing,
            StepInput::Handover { .. } => InputKind::Handover,
        }
    }

    /// The exception (kejadian khusus) the chair attached, if any.
    pub fn exception(&self) -> Option<&Exception> {
        match self {
            StepInput::Checklist { exception, .. }
            | StepInput::BoxInventory { exception, .. }
            | StepInput::SealCheck { exception, .. }
            | StepInput::BallotCount { exception, .. }
            | StepInput::BoxOpen { exception, .. }
            | StepInput::Count { exception, .. } => exception.as_ref(),
            _ => None,
        }
    }

    /// The ballot type these entries concern, for a step about one type.
    pub fn ballot(&self) -> Option<BallotType> {
        match self {
            StepInput::BoxOpen { ballot, .. } => Some(*ballot),
            StepInput::Count { tally, .. } => Some(tally.ballot),
            _ => None,
        }
    }
}
