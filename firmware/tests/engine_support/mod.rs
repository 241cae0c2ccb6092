//! A day at a TPS driven through the engine alone: a mock clock, records applied as the kiosk
//! would after making them durable.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use tps_firmware::election::{BallotType, MaleFemale, ParticipantId, ParticipantKind};
use tps_firmware::event::RecordBody;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::journal::Record;
use tps_firmware::procedure::input::*;
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::pin::{Pin, PinKey};
use tps_firmware::procedure::spec::{Procedure, Stage, builtin};
use tps_firmware::procedure::tally;
use tps_firmware::procedure::{Command, Refusal, State, decide};
use tps_firmware::time::{ClockStatus, LocalTime, Stamp, instant_at};

pub const PEMILU_JABAR: &str =
    include_str!("../../../keys/examples/election-pemilu-2024-jabar.toml");
pub const PEMILU_DKI: &str = include_str!("../../../keys/examples/election-pemilu-2024.toml");
pub const PILKADA_PAPUA: &str = include_str!("../../../keys/examples/election-pilkada-2024.toml");

/// PINs that pass the strength rules.
pub const PINS: [&str; 16] = [
    "271828", "314159", "141421", "173205", "223606", "161803", "577215", "693147", "302585",
    "259265", "466920", "120205", "915965", "833462", "101325", "662607",
];

/// The test device's PIN key.
pub fn pin_key() -> PinKey {
    PinKey::of_device(&[9; 32])
}

pub fn pin(s: &str) -> Pin {
    Pin::parse(s).unwrap()
}

/// The procedure with a cheap PIN hash, so tests run fast; everything else as shipped.
pub fn cheap(procedure: &Procedure) -> Arc<Procedure> {
    let mut p = procedure.clone();
    p.pin.argon2_memory_kib = 64;
    p.pin.argon2_iterations = 1;
    Arc::new(p)
}

pub fn package(toml: &str) -> ElectionPackage {
    ElectionPackage::from_toml(toml).unwrap()
}

pub struct Day {
    pub state: State,
    pub wall_ms: i64,
    pub clock: ClockStatus,
    mono: u64,
    seq: u64,
    pub records: Vec<Record>,
    pins: Vec<String>,
}

impl Day {
    pub fn new(toml: &str) -> Day {
        let package = package(toml);
        let procedure = cheap(&builtin(&package.procedure).unwrap());
        let mut day = Day {
            state: State::with_procedure(package, procedure, Some(pin_key())),
            wall_ms: 0,
            clock: ClockStatus::Trusted,
            mono: 0,
            seq: 0,
            records: Vec::new(),
            pins: Vec::new(),
        };
        day.at("05:45");
        day
    }

    pub fn pemilu() -> Day {
        Day::new(PEMILU_JABAR)
    }

    /// Moves the clock to `hh:mm` local time on election day; time going on moves the
    /// monotonic counter with it (the wrong-PIN delay runs on that).
    pub fn at(&mut self, hhmm: &str) {
        let p = self.state.package();
        let to = instant_at(p.date, LocalTime::parse(hhmm).unwrap(), p.zone).unwrap();
        self.mono += u64::try_from(to - self.wall_ms).unwrap_or(0);
        self.wall_ms = to;
    }

    pub fn advance_minutes(&mut self, m: i64) {
        self.advance_ms(m * 60_000);
    }

    /// Time goes on by `ms`: the wall clock and the monotonic counter together.
    pub fn advance_ms(&mut self, ms: i64) {
        self.wall_ms += ms;
        self.mono += u64::try_from(ms).unwrap_or(0);
    }

    pub fn stamp(&self) -> Stamp {
        Stamp {
            wall_ms: self.wall_ms,
            mono_ms: self.mono + 1,
            clock: self.clock,
        }
    }

    /// Appends a record as the journal would and applies it.
    pub fn record(&mut self, body: RecordBody) {
        let stamp = self.stamp();
        self.mono += 1;
        let record = Record {
            seq: self.seq,
            prev: [0; 32],
            stamp,
            body,
        };
        self.seq += 1;
        self.state.apply(&record).unwrap();
        self.records.push(record);
    }

