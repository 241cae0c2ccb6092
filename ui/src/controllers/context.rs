//! What the controllers share: the [`Ui`] (the window, the worker that owns the station, and the
//! [`Model`]: what the screens are showing and what the chair is in the middle of). Commands go
//! to the worker; the screen shows "Menyimpan…" until the answer is back. The controllers
//! themselves are wired in by the parent module, through [`Hooks`], so this file names none of
//! them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use slint::{ComponentHandle, Model as _, ModelRc, VecModel};
use tps_firmware::event::ReportKind;
use tps_firmware::kiosk::Outcome;
use tps_firmware::procedure::clock::SetClock;
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::{Command, Refusal, State};
use tps_firmware::text::{Bilingual, Lang};
use tps_firmware::time::Stamp;
use tps_kiosk_screens::{AppWindow, EditorAdapter, Screen};
use tps_station::draft::Draft;
use tps_station::draft_file::{Correction, Saved};
use tps_station::worker::{
    Job, KioskView, News, NotDurable, PrintFailure, Provisioned, Snapshot, TechnicianDone,
    TechnicianFailure, TechnicianTask, Worker,
};

/// A message after an action, kept as data so it follows the language.
#[derive(Debug, Clone)]
pub enum Notice {
    /// The engine said no.
    Refusal(Refusal),
    /// Done and durable.
    Saved(Bilingual),
    /// The station could not make the record durable (an alarm, the power); the alarm screen
    /// says more.
    NotSaved,
    /// The record is on the SD card and shows, but waits for a USB stick to be durable twice.
    PrimaryOnly,
    /// A report was not printed, or its print not recorded.
    NotPrinted(PrintFailure),
}

/// What a command on its way to the journal is for, to finish the chair's flow when it is back.
#[derive(Debug, Clone)]
pub enum Pending {
    /// A person's registration.
    Register,
    /// A person marked present or absent.
    Presence,
    /// A proposal for the step (its index).
    Propose(usize),
    /// New figures for a completed step, for confirmation.
    Correct(usize),
    /// A confirmation of the open proposal.
    Confirm,
    /// An objection to the open proposal.
    Object,
    /// A step completed.
    Complete {
        /// The step's index.
        step: usize,
        /// The proposal completed was a correction.
        correction: bool,
    },
    /// A report printed, and its print recorded.
    Print(ReportKind),
    /// A kejadian khusus.
    Incident,
    /// The announcement that DPK voters may now vote.
    Dpk,
    /// A break in the count announced.
    Break,
    /// The end of voting.
    EndVoting,
    /// A witness recorded as declining, a keberatan's outcome, or NIHIL.
    Response,
    /// A clock setting (by the technician before the day, or witnessed after).
    Clock,
    /// "Ekspor untuk PPS".
    Export,
    /// A provisioning step of a blank device.
    Provision,
    /// "Siapkan untuk pemilu berikutnya".
    Reprovision,
}

/// What an on-screen keyboard or keypad is filling in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    /// A field of a step's form.
    Cell {
        /// The step's index.
        step: usize,
        /// The field's key.
        key: String,
    },
    /// The name of the person being registered.
    RegisterName,
    /// Their mandate or assignment letter number.
    RegisterLetter,
    /// Their identity document number.
    RegisterIdNumber,
    /// The kejadian khusus being written.
    IncidentText,
    /// Why this person objects.
    ObjectionReason(PersonId),
    /// Why a witness declines, the KPPS's explanation, or the Pengawas TPS's advice.
    ResponseText,
}

/// What a picker is choosing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickTarget {
    /// The role of the person being registered.
    Role,
    /// The participant a saksi being registered is for.
    Participant,
    /// Who confirms the open proposal.
    Confirmer,
    /// Who objects to it.
    Objector,
    /// Who raises a kejadian khusus.
    RaisedBy,
    /// A witness of a kejadian khusus.
    Witness,
    /// The witness inside who will neither confirm nor object.
    Decliner,
    /// A witness who confirms a response (two when the Pengawas declines).
    ResponseWitness,
    /// The keberatan to record an outcome for.
    Objection,
    /// Its outcome.
    Outcome,
    /// A witness of a clock setting.
    ClockWitness,
}

