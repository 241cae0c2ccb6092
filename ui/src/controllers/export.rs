//! `ExportAdapter`: "Ekspor untuk PPS" after the closing report. The export runs on the station's
//! thread behind the technician PIN ("Mengekspor…" meanwhile), then the screen says the stick is
//! safe to remove and names the folder, or what went wrong and that nothing on the device
//! changed. The export changes nothing on the device and is not a journal record.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::kiosk::export::Exported;
use tps_firmware::text::Bilingual;
use tps_kiosk_screens::{ExportAdapter, Screen};
use tps_station::station::export::done_message;

use super::{ExportResult, Model, Overlay, TechnicianAction, Ui, overlay, weak, with};

/// Wires the `ExportAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<ExportAdapter>();
    let w = weak(ui);
    adapter.on_export(move || {
        with(&w, |ui| {
            overlay::ask_technician(ui, TechnicianAction::Export)
        })
    });
    let w = weak(ui);
    adapter.on_back(move || with(&w, |ui| ui.go(Screen::Report)));
}

/// Opens the export screen, the last outcome cleared.
pub fn open(ui: &Ui) {
    ui.model.borrow_mut().export = None;
    ui.go(Screen::Export);
}

/// The station's answer: the folder written and verified, or the failure (kind, what to do).
pub fn exported(ui: &Ui, result: Result<Exported, (&'static str, Bilingual)>) {
    ui.update(|m| {
        m.overlay = Overlay::None;
        m.export = Some(match result {
            Ok(done) => ExportResult::Done {
                message: done_message(&done),
                folder: done.folder,
            },
            Err((kind, why)) => {
                log::warn!("export failed: {kind}");
                ExportResult::Failed { why }
            }
        });
    });
}

/// Fills the `ExportAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<ExportAdapter>();
    let lang = m.lang;
    let (result, folder, message) = match &m.export {
        None => (0, String::new(), String::new()),
        Some(ExportResult::Done { folder, message }) => {
            (1, folder.clone(), message.get(lang).to_string())
        }
        Some(ExportResult::Failed { why, .. }) => {
            (2, String::new(), failed(why).get(lang).to_string())
        }
    };
    adapter.set_result(result);
    adapter.set_folder(folder.into());
    adapter.set_message(message.into());
}

/// A failure's message, with what holds whatever the failure: the device is as it was.
fn failed(why: &Bilingual) -> Bilingual {
    let unchanged = Bilingual::new(
        "Data di perangkat tidak berubah; coba lagi.",
        "Nothing on the device changed; try again.",
    );
    let join = |a: &str, b: &str| {
        if a.contains(b) {
            a.to_string()
        } else {
            format!("{a} {b}")
        }
    };
    Bilingual::new(join(&why.id, &unchanged.id), join(&why.en, &unchanged.en))
}
