//! A simulated USB stick: the journal mirror's directory appears when it is plugged in and
//! disappears when it is pulled out, its contents kept in between like on a real stick. It can
//! fill up, and be swapped for a new, empty one.

use std::path::{Path, PathBuf};

use crate::shared::Shared;

/// Name of the mirror directory while the stick is plugged in.
pub const MIRROR_DIR: &str = "mirror";
/// Where the mirror directory waits while the stick is out.
pub const UNPLUGGED_DIR: &str = ".usb-unplugged-mirror";
/// Where a swapped-out stick's files are kept (`.usb-replaced-1`, `-2`, ...), as the KPPS keeps
/// the old stick for PPS.
pub const REPLACED_DIR: &str = ".usb-replaced";

/// The mirror's file name on the stick, as the kiosk names it.
pub const MIRROR_FILE: &str = "journal.tpsj";

/// A stick someone prepared to attack the kiosk: what stands where the mirror file should be.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostileStick {
    /// A FIFO (named pipe): opening it for reading blocks until someone writes.
    Fifo,
    /// A symbolic link to this path (the primary journal, or any file elsewhere).
    FileLink(PathBuf),
    /// The stick's directory itself is a symbolic link to this directory.
    DirLink(PathBuf),
    /// A journal magic followed by zeros up to this many bytes (a sparse file).
    Huge(u64),
}

/// What someone made of one file on the stick in the slot (the provisioning files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostileFile {
    /// Cut to half its length.
    Truncated,
    /// Grown to this many bytes (a sparse file).
    Huge(u64),
    /// Moved aside and replaced by a symbolic link to it.
    Link,
    /// Replaced by a FIFO.
    Fifo,
}

/// Why the stick could not be plugged or pulled.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UsbError {
    /// Creating or renaming the stick's directory failed.
    #[error("{action} the simulated USB stick ({path}): {source}")]
    Io {
        /// What was being done to the stick ("plugging in", "unplugging"...).
        action: &'static str,
        /// The stick's directory.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
}

/// The stick, as the mirror directory `DIR/mirror`. Unplugging renames it to
/// `DIR/.usb-unplugged-mirror`; plugging renames it back.
#[derive(Debug, Clone)]
pub struct SimUsbStick {
    mirror: PathBuf,
    unplugged: PathBuf,
    /// The stick in the slot has no room left. Clones share it.
    full: Shared<bool>,
    /// Bytes an export may still write before the stick is pulled out mid-write, if set.
    pull_in: Shared<Option<u64>>,
}

/// Why the stick took no more of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StickRefusal {
    /// It is full.
    Full,
    /// It was pulled out (or is not in the slot).
    Pulled,
}

impl SimUsbStick {
    /// A stick in `dir`. If neither directory exists yet, an empty stick is plugged in.
    pub fn new(dir: &Path) -> Result<Self, UsbError> {
        let stick = Self {
            mirror: dir.join(MIRROR_DIR),
            unplugged: dir.join(UNPLUGGED_DIR),
            full: Shared::default(),
            pull_in: Shared::default(),
        };
        if !stick.mirror.exists() && !stick.unplugged.exists() {
            std::fs::create_dir_all(&stick.mirror).map_err(|source| UsbError::Io {
                action: "creating",
                path: stick.mirror.clone(),
                source,
            })?;
        }
        Ok(stick)
    }

    /// Where the kiosk finds the stick's files while it is plugged in.
    pub fn mirror_dir(&self) -> &Path {
        &self.mirror
    }

    /// Whether the stick is in the slot.
    pub fn is_plugged(&self) -> bool {
        self.mirror.is_dir()
    }

    /// Pulls the stick out; nothing happens if it is out already.
    pub fn unplug(&self) -> Result<(), UsbError> {
        if !self.is_plugged() {
            return Ok(());
        }
        std::fs::rename(&self.mirror, &self.unplugged).map_err(|source| UsbError::Io {
            action: "unplugging",
            path: self.mirror.clone(),
            source,
        })
    }

    /// Plugs the stick back in with what it held; nothing happens if it is in already.
    pub fn plug(&self) -> Result<(), UsbError> {
        if self.is_plugged() {
            return Ok(());
        }
        std::fs::rename(&self.unplugged, &self.mirror).map_err(|source| UsbError::Io {
            action: "plugging in",
            path: self.unplugged.clone(),
            source,
        })
    }

    /// The stick has no room left: every write to it fails as on a full stick.
    pub fn fill(&self) {
        self.full.with(|full| *full = true);
    }

