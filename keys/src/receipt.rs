//! `receipt verify`: checks the code printed under a report's QR against the kiosk's journal.
//! The code must be signed by the journal's device, name a record the journal has with that
//! chain hash, and carry the figures the journal gives at that record.

use std::path::Path;

use serde::Serialize;
use tps_firmware::event::ReportKind;
use tps_firmware::identity::cert::DeviceCertificate;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::journal::SignedRecord;
use tps_firmware::journal::verify::{VerifyError, VerifyReport};
use tps_firmware::procedure::State;
use tps_firmware::report::sequence::QrSequence;
use tps_firmware::report::{self, ReceiptCode};
use tps_firmware::text::Lang;

use crate::error::CliError;
use crate::files;
use crate::journal::{check, package_for};
use crate::outcome::Outcome;
use crate::printed_record::{completes_correction, genesis_certificate, printed_at};
pub use crate::receipt_args::ReceiptArgs;
use crate::sequence;
use crate::words::{development_mark, device, failed};

#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    lang: &'static str,
    kind: &'static str,
    tps: String,
    device_id: String,
    record: u64,
    printed_at_record: Option<u64>,
    figures_checked: bool,
    /// Checked from the code alone, without a journal.
    offline: bool,
    figures: Vec<(String, String)>,
    /// The record of a later correction that changed these figures.
    superseded_by: Option<u64>,
    development: bool,
    problems: Vec<String>,
}

fn kind_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Opening => "opening",
        ReportKind::Closing => "closing",
        // A receipt code (TPSK2) is never a C.Hasil's; the sequence (TPSH1) says its own kind.
        ReportKind::Result(_) => "result",
    }
}

/// Why a receipt does not check out.
#[derive(Debug)]
enum Mismatch {
    /// The journal itself does not verify; nothing else is checked then.
    Journal(VerifyError),
    Device {
        receipt: String,
        journal: String,
    },
    Tps {
        receipt: String,
        journal: String,
    },
    ChainHash {
        seq: u64,
    },
    NoSuchRecord {
        records: usize,
        seq: u64,
    },
    Signature,
    Figures {
        receipt: String,
        journal: String,
    },
    /// Replaying the journal failed; the detail is the replay's own (English) words.
    FiguresUnknown(String),
    /// The certificate in the code is not a certificate of this authority.
    Certificate(String),
    /// The certificate in the code is not the one the journal began with.
    CertificateNotJournals,
    /// The package given is not for this receipt's TPS or device.
    Package(String),
}

impl Mismatch {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Mismatch::Journal(e), Lang::Id) => {
                format!("jurnal tidak lolos verifikasi: {}", e.message(lang))
            }
            (Mismatch::Journal(e), Lang::En) => {
                format!("the journal does not verify: {}", e.message(lang))
            }
            (Mismatch::Device { receipt, journal }, Lang::Id) => format!(
                "struk menyebut perangkat {receipt}, sedangkan jurnal ini milik perangkat {journal}"
            ),
            (Mismatch::Device { receipt, journal }, Lang::En) => {
                format!("the receipt names device {receipt}, the journal is device {journal}'s")
            }
            (Mismatch::Tps { receipt, journal }, Lang::Id) => {
                format!("struk menyebut TPS {receipt}, sedangkan jurnal ini milik TPS {journal}")
            }
            (Mismatch::Tps { receipt, journal }, Lang::En) => {
                format!("the receipt names TPS {receipt}, the journal is TPS {journal}'s")
            }
            (Mismatch::ChainHash { seq }, Lang::Id) => {
                format!("hash rantai catatan {seq} di jurnal berbeda dari yang tertera di struk")
            }
            (Mismatch::ChainHash { seq }, Lang::En) => {
                format!("record {seq} in the journal has another chain hash than the receipt's")
            }
            (Mismatch::NoSuchRecord { records, seq }, Lang::Id) => {
                format!("jurnal berisi {records} catatan; struk menyebut catatan {seq}")
            }
            (Mismatch::NoSuchRecord { records, seq }, Lang::En) => {
                format!("the journal has {records} records; the receipt names record {seq}")
            }
            (Mismatch::Signature, Lang::Id) => "tanda tangan struk bukan dari perangkat ini".into(),
            (Mismatch::Signature, Lang::En) => {
                "the receipt's signature is not this device's".into()
            }
            (Mismatch::Figures { receipt, journal }, Lang::Id) => {
                format!("angka berbeda dari jurnal: struk {receipt}, jurnal {journal}")
            }
            (Mismatch::Figures { receipt, journal }, Lang::En) => format!(
                "the figures differ from the journal's: receipt {receipt}, journal {journal}"
            ),
            (Mismatch::FiguresUnknown(_), Lang::Id) => {
                "angka tidak dapat dihitung ulang dari jurnal".into()
            }
            (Mismatch::FiguresUnknown(e), Lang::En) => {
                format!("the figures cannot be recomputed: {e}")
            }
            (Mismatch::Certificate(e), Lang::Id) => {
                format!("sertifikat perangkat di struk tidak sah untuk otoritas ini ({e})")
            }
            (Mismatch::Certificate(e), Lang::En) => {
                format!("the device certificate in the receipt is not this authority's ({e})")
            }
            (Mismatch::CertificateNotJournals, Lang::Id) => {
                "sertifikat perangkat di struk bukan sertifikat di awal jurnal".into()
            }
            (Mismatch::CertificateNotJournals, Lang::En) => {
                "the device certificate in the receipt is not the one the journal began with".into()
            }
            (Mismatch::Package(e), Lang::Id) => format!("paket pemilu: {e}"),
            (Mismatch::Package(e), Lang::En) => format!("election package: {e}"),
        }
    }

    /// The journal's own faults name the journal; the others name the receipt's code.
    fn file<'a>(&self, journal: Option<&'a Path>, code: &'a Path) -> &'a Path {
        match self {
            Mismatch::Journal(_) => journal.unwrap_or(code),
            _ => code,
        }
    }
}