/// A chair's action that needs the chair's PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChairAction {
    /// Complete the current step.
    Complete {
        /// Go on without the quorum the engine asks for (it says when it allows that).
        proceed_without_quorum: bool,
    },
    /// Mark a person present or absent.
    Presence {
        /// Who.
        person: PersonId,
        /// Present (true) or absent.
        present: bool,
    },
    /// Announce that DPK voters may now vote.
    AnnounceDpk,
    /// Announce a break in the count.
    AnnounceBreak,
    /// End the voting.
    EndVoting,
    /// Record the kejadian khusus being written.
    Incident,
    /// The response being drafted (`respond`).
    Response,
    /// Record NIHIL: nothing to record.
    Nihil,
}

/// What a PIN, once typed, is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinNext {
    /// A new person's PIN, first time.
    RegisterNew,
    /// A new person's PIN again; the first one.
    RegisterRepeat(Pin),
    /// The chair accepts the registration; the new person's PIN.
    RegisterChair(Pin),
    /// This person confirms the open proposal.
    Confirm(PersonId),
    /// This person objects to it.
    Object {
        /// Who.
        person: PersonId,
        /// Why, as they said it.
        reason: String,
    },
    /// The chair signs this action.
    Chair(ChairAction),
    /// This person witnesses the kejadian khusus being written.
    Witness(PersonId),
    /// A witness confirms the response being drafted.
    ResponseWitness(PersonId),
    /// The chair signs the clock setting being drafted (once the day has begun).
    ClockChair,
    /// A witness of the clock setting being drafted.
    ClockWitness(PersonId),
    /// The technician PIN, for a technician's task.
    Technician(TechnicianAction),
}

/// What the technician PIN is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TechnicianAction {
    /// The clock before the day has begun.
    SetClock,
    /// The export for the PPS.
    Export,
    /// Provisioning again after an election.
    Reprovision,
}

/// Why the PIN pad shows an error.
#[derive(Debug, Clone)]
pub enum PinError {
    /// The engine refused what the PIN signed.
    Refusal(Refusal),
    /// The new PIN and its repetition differ.
    Mismatch,
    /// The technician PIN was not accepted (why).
    Technician(Bilingual),
}

/// A PIN being asked for.
#[derive(Debug, Clone)]
pub struct PinAsk {
    /// Whose PIN, by name.
    pub person: String,
    /// Their role.
    pub role: Bilingual,
    /// The screen is first handed to the person (everyone but the chair).
    pub handover: bool,
    /// What the PIN signs, named.
    pub signs: Bilingual,
    /// What the PIN is for.
    pub next: PinNext,
    /// Why the last PIN typed did not do it.
    pub error: Option<PinError>,
}

/// What covers the screen.
#[derive(Debug, Clone, Default)]
pub enum Overlay {
    /// Nothing: the screen itself.
    #[default]
    None,
    /// The keyboard or the number pad.
    Editor {
        /// What it fills in.
        target: EditTarget,
        /// What it asks for.
        title: Bilingual,
        /// A word key the screen translates, after the title.
        caption: &'static str,
        /// The number pad rather than the keyboard.
        numeric: bool,
    },
    /// A list to choose from.
    Picker {
        /// What it chooses.
        target: PickTarget,
        /// What it asks for.
        title: Bilingual,
    },
    /// The PIN pad.
    Pin(PinAsk),
    /// A consequential action asked once more.
    Ask(Ask),
}

/// What is done once the chair says yes to a question asked once more (`ask`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    /// The report printed.
    Print(ReportKind),
    /// "Lanjut" without the witnesses who did not come (the chair's PIN next).
    ProceedWithout,
    /// `person` recorded as leaving (the chair's PIN next).
    Leaves(PersonId),
    /// The correction being drafted, submitted for confirmation.
    Correct,
}

/// A consequential action's question on the screen.
#[derive(Debug, Clone)]
pub struct Ask {
    /// What will happen.
    pub what: Bilingual,
    /// The button that does it.
    pub yes: Bilingual,
    /// What is done on yes.
    pub then: Then,
}

