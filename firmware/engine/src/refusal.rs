//! Why the engine says no, in words the screen shows as they are: Indonesian and English.

use tps_base::election::BallotType;
use tps_base::text::{Bilingual, Lang};
use tps_base::time::{ClockStatus, LocalTime, TimeZone, format_clock};
use tps_domain::event::RecordBody;
use tps_domain::people::PersonId;
use tps_domain::phrase::list;
pub use tps_domain::phrase::who_is_missing;
use tps_domain::pin::PinProblem;

/// A field of free text in a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The person's name.
    Name,
    /// The mandate or assignment letter number.
    Letter,
    /// The identity document number (KTP/NIK or press card).
    IdNumber,
    /// A reason or note: of a keberatan, its outcome, or a correction.
    Reason,
    /// The description of a kejadian khusus.
    IncidentText,
    /// The action taken about a kejadian khusus.
    Action,
    /// A seal number.
    SealNumber,
    /// The name of the PPS officer who receives the boxes.
    Receiver,
}

impl Field {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Field::Name, Lang::Id) => "Nama",
            (Field::Name, Lang::En) => "Name",
            (Field::Letter, Lang::Id) => "Nomor surat mandat/tugas",
            (Field::Letter, Lang::En) => "Mandate/assignment letter number",
            (Field::IdNumber, Lang::Id) => "Nomor identitas (NIK KTP atau kartu pers)",
            (Field::IdNumber, Lang::En) => "ID number (KTP/NIK or press card)",
            (Field::Reason, Lang::Id) => "Alasan",
            (Field::Reason, Lang::En) => "Reason",
            (Field::IncidentText, Lang::Id) => "Uraian kejadian",
            (Field::IncidentText, Lang::En) => "Incident description",
            (Field::Action, Lang::Id) => "Tindakan yang dilakukan",
            (Field::Action, Lang::En) => "Action taken",
            (Field::SealNumber, Lang::Id) => "Nomor segel",
            (Field::SealNumber, Lang::En) => "Seal number",
            (Field::Receiver, Lang::Id) => "Nama petugas PPS penerima",
            (Field::Receiver, Lang::En) => "Name of the receiving PPS officer",
        }
    }
}

/// A ballot type with its name as the procedure gives it: sentences say the name, never the
/// code ("DPRD Kabupaten/Kota", not "DPRD-KABKOTA").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedBallot {
    /// The ballot type.
    pub ballot: BallotType,
    /// Its name in the procedure, in both languages.
    pub name: Bilingual,
}

/// Where a seal number was written: which ballot type's box padlock or envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealPlace {
    /// The padlock/seal put on a ballot box after showing it empty.
    BoxLock(NamedBallot),
    /// The seal on the envelope holding a ballot type's ballots.
    Envelope(NamedBallot),
    /// The seal on one of the envelopes a ballot type's ballots go into after the count.
    CountedEnvelope(NamedBallot, Envelope),
    /// The seal on a ballot box after the count.
    BoxSeal(NamedBallot),
}

/// Which envelope of counted ballots (procedure.md 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// Valid ballots.
    Valid,
    /// Invalid ballots.
    Invalid,
    /// Unused ballots, the leftover reserve included.
    Unused,
    /// Damaged or wrongly punched ballots.
    Damaged,
}

impl Envelope {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Envelope::Valid, Lang::Id) => "surat suara sah",
            (Envelope::Valid, Lang::En) => "valid ballots",
            (Envelope::Invalid, Lang::Id) => "surat suara tidak sah",
            (Envelope::Invalid, Lang::En) => "invalid ballots",
            (Envelope::Unused, Lang::Id) => "surat suara tidak digunakan",
            (Envelope::Unused, Lang::En) => "unused ballots",
            (Envelope::Damaged, Lang::Id) => "surat suara rusak/keliru coblos",
            (Envelope::Damaged, Lang::En) => "damaged ballots",
        }
    }
}

impl SealPlace {
    /// "segel kotak suara DPR" / "DPR ballot box seal".
    pub fn label(&self, lang: Lang) -> String {
        match (self, lang) {
            (SealPlace::BoxLock(b), Lang::Id) => format!("segel kotak suara {}", b.name.id),
            (SealPlace::BoxLock(b), Lang::En) => format!("{} ballot box seal", b.name.en),
            (SealPlace::Envelope(b), Lang::Id) => {
                format!("segel sampul surat suara {}", b.name.id)
            }
            (SealPlace::Envelope(b), Lang::En) => format!("{} ballot envelope seal", b.name.en),
            (SealPlace::CountedEnvelope(b, e), Lang::Id) => {
                format!("segel sampul {} {}", e.label(lang), b.name.id)
            }
            (SealPlace::CountedEnvelope(b, e), Lang::En) => {
                format!("{} envelope seal ({})", b.name.en, e.label(lang))
            }
            (SealPlace::BoxSeal(b), Lang::Id) => {
                format!("segel kotak suara {} setelah penghitungan", b.name.id)
            }
            (SealPlace::BoxSeal(b), Lang::En) => {
                format!("{} ballot box seal after the count", b.name.en)
            }
        }
    }
}

/// Which count of one ballot type a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountOf {
    /// Counted before voting.
    Counted,
    /// Used at close-out.
    Used,
    /// Unused at close-out.
    Unused,
    /// Damaged or wrongly punched at close-out.
    Damaged,
    /// Found in the box when it was opened for the count.
    InBox,
    /// Valid votes.
    Valid,
    /// Invalid votes.
    Invalid,
    /// One participant's or candidate's votes.
    Votes,
}

impl CountOf {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CountOf::Counted, Lang::Id) => "dihitung",
            (CountOf::Counted, Lang::En) => "counted",
            (CountOf::Used, Lang::Id) => "digunakan",
            (CountOf::Used, Lang::En) => "used",
            (CountOf::Unused, Lang::Id) => "tidak digunakan",
            (CountOf::Unused, Lang::En) => "unused",
            (CountOf::Damaged, Lang::Id) => "rusak/keliru coblos",
            (CountOf::Damaged, Lang::En) => "damaged or wrongly punched",
            (CountOf::InBox, Lang::Id) => "di dalam kotak",
            (CountOf::InBox, Lang::En) => "in the box",
            (CountOf::Valid, Lang::Id) => "suara sah",
            (CountOf::Valid, Lang::En) => "valid votes",
            (CountOf::Invalid, Lang::Id) => "suara tidak sah",
            (CountOf::Invalid, Lang::En) => "invalid votes",
            (CountOf::Votes, Lang::Id) => "suara satu peserta atau calon",
            (CountOf::Votes, Lang::En) => "one participant's or candidate's votes",
        }
    }
}

