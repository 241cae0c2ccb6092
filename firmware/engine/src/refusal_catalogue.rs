//! One catalogue of refusal kinds (issue 14): `Refusal` is the catalogue; its `kind`, its
//! `message` and its `journal_entry` are written per variant, and this test fails when they
//! disagree: every variant (and every kind of clock refusal and weak PIN) has a sample, a
//! distinct kebab-case kind, a sentence in both languages that shows no Rust formatting, and
//! the record it makes, if any, survives the journal's frame. The refusal kinds the scenario
//! files expect (`refused:KIND`) and their README names are kinds that exist.
//!
//! Adding a variant without an arm in [`index`] does not compile; without a sample, it fails.

use std::collections::{BTreeMap, BTreeSet};

use ed25519_dalek::SigningKey;

use super::clock::ClockRefusal;
use super::refusal::{
    CountOf, Difference, Envelope, Field, Mismatch, NamedBallot, Refusal, SealPlace,
};
use tps_base::election::BallotType;
use tps_base::text::{Bilingual, Lang};
use tps_base::time::{ClockStatus, LocalTime, Stamp, TimeZone};
use tps_domain::event::RecordBody;
use tps_domain::people::PersonId;
use tps_domain::pin::PinProblem;
use tps_journal::record::{Record, SignedRecord, decode_frame};

/// The variant's place in the catalogue, so that a new variant does not compile until someone
/// gives it a sample below.
fn index(r: &Refusal) -> usize {
    use Refusal as R;
    match r {
        R::ClockUntrusted { .. } => 0,
        R::ChairFirst => 1,
        R::ChairPinRequired => 2,
        R::PinKeyUnavailable => 3,
        R::UnknownPerson { .. } => 4,
        R::TooManyPeople => 5,
        R::PersonAbsent { .. } => 6,
        R::RoleTaken { .. } => 7,
        R::RoleFull { .. } => 8,
        R::UnknownKppsNumber { .. } => 9,
        R::UnknownParticipant => 10,
        R::TooManySaksi { .. } => 11,
        R::SaksiAlreadyInside { .. } => 12,
        R::MissingText { .. } => 13,
        R::TextTooLong { .. } => 14,
        R::WeakPin(_) => 15,
        R::WrongPin { .. } => 16,
        R::PinLocked { .. } => 17,
        R::CannotObject { .. } => 18,
        R::UnknownStep { .. } => 19,
        R::OutOfOrder { .. } => 20,
        R::AlreadyDone { .. } => 21,
        R::NotCompleted { .. } => 22,
        R::NotCorrectable { .. } => 23,
        R::WrongInput { .. } => 24,
        R::ProposalOpen { .. } => 25,
        R::NoOpenProposal => 26,
        R::AlreadyConfirmed { .. } => 27,
        R::TooEarly { .. } => 28,
        R::TooLate { .. } => 29,
        R::MissingWitnesses { .. } => 30,
        R::Incomplete { .. } => 31,
        R::UnknownItem { .. } => 32,
        R::ExceptionRequired { .. } => 33,
        R::BallotTypesMismatch { .. } => 34,
        R::Unexplained { .. } => 35,
        R::DoesNotReconcile { .. } => 36,
        R::NotDuringVoting => 37,
        R::DpkAlreadyAnnounced => 38,
        R::DpkNotAnnounced => 39,
        R::NotClosing => 40,
        R::VotingNotEnded { .. } => 41,
        R::DayFinished => 42,
        R::NotAWitness { .. } => 43,
        R::AlreadyResponded { .. } => 44,
        R::DeclineNeedsPengawas => 45,
        R::DeclineNeedsTwoWitnesses => 46,
        R::SaksiTwice { .. } => 47,
        R::UnknownObjection { .. } => 48,
        R::ObjectionResolved { .. } => 49,
        R::ObjectorMustConfirm { .. } => 50,
        R::AdviceNeedsPengawas => 51,
        R::NotACorrection { .. } => 52,
        R::ObjectionsUnresolved { .. } => 53,
        R::NihilNotConfirmed => 54,
        R::NotNihil { .. } => 55,
        // Each kind of clock refusal is a refusal kind of its own.
        R::Clock(c) => match c {
            ClockRefusal::Backwards { .. } => 56,
            ClockRefusal::NeedsWitnesses => 57,
            ClockRefusal::CrossesRegulatedTime { .. } => 58,
            ClockRefusal::AfterTheElection { .. } => 63,
        },
        R::ControlCharacter { .. } => 59,
        R::MissingSeal { .. } => 60,
        R::SealTwice { .. } => 61,
        R::ImpossibleCount { .. } => 62,
        R::ConfirmationDoesNotCount { .. } => 64,
        R::WrongBallot { .. } => 65,
        R::CountDoesNotAddUp { .. } => 66,
        R::NotCounting => 67,
        R::BreakLength { .. } => 68,
    }
}

