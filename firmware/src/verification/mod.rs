//! What verifying a journal found, as `tps-keys journal verify` prints it and as the kiosk writes
//! it beside an export for PPS: one report, in words or JSON, made by this code for both.
//!
//! A layer above the journal and the engine (it reads both), below the kiosk and the tools.

mod checked;
pub mod day;
pub mod report;
pub mod words;

use std::path::{Path, PathBuf};

use tps_base::text::Lang;
use tps_domain::spec::Procedure;
use tps_journal::identity::package::{ElectionPackage, SignedPackage};

pub use checked::{Checked, PackageFile, zone_name};
pub use report::{Relation, Verified, relation};

/// The procedure of a package file, for the day's progress.
pub fn procedure_of(package: Option<&[u8]>) -> Option<std::sync::Arc<Procedure>> {
    package
        .and_then(|b| ElectionPackage::read_unverified(b).ok())
        .and_then(|p| p.procedure().ok())
}

/// What is checked and how the report is written.
#[derive(Debug)]
pub struct Inputs<'a> {
    /// The journal, as the report names it.
    pub journal: &'a Path,
    /// The primary journal, checked.
    pub primary: Checked,
    /// A mirror to compare with the primary, as the report names it.
    pub mirror: Option<(PathBuf, Checked)>,
    /// The package to check against, if there is one.
    pub package: Option<PackageFile>,
    /// The authority key given is marked as a development one.
    pub key_marked: bool,
    /// Accept a development certificate or authority (the simulator's): otherwise it fails.
    pub allow_development: bool,
    /// The report's language.
    pub lang: Lang,
}

/// Something that failed verification: the file and why, in English (for stderr and logs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file.
    pub path: PathBuf,
    /// Why it failed.
    pub problem: String,
}

/// The report on `inputs`, and every failure in it (none when the report says OK).
pub fn assess(inputs: Inputs<'_>) -> (Verified, Vec<Failure>) {
    let Inputs {
        journal,
        primary,
        mirror,
        package,
        key_marked,
        allow_development,
        lang,
    } = inputs;
    let fail = |path: &Path, problem: String| Failure {
        path: path.to_path_buf(),
        problem,
    };
    let mut failures = Vec::new();
    if let Err(e) = &primary.result {
        failures.push(fail(journal, e.to_string()));
    }
    let mut relation_found = None;
    if let Some((path, m)) = &mirror {
        if let Err(e) = &m.result {
            failures.push(fail(path, e.to_string()));
        }
        if primary.result.is_ok() && m.result.is_ok() {
            let r = relation(&primary.records, &m.records);
            if let Relation::Diverged(seq) = r {
                failures.push(fail(
                    path,
                    format!(
                        "record {seq}: the mirror differs from the primary {} from this record on",
                        journal.display()
                    ),
                ));
            }
            relation_found = Some(r);
        }
    }
    let development = primary.result.as_ref().is_ok_and(|r| r.development) || key_marked;
    if development && !allow_development {
        failures.push(fail(journal, words::development_refused(Lang::En).into()));
    }
    let procedure = procedure_of(package.as_ref().map(|p| p.bytes.as_slice()));
    let progress = primary
        .result
        .is_ok()
        .then(|| day::progress(&primary.records, procedure.as_deref()));
    let clock = day::clock_changes(&primary.records);
    let verified = Verified {
        journal: journal.to_path_buf(),
        lang,
        primary,
        mirror,
        relation: relation_found,
        package,
        development,
        progress,
        clock,
        ok: failures.is_empty(),
    };
    (verified, failures)
}