/// One thing that is not as it should be in the chair's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// A preparation item is not there.
    ItemMissing {
        /// The item, as the procedure names it.
        item: Bilingual,
    },
    /// Fewer of a box item than expected.
    ItemShort {
        /// The item, as the procedure names it.
        item: Bilingual,
        /// How many the procedure expects.
        expected: u16,
        /// How many the chair counted.
        counted: u16,
    },
    /// A ballot type's seal was found broken at the seal check.
    SealBroken {
        /// The ballot type, with its name.
        ballot: NamedBallot,
    },
    /// A ballot type's count before voting differs from what the package delivered.
    CountDiffers {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// What the package delivered.
        expected: u32,
        /// What was counted.
        counted: u32,
    },
    /// The ballots of a type are not for this TPS's electoral district (dapil).
    WrongDapil {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// This TPS's dapil, as the package gives it.
        dapil: String,
    },
    /// A ballot box's padlock was found broken when it was opened for the count.
    BoxLockBroken {
        /// The ballot type, with its name.
        ballot: NamedBallot,
    },
    /// A ballot box's padlock is not the one put on it after it was shown empty.
    BoxLockDiffers {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// The number written down when the box was locked.
        locked: String,
        /// The number found on the box.
        found: String,
    },
    /// The ballots in a box are not as many as the close-out's ballots used.
    BallotsInBox {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// Ballots found in the box.
        found: u32,
        /// Ballots used, from the close-out.
        used: u32,
    },
    /// The count and the close-out disagree (valid plus invalid is not the ballots used).
    Count {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// The difference with its numbers.
        text: Bilingual,
    },
}

/// A close-out figure that does not add up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// used + unused + damaged must equal delivered.
    Usage {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// Ballots used.
        used: u32,
        /// Ballots not used.
        unused: u32,
        /// Ballots damaged or wrongly punched.
        damaged: u32,
        /// Ballots the package delivered.
        delivered: u32,
    },
    /// Ballots used must equal the voters who received that type.
    UsedVsVoters {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// Ballots used.
        used: u32,
        /// Voters who received this type.
        voters: u32,
    },
    /// More DPTb voters received a type than DPTb voters came.
    DptbTooMany {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// DPTb voters who received it.
        given: u32,
        /// DPTb voters who came.
        dptb: u32,
    },
    /// Every DPTb voter receives this type.
    DptbAllReceive {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// DPTb voters who received it.
        given: u32,
        /// DPTb voters who came.
        dptb: u32,
    },
    /// More DPT voters came than are on the DPT.
    TurnoutOverDpt {
        /// Whether the women's figure fails (otherwise the men's).
        female: bool,
        /// DPT voters of that sex who came.
        came: u32,
        /// DPT voters of that sex registered.
        registered: u32,
    },
    /// More voters with disabilities than voters.
    DisabledOverTurnout {
        /// Voters with disabilities who voted.
        disabled: u32,
        /// Voters who voted.
        turnout: u32,
    },
}

