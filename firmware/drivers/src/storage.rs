//! The two places the journal is kept: the primary data directory on the SD card and the mirror
//! directory on the USB stick. Whether the stick is in, and whether either is filling up.

use std::io;
use std::path::{Path, PathBuf};

/// Below this much free space a medium counts as nearly full: a day's journal is a few
/// megabytes, so this leaves room for many days and for the export to PPS.
pub const NEARLY_FULL_BYTES: u64 = 64 * 1024 * 1024;

/// The USB stick as the kiosk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MirrorStatus {
    /// No mirror directory: the stick is not plugged in (or not mounted).
    Absent,
    /// The stick is there.
    Present {
        /// Bytes free on it.
        free_bytes: u64,
    },
}

/// Both media at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageStatus {
    /// Bytes free on the SD card.
    pub primary_free_bytes: u64,
    /// The USB stick.
    pub mirror: MirrorStatus,
}

impl StorageStatus {
    /// Whether the USB stick is there.
    pub fn usb_present(&self) -> bool {
        matches!(self.mirror, MirrorStatus::Present { .. })
    }

    /// Whether the primary or a present mirror has less than [`NEARLY_FULL_BYTES`] free.
    pub fn nearly_full(&self) -> bool {
        let mirror_free = match self.mirror {
            MirrorStatus::Present { free_bytes } => free_bytes,
            MirrorStatus::Absent => u64::MAX,
        };
        self.primary_free_bytes.min(mirror_free) < NEARLY_FULL_BYTES
    }
}

/// Why the media could not be checked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The primary data directory's free space could not be read.
    #[error("the primary data directory {path} cannot be checked: {source}")]
    Primary {
        /// The directory.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
    /// The mirror directory exists but its free space could not be read.
    #[error("the USB stick's directory {path} is there but cannot be checked: {source}")]
    Mirror {
        /// The directory.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
}

/// The primary data directory and the USB stick's mirror directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    primary: PathBuf,
    mirror: PathBuf,
}

impl Storage {
    /// The media at `primary` (the data directory) and `mirror` (the stick's directory).
    pub fn new(primary: impl Into<PathBuf>, mirror: impl Into<PathBuf>) -> Self {
        Self {
            primary: primary.into(),
            mirror: mirror.into(),
        }
    }

    /// The primary data directory.
    pub fn primary_dir(&self) -> &Path {
        &self.primary
    }

    /// The USB stick's mirror directory.
    pub fn mirror_dir(&self) -> &Path {
        &self.mirror
    }

    /// Looks at both media now.
    pub fn status(&self) -> Result<StorageStatus, StorageError> {
        let primary_free_bytes =
            fs4::available_space(&self.primary).map_err(|source| StorageError::Primary {
                path: self.primary.clone(),
                source,
            })?;
        let mirror = if self.mirror.is_dir() {
            match fs4::available_space(&self.mirror) {
                Ok(free_bytes) => MirrorStatus::Present { free_bytes },
                // Pulled out between the two looks.
                Err(e) if e.kind() == io::ErrorKind::NotFound => MirrorStatus::Absent,
                Err(source) => {
                    return Err(StorageError::Mirror {
                        path: self.mirror.clone(),
                        source,
                    });
                }
            }
        } else {
            MirrorStatus::Absent
        };
        Ok(StorageStatus {
            primary_free_bytes,
            mirror,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearly_full_looks_at_the_fuller_present_medium() {
        let roomy = NEARLY_FULL_BYTES * 10;
        let status = |primary, mirror| StorageStatus {
            primary_free_bytes: primary,
            mirror,
        };
        assert!(!status(roomy, MirrorStatus::Absent).nearly_full());
        assert!(status(NEARLY_FULL_BYTES - 1, MirrorStatus::Absent).nearly_full());
        let tight_stick = MirrorStatus::Present {
            free_bytes: NEARLY_FULL_BYTES - 1,
        };
        assert!(status(roomy, tight_stick).nearly_full());
        assert!(!status(roomy, MirrorStatus::Present { free_bytes: roomy }).nearly_full());
    }

    #[test]
    fn a_missing_mirror_directory_means_no_stick() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::new(dir.path(), dir.path().join("usb"));
        let status = storage.status().unwrap();
        assert!(!status.usb_present());
        assert!(status.primary_free_bytes > 0);
        std::fs::create_dir(storage.mirror_dir()).unwrap();
        assert!(storage.status().unwrap().usb_present());
    }

    #[test]
    fn a_missing_primary_directory_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("data");
        let err = Storage::new(&gone, dir.path()).status().unwrap_err();
        assert!(
            err.to_string().contains(&gone.display().to_string()),
            "{err}"
        );
    }
}
