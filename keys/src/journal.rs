//! `journal verify` and `journal show`.

use std::path::Path;

use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use tps_firmware::event::RecordBody;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::journal::SignedRecord;
use tps_firmware::journal::describe::{Describer, Line, format_time};
use tps_firmware::journal::read::read_prefix;
use tps_firmware::journal::scan::scan_stream;
use tps_firmware::journal::verify::{Signatures, VerifyError, verify_parsed};
use tps_firmware::text::Lang;
use tps_firmware::time::ClockStatus;

use tps_firmware::verification::{Checked, Inputs, PackageFile, assess, zone_name};

use crate::error::CliError;
use crate::files;
use crate::outcome::Outcome;
use crate::verify_args::VerifyArgs;

/// The largest journal file read: the most a day can hold (FORMAT.md, "Sizes").
pub const MAX_JOURNAL: u64 = tps_firmware::journal::read::MAX_JOURNAL_FILE;

/// A journal file's records up to the first damage, and the damage, streamed from the file:
/// memory beyond the records is one frame.
pub fn read_records(path: &Path) -> Result<(Vec<SignedRecord>, Option<VerifyError>), CliError> {
    let file = files::open(path, "a journal", MAX_JOURNAL)?;
    read_prefix(file).map_err(|e| CliError::io(path, e))
}

/// The package file a kiosk exports next to its journal.
pub const PACKAGE_NEXT_TO_JOURNAL: &str = "package.tpsp";

pub fn package_for(journal: &Path, given: Option<&Path>) -> Result<Option<PackageFile>, CliError> {
    let (path, found) = match given {
        Some(p) => (p.to_path_buf(), false),
        None => {
            let beside = journal
                .parent()
                .unwrap_or(Path::new(""))
                .join(PACKAGE_NEXT_TO_JOURNAL);
            if !beside.is_file() {
                return Ok(None);
            }
            (beside, true)
        }
    };
    let bytes = files::read(&path, "an election package", files::MAX_SIGNED_FILE)?;
    Ok(Some(PackageFile { path, bytes, found }))
}

/// Verifies the journal at `path`, every signature.
pub fn check(
    path: &Path,
    authority: &VerifyingKey,
    package: Option<&[u8]>,
) -> Result<Checked, CliError> {
    let (records, damage) = read_records(path)?;
    let whole = damage.is_none();
    let result = verify_parsed(&records, damage, authority, package, Signatures::Every);
    // A damaged file's records are not compared with the other copy's.
    let records = if whole { records } else { Vec::new() };
    Ok(Checked { records, result })
}

/// `journal verify`.
pub fn verify(a: &VerifyArgs<'_>) -> Result<Outcome, CliError> {
    let (key, key_marked) = files::read_public(a.authority, KeyKind::AuthorityPublic)?;
    let package = package_for(a.journal, a.package)?;
    let pkg_bytes = package.as_ref().map(|p| p.bytes.as_slice());
    let primary = check(a.journal, &key, pkg_bytes)?;
    let mirror = match a.mirror {
        Some(path) => Some((path.to_path_buf(), check(path, &key, pkg_bytes)?)),
        None => None,
    };
    let (verified, found) = assess(Inputs {
        journal: a.journal,
        primary,
        mirror,
        package,
        key_marked,
        allow_development: a.allow_development,
        lang: a.lang,
    });
    // What stderr says stays English, whatever the report's language.
    let failures = found
        .iter()
        .map(|f| CliError::verification(&f.path, &f.problem))
        .collect();
    let stdout = if a.json {
        verified
            .json()
            .map_err(|e| CliError::Usage(format!("cannot write JSON: {e}")))?
    } else {
        verified.text()
    };
    Ok(Outcome { stdout, failures })
}

#[derive(Serialize)]
struct LineJson<'a> {
    seq: u64,
    time: String,
    wall_ms: i64,
    mono_ms: u64,
    clock: &'static str,
    kind: &'static str,
    text: &'a str,
    by: &'a [String],
}

#[derive(Serialize)]
struct ShowJson<'a> {
    journal: String,
    lang: &'static str,
    zone: String,
    records: Vec<LineJson<'a>>,
    damage: Option<String>,
}

fn clock_name(c: ClockStatus) -> &'static str {
    match c {
        ClockStatus::Trusted => "trusted",
        ClockStatus::OscillatorStopped => "oscillator-stopped",
        ClockStatus::BehindJournal => "behind-journal",
        ClockStatus::Moved => "moved",
    }
}

/// Where a journal file stops being readable, in English (for the error) and in the listing's
/// language.
struct Damaged {
    en: String,
    shown: String,
}

