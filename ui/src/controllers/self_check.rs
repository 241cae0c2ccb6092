//! `SelfCheckAdapter`: the start-up check, each line passed or failed with what to do.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_kiosk_screens::{CheckLine, Screen, SelfCheckAdapter};
use tps_station::words;

use super::{Model, Ui, sync, weak, with};

/// Wires the `SelfCheckAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let w = weak(ui);
    // On to the day where it is: a correction being drafted before the stop (the chair was in
    // the middle of it), the current step (a restart resumes there), or the list of steps while
    // nobody is registered yet.
    ui.app.global::<SelfCheckAdapter>().on_proceed(move || {
        with(&w, |ui| {
            let (has_chair, correcting) = {
                let m = ui.model.borrow();
                (
                    m.state().is_some_and(|s| s.chair().is_some()),
                    m.correcting.as_ref().map(|(step, _)| *step),
                )
            };
            match correcting {
                Some(step) => {
                    ui.model.borrow_mut().step = step;
                    ui.go(Screen::Step);
                }
                None if has_chair => ui.open_current(),
                None => ui.go(Screen::Progress),
            }
        })
    });
}

/// Fills the `SelfCheckAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<SelfCheckAdapter>();
    let Some(snapshot) = m.snapshot.as_ref() else {
        return;
    };
    let k = match &snapshot.kiosk {
        Ok(k) => k,
        // A blank device is provisioned on its own screen.
        Err(_) if snapshot.provisioning => return,
        Err(why) => {
            // The certificate's refusal is said in the screen's language; any other reason
            // as the firmware gives it.
            let said = match &snapshot.certificate_refused {
                Some(reason) => words::cannot_begin(reason),
                None => words::cannot_start(why),
            };
            adapter.set_all_ok(false);
            adapter.set_checks(sync(adapter.get_checks(), Vec::new()));
            adapter.set_cannot_start(said.get(m.lang).into());
            return;
        }
    };
    // Outside the simulator a day begun does not go on with a certificate it could not begin
    // with now: what it recorded would not verify.
    let cannot = snapshot
        .certificate_refused
        .as_ref()
        .map(|why| words::cannot_go_on(why).get(m.lang).to_string())
        .unwrap_or_default();
    adapter.set_cannot_start(cannot.into());
    let records = snapshot.status.records;
    let printer = words::printer_check(&snapshot.status);
    let lines: Vec<CheckLine> = k
        .checks
        .iter()
        .chain(std::iter::once(&printer))
        .map(|c| CheckLine {
            name: c.name.get(m.lang).into(),
            ok: c.ok,
            detail: c.detail.get(m.lang).into(),
            action: c
                .action
                .as_ref()
                .map(|a| a.get(m.lang).to_string())
                .unwrap_or_default()
                .into(),
        })
        .collect();
    adapter.set_all_ok(lines.iter().all(|l| l.ok));
    adapter.set_records(i32::try_from(records).unwrap_or(i32::MAX));
    adapter.set_checks(sync(adapter.get_checks(), lines));
}