    /// Whether the stick has no room left.
    pub fn is_full(&self) -> bool {
        self.full.with(|full| *full)
    }

    /// Someone will pull the stick out once `bytes` more have been written to it: the write that
    /// goes past them is cut off and the stick is out.
    pub fn pull_after(&self, bytes: u64) {
        self.pull_in.with(|p| *p = Some(bytes));
    }

    /// Asked before `bytes` are written to the stick (by an export): refused when it is out or
    /// full, and when it is pulled out during this write (it is out afterwards).
    pub fn take_write(&self, bytes: usize) -> Result<(), StickRefusal> {
        if !self.is_plugged() {
            return Err(StickRefusal::Pulled);
        }
        if self.is_full() {
            return Err(StickRefusal::Full);
        }
        let pulled = self.pull_in.with(|p| match p {
            Some(left) if *left < bytes as u64 => {
                *p = None;
                true
            }
            Some(left) => {
                *left -= bytes as u64;
                false
            }
            None => false,
        });
        if pulled {
            // A stick that cannot be renamed away stays in; the write is refused all the same.
            let _ = self.unplug();
            return Err(StickRefusal::Pulled);
        }
        Ok(())
    }

    /// Plugs a new, empty stick into the slot, which must be empty (pull the old one first).
    /// The old stick's files are set aside under `DIR/.usb-replaced-N`.
    pub fn plug_new(&self) -> Result<(), UsbError> {
        if self.is_plugged() {
            return Err(UsbError::Io {
                action: "plugging a new stick into the occupied slot",
                path: self.mirror.clone(),
                source: std::io::ErrorKind::AlreadyExists.into(),
            });
        }
        if self.unplugged.exists() {
            let parent = self.unplugged.parent().unwrap_or(Path::new("."));
            let aside = (1..)
                .map(|n| parent.join(format!("{REPLACED_DIR}-{n}")))
                .find(|p| !p.exists())
                .unwrap_or_else(|| parent.join(REPLACED_DIR));
            std::fs::rename(&self.unplugged, &aside).map_err(|source| UsbError::Io {
                action: "setting aside",
                path: self.unplugged.clone(),
                source,
            })?;
        }
        std::fs::create_dir(&self.mirror).map_err(|source| UsbError::Io {
            action: "plugging in a new",
            path: self.mirror.clone(),
            source,
        })?;
        self.full.with(|full| *full = false);
        self.pull_in.with(|p| *p = None);
        Ok(())
    }

    /// Makes the file `name` on the stick in the slot hostile, as [`HostileFile`] says.
    pub fn spoil(&self, name: &str, how: HostileFile) -> Result<(), UsbError> {
        let file = self.mirror.join(name);
        let io = |action| {
            let path = file.clone();
            move |source| UsbError::Io {
                action,
                path,
                source,
            }
        };
        match how {
            HostileFile::Truncated => std::fs::read(&file)
                .and_then(|bytes| std::fs::write(&file, &bytes[..bytes.len() / 2]))
                .map_err(io("truncating")),
            HostileFile::Huge(len) => std::fs::OpenOptions::new()
                .write(true)
                .open(&file)
                .and_then(|f| f.set_len(len))
                .map_err(io("filling")),
            HostileFile::Link => {
                let aside = self.mirror.join(format!("{name}.real"));
                std::fs::rename(&file, &aside)
                    .and_then(|()| std::os::unix::fs::symlink(&aside, &file))
                    .map_err(io("linking"))
            }
            HostileFile::Fifo => std::fs::remove_file(&file)
                .map_err(io("replacing"))
                .and_then(|()| {
                    rustix::fs::mknodat(
                        rustix::fs::CWD,
                        &file,
                        rustix::fs::FileType::Fifo,
                        rustix::fs::Mode::from_raw_mode(0o644),
                        0,
                    )
                    .map_err(|e| io("making a FIFO")(e.into()))
                }),
        }
    }

