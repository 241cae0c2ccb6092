//! Provisioning a real device from its touchscreen and a USB stick.
//!
//! 1. [`request`]: the device makes its own key (it never leaves the device) and writes the
//!    certificate request `ID.req` to the stick, as `tps-keys device request` does.
//! 2. The technician takes the stick to the authority, which certifies the request and builds
//!    the TPS's package naming this device (`tps-keys device certify`, `package build`), and
//!    brings back on the stick `ID.crt`, `package.tpsp` and `authority.pub`.
//! 3. [`inspect`]: the kiosk checks them (the certificate is for its own key and by that
//!    authority, the package is signed by that authority and names this device) and returns an
//!    [`Offer`] the screen shows (the TPS, its place, the election) for the technician to confirm.
//! 4. [`install`]: with the technician PIN typed twice, everything is installed, or nothing.
//!
//! Every file is read from the stick as the journal mirror's are: never through a link, never a
//! FIFO or device, never more than its kind can hold.
//!
//! [`retire`] (behind the technician PIN) puts an election's files aside so the device can be
//! provisioned again; its key stays.

use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};

use super::atomic;
use super::files::DataDir;
use super::technician::{self, TechnicianError};
use tps_base::text::{Bilingual, Lang};
use tps_journal::identity::cert::{
    CertificateError, CertificateRequest, DeviceCertificate, MAX_CERTIFICATE_FILE,
};
use tps_journal::identity::file::{self, OpenError};
use tps_journal::identity::keyfile::{self, KeyFileError, KeyKind, KeyText};
use tps_journal::identity::package::{
    ElectionPackage, MAX_PACKAGE_FILE, PackageError, SignedPackage,
};
use tps_journal::identity::signed::EnvelopeError;

/// The package's name on the stick.
pub const STICK_PACKAGE: &str = "package.tpsp";
/// The authority's public key's name on the stick.
pub const STICK_AUTHORITY: &str = "authority.pub";
/// The most read of a key file (a key is 64 hex digits and a few comment lines).
const MAX_KEY_FILE: u64 = 4096;

/// The request's name on the stick for device `id`.
pub fn request_name(id: &str) -> String {
    format!("{id}.req")
}

/// The certificate's name on the stick for device `id`.
pub fn certificate_name(id: &str) -> String {
    format!("{id}.crt")
}