/// Why the engine refused a command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The RTC cannot be trusted (battery failed, or behind the journal).
    ClockUntrusted {
        /// What the RTC's trust is.
        status: ClockStatus,
        /// What the RTC reads (unix ms).
        rtc_ms: i64,
        /// The newest trusted time in the journal (unix ms), if any.
        journal_ms: Option<i64>,
        /// Whether this refusal records a clock anomaly (the first time only).
        record_anomaly: bool,
    },
    /// The first person registered must be the KPPS chair.
    ChairFirst,
    /// Registering someone, or a chair action, needs the chair's PIN.
    ChairPinRequired,
    /// PINs are checked only on the device that holds the PIN key, never on a replayed journal.
    PinKeyUnavailable,
    /// A person number that nobody was registered under.
    UnknownPerson {
        /// The number given.
        person: PersonId,
    },
    /// The register is full: the kiosk keeps at most `people::MAX_PEOPLE` people.
    TooManyPeople,
    /// A person not present (a saksi outside the TPS) cannot confirm.
    PersonAbsent {
        /// The person's name.
        name: String,
    },
    /// A role held by one person only (the chair, the Pengawas TPS) already has someone.
    RoleTaken {
        /// The role, by name.
        role: Bilingual,
        /// Who holds it.
        by: String,
    },
    /// A role with a maximum (KPPS members, security officers) has it already.
    RoleFull {
        /// The role, by name.
        role: Bilingual,
        /// How many the procedure allows.
        max: u8,
    },
    /// A KPPS member number outside 1 to the procedure's number of members.
    UnknownKppsNumber {
        /// The number given.
        number: u8,
        /// The procedure's number of KPPS members.
        max: u8,
    },
    /// A saksi for a participant who is on none of this TPS's ballots.
    UnknownParticipant,
    /// The participant already has as many saksi registered as the procedure allows.
    TooManySaksi {
        /// The participant, by name.
        participant: String,
        /// How many saksi it may have.
        max: u8,
    },
    /// Another saksi of the same participant is inside; only one may be inside at a time.
    SaksiAlreadyInside {
        /// The participant, by name.
        participant: String,
        /// The saksi of theirs who is inside.
        other: String,
    },
    /// A text field that must be filled in is empty.
    MissingText {
        /// Which field.
        field: Field,
    },
    /// A seal number left empty; `place` says which seal.
    MissingSeal {
        /// Which seal.
        place: SealPlace,
    },
    /// The same seal number written for two seals (compared without spaces and case).
    SealTwice {
        /// The seal number.
        seal: String,
        /// Where it was written first, and again (boxed: the refusal stays small).
        places: Box<(SealPlace, SealPlace)>,
    },
    /// A ballot count above what the package delivered (its DPT plus the reserve): not a
    /// difference to explain but a figure that cannot be.
    ImpossibleCount {
        /// The ballot type, with its name.
        ballot: NamedBallot,
        /// Which count.
        what: CountOf,
        /// The figure entered.
        given: u32,
        /// What the package delivered of this type (DPT plus reserve).
        delivered: u32,
    },
    /// A text field is longer than the journal keeps (`max` characters).
    TextTooLong {
        /// Which field.
        field: Field,
        /// The most characters it keeps.
        max: usize,
    },
    /// A one-line field holds a control character (a line break, tab, escape...).
    ControlCharacter {
        /// Which field.
        field: Field,
    },
    /// A new PIN that the PIN policy refuses as too easy to guess.
    WeakPin(PinProblem),
    /// A PIN that does not match; the kiosk records the failure (`PinFailed`).
    WrongPin {
        /// Whose PIN.
        person: PersonId,
        /// Their name.
        name: String,
        /// Consecutive failures, this one included.
        failures: u16,
        /// When the next try is allowed, if a delay now applies.
        locked_until: Option<(i64, TimeZone)>,
    },
    /// Too many wrong PINs: the person's PIN is not tried again before `until_ms`.
    PinLocked {
        /// Whose PIN.
        name: String,
        /// Until when (unix ms).
        until_ms: i64,
        /// The zone to show that time in.
        zone: TimeZone,
    },
    /// Only saksi, the Pengawas TPS and the Panwaslu Kelurahan/Desa may raise a keberatan.
    CannotObject {
        /// Who tried.
        name: String,
    },
    /// A step id the election's procedure does not have.
    UnknownStep {
        /// The id asked for.
        id: String,
    },
    /// A step asked for before its turn in the procedure.
    OutOfOrder {
        /// The step whose turn it is.
        expected: Bilingual,
        /// The step asked for.
        requested: Bilingual,
    },
    /// A step that is already completed (a change to it is a correction).
    AlreadyDone {
        /// The step, by its title.
        step: Bilingual,
    },
    /// A correction of a step that has not been completed yet.
    NotCompleted {
        /// The step, by its title.
        step: Bilingual,
    },
    /// A correction of a step the procedure does not allow to be corrected.
    NotCorrectable {
        /// The step, by its title.
        step: Bilingual,
    },
    /// Entries of another kind than the step takes (a checklist for a count, say).
    WrongInput {
        /// The step, by its title.
        step: Bilingual,
    },
    /// Another step's entries await confirmation; that proposal is finished first.
    ProposalOpen {
        /// The step whose entries await confirmation.
        step: Bilingual,
    },
    /// A confirmation or completion while no entries await confirmation.
    NoOpenProposal,
    /// The person has already confirmed the open proposal.
    AlreadyConfirmed {
        /// Who confirmed.
        name: String,
    },
    /// The person's confirmation would not count for the step: its quorum (procedure data)
    /// names who confirms it, and their role is not among them (a saksi on the oath, a KPPS
    /// member on a witnessed step).
    ConfirmationDoesNotCount {
        /// Who tried to confirm.
        name: String,
        /// Their role's name. Boxed: the refusal stays small enough to return by value.
        role: Box<Bilingual>,
        /// The step's title.
        step: Bilingual,
    },
    /// Before the regulated time the procedure data sets for it (`from`, local time).
    TooEarly {
        /// What is too early (a step, the DPK announcement...).
        what: Bilingual,
        /// The local time it is allowed from.
        from: LocalTime,
        /// The TPS's time zone.
        zone: TimeZone,
    },
    /// After the regulated time the procedure data sets for it (`until`, local time).
    TooLate {
        /// What is too late.
        what: Bilingual,
        /// The local time it was allowed until.
        until: LocalTime,
        /// The TPS's time zone.
        zone: TimeZone,
    },
    /// The step's witnesses have not all responded, or its minimum is not there.
    MissingWitnesses {
        /// People present who have neither confirmed, objected nor been recorded as declining,
        /// by name; they are never waived.
        pending: Vec<String>,
        /// The Pengawas TPS is needed and not there.
        pengawas: bool,
        /// Saksi of how many more participants are needed.
        saksi_participants: u8,
        /// How many more witnesses of any kind are needed.
        witnesses: u8,
        /// Registered witnesses who are outside, by name.
        absent: Vec<String>,
        /// Until when the step waits for absent witnesses (the 30-minute rule), if nobody
        /// present is pending and the wait has not passed.
        wait_until: Option<(LocalTime, TimeZone)>,
        /// Nobody present is pending and the wait is over: the chair may go on without the
        /// absent witnesses, recorded as a kejadian khusus.
        may_proceed: bool,
    },
    /// Every item must be answered (preparation, box inventory, seals, counts, boxes).
    Incomplete {
        /// The items not answered.
        missing: Vec<Bilingual>,
    },
    /// An equipment item the procedure does not list for this step and these ballot types.
    UnknownItem {
        /// The item id given.
        id: String,
    },
    /// Something is short, missing, broken or different: record what was done first.
    ExceptionRequired {
        /// Each difference found.
        differences: Vec<Difference>,
    },
    /// The entries must cover exactly this TPS's ballot types, once each (named as the
    /// procedure names them, never by code).
    BallotTypesMismatch {
        /// The ballot types of this TPS.
        expected: Vec<Bilingual>,
    },
    /// Explanation topics the procedure requires that were not ticked as explained.
    Unexplained {
        /// The topics not ticked.
        topics: Vec<Bilingual>,
    },
    /// The close-out figures do not add up; each mismatch says which sum fails.
    DoesNotReconcile {
        /// Each sum that fails.
        mismatches: Vec<Mismatch>,
    },
    /// Entries for one ballot type given to a step about another.
    WrongBallot {
        /// The step, with its ballot type in its title.
        step: Bilingual,
        /// The ballot type the step is about.
        expected: NamedBallot,
    },
    /// A count whose own figures do not hold (a sum on the form, a participant or candidate
    /// not on the ballot, twice or left out): an error in the entries, never accepted as a
    /// kejadian khusus.
    CountDoesNotAddUp {
        /// The ballot type counted.
        ballot: NamedBallot,
        /// Each problem, with its numbers.
        problems: Vec<Bilingual>,
    },
    /// The DPK announcement outside voting time.
    NotDuringVoting,
    /// A break is announced during the count only.
    NotCounting,
    /// A break of no minutes, or longer than the kiosk records in one announcement.
    BreakLength {
        /// The longest, in minutes.
        max: u16,
    },
    /// The DPK announcement is made once a day.
    DpkAlreadyAnnounced,
    /// A step that needs the DPK announcement (closing the polls) before it was made.
    DpkNotAnnounced,
    /// Declaring voting over while the polls are not closed with a queue waiting.
    NotClosing,
    /// The close-out before the voters still queuing at closing have voted.
    VotingNotEnded {
        /// How many voters were queuing when the polls closed.
        queued: u16,
    },
    /// Every step is done: nothing more can be proposed.
    DayFinished,
    /// Only a saksi or the Pengawas TPS present can be recorded as declining to respond.
    NotAWitness {
        /// Who was named.
        name: String,
    },
    /// The person has already confirmed, objected or been recorded as declining.
    AlreadyResponded {
        /// Who was named.
        name: String,
    },
    /// "Declined to respond" is confirmed by the Pengawas TPS present with their PIN.
    DeclineNeedsPengawas,
    /// When the Pengawas TPS declines (or is not there), two other witnesses present confirm.
    DeclineNeedsTwoWitnesses,
    /// This person, with this mandate number, is already a saksi (for one participant only).
    SaksiTwice {
        /// The saksi's name.
        name: String,
        /// The role they hold.
        role: Bilingual,
    },
    /// No keberatan was recorded under this number.
    UnknownObjection {
        /// The record number given.
        seq: u64,
    },
    /// The keberatan already has its outcome.
    ObjectionResolved {
        /// The keberatan's record number.
        seq: u64,
    },
    /// "Explained" and "not accepted" are confirmed by the objector with their PIN.
    ObjectorMustConfirm {
        /// The objector.
        name: String,
    },
    /// "Not accepted" records the advice of the Pengawas TPS present, with their PIN.
    AdviceNeedsPengawas,
    /// "Accepted" names a completed correction made after the keberatan.
    NotACorrection {
        /// The record number given.
        seq: u64,
    },
    /// The close-out waits until every keberatan has its outcome.
    ObjectionsUnresolved {
        /// "who: reason" of each.
        objections: Vec<String>,
    },
    /// No kejadian khusus and no keberatan: the chair confirms NIHIL first.
    NihilNotConfirmed,
    /// NIHIL is only for a day without kejadian khusus or keberatan, once.
    NotNihil {
        /// Kejadian khusus recorded today.
        incidents: usize,
        /// Keberatan recorded today.
        objections: usize,
    },
    /// Setting the clock was refused ([`super::clock`]).
    Clock(super::clock_refusal::ClockRefusal),
}