/// A registration being filled in.
#[derive(Debug, Clone, Default)]
pub struct RegisterDraft {
    /// The role chosen.
    pub role: Option<Role>,
    /// A saksi registration before its participant is chosen.
    pub saksi: bool,
    /// The name typed.
    pub name: String,
    /// The mandate or assignment letter number.
    pub letter: String,
    /// Identity document number (pemantau, pewarta).
    pub id_number: String,
}

/// A kejadian khusus being written.
#[derive(Debug, Clone, Default)]
pub struct IncidentDraft {
    /// What happened, as typed.
    pub text: String,
    /// Who raises it.
    pub raised_by: Option<PersonId>,
    /// The witnesses who entered their PINs so far.
    pub witnesses: Vec<(PersonId, Pin)>,
}

/// The outcome chosen for a keberatan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// The KPPS explained, and the objection is settled.
    Explained,
    /// The objection was accepted.
    Accepted,
    /// Not accepted, with the Pengawas TPS's advice, which the KPPS followed or not (then the
    /// KPPS records why).
    NotAccepted {
        /// The KPPS followed the advice.
        followed: bool,
    },
}

/// A response being drafted: who declines, or which keberatan and its outcome; the text; the
/// witnesses' PINs so far.
#[derive(Debug, Clone, Default)]
pub struct ResponseDraft {
    /// The witness who declines.
    pub decliner: Option<PersonId>,
    /// The keberatan chosen (its id).
    pub objection: Option<u64>,
    /// Its outcome.
    pub outcome: Option<OutcomeKind>,
    /// Why the witness declines, the KPPS's explanation, or the Pengawas TPS's advice.
    pub text: String,
    /// Why the KPPS did not follow the Pengawas TPS's advice.
    pub why_not: String,
    /// Who confirmed, with their PINs, so far.
    pub confirmers: Vec<(PersonId, Pin)>,
}

/// A clock setting being typed.
#[derive(Debug, Clone, Default)]
pub struct ClockDraft {
    /// Up to 12 digits (`DDMMYYYYhhmm`): day, month, year, hour, minute.
    pub digits: String,
    /// The witnesses who entered their PINs (once the day has begun).
    pub witnesses: Vec<(PersonId, Pin)>,
    /// The witnesses say they saw both times in words (a regulated time crossed).
    pub crossing_seen: bool,
}

/// How the last export went.
#[derive(Debug, Clone)]
pub enum ExportResult {
    /// Exported.
    Done {
        /// The folder on the stick.
        folder: String,
        /// What the screen says about it.
        message: Bilingual,
    },
    /// Not exported.
    Failed {
        /// Why.
        why: Bilingual,
    },
}

/// Where provisioning has got to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Stage {
    /// Nothing asked yet.
    #[default]
    Start,
    /// The request is on the stick; waiting for the authority's answer.
    Requested,
    /// The answer was checked and is shown for confirmation.
    Checked,
    /// Typing the new technician PIN.
    Pin,
    /// Typing it again; the first one.
    PinAgain(String),
}

/// What the provisioning screen shows.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// How far it has got.
    pub stage: Stage,
    /// What to take to the authority, or the TPS to confirm.
    pub info: Option<Bilingual>,
    /// Why the last step was refused.
    pub error: Option<Bilingual>,
}

