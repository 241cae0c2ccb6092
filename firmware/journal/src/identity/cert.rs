//! Certificate requests (made on the device) and device certificates (signed by the authority).

use ed25519_dalek::{SigningKey, VerifyingKey};
use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

use super::signed::{self, EnvelopeError, SignedKind};
use tps_base::bounded::Text;
use tps_base::text::Lang;

/// What a device sends to be certified; signed by the device key itself, which proves the
/// requester holds the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct CertificateRequest {
    /// The device's id, as the package's device list names it.
    pub device_id: Text<32>,
    /// The device's ed25519 public key.
    pub public_key: [u8; 32],
}

/// The authority's statement that a device key belongs to a device, for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct DeviceCertificate {
    /// The device's id, as the package's device list names it.
    pub device_id: Text<32>,
    /// The device's ed25519 public key.
    pub public_key: [u8; 32],
    /// Unix milliseconds.
    pub not_before_ms: i64,
    /// The last moment it is valid (unix ms).
    pub not_after_ms: i64,
    /// Issued by a development authority (the simulator's): never valid for an election.
    pub development: bool,
    /// The issuing authority's public key, so a verifier can say which authority it expected.
    pub authority: [u8; 32],
}

/// Size limit of a signed certificate or request file.
pub const MAX_CERTIFICATE_FILE: usize = 8 + DeviceCertificate::POSTCARD_MAX_SIZE + 64;

/// Why a certificate or request is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum CertificateError {
    /// The signed envelope around the certificate or request is not sound.
    Envelope(#[from] EnvelopeError),
    /// The device id is empty or has characters other than letters, digits, `-` and `_`.
    BadDeviceId,
    /// The device public key does not decode as an ed25519 point.
    BadPublicKey,
    /// The device public key is of small order: anyone could forge its signatures.
    WeakPublicKey,
    /// `not_before_ms` is after `not_after_ms`: no instant is inside the validity period.
    BadValidity,
    /// The certificate's `authority` field names another key than the one that signed it.
    WrongAuthority,
}

impl CertificateError {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let text = match (self, lang) {
            (CertificateError::Envelope(e), _) => return e.message(lang),
            (CertificateError::BadDeviceId, Lang::Id) => {
                "id perangkat kosong atau berisi karakter selain huruf, angka, '-' dan '_'"
            }
            (CertificateError::BadDeviceId, Lang::En) => {
                "the device id is empty or has characters other than letters, digits, '-' and '_'"
            }
            (CertificateError::BadPublicKey, Lang::Id) => {
                "kunci publik perangkat bukan kunci ed25519 yang sah"
            }
            (CertificateError::BadPublicKey, Lang::En) => {
                "the device public key is not a valid ed25519 key"
            }
            (CertificateError::WeakPublicKey, Lang::Id) => {
                "kunci publik perangkat lemah (berorde kecil)"
            }
            (CertificateError::WeakPublicKey, Lang::En) => {
                "the device public key is weak (small order)"
            }
            (CertificateError::BadValidity, Lang::Id) => {
                "masa berlaku kosong atau terbalik (berakhir sebelum dimulai)"
            }
            (CertificateError::BadValidity, Lang::En) => {
                "the validity period is empty or runs backwards"
            }
            (CertificateError::WrongAuthority, Lang::Id) => {
                "otoritas yang tertulis di sertifikat bukan otoritas yang menandatanganinya"
            }
            (CertificateError::WrongAuthority, Lang::En) => {
                "the certificate names another authority than the one that signed it"
            }
        };
        text.to_string()
    }
}

/// A device id: 1 to 32 letters, digits, '-' or '_'.
pub fn parse_device_id(id: &str) -> Result<Text<32>, CertificateError> {
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(CertificateError::BadDeviceId);
    }
    Text::new(id).map_err(|_| CertificateError::BadDeviceId)
}

fn strong_key(bytes: &[u8; 32]) -> Result<VerifyingKey, CertificateError> {
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| CertificateError::BadPublicKey)?;
    if key.is_weak() {
        return Err(CertificateError::WeakPublicKey);
    }
    Ok(key)
}

impl CertificateRequest {
    /// A request for `device_key`, signed by it.
    pub fn create(device_id: &str, device_key: &SigningKey) -> Result<Vec<u8>, CertificateError> {
        let request = CertificateRequest {
            device_id: parse_device_id(device_id)?,
            public_key: device_key.verifying_key().to_bytes(),
        };
        Ok(signed::seal(
            SignedKind::CertificateRequest,
            device_key,
            &request,
        ))
    }

    /// Reads a request file and checks that the requesting key signed it.
    pub fn read(bytes: &[u8]) -> Result<Self, CertificateError> {
        let opened = signed::open::<CertificateRequest>(
            SignedKind::CertificateRequest,
            bytes,
            MAX_CERTIFICATE_FILE,
        )?;
        parse_device_id(&opened.value.device_id)?;
        let key = strong_key(&opened.value.public_key)?;
        Ok(opened.verified_by(SignedKind::CertificateRequest, &key)?)
    }
}

impl DeviceCertificate {
    /// Issues a certificate for a checked request.
    pub fn issue(
        request: &CertificateRequest,
        authority: &SigningKey,
        not_before_ms: i64,
        not_after_ms: i64,
        development: bool,
    ) -> Result<Vec<u8>, CertificateError> {
        if not_after_ms <= not_before_ms {
            return Err(CertificateError::BadValidity);
        }
        let cert = DeviceCertificate {
            device_id: request.device_id.clone(),
            public_key: request.public_key,
            not_before_ms,
            not_after_ms,
            development,
            authority: authority.verifying_key().to_bytes(),
        };
        Ok(signed::seal(
            SignedKind::DeviceCertificate,
            authority,
            &cert,
        ))
    }