fn torn_tail(bytes: usize, lang: Lang) -> String {
    match lang {
        Lang::Id => format!(
            "{bytes} byte terakhir adalah catatan yang tidak lengkap (penulisan yang terputus)"
        ),
        Lang::En => format!("the last {bytes} bytes are an incomplete record (a cut-off write)"),
    }
}

/// `journal show`: every readable record in plain words, in `lang`. Signatures are not checked
/// here. The file is streamed frame by frame: what is held is the records read (they are all
/// listed), never the file's bytes, so padding or garbage costs one frame.
pub fn show(
    path: &Path,
    package: Option<&Path>,
    json: bool,
    lang: Lang,
) -> Result<Outcome, CliError> {
    let file = files::open(path, "a journal", MAX_JOURNAL)?;
    let mut records = Vec::new();
    let scanned = scan_stream(std::io::BufReader::new(file), |r| records.push(r))
        .map_err(|e| CliError::io(path, e))?;
    // Damage that is not a torn tail: the records before it were read already.
    let damage = match scanned {
        Ok(s) if s.tail_len > 0 => Some(Damaged {
            en: torn_tail(s.tail_len, Lang::En),
            shown: torn_tail(s.tail_len, lang),
        }),
        Ok(_) => None,
        Err(at) => Some(Damaged {
            en: at.message(Lang::En),
            shown: at.message(lang),
        }),
    };
    // Local times and step titles when the package is the journal's own.
    let genesis_hash = records.first().and_then(|r| match &r.record.body {
        RecordBody::Genesis(g) => Some(g.package_hash),
        _ => None,
    });
    let mut note = None;
    let own = package_for(path, package)?.and_then(|p| {
        let parsed = ElectionPackage::read_unverified(&p.bytes).ok();
        match parsed {
            Some(parsed) if Some(ElectionPackage::hash(&p.bytes)) == genesis_hash => Some(parsed),
            _ => {
                let file = p.path.display();
                note = Some(match lang {
                    Lang::Id => {
                        format!("Perhatian: {file} bukan paket pemilu jurnal ini; waktu dalam UTC")
                    }
                    Lang::En => format!(
                        "Note: {file} is not this journal's election package; times are in UTC"
                    ),
                });
                None
            }
        }
    });
    let zone = own.as_ref().map(|p| p.zone);
    let procedure = own.as_ref().and_then(|p| p.procedure().ok());
    let plain: Vec<_> = records.iter().map(|r| &r.record).collect();
    // Saksi named by their participants when the package is the journal's own (issue 8).
    let participants = own.iter().flat_map(|p| {
        p.participants()
            .into_iter()
            .map(|(id, part)| (id, part.title()))
    });
    let mut describer =
        Describer::new(zone, lang, procedure.as_deref()).naming_participants(participants);
    let lines: Vec<Line> = plain.into_iter().map(|r| describer.describe(r)).collect();
    let mut failures = Vec::new();
    if let Some(d) = &damage {
        failures.push(CliError::verification(path, &d.en));
    }
    let stdout = if json {
        crate::outcome::json(&ShowJson {
            journal: path.display().to_string(),
            lang: lang.code(),
            zone: zone_name(zone),
            records: lines
                .iter()
                .map(|l| LineJson {
                    seq: l.seq,
                    time: format_time(l.stamp.wall_ms, zone),
                    wall_ms: l.stamp.wall_ms,
                    mono_ms: l.stamp.mono_ms,
                    clock: clock_name(l.stamp.clock),
                    kind: l.kind,
                    text: &l.text,
                    by: &l.by,
                })
                .collect(),
            damage: damage.map(|d| d.shown),
        })?
    } else {
        let (journal, count, zone_text) = (path.display(), lines.len(), zone_name(zone));
        let mut t = match lang {
            Lang::Id => format!(
                "Jurnal {journal}: {count} catatan, waktu dalam {zone_text} (tanda tangan tidak diperiksa: gunakan `journal verify`)\n"
            ),
            Lang::En => format!(
                "Journal {journal}: {count} records, times in {zone_text} (signatures not checked: use `journal verify`)\n"
            ),
        };
        if let Some(n) = &note {
            t.push_str(n);
            t.push('\n');
        }
        for l in &lines {
            t.push_str(&l.render(zone));
            t.push('\n');
        }
        if let Some(d) = &damage {
            let label = match lang {
                Lang::Id => "RUSAK",
                Lang::En => "DAMAGED",
            };
            t.push_str(&format!("{label}: {}\n", d.shown));
        }
        t
    };
    Ok(Outcome { stdout, failures })
}