/// Why provisioning from the stick refused or failed. Nothing is installed when it does.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum EnrolError {
    /// No USB stick is plugged in.
    NoStick,
    /// A file on the stick is missing, a link, not a regular file, or too large.
    StickFile {
        /// The file's name on the stick.
        name: String,
        /// What is wrong with it.
        why: Bilingual,
    },
    /// `authority.pub` on the stick is not an authority's public key.
    Authority {
        /// What is wrong with it.
        why: String,
    },
    /// The certificate is not a sound certificate.
    Certificate {
        /// What is wrong with it.
        why: Bilingual,
    },
    /// The certificate is for another key than this device's.
    AnotherDevicesCertificate {
        /// The device the certificate names.
        device: String,
    },
    /// The certificate was not signed by the authority on the stick.
    CertificateForeignAuthority,
    /// The package is not a sound package.
    Package {
        /// What is wrong with it.
        why: Bilingual,
    },
    /// The package was not signed by the authority on the stick.
    PackageForeignAuthority,
    /// The package does not name this device.
    PackageForAnotherDevice {
        /// This device's id.
        device: String,
    },
    /// The device has no key yet: ask for a certificate first.
    NoDeviceKey,
    /// The device's key file cannot be read or is not private.
    DeviceKey {
        /// What is wrong with it.
        why: String,
    },
    /// The device is provisioned already: put the election aside first (technician PIN).
    AlreadyProvisioned,
    /// The technician PIN typed twice is weak or differs.
    Technician(#[from] TechnicianError),
    /// Reading or writing on the device or the stick failed.
    Io {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The operating system's random source failed (for the device key).
    Random,
}

impl EnrolError {
    /// A short stable name for scenarios and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            EnrolError::NoStick => "no-stick",
            EnrolError::StickFile { .. } => "stick-file",
            EnrolError::Authority { .. } => "not-an-authority-key",
            EnrolError::Certificate { .. } => "bad-certificate",
            EnrolError::AnotherDevicesCertificate { .. } => "another-devices-certificate",
            EnrolError::CertificateForeignAuthority => "certificate-foreign-authority",
            EnrolError::Package { .. } => "bad-package",
            EnrolError::PackageForeignAuthority => "package-foreign-authority",
            EnrolError::PackageForAnotherDevice { .. } => "package-for-another-device",
            EnrolError::NoDeviceKey => "no-device-key",
            EnrolError::DeviceKey { .. } => "device-key",
            EnrolError::AlreadyProvisioned => "already-provisioned",
            EnrolError::Technician(e) => e.kind(),
            EnrolError::Io { .. } => "io",
            EnrolError::Random => "random",
        }
    }

    /// What is wrong and what to do, in both languages. Every refusal says nothing was
    /// installed.
    pub fn bilingual(&self) -> Bilingual {
        let (id, en) = match self {
            EnrolError::NoStick => (
                "tidak ada USB terpasang; pasang USB".into(),
                "no USB stick is plugged in; plug one in".into(),
            ),
            EnrolError::StickFile { name, why } => (
                format!("{name} di USB: {}", why.id),
                format!("{name} on the USB stick: {}", why.en),
            ),
            EnrolError::Authority { why } => (
                format!("{STICK_AUTHORITY} di USB bukan kunci publik otoritas ({why})"),
                format!("{STICK_AUTHORITY} on the USB stick is not an authority's public key ({why})"),
            ),
            EnrolError::Certificate { why } => (
                format!("sertifikat di USB tidak sah: {}", why.id),
                format!("the certificate on the USB stick is not valid: {}", why.en),
            ),
            EnrolError::AnotherDevicesCertificate { device } => (
                format!("sertifikat di USB ({device}) untuk kunci perangkat lain, bukan kunci perangkat ini; minta otoritas mengesahkan permintaan dari perangkat ini"),
                format!("the certificate on the USB stick ({device}) is for another device's key, not this device's; ask the authority to certify this device's request"),
            ),
            EnrolError::CertificateForeignAuthority => (
                "sertifikat di USB tidak ditandatangani oleh otoritas di USB".into(),
                "the certificate on the USB stick was not signed by the authority on the stick".into(),
            ),
            EnrolError::Package { why } => (
                format!("paket pemilu di USB tidak sah: {}", why.id),
                format!("the election package on the USB stick is not valid: {}", why.en),
            ),
            EnrolError::PackageForeignAuthority => (
                "paket pemilu di USB tidak ditandatangani oleh otoritas di USB".into(),
                "the election package on the USB stick was not signed by the authority on the stick".into(),
            ),
            EnrolError::PackageForAnotherDevice { device } => (
                format!("paket pemilu di USB tidak menyebut perangkat ini ({device})"),
                format!("the election package on the USB stick does not name this device ({device})"),
            ),
            EnrolError::NoDeviceKey => (
                "perangkat belum punya kunci: buat permintaan sertifikat dahulu".into(),
                "the device has no key yet: make the certificate request first".into(),
            ),
            EnrolError::DeviceKey { why } => (
                format!("kunci perangkat tidak dapat dipakai ({why})"),
                format!("the device key cannot be used ({why})"),
            ),
            EnrolError::AlreadyProvisioned => (
                "perangkat sudah disiapkan: simpan dulu pemilu sebelumnya (PIN teknisi)".into(),
                "the device is provisioned already: put the previous election aside first (technician PIN)".into(),
            ),
            EnrolError::Technician(e) => {
                let b = e.bilingual();
                (b.id, b.en)
            }
            EnrolError::Io { path, source } => (
                format!("{}: gagal membaca/menulis ({source})", path.display()),
                format!("{}: could not be read or written ({source})", path.display()),
            ),
            EnrolError::Random => (
                "sumber acak sistem gagal".into(),
                "the system's random source failed".into(),
            ),
        };
        Bilingual::new(
            format!("{}. Tidak ada yang dipasang.", id.trim_end_matches('.')),
            format!("{}. Nothing was installed.", en.trim_end_matches('.')),
        )
    }

    /// What went wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.bilingual().get(lang).to_string()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EnrolError + '_ {
    move |source| EnrolError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The stick's folder must be a folder of its own, not a link to one elsewhere (whose files
