//! Opening and closing reports: what the kiosk prints (and shows) when the polls open and when
//! the close-out is done, each with a QR code anyone can verify offline against the journal; and
//! the C.Hasil of each ballot type counted ([`chasil`]), its figures in a signed QR sequence.

pub mod chasil;
pub mod qr;
pub mod results;
pub mod sequence;

use ed25519_dalek::SigningKey;

use tps_base::election::BallotType;
use tps_base::time::{format_clock, format_local};
use tps_domain::event::{IncidentKind, Outcome, ReportKind};
use tps_domain::input::{Exception, InputKind, Reconciliation, StepInput};
use tps_domain::people::Role;
use tps_drivers::printer::{Align, COLUMNS, Line, Receipt};
use tps_engine::state::{Completed, State};

pub use qr::{QrError, ReceiptCode};

/// Why a report cannot be made yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The opening report is asked for before the polls opened.
    #[error("the polls are not open yet")]
    PollsNotOpen,
    /// The closing report is asked for before the close-out step is completed.
    #[error("the close-out is not done yet")]
    CloseOutNotDone,
    /// A C.Hasil is asked for before its ballot type is counted.
    #[error("this ballot type is not counted yet")]
    NotCounted,
    /// The count's figures make no C.Hasil payload (the engine never accepts such a count).
    #[error("the count cannot be written as a C.Hasil")]
    CountUnprintable,
    /// Only opening and closing reports have a receipt code with figures; a C.Hasil's are in
    /// its QR sequence.
    #[error("a C.Hasil has no receipt code")]
    NoReceiptCode,
}

/// What a report's QR codes hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codes {
    /// The opening or closing report's one signed code.
    Receipt(ReceiptCode),
    /// A C.Hasil's signed sequence of `TPSH1` parts, in order.
    Sequence(Vec<String>),
}

impl Codes {
    /// What the `ReportPrinted` record commits to: SHA-256 of the receipt code's text, or of a
    /// sequence's part texts joined by line feeds.
    pub fn digest(&self) -> [u8; 32] {
        use sha2::Digest;
        match self {
            Codes::Receipt(code) => code.digest(),
            Codes::Sequence(parts) => sha2::Sha256::digest(parts.join("\n").as_bytes()).into(),
        }
    }
}

/// A report ready to print: the receipt and its signed codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Which report.
    pub kind: ReportKind,
    /// What to print.
    pub receipt: Receipt,
    /// The signed codes printed on it.
    pub codes: Codes,
}

fn step_input(state: &State, kind: InputKind) -> Option<&StepInput> {
    state.completed_of_kind(kind).map(|c| &c.input)
}

/// The width of a receipt table's first column: the longest [`BallotType::short_name`] and a
/// space.
const FIRST: usize = 16;

/// The widest a number column gets: two of them after [`FIRST`] make a 30-character row, which
/// the paper (32 columns) and the screen's preview of the receipt both show unwrapped.
const NUMBER: usize = 7;

/// A table row: the first cell [`FIRST`] wide, the others sharing the rest of the paper's
/// width (at most [`NUMBER`] each), right-aligned.
fn row(cells: &[&str]) -> Line {
    let rest = COLUMNS - FIRST;
    let width = (rest / cells.len().saturating_sub(1).max(1)).min(NUMBER);
    let mut text = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i == 0 {
            text.push_str(&format!("{c:<FIRST$}"));
        } else {
            text.push_str(&format!("{c:>width$}"));
        }
    }
    Line::text(text)
}

fn pair(label: &str, value: impl std::fmt::Display) -> Line {
    Line::text(format!("{label}: {value}"))
}

/// What a report of each kind is about, looked up once for both its figures and its lines.
enum Tally<'a> {
    /// The polls opened: when, and per ballot type of the package, delivered and counted.
    Opening {
        opened: &'a Completed,
        ballots: Vec<(BallotType, u32, u32)>,
    },
    /// The close-out's figures.
    Closing(&'a Reconciliation),
}

