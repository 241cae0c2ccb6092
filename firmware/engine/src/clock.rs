//! Setting the kiosk's clock once the day has begun (issue 9, finding 4): a moved clock opened
//! and closed the polls at the wrong time without a witness. From the first step proposed on, a
//! setting needs the chair's PIN and the Pengawas TPS's, or two saksi present with theirs, and
//! becomes a kejadian khusus with the old and the new time. It may never go back past the last
//! record (the journal's time never goes back). A setting that crosses a regulated time of the
//! day (the schedule in the procedure data: 07:00, 12:00, 13:00 for Pemilu 2024) is refused
//! until the witnesses have seen both times in words and confirm.
//!
//! The witness rule is the kiosk's own (issue 9, after the Pengawas TPS's role of supervising
//! every stage, seed 004); it is a safeguard of the device, not an election rule.

pub use super::clock_refusal::{ClockRefusal, time_in_words};
use super::pin_check::{verify_chair, verify_pin};
use super::refusal::Refusal;
use super::state::State;
use tps_base::bounded::{List, Text};
use tps_base::text::Bilingual;
use tps_base::time::{LocalTime, Stamp, TimeZone, format_clock, instant_at};
use tps_domain::event::{Incident, IncidentKind, RecordBody};
use tps_domain::people::{PersonId, Role};
use tps_domain::pin::Pin;

/// A request to set the clock to `new_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetClock {
    /// The time to set (unix ms).
    pub new_ms: i64,
    /// Who sets it (the technician's name).
    pub by: String,
    /// Once the day has begun: the chair's PIN.
    pub chair_pin: Option<Pin>,
    /// Once the day has begun: the Pengawas TPS, or two saksi present, with their PINs.
    pub witnesses: Vec<(PersonId, Pin)>,
    /// The witnesses saw the old and new time in words and confirm a setting across a
    /// regulated time.
    pub confirm_crossing: bool,
}

impl From<ClockRefusal> for Refusal {
    fn from(c: ClockRefusal) -> Self {
        Refusal::Clock(c)
    }
}

/// Whether the day has begun: a step has been proposed.
pub fn day_begun(state: &State) -> bool {
    state.proposal.is_some() || !state.completed.is_empty()
}

/// The regulated times of the election day (the procedure's schedule) between `a` and `b`
/// (either order; the later end included).
pub fn regulated_times_crossed(state: &State, a: i64, b: i64) -> Vec<LocalTime> {
    let s = &state.procedure().schedule;
    let (date, zone) = (state.package().date, state.package().zone);
    let (lo, hi) = (a.min(b), a.max(b));
    let mut times = vec![
        s.meeting_opens,
        s.polls_open,
        s.dpk_announcement,
        s.polls_close,
    ];
    times.sort();
    times.dedup();
    times
        .into_iter()
        .filter(|t| instant_at(date, *t, zone).is_some_and(|at| lo < at && at <= hi))
        .collect()
}

/// The latest time the clock may be set to: the end of the day after the election day (the
/// count may run past midnight into it). Our own bound, not the regulation's: no setting is ever
/// needed later, and a mistyped year (2204 for 2024) would otherwise become the journal's time,
/// which never goes back, leaving the kiosk unable to run this election.
pub fn latest_setting(state: &State) -> Option<i64> {
    const TWO_DAYS_MS: i64 = 2 * 86_400_000;
    let p = state.package();
    instant_at(p.date, LocalTime::new(0, 0), p.zone).map(|day| day + TWO_DAYS_MS - 1)
}

/// What a clock setting to `new_ms` meets whatever the PINs, for the form to show before
/// anyone signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockPreview {
    /// The day has begun: the chair and the Pengawas TPS (or two saksi present) must sign.
    pub witnessed: bool,
    /// The regulated times it crosses, which the witnesses must see in words and confirm
    /// (`ClockRefusal::CrossesRegulatedTime`); only once witnesses sign.
    pub crossing: Option<ClockRefusal>,
}