/// What the screens show and what the chair is in the middle of.
#[derive(Debug)]
pub struct Model {
    /// The language the screens speak.
    pub lang: Lang,
    /// The screen shown.
    pub screen: Screen,
    /// Where "back" from the incident screen returns to.
    pub before_incident: Screen,
    /// Where the report screen was opened from, for its "Kembali".
    pub before_report: Screen,
    /// The station's latest snapshot.
    pub snapshot: Option<Snapshot>,
    /// The job on its way to the station (its id) and what it is for.
    pub in_flight: Option<(u64, Pending)>,
    next_id: u64,
    /// The message after the last action.
    pub notice: Option<Notice>,
    /// When the notice was put up (a "saved" notice goes away by itself after a while).
    notice_since: Option<std::time::Instant>,
    /// The chair's entries per step (by index in the procedure).
    pub drafts: HashMap<usize, Draft>,
    /// A step whose open proposal the chair is changing.
    pub editing: Option<usize>,
    /// A completed step whose figures the chair is correcting, with the new figures and the
    /// reason (under [`tps_station::draft::CORRECTION_REASON`]) before they are submitted.
    pub correcting: Option<(usize, Draft)>,
    /// The done step the progress screen shows beside the list.
    pub selected: Option<usize>,
    /// The report the report screen shows.
    pub report: ReportKind,
    /// The step the step screen shows.
    pub step: usize,
    /// The registration being filled in.
    pub register: RegisterDraft,
    /// Where the registration form returns to: the attendance list, or the waiting screen a
    /// late witness was registered from.
    pub after_register: Screen,
    /// The kejadian khusus being written.
    pub incident: IncidentDraft,
    /// The response being drafted.
    pub response: ResponseDraft,
    /// The clock setting being typed.
    pub clock: ClockDraft,
    /// Where the clock's form was opened from.
    pub before_clock: Screen,
    /// How the last export went (since the export screen was opened).
    pub export: Option<ExportResult>,
    /// What covers the screen.
    pub overlay: Overlay,
    /// The chair has seen the clock alarm and looks at the screens behind it.
    pub clock_alarm_seen: bool,
    /// What the simulator could not do, for its panel.
    pub sim_message: Option<String>,
    /// Where provisioning a blank device has got to.
    pub provision: Progress,
    /// Where "Siapkan untuk pemilu berikutnya" was opened from.
    pub before_reprovision: Screen,
    /// Why the last try to provision again failed.
    pub reprovision_failed: Option<Bilingual>,
}

impl Model {
    fn new(lang: Lang) -> Self {
        Self {
            lang,
            screen: Screen::SelfCheck,
            before_incident: Screen::Progress,
            before_report: Screen::Progress,
            snapshot: None,
            in_flight: None,
            next_id: 1,
            notice: None,
            notice_since: None,
            drafts: HashMap::new(),
            editing: None,
            correcting: None,
            selected: None,
            report: ReportKind::Opening,
            step: 0,
            register: RegisterDraft::default(),
            after_register: Screen::Attendance,
            incident: IncidentDraft::default(),
            response: ResponseDraft::default(),
            clock: ClockDraft::default(),
            before_clock: Screen::SelfCheck,
            export: None,
            overlay: Overlay::None,
            clock_alarm_seen: false,
            sim_message: None,
            provision: Progress::default(),
            before_reprovision: Screen::SelfCheck,
            reprovision_failed: None,
        }
    }

    /// Puts up a notice.
    pub fn say(&mut self, notice: Notice) {
        self.notice = Some(notice);
        self.notice_since = Some(std::time::Instant::now());
    }

    /// Puts up a "saved" notice.
    pub fn say_saved(&mut self, id: String, en: String) {
        self.say(Notice::Saved(Bilingual::new(id, en)));
    }

    /// Takes a "saved" notice down once it has been up long enough; refusals stay until
    /// dismissed. Returns whether it went.
    fn expire_notice(&mut self) -> bool {
        let old = self
            .notice_since
            .is_some_and(|t| t.elapsed() >= SAVED_NOTICE_FOR);
        if old && matches!(self.notice, Some(Notice::Saved(_))) {
            self.notice = None;
            self.notice_since = None;
            return true;
        }
        false
    }

    /// The running kiosk's view.
    pub fn kiosk(&self) -> Option<&KioskView> {
        self.snapshot.as_ref().and_then(|s| s.kiosk.as_ref().ok())
    }

    /// The engine's state, while the kiosk runs.
    pub fn state(&self) -> Option<&State> {
        self.kiosk().map(|k| k.state.as_ref())
    }

    /// The stamp a record made now would get, while the kiosk runs.
    pub fn stamp(&self) -> Option<Stamp> {
        self.kiosk().map(|k| k.stamp)
    }

    /// The chair's entries for step `index`: the correction being drafted when it is of that
    /// step, the step's own draft otherwise.
    pub fn draft_mut(&mut self, index: usize) -> &mut Draft {
        match &mut self.correcting {
            Some((step, draft)) if *step == index => draft,
            _ => self.drafts.entry(index).or_default(),
        }
    }