    /// Decides and applies, as the kiosk does; a refusal's own record is made too.
    pub fn run(&mut self, command: Command) -> Result<Vec<RecordBody>, Refusal> {
        match decide(&self.state, &command, &self.stamp()) {
            Ok(bodies) => {
                for b in &bodies {
                    self.record(b.clone());
                }
                Ok(bodies)
            }
            Err(refusal) => {
                if let Some(entry) = refusal.journal_entry() {
                    let clock = self.clock;
                    if matches!(refusal, Refusal::ClockUntrusted { .. }) && clock.is_trusted() {
                        self.clock = ClockStatus::BehindJournal;
                    }
                    self.record(entry);
                    self.clock = clock;
                }
                Err(refusal)
            }
        }
    }

    pub fn ok(&mut self, command: Command) -> Vec<RecordBody> {
        match self.run(command.clone()) {
            Ok(b) => b,
            Err(r) => panic!("{command:?} refused: {}", r.message(Default::default())),
        }
    }

    pub fn refused(&mut self, command: Command) -> Refusal {
        match self.run(command.clone()) {
            Ok(b) => panic!("{command:?} accepted: {b:?}"),
            Err(r) => r,
        }
    }

    pub fn chair_pin(&self) -> Pin {
        pin(&self.pins[0])
    }

    pub fn pin_of(&self, person: PersonId) -> Pin {
        pin(&self.pins[usize::from(person.0)])
    }

    /// Registers with the next unused PIN.
    pub fn register(&mut self, role: Role, name: &str) -> PersonId {
        let id = PersonId(self.state.people.len() as u16);
        let p = PINS[self.pins.len()].to_string();
        let letter = if role.needs_letter() {
            format!("SM-{}", id.0)
        } else {
            String::new()
        };
        let chair_pin = (!self.pins.is_empty()).then(|| self.chair_pin());
        self.ok(Command::Register {
            role,
            name: name.into(),
            letter,
            id_number: if role.needs_id_number() {
                format!("317101450690{:04}", id.0)
            } else {
                String::new()
            },
            pin: pin(&p),
            salt: [id.0 as u8; 16],
            chair_pin,
        });
        self.pins.push(p);
        id
    }

    pub fn saksi_role(&self, kind: ParticipantKind, number: u16) -> Role {
        Role::Saksi(ParticipantId { kind, number })
    }

    /// The KPPS (7), two security staff, a Pengawas TPS and saksi of two parties and one
    /// presidential ticket.
    pub fn register_everyone(&mut self) -> People {
        let kpps: Vec<PersonId> = (1..=7)
            .map(|n| self.register(Role::Kpps(n), &format!("Anggota {n}")))
            .collect();
        let ketertiban = vec![
            self.register(Role::Ketertiban, "Linmas Satu"),
            self.register(Role::Ketertiban, "Linmas Dua"),
        ];
        let pengawas = self.register(Role::PengawasTps, "Bu Pengawas");
        // Saksi of the first three participants on this TPS's ballots.
        let participants: Vec<_> = self
            .state
            .package()
            .participants()
            .into_iter()
            .take(3)
            .map(|(id, p)| {
                (
                    id,
                    format!(
                        "Saksi {} {}",
                        id.number,
                        p.name.split(' ').next().unwrap_or("")
                    ),
                )
            })
            .collect();
        let saksi = participants
            .into_iter()
            .map(|(id, name)| self.register(Role::Saksi(id), &name))
            .collect();
        People {
            kpps,
            ketertiban,
            pengawas,
            saksi,
        }
    }

    pub fn confirm(&mut self, who: &[PersonId]) {
        for p in who {
            let pin = self.pin_of(*p);
            self.ok(Command::Confirm { person: *p, pin });
        }
    }

    pub fn complete(&mut self) -> Vec<RecordBody> {
        let chair_pin = self.chair_pin();
        self.ok(Command::Complete {
            chair_pin,
            proceed_without_quorum: false,
        })
    }

    pub fn try_complete(&mut self, proceed: bool) -> Result<Vec<RecordBody>, Refusal> {
        let chair_pin = self.chair_pin();
        self.run(Command::Complete {
            chair_pin,
            proceed_without_quorum: proceed,
        })
    }

