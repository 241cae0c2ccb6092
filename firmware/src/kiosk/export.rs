//! "Ekspor untuk PPS": the day's files written to a USB stick, in a folder named by the TPS and
//! the date, synced, read back and compared before the stick is said to be safe to remove.
//!
//! The stick is outside input and may be hostile: its directory is opened without following a
//! symbolic link, every file is created new (`O_CREAT|O_EXCL|O_NOFOLLOW`) inside a folder the
//! export made itself, and nothing on the stick is ever overwritten. The files go to a working
//! folder `.NAME.partial-N` first and get their name (NAME, or NAME-2, NAME-3... when NAME is
//! taken) only once read back whole and checked. The kiosk's own files are only read, so a stick
//! that is pulled or full leaves the device as it was, and the export can simply be tried again.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::{Advice, AtFlags, Mode, OFlags, RenameFlags};
use rustix::io::Errno;

use tps_base::text::Bilingual;

/// One file of an export: its name in the folder (plain, no `/`) and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The file's name.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Why the stick cannot take more, as the simulator's hostile sticks say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StickFault {
    /// No room left.
    Full,
    /// Pulled out of the slot.
    Pulled,
}

/// Asked before each piece is written to the stick: the simulator's stick that fills up or is
/// pulled mid-write.
pub trait StickGate {
    /// Whether `bytes` more may be written now.
    fn before_write(&mut self, bytes: usize) -> Result<(), StickFault>;
}

/// A real stick: the system's errors say when it is full or pulled.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealStick;

impl StickGate for RealStick {
    fn before_write(&mut self, _bytes: usize) -> Result<(), StickFault> {
        Ok(())
    }
}

/// Pieces are written (and the gate asked) this many bytes at a time.
const CHUNK: usize = 64 * 1024;
/// How many working folders or numbered names are tried before giving up: the kiosk's own bound.
const MAX_TRIES: u32 = 99;

/// Why the export did not finish. In every case nothing on the device changed.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message().en)]
#[non_exhaustive]
pub enum ExportError {
    /// No stick in the slot (its directory is not there).
    NoStick,
    /// Where the stick should be is a symbolic link or not a directory.
    NotADirectory,
    /// The stick has no room left.
    Full,
    /// The stick was pulled out before the export finished.
    Pulled,
    /// A file read back from the stick is not what was written.
    ReadBackDiffers {
        /// The file.
        file: String,
    },
    /// The copy read back does not verify.
    CopyInvalid {
        /// Why it does not verify.
        detail: String,
    },
    /// Every name tried for the folder is taken.
    NoFreeName {
        /// The folder name first tried.
        name: String,
    },
    /// The system refused something else.
    Io {
        /// The file.
        file: String,
        /// What the file system said.
        source: std::io::Error,
    },
}

impl ExportError {
    /// What went wrong and what to do, in both languages.
    pub fn message(&self) -> Bilingual {
        let unchanged = (
            "Data di perangkat tidak berubah; coba lagi.",
            "Nothing on the device changed; try again.",
        );
        let (id, en) = match self {
            ExportError::NoStick => (
                "Flashdisk tidak terpasang: pasang flashdisk lalu coba lagi.".to_string(),
                "No USB stick in the slot: plug one in and try again.".to_string(),
            ),
            ExportError::NotADirectory => (
                "Flashdisk ini tidak dapat dipakai (tautan simbolik atau bukan folder): pakai \
                 flashdisk lain."
                    .to_string(),
                "This USB stick cannot be used (a symbolic link or not a folder): use another \
                 stick."
                    .to_string(),
            ),
            ExportError::Full => (
                format!("Flashdisk penuh: pakai flashdisk lain. {}", unchanged.0),
                format!("The USB stick is full: use another stick. {}", unchanged.1),
            ),
            ExportError::Pulled => (
                format!(
                    "Flashdisk dicabut sebelum ekspor selesai: pasang lagi. {}",
                    unchanged.0
                ),
                format!(
                    "The USB stick was pulled out before the export finished: plug it back \
                     in. {}",
                    unchanged.1
                ),
            ),
            ExportError::ReadBackDiffers { file } => (
                format!(
                    "Salinan {file} di flashdisk tidak sama dengan aslinya: pakai flashdisk \
                     lain. {}",
                    unchanged.0
                ),
                format!(
                    "The copy of {file} on the stick differs from the original: use another \
                     stick. {}",
                    unchanged.1
                ),
            ),
            ExportError::CopyInvalid { detail } => (
                format!(
                    "Salinan jurnal di flashdisk tidak lolos verifikasi ({detail}): pakai \
                     flashdisk lain. {}",
                    unchanged.0
                ),
                format!(
                    "The journal copied to the stick does not verify ({detail}): use another \
                     stick. {}",
                    unchanged.1
                ),
            ),
            ExportError::NoFreeName { name } => (
                format!(
                    "Sudah ada terlalu banyak folder {name} di flashdisk: pakai flashdisk lain."
                ),
                format!("The stick already holds too many {name} folders: use another stick."),
            ),
            ExportError::Io { file, source } => (
                format!(
                    "Gagal menulis {file} ke flashdisk ({source}). {}",
                    unchanged.0
                ),
                format!(
                    "Could not write {file} to the stick ({source}). {}",
                    unchanged.1
                ),
            ),
        };
        Bilingual::new(id, en)
    }
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The folder's name on the stick.
    pub folder: String,
    /// How many files were written.
    pub files: usize,
    /// How many bytes they hold.
    pub bytes: u64,
}