    /// The KPPS chair, once registered.
    pub fn chair_id(&self) -> Option<PersonId> {
        self.state().and_then(|s| s.chair().map(|c| c.id))
    }

    /// A person's name and role, as the screens show them.
    pub fn person_label(&self, id: PersonId) -> (String, Bilingual) {
        self.state()
            .and_then(|s| {
                s.person(id)
                    .map(|p| (p.name.to_string(), s.role_label(p.role)))
            })
            .unwrap_or_else(|| (id.to_string(), Bilingual::default()))
    }
}

/// How long a "saved" notice stays up.
const SAVED_NOTICE_FOR: std::time::Duration = std::time::Duration::from_secs(6);

/// The kiosk screen and everything behind it.
pub struct Ui {
    /// The kiosk's window.
    pub app: AppWindow,
    worker: Worker,
    /// What the screens show and what the chair is in the middle of.
    pub model: RefCell<Model>,
    hooks: Hooks,
    draft_file: RefCell<DraftFile>,
}

/// What is being typed as last written to the draft file.
#[derive(Debug)]
struct DraftFile {
    path: std::path::PathBuf,
    /// Whether the file has been read back (nothing is written before).
    restored: bool,
    /// The current step's id and what is being typed, `None` for no file.
    written: Option<(String, Saved)>,
}

/// Fills every adapter from the model (keeping what it needs between renders).
pub(super) type Render = dyn Fn(&Ui, &Model);

/// What the controllers do for the [`Ui`]: fill every adapter from the model, and finish the
/// chair's flow when its command is back. The parent module sets them when it wires the
/// controllers.
pub(super) struct Hooks {
    /// Fills every adapter from the model.
    pub render: Box<Render>,
    /// Finishes the chair's flow whose command is back.
    pub finish: fn(&Ui, Pending, Answer),
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ui").finish_non_exhaustive()
    }
}

impl Ui {
    /// The window and the worker, with what the controllers do for them; nothing wired yet.
    pub(super) fn with_hooks(app: AppWindow, worker: Worker, lang: Lang, hooks: Hooks) -> Rc<Ui> {
        Rc::new(Ui {
            app,
            model: RefCell::new(Model::new(lang)),
            hooks,
            draft_file: RefCell::new(DraftFile {
                path: tps_station::draft_file::path(worker.data_dir()),
                restored: false,
                written: None,
            }),
            worker,
        })
    }

    /// Asks the station to read its hardware and report.
    pub fn poll(&self) {
        self.worker.send(Job::Poll);
    }

    /// Hands a simulator action to the station.
    pub fn sim(&self, job: Job) {
        self.worker.send(job);
    }

    /// Whether every job sent has been answered and no command is on its way.
    pub fn idle(&self) -> bool {
        let m = self.model.borrow();
        m.in_flight.is_none()
            && m.snapshot
                .as_ref()
                .is_some_and(|s| s.served >= self.worker.sent())
    }

    /// Sends a command; the screen is busy until it is back.
    pub fn submit(&self, command: Command, pending: Pending) {
        self.start(pending, |id| Job::Submit {
            id,
            command: Box::new(command),
        });
    }

    /// A provisioning step; the screen is busy until it is back.
    pub fn provision(&self, step: tps_station::worker::ProvisionStep) {
        self.start(Pending::Provision, |id| Job::Provision { id, step });
    }

    /// Prints a report (and records the print); the screen is busy until it is back.
    pub fn print_report(&self, kind: ReportKind) {
        self.start(Pending::Print(kind), |id| Job::PrintReport {
            id: Some(id),
            kind,
        });
    }

    /// Sets the clock with the chair's and the witnesses' PINs (once the day has begun); the
    /// screen is busy until it is back.
    pub fn set_clock_witnessed(&self, set: SetClock) {
        self.start(Pending::Clock, |id| Job::SetClockWitnessed {
            id,
            set: Box::new(set),
        });
    }

    /// Hands a technician's task to the station with the technician PIN typed; the screen is
    /// busy until it is back.
    pub fn technician(&self, pin: String, task: TechnicianTask) {
        let pending = match task {
            TechnicianTask::SetClock(_) => Pending::Clock,
            TechnicianTask::Export => Pending::Export,
            TechnicianTask::Reprovision => Pending::Reprovision,
        };
        self.start(pending, |id| Job::Technician { id, pin, task });
    }

