//! `receipt verify` of a C.Hasil printed as a sequence of QR codes (`TPSH1`): the codes in any
//! order, checked offline with the authority's key (and, given, the election package); its
//! `CH1` content decoded into the figures, and whether they add up ([`crate::chasil`]). With
//! `--journal`, also against the kiosk's journal ([`crate::sequence_journal`]).

use std::path::Path;

use serde::Serialize;
use tps_firmware::chasil::{self, PayloadError};
use tps_firmware::election::BallotType;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::report::sequence::{MAX_PART_TEXT, MAX_TEXTS, QrSequence, SequenceError};
use tps_firmware::text::Lang;

use crate::chasil::{Figures, figures};
use crate::error::CliError;
use crate::files;
use crate::journal::{check, package_for};
use crate::outcome::Outcome;
use crate::receipt_args::ReceiptArgs;
use crate::sequence_journal::{self, Mismatch};
use crate::words::{development_mark, device, failed};

/// The most read of a file of codes: every text at its longest, a line break each.
pub const MAX_FILE: u64 = (MAX_TEXTS * (MAX_PART_TEXT + 2)) as u64;

#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    lang: &'static str,
    /// Checked from the codes alone, without a journal.
    offline: bool,
    codes: usize,
    tps: Option<String>,
    ballot: Option<&'static str>,
    device_id: Option<String>,
    record: Option<u64>,
    head: Option<String>,
    payload: Option<String>,
    /// The content's figures, when it is a C.Hasil.
    result: Option<Figures>,
    /// With the journal: the record at which the kiosk recorded printing these codes.
    printed_at_record: Option<u64>,
    /// With the journal and its package: whether the count was compared with the journal's.
    figures_checked: bool,
    /// The record of a later correction that changed this ballot type's count.
    superseded_by: Option<u64>,
    development: bool,
    problems: Vec<String>,
}

/// Whether `e` says the codes are not a sequence at all (a usage fault, exit 2) rather than a
/// sequence that does not verify (exit 1).
fn unreadable(e: &SequenceError) -> bool {
    matches!(
        e,
        SequenceError::NoParts
            | SequenceError::TooManyTexts { .. }
            | SequenceError::PartTooLong { .. }
            | SequenceError::ForeignCharacter { .. }
            | SequenceError::NotOurs { .. }
            | SequenceError::Malformed { .. }
            | SequenceError::TooManyParts { .. }
    )
}

/// Why a whole sequence does not check out.
#[derive(Debug)]
enum Problem {
    Sequence(SequenceError),
    /// The package given does not verify; the reader's own (English) words.
    Package(String),
    /// The package given does not name the certified device.
    NotNamed(String),
    /// The content is not a C.Hasil payload.
    Content(PayloadError),
    /// The content is a C.Hasil of another ballot type than the codes name.
    BallotMismatch {
        codes: BallotType,
        content: BallotType,
    },
    /// The codes do not match the journal given.
    Journal(Mismatch),
}

impl Problem {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::Sequence(e), _) => e.message(lang),
            (Problem::Package(e), Lang::Id) => format!("paket pemilu: {e}"),
            (Problem::Package(e), Lang::En) => format!("election package: {e}"),
            (Problem::NotNamed(d), Lang::Id) => {
                format!("paket pemilu tidak menyebut perangkat {d}")
            }
            (Problem::NotNamed(d), Lang::En) => {
                format!("the election package does not name device {d}")
            }
            (Problem::Content(e), Lang::Id) => {
                format!("isi kode bukan C.Hasil yang sah: {}", e.text().id)
            }
            (Problem::Content(e), Lang::En) => {
                format!("the content is not a valid C.Hasil: {}", e.text().en)
            }
            (Problem::BallotMismatch { codes, content }, Lang::Id) => format!(
                "kode menyebut surat suara {}, tetapi isinya C.Hasil {}",
                codes.code(),
                content.code()
            ),
            (Problem::BallotMismatch { codes, content }, Lang::En) => format!(
                "the codes name the {} ballot, but the content is a C.Hasil of {}",
                codes.code(),
                content.code()
            ),
            (Problem::Journal(m), _) => m.text(lang),
        }
    }

    /// The journal's own faults name the journal; the others name the codes' source.
    fn file<'a>(&self, journal: Option<&'a Path>, source: &'a Path) -> &'a Path {
        match self {
            Problem::Journal(m) if m.is_journals() => journal.unwrap_or(source),
            _ => source,
        }
    }
}