/// A ballot type with its name, as the refusals carry it.
fn nb(ballot: BallotType) -> NamedBallot {
    NamedBallot {
        ballot,
        name: bi("Surat suara", "Ballot"),
    }
}

/// How many kinds [`index`] knows.
const KINDS: usize = 69;

/// A weak PIN's problems, each once (the match makes a new one fail to compile).
fn pin_problems() -> Vec<PinProblem> {
    let all = vec![
        PinProblem::NotSixDigits,
        PinProblem::TooFewDistinctDigits { min: 3 },
        PinProblem::RepeatedRun,
        PinProblem::SequentialRun,
    ];
    for p in &all {
        match p {
            PinProblem::NotSixDigits
            | PinProblem::TooFewDistinctDigits { .. }
            | PinProblem::RepeatedRun
            | PinProblem::SequentialRun => {}
        }
    }
    all
}

fn bi(id: &str, en: &str) -> Bilingual {
    Bilingual::new(id, en)
}

/// At least one of every refusal, with values a day at a TPS could give.
fn samples() -> Vec<Refusal> {
    let step = || bi("Rapat persiapan", "Preparation meeting");
    let at = LocalTime { hour: 7, minute: 0 };
    let zone = TimeZone::Wib;
    let mut out = vec![
        Refusal::ChairFirst,
        Refusal::ChairPinRequired,
        Refusal::PinKeyUnavailable,
        Refusal::UnknownPerson {
            person: PersonId(9),
        },
        Refusal::TooManyPeople,
        Refusal::PersonAbsent {
            name: "Siti Aminah".into(),
        },
        Refusal::RoleTaken {
            role: bi("Pengawas TPS", "Pengawas TPS"),
            by: "Rina".into(),
        },
        Refusal::RoleFull {
            role: bi("Ketertiban", "security officers"),
            max: 2,
        },
        Refusal::UnknownKppsNumber { number: 9, max: 7 },
        Refusal::UnknownParticipant,
        Refusal::TooManySaksi {
            participant: "Partai 3".into(),
            max: 2,
        },
        Refusal::SaksiAlreadyInside {
            participant: "Partai 3".into(),
            other: "Budi".into(),
        },
        Refusal::MissingText { field: Field::Name },
        Refusal::MissingSeal {
            place: SealPlace::BoxLock(nb(BallotType::Dpr)),
        },
        Refusal::SealTwice {
            seal: "A 0012".into(),
            places: Box::new((
                SealPlace::BoxLock(nb(BallotType::Dpr)),
                SealPlace::Envelope(nb(BallotType::Dpd)),
            )),
        },
        Refusal::ImpossibleCount {
            ballot: nb(BallotType::Dpd),
            what: CountOf::Counted,
            given: 3020,
            delivered: 302,
        },
        Refusal::ImpossibleCount {
            ballot: nb(BallotType::Dpr),
            what: CountOf::Votes,
            given: 3020,
            delivered: 302,
        },
        Refusal::MissingSeal {
            place: SealPlace::CountedEnvelope(nb(BallotType::Dpr), Envelope::Unused),
        },
        Refusal::SealTwice {
            seal: "B 7".into(),
            places: Box::new((
                SealPlace::BoxSeal(nb(BallotType::Dpr)),
                SealPlace::CountedEnvelope(nb(BallotType::Dpd), Envelope::Valid),
            )),
        },
        Refusal::MissingText {
            field: Field::Receiver,
        },
        Refusal::WrongBallot {
            step: bi("Hitung suara: DPR", "Count the votes: DPR"),
            expected: nb(BallotType::Dpr),
        },
        Refusal::CountDoesNotAddUp {
            ballot: nb(BallotType::Dpr),
            problems: vec![bi(
                "Jumlah suara semua peserta 290, tetapi suara sah 291",
                "The participants' votes add up to 290, but the valid votes are 291",
            )],
        },
        Refusal::ControlCharacter { field: Field::Name },
        Refusal::TextTooLong {
            field: Field::SealNumber,
            max: 24,
        },
        Refusal::WrongPin {
            person: PersonId(1),
            name: "Siti Aminah".into(),
            failures: 2,
            locked_until: None,
        },
        Refusal::WrongPin {
            person: PersonId(1),
            name: "Siti Aminah".into(),
            failures: 5,
            locked_until: Some((1_707_868_800_000, zone)),
        },
        Refusal::PinLocked {
            name: "Siti Aminah".into(),
            until_ms: 1_707_868_800_000,
            zone,
        },
        Refusal::CannotObject {
            name: "Pak Joko".into(),
        },
        Refusal::UnknownStep {
            id: "persiapan-x".into(),
        },
        Refusal::OutOfOrder {
            expected: step(),
            requested: bi("Pembukaan", "Opening"),
        },
        Refusal::AlreadyDone { step: step() },
        Refusal::NotCompleted { step: step() },
        Refusal::NotCorrectable { step: step() },
        Refusal::WrongInput { step: step() },
        Refusal::ProposalOpen { step: step() },
        Refusal::NoOpenProposal,
        Refusal::AlreadyConfirmed {
            name: "Siti Aminah".into(),
        },
        Refusal::ConfirmationDoesNotCount {
            name: "Siti Aminah".into(),
            role: Box::new(bi("Saksi", "Saksi")),
            step: step(),
        },
        Refusal::TooEarly {
            what: step(),
            from: at,
            zone,
        },
        Refusal::TooLate {
            what: step(),
            until: at,
            zone,
        },
        Refusal::MissingWitnesses {
            pending: vec!["Siti Aminah".into()],
            pengawas: false,
            saksi_participants: 0,
            witnesses: 0,
            absent: Vec::new(),
            wait_until: None,
            may_proceed: false,
        },
        Refusal::MissingWitnesses {
            pending: Vec::new(),
            pengawas: true,
            saksi_participants: 2,
            witnesses: 1,
            absent: vec!["Rina".into()],
            wait_until: Some((at, zone)),
            may_proceed: false,
        },
        Refusal::MissingWitnesses {
            pending: Vec::new(),
            pengawas: true,
            saksi_participants: 0,
            witnesses: 0,
            absent: Vec::new(),
            wait_until: None,
            may_proceed: true,
        },
        Refusal::Incomplete {
            missing: vec![bi("DPT laki-laki", "DPT male")],
        },
        Refusal::UnknownItem { id: "kotak".into() },
        Refusal::ExceptionRequired {
            differences: vec![
                Difference::ItemMissing {
                    item: bi("Kotak suara", "Ballot box"),
                },
                Difference::ItemShort {
                    item: bi("Segel", "Seals"),
                    expected: 10,
                    counted: 8,
                },
                Difference::SealBroken {
                    ballot: nb(BallotType::Dpr),
                },
                Difference::CountDiffers {
                    ballot: nb(BallotType::Dpd),
                    expected: 300,
                    counted: 294,
                },
                Difference::WrongDapil {
                    ballot: nb(BallotType::Dpr),
                    dapil: "DKI 2".into(),
                },
                Difference::BoxLockBroken {
                    ballot: nb(BallotType::Dpd),
                },
                Difference::BoxLockDiffers {
                    ballot: nb(BallotType::Dpd),
                    locked: "G-12".into(),
                    found: "G-21".into(),
                },
                Difference::BallotsInBox {
                    ballot: nb(BallotType::Ppwp),
                    found: 240,
                    used: 241,
                },
                Difference::Count {
                    ballot: nb(BallotType::Ppwp),
                    text: bi(
                        "Suara sah 230 ditambah suara tidak sah 10 adalah 240, tetapi surat suara PPWP yang digunakan 241",
                        "Valid votes 230 plus invalid votes 10 make 240, but 241 PPWP ballots were used",
                    ),
                },
            ],
        },
        Refusal::BallotTypesMismatch {
            expected: vec![bi("PPWP", "PPWP")],
        },
        Refusal::Unexplained {
            topics: vec![bi("Tata cara memilih", "How to vote")],
        },
        Refusal::DoesNotReconcile {
            mismatches: vec![
                Mismatch::Usage {
                    ballot: nb(BallotType::Ppwp),
                    used: 1,
                    unused: 2,
                    damaged: 3,
                    delivered: 7,
                },
                Mismatch::UsedVsVoters {
                    ballot: nb(BallotType::Ppwp),
                    used: 1,
                    voters: 2,
                },
                Mismatch::DptbTooMany {
                    ballot: nb(BallotType::Dpr),
                    given: 3,
                    dptb: 2,
                },
                Mismatch::DptbAllReceive {
                    ballot: nb(BallotType::Ppwp),
                    given: 1,
                    dptb: 2,
                },
                Mismatch::TurnoutOverDpt {
                    female: true,
                    came: 5,
                    registered: 4,
                },
                Mismatch::DisabledOverTurnout {
                    disabled: 3,
                    turnout: 2,
                },
            ],
        },
        Refusal::NotDuringVoting,
        Refusal::NotCounting,
        Refusal::BreakLength { max: 120 },
        Refusal::DpkAlreadyAnnounced,
        Refusal::DpkNotAnnounced,
        Refusal::NotClosing,
        Refusal::VotingNotEnded { queued: 4 },
        Refusal::DayFinished,
        Refusal::NotAWitness {
            name: "Pak Joko".into(),
        },
        Refusal::AlreadyResponded {
            name: "Siti Aminah".into(),
        },
        Refusal::DeclineNeedsPengawas,
        Refusal::DeclineNeedsTwoWitnesses,
        Refusal::SaksiTwice {
            name: "Siti Aminah".into(),
            role: bi(
                "Saksi 3. Partai Demokrasi Indonesia Perjuangan",
                "Saksi for 3. Partai Demokrasi Indonesia Perjuangan",
            ),
        },
        Refusal::UnknownObjection { seq: 12 },
        Refusal::ObjectionResolved { seq: 12 },
        Refusal::ObjectorMustConfirm {
            name: "Siti Aminah".into(),
        },
        Refusal::AdviceNeedsPengawas,
        Refusal::NotACorrection { seq: 13 },
        Refusal::ObjectionsUnresolved {
            objections: vec!["Siti Aminah: jumlahnya keliru".into()],
        },
        Refusal::NihilNotConfirmed,
        Refusal::NotNihil {
            incidents: 1,
            objections: 2,
        },
        Refusal::Clock(ClockRefusal::Backwards {
            last_ms: 1_707_868_800_000,
            new_ms: 1_707_865_200_000,
            zone,
        }),
        Refusal::Clock(ClockRefusal::NeedsWitnesses),
        Refusal::Clock(ClockRefusal::AfterTheElection {
            latest_ms: 1_708_016_399_999,
            new_ms: 7_286_400_000_000,
            zone,
        }),
        Refusal::Clock(ClockRefusal::CrossesRegulatedTime {
            old_ms: 1_707_865_200_000,
            new_ms: 1_707_872_400_000,
            times: vec![at],
            zone,
        }),
    ];
    for status in [
        ClockStatus::OscillatorStopped,
        ClockStatus::BehindJournal,
        ClockStatus::Moved,
    ] {
        for record_anomaly in [false, true] {
            out.push(Refusal::ClockUntrusted {
                status,
                rtc_ms: 1_707_868_800_000,
                journal_ms: Some(1_707_868_900_000),
                record_anomaly,
            });
        }
    }
    out.extend(pin_problems().into_iter().map(Refusal::WeakPin));
    out
}

