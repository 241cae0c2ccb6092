//! The authority's side of provisioning in a scenario (`do = "authority-answers"`): what
//! `tps-keys device certify` and `package build` would put on the stick, done with the same
//! library functions, and each way the answer can be wrong.

use ed25519_dalek::SigningKey;
use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_firmware::identity::keyfile::{KeyKind, KeyText};
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::kiosk::enrol::{STICK_AUTHORITY, STICK_PACKAGE, certificate_name, request_name};
use tps_firmware::time::{LocalTime, instant_at};
use tps_hal_sim::{HostileFile, SimUsbStick};

use super::parse::{Fields, ScenarioError};

const DAY_MS: i64 = 86_400_000;

/// What the scenario asks of the authority's answer.
pub(super) struct Answer {
    /// Certify another key than the one in the device's request.
    another_key: bool,
    /// The package names another device.
    package_for_another: bool,
    /// Who signs the certificate and the package: the authority whose key is on the stick, or
    /// a foreign one.
    certificate_foreign: bool,
    package_foreign: bool,
    damage: Option<String>,
}

impl Answer {
    pub(super) fn read(f: &Fields<'_>) -> Result<Self, ScenarioError> {
        let choice = |key: &str, normal: &str, odd: &str| -> Result<bool, ScenarioError> {
            match f.string(key)? {
                None => Ok(false),
                Some(v) if v == normal => Ok(false),
                Some(v) if v == odd => Ok(true),
                Some(v) => Err(f.error(format!("{key} = \"{v}\" is not {normal} or {odd}"))),
            }
        };
        let answer = Answer {
            another_key: choice("certificate", "this-device", "another-device")?,
            package_for_another: choice("package_for", "this-device", "another-device")?,
            certificate_foreign: choice("certificate_signed_by", "authority", "foreign")?,
            package_foreign: choice("package_signed_by", "authority", "foreign")?,
            damage: f.string("damage")?,
        };
        if let Some(d) = &answer.damage
            && !DAMAGE.contains(&d.as_str())
        {
            return Err(f.error(format!(
                "damage = \"{d}\" is not one of {}",
                DAMAGE.join(", ")
            )));
        }
        Ok(answer)
    }

    /// Writes the answer for device `device_id` to the stick at `stick`, from the request the
    /// device left there.
    pub(super) fn write(
        &self,
        usb: &SimUsbStick,
        device_id: &str,
        package_toml: &str,
        authority: &SigningKey,
    ) -> Result<(), String> {
        let stick = usb.mirror_dir();
        let foreign = SigningKey::from_bytes(&[0x5a; 32]);
        let request_path = stick.join(request_name(device_id));
        let bytes =
            std::fs::read(&request_path).map_err(|e| format!("{}: {e}", request_path.display()))?;
        let mut request = CertificateRequest::read(&bytes).map_err(|e| e.to_string())?;
        if self.another_key {
            request.public_key = SigningKey::from_bytes(&[0x17; 32])
                .verifying_key()
                .to_bytes();
        }
        let package = ElectionPackage::from_toml(package_toml).map_err(|e| e.to_string())?;
        let named = if self.package_for_another {
            "pi-other"
        } else {
            device_id
        };
        let package = package.for_devices(&[named]).map_err(|e| e.to_string())?;
        let day = instant_at(package.date, LocalTime::new(0, 0), package.zone).unwrap_or(0);
        let cert_signer = if self.certificate_foreign {
            &foreign
        } else {
            authority
        };
        let certificate = DeviceCertificate::issue(
            &request,
            cert_signer,
            day - 90 * DAY_MS,
            day + 90 * DAY_MS,
            false,
        )
        .map_err(|e| e.to_string())?;
        let package_signer = if self.package_foreign {
            &foreign
        } else {
            authority
        };
        let key = KeyText {
            kind: KeyKind::AuthorityPublic,
            bytes: authority.verifying_key().to_bytes(),
            comments: Vec::new(),
        };
        let files = [
            (certificate_name(device_id), certificate),
            (STICK_PACKAGE.to_string(), package.seal(package_signer)),
            (STICK_AUTHORITY.to_string(), key.render().into_bytes()),
        ];
        for (name, bytes) in files {
            let path = stick.join(&name);
            // The answer replaces whatever an earlier one left (a link, a pipe).
            let _ = std::fs::remove_file(&path);
            std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        match self.damage.as_deref() {
            Some(d) => damage(usb, device_id, d),
            None => Ok(()),
        }
    }
}

/// The ways a scenario can damage the answer on the stick: the file and what is made of it.
const DAMAGE: &[&str] = &[
    "truncate-certificate",
    "truncate-package",
    "huge-package",
    "link-certificate",
    "fifo-package",
];

fn damage(usb: &SimUsbStick, device_id: &str, how: &str) -> Result<(), String> {
    let cert = certificate_name(device_id);
    let (name, hostile) = match how {
        "truncate-certificate" => (cert.as_str(), HostileFile::Truncated),
        "truncate-package" => (STICK_PACKAGE, HostileFile::Truncated),
        "huge-package" => (STICK_PACKAGE, HostileFile::Huge(1 << 30)),
        "link-certificate" => (cert.as_str(), HostileFile::Link),
        "fifo-package" => (STICK_PACKAGE, HostileFile::Fifo),
        other => return Err(format!("unknown damage {other}")),
    };
    usb.spoil(name, hostile).map_err(|e| e.to_string())
}
