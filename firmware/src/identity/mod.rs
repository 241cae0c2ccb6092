//! The trust chain: authority and device keys, device certificates, the election package, and
//! the one signed-file envelope they all use.

pub mod cert;
pub mod keyfile;
pub mod package;
pub mod signed;

use std::io;
use std::path::Path;

/// The bytes of the file at `path`, refusing one of more than `max` bytes (with
/// [`io::ErrorKind::FileTooLarge`]) before reading it, so a wrong file cannot fill memory.
pub(crate) fn read_at_most(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let len = std::fs::metadata(path)?.len();
    if len > max {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("{len} bytes is too large (at most {max})"),
        ));
    }
    std::fs::read(path)
}
