//! `VotingAdapter`: voting in progress: the time, the DPK announcement and the closing (times
//! from the procedure data, permission from the engine), the end of the queue, and the way to the
//! opening report.

use std::rc::Rc;

use slint::ComponentHandle;
use tps_firmware::event::ReportKind;
use tps_firmware::procedure::Phase;
use tps_firmware::procedure::decide::check_proposal;
use tps_firmware::procedure::input::{InputKind, StepInput};
use tps_firmware::procedure::view::{preview_dpk_announcement, preview_end_voting};
use tps_kiosk_screens::{Screen, VotingAdapter};
use tps_station::words;

use super::{ChairAction, Model, Ui, overlay, report, weak, with};

/// Wires the `VotingAdapter`'s callbacks.
pub fn wire(ui: &Rc<Ui>) {
    let adapter = ui.app.global::<VotingAdapter>();
    let w = weak(ui);
    adapter
        .on_announce_dpk(move || with(&w, |ui| overlay::ask_chair(ui, ChairAction::AnnounceDpk)));
    let w = weak(ui);
    adapter.on_close_polls(move || {
        with(&w, |ui| {
            let current = ui.model.borrow().state().map(|s| s.current_step());
            if let Some(current) = current {
                ui.model.borrow_mut().step = current;
                ui.go(Screen::Step);
            }
        })
    });
    let w = weak(ui);
    adapter.on_end_voting(move || with(&w, |ui| overlay::ask_chair(ui, ChairAction::EndVoting)));
    let w = weak(ui);
    adapter.on_open_report(move || with(&w, |ui| report::open(ui, ReportKind::Opening)));
}

/// Fills the `VotingAdapter` from the model.
pub fn render(ui: &Ui, m: &Model) {
    let adapter = ui.app.global::<VotingAdapter>();
    let (Some(state), Some(stamp)) = (m.state(), m.stamp()) else {
        return;
    };
    let lang = m.lang;
    let zone = state.package().zone;
    let schedule = state.procedure().schedule;
    let now = stamp.wall_ms;
    adapter.set_big_clock(words::hh_mm_ss(now, zone).into());
    adapter.set_dpk_at(words::at(schedule.dpk_announcement, zone).into());
    // Once done, a countdown says so: "sekarang" is only for what is due now.
    let dpk_done = state.dpk_announced_ms.is_some();
    adapter.set_dpk_left(
        if dpk_done {
            words::done().get(lang).to_string()
        } else {
            words::until(state.instant(schedule.dpk_announcement) - now, lang)
        }
        .into(),
    );
    adapter.set_dpk_done(dpk_done);
    let dpk = preview_dpk_announcement(state, &stamp);
    adapter.set_can_announce(dpk.is_ok());
    adapter.set_announce_message(
        dpk.err()
            .map(|r| r.message(lang))
            .unwrap_or_default()
            .into(),
    );
    adapter.set_close_at(words::at(schedule.polls_close, zone).into());
    let closed = state.phase() == Phase::Queue;
    adapter.set_close_left(
        if closed {
            words::done().get(lang).to_string()
        } else {
            words::until(state.instant(schedule.polls_close) - now, lang)
        }
        .into(),
    );
    let index = state.current_step();
    let close = match state.current_spec() {
        Some(spec) if spec.input == InputKind::PollsClose => check_proposal(
            state,
            index,
            spec,
            &StepInput::PollsClose { queued: 0 },
            &stamp,
        ),
        _ => Err(tps_firmware::procedure::Refusal::NotDuringVoting),
    };
    adapter.set_can_close(close.is_ok());
    adapter.set_close_message(
        close
            .err()
            .map(|r| r.message(lang))
            .unwrap_or_default()
            .into(),
    );
    adapter.set_queue(closed);
    let queued = state
        .completed
        .iter()
        .find_map(|c| match c.input {
            StepInput::PollsClose { queued } => Some(queued),
            _ => None,
        })
        .unwrap_or(0);
    adapter.set_queued(queued.to_string().into());
    adapter.set_can_end(preview_end_voting(state).is_ok());
    adapter.set_opening_ready(
        m.kiosk()
            .is_some_and(|k| k.reports.get(ReportKind::Opening).is_ok()),
    );
}
