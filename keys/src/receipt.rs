//! `receipt verify`: checks the code printed under a report's QR against the kiosk's journal.
//! The code must be signed by the journal's device, name a record the journal has with that
//! chain hash, and carry the figures the journal gives at that record.

use std::path::Path;

use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use tps_firmware::event::{RecordBody, ReportKind};
use tps_firmware::identity::cert::DeviceCertificate;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::identity::package::ElectionPackage;
use tps_firmware::journal::SignedRecord;
use tps_firmware::procedure::State;
use tps_firmware::report::{self, ReceiptCode};

use crate::Outcome;
use crate::error::CliError;
use crate::files::{self, DEVELOPMENT_MARK};
use crate::journal::{MAX_JOURNAL, check, package_for};

/// What to check.
#[derive(Debug)]
pub struct ReceiptArgs<'a> {
    /// The code as read from the QR (or typed), or a file holding it.
    pub code: Option<&'a str>,
    pub code_file: Option<&'a Path>,
    pub journal: &'a Path,
    pub authority: &'a Path,
    pub package: Option<&'a Path>,
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    kind: &'static str,
    tps: String,
    device_id: String,
    record: u64,
    printed_at_record: Option<u64>,
    figures_checked: bool,
    figures: Vec<(String, String)>,
    development: bool,
    problems: Vec<String>,
}

fn kind_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Opening => "opening",
        ReportKind::Closing => "closing",
    }
}

/// The device key in the journal's genesis certificate.
fn device_key(records: &[SignedRecord]) -> Option<(VerifyingKey, DeviceCertificate)> {
    let RecordBody::Genesis(g) = &records.first()?.record.body else {
        return None;
    };
    let cert = DeviceCertificate::read_unverified(&g.certificate).ok()?;
    Some((cert.device_key().ok()?, cert))
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

pub fn verify(a: &ReceiptArgs<'_>) -> Result<Outcome, CliError> {
    let (text, source) = match (a.code, a.code_file) {
        (Some(c), None) => (c.to_string(), Path::new("<code>")),
        (None, Some(f)) => (files::read_text(f, "a receipt code", 4096)?, f),
        _ => {
            return Err(CliError::Usage(
                "give the receipt's code with --code TEXT or --code-file FILE".into(),
            ));
        }
    };
    let code = ReceiptCode::parse(&text).map_err(|e| CliError::input(source, e))?;
    let (authority, _) = files::read_public(a.authority, KeyKind::AuthorityPublic)?;
    let journal_bytes = files::read(a.journal, "a journal", MAX_JOURNAL)?;
    let package = package_for(a.journal, a.package)?;
    let checked = check(
        &journal_bytes,
        &authority,
        package.as_ref().map(|p| p.bytes.as_slice()),
    );
    let verified = checked.result.map_err(|e| {
        CliError::verification(a.journal, format!("the journal does not verify: {e}"))
    })?;

    let mut problems = Vec::new();
    let (key, cert) = device_key(&checked.records).ok_or_else(|| {
        CliError::verification(a.journal, "the journal has no readable device certificate")
    })?;
    if code.device_id != cert.device_id.as_str() {
        problems.push(format!(
            "the receipt names device {}, the journal is device {}'s",
            code.device_id, cert.device_id
        ));
    }
    if code.tps != verified.tps {
        problems.push(format!(
            "the receipt names TPS {}, the journal is TPS {}'s",
            code.tps, verified.tps
        ));
    }
    match checked.records.get(code.seq as usize) {
        Some(r) if r.hash == code.head => {}
        Some(_) => problems.push(format!(
            "record {} in the journal has another chain hash than the receipt's",
            code.seq
        )),
        None => problems.push(format!(
            "the journal has {} records; the receipt names record {}",
            checked.records.len(),
            code.seq
        )),
    }
    if code.verify(&key).is_err() {
        problems.push("the receipt's signature is not this device's".into());
    }
    let figures_checked = match &package {
        Some(p) => {
            match figures_at(&checked.records, code.seq, &p.bytes, code.kind) {
                Ok(expected) if expected == code.figures => {}
                Ok(expected) => problems.push(format!(
                    "the figures differ from the journal's: receipt {}, journal {}",
                    show(&code.figures),
                    show(&expected)
                )),
                Err(e) => problems.push(format!("the figures cannot be recomputed: {e}")),
            }
            true
        }
        None => false,
    };
    let digest = code.digest();
    let printed_at_record = checked.records.iter().find_map(|r| match &r.record.body {
        RecordBody::ReportPrinted { digest: d, .. } if *d == digest => Some(r.record.seq),
        _ => None,
    });
    let report = Report {
        ok: problems.is_empty(),
        kind: kind_name(code.kind),
        tps: code.tps.clone(),
        device_id: code.device_id.clone(),
        record: code.seq,
        printed_at_record,
        figures_checked,
        figures: code.figures.clone(),
        development: verified.development,
        problems: problems.clone(),
    };
    let stdout = if a.json {
        crate::json(&report)?
    } else {
        let mut s = format!(
            "receipt: {} report, TPS {}, device {}, record {}\n",
            report.kind, report.tps, report.device_id, report.record
        );
        s.push_str(&format!("figures: {}\n", show(&report.figures)));
        if report.ok {
            s.push_str("OK: signed by this device and matches the journal");
            s.push_str(if figures_checked {
                ", figures included\n"
            } else {
                " (figures not checked: no election package next to the journal or given)\n"
            });
        }
        match printed_at_record {
            Some(n) => s.push_str(&format!("recorded as printed at record {n}\n")),
            None => s.push_str("not recorded as printed in this journal\n"),
        }
        if verified.development {
            s.push_str(&format!("{DEVELOPMENT_MARK}\n"));
        }
        s
    };
    Ok(Outcome {
        stdout,
        failures: problems
            .into_iter()
            .map(|p| CliError::verification(source, p))
            .collect(),
    })
}

fn show(figures: &[(String, String)]) -> String {
    figures
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}
