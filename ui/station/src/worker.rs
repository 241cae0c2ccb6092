//! The station on a thread of its own. A command's PIN checks (Argon2, about a quarter of a second
//! on a Pi), signature and two fsyncs never run on the UI thread: the screen sends a [`Job`],
//! shows "Menyimpan…", and moves on when the [`News`] says the record is durable.
//!
//! This is the one place that calls the station: everything the screens know comes from the
//! [`Snapshot`]s sent back after each job and poll.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;

use tps_firmware::drivers::printer::{PrinterError, Receipt};
use tps_firmware::drivers::storage::{StorageError, StorageStatus};
use tps_firmware::election::BallotType;
use tps_firmware::event::ReportKind;
use tps_firmware::kiosk::enrol::Offer;
use tps_firmware::kiosk::export::Exported;
use tps_firmware::kiosk::{Check, ClockReading, Kiosk, KioskError, Outcome};
use tps_firmware::procedure::clock::SetClock;
use tps_firmware::procedure::{Command, State};
use tps_firmware::report::ReportError;
use tps_firmware::text::{Bilingual, Lang};
use tps_firmware::time::Stamp;

use crate::station::provisioning::ReprovisionError;
use crate::station::{Devices, Station, StationError, StationStatus};

/// Something for the station to do.
#[derive(Debug)]
pub enum Job {
    /// A command from the screen; the answer comes back with the same id.
    Submit {
        /// The job's id.
        id: u64,
        /// The command.
        command: Box<Command>,
    },
    /// Read the hardware (lid, power, USB stick) and report.
    Poll,
    /// The simulator's panel sets the clock (recorded).
    SetClock {
        /// The new time (Unix milliseconds).
        wall_ms: i64,
    },
    /// The chair and witnesses set the clock once the day has begun; answered as `Submitted`.
    SetClockWitnessed {
        /// The job's id.
        id: u64,
        /// The setting with its PINs.
        set: Box<SetClock>,
    },
    /// Something only a technician does, behind the technician PIN.
    Technician {
        /// The job's id.
        id: u64,
        /// The technician PIN as typed.
        pin: String,
        /// The task.
        task: TechnicianTask,
    },
    /// Print a report and record that it was printed. The answer comes back with the same id;
    /// the simulator's panel sends none (its failures are for its own window).
    PrintReport {
        /// The job's id (none from the simulator's panel).
        id: Option<u64>,
        /// Which report.
        kind: ReportKind,
    },
    /// The simulator cuts the power.
    CutPower,
    /// The simulator restores the power and the kiosk starts again.
    Restart,
    /// A step of provisioning a blank device; the answer comes back with the same id.
    Provision {
        /// The job's id.
        id: u64,
        /// The step.
        step: ProvisionStep,
    },
}

/// What the technician asked of provisioning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvisionStep {
    /// Make the device key (once) and write the certificate request to the stick.
    Request,
    /// Check the authority's answer on the stick.
    Check,
    /// Install the answer last checked, with the technician PIN typed twice.
    Install {
        /// The PIN.
        pin: String,
        /// The PIN typed again.
        again: String,
    },
}

/// What a provisioning step came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provisioned {
    /// The request is on the stick: what to take to the authority.
    Requested(Bilingual),
    /// The answer is sound: the TPS it is for, to confirm.
    Checked(Bilingual),
    /// Installed; the kiosk started.
    Installed,
}

/// What only a technician does: each goes through [`technician_gate`] first.
#[derive(Debug)]
pub enum TechnicianTask {
    /// Set the clock before the day has begun (the engine decides; the setting is recorded).
    SetClock(Box<SetClock>),
    /// "Ekspor untuk PPS": the day's files to the USB stick (changes nothing, records nothing).
    Export,
    /// "Siapkan untuk pemilu berikutnya": the election's files put aside, the device back in
    /// provisioning ([`Station::reprovision`], whose PIN check is the same gate).
    Reprovision,
}

/// What a technician's task did.
#[derive(Debug)]
pub enum TechnicianDone {
    /// The clock setting, done (durable) or refused by the engine.
    Clock(Outcome),
    /// The export for the PPS, written to the stick.
    Exported(Exported),
    /// The election's files are in this archive on the device; the device waits to be
    /// provisioned.
    Reprovisioned(std::path::PathBuf),
}

