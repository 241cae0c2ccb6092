//! Reading inputs with a size limit and a clear message, and writing outputs that never replace
//! an existing file.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use tps_firmware::identity::file::{OpenError, open_regular, read_regular};
use tps_firmware::identity::keyfile::{self, KeyKind, KeyText};
use tps_firmware::text::Lang;

use crate::error::CliError;

/// A key file comment marking a development authority.
pub use tps_firmware::verification::words::DEVELOPMENT_MARK;

/// The most read of a signed file (package, certificate, request). Generous: the file's own
/// reader names a wrong kind or size precisely; this only keeps a huge file out of memory.
pub const MAX_SIGNED_FILE: u64 = 1 << 20;

fn open_error(path: &Path, what: &str, e: OpenError) -> CliError {
    match e {
        OpenError::Io(e) => CliError::io(path, e),
        OpenError::TooLarge { len, max } => CliError::input(
            path,
            format!("{len} bytes is too large for {what} (at most {max})"),
        ),
        OpenError::NotARegularFile if path.is_dir() => {
            CliError::input(path, format!("is a directory, not {what}"))
        }
        e => CliError::input(
            path,
            format!("{}, so not read as {what}", e.message(Lang::En)),
        ),
    }
}

/// Checks that `path` is a regular file (not a link, FIFO or directory) of at most `max` bytes.
pub fn check_file(path: &Path, what: &str, max: u64) -> Result<(), CliError> {
    open(path, what, max).map(drop)
}

/// A file that should be `what`, opened to be streamed (as [`read`] checks it).
pub fn open(path: &Path, what: &str, max: u64) -> Result<std::fs::File, CliError> {
    open_regular(path, max).map_err(|e| open_error(path, what, e))
}

/// The bytes of a file that should be `what`, at most `max` bytes long. Every file tps-keys
/// reads comes through here: never through a symbolic link, never a FIFO or device.
pub fn read(path: &Path, what: &str, max: u64) -> Result<Vec<u8>, CliError> {
    read_regular(path, max).map_err(|e| open_error(path, what, e))
}

/// The text of a file that should be `what`.
pub fn read_text(path: &Path, what: &str, max: u64) -> Result<String, CliError> {
    String::from_utf8(read(path, what, max)?)
        .map_err(|_| CliError::input(path, format!("is not UTF-8 text, so not {what}")))
}

/// Writes a new file; an existing file is never replaced.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .open(path)
        .map_err(|e| already_exists(path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::io(path, e))
}

fn already_exists(path: &Path, e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        CliError::input(path, "already exists; tps-keys never replaces a file")
    } else {
        CliError::io(path, e)
    }
}

/// Refuses to go on when an output exists already (checked before anything is written).
pub fn must_not_exist(path: &Path) -> Result<(), CliError> {
    if path.symlink_metadata().is_ok() {
        return Err(CliError::input(
            path,
            "already exists; tps-keys never replaces a file",
        ));
    }
    Ok(())
}

/// A secret key file of `kind`, and whether it is marked as a development authority's.
pub fn read_secret(path: &Path, kind: KeyKind) -> Result<(SigningKey, bool), CliError> {
    let text = read_text(path, kind.name(), 4096)?;
    let key = KeyText::parse(&text, kind, path)?;
    Ok((SigningKey::from_bytes(&key.bytes), marked(&key.comments)))
}

/// A public key file of `kind`, and whether it is marked as a development authority's.
pub fn read_public(path: &Path, kind: KeyKind) -> Result<(VerifyingKey, bool), CliError> {
    check_file(path, kind.name(), 4096)?;
    let (key, comments) = keyfile::read_verifying_key(path, kind)?;
    Ok((key, marked(&comments)))
}

/// Whether a key file's comments mark a development authority (ours or the simulator's).
fn marked(comments: &[String]) -> bool {
    comments.iter().any(|c| c.contains("DEVELOPMENT"))
}

/// Writes a key file (secret keys with mode 0600); never replaces one.
pub fn write_key(
    path: &Path,
    kind: KeyKind,
    bytes: [u8; 32],
    comments: Vec<String>,
) -> Result<(), CliError> {
    keyfile::write_key(
        path,
        &KeyText {
            kind,
            bytes,
            comments,
        },
    )?;
    Ok(())
}

/// A fresh key from the operating system.
pub fn generate() -> Result<SigningKey, CliError> {
    keyfile::generate_signing_key().map_err(|e| CliError::Random(e.to_string()))
}

/// `path` shown relative to `base` when it lies under it.
pub fn relative(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
