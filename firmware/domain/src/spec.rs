//! The regulated sequence as data. Each built-in procedure is a TOML file in `data/`, embedded in
//! the firmware and checked when loaded; the engine interprets it. Changing a quorum, a time or
//! the wording of an instruction is an edit to that file.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use super::input::InputKind;
use super::package::MAX_CANDIDATES;
use super::people::Role;
use super::pin::PinPolicy;
use tps_base::election::{BallotType, ElectionKind};
use tps_base::text::Bilingual;
use tps_base::time::LocalTime;

/// A procedure: everything the engine needs to know about the rules of one kind of election.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    /// The procedure's id, e.g. `pemilu-2024`.
    pub id: String,
    /// The kind of election it is for.
    pub election: ElectionKind,
    /// Its title, as screens and reports name it.
    pub title: Bilingual,
    /// Reserve ballots per type, in tenths of a percent of the DPT (20 = 2%), rounded up.
    pub reserve_permille: u32,
    /// The most voters one TPS may have on its DPT.
    pub max_voters_per_tps: u32,
    /// The day's fixed times.
    pub schedule: Schedule,
    /// How many saksi a participant may register and have inside.
    pub saksi: SaksiRules,
    /// Limits on the other roles, and who may raise a keberatan.
    pub roles: RoleRules,
    /// KPPS member duties, KPPS 1 (the chair) first.
    pub kpps_duties: Vec<Bilingual>,
    /// What a PIN must be, and how it is hashed and locked out.
    pub pin: PinPolicy,
    /// The ballot types this election may have, in counting order.
    pub ballots: Vec<BallotRule>,
    /// The equipment items checked at preparation and box opening.
    pub equipment: Vec<Equipment>,
    /// The topics the chair explains before voting.
    pub explanations: Vec<Topic>,
    /// The steps of the day, in order.
    pub steps: Vec<StepSpec>,
}

/// The day's fixed times, local to the TPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// When the preparation meeting opens.
    pub meeting_opens: LocalTime,
    /// How long a step waits for missing witnesses after the meeting opens (the 30-minute rule).
    pub witness_wait_minutes: u16,
    /// When voting starts.
    pub polls_open: LocalTime,
    /// The Pengawas TPS is at the TPS by this time; a later arrival is a fact on the opening
    /// report, never a refusal.
    pub pengawas_arrives_by: LocalTime,
    /// When DPK voters may vote, after the announcement.
    pub dpk_announcement: LocalTime,
    /// When the polls close (voters queuing then still vote).
    pub polls_close: LocalTime,
}

impl Schedule {
    /// The time `at` names.
    pub fn time(&self, at: ScheduleRef) -> LocalTime {
        match at {
            ScheduleRef::MeetingOpens => self.meeting_opens,
            ScheduleRef::PollsOpen => self.polls_open,
            ScheduleRef::DpkAnnouncement => self.dpk_announcement,
            ScheduleRef::PollsClose => self.polls_close,
        }
    }

    /// When the chair may proceed without the full quorum.
    pub fn witness_wait_ends(&self) -> LocalTime {
        self.meeting_opens.plus_minutes(self.witness_wait_minutes)
    }
}

/// A named time in the schedule, as steps refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScheduleRef {
    /// Names [`Schedule::meeting_opens`].
    MeetingOpens,
    /// Names [`Schedule::polls_open`].
    PollsOpen,
    /// Names [`Schedule::dpk_announcement`].
    DpkAnnouncement,
    /// Names [`Schedule::polls_close`].
    PollsClose,
}

/// How many saksi each participant may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaksiRules {
    /// How many saksi of one participant may be registered.
    pub max_per_participant: u8,
    /// How many of them may be inside the TPS at once.
    pub max_inside_per_participant: u8,
}

/// Limits on the other roles at a TPS.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRules {
    /// How many Pengawas TPS may be registered.
    pub max_pengawas: u8,
    /// How many security officers (ketertiban) may be registered.
    pub max_ketertiban: u8,
    /// Roles that may raise a keberatan.
    pub may_object: Vec<RoleKind>,
}

/// A role without its details, as the data names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoleKind {
    /// A KPPS member.
    Kpps,
    /// A security officer (ketertiban).
    Ketertiban,
    /// A participant's saksi.
    Saksi,
    /// The Pengawas TPS.
    PengawasTps,
    /// An election observer (pemantau).
    Pemantau,
    /// A journalist (pewarta).
    Pewarta,
    /// The Panwaslu Kelurahan/Desa.
    Panwaslu,
}