fn hhmm(t: LocalTime, zone: TimeZone) -> String {
    format!("{t} {zone}")
}

impl Difference {
    /// The difference in one sentence, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let name = match self {
            Difference::SealBroken { ballot }
            | Difference::CountDiffers { ballot, .. }
            | Difference::WrongDapil { ballot, .. }
            | Difference::BoxLockBroken { ballot }
            | Difference::BoxLockDiffers { ballot, .. }
            | Difference::BallotsInBox { ballot, .. }
            | Difference::Count { ballot, .. } => ballot.name.get(lang),
            Difference::ItemMissing { .. } | Difference::ItemShort { .. } => "",
        };
        match (self, lang) {
            (Difference::ItemMissing { item }, Lang::Id) => format!("{} tidak ada", item.id),
            (Difference::ItemMissing { item }, Lang::En) => format!("{} missing", item.en),
            (
                Difference::ItemShort {
                    item,
                    expected,
                    counted,
                },
                Lang::Id,
            ) => format!("{}: ada {counted}, seharusnya {expected}", item.id),
            (
                Difference::ItemShort {
                    item,
                    expected,
                    counted,
                },
                Lang::En,
            ) => format!("{}: {counted} counted, {expected} expected", item.en),
            (Difference::SealBroken { ballot: _ }, Lang::Id) => {
                format!("segel sampul surat suara {name} rusak")
            }
            (Difference::SealBroken { ballot: _ }, Lang::En) => {
                format!("{name} ballots: envelope seal broken")
            }
            (
                Difference::CountDiffers {
                    ballot: _,
                    expected,
                    counted,
                },
                Lang::Id,
            ) => format!(
                "surat suara {name}: dihitung {counted}, seharusnya {expected} (selisih {:+})",
                i64::from(*counted) - i64::from(*expected)
            ),
            (
                Difference::CountDiffers {
                    ballot: _,
                    expected,
                    counted,
                },
                Lang::En,
            ) => format!(
                "{name} ballots: {counted} counted, {expected} expected (difference {:+})",
                i64::from(*counted) - i64::from(*expected)
            ),
            (Difference::WrongDapil { ballot: _, dapil }, Lang::Id) => {
                format!("surat suara {name} bukan untuk dapil {dapil}")
            }
            (Difference::WrongDapil { ballot: _, dapil }, Lang::En) => {
                format!("{name} ballots are not for dapil {dapil}")
            }
            (Difference::BoxLockBroken { .. }, Lang::Id) => {
                format!("gembok kotak suara {name} rusak")
            }
            (Difference::BoxLockBroken { .. }, Lang::En) => {
                format!("{name} ballot box: padlock broken")
            }
            (Difference::BoxLockDiffers { locked, found, .. }, Lang::Id) => format!(
                "gembok kotak suara {name} bernomor {found}, padahal yang dipasang {locked}"
            ),
            (Difference::BoxLockDiffers { locked, found, .. }, Lang::En) => {
                format!("{name} ballot box: padlock {found} found, {locked} was put on it")
            }
            (Difference::BallotsInBox { found, used, .. }, Lang::Id) => format!(
                "kotak suara {name} berisi {found} surat suara, yang digunakan {used} (selisih {:+})",
                i64::from(*found) - i64::from(*used)
            ),
            (Difference::BallotsInBox { found, used, .. }, Lang::En) => format!(
                "{name} ballot box holds {found} ballots, {used} were used (difference {:+})",
                i64::from(*found) - i64::from(*used)
            ),
            (Difference::Count { text, .. }, _) => text.get(lang).to_string(),
        }
    }
}

