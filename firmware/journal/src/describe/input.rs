//! What the chair entered for a step, in a few words and the figures.

use super::{clean, tr};
use tps_base::election::BallotType;
use tps_base::text::Lang;
use tps_domain::input::{Exception, StepInput};

/// `; action: ... (PPS contacted)` for a step that went ahead with a shortfall or difference.
fn exception_text(e: Option<&Exception>, lang: Lang) -> String {
    match e {
        Some(e) => format!(
            "; {}: {} ({})",
            tr(lang, "tindakan", "exception"),
            clean(&e.action),
            match (e.pps_contacted, lang) {
                (true, lang) => tr(lang, "PPS sudah dihubungi", "PPS contacted"),
                (false, lang) => tr(lang, "PPS belum dihubungi", "PPS not contacted"),
            }
        ),
        None => String::new(),
    }
}

/// Items of a list, joined with commas.
fn list<T>(items: &[T], each: impl Fn(&T) -> String) -> String {
    items.iter().map(each).collect::<Vec<_>>().join(", ")
}

/// What the chair entered, in `lang`; `name` says a ballot type as a reader knows it.
pub(super) fn step_input(
    input: &StepInput,
    lang: Lang,
    name: impl Fn(BallotType) -> String,
) -> String {
    let id = lang == Lang::Id;
    match input {
        StepInput::Checklist { items, exception } => {
            let present = items.iter().filter(|i| i.present).count();
            let exception = exception_text(exception.as_ref(), lang);
            if id {
                format!(
                    "daftar perlengkapan, {present} dari {} barang ada{exception}",
                    items.len()
                )
            } else {
                format!(
                    "equipment checklist, {present} of {} items present{exception}",
                    items.len()
                )
            }
        }
        StepInput::Attendance => tr(lang, "daftar hadir diisi", "attendance taken").to_string(),
        StepInput::Oath => tr(
            lang,
            "sumpah/janji diucapkan oleh KPPS dan petugas ketertiban",
            "oath taken by the KPPS and security staff",
        )
        .to_string(),
        StepInput::BoxInventory { items, exception } => {
            let total: u32 = items.iter().map(|i| u32::from(i.count)).sum();
            let counts = list(items, |i| format!("{} {}", clean(&i.item), i.count));
            let exception = exception_text(exception.as_ref(), lang);
            if id {
                format!("kotak suara dibuka, {total} dokumen dihitung ({counts}){exception}")
            } else {
                format!("ballot box opened, {total} documents counted ({counts}){exception}")
            }
        }
        StepInput::EmptyBox { locks } => {
            if id {
                format!(
                    "kotak suara diperlihatkan kosong lalu dikunci ({})",
                    list(locks, |l| format!(
                        "{} gembok/segel {}",
                        name(l.ballot),
                        clean(&l.seal)
                    ))
                )
            } else {
                format!(
                    "ballot boxes shown empty and locked ({})",
                    list(locks, |l| format!(
                        "{} seal {}",
                        name(l.ballot),
                        clean(&l.seal)
                    ))
                )
            }
        }
        StepInput::SealCheck { seals, exception } => {
            let seals = list(seals, |s| {
                let state = match (s.intact, lang) {
                    (true, lang) => tr(lang, "utuh", "intact"),
                    (false, lang) => tr(lang, "RUSAK", "BROKEN"),
                };
                let seal = tr(lang, "segel", "seal");
                format!("{} {seal} {} {state}", name(s.ballot), clean(&s.seal))
            });
            let exception = exception_text(exception.as_ref(), lang);
            if id {
                format!("segel sampul surat suara diperiksa ({seals}){exception}")
            } else {
                format!("ballot envelope seals checked ({seals}){exception}")
            }
        }
        StepInput::BallotCount { counts, exception } => {
            let counts = list(counts, |c| {
                let wrong = match (c.dapil_ok, lang) {
                    (true, _) => "",
                    (false, lang) => tr(lang, " SALAH DAPIL", " WRONG DAPIL"),
                };
                format!("{} {}{wrong}", name(c.ballot), c.counted)
            });
            let exception = exception_text(exception.as_ref(), lang);
            if id {
                format!("surat suara dihitung ({counts}){exception}")
            } else {
                format!("ballots counted ({counts}){exception}")
            }
        }
        StepInput::Explanations { topics } => {
            let topics = list(topics, |t| clean(t));
            if id {
                format!("penjelasan disampaikan ({topics})")
            } else {
                format!("explanations given ({topics})")
            }
        }
        StepInput::PollsOpen => tr(lang, "pemungutan suara dibuka", "polls open").to_string(),
        StepInput::PollsClose { queued } => {
            if id {
                format!("pemungutan suara ditutup, {queued} pemilih yang masih antre boleh memilih")
            } else {
                format!("polls closed, {queued} voters still queued may vote")
            }
        }
        StepInput::Reconciliation(r) => {
            let ballots = list(&r.ballots, |b| {
                if id {
                    format!(
                        "{} digunakan {} tidak digunakan {} rusak atau keliru coblos {}",
                        name(b.ballot),
                        b.used,
                        b.unused,
                        b.damaged
                    )
                } else {
                    format!(
                        "{} used {} unused {} damaged or wrongly punched {}",
                        name(b.ballot),
                        b.used,
                        b.unused,
                        b.damaged
                    )
                }
            });
            let t = &r.turnout;
            let (dpt, dptb, dpk) = (t.dpt.total(), t.dptb.total(), t.dpk.total());
            let (voters, disabled) = (t.total(), r.disabled_voters.total());
            if id {
                format!(
                    "penggunaan surat suara dan kehadiran pemilih: {ballots}; pemilih {voters} (DPT {dpt}, DPTb {dptb}, DPK {dpk}), pemilih disabilitas {disabled}"
                )
            } else {
                format!(
                    "close-out: {ballots}; voters {voters} (DPT {dpt}, DPTb {dptb}, DPK {dpk}), disabled voters {disabled}"
                )
            }
        }
        StepInput::BoxOpen {
            ballot,
            seal,
            intact,
            ballots,
            exception,
        } => {
            let state = match (intact, lang) {
                (true, lang) => tr(lang, "utuh", "intact"),
                (false, lang) => tr(lang, "RUSAK", "BROKEN"),
            };
            let exception = exception_text(exception.as_ref(), lang);
            let (b, seal) = (name(*ballot), clean(seal));
            if id {
                format!(
                    "kotak suara {b} dibuka, gembok {seal} {state}, berisi {ballots} surat suara{exception}"
                )
            } else {
                format!(
                    "{b} ballot box opened, padlock {seal} {state}, {ballots} ballots inside{exception}"
                )
            }
        }
        StepInput::Count { tally, exception } => {
            let votes = list(&tally.participants, |p| {
                format!("{}: {}", p.number, p.votes)
            });
            let exception = exception_text(exception.as_ref(), lang);
            let (b, valid, invalid) = (name(tally.ballot), tally.valid, tally.invalid);
            if id {
                format!(
                    "suara {b} dihitung: sah {valid}, tidak sah {invalid} (peserta {votes}){exception}"
                )
            } else {
                format!(
                    "{b} votes counted: valid {valid}, invalid {invalid} (participants {votes}){exception}"
                )
            }
        }
        StepInput::Sealing { seals } => {
            let seals = list(seals, |s| {
                format!(
                    "{} {} {} {} {} / {}",
                    name(s.ballot),
                    clean(&s.valid),
                    clean(&s.invalid),
                    clean(&s.unused),
                    clean(&s.damaged),
                    clean(&s.box_seal)
                )
            });
            if id {
                format!("sampul (sah, tidak sah, tidak digunakan, rusak) / kotak disegel: {seals}")
            } else {
                format!("envelopes (valid, invalid, unused, damaged) / box sealed: {seals}")
            }
        }
        StepInput::Handover { receiver } => {
            if id {
                format!(
                    "kotak suara diserahkan kepada PPS, diterima oleh {}",
                    clean(receiver)
                )
            } else {
                format!(
                    "ballot boxes handed to PPS, received by {}",
                    clean(receiver)
                )
            }
        }
    }
}
