//! Where the journal lives and why it cannot be opened or appended to, the mirror's problems
//! included: apart from `store` so the mirror's opening (`mirror`), which `store` calls,
//! reports in the same terms without importing it back.

use std::path::PathBuf;

use super::problem::VerifyError;
use super::read::{MAX_JOURNAL_FILE, MAX_RECORDS};
use super::record::SignedRecord;
use super::scan::Located;
use tps_base::text::Bilingual;

/// Where the journal lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalPaths {
    /// The primary journal file, on the SD card.
    pub primary: PathBuf,
    /// The mirror file; its directory is the USB stick's and may be absent.
    pub mirror: PathBuf,
    /// The mirror must be on another device than the primary (the Pi: a USB stick, not the SD
    /// card); the simulator and tests keep both on one file system.
    pub mirror_on_own_device: bool,
}

/// Which copy of the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// The journal file on the SD card.
    Primary,
    /// Its copy on the USB stick.
    Mirror,
}

impl std::fmt::Display for Medium {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Medium::Primary => "primary journal",
            Medium::Mirror => "mirror journal",
        })
    }
}

/// Why a copy's records are not this device's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Untrusted {
    /// A record fails verification: chain, certificate, package, times or signature.
    #[error("{0}")]
    Verify(VerifyError),
    /// The copy was begun with another device's certificate.
    #[error("record 0: begun with another device's certificate")]
    OtherDevice,
}

/// Why the journal cannot be opened or appended to.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// Reading, writing or syncing a journal file failed.
    #[error("{medium} {path}: {source}")]
    Io {
        /// Which copy.
        medium: Medium,
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A journal file is damaged before its end (not a torn last frame); nothing was changed.
    #[error("{medium} is damaged at {at}; nothing was changed on disk")]
    Damaged {
        /// Which copy.
        medium: Medium,
        /// Where and what.
        at: Located,
    },
    /// The primary journal file is larger than any journal can be: not read, nothing changed.
    #[error(
        "{path} holds {size} bytes, more than any journal can ({MAX_JOURNAL_FILE}); nothing was read or changed"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// Primary and mirror hold different records under the same sequence number.
    #[error("primary and mirror journals differ from record {seq} on; nothing was changed on disk")]
    Diverged {
        /// The first sequence number at which they differ.
        seq: u64,
    },
    /// The longer copy holds a record that is not this device's: nothing was copied from it and
    /// neither medium was changed.
    #[error("{medium}: {reason}; nothing was copied and nothing was changed on disk")]
    NotThisDevice {
        /// The copy that holds the foreign record.
        medium: Medium,
        /// Why it is not this device's.
        reason: Untrusted,
    },
    /// An append needs the mirror and the USB stick is not there.
    #[error("the mirror (USB stick) is not present")]
    MirrorMissing,
    /// The file on the USB stick cannot be the mirror; nothing was read from or written to it.
    #[error("mirror journal {path}: {problem}; nothing was read from or written to it")]
    MirrorRefused {
        /// The mirror file.
        path: PathBuf,
        /// Why it cannot be the mirror.
        problem: MirrorProblem,
    },
    /// The record is durable on the primary, but writing it to the mirror failed.
    #[error("the record was written to the primary journal but not to the mirror: {source}")]
    MirrorWrite {
        /// The record, durable on the primary.
        record: Box<SignedRecord>,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A record's monotonic time is not later than the last record's.
    #[error("the record's monotonic time {got} is not after the journal's {last}")]
    NotMonotonic {
        /// The last record's monotonic time.
        last: u64,
        /// The new record's.
        got: u64,
    },
    /// A record with a trusted time earlier than the last trusted time in the journal.
    #[error("a trusted time {got} earlier than the journal's {last} cannot be recorded")]
    TimeBackwards {
        /// The journal's newest trusted time (unix ms).
        last: i64,
        /// The new record's (unix ms).
        got: i64,
    },
    /// The simulated power cut struck mid-write: what reached the disk stays, as after a real one.
    #[error("power was cut while writing")]
    PowerCut,
    /// The journal holds [`MAX_RECORDS`] records, the most a journal can: nothing was written.
    #[error("the journal holds {MAX_RECORDS} records, the most a journal can; nothing was written")]
    Full,
}

/// Why the file on the USB stick cannot be the mirror.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MirrorProblem {
    /// The mirror file or its directory is a symbolic link.
    #[error("it is a symbolic link")]
    Link,
    /// The mirror is not a regular file (a FIFO, a device, a directory).
    #[error("it is not a regular file")]
    NotAFile,
    /// The mirror is the primary journal itself (same device and inode).
    #[error("it is the primary journal itself")]
    IsThePrimary,
    /// The mirror is on the same device as the primary journal, not on a USB stick of its own.
    #[error("it is on the same storage as the primary journal, not on a USB stick")]
    SameDevice,
    /// The file is larger than any day's journal can be ([`MAX_JOURNAL_FILE`]); it is refused
    /// before a byte of it is read.
    #[error("it holds {size} bytes, more than any journal can ({MAX_JOURNAL_FILE})")]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
    },
}

impl MirrorProblem {
    /// What is wrong, in the chair's words.
    pub fn describe(&self) -> Bilingual {
        match self {
            MirrorProblem::Link => Bilingual::new(
                "berkas cadangan di flashdisk adalah tautan (symlink)",
                "the backup file on the USB stick is a link (symlink)",
            ),
            MirrorProblem::NotAFile => Bilingual::new(
                "berkas cadangan di flashdisk bukan berkas biasa",
                "the backup file on the USB stick is not a plain file",
            ),
            MirrorProblem::IsThePrimary => Bilingual::new(
                "berkas cadangan di flashdisk adalah jurnal utama itu sendiri",
                "the backup file on the USB stick is the primary journal itself",
            ),
            MirrorProblem::SameDevice => Bilingual::new(
                "cadangan tidak berada di flashdisk tersendiri",
                "the backup is not on a USB stick of its own",
            ),
            MirrorProblem::TooLarge { .. } => Bilingual::new(
                "berkas cadangan di flashdisk lebih besar daripada jurnal mana pun",
                "the backup file on the USB stick is larger than any journal can be",
            ),
        }
    }
}