    pub fn propose(&mut self, step: &str, input: StepInput) -> Vec<RecordBody> {
        self.ok(Command::Propose {
            step: step.into(),
            input,
        })
    }

    /// The procedure's step ids, in order.
    pub fn step_ids(&self) -> Vec<String> {
        self.state
            .procedure()
            .steps
            .iter()
            .map(|s| s.id.clone())
            .collect()
    }

    pub fn current_step_id(&self) -> String {
        self.state
            .current_spec()
            .map(|s| s.id.clone())
            .unwrap_or_default()
    }

    // Correct entries for each step of this package.

    pub fn checklist(&self) -> StepInput {
        let ballots = self.state.package().ballot_types();
        let items = self
            .state
            .procedure()
            .equipment_for(Stage::Preparation, &ballots)
            .map(|e| ItemCheck {
                item: e.id.as_str().try_into().unwrap(),
                present: true,
            })
            .collect::<Vec<_>>();
        StepInput::Checklist {
            items: items.try_into().unwrap(),
            exception: None,
        }
    }

    pub fn inventory(&self) -> StepInput {
        let ballots = self.state.package().ballot_types();
        let items = self
            .state
            .procedure()
            .equipment_for(Stage::Box, &ballots)
            .map(|e| ItemCount {
                item: e.id.as_str().try_into().unwrap(),
                count: e.expected(ballots.len()),
            })
            .collect::<Vec<_>>();
        StepInput::BoxInventory {
            items: items.try_into().unwrap(),
            exception: None,
        }
    }

    pub fn ballots(&self) -> Vec<BallotType> {
        self.state.package().ballot_types()
    }

    pub fn empty_box(&self) -> StepInput {
        let locks = self
            .ballots()
            .into_iter()
            .enumerate()
            .map(|(i, ballot)| BoxLock {
                ballot,
                seal: format!("GBK-{:04}", 100 + i).as_str().try_into().unwrap(),
            })
            .collect::<Vec<_>>();
        StepInput::EmptyBox {
            locks: locks.try_into().unwrap(),
        }
    }

    pub fn seals(&self) -> StepInput {
        let seals = self
            .ballots()
            .into_iter()
            .enumerate()
            .map(|(i, ballot)| EnvelopeSeal {
                ballot,
                seal: format!("SGL-{:05}", 7700 + i).as_str().try_into().unwrap(),
                intact: true,
            })
            .collect::<Vec<_>>();
        StepInput::SealCheck {
            seals: seals.try_into().unwrap(),
            exception: None,
        }
    }

    pub fn counts(&self) -> StepInput {
        let counts = self
            .state
            .package()
            .ballots
            .iter()
            .map(|b| BallotTally {
                ballot: b.ballot,
                counted: b.delivered,
                dapil_ok: true,
            })
            .collect::<Vec<_>>();
        StepInput::BallotCount {
            counts: counts.try_into().unwrap(),
            exception: None,
        }
    }

    /// Every topic step `step` explains, ticked.
    pub fn explanations(&self, step: &str) -> StepInput {
        let procedure = self.state.procedure();
        let (_, spec) = procedure.step(step).unwrap();
        let topics = procedure
            .topics_of(spec)
            .map(|t| t.id.as_str().try_into().unwrap())
            .collect::<Vec<_>>();
        StepInput::Explanations {
            topics: topics.try_into().unwrap(),
        }
    }

    /// A close-out that adds up: `dpt` voters came (split male/female), `dptb` transfer voters
    /// (who all get every type here), `dpk` list voters, 2 damaged ballots per type.
    pub fn reconciliation(&self, dpt: MaleFemale, dptb: MaleFemale, dpk: MaleFemale) -> StepInput {
        let voters = dpt.total() + dptb.total() + dpk.total();
        let ballots = self
            .state
            .package()
            .ballots
            .iter()
            .map(|b| BallotUsage {
                ballot: b.ballot,
                used: voters,
                unused: b.delivered - voters - 2,
                damaged: 2,
                dptb_voters: dptb.total(),
            })
            .collect::<Vec<_>>();
        StepInput::Reconciliation(Reconciliation {
            ballots: ballots.try_into().unwrap(),
            turnout: Turnout { dpt, dptb, dpk },
            disabled_voters: MaleFemale { male: 1, female: 2 },
        })
    }
}