    /// Hands the job `make` builds with a fresh id to the station; the screen is busy until
    /// the answer with that id is back.
    fn start(&self, pending: Pending, make: impl FnOnce(u64) -> Job) {
        let id = {
            let mut m = self.model.borrow_mut();
            let id = m.next_id;
            m.next_id += 1;
            m.in_flight = Some((id, pending));
            m.notice = None;
            id
        };
        if !self.worker.send(make(id)) {
            let mut m = self.model.borrow_mut();
            m.in_flight = None;
            m.say(Notice::NotSaved);
        }
        self.render();
    }

    /// Takes in what the station reported, finishes flows whose command is back, re-renders.
    pub fn drain(&self) {
        let mut changed = false;
        let mut answers = Vec::new();
        while let Some(news) = self.worker.try_news() {
            match news {
                News::Snapshot(s) => {
                    let mut m = self.model.borrow_mut();
                    changed |= m.snapshot.as_ref().is_none_or(|old| differs(old, &s));
                    m.snapshot = Some(*s);
                }
                News::Submitted { id, result } => answers.push((id, Answer::Submitted(result))),
                News::Printed {
                    id: Some(id),
                    result,
                } => answers.push((id, Answer::Printed(result))),
                News::Printed { id: None, result } => {
                    // A print from the simulator's panel: its failure is for the panel.
                    if let Err(e) = result {
                        self.model.borrow_mut().sim_message = Some(e.to_string());
                    }
                }
                News::Technician { id, result } => answers.push((id, Answer::Technician(result))),
                News::SimFailed(e) => {
                    // For the developer at the simulator's panel, not for the chair.
                    self.model.borrow_mut().sim_message = Some(e);
                }
                News::Provision { id, result } => answers.push((id, Answer::Provision(result))),
            }
        }
        self.restore_draft();
        // Flows finish on the state that includes their records (the snapshot after them).
        for (id, result) in answers {
            self.finish(id, result);
            changed = true;
        }
        changed |= self.model.borrow_mut().expire_notice();
        if changed {
            self.follow_station();
            self.render();
        }
    }

    /// Screens that follow the station: power off and back on; a blank device's provisioning,
    /// and the start-up check once it is provisioned.
    fn follow_station(&self) {
        let mut m = self.model.borrow_mut();
        let off = m.snapshot.as_ref().is_some_and(|s| s.power_off);
        let blank = m.snapshot.as_ref().is_some_and(|s| s.provisioning);
        if !off && blank != (m.screen == Screen::Provision) {
            m.screen = if blank {
                Screen::Provision
            } else {
                Screen::SelfCheck
            };
            m.overlay = Overlay::None;
            m.provision = Progress::default();
            return;
        }
        if off && m.screen != Screen::PowerOff {
            m.screen = Screen::PowerOff;
            m.overlay = Overlay::None;
            m.in_flight = None;
            m.notice = None;
        } else if !off && m.screen == Screen::PowerOff {
            // Power back: start-up check again, as on a real start.
            m.screen = Screen::SelfCheck;
            m.clock_alarm_seen = false;
        }
    }

    fn finish(&self, id: u64, answer: Answer) {
        let pending = {
            let mut m = self.model.borrow_mut();
            match m.in_flight.take() {
                Some((mine, p)) if mine == id => p,
                other => {
                    m.in_flight = other;
                    return;
                }
            }
        };
        (self.hooks.finish)(self, pending, answer);
    }

