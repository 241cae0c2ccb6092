//! `ClockAdapter`: setting the kiosk's clock on the touchscreen. The new date and time are typed
//! on the keypad into a fixed mask (`DD-MM-YYYY hh:mm`); the engine's preview says whether the
//! setting is refused whoever signs (back past the last record), who must sign and, when a
//! regulated time is crossed, both times in words for the witnesses. Before the day has begun
//! the technician signs with the technician PIN; after, the chair and the witnesses with theirs.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::State;
use tps_firmware::procedure::clock::{ClockRefusal, SetClock, day_begun, preview_clock};
use tps_firmware::procedure::pin::Pin;
use tps_firmware::text::{Bilingual, Lang};
use tps_firmware::time::{Date, LocalTime, format_local, instant_at};
use tps_kiosk_screens::{ClockAdapter, Screen};
use tps_station::words::names;
use tps_station::worker::TechnicianTask;

use super::{
    ClockDraft, Model, Notice, Overlay, PickTarget, PinNext, TechnicianAction, Ui, overlay, weak,
    with,
};

/// The digits of `DDMMYYYYhhmm`.
const DIGITS: usize = 12;
/// How the typed digits are shown: each `_` is filled by the next digit.
const MASK: &str = "__-__-____ __:__";

impl ClockDraft {
    /// The digits typed, in the mask.
    fn shown(&self) -> String {
        let mut digits = self.digits.chars();
        MASK.chars()
            .map(|c| match c {
                '_' => digits.next().unwrap_or('_'),
                c => c,
            })
            .collect()
    }

    /// The new time in unix milliseconds, once every digit is typed: `None` until then,
    /// `Some(None)` for a date or time that does not exist.
    fn new_ms(&self, state: &State) -> Option<Option<i64>> {
        if self.digits.len() < DIGITS {
            return None;
        }
        // The digits as typed, in the form the time module parses.
        let part = |from: usize, to: usize| self.digits.get(from..to).unwrap_or_default();
        let date = Date::parse(&format!("{}-{}-{}", part(4, 8), part(2, 4), part(0, 2)));
        let time = LocalTime::parse(&format!("{}:{}", part(8, 10), part(10, 12)));
        Some(
            date.zip(time)
                .and_then(|(d, t)| instant_at(d, t, state.package().zone)),
        )
    }
}

/// Wires the `ClockAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<ClockAdapter>();
    let w = weak(ui);
    adapter.on_digit(move |d| {
        with(&w, |ui| {
            ui.update(|m| {
                if m.clock.digits.len() < DIGITS && d.chars().all(|c| c.is_ascii_digit()) {
                    m.clock.digits.push_str(&d);
                    m.clock.crossing_seen = false;
                }
            })
        })
    });
    let w = weak(ui);
    adapter.on_erase(move || {
        with(&w, |ui| {
            ui.update(|m| {
                m.clock.digits.pop();
                m.clock.crossing_seen = false;
            })
        })
    });
    let w = weak(ui);
    adapter.on_add_witness(move || {
        with(&w, |ui| {
            overlay::pick(
                ui,
                PickTarget::ClockWitness,
                Bilingual::new(
                    "Siapa yang menyaksikan penyetelan jam? Setiap saksi memasukkan PIN-nya.",
                    "Who witnesses the clock setting? Each witness enters their PIN.",
                ),
            )
        })
    });
    let w = weak(ui);
    adapter.on_clear_witnesses(move || with(&w, |ui| ui.update(|m| m.clock.witnesses.clear())));
    let w = weak(ui);
    adapter.on_toggle_crossing_seen(move || {
        with(&w, |ui| {
            ui.update(|m| m.clock.crossing_seen = !m.clock.crossing_seen)
        })
    });
    let w = weak(ui);
    adapter.on_set(move || with(&w, sign));
    let w = weak(ui);
    adapter.on_back(move || {
        with(&w, |ui| {
            let back = {
                let mut m = ui.model.borrow_mut();
                m.clock = ClockDraft::default();
                m.before_clock
            };
            ui.go(back);
        })
    });
}

/// Opens the clock form on a fresh draft.
pub fn open(ui: &Ui) {
    ui.model.borrow_mut().clock = ClockDraft::default();
    ui.go(Screen::Clock);
}