pub struct People {
    pub kpps: Vec<PersonId>,
    pub ketertiban: Vec<PersonId>,
    pub pengawas: PersonId,
    pub saksi: Vec<PersonId>,
}

impl People {
    /// KPPS 2..7 and security staff: the chair confirms by completing.
    pub fn oath_takers(&self) -> Vec<PersonId> {
        self.kpps[1..]
            .iter()
            .chain(&self.ketertiban)
            .copied()
            .collect()
    }

    /// The Pengawas and every saksi: all inside, so all must respond.
    pub fn witnesses(&self) -> Vec<PersonId> {
        let mut all = vec![self.pengawas];
        all.extend(&self.saksi);
        all
    }
}

/// The local time each step is taken at in a normal day.
pub fn time_for(step: &str) -> &'static str {
    match step {
        "persiapan" => "05:45",
        "kehadiran" => "06:15",
        "sumpah" => "07:00",
        "penjelasan-awal" => "07:02",
        "buka-kotak" => "07:05",
        "kotak-kosong" => "07:08",
        "cek-segel" => "07:11",
        "hitung-surat-suara" => "07:14",
        "penjelasan" => "07:20",
        "buka-pemungutan" => "07:25",
        "tutup-pemungutan" => "13:00",
        _ => "13:30",
    }
}

impl Day {
    /// The right entries for `step` on a normal day.
    pub fn correct_input(&self, step: &str) -> StepInput {
        match step {
            "persiapan" => self.checklist(),
            "kehadiran" => StepInput::Attendance,
            "sumpah" => StepInput::Oath,
            "buka-kotak" => self.inventory(),
            "kotak-kosong" => self.empty_box(),
            "cek-segel" => self.seals(),
            "hitung-surat-suara" => self.counts(),
            "penjelasan" | "penjelasan-awal" => self.explanations(step),
            "buka-pemungutan" => StepInput::PollsOpen,
            "tutup-pemungutan" => StepInput::PollsClose { queued: 3 },
            _ => self.count_stage(step).unwrap_or_else(|| self.close_out()),
        }
    }

    /// The close-out of a normal day: 213 voters.
    pub fn close_out(&self) -> StepInput {
        self.reconciliation(
            MaleFemale {
                male: 100,
                female: 110,
            },
            MaleFemale { male: 2, female: 1 },
            MaleFemale { male: 1, female: 0 },
        )
    }

    /// The right entries for a step of the count, if `step` is one.
    fn count_stage(&self, step: &str) -> Option<StepInput> {
        let (_, spec) = self.state.procedure().step(step)?;
        Some(match spec.input {
            InputKind::BoxOpen => self.box_open(spec.ballot?),
            InputKind::Count => StepInput::Count {
                tally: self.tally(spec.ballot?),
                exception: None,
            },
            InputKind::Sealing => self.sealing(),
            InputKind::Handover => StepInput::Handover {
                receiver: "Dewi Lestari (PPS)".try_into().unwrap(),
            },
            _ => return None,
        })
    }

    /// Ballots of `ballot` used at the close-out (213 before it).
    pub fn used(&self, ballot: BallotType) -> u32 {
        tps_firmware::procedure::validate::close_out_of(&self.state, ballot).map_or(213, |c| c.used)
    }

    /// The box of `ballot` opened with the padlock put on it, holding the ballots used.
    pub fn box_open(&self, ballot: BallotType) -> StepInput {
        let i = self.ballots().iter().position(|b| *b == ballot).unwrap();
        StepInput::BoxOpen {
            ballot,
            seal: format!("GBK-{:04}", 100 + i).as_str().try_into().unwrap(),
            intact: true,
            ballots: self.used(ballot),
            exception: None,
        }
    }