/// The folder name for TPS `tps` on `date` (`YYYY-MM-DD`): `TPS-<code>_<date>`, with anything
/// but letters, digits, `.` and `-` replaced by `-` (the name is the kiosk's own choice).
pub fn folder_name(tps: &str, date: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    format!("TPS-{}_{}", clean(tps), clean(date))
}

/// Writes `files` to a new folder named `name` (or `name-2`, ...) on the stick at `stick`,
/// syncs, reads every file back, hands the copies to `check`, and only then names the folder.
/// On failure the working folder is removed as far as the stick still allows.
pub fn export(
    stick: &Path,
    name: &str,
    files: &[ExportFile],
    gate: &mut dyn StickGate,
    check: impl FnOnce(&[ExportFile]) -> Result<(), String>,
) -> Result<Exported, ExportError> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let root = rustix::fs::open(stick, flags, Mode::empty()).map_err(|e| match e {
        Errno::NOENT => ExportError::NoStick,
        Errno::LOOP | Errno::NOTDIR => ExportError::NotADirectory,
        e => fault(".", e),
    })?;
    let work = make_working_folder(&root, name)?;
    let result = write_and_check(&root, &work, files, gate, check)
        .and_then(|()| name_folder(&root, &work, name));
    match result {
        Ok(folder) => Ok(Exported {
            folder,
            files: files.len(),
            bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
        }),
        Err(e) => {
            remove_working_folder(&root, &work, files);
            Err(e)
        }
    }
}

/// The system's error on `file`, as the user hears it: a full stick, a pulled one, or other.
fn fault(file: &str, e: Errno) -> ExportError {
    match e {
        Errno::NOSPC | Errno::DQUOT | Errno::FBIG => ExportError::Full,
        Errno::IO | Errno::NODEV | Errno::NXIO | Errno::NOENT | Errno::STALE => ExportError::Pulled,
        e => ExportError::Io {
            file: file.to_string(),
            source: e.into(),
        },
    }
}

fn io_fault(file: &str, e: &std::io::Error) -> ExportError {
    match e.raw_os_error() {
        Some(code) => fault(file, Errno::from_raw_os_error(code)),
        None => ExportError::Io {
            file: file.to_string(),
            source: std::io::Error::new(e.kind(), e.to_string()),
        },
    }
}

fn gate_fault(f: StickFault) -> ExportError {
    match f {
        StickFault::Full => ExportError::Full,
        StickFault::Pulled => ExportError::Pulled,
    }
}

/// A new, empty working folder `.NAME.partial-N` (a leftover of an earlier try is left alone).
fn make_working_folder(root: &OwnedFd, name: &str) -> Result<String, ExportError> {
    for n in 1..=MAX_TRIES {
        let work = format!(".{name}.partial-{n}");
        match rustix::fs::mkdirat(root, work.as_str(), Mode::from_raw_mode(0o700)) {
            Ok(()) => return Ok(work),
            Err(Errno::EXIST) => continue,
            Err(e) => return Err(fault(&work, e)),
        }
    }
    Err(ExportError::NoFreeName {
        name: name.to_string(),
    })
}

