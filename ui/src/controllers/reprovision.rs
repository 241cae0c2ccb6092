//! `ReprovisionAdapter`: "Siapkan untuk pemilu berikutnya" from the start-up check or the export
//! screen. The confirmation screen says what will happen and, while the station refuses (a day in
//! progress, no stick), why not, its button disabled. Then the technician PIN, then
//! `reprovision` on the station; once the device waits to be provisioned the screens follow it
//! to the provisioning screen.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::text::Bilingual;
use tps_kiosk_screens::{ReprovisionAdapter, Screen};

use super::{Model, Overlay, TechnicianAction, Ui, overlay, weak, with};

/// Wires the `ReprovisionAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<ReprovisionAdapter>();
    let w = weak(ui);
    adapter.on_open(move || with(&w, open));
    let w = weak(ui);
    adapter.on_back(move || {
        with(&w, |ui| {
            let back = ui.model.borrow().before_reprovision;
            ui.go(back);
        })
    });
    let w = weak(ui);
    adapter.on_proceed(move || {
        with(&w, |ui| {
            overlay::ask_technician(ui, TechnicianAction::Reprovision)
        })
    });
}

/// Opens the confirmation screen, the last failure cleared; "Kembali" returns here.
fn open(ui: &Ui) {
    {
        let mut m = ui.model.borrow_mut();
        m.reprovision_failed = None;
        m.before_reprovision = m.screen;
    }
    ui.go(Screen::Reprovision);
}

/// The station refused or could not put the election aside (the PIN was accepted or not asked).
pub fn failed(ui: &Ui, kind: &'static str, why: Bilingual) {
    log::warn!("provisioning again refused: {kind}");
    ui.update(|m| {
        m.overlay = Overlay::None;
        m.reprovision_failed = Some(why);
    });
}

/// Done: the device now waits to be provisioned (the next snapshot takes the screens there).
pub fn done(ui: &Ui, archive: &std::path::Path) {
    log::info!("election put aside in {}", archive.display());
    ui.update(|m| {
        m.overlay = Overlay::None;
        m.reprovision_failed = None;
    });
}

/// Fills the adapter on every render: the buttons that open the screen live on other screens.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<ReprovisionAdapter>();
    let station = m.snapshot.as_ref().map(|s| s.reprovision.clone());
    let (allowed, why_not) = match station {
        Some(Ok(())) => (true, String::new()),
        Some(Err(why)) => (false, why.get(m.lang).to_string()),
        None => (false, String::new()),
    };
    adapter.set_allowed(allowed);
    adapter.set_why_not(why_not.into());
    let failed = m
        .reprovision_failed
        .as_ref()
        .map(|why| why.get(m.lang).to_string())
        .unwrap_or_default();
    adapter.set_failed(failed.into());
}