impl Mismatch {
    /// The mismatch in one sentence, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let name = match self {
            Mismatch::Usage { ballot, .. }
            | Mismatch::UsedVsVoters { ballot, .. }
            | Mismatch::DptbTooMany { ballot, .. }
            | Mismatch::DptbAllReceive { ballot, .. } => ballot.name.get(lang),
            Mismatch::TurnoutOverDpt { .. } | Mismatch::DisabledOverTurnout { .. } => "",
        };
        use Mismatch as M;
        match (self, lang) {
            (
                M::Usage {
                    ballot: _,
                    used,
                    unused,
                    damaged,
                    delivered,
                },
                Lang::Id,
            ) => format!(
                "surat suara {name}: digunakan {used} + tidak digunakan {unused} + rusak atau keliru coblos {damaged} = {}, bukan {delivered} yang diterima",
                u64::from(*used) + u64::from(*unused) + u64::from(*damaged)
            ),
            (
                M::Usage {
                    ballot: _,
                    used,
                    unused,
                    damaged,
                    delivered,
                },
                Lang::En,
            ) => format!(
                "{name} ballots: used {used} + unused {unused} + damaged or wrongly punched {damaged} = {}, not the {delivered} received",
                u64::from(*used) + u64::from(*unused) + u64::from(*damaged)
            ),
            (
                M::UsedVsVoters {
                    ballot: _,
                    used,
                    voters,
                },
                Lang::Id,
            ) => format!(
                "surat suara {name}: digunakan {used}, tetapi pemilih yang menerimanya {voters}"
            ),
            (
                M::UsedVsVoters {
                    ballot: _,
                    used,
                    voters,
                },
                Lang::En,
            ) => format!("{name} ballots: {used} used, but {voters} voters received it"),
            (
                M::DptbTooMany {
                    ballot: _,
                    given,
                    dptb,
                },
                Lang::Id,
            ) => format!(
                "surat suara {name}: {given} pemilih DPTb menerima, padahal hanya {dptb} pemilih DPTb hadir"
            ),
            (
                M::DptbTooMany {
                    ballot: _,
                    given,
                    dptb,
                },
                Lang::En,
            ) => format!(
                "{name} ballots: {given} DPTb voters received it, but only {dptb} DPTb voters came"
            ),
            (
                M::DptbAllReceive {
                    ballot: _,
                    given,
                    dptb,
                },
                Lang::Id,
            ) => format!(
                "surat suara {name}: semua {dptb} pemilih DPTb menerima jenis ini, bukan {given}"
            ),
            (
                M::DptbAllReceive {
                    ballot: _,
                    given,
                    dptb,
                },
                Lang::En,
            ) => format!("{name} ballots: all {dptb} DPTb voters receive this type, not {given}"),
            (
                M::TurnoutOverDpt {
                    female,
                    came,
                    registered,
                },
                Lang::Id,
            ) => format!(
                "pemilih DPT {} yang hadir ({came}) lebih dari yang terdaftar ({registered})",
                if *female { "perempuan" } else { "laki-laki" }
            ),
            (
                M::TurnoutOverDpt {
                    female,
                    came,
                    registered,
                },
                Lang::En,
            ) => format!(
                "{} DPT voters who came ({came}) exceed those registered ({registered})",
                if *female { "female" } else { "male" }
            ),
            (M::DisabledOverTurnout { disabled, turnout }, Lang::Id) => {
                format!("pemilih disabilitas ({disabled}) lebih dari jumlah pemilih ({turnout})")
            }
            (M::DisabledOverTurnout { disabled, turnout }, Lang::En) => {
                format!("voters with disabilities ({disabled}) exceed all voters ({turnout})")
            }
        }
    }
}