impl RoleKind {
    /// The kind of `role`, without its details.
    pub fn of(role: Role) -> Self {
        match role {
            Role::Kpps(_) => RoleKind::Kpps,
            Role::Ketertiban => RoleKind::Ketertiban,
            Role::Saksi(_) => RoleKind::Saksi,
            Role::PengawasTps => RoleKind::PengawasTps,
            Role::Pemantau => RoleKind::Pemantau,
            Role::Pewarta => RoleKind::Pewarta,
            Role::Panwaslu => RoleKind::Panwaslu,
        }
    }
}

/// A ballot type's rules in this election.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotRule {
    /// The ballot type.
    pub ballot: BallotType,
    /// Its name in this election.
    pub name: Bilingual,
    /// The regulated colour of the ballot paper, `#rrggbb`, if there is one.
    pub colour: Option<String>,
    /// Every DPTb voter receives this type (e.g. PPWP); for others the transfer form decides.
    pub dptb_always: bool,
    /// The most candidates a party lists on this ballot: the most seats a dapil of this type
    /// has. At least 1 and at most [`MAX_CANDIDATES`] where the ballot lists candidates
    /// ([`BallotType::lists_candidates`]), 0 where it does not.
    pub candidates_max: u8,
}

/// Where an equipment item is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Checked present during preparation.
    Preparation,
    /// Taken out of the ballot box and counted at box opening.
    Box,
}

/// An equipment item the KPPS checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equipment {
    /// The item's id, as entries name it.
    pub id: String,
    /// Its name.
    pub name: Bilingual,
    /// Where it is checked.
    pub stage: Stage,
    /// Expected count in the box (per ballot type when `per_ballot`).
    pub quantity: u16,
    /// Whether `quantity` is per ballot type.
    pub per_ballot: bool,
    /// Only needed when the package has one of these ballot types (empty: always).
    pub only_for: Vec<BallotType>,
}

impl Equipment {
    /// How many of this item a TPS with `ballot_types` ballot types should find.
    pub fn expected(&self, ballot_types: usize) -> u16 {
        if self.per_ballot {
            self.quantity
                .saturating_mul(u16::try_from(ballot_types).unwrap_or(u16::MAX))
        } else {
            self.quantity
        }
    }
}

/// A topic the chair explains to voters before voting.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// The topic's id, as steps and entries name it.
    pub id: String,
    /// What the chair explains.
    pub text: Bilingual,
}

/// Who must confirm a step besides the chair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Quorum {
    /// Every KPPS member and security staff member present.
    pub all_oath_takers: bool,
    /// The Pengawas TPS.
    pub pengawas: bool,
    /// Saksi of this many different participants (fewer when fewer are registered).
    pub saksi_participants: u8,
    /// At least this many witnesses of any kind (saksi, Pengawas, pemantau, pewarta).
    pub witnesses: u8,
}

impl Quorum {
    /// Whether the step needs any witness besides the oath takers.
    pub fn needs_witnesses(&self) -> bool {
        self.pengawas || self.saksi_participants > 0 || self.witnesses > 0
    }
}

/// One step of the day.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// The step's id, as the journal records it.
    pub id: String,
    /// The step's title.
    pub title: Bilingual,
    /// What the chair does with their hands, in order.
    pub instructions: Vec<Bilingual>,
    /// The kind of entries the step takes.
    pub input: InputKind,
    /// Who must confirm the step.
    #[serde(default)]
    pub quorum: Quorum,
    /// The step is refused before this time.
    #[serde(default)]
    pub not_before: Option<ScheduleRef>,
    /// The step is refused after this time.
    #[serde(default)]
    pub not_after: Option<ScheduleRef>,
    /// The 30-minute rule applies: missing witnesses make the step wait until the wait ends,
    /// then the chair may proceed and a kejadian khusus is recorded.
    #[serde(default)]
    pub witness_wait: bool,
    /// The DPK announcement must have been made first.
    #[serde(default)]
    pub requires_dpk_announcement: bool,
    /// Figures of this step may be corrected later; the witnesses present confirm the
    /// correction (seed 004 line 56).
    #[serde(default)]
    pub correctable: bool,
    /// For an explanations step: the topics explained at this point, by id (every topic when
    /// empty).
    #[serde(default)]
    pub topics: Vec<String>,
    /// The ballot type this step concerns: set when a per-ballot step ([`InputKind::per_ballot`])
    /// is repeated for one of the package's types ([`Procedure::for_ballots`]); never in the file.
    #[serde(skip)]
    pub ballot: Option<BallotType>,
}