/// The report figures the journal gives at record `seq`.
fn figures_at(
    records: &[SignedRecord],
    seq: u64,
    package: &[u8],
    kind: ReportKind,
) -> Result<Vec<(String, String)>, String> {
    let package = ElectionPackage::read_unverified(package).map_err(|e| e.to_string())?;
    let mut state = State::for_replay(package).map_err(|e| e.to_string())?;
    for r in records.iter().take_while(|r| r.record.seq <= seq) {
        state.apply(&r.record).map_err(|e| e.to_string())?;
    }
    report::figures(&state, kind).map_err(|e| e.to_string())
}

/// The first record after `seq` that completes a correction (a step proposed with `corrects`)
/// after which the report's figures differ from `figures`: the receipt is superseded there. The
/// incident and objection counts (`KK`, `KB`) grow all day and are not corrections.
fn superseded_by(
    records: &[SignedRecord],
    seq: u64,
    package: &[u8],
    kind: ReportKind,
    figures: &[(String, String)],
) -> Option<u64> {
    let counts = |f: &[(String, String)]| -> Vec<(String, String)> {
        f.iter()
            .filter(|(k, _)| k != "KK" && k != "KB")
            .cloned()
            .collect()
    };
    let printed = counts(figures);
    let package = ElectionPackage::read_unverified(package).ok()?;
    let mut state = State::for_replay(package).ok()?;
    for r in records {
        state.apply(&r.record).ok()?;
        if r.record.seq > seq
            && completes_correction(records, &r.record.body)
            && report::figures(&state, kind).is_ok_and(|now| counts(&now) != printed)
        {
            return Some(r.record.seq);
        }
    }
    None
}

/// What a verified journal says about a receipt.
#[derive(Debug, Default)]
struct Examined {
    mismatches: Vec<Mismatch>,
    figures_checked: bool,
    printed_at_record: Option<u64>,
    superseded_by: Option<u64>,
}

fn examine(
    code: &ReceiptCode,
    verified: &VerifyReport,
    records: &[SignedRecord],
    package: Option<&[u8]>,
) -> Examined {
    let mut mismatches = Vec::new();
    if code.device_id != verified.device_id {
        mismatches.push(Mismatch::Device {
            receipt: code.device_id.clone(),
            journal: verified.device_id.clone(),
        });
    }
    if code.tps != verified.tps {
        mismatches.push(Mismatch::Tps {
            receipt: code.tps.clone(),
            journal: verified.tps.clone(),
        });
    }
    match records.get(code.seq as usize) {
        Some(r) if r.hash == code.head => {}
        Some(_) => mismatches.push(Mismatch::ChainHash { seq: code.seq }),
        None => mismatches.push(Mismatch::NoSuchRecord {
            records: records.len(),
            seq: code.seq,
        }),
    }
    if code.verify(&verified.device_key).is_err() {
        mismatches.push(Mismatch::Signature);
    }
    if genesis_certificate(records) != Some(code.certificate.as_slice()) {
        mismatches.push(Mismatch::CertificateNotJournals);
    }
    if let Some(package) = package {
        match figures_at(records, code.seq, package, code.kind) {
            Ok(expected) if expected == code.figures => {}
            Ok(expected) => mismatches.push(Mismatch::Figures {
                receipt: show(&code.figures),
                journal: show(&expected),
            }),
            Err(e) => mismatches.push(Mismatch::FiguresUnknown(e)),
        }
    }
    let digest = code.digest();
    Examined {
        superseded_by: package
            .and_then(|p| superseded_by(records, code.seq, p, code.kind, &code.figures)),
        mismatches,
        figures_checked: package.is_some(),
        printed_at_record: printed_at(records, digest),
    }
}