impl Refusal {
    /// A short, stable name of the kind of refusal (scenario files and logs use it).
    pub fn kind(&self) -> &'static str {
        use Refusal as R;
        match self {
            R::ClockUntrusted { .. } => "clock-untrusted",
            R::ChairFirst => "chair-first",
            R::ChairPinRequired => "chair-pin-required",
            R::PinKeyUnavailable => "pin-key-unavailable",
            R::UnknownPerson { .. } => "unknown-person",
            R::TooManyPeople => "too-many-people",
            R::PersonAbsent { .. } => "person-absent",
            R::RoleTaken { .. } => "role-taken",
            R::RoleFull { .. } => "role-full",
            R::UnknownKppsNumber { .. } => "unknown-kpps-number",
            R::UnknownParticipant => "unknown-participant",
            R::TooManySaksi { .. } => "too-many-saksi",
            R::SaksiAlreadyInside { .. } => "saksi-already-inside",
            R::MissingText { .. } => "missing-text",
            R::MissingSeal { .. } => "missing-seal",
            R::SealTwice { .. } => "seal-twice",
            R::ImpossibleCount { .. } => "impossible-count",
            R::TextTooLong { .. } => "text-too-long",
            R::ControlCharacter { .. } => "control-character",
            R::WeakPin(_) => "weak-pin",
            R::WrongPin { .. } => "wrong-pin",
            R::PinLocked { .. } => "pin-locked",
            R::CannotObject { .. } => "cannot-object",
            R::UnknownStep { .. } => "unknown-step",
            R::OutOfOrder { .. } => "out-of-order",
            R::AlreadyDone { .. } => "already-done",
            R::NotCompleted { .. } => "not-completed",
            R::NotCorrectable { .. } => "not-correctable",
            R::WrongInput { .. } => "wrong-input",
            R::ProposalOpen { .. } => "proposal-open",
            R::NoOpenProposal => "no-open-proposal",
            R::AlreadyConfirmed { .. } => "already-confirmed",
            R::ConfirmationDoesNotCount { .. } => "confirmation-does-not-count",
            R::TooEarly { .. } => "too-early",
            R::TooLate { .. } => "too-late",
            R::MissingWitnesses { .. } => "missing-witnesses",
            R::Incomplete { .. } => "incomplete",
            R::UnknownItem { .. } => "unknown-item",
            R::ExceptionRequired { .. } => "exception-required",
            R::BallotTypesMismatch { .. } => "ballot-types-mismatch",
            R::Unexplained { .. } => "unexplained",
            R::DoesNotReconcile { .. } => "does-not-reconcile",
            R::WrongBallot { .. } => "wrong-ballot",
            R::CountDoesNotAddUp { .. } => "count-does-not-add-up",
            R::NotDuringVoting => "not-during-voting",
            R::NotCounting => "not-counting",
            R::BreakLength { .. } => "break-length",
            R::DpkAlreadyAnnounced => "dpk-already-announced",
            R::DpkNotAnnounced => "dpk-not-announced",
            R::NotClosing => "not-closing",
            R::VotingNotEnded { .. } => "voting-not-ended",
            R::DayFinished => "day-finished",
            R::NotAWitness { .. } => "not-a-witness",
            R::AlreadyResponded { .. } => "already-responded",
            R::DeclineNeedsPengawas => "decline-needs-pengawas",
            R::DeclineNeedsTwoWitnesses => "decline-needs-two-witnesses",
            R::SaksiTwice { .. } => "saksi-twice",
            R::UnknownObjection { .. } => "unknown-objection",
            R::ObjectionResolved { .. } => "objection-resolved",
            R::ObjectorMustConfirm { .. } => "objector-must-confirm",
            R::AdviceNeedsPengawas => "advice-needs-pengawas",
            R::NotACorrection { .. } => "not-a-correction",
            R::ObjectionsUnresolved { .. } => "objections-unresolved",
            R::NihilNotConfirmed => "nihil-not-confirmed",
            R::NotNihil { .. } => "not-nihil",
            R::Clock(c) => c.kind(),
        }
    }

    /// The record the kiosk makes of this refusal, if it makes one (a wrong PIN, a clock
    /// anomaly). The caller appends it like any other record.
    pub fn journal_entry(&self) -> Option<RecordBody> {
        match self {
            Refusal::WrongPin {
                person, failures, ..
            } => Some(RecordBody::PinFailed {
                person: *person,
                failures: *failures,
            }),
            Refusal::ClockUntrusted {
                rtc_ms,
                journal_ms,
                record_anomaly: true,
                ..
            } => Some(RecordBody::ClockAnomaly {
                rtc_ms: *rtc_ms,
                journal_ms: journal_ms.unwrap_or(*rtc_ms),
            }),
            _ => None,
        }
    }

    /// The sentence the screen shows.
    pub fn message(&self, lang: Lang) -> String {
        use Refusal as R;
        let id = lang == Lang::Id;
        match self {
            R::ClockUntrusted { status, .. } => match (status, id) {
                (ClockStatus::OscillatorStopped, true) => "Jam perangkat tidak dapat dipercaya (baterai jam pernah habis). Panggil teknisi untuk menyetel jam.".into(),
                (ClockStatus::OscillatorStopped, false) => "The device clock cannot be trusted (its battery ran out). Call a technician to set the clock.".into(),
                (ClockStatus::Moved, true) => "Jam perangkat diubah di luar kiosk. Tidak ada langkah yang dapat dilakukan sampai teknisi menyetel jam dengan disaksikan Ketua KPPS dan Pengawas TPS.".into(),
                (ClockStatus::Moved, false) => "The device clock was changed outside the kiosk. No step can be taken until a technician sets it, witnessed by the KPPS chair and the Pengawas TPS.".into(),
                (_, true) => "Jam perangkat mundur dari catatan terakhir. Tidak ada langkah yang dapat dilakukan; panggil teknisi.".into(),
                (_, false) => "The device clock is behind the last record. No step can be taken; call a technician.".into(),
            },
            R::ChairFirst => if id { "Daftarkan Ketua KPPS terlebih dahulu." } else { "Register the KPPS chair first." }.into(),
            R::ChairPinRequired => if id { "Perlu PIN Ketua KPPS." } else { "The KPPS chair's PIN is needed." }.into(),
            R::PinKeyUnavailable => if id { "PIN hanya dapat diperiksa oleh kios TPS itu sendiri." } else { "PINs can only be checked by the TPS's own kiosk." }.into(),
            R::UnknownPerson { person } => if id { format!("Orang {person} tidak terdaftar.") } else { format!("Person {person} is not registered.") },
            R::TooManyPeople => if id { "Jumlah orang terdaftar sudah maksimum." } else { "The maximum number of registered people is reached." }.into(),
            R::PersonAbsent { name } => if id { format!("{name} tidak sedang berada di dalam TPS.") } else { format!("{name} is not inside the TPS.") },
            R::RoleTaken { role, by } => if id { format!("{} sudah terdaftar: {by}.", role.id) } else { format!("{} is already registered: {by}.", role.en) },
            R::RoleFull { role, max } => if id { format!("{} paling banyak {max} orang.", role.id) } else { format!("At most {max} {}.", role.en) },
            R::UnknownKppsNumber { number, max } => if id { format!("KPPS {number} tidak ada; nomor 1 sampai {max}.") } else { format!("There is no KPPS {number}; numbers run 1 to {max}.") },
            R::UnknownParticipant => if id { "Peserta tersebut tidak ada di surat suara TPS ini." } else { "That participant is not on this TPS's ballots." }.into(),
            R::TooManySaksi { participant, max } => if id { format!("{participant} sudah punya {max} saksi (maksimum).") } else { format!("{participant} already has {max} saksi (the maximum).") },
            R::SaksiAlreadyInside { participant, other } => if id { format!("Saksi {participant} yang lain ({other}) sedang di dalam TPS; hanya 1 yang boleh masuk.") } else { format!("Another saksi of {participant} ({other}) is inside; only 1 may be inside.") },
            R::MissingText { field } => if id { format!("{} wajib diisi.", field.label(lang)) } else { format!("{} is required.", field.label(lang)) },
            R::MissingSeal { place } => if id { format!("Nomor {} wajib diisi.", place.label(lang)) } else { format!("The number of the {} is required.", place.label(lang)) },
            R::SealTwice { seal, places } => if id { format!("Nomor segel {seal} tertulis dua kali: {} dan {}. Satu segel hanya dipakai sekali; periksa nomornya.", places.0.label(lang), places.1.label(lang)) } else { format!("Seal number {seal} is written twice: {} and {}. A seal is used once only; check the numbers.", places.0.label(lang), places.1.label(lang)) },
            R::ImpossibleCount { ballot, what, given, delivered } => if id { format!("Surat suara {} {}: {given}, padahal yang diterima hanya {delivered} (DPT ditambah cadangan). Angka itu tidak mungkin; periksa dan hitung ulang.", ballot.name.id, what.label(lang)) } else { format!("{} ballots {}: {given}, but only {delivered} were delivered (the DPT plus the reserve). That number is impossible; check and count again.", ballot.name.en, what.label(lang)) },
            R::TextTooLong { field, max } => if id { format!("{} terlalu panjang (maksimum {max} huruf).", field.label(lang)) } else { format!("{} is too long (at most {max} characters).", field.label(lang)) },
            R::ControlCharacter { field } => if id { format!("{} berisi tanda yang tidak boleh (pindah baris, tab atau tanda kendali); ketik ulang dalam satu baris.", field.label(lang)) } else { format!("{} holds a character that is not allowed (line break, tab or control character); type it again on one line.", field.label(lang)) },
            R::WeakPin(p) => match (p, id) {
                (PinProblem::NotSixDigits, true) => "PIN harus 6 angka.".into(),
                (PinProblem::NotSixDigits, false) => "The PIN must be 6 digits.".into(),
                (PinProblem::TooFewDistinctDigits { min }, true) => format!("PIN terlalu mudah: pakai paling sedikit {min} angka berbeda."),
                (PinProblem::TooFewDistinctDigits { min }, false) => format!("PIN too easy: use at least {min} different digits."),
                (PinProblem::RepeatedRun, true) => "PIN terlalu mudah: jangan 4 angka sama berturut-turut.".into(),
                (PinProblem::RepeatedRun, false) => "PIN too easy: no 4 equal digits in a row.".into(),
                (PinProblem::SequentialRun, true) => "PIN terlalu mudah: jangan 4 angka berurutan (1234).".into(),
                (PinProblem::SequentialRun, false) => "PIN too easy: no 4 consecutive digits (1234).".into(),
            },
            R::WrongPin { name, failures, locked_until, .. } => match (locked_until, id) {
                (None, true) => format!("PIN {name} salah ({failures}x)."),
                (None, false) => format!("Wrong PIN for {name} ({failures} times)."),
                (Some((ms, zone)), true) => format!("PIN {name} salah ({failures}x). Coba lagi setelah {}.", format_clock(*ms, *zone)),
                (Some((ms, zone)), false) => format!("Wrong PIN for {name} ({failures} times). Try again after {}.", format_clock(*ms, *zone)),
            },
            R::PinLocked { name, until_ms, zone } => if id { format!("PIN {name} terkunci sampai {}.", format_clock(*until_ms, *zone)) } else { format!("{name}'s PIN is locked until {}.", format_clock(*until_ms, *zone)) },
            R::CannotObject { name } => if id { format!("{name} tidak dapat mengajukan keberatan di sini; hanya saksi, Pengawas TPS dan Panwaslu Kelurahan/Desa.") } else { format!("{name} cannot object here; only saksi, the Pengawas TPS and the Panwaslu Kelurahan/Desa can.") },
            R::UnknownStep { id: step } => if id { format!("Langkah '{step}' tidak ada.") } else { format!("There is no step '{step}'.") },
            R::OutOfOrder { expected, requested } => if id { format!("Belum waktunya '{}'. Langkah sekarang: {}.", requested.id, expected.id) } else { format!("Not yet time for '{}'. The current step is: {}.", requested.en, expected.en) },
            R::AlreadyDone { step } => if id { format!("'{}' sudah selesai.", step.id) } else { format!("'{}' is already done.", step.en) },
            R::NotCompleted { step } => if id { format!("'{}' belum selesai, jadi belum dapat dikoreksi.", step.id) } else { format!("'{}' is not done yet, so it cannot be corrected.", step.en) },
            R::NotCorrectable { step } => if id { format!("'{}' tidak dapat dikoreksi.", step.id) } else { format!("'{}' cannot be corrected.", step.en) },
            R::WrongInput { step } => if id { format!("Isian tidak sesuai untuk '{}'.", step.id) } else { format!("These entries do not fit '{}'.", step.en) },
            R::ProposalOpen { step } => if id { format!("Selesaikan dulu '{}'.", step.id) } else { format!("Finish '{}' first.", step.en) },
            R::NoOpenProposal => if id { "Belum ada isian yang diajukan untuk dikonfirmasi." } else { "Nothing has been submitted for confirmation yet." }.into(),
            R::AlreadyConfirmed { name } => if id { format!("{name} sudah mengonfirmasi.") } else { format!("{name} has already confirmed.") },
            R::ConfirmationDoesNotCount { name, role, step } => if id { format!("Konfirmasi {name} ({}) tidak dihitung untuk '{}': langkah ini dikonfirmasi oleh peran lain.", role.id, step.id) } else { format!("{name}'s confirmation ({}) does not count for '{}': other roles confirm this step.", role.en, step.en) },
            R::TooEarly { what, from, zone } => if id { format!("'{}' baru boleh mulai pukul {}.", what.id, hhmm(*from, *zone)) } else { format!("'{}' is allowed from {}.", what.en, hhmm(*from, *zone)) },
            R::TooLate { what, until, zone } => if id { format!("'{}' hanya boleh sampai pukul {}.", what.id, hhmm(*until, *zone)) } else { format!("'{}' is only allowed until {}.", what.en, hhmm(*until, *zone)) },
            R::MissingWitnesses { pending, pengawas, saksi_participants, witnesses, absent, wait_until, may_proceed } => {
                if !pending.is_empty() {
                    let who = list(pending, lang);
                    return if id { format!("Belum menanggapi: {who}. Yang hadir mengonfirmasi dengan PIN atau mengajukan keberatan; langkah ini tidak dapat dilanjutkan tanpa tanggapan mereka.") } else { format!("Not yet responded: {who}. Those present confirm with their PIN or raise an objection; this step cannot go on without their response.") };
                }
                let who = who_is_missing(*pengawas, *saksi_participants, *witnesses, absent, lang);
                match (wait_until, may_proceed, id) {
                    (_, true, true) => format!("Tidak hadir: {who}. Sudah 30 menit sejak rapat dibuka: Ketua boleh melanjutkan tanpa mereka; ketidakhadiran dicatat sebagai kejadian khusus."),
                    (_, true, false) => format!("Absent: {who}. 30 minutes have passed since the meeting opened: the chair may go on without them; the absence is recorded as a special incident."),
                    (Some((t, z)), false, true) => format!("Tidak hadir: {who}. Tunggu paling lama sampai pukul {}.", hhmm(*t, *z)),
                    (Some((t, z)), false, false) => format!("Absent: {who}. Wait until {} at most.", hhmm(*t, *z)),
                    (None, false, true) => format!("Menunggu konfirmasi: {who}."),
                    (None, false, false) => format!("Waiting for confirmation: {who}."),
                }
            }
            R::Incomplete { missing } => {
                let names: Vec<String> = missing.iter().map(|m| m.get(lang).to_string()).collect();
                if id { format!("Belum diisi: {}.", list(&names, lang)) } else { format!("Not filled in: {}.", list(&names, lang)) }
            }
            R::UnknownItem { id: item } => if id { format!("Isian '{item}' tidak dikenal.") } else { format!("Unknown entry '{item}'.") },
            R::ExceptionRequired { differences } => {
                let d: Vec<String> = differences.iter().map(|d| d.message(lang)).collect();
                if id { format!("{}. Hubungi PPS dan tuliskan tindakan yang dilakukan (kejadian khusus).", list(&d, lang)) } else { format!("{}. Call PPS and write down the action taken (special incident).", list(&d, lang)) }
            }
            R::BallotTypesMismatch { expected } => {
                let e: Vec<String> = expected.iter().map(|b| b.get(lang).to_string()).collect();
                if id { format!("Isi sekali untuk setiap jenis surat suara: {}.", list(&e, lang)) } else { format!("Fill in each ballot type once: {}.", list(&e, lang)) }
            }
            R::Unexplained { topics } => {
                let t: Vec<String> = topics.iter().map(|t| t.get(lang).to_string()).collect();
                if id { format!("Belum dijelaskan: {}.", list(&t, lang)) } else { format!("Not yet explained: {}.", list(&t, lang)) }
            }
            R::DoesNotReconcile { mismatches } => {
                let m: Vec<String> = mismatches.iter().map(|m| m.message(lang)).collect();
                if id { format!("Angka tidak cocok: {}.", m.join("; ")) } else { format!("The numbers do not add up: {}.", m.join("; ")) }
            }
            R::WrongBallot { step, expected } => if id { format!("Langkah {} hanya untuk surat suara {}.", step.id, expected.name.id) } else { format!("The step {} is for the {} ballot only.", step.en, expected.name.en) },
            R::CountDoesNotAddUp { ballot, problems } => {
                let p: Vec<&str> = problems.iter().map(|p| p.get(lang)).collect();
                if id { format!("Hasil penghitungan {} tidak cocok dengan dirinya sendiri: {}. Periksa angka di C.Hasil plano dan perbaiki isiannya.", ballot.name.id, p.join("; ")) } else { format!("The {} count does not hold together: {}. Check the figures on the C.Hasil plano and correct the entries.", ballot.name.en, p.join("; ")) }
            }
            R::NotCounting => if id { "Istirahat diumumkan selama penghitungan suara, setelah langkah penggunaan surat suara dan kehadiran pemilih." } else { "A break is announced during the count, after the ballot and attendance close-out." }.into(),
            R::BreakLength { max } => if id { format!("Lama istirahat 1 sampai {max} menit; istirahat yang lebih lama diumumkan lagi.") } else { format!("A break lasts 1 to {max} minutes; a longer one is announced again.") },
            R::NotDuringVoting => if id { "Hanya saat pemungutan suara berlangsung." } else { "Only while voting is under way." }.into(),
            R::DpkAlreadyAnnounced => if id { "Pengumuman DPK sudah dilakukan." } else { "The DPK announcement was already made." }.into(),
            R::DpkNotAnnounced => if id { "Umumkan dulu kesempatan memilih bagi pemilih DPK (satu jam sebelum penutupan)." } else { "First announce that DPK voters may vote (one hour before closing)." }.into(),
            R::NotClosing => if id { "Pemungutan suara belum ditutup." } else { "The polls are not closed yet." }.into(),
            R::VotingNotEnded { queued } => if id { format!("Masih ada {queued} pemilih dalam antrean; nyatakan pemungutan selesai setelah mereka memilih.") } else { format!("{queued} voters were still queuing; declare voting over once they have voted.") },
            R::DayFinished => if id { "Semua langkah hari ini sudah selesai." } else { "Every step of the day is done." }.into(),
            R::NotAWitness { name } => if id { format!("{name} bukan saksi atau Pengawas TPS yang hadir.") } else { format!("{name} is not a saksi or the Pengawas TPS present.") },
            R::AlreadyResponded { name } => if id { format!("{name} sudah menanggapi (konfirmasi, keberatan, atau tidak bersedia).") } else { format!("{name} has already responded (confirmed, objected, or declined).") },
            R::DeclineNeedsPengawas => if id { "Pengawas TPS yang hadir mengonfirmasi catatan ini dengan PIN-nya." } else { "The Pengawas TPS present confirms this record with their PIN." }.into(),
            R::SaksiTwice { name, role } => if id { format!("{name} sudah terdaftar dengan surat mandat ini sebagai {}; satu saksi hanya untuk satu peserta.", role.id) } else { format!("{name} is already registered with this mandate letter as {}; a saksi serves one participant only.", role.en) },
            R::UnknownObjection { seq } => if id { format!("Tidak ada keberatan pada catatan {seq}.") } else { format!("No objection was recorded as record {seq}.") },
            R::ObjectionResolved { seq } => if id { format!("Keberatan pada catatan {seq} sudah diselesaikan.") } else { format!("The objection in record {seq} already has its outcome.") },
            R::ObjectorMustConfirm { name } => if id { format!("{name} mengonfirmasi penyelesaian keberatannya dengan PIN.") } else { format!("{name} confirms the outcome of their objection with their PIN.") },
            R::AdviceNeedsPengawas => if id { "Saran perbaikan dicatat dari Pengawas TPS yang hadir, dengan PIN-nya." } else { "The advice is recorded from the Pengawas TPS present, with their PIN." }.into(),
            R::NotACorrection { seq } => if id { format!("Catatan {seq} bukan koreksi yang sudah selesai setelah keberatan ini.") } else { format!("Record {seq} is not a correction completed after this objection.") },
            R::ObjectionsUnresolved { objections } => if id { format!("Keberatan belum diselesaikan: {}. Catat hasilnya dulu (dijelaskan, diterima dan dibetulkan, atau tidak diterima dengan saran Pengawas TPS).", objections.join("; ")) } else { format!("Objections without an outcome: {}. Record each outcome first (explained, accepted and corrected, or not accepted with the Pengawas TPS's advice).", objections.join("; ")) },
            R::NihilNotConfirmed => if id { "Tidak ada kejadian khusus dan keberatan: Ketua KPPS mengonfirmasi NIHIL dengan PIN dulu." } else { "No special incident and no objection: the chair first confirms NIHIL with their PIN." }.into(),
            R::NotNihil { incidents, objections } => if id { format!("Bukan NIHIL: {incidents} kejadian khusus dan {objections} keberatan tercatat (atau NIHIL sudah dikonfirmasi).") } else { format!("Not NIHIL: {incidents} special incidents and {objections} objections are recorded (or NIHIL is already confirmed).") },
            R::DeclineNeedsTwoWitnesses => if id { "Dua saksi lain yang hadir mengonfirmasi catatan ini dengan PIN-nya." } else { "Two other witnesses present confirm this record with their PINs." }.into(),
            R::Clock(c) => c.message(lang),
        }
    }
}