fn open_dir(root: &OwnedFd, dir: &str) -> Result<OwnedFd, ExportError> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::openat(root, dir, flags, Mode::empty()).map_err(|e| fault(dir, e))
}

fn write_and_check(
    root: &OwnedFd,
    work: &str,
    files: &[ExportFile],
    gate: &mut dyn StickGate,
    check: impl FnOnce(&[ExportFile]) -> Result<(), String>,
) -> Result<(), ExportError> {
    let dir = open_dir(root, work)?;
    for f in files {
        write_file(&dir, f, gate)?;
    }
    rustix::fs::fsync(&dir).map_err(|e| fault(work, e))?;
    let copies = files
        .iter()
        .map(|f| read_back(&dir, f))
        .collect::<Result<Vec<_>, _>>()?;
    check(&copies).map_err(|detail| ExportError::CopyInvalid { detail })
}

/// Creates `f` new in `dir` (never through a link, never over a file) and syncs it.
fn write_file(dir: &OwnedFd, f: &ExportFile, gate: &mut dyn StickGate) -> Result<(), ExportError> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(dir, f.name.as_str(), flags, Mode::from_raw_mode(0o600))
        .map_err(|e| fault(&f.name, e))?;
    let mut file = File::from(fd);
    for chunk in f.bytes.chunks(CHUNK) {
        gate.before_write(chunk.len()).map_err(gate_fault)?;
        file.write_all(chunk).map_err(|e| io_fault(&f.name, &e))?;
    }
    file.sync_all().map_err(|e| io_fault(&f.name, &e))
}

/// `f` as the stick holds it, read past the page cache where the system allows.
fn read_back(dir: &OwnedFd, f: &ExportFile) -> Result<ExportFile, ExportError> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(dir, f.name.as_str(), flags, Mode::empty())
        .map_err(|e| fault(&f.name, e))?;
    // Synced pages are clean: dropping them makes the read below come from the stick. A system
    // that does not drop them reads the cache, which the sync already wrote out.
    let _ = rustix::fs::fadvise(&fd, 0, None, Advice::DontNeed);
    let mut bytes = Vec::with_capacity(f.bytes.len());
    File::from(fd)
        .take(f.bytes.len() as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_fault(&f.name, &e))?;
    if bytes != f.bytes {
        return Err(ExportError::ReadBackDiffers {
            file: f.name.clone(),
        });
    }
    Ok(ExportFile {
        name: f.name.clone(),
        bytes,
    })
}

/// Renames the working folder to `name`, or `name-2`, `name-3`... when taken: never over an
/// existing folder. Then syncs the stick's directory.
fn name_folder(root: &OwnedFd, work: &str, name: &str) -> Result<String, ExportError> {
    for n in 1..=MAX_TRIES {
        let target = if n == 1 {
            name.to_string()
        } else {
            format!("{name}-{n}")
        };
        match rustix::fs::renameat_with(root, work, root, target.as_str(), RenameFlags::NOREPLACE) {
            Ok(()) => {
                rustix::fs::fsync(root).map_err(|e| fault(".", e))?;
                return Ok(target);
            }
            Err(Errno::EXIST | Errno::NOTEMPTY) => continue,
            // A file system without RENAME_NOREPLACE: take the name only if nothing has it.
            Err(Errno::INVAL) => {
                match rustix::fs::statat(root, target.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
                    Err(Errno::NOENT) => {
                        rustix::fs::renameat(root, work, root, target.as_str())
                            .map_err(|e| fault(&target, e))?;
                        rustix::fs::fsync(root).map_err(|e| fault(".", e))?;
                        return Ok(target);
                    }
                    Ok(_) => continue,
                    Err(e) => return Err(fault(&target, e)),
                }
            }
            Err(e) => return Err(fault(&target, e)),
        }
    }
    Err(ExportError::NoFreeName {
        name: name.to_string(),
    })
}

/// Removes what this export wrote, as far as the stick still allows (a pulled stick does not).
fn remove_working_folder(root: &OwnedFd, work: &str, files: &[ExportFile]) {
    if let Ok(dir) = open_dir(root, work) {
        for f in files {
            let _ = rustix::fs::unlinkat(&dir, f.name.as_str(), AtFlags::empty());
        }
    }
    let _ = rustix::fs::unlinkat(root, work, AtFlags::REMOVEDIR);
}