    /// Reads a certificate file and checks the authority's signature (strictly), then its
    /// fields: the `authority` field is that authority's key, `not_before_ms <= not_after_ms`,
    /// a well-formed device id.
    pub fn read(bytes: &[u8], authority: &VerifyingKey) -> Result<Self, CertificateError> {
        let opened = signed::open::<DeviceCertificate>(
            SignedKind::DeviceCertificate,
            bytes,
            MAX_CERTIFICATE_FILE,
        )?;
        let cert = opened.verified_by(SignedKind::DeviceCertificate, authority)?;
        if cert.authority != authority.to_bytes() {
            return Err(CertificateError::WrongAuthority);
        }
        if cert.not_before_ms > cert.not_after_ms {
            return Err(CertificateError::BadValidity);
        }
        parse_device_id(&cert.device_id)?;
        Ok(cert)
    }

    /// Reads a certificate file without checking who signed it (to show it, or to say which
    /// authority it names).
    pub fn read_unverified(bytes: &[u8]) -> Result<Self, CertificateError> {
        let opened = signed::open::<DeviceCertificate>(
            SignedKind::DeviceCertificate,
            bytes,
            MAX_CERTIFICATE_FILE,
        )?;
        Ok(opened.value)
    }

    /// The device's public key, refusing weak keys.
    pub fn device_key(&self) -> Result<VerifyingKey, CertificateError> {
        strong_key(&self.public_key)
    }

    /// Whether the certificate is valid at `unix_ms`.
    pub fn valid_at(&self, unix_ms: i64) -> bool {
        (self.not_before_ms..=self.not_after_ms).contains(&unix_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_certify_read_round_trip() {
        let device = SigningKey::from_bytes(&[3; 32]);
        let authority = SigningKey::from_bytes(&[4; 32]);
        let req =
            CertificateRequest::read(&CertificateRequest::create("pi-0001", &device).unwrap())
                .unwrap();
        let cert_file = DeviceCertificate::issue(&req, &authority, 0, 1_000, false).unwrap();
        let cert = DeviceCertificate::read(&cert_file, &authority.verifying_key()).unwrap();
        assert_eq!(cert.public_key, device.verifying_key().to_bytes());
        assert!(cert.valid_at(500));
        assert!(!cert.valid_at(1_001));
        let other = SigningKey::from_bytes(&[5; 32]);
        assert!(matches!(
            DeviceCertificate::read(&cert_file, &other.verifying_key()),
            Err(CertificateError::Envelope(
                EnvelopeError::BadSignature { .. }
            ))
        ));
    }

    /// A certificate sealed by `authority` with fields a correct issuer never writes.
    fn sealed(authority: &SigningKey, edit: impl FnOnce(&mut DeviceCertificate)) -> Vec<u8> {
        let mut cert = DeviceCertificate {
            device_id: Text::new("pi-0001").unwrap(),
            public_key: SigningKey::from_bytes(&[3; 32]).verifying_key().to_bytes(),
            not_before_ms: 0,
            not_after_ms: 1_000,
            development: false,
            authority: authority.verifying_key().to_bytes(),
        };
        edit(&mut cert);
        signed::seal(SignedKind::DeviceCertificate, authority, &cert)
    }

    #[test]
    fn a_signed_certificate_with_wrong_fields_is_refused() {
        let authority = SigningKey::from_bytes(&[4; 32]);
        let key = authority.verifying_key();
        let other = SigningKey::from_bytes(&[5; 32]).verifying_key().to_bytes();
        assert!(DeviceCertificate::read(&sealed(&authority, |_| ()), &key).is_ok());
        type Edit = fn(&mut DeviceCertificate, [u8; 32]);
        let cases: [(Edit, CertificateError); 3] = [
            (
                |c, other| c.authority = other,
                CertificateError::WrongAuthority,
            ),
            (
                |c, _| c.not_before_ms = 1_001,
                CertificateError::BadValidity,
            ),
            (
                |c, _| c.device_id = Text::new("pi 1").unwrap(),
                CertificateError::BadDeviceId,
            ),
        ];
        for (edit, expected) in cases {
            let file = sealed(&authority, |c| edit(c, other));
            assert_eq!(DeviceCertificate::read(&file, &key), Err(expected));
        }
        // Inclusive bounds, so not_before == not_after is one valid instant.
        let instant = sealed(&authority, |c| c.not_after_ms = 0);
        let cert = DeviceCertificate::read(&instant, &key).unwrap();
        assert!(cert.valid_at(0) && !cert.valid_at(1) && !cert.valid_at(-1));
    }

    #[test]
    fn bad_requests_are_refused() {
        let device = SigningKey::from_bytes(&[3; 32]);
        assert_eq!(
            CertificateRequest::create("pi 0001", &device).unwrap_err(),
            CertificateError::BadDeviceId
        );
        let mut file = CertificateRequest::create("pi-1", &device).unwrap();
        let last = file.len() - 1;
        file[last] ^= 0x40;
        assert!(matches!(
            CertificateRequest::read(&file),
            Err(CertificateError::Envelope(
                EnvelopeError::BadSignature { .. }
            ))
        ));
    }
}