/// Why a technician's task was not done.
#[derive(Debug)]
pub enum TechnicianFailure {
    /// The technician PIN was not accepted (wrong, locked, not set): why, and nothing was done.
    Gate(Bilingual),
    /// The clock setting's records could not be made durable.
    Clock(NotDurable),
    /// The export failed (a short name for it, and what to do); nothing on the device changed.
    Export {
        /// A short name for the failure.
        kind: &'static str,
        /// What went wrong, and what to do.
        why: Bilingual,
    },
    /// Provisioning again was refused or failed (a short name for it, and why).
    Reprovision {
        /// A short name for the failure.
        kind: &'static str,
        /// Why.
        why: Bilingual,
    },
}

/// Why a command's records are not durable on both media.
#[derive(Debug, Clone)]
pub enum NotDurable {
    /// Nothing was recorded (an alarm, the power); why, for the log.
    NotSaved(String),
    /// Recorded on the SD card, so the screen shows it, but not yet on the USB stick: copied
    /// there once a stick is back.
    PrimaryOnly(String),
}

impl From<StationError> for NotDurable {
    fn from(e: StationError) -> Self {
        match e {
            StationError::Kiosk(KioskError::WaitingForMirror(_)) => {
                NotDurable::PrimaryOnly(e.to_string())
            }
            e => NotDurable::NotSaved(e.to_string()),
        }
    }
}

/// What the station has to say.
#[derive(Debug)]
pub enum News {
    /// How things are now.
    Snapshot(Box<Snapshot>),
    /// A command was decided: done and durable, or refused (with the refusal's own record, if
    /// it has one, durable); or it could not be made durable on both media (`Err`).
    Submitted {
        /// The job's id.
        id: u64,
        /// What became of the command.
        result: Result<Outcome, NotDurable>,
    },
    /// A report was printed and the print recorded, or why not.
    Printed {
        /// The job's id, if it had one.
        id: Option<u64>,
        /// The report printed, or why not.
        result: Result<ReportKind, PrintFailure>,
    },
    /// A technician's task was done, or why not.
    Technician {
        /// The job's id.
        id: u64,
        /// What the task did, or why not.
        result: Result<TechnicianDone, TechnicianFailure>,
    },
    /// A simulator action failed.
    SimFailed(String),
    /// A provisioning step, or why it was refused (nothing installed).
    Provision {
        /// The job's id.
        id: u64,
        /// Where provisioning got to, or why it was refused.
        result: Result<Provisioned, Bilingual>,
    },
}

/// Why a report was not printed, or its print not recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PrintFailure {
    /// The printer could not print it: nothing was printed and nothing recorded.
    #[error("printer: {0}")]
    Printer(PrinterError),
    /// The report cannot be made yet: nothing was printed.
    #[error("report: {0}")]
    Report(ReportError),
    /// It was printed but the record of it could not be made durable (an alarm says why).
    #[error("printed, not recorded: {0}")]
    NotRecorded(String),
    /// The station could not start printing (the clock, a kiosk that is not running).
    #[error("{0}")]
    Station(String),
}

impl From<StationError> for PrintFailure {
    fn from(e: StationError) -> Self {
        match e {
            StationError::Printer(p) => PrintFailure::Printer(p),
            StationError::Report(r) => PrintFailure::Report(r),
            StationError::Kiosk(k) => PrintFailure::NotRecorded(k.to_string()),
            other => PrintFailure::Station(other.to_string()),
        }
    }
}

/// The reports as they would print now, or why they cannot be made yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reports {
    /// The opening report.
    pub opening: Result<Receipt, ReportError>,
    /// The closing report.
    pub closing: Result<Receipt, ReportError>,
    /// The C.Hasil of each ballot type counted so far, in counting order.
    pub results: Vec<(BallotType, Result<Receipt, ReportError>)>,
}

/// What a C.Hasil not counted yet says.
static NOT_COUNTED: Result<Receipt, ReportError> = Err(ReportError::NotCounted);

impl Reports {
    /// The report of this kind.
    pub fn get(&self, kind: ReportKind) -> &Result<Receipt, ReportError> {
        match kind {
            ReportKind::Opening => &self.opening,
            ReportKind::Closing => &self.closing,
            ReportKind::Result(b) => self
                .results
                .iter()
                .find(|(of, _)| *of == b)
                .map_or(&NOT_COUNTED, |(_, r)| r),
        }
    }
}