pub fn verify(a: &ReceiptArgs<'_>) -> Result<Outcome, CliError> {
    let (texts, source): (Vec<String>, &Path) = match (a.codes, a.code_file) {
        ([_, ..], None) => (a.codes.to_vec(), Path::new("<code>")),
        ([], Some(f)) => {
            let text = files::read_text(f, "a receipt code", sequence::MAX_FILE)?;
            let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            (lines.map(str::to_string).collect(), f)
        }
        _ => {
            return Err(CliError::Usage(
                "give the receipt's code with --code TEXT or --code-file FILE".into(),
            ));
        }
    };
    let text = match texts.as_slice() {
        [one] if !QrSequence::is_part(one) => one.clone(),
        _ => return sequence::verify(a, &texts, source),
    };
    let code = ReceiptCode::parse(&text).map_err(|e| CliError::input(source, e))?;
    let (authority, _) = files::read_public(a.authority, KeyKind::AuthorityPublic)?;
    let Some(journal) = a.journal else {
        return offline(a, &code, source, &authority);
    };
    let package = package_for(journal, a.package)?;
    let package = package.as_ref().map(|p| p.bytes.as_slice());
    let checked = check(journal, &authority, package)?;
    let (examined, development) = match &checked.result {
        Ok(verified) => (
            examine(&code, verified, &checked.records, package),
            verified.development,
        ),
        Err(e) => (
            Examined {
                mismatches: vec![Mismatch::Journal(e.clone())],
                ..Examined::default()
            },
            false,
        ),
    };
    let lang = a.lang;
    let report = Report {
        ok: examined.mismatches.is_empty(),
        lang: lang.code(),
        kind: kind_name(code.kind),
        tps: code.tps.clone(),
        device_id: code.device_id.clone(),
        record: code.seq,
        printed_at_record: examined.printed_at_record,
        figures_checked: examined.figures_checked,
        offline: false,
        figures: code.figures.clone(),
        superseded_by: examined.superseded_by,
        development,
        problems: examined.mismatches.iter().map(|m| m.text(lang)).collect(),
    };
    let stdout = if a.json {
        crate::outcome::json(&report)?
    } else {
        text_report(&report, code.kind, checked.result.is_ok(), lang)
    };
    // What stderr says stays English, whatever the report's language.
    let failures = examined
        .mismatches
        .iter()
        .map(|m| CliError::verification(m.file(a.journal, source), m.text(Lang::En)))
        .collect();
    Ok(Outcome { stdout, failures })
}

/// What the code alone shows: its certificate is the authority's, its signature the certified
/// device's; with `--package`, that the package (the authority's) is for its TPS and device.
fn examine_offline(
    code: &ReceiptCode,
    authority: &ed25519_dalek::VerifyingKey,
    package: Option<&[u8]>,
) -> (Vec<Mismatch>, bool) {
    let mut mismatches = Vec::new();
    let cert = match DeviceCertificate::read(&code.certificate, authority) {
        Ok(c) => c,
        Err(e) => return (vec![Mismatch::Certificate(e.message(Lang::En))], false),
    };
    if cert.device_id.as_str() != code.device_id {
        mismatches.push(Mismatch::Device {
            receipt: code.device_id.clone(),
            journal: cert.device_id.to_string(),
        });
    }
    match cert.device_key() {
        Ok(key) if code.verify(&key).is_ok() => {}
        _ => mismatches.push(Mismatch::Signature),
    }
    if let Some(bytes) = package {
        match ElectionPackage::read(bytes, authority) {
            Err(e) => mismatches.push(Mismatch::Package(e.message(Lang::En))),
            Ok(p) => {
                if p.tps.to_string() != code.tps {
                    mismatches.push(Mismatch::Tps {
                        receipt: code.tps.clone(),
                        journal: p.tps.to_string(),
                    });
                }
                if !p.names_device(&cert.device_id) {
                    mismatches.push(Mismatch::Package(format!(
                        "it does not name device {}",
                        cert.device_id
                    )));
                }
            }
        }
    }
    (mismatches, cert.development)
}