fn tally(state: &State, kind: ReportKind) -> Result<Tally<'_>, ReportError> {
    match kind {
        ReportKind::Opening => {
            let opened = state
                .completed_of_kind(InputKind::PollsOpen)
                .ok_or(ReportError::PollsNotOpen)?;
            let counts = match step_input(state, InputKind::BallotCount) {
                Some(StepInput::BallotCount { counts, .. }) => counts.as_slice(),
                _ => &[],
            };
            let ballots = state
                .package()
                .ballots
                .iter()
                .map(|b| {
                    let counted = counts
                        .iter()
                        .find(|c| c.ballot == b.ballot)
                        .map_or(0, |c| c.counted);
                    (b.ballot, b.delivered, counted)
                })
                .collect();
            Ok(Tally::Opening { opened, ballots })
        }
        ReportKind::Closing => match step_input(state, InputKind::Reconciliation) {
            Some(StepInput::Reconciliation(r)) => Ok(Tally::Closing(r)),
            _ => Err(ReportError::CloseOutNotDone),
        },
        ReportKind::Result(_) => Err(ReportError::NoReceiptCode),
    }
}

/// The completed count of `ballot`, once it is counted: the step, the figures that stand (the
/// latest correction's) and the kejadian khusus recorded with them, if any.
pub fn count_step(
    state: &State,
    ballot: BallotType,
) -> Option<(&Completed, &tps_domain::tally::Tally, Option<&Exception>)> {
    state.completed.iter().find_map(|c| match &c.input {
        StepInput::Count { tally, exception } if tally.ballot == ballot => {
            Some((c, tally, exception.as_ref()))
        }
        _ => None,
    })
}

/// The figures that stand for `ballot`'s count (the latest correction's), once it is counted.
pub fn counted(state: &State, ballot: BallotType) -> Option<&tps_domain::tally::Tally> {
    count_step(state, ballot).map(|(_, tally, _)| tally)
}

/// Who gets a copy of a C.Hasil: each saksi present and the Pengawas TPS (procedure.md 11:
/// "copies to saksi and Pengawas"), by name; at least one copy, for the TPS's own file, when
/// none of them is there.
pub fn result_copies(state: &State) -> Vec<String> {
    let copies: Vec<String> = state
        .people
        .iter()
        .filter(|p| p.present && matches!(p.role, Role::Saksi(_) | Role::PengawasTps))
        .map(|p| format!("{} ({})", p.name, state.role_label(p.role).id))
        .collect();
    if copies.is_empty() {
        vec!["KPPS".to_string()]
    } else {
        copies
    }
}

/// How many ballots of `ballot` the package says were delivered.
fn delivered(state: &State, ballot: BallotType) -> u32 {
    state.package().ballot(ballot).map_or(0, |s| s.delivered)
}

/// The key figures a report's code commits to: per ballot type delivered/counted (opening) or
/// delivered/used/unused/damaged (closing), turnout (closing), and the counts of special
/// incidents (KK) and objections (KB). A verifier recomputes them from the journal.
pub fn figures(state: &State, kind: ReportKind) -> Result<Vec<(String, String)>, ReportError> {
    Ok(figures_of(state, &tally(state, kind)?))
}

fn figures_of(state: &State, tally: &Tally<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match tally {
        Tally::Opening { ballots, .. } => {
            for (ballot, delivered, counted) in ballots {
                out.push((ballot.code().to_string(), format!("{delivered}/{counted}")));
            }
        }
        Tally::Closing(r) => {
            for b in r.ballots.iter() {
                out.push((
                    b.ballot.code().to_string(),
                    format!(
                        "{}/{}/{}/{}",
                        delivered(state, b.ballot),
                        b.used,
                        b.unused,
                        b.damaged
                    ),
                ));
            }
            out.push(("HADIR".into(), r.turnout.total().to_string()));
        }
    }
    out.push(("KK".into(), state.incidents.len().to_string()));
    out.push(("KB".into(), state.objections.len().to_string()));
    out
}