/// The kiosk as the screens see it.
#[derive(Debug, Clone)]
pub struct KioskView {
    /// The engine's state: the day so far.
    pub state: Arc<State>,
    /// The stamp a record made now would get (the time the screens show and preview with).
    pub stamp: Stamp,
    /// The start-up check's findings.
    pub checks: Vec<Check>,
    /// The device runs on development keys (the simulator's), not an authority's.
    pub development: bool,
    /// The reports as they would print now.
    pub reports: Arc<Reports>,
}

/// Everything the screens show, as of one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The clock, if it could be read.
    pub reading: Option<ClockReading>,
    /// What the status bar shows.
    pub status: StationStatus,
    /// The running kiosk, or why it is not running.
    pub kiosk: Result<KioskView, String>,
    /// Outside the simulator: what is wrong with the device's certificate, when that is why the
    /// kiosk did not start (the day cannot begin), or why a day begun cannot go on now (what it
    /// records would not verify).
    pub certificate_refused: Option<Bilingual>,
    /// The (simulated) power is off.
    pub power_off: bool,
    /// The device has no identity yet: the provisioning screen.
    pub provisioning: bool,
    /// Whether provisioning again may begin now (the PIN aside), or why not.
    pub reprovision: Result<(), Bilingual>,
    /// Every job up to this number has been served.
    pub served: u64,
}

/// Called after news was sent, from the worker thread: the UI thread should drain the news.
pub type Notify = Box<dyn Fn() + Send>;

/// The worker thread and its two channels.
#[derive(Debug)]
pub struct Worker {
    jobs: Sender<(u64, Job)>,
    sent: std::cell::Cell<u64>,
    news: Receiver<News>,
    thread: Option<JoinHandle<()>>,
    /// The station's data directory (the primary storage), where the screen keeps its draft.
    data_dir: std::path::PathBuf,
}

/// How often (in polls) the printer is asked for its status; the ESC/POS status request waits
/// for an answer, so it is not made on every poll.
const PRINTER_EVERY: u32 = 20;
/// How often (in polls) the free space on both media is looked at again: it changes slowly,
/// and only the start-up check shows it.
const STORAGE_EVERY: u32 = 20;

impl Worker {
    /// Moves `station` to a new thread that serves jobs until the worker is dropped.
    pub fn start<D: Devices>(station: Station<D>, notify: Notify) -> std::io::Result<Worker> {
        let (jobs, job_rx) = channel();
        let (news_tx, news) = channel();
        let data_dir = station.data_dir().dir.clone();
        let thread = std::thread::Builder::new()
            .name("tps-station".into())
            .spawn(move || serve(station, &job_rx, &news_tx, &notify))?;
        Ok(Worker {
            jobs,
            sent: std::cell::Cell::new(0),
            news,
            thread: Some(thread),
            data_dir,
        })
    }

    /// The station's data directory (the primary storage).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// Hands a job to the station. Returns false if the station thread is gone.
    pub fn send(&self, job: Job) -> bool {
        let seq = self.sent.get() + 1;
        self.sent.set(seq);
        self.jobs.send((seq, job)).is_ok()
    }

    /// The number of the last job sent (a snapshot with `served` at least this has seen it).
    pub fn sent(&self) -> u64 {
        self.sent.get()
    }