/// Previews a setting from `now_ms` to `new_ms`: why it is refused whoever signs (back past the
/// last record), or who must sign and what they must see.
pub fn preview_clock(
    state: &State,
    new_ms: i64,
    now_ms: i64,
) -> Result<ClockPreview, ClockRefusal> {
    let zone = state.package().zone;
    if let Some(last_ms) = state.last_trusted_ms.filter(|&last| new_ms < last) {
        return Err(ClockRefusal::Backwards {
            last_ms,
            new_ms,
            zone,
        });
    }
    if let Some(latest_ms) = latest_setting(state).filter(|&latest| new_ms > latest) {
        return Err(ClockRefusal::AfterTheElection {
            latest_ms,
            new_ms,
            zone,
        });
    }
    let witnessed = day_begun(state);
    let times = regulated_times_crossed(state, now_ms, new_ms);
    let crossing = (witnessed && !times.is_empty()).then_some(ClockRefusal::CrossesRegulatedTime {
        old_ms: now_ms,
        new_ms,
        times,
        zone,
    });
    Ok(ClockPreview {
        witnessed,
        crossing,
    })
}

/// Decides a clock setting: the records to make (a kejadian khusus, then the setting), or why
/// not. Before the day has begun a technician sets it without PINs.
pub(super) fn set_clock(
    state: &State,
    set: &SetClock,
    now: &Stamp,
) -> Result<Vec<RecordBody>, Refusal> {
    let zone = state.package().zone;
    let preview = preview_clock(state, set.new_ms, now.wall_ms)?;
    let by = Text::truncated(set.by.trim());
    let clock_set = RecordBody::ClockSet {
        old_ms: now.wall_ms,
        new_ms: set.new_ms,
        by,
    };
    if !preview.witnessed {
        return Ok(vec![clock_set]);
    }
    let chair_pin = set
        .chair_pin
        .as_ref()
        .ok_or(Refusal::Clock(ClockRefusal::NeedsWitnesses))?;
    let chair = verify_chair(state, chair_pin, now)?;
    let mut witnesses = List::<PersonId, 16>::new();
    let (mut pengawas, mut saksi) = (false, 0);
    for (w, pin) in &set.witnesses {
        let Some(p) = state.person(*w).filter(|p| p.present && *w != chair) else {
            continue;
        };
        let role = p.role;
        verify_pin(state, *w, pin, now)?;
        if witnesses.contains(w) || witnesses.push(*w).is_err() {
            continue;
        }
        match role {
            Role::PengawasTps => pengawas = true,
            Role::Saksi(_) => saksi += 1,
            _ => {}
        }
    }
    if !pengawas && saksi < 2 {
        return Err(ClockRefusal::NeedsWitnesses.into());
    }
    if let Some(crossing) = preview.crossing.filter(|_| !set.confirm_crossing) {
        return Err(crossing.into());
    }
    let text = clock_set_text(now.wall_ms, set.new_ms, zone);
    Ok(vec![
        RecordBody::Incident(Incident {
            kind: IncidentKind::ClockSet {
                old_ms: now.wall_ms,
                new_ms: set.new_ms,
            },
            text: Text::truncated(&format!("{} / {}", text.id, text.en)),
            raised_by: Some(chair),
            witnesses,
            refers_to: None,
        }),
        clock_set,
    ])
}

/// "Jam disetel dari 09:10:00 WIB menjadi 07:24:00 WIB", in both languages.
pub fn clock_set_text(old_ms: i64, new_ms: i64, zone: TimeZone) -> Bilingual {
    let (old, new) = (format_clock(old_ms, zone), format_clock(new_ms, zone));
    Bilingual::new(
        format!("Jam perangkat disetel dari {old} menjadi {new}"),
        format!("The kiosk's clock was set from {old} to {new}"),
    )
}