/// Why a procedure file is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProcedureError {
    /// No built-in procedure has this name.
    #[error("no built-in procedure named '{0}' (known: pemilu-2024, pilkada-2024)")]
    Unknown(String),
    /// The procedure file is not valid TOML of the procedure's shape.
    #[error("procedure file: {0}")]
    Toml(String),
    /// The procedure reads but breaks one of its own rules (a step twice, an unknown reference...).
    #[error("procedure '{id}': {problem}")]
    Invalid {
        /// The procedure's id.
        id: String,
        /// The rule it breaks.
        problem: String,
    },
}

// The file's shape, before checking.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    id: String,
    election: String,
    title: Bilingual,
    reserve_permille: u32,
    max_voters_per_tps: u32,
    schedule: ScheduleFile,
    saksi: SaksiRules,
    roles: RoleRules,
    kpps_duties: Vec<Bilingual>,
    pin: PinPolicy,
    ballots: Vec<BallotFile>,
    equipment: Vec<EquipmentFile>,
    explanations: Vec<Topic>,
    steps: Vec<StepSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleFile {
    meeting_opens: String,
    witness_wait_minutes: u16,
    polls_open: String,
    pengawas_arrives_by: String,
    dpk_announcement: String,
    polls_close: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BallotFile {
    ballot: String,
    name: Bilingual,
    #[serde(default)]
    colour: Option<String>,
    #[serde(default)]
    dptb_always: bool,
    #[serde(default)]
    candidates_max: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EquipmentFile {
    id: String,
    name: Bilingual,
    stage: Stage,
    #[serde(default = "one")]
    quantity: u16,
    #[serde(default)]
    per_ballot: bool,
    #[serde(default)]
    only_for: Vec<String>,
}

fn one() -> u16 {
    1
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 24
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

impl Procedure {
    /// Parses and checks a procedure file.
    pub fn parse(text: &str) -> Result<Self, ProcedureError> {
        let f: File = toml::from_str(text).map_err(|e| ProcedureError::Toml(e.to_string()))?;
        let id = f.id.clone();
        let bad = |problem: String| ProcedureError::Invalid {
            id: id.clone(),
            problem,
        };
        let time = |field: &str, s: &str| {
            LocalTime::parse(s).ok_or_else(|| bad(format!("schedule.{field}: '{s}' is not HH:MM")))
        };
        let schedule = Schedule {
            meeting_opens: time("meeting_opens", &f.schedule.meeting_opens)?,
            witness_wait_minutes: f.schedule.witness_wait_minutes,
            polls_open: time("polls_open", &f.schedule.polls_open)?,
            pengawas_arrives_by: time("pengawas_arrives_by", &f.schedule.pengawas_arrives_by)?,
            dpk_announcement: time("dpk_announcement", &f.schedule.dpk_announcement)?,
            polls_close: time("polls_close", &f.schedule.polls_close)?,
        };
        if !(schedule.polls_open < schedule.dpk_announcement
            && schedule.dpk_announcement < schedule.polls_close)
        {
            return Err(bad("schedule times are out of order".into()));
        }
        let election = ElectionKind::parse(&f.election)
            .ok_or_else(|| bad(format!("unknown election kind '{}'", f.election)))?;
        let ballot_code =
            |s: &str| BallotType::parse(s).ok_or_else(|| bad(format!("unknown ballot type '{s}'")));
        let mut ballots = Vec::new();
        for b in &f.ballots {
            if let Some(c) = &b.colour
                && !is_colour(c)
            {
                return Err(bad(format!("colour '{c}' is not #rrggbb")));
            }
            ballots.push(BallotRule {
                ballot: ballot_code(&b.ballot)?,
                name: b.name.clone(),
                colour: b.colour.clone(),
                dptb_always: b.dptb_always,
                candidates_max: b.candidates_max,
            });
        }
        let mut equipment = Vec::new();
        for e in &f.equipment {
            equipment.push(Equipment {
                id: e.id.clone(),
                name: e.name.clone(),
                stage: e.stage,
                quantity: e.quantity,
                per_ballot: e.per_ballot,
                only_for: e
                    .only_for
                    .iter()
                    .map(|s| ballot_code(s))
                    .collect::<Result<_, _>>()?,
            });
        }
        let proc = Procedure {
            id: f.id,
            election,
            title: f.title,
            reserve_permille: f.reserve_permille,
            max_voters_per_tps: f.max_voters_per_tps,
            schedule,
            saksi: f.saksi,
            roles: f.roles,
            kpps_duties: f.kpps_duties,
            pin: f.pin,
            ballots,
            equipment,
            explanations: f.explanations,
            steps: f.steps,
        };
        proc.check().map_err(bad)?;
        Ok(proc)
    }

    fn check(&self) -> Result<(), String> {
        if !is_id(&self.id) {
            return Err("the id must be lowercase letters, digits and '-'".into());
        }
        if self.kpps_duties.is_empty() || self.kpps_duties.len() > 9 {
            return Err("there must be 1 to 9 KPPS duties".into());
        }
        if self.ballots.is_empty() || self.ballots.len() > 8 {
            return Err("there must be 1 to 8 ballot types".into());
        }
        unique(self.ballots.iter().map(|b| b.ballot.code()), "ballot type")?;
        for b in &self.ballots {
            let max = usize::from(b.candidates_max);
            let fits = if b.ballot.lists_candidates() {
                (1..=MAX_CANDIDATES).contains(&max)
            } else {
                max == 0
            };
            if !fits {
                return Err(format!(
                    "ballot {}: candidates_max {max} must be 1 to {MAX_CANDIDATES} on a party \
                     ballot, and absent on any other",
                    b.ballot
                ));
            }
        }
        unique(self.equipment.iter().map(|e| e.id.as_str()), "equipment id")?;
        unique(self.explanations.iter().map(|t| t.id.as_str()), "topic id")?;
        unique(self.steps.iter().map(|s| s.id.as_str()), "step id")?;
        for id in self
            .equipment
            .iter()
            .map(|e| &e.id)
            .chain(self.explanations.iter().map(|t| &t.id))
            .chain(self.steps.iter().map(|s| &s.id))
        {
            if !is_id(id) {
                return Err(format!("'{id}' is not a valid id"));
            }
        }
        if self
            .equipment
            .iter()
            .filter(|e| e.stage == Stage::Preparation)
            .count()
            > 24
            || self
                .equipment
                .iter()
                .filter(|e| e.stage == Stage::Box)
                .count()
                > 24
            || self.explanations.len() > 12
        {
            return Err("too many equipment items or topics".into());
        }
        for step in &self.steps {
            if !step.topics.is_empty() && step.input != InputKind::Explanations {
                return Err(format!(
                    "step '{}' has topics but explains nothing",
                    step.id
                ));
            }
            if let Some(t) = step
                .topics
                .iter()
                .find(|t| !self.explanations.iter().any(|e| &e.id == *t))
            {
                return Err(format!("step '{}': no topic '{t}'", step.id));
            }
        }
        self.check_count_steps()?;
        // The day's fixed landmarks must each be there once, in this order.
        let order = [
            InputKind::PollsOpen,
            InputKind::PollsClose,
            InputKind::Reconciliation,
        ];
        let mut last = None;
        for kind in order {
            let positions: Vec<_> = self
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.input == kind)
                .map(|(i, _)| i)
                .collect();
            let [pos] = positions.as_slice() else {
                return Err(format!("exactly one {kind:?} step is needed"));
            };
            if last.is_some_and(|l| *pos < l) {
                return Err(format!("the {kind:?} step is out of order"));
            }
            last = Some(*pos);
        }
        let pin = &self.pin;
        if argon2::Params::new(pin.argon2_memory_kib, pin.argon2_iterations, 1, Some(32)).is_err()
            || pin.max_run < 2
            || pin.min_distinct_digits > 6
        {
            return Err("PIN policy parameters are out of range".into());
        }
        Ok(())
    }

    /// The counting stage's steps come after the close-out (they need its figures), a box is
    /// opened before it is counted, and every id a per-ballot step expands to is a valid id.
    fn check_count_steps(&self) -> Result<(), String> {
        let position = |kind: InputKind| self.steps.iter().position(|s| s.input == kind);
        let close_out = position(InputKind::Reconciliation).unwrap_or(usize::MAX);
        for (i, step) in self.steps.iter().enumerate() {
            let after_close_out = matches!(
                step.input,
                InputKind::BoxOpen | InputKind::Count | InputKind::Sealing | InputKind::Handover
            );
            if after_close_out && i < close_out {
                return Err(format!("step '{}' comes before the close-out", step.id));
            }
        }
        if let (Some(open), Some(count)) =
            (position(InputKind::BoxOpen), position(InputKind::Count))
            && count < open
        {
            return Err("a box is counted before it is opened".into());
        }
        let all: Vec<BallotType> = self.ballots.iter().map(|b| b.ballot).collect();
        let day = self.for_ballots(&all);
        if let Some(s) = day.steps.iter().find(|s| !is_id(&s.id)) {
            return Err(format!(
                "a per-ballot step would have the id '{}', over 24 characters",
                s.id
            ));
        }
        unique(day.steps.iter().map(|s| s.id.as_str()), "step id")
    }

    /// The day for a package with `ballots`: each run of consecutive per-ballot steps
    /// ([`InputKind::per_ballot`]) repeated for each of those types, in the procedure's counting
    /// order (procedure.md 9: "count per type in the order above"), the whole run for one type
    /// before the next: open the PPWP box, count it, then open the DPR box...
    pub fn for_ballots(&self, ballots: &[BallotType]) -> Procedure {
        let types: Vec<&BallotRule> = self
            .ballots
            .iter()
            .filter(|r| ballots.contains(&r.ballot))
            .collect();
        let mut steps = Vec::new();
        let mut i = 0;
        // A template is a per-ballot step not yet given a ballot type: expanding an expanded
        // day changes nothing.
        let template = |s: &StepSpec| s.input.per_ballot() && s.ballot.is_none();
        while let Some(step) = self.steps.get(i) {
            if !template(step) {
                steps.push(step.clone());
                i += 1;
                continue;
            }
            let run_end = self.steps[i..]
                .iter()
                .position(|s| !template(s))
                .map_or(self.steps.len(), |n| i + n);
            for rule in &types {
                for template in &self.steps[i..run_end] {
                    steps.push(StepSpec {
                        id: expanded_id(&template.id, rule.ballot),
                        title: Bilingual::new(
                            format!("{}: {}", template.title.id, rule.name.id),
                            format!("{}: {}", template.title.en, rule.name.en),
                        ),
                        ballot: Some(rule.ballot),
                        ..template.clone()
                    });
                }
            }
            i = run_end;
        }
        Procedure {
            steps,
            ..self.clone()
        }
    }

    /// The step with this id, with its index in the day.
    pub fn step(&self, id: &str) -> Option<(usize, &StepSpec)> {
        self.steps.iter().enumerate().find(|(_, s)| s.id == id)
    }

    /// The topics `step` explains, in the procedure's order.
    pub fn topics_of<'a>(&'a self, step: &'a StepSpec) -> impl Iterator<Item = &'a Topic> + 'a {
        self.explanations
            .iter()
            .filter(move |t| step.topics.is_empty() || step.topics.contains(&t.id))
    }

    /// This election's rules for a ballot type, if it has that type.
    pub fn ballot_rule(&self, ballot: BallotType) -> Option<&BallotRule> {
        self.ballots.iter().find(|b| b.ballot == ballot)
    }

    /// Ballots delivered for a DPT of `dpt` voters: DPT plus the reserve, rounded up.
    pub fn delivered_for(&self, dpt: u32) -> u32 {
        let reserve = (u64::from(dpt) * u64::from(self.reserve_permille)).div_ceil(1000);
        dpt.saturating_add(u32::try_from(reserve).unwrap_or(u32::MAX))
    }

    /// Equipment of `stage` that applies to a package with `ballots`.
    pub fn equipment_for<'a>(
        &'a self,
        stage: Stage,
        ballots: &'a [BallotType],
    ) -> impl Iterator<Item = &'a Equipment> + 'a {
        self.equipment.iter().filter(move |e| {
            e.stage == stage
                && (e.only_for.is_empty() || e.only_for.iter().any(|b| ballots.contains(b)))
        })
    }
}

