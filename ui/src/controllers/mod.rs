//! The controllers: one per adapter (global) of the screens, each wiring its adapter's callbacks
//! and filling its properties from the station's latest [`Snapshot`](tps_station::worker::Snapshot)
//! and the chair's entries. What they share ([`Ui`], [`Model`]) is in `context`, which names no
//! controller; this module declares them and wires them to the [`Ui`]: their callbacks, which
//! fills what on a render, and which finishes a flow when its command is back.

pub mod alarm;
pub mod ask;
pub mod attendance;
pub mod clock;
mod context;
pub mod entry;
pub mod export;
pub mod incident;
pub mod incident_list;
pub mod overlay;
pub mod progress;
pub mod provision;
pub mod register;
pub mod report;
pub mod reprovision;
pub mod respond;
pub mod self_check;
pub mod shell;
pub mod signs;
pub mod step;
pub mod voting;
pub mod waiting;

use std::cell::RefCell;
use std::rc::Rc;

use tps_firmware::kiosk::Outcome;
use tps_firmware::text::Lang;
use tps_kiosk_screens::{AppWindow, Screen};
use tps_station::worker::{NotDurable, TechnicianDone, TechnicianFailure, Worker};

use context::{Answer, Hooks};
pub use context::{
    Ask, ChairAction, ClockDraft, EditTarget, ExportResult, IncidentDraft, Model, Notice,
    OutcomeKind, Overlay, Pending, PickTarget, PinAsk, PinError, PinNext, Progress, RegisterDraft,
    ResponseDraft, Stage, TechnicianAction, Then, Ui, count, sync, weak, with,
};

impl Ui {
    /// Wires every controller to `app` and asks the station for its first snapshot.
    pub fn new(app: AppWindow, worker: Worker, lang: Lang) -> Rc<Ui> {
        let caches = RefCell::new(Caches::default());
        let hooks = Hooks {
            render: Box::new(move |ui: &Ui, m: &Model| render(ui, m, &mut caches.borrow_mut())),
            finish,
        };
        let ui = Ui::with_hooks(app, worker, lang, hooks);
        shell::wire(&ui);
        self_check::wire(&ui);
        progress::wire(&ui);
        attendance::wire(&ui);
        register::wire(&ui);
        step::wire(&ui);
        waiting::wire(&ui);
        voting::wire(&ui);
        incident::wire(&ui);
        incident_list::wire(&ui);
        report::wire(&ui);
        clock::wire(&ui);
        export::wire(&ui);
        alarm::wire(&ui);
        entry::wire(&ui);
        ask::wire(&ui);
        provision::wire(&ui);
        reprovision::wire(&ui);
        shell::select_language(lang);
        ui.poll();
        ui.render();
        ui
    }
}

/// What controllers keep between renders so they only replace what changed.
#[derive(Debug, Default)]
struct Caches {
    step: step::Cache,
    report: report::Cache,
}

/// Fills every adapter from the model.
fn render(ui: &Ui, m: &Model, caches: &mut Caches) {
    shell::render(ui, m);
    alarm::render(ui, m);
    entry::render(ui, m);
    ask::render(ui, m);
    reprovision::render(ui, m);
    match m.screen {
        Screen::SelfCheck => self_check::render(ui, m),
        Screen::Progress => progress::render(ui, m),
        Screen::Attendance => attendance::render(ui, m),
        Screen::Register => register::render(ui, m),
        Screen::Step => step::render(ui, m, &mut caches.step),
        Screen::Waiting => waiting::render(ui, m),
        Screen::Voting => voting::render(ui, m),
        Screen::Incident => incident::render(ui, m),
        Screen::IncidentList => incident_list::render(ui, m),
        Screen::Report => report::render(ui, m, &mut caches.report),
        Screen::Clock => clock::render(ui, m),
        Screen::Export => export::render(ui, m),
        Screen::Provision => provision::render(ui, m),
        _ => {}
    }
}

/// Finishes the chair's flow whose command the station answered.
fn finish(ui: &Ui, pending: Pending, answer: Answer) {
    match answer {
        Answer::Submitted(Ok(Outcome::Done(_))) => entry::done(ui, pending),
        Answer::Submitted(Ok(Outcome::Refused(refusal))) => entry::refused(ui, refusal),
        Answer::Submitted(Err(NotDurable::NotSaved(e))) => {
            log::warn!("not saved: {e}");
            let mut m = ui.model.borrow_mut();
            m.overlay = Overlay::None;
            m.say(Notice::NotSaved);
        }
        Answer::Submitted(Err(NotDurable::PrimaryOnly(e))) => {
            log::warn!("saved on the primary only: {e}");
            let mut m = ui.model.borrow_mut();
            m.overlay = Overlay::None;
            m.say(Notice::PrimaryOnly);
        }
        Answer::Printed(result) => report::printed(ui, result),
        Answer::Technician(result) => technician_answered(ui, pending, result),
        Answer::Provision(result) => provision::answered(ui, result),
    }
}

/// The station's answer to a technician's task: a PIN not accepted stays on the PIN pad; a clock
/// setting finishes as a command does; an export shows how it went.
fn technician_answered(
    ui: &Ui,
    pending: Pending,
    result: Result<TechnicianDone, TechnicianFailure>,
) {
    match result {
        Err(TechnicianFailure::Gate(why)) => entry::technician_refused(ui, why),
        Ok(TechnicianDone::Clock(Outcome::Done(_))) => entry::done(ui, pending),
        Ok(TechnicianDone::Clock(Outcome::Refused(refusal))) => entry::refused(ui, refusal),
        Err(TechnicianFailure::Clock(e)) => {
            log::warn!("clock setting not saved: {e:?}");
            ui.update(|m| {
                m.overlay = Overlay::None;
                m.say(match e {
                    NotDurable::PrimaryOnly(_) => Notice::PrimaryOnly,
                    NotDurable::NotSaved(_) => Notice::NotSaved,
                });
            });
        }
        Ok(TechnicianDone::Exported(done)) => export::exported(ui, Ok(done)),
        Err(TechnicianFailure::Export { kind, why }) => export::exported(ui, Err((kind, why))),
        Ok(TechnicianDone::Reprovisioned(archive)) => reprovision::done(ui, &archive),
        Err(TechnicianFailure::Reprovision { kind, why }) => reprovision::failed(ui, kind, why),
    }
}
