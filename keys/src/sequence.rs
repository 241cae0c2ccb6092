//! `receipt verify` of a C.Hasil printed as a sequence of QR codes (`TPSH1`): the codes in any
//! order, checked offline with the authority's key (and, given, the election package).

use std::path::Path;

use serde::Serialize;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::report::sequence::{MAX_PART_TEXT, MAX_TEXTS, QrSequence, SequenceError};
use tps_firmware::text::Lang;

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
        }
    }
}

/// The certified device and whether it is a development one, or the first problem.
fn examine(
    sequence: &QrSequence,
    authority: &ed25519_dalek::VerifyingKey,
    package: Option<&[u8]>,
) -> Result<(String, bool), Problem> {
    let cert = sequence.verify(authority).map_err(Problem::Sequence)?;
    if let Some(bytes) = package {
        let p = ElectionPackage::read(bytes, authority)
            .map_err(|e| Problem::Package(e.message(Lang::En)))?;
        sequence.expect_tps(p.tps).map_err(Problem::Sequence)?;
        if !p.names_device(&cert.device_id) {
            return Err(Problem::NotNamed(cert.device_id.to_string()));
        }
    }
    Ok((cert.device_id.to_string(), cert.development))
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
    let (device_id, development) = checked
        .as_ref()
        .map_or((None, false), |(d, dev)| (Some(d.clone()), *dev));
    let problems: Vec<String> = checked
        .as_ref()
        .err()
        .map(|p| p.message(lang))
        .into_iter()
        .collect();
    let h = &sequence.header;
    let report = Report {
        ok: checked.is_ok(),
        lang: lang.code(),
        offline: true,
        codes: h.count,
        tps: Some(h.tps.to_string()),
        ballot: Some(h.ballot.code()),
        device_id,
        record: Some(h.seq),
        head: Some(hex::encode(sequence.head)),
        payload: Some(sequence.payload.clone()),
        development,
        problems,
    };
    let stdout = if a.json {
        crate::outcome::json(&report)?
    } else {
        words(&report, lang)
    };
    let failures = match checked {
        Ok(_) => Vec::new(),
        Err(p) => vec![CliError::verification(source, p.message(Lang::En))],
    };
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
    for problem in &report.problems {
        s.push_str(&format!("{}: {problem}\n", failed(lang)));
    }
    if report.development {
        s.push_str(development_mark(lang));
        s.push('\n');
    }
    s
}
