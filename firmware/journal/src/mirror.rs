//! Opening the mirror on the USB stick, which is hostile until shown otherwise: the directory
//! and the file are opened without following symbolic links, the file must be a regular file
//! (opened non-blocking, so a FIFO cannot hang the boot), must not be the primary journal
//! (device and inode compared), and, where the paths say so (the Pi), must be on another device
//! than the primary, and must be no larger than a journal can be. A refused mirror is never read
//! from or written to.

use std::fs::File;
use std::path::{Path, PathBuf};

use rustix::fs::{FileType, Mode, OFlags};
use rustix::io::Errno;

pub use super::error::MirrorProblem;
use super::error::{JournalError, JournalPaths, Medium};
use super::read::MAX_JOURNAL_FILE;

/// The mirror as found.
#[derive(Debug)]
pub(crate) enum Found {
    /// No stick: the mirror's directory is not there.
    NoStick,
    /// The stick is there; its journal file, if it has one yet.
    Stick(Option<File>),
}

fn refused(paths: &JournalPaths, problem: MirrorProblem) -> JournalError {
    JournalError::MirrorRefused {
        path: paths.mirror.clone(),
        problem,
    }
}

fn io(path: &Path) -> impl FnOnce(Errno) -> JournalError + '_ {
    move |e| JournalError::Io {
        medium: Medium::Mirror,
        path: path.to_path_buf(),
        source: e.into(),
    }
}

/// Opens the mirror file for reading and appending, creating it when `create`, after every
/// check above; nothing is created or written when a check fails.
pub(crate) fn open(paths: &JournalPaths, create: bool) -> Result<Found, JournalError> {
    let dir: PathBuf = match paths.mirror.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = paths.mirror.file_name() else {
        return Err(refused(paths, MirrorProblem::NotAFile));
    };
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let dir_fd = match rustix::fs::open(&dir, dir_flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return Ok(Found::NoStick),
        // O_NOFOLLOW on a link gives ELOOP; O_DIRECTORY on a link to a file, ENOTDIR.
        Err(Errno::LOOP | Errno::NOTDIR) => return Err(refused(paths, MirrorProblem::Link)),
        Err(e) => return Err(io(&dir)(e)),
    };
    if paths.mirror_on_own_device {
        let primary_dir = match paths.primary.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let p = rustix::fs::stat(primary_dir).map_err(io(primary_dir))?;
        let d = rustix::fs::fstat(&dir_fd).map_err(io(&dir))?;
        if p.st_dev == d.st_dev {
            return Err(refused(paths, MirrorProblem::SameDevice));
        }
    }
    let mut flags =
        OFlags::RDWR | OFlags::APPEND | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    if create {
        flags |= OFlags::CREATE;
    }
    let fd = match rustix::fs::openat(&dir_fd, name, flags, Mode::from_raw_mode(0o644)) {
        Ok(fd) => fd,
        Err(Errno::NOENT) if !create => return Ok(Found::Stick(None)),
        Err(Errno::LOOP) => return Err(refused(paths, MirrorProblem::Link)),
        Err(Errno::NXIO | Errno::ISDIR) => return Err(refused(paths, MirrorProblem::NotAFile)),
        Err(e) => return Err(io(&paths.mirror)(e)),
    };
    let st = rustix::fs::fstat(&fd).map_err(io(&paths.mirror))?;
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return Err(refused(paths, MirrorProblem::NotAFile));
    }
    let size = u64::try_from(st.st_size).unwrap_or(u64::MAX);
    if size > MAX_JOURNAL_FILE {
        return Err(refused(paths, MirrorProblem::TooLarge { size }));
    }
    match rustix::fs::stat(&paths.primary) {
        Ok(p) if (p.st_dev, p.st_ino) == (st.st_dev, st.st_ino) => {
            return Err(refused(paths, MirrorProblem::IsThePrimary));
        }
        _ => {}
    }
    Ok(Found::Stick(Some(File::from(fd))))
}
