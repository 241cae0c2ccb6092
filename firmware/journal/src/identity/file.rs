//! Opening an input file safely: never through a symbolic link, never waiting on a FIFO, only a
//! regular file, and never more than its kind can hold.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use tps_base::text::Lang;

/// Why a file could not be opened for reading.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum OpenError {
    /// The operating system refused (missing file, no permission...).
    Io(#[from] std::io::Error),
    /// The path is a symbolic link, which is never followed.
    Link,
    /// A directory, a FIFO, a device: not a regular file.
    NotARegularFile,
    /// Larger than the most the file can hold.
    TooLarge {
        /// The file's length in bytes.
        len: u64,
        /// The most bytes it may have.
        max: u64,
    },
}

impl OpenError {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (OpenError::Io(e), Lang::Id) => format!("tidak dapat dibuka: {e}"),
            (OpenError::Io(e), Lang::En) => format!("cannot be opened: {e}"),
            (OpenError::Link, Lang::Id) => {
                "tautan simbolik (symlink): tidak diikuti, berikan berkas aslinya".into()
            }
            (OpenError::Link, Lang::En) => {
                "is a symbolic link, which is not followed: give the file itself".into()
            }
            (OpenError::NotARegularFile, Lang::Id) => {
                "bukan berkas biasa (direktori, FIFO atau perangkat)".into()
            }
            (OpenError::NotARegularFile, Lang::En) => {
                "is not a regular file (a directory, FIFO or device)".into()
            }
            (OpenError::TooLarge { len, max }, Lang::Id) => {
                format!("{len} byte, melebihi ukuran terbesar yang mungkin ({max} byte)")
            }
            (OpenError::TooLarge { len, max }, Lang::En) => {
                format!("{len} bytes is larger than the most it can hold ({max} bytes)")
            }
        }
    }
}

/// Opens `path` for reading: a symbolic link is refused (`O_NOFOLLOW`), the open never waits
/// (`O_NONBLOCK`, so a FIFO cannot hang it), and the file must be a regular file of at most `max`
/// bytes.
pub fn open_regular(path: &Path, max: u64) -> Result<File, OpenError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => OpenError::Link,
            _ => OpenError::Io(e),
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(OpenError::NotARegularFile);
    }
    if meta.len() > max {
        return Err(OpenError::TooLarge {
            len: meta.len(),
            max,
        });
    }
    Ok(file)
}

/// Reads a whole file of at most `max` bytes, opened as [`open_regular`] does. Reads no more
/// than `max` bytes even if the file grows meanwhile.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, OpenError> {
    let file = open_regular(path, max)?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(OpenError::TooLarge {
            len: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}