#[test]
fn every_refusal_kind_is_sampled() {
    let seen: BTreeSet<usize> = samples().iter().map(index).collect();
    assert_eq!(seen, (0..KINDS).collect(), "a refusal without a sample");
}

#[test]
fn each_kind_is_kebab_case_and_names_one_variant() {
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    for r in samples() {
        let kind = r.kind();
        assert!(
            !kind.is_empty()
                && kind.split('-').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                }),
            "{kind:?} is not kebab-case"
        );
        let i = *kinds.entry(kind).or_insert(index(&r));
        assert_eq!(i, index(&r), "{kind} names two refusals");
    }
    assert_eq!(kinds.len(), KINDS);
}

/// What a message must never show: Rust's own formatting of a value.
const LEAKS: &[&str] = &[
    "{",
    "}",
    "Some(",
    "None",
    "PersonId",
    "Bilingual",
    "LocalTime",
    "TimeZone",
    "::",
    "\"",
    "[",
    "]",
];

#[test]
fn every_refusal_says_itself_in_both_languages_without_rust_formatting() {
    for r in samples() {
        let (id, en) = (r.message(Lang::Id), r.message(Lang::En));
        for text in [&id, &en] {
            assert!(text.trim().len() > 10, "{}: {text:?}", r.kind());
            for leak in LEAKS {
                assert!(!text.contains(leak), "{}: {leak:?} in {text:?}", r.kind());
            }
            // Ballot types by their names, never the package's codes (issue 8); PPWP, DPR and
            // DPD are the forms' own words.
            for code in BallotType::ALL.map(BallotType::code) {
                assert!(
                    code.len() <= 4 || !text.contains(code),
                    "{}: ballot code {code:?} in {text:?}",
                    r.kind()
                );
            }
            assert!(
                text.ends_with(['.', ')']),
                "{}: a sentence ends with a full stop: {text:?}",
                r.kind()
            );
        }
        assert_ne!(id, en, "{}: the same words in both languages", r.kind());
    }
}

