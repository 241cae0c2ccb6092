//! `audit`: every journal under a directory, verified in parallel on all cores.

use std::path::{Path, PathBuf};
use std::time::Instant;

use ed25519_dalek::VerifyingKey;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::journal::verify::{Signatures, verify_parsed};
use tps_firmware::text::Lang;

use crate::error::CliError;
use crate::files;
use crate::journal::{package_for, read_records};
use crate::outcome::Outcome;
use crate::words::{development_mark, development_refused, device, failed, records};
use tps_firmware::verification::day::progress;
use tps_firmware::verification::procedure_of;

/// Journal files end in this.
const JOURNAL_EXTENSION: &str = "tpsj";

/// Every `*.tpsj` file under `root`, sorted. Symbolic links are not followed.
fn find_journals(root: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| CliError::io(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| CliError::io(&dir, e))?;
            let kind = entry
                .file_type()
                .map_err(|e| CliError::io(&entry.path(), e))?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == JOURNAL_EXTENSION) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// One journal's result.
#[derive(Debug, Serialize)]
struct FileResult {
    path: String,
    ok: bool,
    /// Why it failed, in the report's language (a file that cannot be read says so in English).
    error: Option<String>,
    tps: Option<String>,
    device_id: Option<String>,
    development: bool,
    records: u64,
    head_hash: Option<String>,
    /// Close-out done and the closing report recorded (a journal that verifies).
    complete: Option<bool>,
    /// `complete` or `incomplete: last step ...`, in the report's language.
    day: Option<String>,
    /// Why it failed, in English, for stderr.
    #[serde(skip)]
    error_en: Option<String>,
}

/// What `audit` is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct AuditArgs<'a> {
    pub root: &'a Path,
    pub authority: &'a Path,
    pub json: bool,
    pub lang: Lang,
    /// Check every signature rather than the head's (FORMAT.md, "What a verification proves").
    pub every_signature: bool,
    /// An incomplete day fails.
    pub require_complete: bool,
    /// A development certificate does not fail.
    pub allow_development: bool,
}

fn audit_one(path: &Path, a: &AuditArgs<'_>, key: &VerifyingKey) -> FileResult {
    let (root, lang) = (a.root, a.lang);
    let shown = files::relative(path, root).display().to_string();
    let failed = |error: String, error_en: String| FileResult {
        path: shown.clone(),
        ok: false,
        error: Some(error),
        tps: None,
        device_id: None,
        development: false,
        records: 0,
        head_hash: None,
        complete: None,
        day: None,
        error_en: Some(error_en),
    };
    let unreadable = |e: CliError| failed(e.to_string(), e.to_string());
    let (records, damage) = match read_records(path) {
        Ok(r) => r,
        Err(e) => return unreadable(e),
    };
    let package = match package_for(path, None) {
        Ok(p) => p,
        Err(e) => return unreadable(e),
    };
    let pkg = package.as_ref().map(|p| p.bytes.as_slice());
    let which = if a.every_signature {
        Signatures::Every
    } else {
        Signatures::Head
    };
    let r = match verify_parsed(&records, damage, key, pkg, which) {
        Ok(r) => r,
        Err(e) => return failed(e.message(lang), e.message(Lang::En)),
    };
    let day = progress(&records, procedure_of(pkg).as_deref());
    let zone = r.zone;
    let mut result = FileResult {
        path: shown.clone(),
        ok: true,
        error: None,
        tps: Some(r.tps),
        device_id: Some(r.device_id),
        development: r.development,
        records: r.records,
        head_hash: Some(hex::encode(r.head_hash)),
        complete: Some(day.complete),
        day: Some(day.text(zone, lang)),
        error_en: None,
    };
    let refusal = |lang| {
        if r.development && !a.allow_development {
            Some(development_refused(lang).to_string())
        } else if a.require_complete && !day.complete {
            Some(format!("{} (--require-complete)", day.text(zone, lang)))
        } else {
            None
        }
    };
    if let (Some(shown), Some(en)) = (refusal(lang), refusal(Lang::En)) {
        result.ok = false;
        result.error = Some(shown);
        result.error_en = Some(en);
    }
    result
}

#[derive(Serialize)]
struct AuditJson<'a> {
    directory: String,
    lang: &'static str,
    journals: &'a [FileResult],
    ok: usize,
    failed: usize,
    /// Journals that verify, by how far their day got.
    complete: usize,
    incomplete: usize,
    /// `head` (the default) or `every`.
    signatures: &'static str,
    records: u64,
    seconds: f64,
    records_per_second: f64,
    threads: usize,
}

