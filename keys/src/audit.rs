//! `audit`: every journal under a directory, verified in parallel on all cores.

use std::path::{Path, PathBuf};
use std::time::Instant;

use ed25519_dalek::VerifyingKey;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::journal::verify::verify;

use crate::Outcome;
use crate::error::CliError;
use crate::files::{self, DEVELOPMENT_MARK};
use crate::journal::{MAX_JOURNAL, package_for};

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
    error: Option<String>,
    tps: Option<String>,
    device_id: Option<String>,
    development: bool,
    records: u64,
    head_hash: Option<String>,
}

fn audit_one(path: &Path, root: &Path, key: &VerifyingKey) -> FileResult {
    let shown = files::relative(path, root).display().to_string();
    let failed = |error: String| FileResult {
        path: shown.clone(),
        ok: false,
        error: Some(error),
        tps: None,
        device_id: None,
        development: false,
        records: 0,
        head_hash: None,
    };
    let bytes = match files::read(path, "a journal", MAX_JOURNAL) {
        Ok(b) => b,
        Err(e) => return failed(e.to_string()),
    };
    let package = match package_for(path, None) {
        Ok(p) => p,
        Err(e) => return failed(e.to_string()),
    };
    match verify(&bytes, key, package.as_ref().map(|p| p.bytes.as_slice())) {
        Ok(r) => FileResult {
            path: shown.clone(),
            ok: true,
            error: None,
            tps: Some(r.tps),
            device_id: Some(r.device_id),
            development: r.development,
            records: r.records,
            head_hash: Some(hex::encode(r.head_hash)),
        },
        Err(e) => failed(e.to_string()),
    }
}

#[derive(Serialize)]
struct AuditJson<'a> {
    directory: String,
    journals: &'a [FileResult],
    ok: usize,
    failed: usize,
    records: u64,
    seconds: f64,
    records_per_second: f64,
    threads: usize,
}

/// `audit`.
pub fn audit(root: &Path, authority: &Path, json: bool) -> Result<Outcome, CliError> {
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
            let r = audit_one(path, root, &key);
            bar.inc(1);
            r
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let ok = results.iter().filter(|r| r.ok).count();
    let failed = results.len() - ok;
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
            r.error
                .as_ref()
                .map(|e| CliError::verification(&root.join(&r.path), e))
        })
        .collect();
    let stdout = if json {
        crate::json(&AuditJson {
            directory: root.display().to_string(),
            journals: &results,
            ok,
            failed,
            records,
            seconds,
            records_per_second: per_second,
            threads,
        })?
    } else {
        let mut t = String::new();
        let development_note = format!("  {DEVELOPMENT_MARK}");
        if key_marked {
            t.push_str(&format!("!!! {DEVELOPMENT_MARK} !!!\n"));
        }
        for r in &results {
            match &r.error {
                None => t.push_str(&format!(
                    "OK      {}  TPS {}  device {}  {} records  head {}{}\n",
                    r.path,
                    r.tps.as_deref().unwrap_or("?"),
                    r.device_id.as_deref().unwrap_or("?"),
                    r.records,
                    r.head_hash
                        .as_deref()
                        .map_or("?", |h| &h[..16.min(h.len())]),
                    if r.development {
                        development_note.as_str()
                    } else {
                        ""
                    }
                )),
                Some(e) => t.push_str(&format!("FAILED  {}  {e}\n", r.path)),
            }
        }
        t.push_str(&format!(
            "{} journals: {ok} ok, {failed} failed; {records} records in {seconds:.3} s \
             ({per_second:.0} records/s on {threads} threads)\n",
            results.len()
        ));
        t
    };
    Ok(Outcome { stdout, failures })
}
