//! A simulated USB stick: the journal mirror's directory appears when it is plugged in and
//! disappears when it is pulled out, its contents kept in between like on a real stick.

use std::path::{Path, PathBuf};

/// Name of the mirror directory while the stick is plugged in.
pub const MIRROR_DIR: &str = "mirror";
/// Where the mirror directory waits while the stick is out.
pub const UNPLUGGED_DIR: &str = ".usb-unplugged-mirror";

/// Why the stick could not be plugged or pulled.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UsbError {
    #[error("{action} the simulated USB stick ({path}): {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The stick, as the mirror directory `DIR/mirror`. Unplugging renames it to
/// `DIR/.usb-unplugged-mirror`; plugging renames it back.
#[derive(Debug, Clone)]
pub struct SimUsbStick {
    mirror: PathBuf,
    unplugged: PathBuf,
}

impl SimUsbStick {
    /// A stick in `dir`. If neither directory exists yet, an empty stick is plugged in.
    pub fn new(dir: &Path) -> Result<Self, UsbError> {
        let stick = Self {
            mirror: dir.join(MIRROR_DIR),
            unplugged: dir.join(UNPLUGGED_DIR),
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
}
