//! `ProvisionAdapter`: a blank device's provisioning on its touchscreen. The technician asks for
//! the certificate request on the USB stick, brings back the authority's answer, sees the TPS it
//! is for, confirms, and sets the technician PIN (typed twice). What is checked, and every
//! refusal's words, are the firmware's (`kiosk::enrol`).

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::text::Bilingual;
use tps_kiosk_screens::ProvisionAdapter;
use tps_station::worker::{ProvisionStep, Provisioned};

use super::{Model, Progress, Stage, Ui, weak, with};

impl Stage {
    fn number(&self) -> i32 {
        match self {
            Stage::Start => 0,
            Stage::Requested => 1,
            Stage::Checked => 2,
            Stage::Pin => 3,
            Stage::PinAgain(_) => 4,
        }
    }
}

/// Wires the `ProvisionAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<ProvisionAdapter>();
    let w = weak(ui);
    adapter.on_request(move || with(&w, |ui| ui.provision(ProvisionStep::Request)));
    let w = weak(ui);
    adapter.on_check(move || with(&w, |ui| ui.provision(ProvisionStep::Check)));
    let w = weak(ui);
    adapter.on_confirm(move || {
        with(&w, |ui| {
            ui.update(|m| {
                m.provision.stage = Stage::Pin;
                m.provision.error = None;
            })
        })
    });
    let w = weak(ui);
    adapter.on_pin_done(move |pin| {
        with(&w, |ui| {
            ui.app.global::<ProvisionAdapter>().set_pin("".into());
            let stage = ui.model.borrow().provision.stage.clone();
            match stage {
                Stage::PinAgain(first) => ui.provision(ProvisionStep::Install {
                    pin: first,
                    again: pin.to_string(),
                }),
                _ => ui.update(|m| m.provision.stage = Stage::PinAgain(pin.to_string())),
            }
        })
    });
    let w = weak(ui);
    adapter.on_cancel(move || {
        with(&w, |ui| {
            ui.app.global::<ProvisionAdapter>().set_pin("".into());
            ui.update(|m| {
                m.provision.stage = Stage::Checked;
                m.provision.error = None;
            })
        })
    });
}

/// A provisioning step came back.
pub fn answered(ui: &Ui, result: Result<Provisioned, Bilingual>) {
    let mut m = ui.model.borrow_mut();
    let p = &mut m.provision;
    match result {
        Ok(Provisioned::Requested(instructions)) => {
            p.stage = Stage::Requested;
            p.info = Some(instructions);
            p.error = None;
        }
        Ok(Provisioned::Checked(summary)) => {
            p.stage = Stage::Checked;
            p.info = Some(summary);
            p.error = None;
        }
        Ok(Provisioned::Installed) => {
            *p = Progress::default();
            m.say_saved(
                "perangkat disiapkan".into(),
                "the device is provisioned".into(),
            );
        }
        Err(why) => {
            // A refused PIN is typed again from the start; a refused answer is checked again.
            if matches!(p.stage, Stage::PinAgain(_)) {
                p.stage = Stage::Pin;
            } else if p.stage == Stage::Checked {
                p.stage = Stage::Requested;
            }
            p.error = Some(why);
        }
    }
}

/// Fills the `ProvisionAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<ProvisionAdapter>();
    let p = &m.provision;
    adapter.set_stage(p.stage.number());
    let text = |b: &Option<Bilingual>| {
        b.as_ref()
            .map(|b| b.get(m.lang).to_string())
            .unwrap_or_default()
    };
    adapter.set_info(text(&p.info).into());
    adapter.set_error(text(&p.error).into());
}
