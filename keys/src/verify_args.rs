//! What `journal verify` is asked and what it found, shared by the command (journal.rs) and
//! its printed report (verify_report.rs), so that neither imports the other.

use std::path::{Path, PathBuf};

use tps_firmware::journal::SignedRecord;
use tps_firmware::journal::verify::{VerifyError, VerifyReport};
use tps_firmware::text::Lang;
use tps_firmware::time::TimeZone;

/// The package to check a journal against: the one given, or `package.tpsp` beside the journal.
#[derive(Debug)]
pub struct PackageFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Found next to the journal rather than given.
    pub found: bool,
}

/// A journal's records and what verifying them found.
#[derive(Debug)]
pub struct Checked {
    pub records: Vec<SignedRecord>,
    pub result: Result<VerifyReport, VerifyError>,
}

/// What `journal verify` is asked to do.
#[derive(Debug)]
pub struct VerifyArgs<'a> {
    pub journal: &'a Path,
    pub authority: &'a Path,
    pub mirror: Option<&'a Path>,
    pub package: Option<&'a Path>,
    pub json: bool,
    pub lang: Lang,
    /// Accept a development certificate or authority (the simulator's): otherwise it fails.
    pub allow_development: bool,
}

/// The name of a zone, UTC when none is known.
pub fn zone_name(zone: Option<TimeZone>) -> String {
    zone.map_or("UTC".to_string(), |z| z.abbreviation().to_string())
}
