//! What the chair enters at each step. These values go into signed records, so every string and
//! list is bounded.

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

use tps_base::bounded::{List, Text};
use tps_base::election::{BallotType, MaleFemale};

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
    pub item: ItemId,
    pub present: bool,
}

/// A document or piece of equipment taken out of the box and counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct ItemCount {
    pub item: ItemId,
    pub count: u16,
}

/// The padlock or seal number put on a ballot box after showing it empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BoxLock {
    pub ballot: BallotType,
    pub seal: SealNumber,
}

/// The seal on the envelope holding one ballot type's ballots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct EnvelopeSeal {
    pub ballot: BallotType,
    pub seal: SealNumber,
    pub intact: bool,
}

/// Ballots of one type counted before voting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BallotTally {
    pub ballot: BallotType,
    pub counted: u32,
    /// The ballots are for this TPS's electoral district (dapil).
    pub dapil_ok: bool,
}

/// Ballots of one type at close-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BallotUsage {
    pub ballot: BallotType,
    pub used: u32,
    pub unused: u32,
    /// Damaged or wrongly punched (rusak/keliru coblos).
    pub damaged: u32,
    /// DPTb voters who received this type (their transfer form decides which types they get).
    pub dptb_voters: u32,
}

/// Voters who came, per list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Turnout {
    pub dpt: MaleFemale,
    pub dptb: MaleFemale,
    pub dpk: MaleFemale,
}

impl Turnout {
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
    pub ballots: List<BallotUsage, 8>,
    pub turnout: Turnout,
    pub disabled_voters: MaleFemale,
}

/// The chair's entries for one step. Which variant a step takes is named in the procedure data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub enum StepInput {
    /// Preparation: every equipment item present or not.
    Checklist {
        items: List<ItemCheck, 24>,
        exception: Option<Exception>,
    },
    /// Attendance taken (people are registered with their own commands).
    Attendance,
    /// The oath of the KPPS members and security staff.
    Oath,
    /// Box opened, contents counted.
    BoxInventory {
        items: List<ItemCount, 24>,
        exception: Option<Exception>,
    },
    /// Boxes shown empty, closed and locked.
    EmptyBox { locks: List<BoxLock, 8> },
    /// Ballot envelopes' seals checked.
    SealCheck {
        seals: List<EnvelopeSeal, 8>,
        exception: Option<Exception>,
    },
    /// Ballots counted per type, with the dapil check.
    BallotCount {
        counts: List<BallotTally, 8>,
        exception: Option<Exception>,
    },
    /// Explanations given to voters, saksi and Pengawas.
    Explanations { topics: List<ItemId, 12> },
    /// Polls opened (no late-opening time: no source sets one; the time is in the record).
    PollsOpen,
    /// Polls closed; voters still queued may vote.
    PollsClose { queued: u16 },
    /// Close-out reconciliation.
    Reconciliation(Reconciliation),
}

/// The kind of input a step takes, as the procedure data names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    Checklist,
    Attendance,
    Oath,
    BoxInventory,
    EmptyBox,
    SealCheck,
    BallotCount,
    Explanations,
    PollsOpen,
    PollsClose,
    Reconciliation,
}

impl StepInput {
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
        }
    }

    /// The exception (kejadian khusus) the chair attached, if any.
    pub fn exception(&self) -> Option<&Exception> {
        match self {
            StepInput::Checklist { exception, .. }
            | StepInput::BoxInventory { exception, .. }
            | StepInput::SealCheck { exception, .. }
            | StepInput::BallotCount { exception, .. } => exception.as_ref(),
            _ => None,
        }
    }
}