    /// Once the station's state is known: what was being typed before the last stop, from the
    /// draft file: the current step's entries, and a correction being drafted when the engine
    /// still allows that step's correction (never another step's).
    fn restore_draft(&self) {
        if self.draft_file.borrow().restored {
            return;
        }
        let current = {
            let m = self.model.borrow();
            let Some(state) = m.state() else { return };
            let step = state.current_step();
            state
                .procedure()
                .steps
                .get(step)
                .map(|spec| (step, spec.id.clone()))
        };
        let path = self.draft_file.borrow().path.clone();
        if let Some((step, id)) = current {
            match tps_station::draft_file::load(&path, &id) {
                Ok(Some(saved)) => {
                    let mut m = self.model.borrow_mut();
                    if saved.current != Draft::default() {
                        log::info!("entries of step {id} typed before the restart are back");
                        m.drafts.entry(step).or_insert(saved.current);
                    }
                    if let Some(c) = saved.correction {
                        restore_correction(&mut m, c);
                    }
                }
                Ok(None) => {}
                Err(e) => log::warn!("{e}; ignored"),
            }
        }
        self.draft_file.borrow_mut().restored = true;
    }

    /// Writes what is being typed to the draft file when it changed since last written (the
    /// current step's entries and a correction being drafted, with what is being typed into one
    /// of their fields); removes the file once there is nothing (the step recorded, the
    /// correction submitted or abandoned).
    pub fn persist_draft(&self) {
        let current = {
            let m = self.model.borrow();
            let Some(state) = m.state() else { return };
            let step = state.current_step();
            let typing = self.typing(&m);
            state.procedure().steps.get(step).and_then(|spec| {
                let mut current = m.drafts.get(&step).cloned().unwrap_or_default();
                let correction = m.correcting.as_ref().and_then(|(index, d)| {
                    let mut d = d.clone();
                    if let Some((s, key, typed)) = &typing
                        && s == index
                    {
                        typed_into(&mut d, key, typed);
                    }
                    let step = state.procedure().steps.get(*index)?.id.clone();
                    Some(Correction { step, draft: d })
                });
                // As `Model::draft_mut`: a field of the step being corrected is the correction's.
                if let Some((s, key, typed)) = &typing
                    && *s == step
                    && m.correcting
                        .as_ref()
                        .is_none_or(|(index, _)| *index != step)
                {
                    typed_into(&mut current, key, typed);
                }
                let saved = Saved {
                    current,
                    correction,
                };
                (saved != Saved::default()).then(|| (spec.id.clone(), saved))
            })
        };
        let mut file = self.draft_file.borrow_mut();
        if !file.restored || file.written == current {
            return;
        }
        let result = match &current {
            Some((id, saved)) => tps_station::draft_file::save(&file.path, id, saved),
            None => tps_station::draft_file::remove(&file.path),
        };
        if let Err(e) = result {
            // The entries are still on the screen; the journal is not concerned.
            log::warn!("{e}");
        }
        file.written = current;
    }

    /// The field of a step's form being typed into on the keyboard or keypad: the step's index,
    /// the field's key, and what the editor holds so far.
    fn typing(&self, m: &Model) -> Option<(usize, String, String)> {
        match &m.overlay {
            Overlay::Editor {
                target: EditTarget::Cell { step, key },
                ..
            } => {
                let typed = self.app.global::<EditorAdapter>().get_value();
                Some((*step, key.clone(), typed.trim().to_string()))
            }
            _ => None,
        }
    }

    /// Fills every adapter from the model.
    pub fn render(&self) {
        let m = self.model.borrow();
        (self.hooks.render)(self, &m);
        drop(m);
        self.persist_draft();
    }

    /// Goes to a screen (closing whatever covers it).
    pub fn go(&self, screen: Screen) {
        {
            let mut m = self.model.borrow_mut();
            // The incident screen returns to where it was opened from (its list returns to it).
            if screen == Screen::Incident
                && !matches!(m.screen, Screen::Incident | Screen::IncidentList)
            {
                m.before_incident = m.screen;
            }
            // The export screen is opened from the report and returns to it.
            if screen == Screen::Report && !matches!(m.screen, Screen::Report | Screen::Export) {
                m.before_report = m.screen;
            }
            if screen == Screen::Clock && m.screen != Screen::Clock {
                m.before_clock = m.screen;
            }
            m.screen = screen;
            m.overlay = Overlay::None;
        }
        self.render();
    }