/// The id of per-ballot step `template` for `ballot`: `hitung` for DPR is `hitung-dpr`.
fn expanded_id(template: &str, ballot: BallotType) -> String {
    format!("{template}-{}", ballot.code().to_ascii_lowercase())
}

fn unique<'a>(items: impl Iterator<Item = &'a str>, what: &str) -> Result<(), String> {
    let mut seen = HashSet::new();
    for i in items {
        if !seen.insert(i) {
            return Err(format!("{what} '{i}' appears twice"));
        }
    }
    Ok(())
}

const PEMILU_2024: &str = include_str!("data/pemilu-2024.toml");
const PILKADA_2024: &str = include_str!("data/pilkada-2024.toml");

static BUILTIN_PEMILU: LazyLock<Result<Arc<Procedure>, ProcedureError>> =
    LazyLock::new(|| Procedure::parse(PEMILU_2024).map(Arc::new));
static BUILTIN_PILKADA: LazyLock<Result<Arc<Procedure>, ProcedureError>> =
    LazyLock::new(|| Procedure::parse(PILKADA_2024).map(Arc::new));

/// The built-in procedure named `id`.
pub fn builtin(id: &str) -> Result<Arc<Procedure>, ProcedureError> {
    let cell = match id {
        "pemilu-2024" => &BUILTIN_PEMILU,
        "pilkada-2024" => &BUILTIN_PILKADA,
        other => return Err(ProcedureError::Unknown(other.to_string())),
    };
    cell.as_ref().map(Arc::clone).map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_builtins_load() {
        let pemilu = builtin("pemilu-2024").unwrap();
        assert_eq!(pemilu.election, ElectionKind::Pemilu);
        assert_eq!(pemilu.ballots.len(), 5);
        let pilkada = builtin("pilkada-2024").unwrap();
        assert_eq!(pilkada.election, ElectionKind::Pilkada);
        assert!(matches!(
            builtin("pemilu-1955"),
            Err(ProcedureError::Unknown(_))
        ));
    }

    #[test]
    fn reserve_is_two_percent_for_pemilu_and_two_and_a_half_rounded_up_for_pilkada() {
        let pemilu = builtin("pemilu-2024").unwrap();
        assert_eq!(pemilu.delivered_for(300), 306);
        assert_eq!(pemilu.delivered_for(251), 257); // 5.02 reserve rounds up to 6
        let pilkada = builtin("pilkada-2024").unwrap();
        assert_eq!(pilkada.delivered_for(400), 410);
        assert_eq!(pilkada.delivered_for(401), 412); // 10.025 rounds up to 11
    }

    #[test]
    fn only_party_ballots_bound_a_candidate_list() {
        let pemilu = builtin("pemilu-2024").unwrap();
        let max = |b| pemilu.ballot_rule(b).map(|r| r.candidates_max);
        assert_eq!(max(BallotType::Dpr), Some(10));
        assert_eq!(max(BallotType::DprdKabKota), Some(12));
        assert_eq!(max(BallotType::Ppwp), Some(0));
        assert_eq!(max(BallotType::Dpd), Some(0));
        let on_ppwp = PEMILU_2024.replace(
            "dptb_always = true",
            "dptb_always = true\ncandidates_max = 2",
        );
        assert!(matches!(
            Procedure::parse(&on_ppwp),
            Err(ProcedureError::Invalid { problem, .. }) if problem.contains("ballot PPWP: candidates_max 2")
        ));
        let none_on_dpr = PEMILU_2024.replace("candidates_max = 10", "");
        assert!(matches!(
            Procedure::parse(&none_on_dpr),
            Err(ProcedureError::Invalid { problem, .. }) if problem.contains("ballot DPR: candidates_max 0")
        ));
        let beyond = PEMILU_2024.replace("candidates_max = 10", "candidates_max = 13");
        assert!(Procedure::parse(&beyond).is_err());
    }

    #[test]
    fn a_broken_procedure_file_is_refused_with_the_reason() {
        let broken = PEMILU_2024.replace("polls_close = \"13:00\"", "polls_close = \"11:00\"");
        assert!(matches!(
            Procedure::parse(&broken),
            Err(ProcedureError::Invalid { problem, .. }) if problem.contains("out of order")
        ));
        let unknown = PEMILU_2024.replace("ballot = \"DPD\"", "ballot = \"MPR\"");
        assert!(matches!(
            Procedure::parse(&unknown),
            Err(ProcedureError::Invalid { problem, .. }) if problem.contains("MPR")
        ));
        assert!(matches!(
            Procedure::parse("id = 3"),
            Err(ProcedureError::Toml(_))
        ));
    }
}