    /// A count of `ballot` that adds up: 3 invalid, the valid votes shared among the
    /// participants, on a party ballot half of a party's votes for its first candidate.
    pub fn tally(&self, ballot: BallotType) -> tally::Tally {
        let spec = self.state.package().ballot(ballot).unwrap();
        let mut t = tally::Tally::blank(spec);
        let used = self.used(ballot);
        let n = u32::try_from(t.participants.len()).unwrap();
        if n == 0 {
            t.invalid = used;
            return t;
        }
        t.invalid = 3.min(used);
        t.valid = used - t.invalid;
        for (i, p) in t.participants.as_mut_slice().iter_mut().enumerate() {
            let share = t.valid / n + u32::from((i as u32) < t.valid % n);
            p.votes = share;
            match p.candidates.as_mut_slice().first_mut() {
                Some(first) if ballot.lists_candidates() => {
                    first.votes = share / 2;
                    p.party_only = share - share / 2;
                }
                _ if ballot.lists_candidates() => p.party_only = share,
                _ => {}
            }
        }
        t
    }

    /// Every envelope and box sealed, each with its own number.
    pub fn sealing(&self) -> StepInput {
        let seals = self
            .ballots()
            .into_iter()
            .enumerate()
            .map(|(i, ballot)| {
                let n = |k: usize| {
                    format!("SGH-{:05}", 8800 + i * 5 + k)
                        .as_str()
                        .try_into()
                        .unwrap()
                };
                BallotSealing {
                    ballot,
                    valid: n(0),
                    invalid: n(1),
                    unused: n(2),
                    damaged: n(3),
                    box_seal: n(4),
                }
            })
            .collect::<Vec<_>>();
        StepInput::Sealing {
            seals: seals.try_into().unwrap(),
        }
    }

    /// Who confirms `step` on a normal day.
    pub fn confirmers(&self, people: &People, step: &str) -> Vec<PersonId> {
        let (_, spec) = self.state.procedure().step(step).unwrap();
        if spec.quorum.all_oath_takers {
            people.oath_takers()
        } else if spec.quorum.needs_witnesses() {
            people.witnesses()
        } else {
            Vec::new()
        }
    }

    /// What must happen before `step` can be proposed (the DPK announcement, the end of the
    /// queue), at the step's time.
    pub fn prepare_for(&mut self, step: &str) {
        if step == "tutup-pemungutan" && self.state.dpk_announced_ms.is_none() {
            self.at("12:00");
            let chair_pin = self.chair_pin();
            self.ok(Command::AnnounceDpk { chair_pin });
        }
        if step == "rekap" && self.state.phase() == tps_firmware::procedure::Phase::Queue {
            self.at("13:10");
            let chair_pin = self.chair_pin();
            self.ok(Command::EndVoting { chair_pin });
        }
        if step == "rekap" && self.state.incidents.is_empty() && self.state.objections.is_empty() {
            // Nothing to record all day: the chair confirms NIHIL before the close-out.
            self.at("13:15");
            let chair_pin = self.chair_pin();
            self.ok(Command::ConfirmNihil { chair_pin });
        }
        self.at(time_for(step));
    }

    /// Takes `step` the normal way: entries, confirmations, completion.
    pub fn take_step(&mut self, people: &People, step: &str) {
        self.prepare_for(step);
        let input = self.correct_input(step);
        self.propose(step, input);
        let who = self.confirmers(people, step);
        self.confirm(&who);
        self.complete();
    }

    /// Takes `step` now with the right entries, confirmed by `who`.
    pub fn take_step_with(&mut self, step: &str, who: &[PersonId]) {
        let input = self.correct_input(step);
        self.propose(step, input);
        self.confirm(who);
        self.complete();
    }

    /// Takes every step before `step`.
    pub fn progress_to(&mut self, people: &People, step: &str) {
        for id in self.step_ids().iter().take_while(|id| id.as_str() != step) {
            self.take_step(people, id);
        }
    }
}

/// Runs a whole day from preparation to close-out, in order, everyone confirming.
pub fn full_day(day: &mut Day) -> People {
    day.at("05:45");
    let people = day.register_everyone();
    for id in &day.step_ids() {
        day.take_step(&people, id);
    }
    people
}

/// The printed text of a report of the day so far, its lines joined (a test key signs it).
pub fn report_text(day: &Day, kind: tps_firmware::event::ReportKind) -> String {
    use tps_firmware::drivers::printer::Line;
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let report =
        tps_firmware::report::build(&day.state, kind, ("TPSK-TEST", &[]), (1, [0; 32]), &key)
            .unwrap();
    report
        .receipt
        .lines
        .iter()
        .filter_map(|l| match l {
            Line::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(
            "
",
        )
}