/// would be read, and the request written, outside the stick).
fn check_stick(stick: &Path) -> Result<(), EnrolError> {
    match stick.symlink_metadata() {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) => Err(EnrolError::StickFile {
            name: stick.display().to_string(),
            why: if meta.file_type().is_symlink() {
                Bilingual::new(
                    OpenError::Link.message(Lang::Id),
                    OpenError::Link.message(Lang::En),
                )
            } else {
                Bilingual::new(
                    OpenError::NotARegularFile.message(Lang::Id),
                    OpenError::NotARegularFile.message(Lang::En),
                )
            },
        }),
        Err(_) => Err(EnrolError::NoStick),
    }
}

/// Reads `name` from the stick as hostile input.
fn read_stick(stick: &Path, name: &str, max: u64) -> Result<Vec<u8>, EnrolError> {
    file::read_regular(&stick.join(name), max).map_err(|e| {
        let why = match e {
            OpenError::Io(ref io) if io.kind() == std::io::ErrorKind::NotFound => Bilingual::new(
                "tidak ada (bawa berkas dari otoritas)",
                "is missing (bring the file from the authority)",
            ),
            other => Bilingual::new(other.message(Lang::Id), other.message(Lang::En)),
        };
        EnrolError::StickFile {
            name: name.to_string(),
            why,
        }
    })
}

/// The device key, if the device has one (private, as at every start).
fn device_key(dir: &DataDir) -> Result<Option<SigningKey>, EnrolError> {
    let path = dir.device_key();
    if path.symlink_metadata().is_err() {
        return Ok(None);
    }
    let bytes = file::read_regular(&path, MAX_KEY_FILE).map_err(|e| EnrolError::DeviceKey {
        why: e.message(Lang::En),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| EnrolError::DeviceKey {
        why: "not text".into(),
    })?;
    let key = KeyText::parse(&text, KeyKind::DeviceSecret, &path).map_err(key_error)?;
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&path).map_err(io(&path))?.permissions(),
    );
    if mode & 0o077 != 0 {
        return Err(EnrolError::DeviceKey {
            why: format!("mode {:o}", mode & 0o777),
        });
    }
    Ok(Some(SigningKey::from_bytes(&key.bytes)))
}

fn key_error(e: KeyFileError) -> EnrolError {
    EnrolError::DeviceKey { why: e.to_string() }
}

/// What [`request`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestWritten {
    /// The request on the stick.
    pub path: PathBuf,
    /// This device's id, as the request gives it.
    pub device_id: String,
    /// The first 8 bytes of the device's public key in hex, for the technician to compare with
    /// what `tps-keys device certify` prints.
    pub fingerprint: String,
}

impl RequestWritten {
    /// What to take to the authority, in both languages.
    pub fn instructions(&self) -> Bilingual {
        let file = self.path.file_name().unwrap_or_default().to_string_lossy();
        let cert = certificate_name(&self.device_id);
        Bilingual::new(
            format!(
                "Permintaan sertifikat {file} (kunci {}) ada di USB. Bawa USB ke otoritas (KPU \
                 Kabupaten/Kota); bawa kembali di USB yang sama: {cert}, {STICK_PACKAGE} dan \
                 {STICK_AUTHORITY}. Kunci rahasia perangkat tidak pernah meninggalkan perangkat.",
                self.fingerprint
            ),
            format!(
                "The certificate request {file} (key {}) is on the USB stick. Take the stick to \
                 the authority (KPU Kabupaten/Kota); bring back on it: {cert}, {STICK_PACKAGE} \
                 and {STICK_AUTHORITY}. The device's secret key never leaves the device.",
                self.fingerprint
            ),
        )
    }
}

