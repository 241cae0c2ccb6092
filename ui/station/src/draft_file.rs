//! The chair's entries for the day's current step, and the new figures of a completed step's
//! correction being drafted, on the primary storage (the `--data` directory) while they are
//! typed, so a hard power cut loses none of them: `DIR/draft.toml`. It is outside the journal
//! (nothing in it counts until it is proposed, and it is not signed), replaced atomically at each
//! change, removed once nothing is being typed (the step recorded, the correction submitted or
//! abandoned), and read back at start. A file that is not a draft of the current step
//! (truncated, too big, garbage, another step's) is ignored with a log line; the journal is never
//! touched. The correction is keyed by the id of the step it corrects, in its own table, so it is
//! never taken for the current step's entries.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::draft::{Draft, max_length};

/// The file's name in the data directory.
pub const FILE_NAME: &str = "draft.toml";
/// The most a draft file may hold. A close-out with 8 ballot types is under 2 KiB (our own
/// bound, with room); a bigger file is not read.
pub const MAX_BYTES: u64 = 16 * 1024;
/// The most fields a draft may hold: a close-out has 4 per ballot type (8 at most) and 8 more,
/// plus what is written about a difference (our own bound, with room).
const MAX_FIELDS: usize = 96;
/// The longest field key a form uses (`dptb:DPRD_KABKOTA` and the like), with room.
const MAX_KEY: usize = 48;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftFile {
    /// The current step's id in the procedure.
    step: String,
    #[serde(default)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    choices: BTreeMap<String, i32>,
    /// A correction being drafted, under `[correction]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    correction: Option<CorrectionFile>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorrectionFile {
    /// The id of the completed step it corrects.
    step: String,
    #[serde(default)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    choices: BTreeMap<String, i32>,
}

/// A completed step's correction being drafted: the new figures and the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correction {
    /// The id in the procedure of the step it corrects.
    pub step: String,
    /// The figures and the reason typed so far.
    pub draft: Draft,
}

/// What the draft file keeps: what is being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// The current step's entries (none typed: empty).
    pub current: Draft,
    /// A correction being drafted.
    pub correction: Option<Correction>,
}