impl AuditJson<'_> {
    /// What the audit came to, over every journal.
    fn totals_text(&self, lang: Lang) -> String {
        let (journals, ok, failed, records) =
            (self.journals.len(), self.ok, self.failed, self.records);
        let (complete, incomplete) = (self.complete, self.incomplete);
        let (seconds, per_second, threads) = (self.seconds, self.records_per_second, self.threads);
        match lang {
            // Indonesian writes a decimal comma.
            Lang::Id => format!(
                "{journals} jurnal: {ok} OK, {failed} gagal; {complete} lengkap, {incomplete} \
                 belum lengkap; {records} catatan dalam {} detik ({per_second:.0} catatan/detik \
                 dengan {threads} thread)\n",
                format!("{seconds:.3}").replace('.', ",")
            ),
            Lang::En => format!(
                "{journals} journals: {ok} ok, {failed} failed; {complete} complete, {incomplete} \
                 incomplete; {records} records in {seconds:.3} s ({per_second:.0} records/s on \
                 {threads} threads)\n"
            ),
        }
    }
}

/// `audit`.
pub fn audit(a: &AuditArgs<'_>) -> Result<Outcome, CliError> {
    let (root, authority, json, lang) = (a.root, a.authority, a.json, a.lang);
    let meta = std::fs::metadata(root).map_err(|e| CliError::io(root, e))?;
    if !meta.is_dir() {
        return Err(CliError::input(root, "is not a directory"));
    }
    let (key, key_marked) = files::read_public(authority, KeyKind::AuthorityPublic)?;
    let journals = find_journals(root)?;
    if journals.is_empty() {
        return Err(CliError::input(
            root,
            format!("no *.{JOURNAL_EXTENSION} journal files found"),
        ));
    }
    let bar = ProgressBar::new(journals.len() as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} journals ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let start = Instant::now();
    let results: Vec<FileResult> = journals
        .par_iter()
        .map(|path| {
            let r = audit_one(path, a, &key);
            bar.inc(1);
            r
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let ok = results.iter().filter(|r| r.ok).count();
    let failed = results.len() - ok;
    let complete = results.iter().filter(|r| r.complete == Some(true)).count();
    let incomplete = results.iter().filter(|r| r.complete == Some(false)).count();
    let records: u64 = results.iter().map(|r| r.records).sum();
    let per_second = if seconds > 0.0 {
        records as f64 / seconds
    } else {
        0.0
    };
    let threads = rayon::current_num_threads();
    let failures: Vec<CliError> = results
        .iter()
        .filter_map(|r| {
            r.error_en
                .as_ref()
                .map(|e| CliError::verification(&root.join(&r.path), e))
        })
        .collect();
    let summary = AuditJson {
        directory: root.display().to_string(),
        lang: lang.code(),
        journals: &results,
        ok,
        failed,
        complete,
        incomplete,
        signatures: if a.every_signature { "every" } else { "head" },
        records,
        seconds,
        records_per_second: per_second,
        threads,
    };
    let stdout = if json {
        crate::outcome::json(&summary)?
    } else {
        let mut t = String::new();
        if key_marked {
            t.push_str(&format!("!!! {} !!!\n", development_mark(lang)));
        }
        for r in &results {
            t.push_str(&file_line(r, lang));
        }
        t.push_str(&summary.totals_text(lang));
        t
    };
    Ok(Outcome { stdout, failures })
}

/// One journal's line: `OK      path  TPS ...` or `FAILED  path  record 4: ...`.
fn file_line(r: &FileResult, lang: Lang) -> String {
    let status = match &r.error {
        None => "OK",
        Some(_) => failed(lang),
    };
    let detail = match &r.error {
        Some(e) => e.clone(),
        None => {
            let head = r
                .head_hash
                .as_deref()
                .map_or("?", |h| &h[..16.min(h.len())]);
            let head = match lang {
                Lang::Id => format!("hash terakhir {head}"),
                Lang::En => format!("head {head}"),
            };
            let mark = if r.development {
                format!("  {}", development_mark(lang))
            } else {
                String::new()
            };
            format!(
                "TPS {}  {}  {}  {head}  {}{mark}",
                r.tps.as_deref().unwrap_or("?"),
                device(r.device_id.as_deref().unwrap_or("?"), lang),
                records(r.records, lang),
                r.day.as_deref().unwrap_or("?"),
            )
        }
    };
    format!("{status:<8}{}  {detail}\n", r.path)
}