    /// Plugs a hostile stick into the empty slot, as [`SimUsbStick::plug_new`] does with an empty
    /// one (the old stick's files are set aside).
    pub fn plug_hostile(&self, hostile: &HostileStick) -> Result<(), UsbError> {
        let io = |action, path: &Path| {
            let path = path.to_path_buf();
            move |source| UsbError::Io {
                action,
                path,
                source,
            }
        };
        if let HostileStick::DirLink(target) = hostile {
            self.plug_new()?;
            std::fs::remove_dir(&self.mirror).map_err(io("replacing", &self.mirror))?;
            return std::os::unix::fs::symlink(target, &self.mirror)
                .map_err(io("linking the stick's directory", &self.mirror));
        }
        self.plug_new()?;
        let file = self.mirror.join(MIRROR_FILE);
        match hostile {
            HostileStick::Fifo => rustix::fs::mknodat(
                rustix::fs::CWD,
                &file,
                rustix::fs::FileType::Fifo,
                rustix::fs::Mode::from_raw_mode(0o644),
                0,
            )
            .map_err(|e| io("making a FIFO", &file)(e.into())),
            HostileStick::FileLink(target) => {
                std::os::unix::fs::symlink(target, &file).map_err(io("linking", &file))
            }
            HostileStick::Huge(len) => std::fs::write(&file, b"TPSJRNL1")
                .and_then(|()| std::fs::OpenOptions::new().write(true).open(&file))
                .and_then(|f| f.set_len(*len))
                .map_err(io("filling", &file)),
            HostileStick::DirLink(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unplugging_hides_the_mirror_and_plugging_brings_it_back_with_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let stick = SimUsbStick::new(dir.path()).unwrap();
        assert!(stick.is_plugged());
        std::fs::write(stick.mirror_dir().join("journal"), b"records").unwrap();

        stick.unplug().unwrap();
        assert!(!stick.is_plugged());
        assert!(!stick.mirror_dir().exists());
        stick.unplug().unwrap();

        let again = SimUsbStick::new(dir.path()).unwrap();
        assert!(
            !again.is_plugged(),
            "a new handle finds the stick still out"
        );
        again.plug().unwrap();
        assert!(stick.is_plugged());
        assert_eq!(
            std::fs::read(stick.mirror_dir().join("journal")).unwrap(),
            b"records"
        );
    }

    #[test]
    fn hostile_sticks_hold_what_they_claim() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let stick = SimUsbStick::new(dir.path()).unwrap();
        let file = stick.mirror_dir().join(MIRROR_FILE);
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        for hostile in [
            HostileStick::Fifo,
            HostileStick::FileLink(elsewhere.join("x")),
            HostileStick::DirLink(elsewhere.clone()),
            HostileStick::Huge(100 << 20),
        ] {
            stick.unplug().unwrap();
            stick.plug_hostile(&hostile).unwrap();
            assert!(stick.is_plugged(), "{hostile:?}");
            let m = std::fs::symlink_metadata(&file);
            match &hostile {
                HostileStick::Fifo => assert!(m.unwrap().file_type().is_fifo()),
                HostileStick::FileLink(_) => assert!(m.unwrap().file_type().is_symlink()),
                HostileStick::DirLink(_) => {
                    let d = std::fs::symlink_metadata(stick.mirror_dir()).unwrap();
                    assert!(d.file_type().is_symlink());
                }
                HostileStick::Huge(len) => assert_eq!(m.unwrap().len(), *len),
            }
        }
    }

    #[test]
    fn a_stick_pulled_mid_write_refuses_that_write_and_is_out() {
        let dir = tempfile::tempdir().unwrap();
        let stick = SimUsbStick::new(dir.path()).unwrap();
        stick.pull_after(100);
        assert_eq!(stick.take_write(60), Ok(()));
        assert_eq!(stick.take_write(60), Err(StickRefusal::Pulled));
        assert!(!stick.is_plugged());
        assert_eq!(stick.take_write(1), Err(StickRefusal::Pulled));
        stick.plug().unwrap();
        assert_eq!(stick.take_write(1 << 20), Ok(()), "pulled once, not again");
        stick.fill();
        assert_eq!(stick.take_write(1), Err(StickRefusal::Full));
    }

    #[test]
    fn a_full_stick_is_swapped_for_an_empty_one_and_its_files_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let stick = SimUsbStick::new(dir.path()).unwrap();
        std::fs::write(stick.mirror_dir().join("journal"), b"records").unwrap();
        let gate = stick.clone();
        stick.fill();
        assert!(gate.is_full());
        assert!(
            stick.plug_new().is_err(),
            "the old stick is still in the slot"
        );
        stick.unplug().unwrap();
        stick.plug_new().unwrap();
        assert!(stick.is_plugged());
        assert!(!gate.is_full());
        assert!(!stick.mirror_dir().join("journal").exists());
        let aside = dir.path().join(format!("{REPLACED_DIR}-1")).join("journal");
        assert_eq!(std::fs::read(aside).unwrap(), b"records");
    }
}