/// What a sequence that checks out says: its device, whether a development one, and the
/// package given.
struct Examined {
    device_id: String,
    development: bool,
    package: Option<ElectionPackage>,
}

/// The certified device and the package, or the first problem.
fn examine(
    sequence: &QrSequence,
    authority: &ed25519_dalek::VerifyingKey,
    package: Option<&[u8]>,
) -> Result<Examined, Problem> {
    let cert = sequence.verify(authority).map_err(Problem::Sequence)?;
    let package = match package {
        None => None,
        Some(bytes) => {
            let p = ElectionPackage::read(bytes, authority)
                .map_err(|e| Problem::Package(e.message(Lang::En)))?;
            sequence.expect_tps(p.tps).map_err(Problem::Sequence)?;
            if !p.names_device(&cert.device_id) {
                return Err(Problem::NotNamed(cert.device_id.to_string()));
            }
            Some(p)
        }
    };
    Ok(Examined {
        device_id: cert.device_id.to_string(),
        development: cert.development,
        package,
    })
}

/// The content's figures (with the package's names, when it checked out), or why the content
/// is no C.Hasil of the codes' ballot.
fn content(
    sequence: &QrSequence,
    package: Option<&ElectionPackage>,
    lang: Lang,
) -> Result<Figures, Problem> {
    let tally = chasil::decode(&sequence.payload).map_err(Problem::Content)?;
    if tally.ballot != sequence.header.ballot {
        return Err(Problem::BallotMismatch {
            codes: sequence.header.ballot,
            content: tally.ballot,
        });
    }
    Ok(figures(&tally, package, lang))
}

/// What the journal said of the codes, when one was given.
#[derive(Debug, Default)]
struct Journal {
    /// Whether the journal itself verified.
    verified: bool,
    printed_at_record: Option<u64>,
    figures_checked: bool,
    superseded_by: Option<u64>,
}

/// The checks a sequence passed or failed: the device it is certified for, whether a
/// development one, the package's contents (to name the participants), the journal's word.
struct Checks {
    device_id: Option<String>,
    development: bool,
    package: Option<ElectionPackage>,
    journal: Option<Journal>,
}

/// Offline: the sequence with the authority's key, and the package given.
fn offline(
    sequence: &QrSequence,
    authority: &ed25519_dalek::VerifyingKey,
    package: Option<&[u8]>,
    found: &mut Vec<Problem>,
) -> Checks {
    match examine(sequence, authority, package) {
        Ok(e) => Checks {
            device_id: Some(e.device_id),
            development: e.development,
            package: e.package,
            journal: None,
        },
        Err(p) => {
            found.push(p);
            Checks {
                device_id: None,
                development: false,
                package: None,
                journal: None,
            }
        }
    }
}

/// With the journal: the sequence with the authority's key, then against the journal, which
/// is verified first (with its package, when at hand).
fn with_journal(
    sequence: &QrSequence,
    authority: &ed25519_dalek::VerifyingKey,
    (journal, package): (&Path, Option<&[u8]>),
    found: &mut Vec<Problem>,
) -> Result<Checks, CliError> {
    let (device_id, mut development) = match sequence.verify(authority) {
        Ok(cert) => (Some(cert.device_id.to_string()), cert.development),
        Err(e) => {
            found.push(Problem::Sequence(e));
            (None, false)
        }
    };
    let checked = check(journal, authority, package)?;
    let (said, package) = match &checked.result {
        Ok(verified) => {
            let examined = sequence_journal::examine(
                sequence,
                verified,
                &checked.records,
                package,
                device_id.as_deref(),
            );
            found.extend(examined.mismatches.into_iter().map(Problem::Journal));
            development = verified.development;
            // The journal's verification checked the package: the authority's, and the one
            // the journal began with.
            let package = package.and_then(|p| ElectionPackage::read_unverified(p).ok());
            let said = Journal {
                verified: true,
                printed_at_record: examined.printed_at_record,
                figures_checked: examined.figures_checked,
                superseded_by: examined.superseded_by,
            };
            (said, package)
        }
        Err(e) => {
            found.push(Problem::Journal(Mismatch::Journal(e.clone())));
            (Journal::default(), None)
        }
    };
    Ok(Checks {
        device_id,
        development,
        package,
        journal: Some(said),
    })
}