/// `receipt verify` without a journal.
fn offline(
    a: &ReceiptArgs<'_>,
    code: &ReceiptCode,
    source: &Path,
    authority: &ed25519_dalek::VerifyingKey,
) -> Result<Outcome, CliError> {
    let package = match a.package {
        Some(p) => Some(files::read(
            p,
            "an election package",
            files::MAX_SIGNED_FILE,
        )?),
        None => None,
    };
    let (mismatches, development) = examine_offline(code, authority, package.as_deref());
    let lang = a.lang;
    let report = Report {
        ok: mismatches.is_empty(),
        lang: lang.code(),
        kind: kind_name(code.kind),
        tps: code.tps.clone(),
        device_id: code.device_id.clone(),
        record: code.seq,
        printed_at_record: None,
        figures_checked: false,
        offline: true,
        figures: code.figures.clone(),
        superseded_by: None,
        development,
        problems: mismatches.iter().map(|m| m.text(lang)).collect(),
    };
    let stdout = if a.json {
        crate::outcome::json(&report)?
    } else {
        let mut s = head_lines(&report, code.kind, lang);
        if report.ok {
            s.push_str(match lang {
                Lang::Id => {
                    "OK tanpa jurnal: sertifikat perangkat dari otoritas ini, tanda tangan dari \
                     perangkat itu; angka belum dibandingkan dengan jurnal (beri --journal)\n"
                }
                Lang::En => {
                    "OK without the journal: the device certificate is this authority's and the \
                     signature that device's; the figures are not compared with a journal (give \
                     --journal)\n"
                }
            });
        }
        for problem in &report.problems {
            s.push_str(&format!("{}: {problem}\n", failed(lang)));
        }
        if development {
            s.push_str(development_mark(lang));
            s.push('\n');
        }
        s
    };
    let failures = mismatches
        .iter()
        .map(|m| CliError::verification(source, m.text(Lang::En)))
        .collect();
    Ok(Outcome { stdout, failures })
}

/// The receipt's first lines: what it is and its figures.
fn head_lines(report: &Report, kind: ReportKind, lang: Lang) -> String {
    let (name, tps, record) = (kind.name(), &report.tps, report.record);
    let (name, device) = (name.get(lang), device(&report.device_id, lang));
    let mut s = match lang {
        Lang::Id => format!("struk: {name}, TPS {tps}, {device}, catatan {record}\n"),
        Lang::En => format!("receipt: {name}, TPS {tps}, {device}, record {record}\n"),
    };
    let figures = show(&report.figures);
    s.push_str(&match lang {
        Lang::Id => format!("angka: {figures}\n"),
        Lang::En => format!("figures: {figures}\n"),
    });
    s
}

/// The report in words; whether the receipt was printed is said only of a journal that verifies.
fn text_report(report: &Report, kind: ReportKind, journal_ok: bool, lang: Lang) -> String {
    let mut s = head_lines(report, kind, lang);
    if report.ok {
        s.push_str(match (report.figures_checked, lang) {
            (true, Lang::Id) => {
                "OK: ditandatangani perangkat ini dan cocok dengan jurnal, termasuk angkanya\n"
            }
            (true, Lang::En) => {
                "OK: signed by this device and matches the journal, figures included\n"
            }
            (false, Lang::Id) => {
                "OK: ditandatangani perangkat ini dan cocok dengan jurnal (angka tidak diperiksa: \
                 tidak ada paket pemilu di samping jurnal atau yang diberikan)\n"
            }
            (false, Lang::En) => {
                "OK: signed by this device and matches the journal (figures not checked: no \
                 election package next to the journal or given)\n"
            }
        });
    }
    if let Some(n) = report.superseded_by {
        s.push_str(&match lang {
            Lang::Id => format!(
                "digantikan oleh catatan {n}: angkanya dikoreksi kemudian; struk yang berlaku \
                 dicetak setelah koreksi itu\n"
            ),
            Lang::En => format!(
                "superseded by record {n}: its figures were corrected later; the valid receipt is \
                 the one printed after that correction\n"
            ),
        });
    }
    for problem in &report.problems {
        s.push_str(&format!("{}: {problem}\n", failed(lang)));
    }
    if journal_ok {
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

fn show(figures: &[(String, String)]) -> String {
    figures
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}
