//! What a verification is given and found, and the zone it reports in: apart from `mod.rs` so
//! the report (`report`), which `mod.rs` makes, names them without importing it back.

use std::path::PathBuf;

use tps_base::time::TimeZone;
use tps_journal::SignedRecord;
use tps_journal::verify::{VerifyError, VerifyReport};

/// The package to check a journal against: the one given, or `package.tpsp` beside the journal.
#[derive(Debug, Clone)]
pub struct PackageFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Found next to the journal rather than given.
    pub found: bool,
}

/// A journal's records and what verifying them found.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The records read from the file.
    pub records: Vec<SignedRecord>,
    /// What verifying them found.
    pub result: Result<VerifyReport, VerifyError>,
}

/// The name of a zone, UTC when none is known.
pub fn zone_name(zone: Option<TimeZone>) -> String {
    zone.map_or("UTC".to_string(), |z| z.abbreviation().to_string())
}
