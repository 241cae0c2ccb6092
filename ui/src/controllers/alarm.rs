//! `AlarmAdapter`: an alarm over the screen (lid, journal, clock, USB stick, storage, a kiosk that
//! could not start): what happened, what to do, and that nothing recorded is lost.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_kiosk_screens::AlarmAdapter;
use tps_station::words;

use super::{Model, Ui, weak, with};

/// Wires the `AlarmAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let w = weak(ui);
    ui.app
        .global::<AlarmAdapter>()
        .on_dismiss(move || with(&w, |ui| ui.update(|m| m.clock_alarm_seen = true)));
}

/// Fills the `AlarmAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<AlarmAdapter>();
    let lang = m.lang;
    let Some(snapshot) = &m.snapshot else {
        adapter.set_shown(false);
        return;
    };
    // Off, or blank (the provisioning screen says what to do): no alarm.
    if snapshot.power_off || snapshot.provisioning {
        adapter.set_shown(false);
        return;
    }
    let alarms = &snapshot.status.alarms;
    let shown = match &snapshot.kiosk {
        Err(why) => {
            let (title, instructions) = words::start_failure();
            Some((title, instructions, why.clone(), false))
        }
        Ok(_) => alarms
            .iter()
            .find(|a| a.blocks_commands())
            .or_else(|| {
                alarms
                    .iter()
                    .find(|a| !a.blocks_commands() && !m.clock_alarm_seen)
            })
            .map(|a| {
                (
                    a.title(),
                    a.instructions(),
                    a.detail().unwrap_or_default().to_string(),
                    !a.blocks_commands(),
                )
            }),
    };
    match shown {
        Some((title, instructions, detail, dismissable)) => {
            adapter.set_shown(true);
            adapter.set_title(title.get(lang).into());
            adapter.set_instructions(instructions.get(lang).into());
            adapter.set_detail(detail.into());
            adapter.set_dismissable(dismissable);
        }
        None => adapter.set_shown(false),
    }
}
