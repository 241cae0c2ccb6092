//! The kiosk's data directory and the identity files in it.
//!
//! ```text
//! DIR/authority.pub      the authority's public key (provisioned)
//! DIR/device.key         the device's secret key (0600, generated on the device)
//! DIR/device.crt         the device certificate
//! DIR/package.tpsp       the signed election package
//! DIR/technician.pin     the technician PIN's keyed hash (0600, signed by the device key)
//! DIR/archive/NAME/      an earlier election's files, put aside to provision again
//! DIR/journal.tpsj       the primary journal
//! MIRROR/journal.tpsj    the mirror on the USB stick (default MIRROR = DIR/mirror)
//! ```

use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};

use tps_base::text::{Bilingual, Lang};
use tps_journal::identity::cert::{CertificateError, DeviceCertificate};
use tps_journal::identity::keyfile::{self, KeyFileError, KeyKind};
use tps_journal::identity::package::{
    ElectionPackage, MAX_PACKAGE_FILE, PackageError, SignedPackage,
};
use tps_journal::identity::read_at_most;
use tps_journal::{JournalPaths, Trust};

/// Where the kiosk keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    /// The data directory on the SD card.
    pub dir: PathBuf,
    /// The USB stick's directory.
    pub mirror_dir: PathBuf,
    /// A kiosk for a real election day (the Pi), not the simulator: the mirror must be on
    /// another device than `dir` (a USB stick, not the SD card), and a day is begun only with
    /// a certificate valid at that time and not a development one.
    pub election_device: bool,
}

impl DataDir {
    /// `dir`, with the mirror in `dir/mirror`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let mirror_dir = dir.join("mirror");
        Self {
            dir,
            mirror_dir,
            election_device: false,
        }
    }

    /// The authority's public key file.
    pub fn authority_pub(&self) -> PathBuf {
        self.dir.join("authority.pub")
    }
    /// The device's secret key file.
    pub fn device_key(&self) -> PathBuf {
        self.dir.join("device.key")
    }
    /// The device certificate file.
    pub fn certificate(&self) -> PathBuf {
        self.dir.join("device.crt")
    }
    /// The signed election package file.
    pub fn package(&self) -> PathBuf {
        self.dir.join("package.tpsp")
    }
    /// The technician PIN file.
    pub fn technician_pin(&self) -> PathBuf {
        self.dir.join("technician.pin")
    }
    /// The primary journal and its mirror on the stick.
    pub fn journal(&self) -> JournalPaths {
        JournalPaths {
            primary: self.dir.join("journal.tpsj"),
            mirror: self.mirror_dir.join("journal.tpsj"),
            mirror_on_own_device: self.election_device,
        }
    }

    /// Whether the device has been provisioned here.
    pub fn is_provisioned(&self) -> bool {
        self.device_key().exists() && self.certificate().exists() && self.package().exists()
    }
}

/// Why the kiosk's identity could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// A key file of the identity is missing or not acceptable.
    #[error(transparent)]
    Key(#[from] KeyFileError),
    /// The device's secret key file can be read or changed by others than its owner.
    #[error(
        "{path}: kunci perangkat dapat dibaca orang lain (mode {mode:o}); hubungi teknisi / the device key can be read by others than its owner (mode {mode:o}); call a technician"
    )]
    KeyNotPrivate {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// An identity file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The device certificate does not read or verify.
    #[error("{path}: {source}")]
    Certificate {
        /// The certificate file.
        path: PathBuf,
        /// What is wrong with it.
        source: CertificateError,
    },
    /// The certificate certifies another key than the device's own.
    #[error("{path}: the certificate is for another key than {key}")]
    CertificateKeyMismatch {
        /// The certificate file.
        path: PathBuf,
        /// The device key file.
        key: PathBuf,
    },
    /// The election package does not read or verify.
    #[error("{path}: {source}")]
    Package {
        /// The package file.
        path: PathBuf,
        /// What is wrong with it.
        source: PackageError,
    },
    /// The package does not name this device (issue 9, finding 6): it is another device's.
    #[error("{}", Self::not_named(device, path).get(crate::text::Lang::En))]
    DeviceNotInPackage {
        /// The package file.
        path: PathBuf,
        /// This device's id.
        device: String,
    },
}