    /// The screen for the day's current step: the voting screen while the polls are open; a
    /// correction waiting for its confirmations comes first.
    pub fn open_current(&self) {
        let (screen, index) = {
            let m = self.model.borrow();
            let Some(state) = m.state() else { return };
            use tps_firmware::procedure::Phase;
            if let Some(open) = tps_firmware::procedure::view::open_correction(state) {
                (Screen::Step, open.step)
            } else {
                let screen = match state.phase() {
                    Phase::Voting | Phase::Queue => Screen::Voting,
                    Phase::Finished => Screen::Progress,
                    _ => Screen::Step,
                };
                (screen, state.current_step())
            }
        };
        self.model.borrow_mut().step = index;
        self.go(screen);
    }

    /// Runs `f` on the model and renders.
    pub fn update(&self, f: impl FnOnce(&mut Model)) {
        f(&mut self.model.borrow_mut());
        self.render();
    }
}

/// What the station answered to a job with an id.
pub(super) enum Answer {
    Submitted(Result<Outcome, NotDurable>),
    Printed(Result<ReportKind, PrintFailure>),
    Provision(Result<Provisioned, Bilingual>),
    Technician(Result<TechnicianDone, TechnicianFailure>),
}

/// Whether a new snapshot shows anything the old one did not (the clock moving by a second
/// counts).
fn differs(old: &Snapshot, new: &Snapshot) -> bool {
    let second = |s: &Snapshot| s.reading.map(|r| r.wall_ms.div_euclid(1000));
    second(old) != second(new)
        || old.status != new.status
        || old.power_off != new.power_off
        || old.provisioning != new.provisioning
        || old.reprovision != new.reprovision
        || old.served != new.served
        || old.kiosk.as_ref().err() != new.kiosk.as_ref().err()
}

/// `typed` in the field `key` of `draft` (nothing typed: the field empty).
fn typed_into(draft: &mut Draft, key: &str, typed: &str) {
    if typed.is_empty() {
        draft.values.remove(key);
    } else {
        draft.values.insert(key.to_string(), typed.to_string());
    }
}

/// A correction being drafted before the restart, back in the model when it is of a step the
/// engine still allows to be corrected; otherwise ignored, with a log line.
fn restore_correction(m: &mut Model, c: Correction) {
    let Some(state) = m.state() else { return };
    let index = state.procedure().steps.iter().position(|s| s.id == c.step);
    let allowed = index.map(|i| {
        tps_firmware::procedure::view::preview_correction(state, i)
            .map(|()| i)
            .map_err(|r| r.message(Lang::En))
    });
    match allowed {
        Some(Ok(index)) if m.correcting.is_none() => {
            log::info!(
                "the correction of step {} typed before the restart is back",
                c.step
            );
            m.correcting = Some((index, c.draft));
        }
        Some(Ok(_)) => {}
        Some(Err(why)) => log::warn!(
            "the draft file's correction of step {} cannot be taken up ({why}); ignored",
            c.step
        ),
        None => log::warn!(
            "the draft file's correction is of no step of the procedure ({}); ignored",
            c.step
        ),
    }
}

/// Calls `f` with the [`Ui`] if it still exists (callbacks hold it weakly, so the window and the
/// controllers do not keep each other alive).
pub fn with(ui: &std::rc::Weak<Ui>, f: impl FnOnce(&Ui)) {
    if let Some(ui) = ui.upgrade() {
        f(&ui);
    }
}

/// Replaces the rows of a `VecModel` behind `current` in place where they changed (so the screen
/// keeps its scroll position and pressed states), or makes a new model.
pub fn sync<T: Clone + PartialEq + 'static>(current: ModelRc<T>, rows: Vec<T>) -> ModelRc<T> {
    if let Some(vec) = current.as_any().downcast_ref::<VecModel<T>>() {
        let old = vec.row_count();
        for (i, row) in rows.iter().enumerate() {
            if i < old {
                if vec.row_data(i).as_ref() != Some(row) {
                    vec.set_row_data(i, row.clone());
                }
            } else {
                vec.push(row.clone());
            }
        }
        for i in (rows.len()..old).rev() {
            vec.remove(i);
        }
        return current;
    }
    ModelRc::new(VecModel::from(rows))
}

/// A number for the screen (an `int` there).
pub fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A weak handle for callbacks.
pub fn weak(ui: &Rc<Ui>) -> std::rc::Weak<Ui> {
    Rc::downgrade(ui)
}