/// Makes the device key if the device has none (0600, never replaced) and writes its
/// certificate request for `device_id` to the stick at `stick` (replacing an earlier one).
pub fn request(dir: &DataDir, device_id: &str, stick: &Path) -> Result<RequestWritten, EnrolError> {
    check_stick(stick)?;
    std::fs::create_dir_all(&dir.dir).map_err(io(&dir.dir))?;
    let key = match device_key(dir)? {
        Some(key) => key,
        None => {
            let key = keyfile::generate_signing_key().map_err(|_| EnrolError::Random)?;
            keyfile::write_key(
                &dir.device_key(),
                &KeyText {
                    kind: KeyKind::DeviceSecret,
                    bytes: key.to_bytes(),
                    comments: Vec::new(),
                },
            )
            .map_err(key_error)?;
            key
        }
    };
    let request =
        CertificateRequest::create(device_id, &key).map_err(|e| EnrolError::Certificate {
            why: Bilingual::new(e.message(Lang::Id), e.message(Lang::En)),
        })?;
    let path = stick.join(request_name(device_id));
    atomic::replace(&path, &request, 0o644).map_err(io(&path))?;
    Ok(RequestWritten {
        path,
        device_id: device_id.to_string(),
        fingerprint: hex::encode(&key.verifying_key().to_bytes()[..8]),
    })
}

/// Checked files from the stick, ready to install once the technician confirms.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The election package.
    pub package: ElectionPackage,
    /// The device certificate.
    pub certificate: DeviceCertificate,
    /// Made by a development authority: for the simulator, never an election.
    pub development: bool,
    authority_text: String,
    certificate_bytes: Vec<u8>,
    package_bytes: Vec<u8>,
    device_key: SigningKey,
}

impl Offer {
    /// What the technician confirms: the TPS, its place, the election and this device.
    pub fn summary(&self) -> Bilingual {
        let p = &self.package;
        let place = format!(
            "{}, {}, {}, {}, {}",
            p.address, p.region.village, p.region.district, p.region.regency, p.region.province
        );
        let dev = if self.development {
            (" (UJI COBA)", " (DEVELOPMENT)")
        } else {
            ("", "")
        };
        Bilingual::new(
            format!(
                "TPS {}\n{place}\n{} {}{}\nPerangkat {}",
                p.tps,
                p.election.name(),
                p.date,
                dev.0,
                self.certificate.device_id
            ),
            format!(
                "TPS {}\n{place}\n{} {}{}\nDevice {}",
                p.tps,
                p.election.name(),
                p.date,
                dev.1,
                self.certificate.device_id
            ),
        )
    }
}

fn bilingual_cert(e: &CertificateError) -> Bilingual {
    Bilingual::new(e.message(Lang::Id), e.message(Lang::En))
}

fn bilingual_package(e: &PackageError) -> Bilingual {
    Bilingual::new(e.message(Lang::Id), e.message(Lang::En))
}

/// Reads and checks the files the authority sent back on the stick for device `device_id`.
pub fn inspect(dir: &DataDir, device_id: &str, stick: &Path) -> Result<Offer, EnrolError> {
    let key = device_key(dir)?.ok_or(EnrolError::NoDeviceKey)?;
    check_stick(stick)?;

    let authority_bytes = read_stick(stick, STICK_AUTHORITY, MAX_KEY_FILE)?;
    let authority_text = String::from_utf8(authority_bytes).map_err(|_| EnrolError::Authority {
        why: "not text".into(),
    })?;
    let authority_path = stick.join(STICK_AUTHORITY);
    let parsed = KeyText::parse(&authority_text, KeyKind::AuthorityPublic, &authority_path)
        .map_err(|e| EnrolError::Authority { why: e.to_string() })?;
    let authority = VerifyingKey::from_bytes(&parsed.bytes)
        .ok()
        .filter(|k| !k.is_weak())
        .ok_or_else(|| EnrolError::Authority {
            why: "not a usable ed25519 key".into(),
        })?;

    let cert_name = certificate_name(device_id);
    let certificate_bytes = read_stick(stick, &cert_name, MAX_CERTIFICATE_FILE as u64)?;
    let unverified = DeviceCertificate::read_unverified(&certificate_bytes).map_err(|e| {
        EnrolError::Certificate {
            why: bilingual_cert(&e),
        }
    })?;
    if unverified.public_key != key.verifying_key().to_bytes() {
        return Err(EnrolError::AnotherDevicesCertificate {
            device: unverified.device_id.to_string(),
        });
    }
    let certificate =
        DeviceCertificate::read(&certificate_bytes, &authority).map_err(|e| match e {
            CertificateError::Envelope(EnvelopeError::BadSignature { .. })
            | CertificateError::WrongAuthority => EnrolError::CertificateForeignAuthority,
            e => EnrolError::Certificate {
                why: bilingual_cert(&e),
            },
        })?;

    let package_bytes = read_stick(stick, STICK_PACKAGE, MAX_PACKAGE_FILE as u64)?;
    let package = ElectionPackage::read(&package_bytes, &authority).map_err(|e| match e {
        PackageError::Envelope(EnvelopeError::BadSignature { .. }) => {
            EnrolError::PackageForeignAuthority
        }
        e => EnrolError::Package {
            why: bilingual_package(&e),
        },
    })?;
    if !package.names_device(&certificate.device_id) {
        return Err(EnrolError::PackageForAnotherDevice {
            device: certificate.device_id.to_string(),
        });
    }
    let development = certificate.development
        || parsed
            .comments
            .iter()
            .any(|c| c.contains(super::provision::DEVELOPMENT_NOTE));
    Ok(Offer {
        package,
        certificate,
        development,
        authority_text,
        certificate_bytes,
        package_bytes,
        device_key: key,
    })
}

