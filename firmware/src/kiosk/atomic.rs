//! Replacing a file in the data directory all at once: the new bytes go to a temporary file
//! beside it (never through a symbolic link), are synced, renamed over the old one, and the
//! directory is synced, so a power cut leaves either the old file or the new one.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The temporary name `path`'s new bytes are written under.
pub(crate) fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".new");
    path.with_file_name(name)
}

/// Writes `bytes` to a temporary file beside `path` with permissions `mode`, synced. Whatever
/// stood at the temporary name before (a leftover, a link) is removed first.
pub(crate) fn stage(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<PathBuf> {
    let tmp = temporary(path);
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(tmp)
}

/// Syncs the directory holding `path`, so a rename in it is durable: the journal's own.
pub(crate) use tps_journal::store::sync_dir;

/// Replaces `path` by `bytes` (mode `mode`) atomically and durably.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let tmp = stage(path, bytes, mode)?;
    std::fs::rename(&tmp, path)?;
    sync_dir(path)
}