/// Why the draft file could not be written or was not taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DraftFileError {
    /// The file exists but could not be read.
    #[error("cannot read the draft file {path}: {source}")]
    Read {
        /// The draft file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The file could not be written or removed.
    #[error("cannot write the draft file {path}: {source}")]
    Write {
        /// The draft file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The file is larger than a draft can be.
    #[error("the draft file is larger than {MAX_BYTES} bytes")]
    TooLarge,
    /// The file is not TOML of a draft's shape (truncated, garbage, not UTF-8).
    #[error("the draft file is not a draft: {0}")]
    Garbage(String),
    /// The file is a draft of another step than the current one.
    #[error("the draft file is for step '{found}', not the current step '{expected}'")]
    OtherStep {
        /// The step the file is for.
        found: String,
        /// The current step.
        expected: String,
    },
    /// The file holds more fields than a form has.
    #[error("the draft file holds more than {MAX_FIELDS} fields")]
    TooManyFields,
    /// The file names a field no form holds, or a value longer than its field allows.
    #[error("the draft file's field '{0}' is not one a form holds")]
    BadField(String),
    /// The correction's step id is longer than any step's.
    #[error("the draft file's correction is of no step ('{0}')")]
    BadCorrectionStep(String),
}

/// The draft file in the data directory `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Replaces the draft file by what is being typed: `saved`, with `step` the current step's id.
pub fn save(path: &Path, step: &str, saved: &Saved) -> Result<(), DraftFileError> {
    let file = DraftFile {
        step: step.to_string(),
        values: saved.current.values.clone(),
        choices: saved.current.choices.clone(),
        correction: saved.correction.as_ref().map(|c| CorrectionFile {
            step: c.step.clone(),
            values: c.draft.values.clone(),
            choices: c.draft.choices.clone(),
        }),
    };
    let text = toml::to_string(&file).map_err(|e| DraftFileError::Garbage(e.to_string()))?;
    tps_firmware::kiosk::atomic::replace(path, text.as_bytes(), 0o600).map_err(|source| {
        DraftFileError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Removes the draft file (there being none is fine).
pub fn remove(path: &Path) -> Result<(), DraftFileError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(DraftFileError::Write {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// What the draft file keeps, when it was written at step `step` (its id); `Ok(None)` when
/// there is no file. At most [`MAX_BYTES`] are read. Whether the correction's step may still be
/// corrected is the caller's to ask the engine.
pub fn load(path: &Path, step: &str) -> Result<Option<Saved>, DraftFileError> {
    let read = |source| DraftFileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = match std::fs::File::open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        other => other.map_err(read)?,
    };
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(DraftFileError::TooLarge);
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| DraftFileError::Garbage(e.to_string()))?;
    let file: DraftFile =
        toml::from_str(text).map_err(|e| DraftFileError::Garbage(e.message().to_string()))?;
    if file.step != step {
        return Err(DraftFileError::OtherStep {
            found: file.step.chars().take(MAX_KEY).collect(),
            expected: step.to_string(),
        });
    }
    let correction = match file.correction {
        None => None,
        Some(c) if c.step.len() > MAX_KEY || c.step.chars().any(char::is_control) => {
            return Err(DraftFileError::BadCorrectionStep(
                c.step
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_KEY)
                    .collect(),
            ));
        }
        Some(c) => Some(Correction {
            step: c.step,
            draft: checked(c.values, c.choices)?,
        }),
    };
    Ok(Some(Saved {
        current: checked(file.values, file.choices)?,
        correction,
    }))
}

/// The entries, if they are what a form could hold.
fn checked(
    values: BTreeMap<String, String>,
    choices: BTreeMap<String, i32>,
) -> Result<Draft, DraftFileError> {
    if values.len() + choices.len() > MAX_FIELDS {
        return Err(DraftFileError::TooManyFields);
    }
    let bad = |key: &str| DraftFileError::BadField(key.chars().take(MAX_KEY).collect());
    for (key, value) in &values {
        // What the keyboard could have typed: no longer than the field takes, on one line.
        if key.len() > MAX_KEY
            || value.chars().count() > max_length(key)
            || value.chars().any(char::is_control)
        {
            return Err(bad(key));
        }
    }
    for (key, choice) in &choices {
        if key.len() > MAX_KEY || !(0..=2).contains(choice) {
            return Err(bad(key));
        }
    }
    Ok(Draft { values, choices })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn draft() -> Draft {
        Draft {
            values: [("count:DPR".to_string(), "312".to_string())].into(),
            choices: [("dapil:DPR".to_string(), 1)].into(),
        }
    }

    fn saved() -> Saved {
        Saved {
            current: draft(),
            correction: None,
        }
    }

    #[test]
    fn a_draft_comes_back_only_for_its_step_and_only_as_a_form_could_hold_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        assert!(load(&file, "hitung-surat-suara").unwrap().is_none());
        save(&file, "hitung-surat-suara", &saved()).unwrap();
        assert_eq!(load(&file, "hitung-surat-suara").unwrap(), Some(saved()));
        assert!(matches!(
            load(&file, "rekap"),
            Err(DraftFileError::OtherStep { .. })
        ));
        type Expected = fn(&DraftFileError) -> bool;
        let cases: [(&[u8], Expected); 4] = [
            (
                b"step = \"rekap\"\n[values]\n\"used:DPR\" = \"1234567\"\n",
                |e| matches!(e, DraftFileError::BadField(k) if k == "used:DPR"),
            ),
            (b"step = \"rekap\"\n[choices]\n\"dapil:DPR\" = -1\n", |e| {
                matches!(e, DraftFileError::BadField(_))
            }),
            (b"step = \"rekap\"\nvalues = 3\n", |e| {
                matches!(e, DraftFileError::Garbage(_))
            }),
            (&[0xff, 0xfe, 0x00, 0x41], |e| {
                matches!(e, DraftFileError::Garbage(_))
            }),
        ];
        for (bytes, expected) in cases {
            std::fs::write(&file, bytes).unwrap();
            let e = load(&file, "rekap").unwrap_err();
            assert!(expected(&e), "{e}");
        }
        std::fs::File::create(&file)
            .unwrap()
            .set_len(MAX_BYTES + 1)
            .unwrap();
        assert!(matches!(
            load(&file, "rekap"),
            Err(DraftFileError::TooLarge)
        ));
        remove(&file).unwrap();
        remove(&file).unwrap();
        assert!(load(&file, "rekap").unwrap().is_none());
    }

    #[test]
    fn a_correction_comes_back_in_its_own_table_keyed_by_the_step_it_corrects() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        let mut correction = draft();
        correction.values.insert(
            crate::draft::CORRECTION_REASON.into(),
            "Salah hitung".into(),
        );
        let both = Saved {
            current: Draft::default(),
            correction: Some(Correction {
                step: "hitung-surat-suara".into(),
                draft: correction,
            }),
        };
        save(&file, "pemungutan-suara", &both).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("[correction]\nstep = \"hitung-surat-suara\""),
            "{text}"
        );
        assert_eq!(load(&file, "pemungutan-suara").unwrap(), Some(both));
        type Expected = fn(&DraftFileError) -> bool;
        let cases: [(&[u8], Expected); 3] = [
            (
                b"step = \"rekap\"\n[correction]\nstep = \"hitung\"\n[correction.values]\n\"count:DPR\" = \"1234567\"\n",
                |e| matches!(e, DraftFileError::BadField(k) if k == "count:DPR"),
            ),
            (
                b"step = \"rekap\"\n[correction]\nvalues = {}\n",
                |e| matches!(e, DraftFileError::Garbage(_)),
            ),
            (
                b"step = \"rekap\"\n[correction]\nstep = \"hitung\\nrekap\"\n",
                |e| matches!(e, DraftFileError::BadCorrectionStep(s) if s == "hitungrekap"),
            ),
        ];
        for (bytes, expected) in cases {
            std::fs::write(&file, bytes).unwrap();
            let e = load(&file, "rekap").unwrap_err();
            assert!(expected(&e), "{e}");
        }
    }
}