/// Installs `offer` with the technician PIN typed twice: all of it or nothing. Each file is
/// staged beside its place and synced first; the certificate, whose presence makes the device
/// provisioned ([`DataDir::is_provisioned`]), is renamed into place last, so a power cut before
/// it leaves the device unprovisioned, as it was.
pub fn install(dir: &DataDir, offer: &Offer, first: &str, second: &str) -> Result<(), EnrolError> {
    if dir.is_provisioned() {
        return Err(EnrolError::AlreadyProvisioned);
    }
    let procedure = offer.package.procedure().map_err(|e| EnrolError::Package {
        why: bilingual_package(&e),
    })?;
    let pin = technician::check_new(first, second, &procedure.pin)?;
    let pin_file = technician::sealed(&offer.device_key, &procedure.pin, &pin)?;
    let files: [(PathBuf, &[u8], u32); 4] = [
        (dir.authority_pub(), offer.authority_text.as_bytes(), 0o644),
        (dir.package(), &offer.package_bytes, 0o644),
        (dir.technician_pin(), &pin_file, 0o600),
        (dir.certificate(), &offer.certificate_bytes, 0o644),
    ];
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes, mode) in &files {
        match atomic::stage(path, bytes, *mode) {
            Ok(tmp) => staged.push((tmp, path.clone())),
            Err(source) => {
                for (tmp, _) in &staged {
                    let _ = std::fs::remove_file(tmp);
                }
                return Err(EnrolError::Io {
                    path: path.clone(),
                    source,
                });
            }
        }
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path).map_err(io(path))?;
    }
    atomic::sync_dir(&dir.certificate()).map_err(io(&dir.dir))
}