    /// The next piece of news, if any.
    pub fn try_news(&self) -> Option<News> {
        self.news.try_recv().ok()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the job channel ends the thread after the job in hand.
        let (closed, _) = channel();
        self.jobs = closed;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve<D: Devices>(
    mut station: Station<D>,
    jobs: &Receiver<(u64, Job)>,
    news: &Sender<News>,
    notify: &Notify,
) {
    let mut polls = 0u32;
    let mut served = 0u64;
    let mut printer: Option<Result<(), PrinterError>> = None;
    let mut storage: Option<Result<StorageStatus, StorageError>> = None;
    let mut cache = Cache::default();
    // The authority's answer the technician was shown, installed as shown.
    let mut offer: Option<Offer> = None;
    loop {
        let Ok(first) = jobs.recv() else { return };
        // Take everything waiting: polls queued up behind a slow command collapse into one.
        let mut batch = vec![first];
        loop {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        // A print or a simulator action may have changed the printer; a command does not.
        let mut printer_touched = false;
        for (seq, job) in batch {
            served = served.max(seq);
            match job {
                Job::Poll => {}
                Job::Submit { id, command } => {
                    let result = station.submit(&command).map_err(NotDurable::from);
                    if news.send(News::Submitted { id, result }).is_err() {
                        return;
                    }
                }
                Job::SetClockWitnessed { id, set } => {
                    let result = station.set_clock(*set).map_err(NotDurable::from);
                    if news.send(News::Submitted { id, result }).is_err() {
                        return;
                    }
                }
                Job::Technician { id, pin, task } => {
                    let result = technician_task(&mut station, &pin, task);
                    if news.send(News::Technician { id, result }).is_err() {
                        return;
                    }
                }
                Job::PrintReport { id, kind } => {
                    printer_touched = true;
                    let result = station
                        .print_report(kind)
                        .map(|()| kind)
                        .map_err(PrintFailure::from);
                    if news.send(News::Printed { id, result }).is_err() {
                        return;
                    }
                }
                Job::Provision { id, step } => {
                    let result = provision(&mut station, step, &mut offer);
                    if news.send(News::Provision { id, result }).is_err() {
                        return;
                    }
                }
                other => {
                    printer_touched = true;
                    if let Err(e) = sim_action(&mut station, other) {
                        let _ = news.send(News::SimFailed(e));
                    }
                }
            }
        }
        if !station.power_is_cut() {
            let _ = station.poll_hardware();
        }
        polls = polls.wrapping_add(1);
        // The printer is asked only now and then; everything else is read on every poll.
        if printer_touched || printer.is_none() || polls.is_multiple_of(PRINTER_EVERY) {
            printer = Some(station.printer_status());
        }
        let storage = match &mut storage {
            Some(looked) if !polls.is_multiple_of(STORAGE_EVERY) => looked,
            slot => slot.insert(station.storage()),
        };
        let snapshot = snapshot(
            &mut station,
            printer.clone().unwrap_or(Ok(())),
            storage,
            &mut cache,
            served,
        );
        if news.send(News::Snapshot(Box::new(snapshot))).is_err() {
            return;
        }
        notify();
    }
}

fn sim_action<D: Devices>(station: &mut Station<D>, job: Job) -> Result<(), String> {
    match job {
        Job::SetClock { wall_ms } => match station.set_clock(SetClock {
            new_ms: wall_ms,
            by: "technician (simulator)".into(),
            chair_pin: None,
            witnesses: Vec::new(),
            confirm_crossing: false,
        }) {
            Ok(Outcome::Refused(r)) => Err(r.message(Lang::En)),
            Ok(Outcome::Done(_)) => Ok(()),
            Err(e) => Err(e.to_string()),
        },
        Job::CutPower => station.cut_power().map_err(|e| e.to_string()),
        Job::Restart => station.restart().map_err(|e| e.to_string()),
        Job::Poll
        | Job::Submit { .. }
        | Job::PrintReport { .. }
        | Job::Provision { .. }
        | Job::SetClockWitnessed { .. }
        | Job::Technician { .. } => Ok(()),
    }
}

/// The one gate in front of every technician function (the clock before the day, the export;
/// provisioning again reaches it inside [`Station::reprovision`], after the station's checks):
/// the technician PIN set at provisioning, with the KPPS PINs' wrong-PIN delays.
fn technician_gate<D: Devices>(
    station: &mut Station<D>,
    pin: &str,
) -> Result<(), TechnicianFailure> {
    station
        .technician_unlock(pin)
        .map_err(|e| TechnicianFailure::Gate(e.bilingual()))
}

/// Provisioning again: the station refuses mid-day or with no stick before it asks the gate
/// (a refusal costs no PIN try), then the technician PIN through the same gate.
fn reprovision<D: Devices>(
    station: &mut Station<D>,
    pin: &str,
) -> Result<TechnicianDone, TechnicianFailure> {
    match station.reprovision(pin) {
        Ok(archive) => Ok(TechnicianDone::Reprovisioned(archive)),
        Err(ReprovisionError::Technician(e)) => Err(TechnicianFailure::Gate(e.bilingual())),
        Err(e) => Err(TechnicianFailure::Reprovision {
            kind: e.kind(),
            why: e.bilingual(),
        }),
    }
}

/// A technician's task, each behind the gate.
fn technician_task<D: Devices>(
    station: &mut Station<D>,
    pin: &str,
    task: TechnicianTask,
) -> Result<TechnicianDone, TechnicianFailure> {
    match task {
        TechnicianTask::SetClock(set) => {
            technician_gate(station, pin)?;
            station
                .set_clock(*set)
                .map(TechnicianDone::Clock)
                .map_err(|e| TechnicianFailure::Clock(e.into()))
        }
        TechnicianTask::Reprovision => reprovision(station, pin),
        TechnicianTask::Export => technician_gate(station, pin).and_then(|()| {
            station
                .export_for_pps()
                .map(TechnicianDone::Exported)
                .map_err(|e| TechnicianFailure::Export {
                    kind: e.kind(),
                    why: e.message(),
                })
        }),
    }
}

fn provision<D: Devices>(
    station: &mut Station<D>,
    step: ProvisionStep,
    offer: &mut Option<Offer>,
) -> Result<Provisioned, Bilingual> {
    match step {
        ProvisionStep::Request => station
            .provision_request()
            .map(|written| Provisioned::Requested(written.instructions()))
            .map_err(|e| e.bilingual()),
        ProvisionStep::Check => {
            *offer = None;
            let checked = station.provision_inspect().map_err(|e| e.bilingual())?;
            let summary = checked.summary();
            *offer = Some(checked);
            Ok(Provisioned::Checked(summary))
        }
        ProvisionStep::Install { pin, again } => {
            let Some(checked) = offer.as_ref() else {
                return Err(Bilingual::new(
                    "Periksa USB dahulu.",
                    "Check the USB stick first.",
                ));
            };
            match station.provision_install(checked, &pin, &again) {
                Ok(()) => {
                    *offer = None;
                    Ok(Provisioned::Installed)
                }
                Err(StationError::Enrol(e)) => Err(e.bilingual()),
                Err(e) => Err(Bilingual::new(
                    format!("Terpasang, tetapi kios tidak dapat dimulai: {e}"),
                    format!("Installed, but the kiosk could not start: {e}"),
                )),
            }
        }
    }
}

/// What only changes with a record, shared between snapshots until the next one: the number
/// of records it is of, the state and the reports.
#[derive(Debug, Default)]
struct Cache(Option<(u64, Arc<State>, Arc<Reports>)>);

impl Cache {
    fn clear(&mut self) {
        self.0 = None;
    }

    fn view(&mut self, k: &Kiosk) -> (Arc<State>, Arc<Reports>) {
        let records = k.records();
        match &self.0 {
            Some((of, s, r)) if *of == records => (Arc::clone(s), Arc::clone(r)),
            _ => {
                let s = Arc::new(k.state().clone());
                let r = Arc::new(Reports {
                    opening: k.report(ReportKind::Opening).map(|r| r.receipt),
                    closing: k.report(ReportKind::Closing).map(|r| r.receipt),
                    results: k
                        .state()
                        .package()
                        .ballot_types()
                        .into_iter()
                        .filter_map(|b| {
                            let r = k.report(ReportKind::Result(b)).ok()?;
                            Some((b, Ok(r.receipt)))
                        })
                        .collect(),
                });
                self.0 = Some((records, Arc::clone(&s), Arc::clone(&r)));
                (s, r)
            }
        }
    }
}

fn snapshot<D: Devices>(
    station: &mut Station<D>,
    printer: Result<(), PrinterError>,
    storage: &Result<StorageStatus, StorageError>,
    cache: &mut Cache,
    served: u64,
) -> Snapshot {
    let reading = station.reading().ok();
    let power_off = station.power_is_cut();
    let status = station.status(printer);
    let kiosk = match (station.kiosk(), reading) {
        (Ok(k), Some(reading)) => {
            let (state, reports) = cache.view(k);
            Ok(KioskView {
                state,
                stamp: k.stamp(reading),
                checks: k.self_check(reading, storage),
                development: k.identity().certificate.development,
                reports,
            })
        }
        (Ok(_), None) => Err("the clock cannot be read".to_string()),
        (Err(why), _) => {
            cache.clear();
            Err(why.to_string())
        }
    };
    Snapshot {
        reading,
        status,
        kiosk,
        certificate_refused: match (station.kiosk(), reading) {
            (Ok(k), Some(r)) if station.data_dir().election_device => {
                k.certificate_refusal(r.wall_ms).map(|why| why.reason())
            }
            _ => station.certificate_refused().cloned(),
        },
        power_off,
        provisioning: station.needs_provisioning(),
        reprovision: station.may_reprovision().map_err(|e| e.bilingual()),
        served,
    }
}