/// The report of `kind` for the day so far, signed by the device. `head` is the newest record's
/// sequence number and chain hash, which the code commits to.
pub fn build(
    state: &State,
    kind: ReportKind,
    device: (&str, &[u8]),
    head: (u64, [u8; 32]),
    key: &SigningKey,
) -> Result<Report, ReportError> {
    if let ReportKind::Result(ballot) = kind {
        let tally = counted(state, ballot).ok_or(ReportError::NotCounted)?;
        let c = chasil::build(state.package(), tally, device, head, key)
            .map_err(|_| ReportError::CountUnprintable)?;
        return Ok(Report {
            kind,
            receipt: c.receipt,
            codes: Codes::Sequence(c.parts),
        });
    }
    let p = state.package();
    let zone = p.zone;
    let bold = |text: &str| Line::Text {
        text: text.into(),
        bold: true,
        double: false,
        align: Align::Center,
    };
    let mut lines = match kind {
        ReportKind::Opening => vec![Line::heading("PEMBUKAAN TPS")],
        // "Rekap" is the PPK's tally, not the TPS's: the closing report says what it is.
        ReportKind::Closing => vec![bold("LAPORAN PENUTUPAN"), bold("PEMUNGUTAN SUARA")],
        ReportKind::Result(_) => Vec::new(),
    };
    lines.extend([
        Line::Text {
            text: state.procedure().title.id.clone(),
            bold: true,
            double: false,
            align: Align::Center,
        },
        Line::Rule,
        pair("TPS", p.tps),
        Line::text(format!("{}, {}", p.region.village, p.region.district)),
        Line::text(format!("{}, {}", p.region.regency, p.region.province)),
        pair("Tanggal", p.date),
        pair("Perangkat", device.0),
        Line::Rule,
    ]);
    let tally = tally(state, kind)?;
    let figures = figures_of(state, &tally);
    match &tally {
        Tally::Opening { opened, ballots } => {
            lines.push(pair("Dibuka", format_local(opened.at_ms, zone)));
            lines.push(pair(
                "DPT (L/P)",
                format!("{}/{}", p.dpt.male, p.dpt.female),
            ));
            lines.push(Line::Rule);
            let seals = step_input(state, InputKind::SealCheck);
            lines.push(row(&["Surat", "Terima", "Hitung"]));
            for (ballot, delivered, counted) in ballots {
                lines.push(row(&[
                    ballot.short_name(),
                    &delivered.to_string(),
                    &counted.to_string(),
                ]));
            }
            lines.push(Line::text("Segel sampul surat suara:"));
            if let Some(StepInput::SealCheck { seals, .. }) = seals {
                for s in seals.iter() {
                    lines.push(Line::text(format!(
                        " {:<15}{}{}",
                        s.ballot.short_name(),
                        s.seal,
                        if s.intact { "" } else { " RUSAK" }
                    )));
                }
            }
            lines.push(Line::Rule);
            let count =
                |pred: fn(Role) -> bool| state.people.iter().filter(|x| pred(x.role)).count();
            lines.push(pair("KPPS hadir", count(|r| matches!(r, Role::Kpps(_)))));
            lines.push(pair("Saksi", count(|r| matches!(r, Role::Saksi(_)))));
            match state.people.iter().find(|x| x.role == Role::PengawasTps) {
                None => lines.push(pair("Pengawas TPS", "TIDAK HADIR")),
                Some(x) => {
                    lines.push(pair("Pengawas TPS", &x.name));
                    lines.push(pair("  tiba", format_clock(x.arrived_ms, zone)));
                    // A fact for Bawaslu (seed 004 line 18), never a refusal.
                    let by = state.procedure().schedule.pengawas_arrives_by;
                    if x.arrived_ms > state.instant(by) {
                        lines.push(Line::text(format!("  tiba setelah pukul {by}")));
                    }
                }
            }
        }
        Tally::Closing(r) => {
            let t = &r.turnout;
            lines.push(Line::text("Pemilih hadir (L/P):"));
            lines.push(pair(" DPT", format!("{}/{}", t.dpt.male, t.dpt.female)));
            lines.push(pair(" DPTb", format!("{}/{}", t.dptb.male, t.dptb.female)));
            lines.push(pair(" DPK", format!("{}/{}", t.dpk.male, t.dpk.female)));
            lines.push(pair(" Jumlah", t.total()));
            lines.push(pair(
                "Disabilitas (L/P)",
                format!("{}/{}", r.disabled_voters.male, r.disabled_voters.female),
            ));
            lines.push(Line::Rule);
            // Per ballot type, in the words of the forms (Model C.Hasil).
            for b in r.ballots.iter() {
                let name = state.procedure().ballot_rule(b.ballot).map_or_else(
                    || b.ballot.short_name().to_string(),
                    |rule| rule.name.id.clone(),
                );
                lines.push(Line::text(format!("Surat suara {name}:")));
                lines.push(pair(" diterima", delivered(state, b.ballot)));
                lines.push(pair(" digunakan", b.used));
                lines.push(pair(" tidak digunakan", b.unused));
                lines.push(pair(" rusak atau keliru coblos", b.damaged));
            }
        }
    }
    lines.push(Line::Rule);
    let incidents = state.incidents.len();
    let objections = state.objections.len();
    let waived = state
        .incidents
        .iter()
        .filter(|n| matches!(n.incident.kind, IncidentKind::QuorumWaived { .. }))
        .count();
    // Every witnessed clock setting, old and new time (issue 9, finding 4).
    for n in &state.incidents {
        if let IncidentKind::ClockSet { old_ms, new_ms } = n.incident.kind {
            let zone = state.package().zone;
            lines.push(pair(
                "Jam disetel",
                format!(
                    "{} -> {}",
                    tps_base::time::format_clock(old_ms, zone),
                    tps_base::time::format_clock(new_ms, zone)
                ),
            ));
        }
    }
    if incidents + objections == 0 {
        lines.push(pair("Kejadian khusus/keberatan", "NIHIL"));
        if let Some(at) = state.nihil_ms {
            lines.push(Line::text(format!(
                "  dikonfirmasi Ketua KPPS {}",
                format_clock(at, zone)
            )));
        }
    } else {
        lines.push(pair("Kejadian khusus", incidents));
        lines.push(pair("  tanpa saksi yang tidak hadir", waived));
        lines.push(pair("Keberatan", objections));
        // Each keberatan with its outcome (seed 004 lines 54-58).
        for (i, o) in state.objections.iter().enumerate() {
            let who = state
                .person(o.person)
                .map(|x| x.name.to_string())
                .unwrap_or_default();
            lines.push(Line::text(format!(" {}. {who}: {}", i + 1, o.reason)));
            lines.push(Line::text(format!(
                "    {}",
                o.outcome
                    .as_ref()
                    .map_or("BELUM ADA HASIL".to_string(), |(_, out)| out.title().id)
            )));
            if let Some((
                _,
                Outcome::NotAccepted {
                    advice,
                    followed,
                    why_not,
                },
            )) = &o.outcome
            {
                lines.push(Line::text(format!("    Saran: {advice}")));
                lines.push(Line::text(match (followed, why_not) {
                    (true, _) => "    Saran diikuti KPPS".to_string(),
                    (false, Some(why)) => format!("    Tidak diikuti KPPS: {why}"),
                    (false, None) => "    Tidak diikuti KPPS".to_string(),
                }));
            }
        }
    }
    lines.push(pair("Catatan ke", head.0));
    lines.push(Line::text(format!("Hash {}", &hex::encode(head.1)[..16])));
    let code = ReceiptCode::sign(kind, p.tps.to_string(), device, head, figures, key);
    lines.push(Line::Qr {
        payload: code.to_string(),
    });
    lines.push(Line::Text {
        text: "Periksa: tps-keys receipt verify".into(),
        bold: false,
        double: false,
        align: Align::Center,
    });
    lines.push(Line::Feed(2));
    Ok(Report {
        kind,
        receipt: Receipt { lines },
        codes: Codes::Receipt(code),
    })
}