/// Puts the election's files aside in `DIR/archive/NAME/` (the journal, the certificate, the
/// package, the authority key, the technician PIN), the certificate first, so the device is
/// unprovisioned from the first rename on and can be provisioned again; the mirror on the stick
/// becomes `journal-NAME.tpsj` beside it. The device key stays.
/// Call only behind the technician PIN.
pub fn retire(dir: &DataDir, name: &str) -> Result<PathBuf, EnrolError> {
    let archives = dir.dir.join("archive");
    std::fs::create_dir_all(&archives).map_err(io(&archives))?;
    let archive = archives.join(name);
    // Never mixes two elections' files: an archive of that name already there is refused.
    std::fs::create_dir(&archive).map_err(io(&archive))?;
    // The stick first: the mirror is renamed on the stick (a rename does not cross devices), so
    // the next election's journal is never taken for its copy. When that fails (a read-only or
    // pulled stick), nothing on the device has moved yet.
    let mirror = dir.journal().mirror;
    let aside = mirror.with_file_name(format!("journal-{name}.tpsj"));
    let mirror_moved = match std::fs::rename(&mirror, &aside) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(source) => {
            let _ = std::fs::remove_dir(&archive);
            return Err(EnrolError::Io {
                path: mirror,
                source,
            });
        }
    };
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in [
        dir.certificate(),
        dir.journal().primary,
        dir.package(),
        dir.authority_pub(),
        dir.technician_pin(),
    ] {
        let Some(file_name) = path.file_name() else {
            continue;
        };
        let to = archive.join(file_name);
        match std::fs::rename(&path, &to) {
            Ok(()) => moved.push((path, to)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                // All or nothing: what moved goes back (best effort: the error is the one the
                // technician needs to see), the stick's copy too.
                for (from, to) in moved.iter().rev() {
                    let _ = std::fs::rename(to, from);
                }
                if mirror_moved {
                    let _ = std::fs::rename(&aside, &mirror);
                }
                let _ = std::fs::remove_dir(&archive);
                return Err(EnrolError::Io { path, source });
            }
        }
    }
    atomic::sync_dir(&dir.certificate()).map_err(io(&dir.dir))?;
    Ok(archive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kiosk::files::Identity;
    use crate::kiosk::technician::Gate;
    use tps_journal::identity::cert::CertificateRequest;

    const PACKAGE: &str = include_str!("../../../keys/examples/election-pemilu-2024.toml");
    const ID: &str = "pi-0001";
    const PIN: &str = "271828";

    struct World {
        _tmp: tempfile::TempDir,
        dir: DataDir,
        stick: PathBuf,
        authority: SigningKey,
    }

    fn world() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path().join("data"));
        let stick = tmp.path().join("stick");
        std::fs::create_dir_all(&stick).unwrap();
        World {
            dir,
            stick,
            authority: SigningKey::from_bytes(&[9; 32]),
            _tmp: tmp,
        }
    }

    fn write_authority(stick: &Path, key: &SigningKey) {
        let text = KeyText {
            kind: KeyKind::AuthorityPublic,
            bytes: key.verifying_key().to_bytes(),
            comments: vec![],
        };
        std::fs::write(stick.join(STICK_AUTHORITY), text.render()).unwrap();
    }

    /// The authority's part: certify the request on the stick, build the package for `devices`.
    fn authority_answers(w: &World, signer: &SigningKey, devices: &[&str]) {
        let req = std::fs::read(w.stick.join(request_name(ID))).unwrap();
        let req = CertificateRequest::read(&req).unwrap();
        let cert = DeviceCertificate::issue(&req, signer, 0, i64::MAX / 2, false).unwrap();
        std::fs::write(w.stick.join(certificate_name(ID)), cert).unwrap();
        let package = ElectionPackage::from_toml(PACKAGE)
            .unwrap()
            .for_devices(devices)
            .unwrap();
        std::fs::write(w.stick.join(STICK_PACKAGE), package.seal(signer)).unwrap();
        write_authority(&w.stick, &w.authority);
    }

    /// The data directory's files and their bytes, to show nothing changed.
    fn snapshot(dir: &DataDir) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<_> = std::fs::read_dir(&dir.dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                (e.file_name().to_string_lossy().into_owned(), bytes)
            })
            .collect();
        out.sort();
        out
    }

    fn refused(w: &World) -> EnrolError {
        let before = snapshot(&w.dir);
        let e = match inspect(&w.dir, ID, &w.stick) {
            Ok(offer) => install(&w.dir, &offer, PIN, PIN).unwrap_err(),
            Err(e) => e,
        };
        assert_eq!(snapshot(&w.dir), before, "nothing installed after {e:?}");
        assert!(!w.dir.is_provisioned());
        assert!(e.message(Lang::Id).ends_with("Tidak ada yang dipasang."));
        assert!(e.message(Lang::En).ends_with("Nothing was installed."));
        e
    }

    #[test]
    fn a_blank_device_is_provisioned_from_the_stick_and_starts() {
        let w = world();
        let written = request(&w.dir, ID, &w.stick).unwrap();
        assert_eq!(written.path, w.stick.join("pi-0001.req"));
        assert!(written.instructions().id.contains("pi-0001.crt"));
        assert!(written.instructions().en.contains("authority"));
        // Asking again keeps the key: the request is for the same key.
        let again = request(&w.dir, ID, &w.stick).unwrap();
        assert_eq!(again.fingerprint, written.fingerprint);
        assert!(!w.dir.is_provisioned());

        authority_answers(&w, &w.authority, &[ID]);
        let offer = inspect(&w.dir, ID, &w.stick).unwrap();
        let summary = offer.summary();
        assert!(summary.id.contains(&offer.package.tps.to_string()));
        assert!(summary.en.contains("Device pi-0001"));
        // A weak or mismatched technician PIN installs nothing.
        assert!(matches!(
            install(&w.dir, &offer, "111111", "111111"),
            Err(EnrolError::Technician(TechnicianError::Weak(_)))
        ));
        assert!(matches!(
            install(&w.dir, &offer, PIN, "271829"),
            Err(EnrolError::Technician(TechnicianError::Mismatch))
        ));
        assert!(!w.dir.is_provisioned());
        install(&w.dir, &offer, PIN, PIN).unwrap();
        assert!(w.dir.is_provisioned());
        let identity = Identity::load(&w.dir).unwrap();
        assert_eq!(identity.certificate.device_id.as_str(), ID);
        Gate::new(0)
            .unlock_device(&w.dir, &identity, PIN, 1)
            .unwrap();
        // Once provisioned, the stick cannot provision it over.
        assert!(matches!(
            install(&w.dir, &offer, PIN, PIN),
            Err(EnrolError::AlreadyProvisioned)
        ));
        // Retired (behind the technician PIN), the election is kept aside and it can be again.
        let archive = retire(&w.dir, "3204-2024-02-14").unwrap();
        assert!(archive.join("device.crt").exists() && archive.join("package.tpsp").exists());
        assert!(!w.dir.is_provisioned());
        assert!(
            retire(&w.dir, "3204-2024-02-14").is_err(),
            "an archive is never mixed"
        );
        install(&w.dir, &inspect(&w.dir, ID, &w.stick).unwrap(), PIN, PIN).unwrap();
        assert!(Identity::load(&w.dir).is_ok());
    }

    /// A stick whose copy cannot be put aside (here a folder in the way of its new name) stops
    /// the retirement before anything on the device moves: all or nothing.
    #[test]
    fn a_stick_that_cannot_take_the_rename_retires_nothing() {
        let w = world();
        request(&w.dir, ID, &w.stick).unwrap();
        authority_answers(&w, &w.authority, &[ID]);
        install(&w.dir, &inspect(&w.dir, ID, &w.stick).unwrap(), PIN, PIN).unwrap();
        let paths = w.dir.journal();
        std::fs::create_dir_all(paths.mirror.parent().unwrap()).unwrap();
        std::fs::write(&paths.primary, b"primary").unwrap();
        std::fs::write(&paths.mirror, b"mirror").unwrap();
        let blocker = paths.mirror.with_file_name("journal-3204-2024-02-14.tpsj");
        std::fs::create_dir(&blocker).unwrap();
        std::fs::write(blocker.join("x"), b"x").unwrap();

        let e = retire(&w.dir, "3204-2024-02-14").unwrap_err();
        assert!(matches!(e, EnrolError::Io { .. }), "{e:?}");
        assert!(w.dir.is_provisioned());
        assert_eq!(std::fs::read(&paths.primary).unwrap(), b"primary");
        assert_eq!(std::fs::read(&paths.mirror).unwrap(), b"mirror");
        assert!(!w.dir.dir.join("archive/3204-2024-02-14").exists());

        std::fs::remove_dir_all(&blocker).unwrap();
        let archive = retire(&w.dir, "3204-2024-02-14").unwrap();
        assert_eq!(
            std::fs::read(archive.join("journal.tpsj")).unwrap(),
            b"primary"
        );
        assert_eq!(std::fs::read(&blocker).unwrap(), b"mirror");
        assert!(!w.dir.is_provisioned());
    }

    #[test]
    fn another_devices_certificate_or_package_is_refused() {
        let w = world();
        request(&w.dir, ID, &w.stick).unwrap();
        authority_answers(&w, &w.authority, &["pi-0002"]);
        assert!(matches!(
            refused(&w),
            EnrolError::PackageForAnotherDevice { .. }
        ));
        // A certificate for another device's key (its request, certified by the same authority).
        let other = SigningKey::from_bytes(&[3; 32]);
        let req =
            CertificateRequest::read(&CertificateRequest::create(ID, &other).unwrap()).unwrap();
        let cert = DeviceCertificate::issue(&req, &w.authority, 0, 1 << 40, false).unwrap();
        std::fs::write(w.stick.join(certificate_name(ID)), cert).unwrap();
        let e = refused(&w);
        assert!(
            matches!(e, EnrolError::AnotherDevicesCertificate { .. }),
            "{e:?}"
        );
        assert!(e.message(Lang::En).contains("another device's"));
    }

    #[test]
    fn a_foreign_authority_is_refused() {
        let w = world();
        request(&w.dir, ID, &w.stick).unwrap();
        let foreign = SigningKey::from_bytes(&[4; 32]);
        authority_answers(&w, &foreign, &[ID]);
        assert!(matches!(
            refused(&w),
            EnrolError::CertificateForeignAuthority
        ));
        // The certificate is the authority's, the package a foreign one's.
        authority_answers(&w, &w.authority, &[ID]);
        let package = ElectionPackage::from_toml(PACKAGE)
            .unwrap()
            .for_devices(&[ID])
            .unwrap();
        std::fs::write(w.stick.join(STICK_PACKAGE), package.seal(&foreign)).unwrap();
        assert!(matches!(refused(&w), EnrolError::PackageForeignAuthority));
    }

    #[test]
    fn truncated_huge_linked_or_fifo_files_are_refused() {
        let w = world();
        request(&w.dir, ID, &w.stick).unwrap();
        authority_answers(&w, &w.authority, &[ID]);
        for name in [
            certificate_name(ID),
            STICK_PACKAGE.to_string(),
            STICK_AUTHORITY.to_string(),
        ] {
            let path = w.stick.join(&name);
            let good = std::fs::read(&path).unwrap();
            // A key file without its last newline is still the key; the signed files are not.
            let last = if name == STICK_AUTHORITY {
                1
            } else {
                good.len() - 1
            };
            for len in [0, 1, good.len() / 2, last] {
                std::fs::write(&path, &good[..len]).unwrap();
                refused(&w);
            }
            std::fs::write(&path, vec![b'7'; 50 << 20]).unwrap();
            let e = refused(&w);
            assert!(matches!(e, EnrolError::StickFile { .. }), "{name}: {e:?}");
            std::fs::remove_file(&path).unwrap();
            assert!(refused(&w).message(Lang::Id).contains("tidak ada"));
            let elsewhere = w.stick.join("elsewhere");
            std::fs::write(&elsewhere, &good).unwrap();
            std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
            assert!(refused(&w).message(Lang::En).contains("symbolic link"));
            std::fs::remove_file(&path).unwrap();
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&path)
                    .status()
                    .unwrap()
                    .success()
            );
            assert!(refused(&w).message(Lang::En).contains("not a regular file"));
            std::fs::remove_file(&path).unwrap();
            std::fs::write(&path, &good).unwrap();
        }
        assert!(inspect(&w.dir, ID, &w.stick).is_ok());
    }

    #[test]
    fn a_stick_folder_that_is_a_link_is_neither_read_nor_written() {
        let w = world();
        request(&w.dir, ID, &w.stick).unwrap();
        authority_answers(&w, &w.authority, &[ID]);
        // The stick's folder replaced by a link to a folder elsewhere holding a sound answer.
        let elsewhere = w.stick.with_file_name("elsewhere");
        std::fs::rename(&w.stick, &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &w.stick).unwrap();
        let e = refused(&w);
        assert!(matches!(e, EnrolError::StickFile { .. }), "{e:?}");
        std::fs::remove_file(elsewhere.join(request_name(ID))).unwrap();
        assert!(matches!(
            request(&w.dir, ID, &w.stick),
            Err(EnrolError::StickFile { .. })
        ));
        assert!(!elsewhere.join(request_name(ID)).exists());
    }

    #[test]
    fn without_a_device_key_nothing_is_inspected() {
        let w = world();
        assert!(matches!(
            inspect(&w.dir, ID, &w.stick),
            Err(EnrolError::NoDeviceKey)
        ));
        // A device key others can read is not used, and not replaced.
        request(&w.dir, ID, &w.stick).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(w.dir.device_key(), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let key = std::fs::read(w.dir.device_key()).unwrap();
        assert!(matches!(
            request(&w.dir, ID, &w.stick),
            Err(EnrolError::DeviceKey { .. })
        ));
        assert_eq!(std::fs::read(w.dir.device_key()).unwrap(), key);
    }
}