/// `receipt verify` of the sequence `texts` read from `source`.
pub fn verify(a: &ReceiptArgs<'_>, texts: &[String], source: &Path) -> Result<Outcome, CliError> {
    let (authority, _) = files::read_public(a.authority, KeyKind::AuthorityPublic)?;
    let package = match a.journal {
        Some(journal) => package_for(journal, a.package)?.map(|p| p.bytes),
        None => match a.package {
            Some(p) => Some(files::read(
                p,
                "an election package",
                files::MAX_SIGNED_FILE,
            )?),
            None => None,
        },
    };
    let lang = a.lang;
    let sequence = match QrSequence::decode(texts) {
        Ok(s) => s,
        Err(e) if unreadable(&e) => return Err(CliError::input(source, e)),
        Err(e) => return Ok(failure(a, texts.len(), &e, source)),
    };
    let mut found: Vec<Problem> = Vec::new();
    let checks = match a.journal {
        None => offline(&sequence, &authority, package.as_deref(), &mut found),
        Some(journal) => with_journal(
            &sequence,
            &authority,
            (journal, package.as_deref()),
            &mut found,
        )?,
    };
    // The content is read only from a sequence that checks out: what no certified device
    // signed says nothing.
    let result = match checks.device_id {
        Some(_) => content(&sequence, checks.package.as_ref(), lang)
            .map_err(|p| found.push(p))
            .ok(),
        None => None,
    };
    let problems: Vec<String> = found.iter().map(|p| p.message(lang)).collect();
    let h = &sequence.header;
    let journal = checks.journal.as_ref();
    let report = Report {
        ok: found.is_empty(),
        lang: lang.code(),
        offline: journal.is_none(),
        codes: h.count,
        tps: Some(h.tps.to_string()),
        ballot: Some(h.ballot.code()),
        device_id: checks.device_id.clone(),
        record: Some(h.seq),
        head: Some(hex::encode(sequence.head)),
        payload: Some(sequence.payload.clone()),
        result,
        printed_at_record: journal.and_then(|j| j.printed_at_record),
        figures_checked: journal.is_some_and(|j| j.figures_checked),
        superseded_by: journal.and_then(|j| j.superseded_by),
        development: checks.development,
        problems,
    };
    let stdout = if a.json {
        crate::outcome::json(&report)?
    } else {
        words(&report, journal.map(|j| j.verified), lang)
    };
    // What stderr says stays English, whatever the report's language.
    let failures = found
        .iter()
        .map(|p| CliError::verification(p.file(a.journal, source), p.message(Lang::En)))
        .collect();
    Ok(Outcome { stdout, failures })
}

/// The report of codes that are a sequence's but do not make a whole one.
fn failure(a: &ReceiptArgs<'_>, codes: usize, e: &SequenceError, source: &Path) -> Outcome {
    let report = Report {
        ok: false,
        lang: a.lang.code(),
        offline: a.journal.is_none(),
        codes,
        tps: None,
        ballot: None,
        device_id: None,
        record: None,
        head: None,
        payload: None,
        result: None,
        printed_at_record: None,
        figures_checked: false,
        superseded_by: None,
        development: false,
        problems: vec![e.message(a.lang)],
    };
    let stdout = if a.json {
        crate::outcome::json(&report).unwrap_or_default()
    } else {
        words(&report, None, a.lang)
    };
    Outcome {
        stdout,
        failures: vec![CliError::verification(source, e.message(Lang::En))],
    }
}

