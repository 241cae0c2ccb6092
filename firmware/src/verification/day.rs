//! How far a verified journal's day got, and every change of its clock: what `journal verify`
//! and `audit` say beside "OK".

use serde::Serialize;
use tps_base::text::Lang;
use tps_base::time::{LocalDateTime, TimeZone};
use tps_domain::event::{RecordBody, ReportKind};
use tps_domain::input::InputKind;
use tps_domain::spec::Procedure;
use tps_journal::SignedRecord;
use tps_journal::describe::format_time;

/// How far the day got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Every step done (the last one is the hand-over to PPS) and the closing report recorded
    /// after the close-out.
    pub complete: bool,
    /// The last step completed, and when.
    pub last_step: Option<String>,
    /// When the last step was completed (unix ms).
    pub last_step_ms: Option<i64>,
    /// Records in the journal.
    pub records: u64,
}

/// The day's progress. The close-out is the procedure's reconciliation step and the day ends
/// with its last step; without the procedure (no package given), any step counts as either.
pub fn progress(records: &[SignedRecord], procedure: Option<&Procedure>) -> Progress {
    let step_of = |kind: InputKind| {
        procedure.and_then(|p| {
            p.steps
                .iter()
                .find(|s| s.input == kind)
                .map(|s| s.id.as_str())
        })
    };
    let close_out = step_of(InputKind::Reconciliation);
    let last = procedure
        .and_then(|p| p.steps.last())
        .map(|s| s.id.as_str());
    let mut last_step: Option<(String, i64)> = None;
    let (mut closed, mut printed, mut finished) = (false, false, false);
    for r in records {
        match &r.record.body {
            RecordBody::StepCompleted { step, .. } => {
                closed |= close_out.is_none_or(|id| id == step.as_str());
                finished |= last.is_none_or(|id| id == step.as_str());
                last_step = Some((step.to_string(), r.record.stamp.wall_ms));
            }
            RecordBody::ReportPrinted {
                kind: ReportKind::Closing,
                ..
            } if closed => printed = true,
            _ => {}
        }
    }
    let (last_step, last_step_ms) = last_step.map_or((None, None), |(s, t)| (Some(s), Some(t)));
    Progress {
        complete: printed && finished,
        last_step,
        last_step_ms,
        records: records.len() as u64,
    }
}

/// `HH:MM ZONE`, in the package's zone (UTC without one).
fn hh_mm(ms: i64, zone: Option<TimeZone>) -> String {
    match zone.and_then(|z| LocalDateTime::from_unix_ms(ms, z)) {
        Some(t) => format!("{:02}:{:02} {}", t.hour, t.minute, t.zone),
        None => format_time(ms, None)
            .get(11..16)
            .map_or_else(|| format!("@{ms}ms"), |t| format!("{t} UTC")),
    }
}

impl Progress {
    /// `complete`, or `incomplete: last step X at HH:MM, N records`.
    pub fn text(&self, zone: Option<TimeZone>, lang: Lang) -> String {
        let n = self.records;
        match (self.complete, &self.last_step, self.last_step_ms, lang) {
            (true, ..) => match lang {
                Lang::Id => "lengkap".into(),
                Lang::En => "complete".into(),
            },
            (false, Some(step), Some(ms), Lang::Id) => format!(
                "belum lengkap: langkah terakhir {step} pukul {}, {n} catatan",
                hh_mm(ms, zone)
            ),
            (false, Some(step), Some(ms), Lang::En) => format!(
                "incomplete: last step {step} at {}, {n} records",
                hh_mm(ms, zone)
            ),
            (false, _, _, Lang::Id) => format!("belum lengkap: belum ada langkah, {n} catatan"),
            (false, _, _, Lang::En) => format!("incomplete: no step completed, {n} records"),
        }
    }
}

/// A change of the clock the journal shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockChange {
    /// The record that says so.
    pub seq: u64,
    /// `set` (by a technician) or `anomaly` (the RTC disagreed with the journal).
    pub kind: &'static str,
    /// Before: what the clock read when set, or the journal's time for an anomaly (unix ms).
    pub old_ms: i64,
    /// After: the time set, or what the RTC read for an anomaly (unix ms).
    pub new_ms: i64,
    /// Who set it (empty for an anomaly, which the kiosk found itself).
    pub by: String,
}

/// Every `ClockSet` and `ClockAnomaly`, in record order.
pub fn clock_changes(records: &[SignedRecord]) -> Vec<ClockChange> {
    records
        .iter()
        .filter_map(|r| {
            let seq = r.record.seq;
            match &r.record.body {
                RecordBody::ClockSet { old_ms, new_ms, by } => Some(ClockChange {
                    seq,
                    kind: "set",
                    old_ms: *old_ms,
                    new_ms: *new_ms,
                    by: by.to_string(),
                }),
                RecordBody::ClockAnomaly { rtc_ms, journal_ms } => Some(ClockChange {
                    seq,
                    kind: "anomaly",
                    old_ms: *journal_ms,
                    new_ms: *rtc_ms,
                    by: String::new(),
                }),
                _ => None,
            }
        })
        .collect()
}

impl ClockChange {
    /// `record 12: clock set 2024-02-14 07:24:00 WIB -> 09:10:00 by teknisi`.
    pub fn text(&self, zone: Option<TimeZone>, lang: Lang) -> String {
        let (seq, old, new) = (
            self.seq,
            format_time(self.old_ms, zone),
            format_time(self.new_ms, zone),
        );
        match (self.kind, lang) {
            ("set", Lang::Id) => {
                format!("catatan {seq}: jam diubah {old} -> {new} oleh {}", self.by)
            }
            ("set", _) => format!("record {seq}: clock set {old} -> {new} by {}", self.by),
            (_, Lang::Id) => {
                format!("catatan {seq}: jam perangkat menyimpang: jurnal {old}, jam {new}")
            }
            (_, Lang::En) => {
                format!("record {seq}: clock anomaly: journal at {old}, clock read {new}")
            }
        }
    }
}