/// "Setel": who signs is what the engine says (before the day the technician, after it the
/// chair with the witnesses already added).
fn sign(ui: &Ui) {
    let (witnessed, chair) = {
        let m = ui.model.borrow();
        (m.state().is_some_and(day_begun), m.chair_id())
    };
    match (witnessed, chair) {
        (false, _) => overlay::ask_technician(ui, TechnicianAction::SetClock),
        (true, Some(chair)) => overlay::ask_person(ui, chair, PinNext::ClockChair),
        (true, None) => ui.update(|m| {
            m.say(Notice::Refusal(ClockRefusal::NeedsWitnesses.into()));
        }),
    }
}

/// The setting as the engine is asked for it, signed by `chair_pin` and the witnesses.
fn request(m: &Model, chair_pin: Option<Pin>) -> Option<SetClock> {
    let state = m.state()?;
    let new_ms = m.clock.new_ms(state)??;
    let by = match &chair_pin {
        Some(_) => m
            .chair_id()
            .map(|c| m.person_label(c).0)
            .unwrap_or_default(),
        None => tps_station::words::technician().id,
    };
    Some(SetClock {
        new_ms,
        by,
        chair_pin,
        witnesses: m.clock.witnesses.clone(),
        confirm_crossing: m.clock.crossing_seen,
    })
}

/// The technician typed the technician PIN: the setting goes through the technician's gate.
pub fn by_technician(ui: &Ui, pin: String) {
    let set = request(&ui.model.borrow(), None);
    match set {
        Some(set) => ui.technician(pin, TechnicianTask::SetClock(Box::new(set))),
        None => overlay::close(ui),
    }
}

/// The chair typed their PIN: the witnessed setting goes to the station.
pub fn witnessed(ui: &Ui, chair_pin: Pin) {
    let set = request(&ui.model.borrow(), Some(chair_pin));
    match set {
        Some(set) => ui.set_clock_witnessed(set),
        None => overlay::close(ui),
    }
}

/// The setting is recorded and the RTC set: back to where the form was opened.
pub fn saved(m: &mut Model) {
    let new = m.state().and_then(|s| {
        m.clock
            .new_ms(s)
            .flatten()
            .map(|ms| format_local(ms, s.package().zone))
    });
    let text = match new {
        Some(t) => Bilingual::new(format!("jam disetel ke {t}"), format!("clock set to {t}")),
        None => Bilingual::new("jam disetel", "clock set"),
    };
    m.clock = ClockDraft::default();
    m.say(Notice::Saved(text));
    m.screen = m.before_clock;
}

/// Fills the `ClockAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<ClockAdapter>();
    let (Some(state), Some(stamp)) = (m.state(), m.stamp()) else {
        return;
    };
    let lang = m.lang;
    let zone = state.package().zone;
    let draft = &m.clock;
    adapter.set_now(format_local(stamp.wall_ms, zone).into());
    adapter.set_typed(draft.shown().into());
    let witnessed = day_begun(state);
    adapter.set_witnessed(witnessed);
    adapter.set_signers(signers(witnessed, lang).into());
    adapter.set_witnesses(names(state, draft.witnesses.iter().map(|(id, _)| id)).into());
    adapter.set_crossing_seen(draft.crossing_seen);
    let (new_time, problem, crossing, can_set) = match draft.new_ms(state) {
        None => (String::new(), String::new(), String::new(), false),
        Some(None) => (
            String::new(),
            no_such_time().get(lang).to_string(),
            String::new(),
            false,
        ),
        Some(Some(new_ms)) => match preview_clock(state, new_ms, stamp.wall_ms) {
            Err(refusal) => (String::new(), refusal.message(lang), String::new(), false),
            Ok(preview) => (
                format_local(new_ms, zone),
                String::new(),
                preview
                    .crossing
                    .map(|c| c.message(lang))
                    .unwrap_or_default(),
                true,
            ),
        },
    };
    adapter.set_new_time(new_time.into());
    adapter.set_problem(problem.into());
    adapter.set_crossing(crossing.into());
    adapter.set_can_set(can_set && !matches!(m.overlay, Overlay::Pin(_)));
}

/// Who signs, in the engine's words once the day has begun.
fn signers(witnessed: bool, lang: Lang) -> String {
    if witnessed {
        ClockRefusal::NeedsWitnesses.message(lang)
    } else {
        Bilingual::new(
            "Hari belum dimulai: teknisi menyetel jam dengan PIN teknisi. Penyetelan dicatat di jurnal.",
            "The day has not begun: the technician sets the clock with the technician PIN. The setting is recorded in the journal.",
        )
        .get(lang)
        .to_string()
    }
}

fn no_such_time() -> Bilingual {
    Bilingual::new(
        "Tanggal atau jam itu tidak ada: periksa hari, bulan, tahun, jam dan menit.",
        "That date or time does not exist: check the day, month, year, hour and minute.",
    )
}
