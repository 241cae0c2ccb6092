//! Provisioning a data directory for development and the simulator: a development authority, a
//! device key, its certificate (marked development) and a signed package, in one call. A real
//! device is provisioned by a technician with `tps-keys`, the same formats step by step.

use std::path::PathBuf;

use super::files::DataDir;
use super::technician::{self, TechnicianError};
use tps_base::time::{LocalTime, instant_at};
use tps_journal::identity::cert::{CertificateError, CertificateRequest, DeviceCertificate};
use tps_journal::identity::keyfile::{self, KeyFileError, KeyKind, KeyText};
use tps_journal::identity::package::{ElectionPackage, PackageError, SignedPackage};

/// The comment that marks a development authority's key files.
pub const DEVELOPMENT_NOTE: &str =
    "DEVELOPMENT authority made by the simulator: never valid for an election";

/// The technician PIN development provisioning sets (the simulator's; a real device's is set
/// by its technician when provisioned).
pub const DEVELOPMENT_TECHNICIAN_PIN: &str = "246810";

/// Why provisioning failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProvisionError {
    /// A provisioning file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A key file could not be written or read back.
    #[error(transparent)]
    Key(#[from] KeyFileError),
    /// The operating system gave no randomness for a new key.
    #[error("the operating system's random source failed: {0}")]
    Random(String),
    /// The device certificate could not be made or read.
    #[error("certificate: {0}")]
    Certificate(#[from] CertificateError),
    /// The election package file is not acceptable.
    #[error("election package: {0}")]
    Package(#[from] PackageError),
    /// The technician PIN could not be set.
    #[error("technician PIN: {0}")]
    Technician(#[from] TechnicianError),
}

const DAY_MS: i64 = 86_400_000;

/// Provisions `dir` with a development authority and device for the package in `package_toml`.
/// The certificate is valid from a year before the election day to a year after, so simulated
/// days in the past verify.
pub fn development(
    dir: &DataDir,
    package_toml: &str,
    device_id: &str,
) -> Result<(), ProvisionError> {
    let io = |path: PathBuf| move |source| ProvisionError::Io { path, source };
    std::fs::create_dir_all(&dir.dir).map_err(io(dir.dir.clone()))?;
    std::fs::create_dir_all(&dir.mirror_dir).map_err(io(dir.mirror_dir.clone()))?;
    let package = ElectionPackage::from_toml(package_toml)?.for_devices(&[device_id])?;

    let random = |what: &str| {
        keyfile::generate_signing_key().map_err(|e| ProvisionError::Random(format!("{what}: {e}")))
    };
    let authority = random("authority key")?;
    let device = random("device key")?;
    let note = vec![DEVELOPMENT_NOTE.to_string()];
    keyfile::write_key(
        &dir.dir.join("authority.key"),
        &KeyText {
            kind: KeyKind::AuthoritySecret,
            bytes: authority.to_bytes(),
            comments: note.clone(),
        },
    )?;
    keyfile::write_key(
        &dir.authority_pub(),
        &KeyText {
            kind: KeyKind::AuthorityPublic,
            bytes: authority.verifying_key().to_bytes(),
            comments: note,
        },
    )?;
    keyfile::write_key(
        &dir.device_key(),
        &KeyText {
            kind: KeyKind::DeviceSecret,
            bytes: device.to_bytes(),
            comments: Vec::new(),
        },
    )?;
    let request = CertificateRequest::read(&CertificateRequest::create(device_id, &device)?)?;
    let day = instant_at(package.date, LocalTime::new(0, 0), package.zone).unwrap_or(0);
    let certificate = DeviceCertificate::issue(
        &request,
        &authority,
        day - 365 * DAY_MS,
        day + 365 * DAY_MS,
        true,
    )?;
    std::fs::write(dir.certificate(), certificate).map_err(io(dir.certificate()))?;
    std::fs::write(dir.package(), package.seal(&authority)).map_err(io(dir.package()))?;
    technician::set(
        dir,
        &device,
        &package.procedure()?.pin,
        DEVELOPMENT_TECHNICIAN_PIN,
        DEVELOPMENT_TECHNICIAN_PIN,
    )?;
    Ok(())
}
