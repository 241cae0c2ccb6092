//! `ProgressAdapter`: the day's steps (done, current, locked) and the way into the current one.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::procedure::Phase;
use tps_firmware::time::LocalDateTime;
use tps_kiosk_screens::{ProgressAdapter, Screen, StepLine};

use super::{Model, Ui, sync, weak, with};

pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<ProgressAdapter>();
    let w = weak(ui);
    adapter.on_open_current(move || with(&w, Ui::open_current));
    let w = weak(ui);
    adapter.on_open_attendance(move || with(&w, |ui| ui.go(Screen::Attendance)));
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<ProgressAdapter>();
    let Some(state) = m.state() else { return };
    let zone = state.package().zone;
    let current = state.current_step();
    let steps: Vec<StepLine> = state
        .procedure()
        .steps
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let done = state.completed_step(i);
            StepLine {
                number: count(i + 1),
                title: spec.title.get(m.lang).into(),
                status: if done.is_some() {
                    0
                } else if i == current {
                    1
                } else {
                    2
                },
                at: done
                    .and_then(|c| LocalDateTime::from_unix_ms(c.at_ms, zone))
                    .map(|t| format!("{:02}:{:02}", t.hour, t.minute))
                    .unwrap_or_default()
                    .into(),
            }
        })
        .collect();
    adapter.set_steps(sync(adapter.get_steps(), steps));
    adapter.set_current(count(current + 1));
    adapter.set_current_title(
        state
            .current_spec()
            .map(|s| s.title.get(m.lang).to_string())
            .unwrap_or_default()
            .into(),
    );
    adapter.set_phase(match state.phase() {
        Phase::Opening => 0,
        Phase::Voting => 1,
        Phase::Queue => 2,
        Phase::CloseOut => 3,
        Phase::Finished => 4,
    });
    adapter.set_finished(state.phase() == Phase::Finished);
    adapter.set_people(count(state.people.len()));
    adapter.set_has_chair(state.chair().is_some());
    adapter.set_incidents(count(state.incidents.len()));
    adapter.set_objections(count(state.objections.len()));
}