#[test]
fn the_records_refusals_make_survive_the_journal() {
    let key = SigningKey::from_bytes(&[5; 32]);
    let mut made = BTreeSet::new();
    for r in samples() {
        let Some(body) = r.journal_entry() else {
            continue;
        };
        match (&r, &body) {
            (
                Refusal::WrongPin {
                    person, failures, ..
                },
                RecordBody::PinFailed {
                    person: p,
                    failures: f,
                },
            ) => assert_eq!((person, failures), (p, f)),
            (
                Refusal::ClockUntrusted {
                    rtc_ms,
                    record_anomaly: true,
                    ..
                },
                RecordBody::ClockAnomaly { rtc_ms: rtc, .. },
            ) => assert_eq!(rtc_ms, rtc),
            other => panic!("unexpected record for a refusal: {other:?}"),
        }
        made.insert(r.kind());
        let signed = SignedRecord::sign(
            Record {
                seq: 4,
                prev: [3; 32],
                stamp: Stamp {
                    wall_ms: 1_707_868_800_000,
                    mono_ms: 9,
                    clock: ClockStatus::BehindJournal,
                },
                body,
            },
            &key,
        );
        let frame = signed.frame();
        let back = decode_frame(&frame[..frame.len() - 1]).expect("decodes");
        assert_eq!(back, signed, "{}", r.kind());
    }
    assert_eq!(
        made,
        BTreeSet::from(["clock-untrusted", "wrong-pin"]),
        "the refusals the kiosk records"
    );
    // A clock refusal recorded once is not recorded again.
    for r in samples() {
        if let Refusal::ClockUntrusted {
            record_anomaly: false,
            ..
        } = r
        {
            assert_eq!(r.journal_entry(), None);
        }
    }
}

/// Every `refused:KIND` in the scenario files and the kinds their README lists are kinds.
#[test]
fn the_scenarios_name_refusal_kinds_that_exist() {
    let kinds: BTreeSet<&str> = samples().iter().map(Refusal::kind).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hal-sim/scenarios");
    let mut named = 0;
    for entry in std::fs::read_dir(&dir).expect("the scenarios") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        let mut check = |kind: &str| {
            named += 1;
            assert!(
                kinds.contains(kind),
                "{}: `{kind}` is no refusal kind",
                path.display()
            );
        };
        for piece in text.split("refused:").skip(1) {
            let kind: String = piece
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            if !kind.is_empty() && kind != "kind" {
                check(&kind);
            }
        }
        // The README's "Refusal kinds: `a`, `b`" lists.
        for piece in text.split("Refusal kinds:").skip(1) {
            let list = piece.split(['|', '\n']).next().unwrap_or("");
            for kind in list.split('`').skip(1).step_by(2) {
                check(kind);
            }
        }
    }
    assert!(named > 5, "the scenarios expect some refusals");
}