impl IdentityError {
    fn not_named(device: &str, path: &Path) -> Bilingual {
        let path = path.display();
        Bilingual::new(
            format!(
                "{path}: paket pemilu ini bukan untuk perangkat {device}: panggil teknisi untuk \
                 memasang paket TPS ini yang menyebut perangkat ini"
            ),
            format!(
                "{path}: this election package is not for device {device}: call the technician \
                 to install this TPS's package naming this device"
            ),
        )
    }

    /// What went wrong, in `lang` where the kiosk has the words (the device binding), in
    /// English otherwise.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            IdentityError::DeviceNotInPackage { path, device } => {
                Self::not_named(device, path).get(lang).to_string()
            }
            other => other.to_string(),
        }
    }
}

/// The device's identity, checked against the authority.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The authority's public key.
    pub authority: VerifyingKey,
    /// Comments in the authority's key file (the development marker).
    pub authority_notes: Vec<String>,
    /// The device's signing key.
    pub key: SigningKey,
    /// The device certificate.
    pub certificate: DeviceCertificate,
    /// The certificate file's bytes, as the genesis record holds them.
    pub certificate_bytes: Vec<u8>,
    /// The election package.
    pub package: ElectionPackage,
    /// The signed package file's bytes, whose hash the genesis record holds.
    pub package_bytes: Vec<u8>,
}

fn read(path: &Path, max: u64) -> Result<Vec<u8>, IdentityError> {
    read_at_most(path, max).map_err(|source| IdentityError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Refuses a secret key file that anyone but its owner may read or change (any group or other
/// permission bit): on a real kiosk the key stays the device's.
fn key_is_private(path: &Path) -> Result<(), IdentityError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|source| IdentityError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(IdentityError::KeyNotPrivate {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

impl Identity {
    /// What a journal's records must verify against to be this device's.
    pub fn trust(&self) -> Trust<'_> {
        Trust {
            authority: &self.authority,
            certificate: &self.certificate_bytes,
            package: &self.package_bytes,
        }
    }

    /// Loads and checks every identity file in `dir`.
    pub fn load(dir: &DataDir) -> Result<Self, IdentityError> {
        let (authority, authority_notes) =
            keyfile::read_verifying_key(&dir.authority_pub(), KeyKind::AuthorityPublic)?;
        key_is_private(&dir.device_key())?;
        let key = keyfile::read_signing_key(&dir.device_key(), KeyKind::DeviceSecret)?;
        let cert_path = dir.certificate();
        let certificate_bytes = read(&cert_path, 4096)?;
        let certificate =
            DeviceCertificate::read(&certificate_bytes, &authority).map_err(|source| {
                IdentityError::Certificate {
                    path: cert_path.clone(),
                    source,
                }
            })?;
        if certificate.public_key != key.verifying_key().to_bytes() {
            return Err(IdentityError::CertificateKeyMismatch {
                path: cert_path,
                key: dir.device_key(),
            });
        }
        let package_path = dir.package();
        let package_bytes = read(&package_path, MAX_PACKAGE_FILE as u64)?;
        let package = ElectionPackage::read(&package_bytes, &authority).map_err(|source| {
            IdentityError::Package {
                path: package_path.clone(),
                source,
            }
        })?;
        if !package.names_device(&certificate.device_id) {
            return Err(IdentityError::DeviceNotInPackage {
                path: package_path,
                device: certificate.device_id.to_string(),
            });
        }
        Ok(Self {
            authority,
            authority_notes,
            key,
            certificate,
            certificate_bytes,
            package,
            package_bytes,
        })
    }
}
