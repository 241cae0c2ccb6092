//! The trust chain: authority and device keys, device certificates, the election package, and
//! the one signed-file envelope they all use.

pub mod cert;
pub mod file;
pub mod keyfile;
pub mod package;
pub mod signed;

use std::io;
use std::path::Path;

/// The bytes of the file at `path`, refusing one of more than `max` bytes (with
/// [`io::ErrorKind::FileTooLarge`]) before reading it, so a wrong file cannot fill memory, and
/// refusing a symbolic link or anything but a regular file ([`file::open_regular`]).
pub fn read_at_most(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    file::read_regular(path, max).map_err(|e| match e {
        file::OpenError::Io(e) => e,
        e @ file::OpenError::TooLarge { .. } => io::Error::new(
            io::ErrorKind::FileTooLarge,
            e.message(tps_base::text::Lang::En),
        ),
        e => io::Error::new(
            io::ErrorKind::InvalidInput,
            e.message(tps_base::text::Lang::En),
        ),
    })
}