/// The report in words; `journal` is whether the journal given verified (`None`: offline).
/// Whether the codes were printed is said only of a journal that verifies.
fn words(report: &Report, journal: Option<bool>, lang: Lang) -> String {
    let mut s = String::new();
    if let (Some(tps), Some(ballot), Some(record)) = (&report.tps, report.ballot, report.record) {
        let n = report.codes;
        let device = report
            .device_id
            .as_deref()
            .map(|d| format!(", {}", device(d, lang)))
            .unwrap_or_default();
        s.push_str(&match lang {
            Lang::Id => format!(
                "rangkaian {n} kode QR: C.Hasil {ballot}, TPS {tps}{device}, catatan {record}\n"
            ),
            Lang::En => format!(
                "sequence of {n} QR codes: C.Hasil {ballot}, TPS {tps}{device}, record {record}\n"
            ),
        });
    }
    if let Some(payload) = &report.payload {
        s.push_str(&match lang {
            Lang::Id => format!("isi: {payload}\n"),
            Lang::En => format!("content: {payload}\n"),
        });
    }

    if report.ok {
        s.push_str(ok_line(journal.is_some(), report.figures_checked, lang));
    }
    if let Some(f) = &report.result {
        s.push_str(&crate::chasil::words(f, lang));
    }
    if let Some(n) = report.superseded_by {
        s.push_str(&match lang {
            Lang::Id => format!(
                "digantikan oleh catatan {n}: angkanya dikoreksi kemudian; C.Hasil yang berlaku \
                 dicetak setelah koreksi itu\n"
            ),
            Lang::En => format!(
                "superseded by record {n}: its figures were corrected later; the valid C.Hasil \
                 is the one printed after that correction\n"
            ),
        });
    }
    for problem in &report.problems {
        s.push_str(&format!("{}: {problem}\n", failed(lang)));
    }
    if journal == Some(true) {
        s.push_str(&match (report.printed_at_record, lang) {
            (Some(n), Lang::Id) => format!("tercatat dicetak pada catatan {n}\n"),
            (Some(n), Lang::En) => format!("recorded as printed at record {n}\n"),
            (None, Lang::Id) => "tidak tercatat dicetak di jurnal ini\n".into(),
            (None, Lang::En) => "not recorded as printed in this journal\n".into(),
        });
    }
    if report.development {
        s.push_str(development_mark(lang));
        s.push('\n');
    }
    s
}

/// What a sequence that checks out is said to have passed: offline, or against the journal
/// (with its count or without).
fn ok_line(journal: bool, figures_checked: bool, lang: Lang) -> &'static str {
    match (journal, figures_checked, lang) {
        (false, _, Lang::Id) => {
            "OK tanpa jurnal: semua bagian lengkap dan berantai, sertifikat perangkat dari \
             otoritas ini, tanda tangan dari perangkat itu\n"
        }
        (false, _, Lang::En) => {
            "OK without the journal: every part present and chained, the device certificate is \
             this authority's and the signature that device's\n"
        }
        (true, true, Lang::Id) => {
            "OK: semua bagian lengkap dan berantai, ditandatangani perangkat jurnal ini dan cocok \
             dengan jurnal, termasuk angkanya\n"
        }
        (true, true, Lang::En) => {
            "OK: every part present and chained, signed by the journal's device and matches the \
             journal, figures included\n"
        }
        (true, false, Lang::Id) => {
            "OK: semua bagian lengkap dan berantai, ditandatangani perangkat jurnal ini dan cocok \
             dengan jurnal (angka tidak diperiksa: tidak ada paket pemilu di samping jurnal atau \
             yang diberikan)\n"
        }
        (true, false, Lang::En) => {
            "OK: every part present and chained, signed by the journal's device and matches the \
             journal (figures not checked: no election package next to the journal or given)\n"
        }
    }
}
