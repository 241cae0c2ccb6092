//! `receipt verify` of a C.Hasil printed as a sequence of QR codes (`TPSH1`): the codes in any
//! order, checked offline with the authority's key (and, given, the election package); its
//! `CH1` content decoded into the figures, and whether they add up ([`crate::chasil`]).

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
use crate::outcome::Outcome;
use crate::receipt_args::ReceiptArgs;
use crate::words::{development_mark, device, failed};

/// The most read of a file of codes: every text at its longest, a line break each.
pub const MAX_FILE: u64 = (MAX_TEXTS * (MAX_PART_TEXT + 2)) as u64;

#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    lang: &'static str,
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

/// `receipt verify` of the sequence `texts` read from `source`.
pub fn verify(a: &ReceiptArgs<'_>, texts: &[String], source: &Path) -> Result<Outcome, CliError> {
    if a.journal.is_some() {
        return Err(CliError::Usage(
            "a sequence of QR codes is checked offline only: leave out --journal".into(),
        ));
    }
    let (authority, _) = files::read_public(a.authority, KeyKind::AuthorityPublic)?;
    let package = match a.package {
        Some(p) => Some(files::read(
            p,
            "an election package",
            files::MAX_SIGNED_FILE,
        )?),
        None => None,
    };
    let lang = a.lang;
    let sequence = match QrSequence::decode(texts) {
        Ok(s) => s,
        Err(e) if unreadable(&e) => return Err(CliError::input(source, e)),
        Err(e) => return Ok(failure(a, texts.len(), &e, source)),
    };
    let checked = examine(&sequence, &authority, package.as_deref());
    let (device_id, development, package) = match &checked {
        Ok(e) => (Some(e.device_id.clone()), e.development, e.package.as_ref()),
        Err(_) => (None, false, None),
    };
    // The content is read only from a sequence that checks out: what no certified device
    // signed says nothing.
    let mut found: Vec<Problem> = Vec::new();
    let result = match checked {
        Err(p) => {
            found.push(p);
            None
        }
        Ok(_) => content(&sequence, package, lang)
            .map_err(|p| found.push(p))
            .ok(),
    };
    let problems: Vec<String> = found.iter().map(|p| p.message(lang)).collect();
    let h = &sequence.header;
    let report = Report {
        ok: found.is_empty(),
        lang: lang.code(),
        offline: true,
        codes: h.count,
        tps: Some(h.tps.to_string()),
        ballot: Some(h.ballot.code()),
        device_id,
        record: Some(h.seq),
        head: Some(hex::encode(sequence.head)),
        payload: Some(sequence.payload.clone()),
        result,
        development,
        problems,
    };
    let stdout = if a.json {
        crate::outcome::json(&report)?
    } else {
        words(&report, lang)
    };
    let failures = found
        .iter()
        .map(|p| CliError::verification(source, p.message(Lang::En)))
        .collect();
    Ok(Outcome { stdout, failures })
}

/// The report of codes that are a sequence's but do not make a whole one.
fn failure(a: &ReceiptArgs<'_>, codes: usize, e: &SequenceError, source: &Path) -> Outcome {
    let report = Report {
        ok: false,
        lang: a.lang.code(),
        offline: true,
        codes,
        tps: None,
        ballot: None,
        device_id: None,
        record: None,
        head: None,
        payload: None,
        result: None,
        development: false,
        problems: vec![e.message(a.lang)],
    };
    let stdout = if a.json {
        crate::outcome::json(&report).unwrap_or_default()
    } else {
        words(&report, a.lang)
    };
    Outcome {
        stdout,
        failures: vec![CliError::verification(source, e.message(Lang::En))],
    }
}

fn words(report: &Report, lang: Lang) -> String {
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
        s.push_str(match lang {
            Lang::Id => {
                "OK tanpa jurnal: semua bagian lengkap dan berantai, sertifikat perangkat dari \
                 otoritas ini, tanda tangan dari perangkat itu\n"
            }
            Lang::En => {
                "OK without the journal: every part present and chained, the device certificate \
                 is this authority's and the signature that device's\n"
            }
        });
    }
    if let Some(f) = &report.result {
        s.push_str(&crate::chasil::words(f, lang));
    }
    for problem in &report.problems {
        s.push_str(&format!("{}: {problem}\n", failed(lang)));
    }
    if report.development {
        s.push_str(development_mark(lang));
        s.push('\n');
    }
    s
}
