//! `Shell`: the top bar (place, clock, incidents, language), the status bar, "Menyimpan…" and the
//! notice after an action; and `Editing`, the string help the keyboard needs.

use std::rc::Rc;

use slint::{ComponentHandle, SharedString};
use tps_firmware::drivers::printer::PrinterError;
use tps_firmware::kiosk::Alarm;
use tps_firmware::power::PowerState;
use tps_firmware::text::Lang;
use tps_kiosk_screens::{Editing, PowerSource, PrinterState, Screen, Shell};
use tps_station::words;

use super::{Model, Notice, Pending, Ui, weak, with};

/// Wires the callbacks of the `Shell` (top bar, notices, language) and of `Editing`.
pub fn wire(ui: &Rc<Ui>) {
    let shell = ui.app.global::<Shell>();
    let w = weak(ui);
    shell.on_toggle_language(move || {
        with(&w, |ui| {
            let lang = {
                let mut m = ui.model.borrow_mut();
                m.lang = match m.lang {
                    Lang::Id => Lang::En,
                    Lang::En => Lang::Id,
                };
                m.lang
            };
            select_language(lang);
            ui.render();
        })
    });
    let w = weak(ui);
    shell.on_home(move || with(&w, |ui| ui.go(Screen::Progress)));
    let w = weak(ui);
    shell.on_open_incident(move || with(&w, |ui| ui.go(Screen::Incident)));
    let w = weak(ui);
    shell.on_open_clock(move || with(&w, super::clock::open));
    let w = weak(ui);
    shell.on_dismiss_notice(move || with(&w, |ui| ui.update(|m| m.notice = None)));
    let w = weak(ui);
    shell.on_worker_news(move || with(&w, Ui::drain));
    ui.app.global::<Editing>().on_drop_last(|s: SharedString| {
        let mut t = s.to_string();
        t.pop();
        t.into()
    });
    ui.app
        .global::<Editing>()
        .on_sentence_starts(|s: SharedString| sentence_starts(&s));
}

/// Whether the next letter typed after `text` starts a sentence: nothing written yet, or a space
/// after a full stop, question or exclamation mark.
pub fn sentence_starts(text: &str) -> bool {
    let before = text.trim_end();
    before.is_empty() || (before.len() < text.len() && before.ends_with(['.', '!', '?']))
}

/// Switches the screens' own words (the bundled translations); the engine's texts follow the
/// model's language at the next render.
pub fn select_language(lang: Lang) {
    let code = match lang {
        Lang::Id => "",
        Lang::En => "en",
    };
    if let Err(e) = slint::select_bundled_translation(code) {
        log::warn!("language {code}: {e}");
    }
}

/// Fills the `Shell` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let shell = ui.app.global::<Shell>();
    shell.set_screen(m.screen);
    shell.set_english(m.lang == Lang::En);
    shell.set_busy(m.in_flight.is_some());
    shell.set_printing(matches!(m.in_flight, Some((_, Pending::Print(_)))));
    shell.set_exporting(matches!(m.in_flight, Some((_, Pending::Export))));
    let notice = match &m.notice {
        None => (String::new(), false),
        Some(Notice::Refusal(r)) => (r.message(m.lang), true),
        Some(Notice::Saved(what)) => (words::saved(what, m.lang), false),
        Some(Notice::NotSaved) => (words::not_saved().get(m.lang).to_string(), true),
        Some(Notice::PrimaryOnly) => (words::primary_only().get(m.lang).to_string(), true),
        Some(Notice::NotPrinted(f)) => (words::not_printed(f).get(m.lang).to_string(), true),
    };
    shell.set_notice(notice.0.into());
    shell.set_notice_bad(notice.1);
    let Some(snapshot) = &m.snapshot else { return };
    let status = &snapshot.status;
    shell.set_records(i32::try_from(status.records).unwrap_or(i32::MAX));
    shell.set_mirror(status.mirror_present);
    shell.set_mirror_full(status.alarms.contains(&Alarm::MirrorFull));
    shell.set_lid_open(status.lid_open);
    shell.set_journal_ok(!status.alarms.iter().any(Alarm::is_journal_fault));
    shell.set_power(match status.power {
        PowerState::Mains => PowerSource::Mains,
        PowerState::Battery => PowerSource::Battery,
        PowerState::BatteryLow => PowerSource::BatteryLow,
    });
    shell.set_printer(match &status.printer {
        Ok(()) => PrinterState::Ready,
        Err(PrinterError::OutOfPaper) => PrinterState::NoPaper,
        Err(PrinterError::Offline | PrinterError::NotReady) => PrinterState::Offline,
        Err(_) => PrinterState::Unknown,
    });
    if let Some(k) = m.kiosk() {
        let package = k.state.package();
        shell.set_clock(tps_firmware::time::format_clock(k.stamp.wall_ms, package.zone).into());
        shell.set_tps(format!("TPS {:03} {}", package.tps.tps, package.region.village).into());
        shell.set_place(
            format!(
                "{} · {}, {}",
                package.tps, package.region.district, package.region.regency
            )
            .into(),
        );
        shell.set_development(k.development);
    }
}

#[cfg(test)]
mod tests {
    use super::sentence_starts;

    #[test]
    fn a_sentence_starts_at_the_beginning_and_after_its_end_mark() {
        assert!(sentence_starts(""));
        assert!(sentence_starts("Kotak rusak. "));
        assert!(sentence_starts("Sudah? "));
        assert!(!sentence_starts("Kotak "));
        assert!(!sentence_starts("Kotak rusak."));
        assert!(!sentence_starts("pukul 07.15 "));
    }
}
