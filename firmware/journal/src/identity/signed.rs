//! Domain-separated signatures and the one envelope every signed file uses.
//!
//! A signed file is `MAGIC (8 bytes) || body || signature (64 bytes)`, where `body` is the postcard
//! encoding of the object and the signature is ed25519 over `CONTEXT || body`. The context is a
//! fixed prefix per kind of signed thing, so a signature over one kind can never pass as another.
//! Signatures are checked over the exact bytes in the file, never over a re-encoding.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::Serialize;
use serde::de::DeserializeOwned;

use tps_base::text::Lang;

/// Every kind of thing the project signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedKind {
    /// A record of a kiosk's journal.
    JournalRecord,
    /// A device's request to be certified.
    CertificateRequest,
    /// The authority's certificate of a device.
    DeviceCertificate,
    /// One TPS's election package.
    ElectionPackage,
    /// A printed report's receipt code.
    Report,
    /// The last QR code of a numbered sequence (a C.Hasil too large for one code).
    QrSequence,
}

impl SignedKind {
    /// The context prefixed to the signed bytes.
    pub fn context(self) -> &'static [u8] {
        match self {
            SignedKind::JournalRecord => b"tps-kiosk/v1/journal-record\0",
            SignedKind::CertificateRequest => b"tps-kiosk/v1/certificate-request\0",
            SignedKind::DeviceCertificate => b"tps-kiosk/v1/device-certificate\0",
            SignedKind::ElectionPackage => b"tps-kiosk/v1/election-package\0",
            SignedKind::Report => b"tps-kiosk/v1/report\0",
            SignedKind::QrSequence => b"tps-kiosk/v1/qr-sequence\0",
        }
    }

    /// The first 8 bytes of a file holding this kind (journal records live in a journal file,
    /// whose own magic is defined with the journal).
    pub fn magic(self) -> &'static [u8; 8] {
        match self {
            SignedKind::JournalRecord => b"TPSREC01",
            SignedKind::CertificateRequest => b"TPSREQ01",
            SignedKind::DeviceCertificate => b"TPSCRT01",
            SignedKind::ElectionPackage => b"TPSPKG01",
            SignedKind::Report => b"TPSRPT01",
            // Never a file: the magic only keeps the kinds' magics distinct.
            SignedKind::QrSequence => b"TPSQRS01",
        }
    }

    const ALL: [SignedKind; 6] = [
        SignedKind::JournalRecord,
        SignedKind::CertificateRequest,
        SignedKind::DeviceCertificate,
        SignedKind::ElectionPackage,
        SignedKind::Report,
        SignedKind::QrSequence,
    ];

    /// The kind's name in English running text.
    pub fn name(self) -> &'static str {
        self.name_in(Lang::En)
    }

    /// The kind's name in running text, in `lang`.
    pub fn name_in(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SignedKind::JournalRecord, Lang::Id) => "catatan jurnal",
            (SignedKind::JournalRecord, Lang::En) => "journal record",
            (SignedKind::CertificateRequest, Lang::Id) => "permintaan sertifikat",
            (SignedKind::CertificateRequest, Lang::En) => "certificate request",
            (SignedKind::DeviceCertificate, Lang::Id) => "sertifikat perangkat",
            (SignedKind::DeviceCertificate, Lang::En) => "device certificate",
            (SignedKind::ElectionPackage, Lang::Id) => "paket pemilu",
            (SignedKind::ElectionPackage, Lang::En) => "election package",
            (SignedKind::Report, Lang::Id) => "laporan",
            (SignedKind::Report, Lang::En) => "report",
            (SignedKind::QrSequence, Lang::Id) => "rangkaian QR",
            (SignedKind::QrSequence, Lang::En) => "QR sequence",
        }
    }

    fn from_magic(magic: &[u8]) -> Option<SignedKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.magic().as_slice() == magic)
    }
}

/// A kind's (English) [`SignedKind::name`] said in `lang`; an [`EnvelopeError`] holds the name.
fn named_in(name: &'static str, lang: Lang) -> &'static str {
    SignedKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .map_or(name, |k| k.name_in(lang))
}

/// The message actually signed: context then body.
pub fn signed_message(kind: SignedKind, body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(kind.context().len() + body.len());
    append_message(kind, body, &mut message);
    message
}

/// Appends the signed message for `body` to `buffer` (context, then body).
pub fn append_message(kind: SignedKind, body: &[u8], buffer: &mut Vec<u8>) {
    buffer.extend_from_slice(kind.context());
    buffer.extend_from_slice(body);
}

/// Signs `body` as a `kind` with `key` (the context first).
pub fn sign(kind: SignedKind, key: &SigningKey, body: &[u8]) -> [u8; 64] {
    key.sign(&signed_message(kind, body)).to_bytes()
}

/// Strict verification (rejects malleable signatures and small-order keys).
pub fn verify(kind: SignedKind, key: &VerifyingKey, body: &[u8], signature: &[u8; 64]) -> bool {
    !key.is_weak()
        && key
            .verify_strict(
                &signed_message(kind, body),
                &Signature::from_bytes(signature),
            )
            .is_ok()
}

/// Why a signed file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum EnvelopeError {
    /// Shorter than a magic and a signature.
    TooShort {
        /// The kind of file expected.
        expected: &'static str,
        /// The file's length.
        len: usize,
    },
    /// Longer than the largest file of its kind (FORMAT.md, Sizes): refused before decoding.
    TooLarge {
        /// The kind of file expected.
        expected: &'static str,
        /// The file's length.
        len: usize,
        /// The most a file of that kind holds.
        max: usize,
    },
    /// Another TPS Kiosk file than the one expected (a certificate where a package belongs).
    WrongKind {
        /// The kind of file expected.
        expected: &'static str,
        /// The kind the file is.
        found: &'static str,
    },
    /// The first bytes are no TPS Kiosk magic at all.
    NotOurs {
        /// The kind of file expected.
        expected: &'static str,
    },
    /// The body does not decode, or bytes follow it.
    Malformed {
        /// The kind of file expected.
        expected: &'static str,
        /// The decoder's words.
        detail: String,
    },
    /// The signature does not verify under the key by the strict rule.
    BadSignature {
        /// The kind of file expected.
        expected: &'static str,
    },
}

impl EnvelopeError {
    /// What is wrong, in `lang`. The decoder's own detail of a malformed file is technical
    /// English, so only the English says it.
    pub fn message(&self, lang: Lang) -> String {
        let kind = |name| named_in(name, lang);
        match (self, lang) {
            (EnvelopeError::TooShort { expected, len }, Lang::Id) => format!(
                "berkas {len} byte, terlalu pendek untuk {} bertanda tangan",
                kind(expected)
            ),
            (EnvelopeError::TooShort { expected, len }, Lang::En) => {
                format!("the file is {len} bytes, too short to be a signed {expected}")
            }
            (EnvelopeError::TooLarge { expected, len, max }, Lang::Id) => format!(
                "berkas {len} byte; {} paling besar {max} byte",
                kind(expected)
            ),
            (EnvelopeError::TooLarge { expected, len, max }, Lang::En) => {
                format!("the file is {len} bytes; {} is at most {max}", a(expected))
            }
            (EnvelopeError::WrongKind { expected, found }, Lang::Id) => {
                format!("ini {}, bukan {}", kind(found), kind(expected))
            }
            (EnvelopeError::WrongKind { expected, found }, Lang::En) => {
                format!("this is {}, not {}", a(found), a(expected))
            }
            (EnvelopeError::NotOurs { expected }, Lang::Id) => {
                format!("ini bukan berkas TPS Kiosk (seharusnya {})", kind(expected))
            }
            (EnvelopeError::NotOurs { expected }, Lang::En) => {
                format!("this is not a TPS Kiosk file (expected {})", a(expected))
            }
            (EnvelopeError::Malformed { expected, .. }, Lang::Id) => {
                format!("{} rusak: isinya tidak dapat dibaca", kind(expected))
            }
            (EnvelopeError::Malformed { expected, detail }, Lang::En) => {
                format!("the {expected} is malformed: {detail}")
            }
            (EnvelopeError::BadSignature { expected }, Lang::Id) => {
                format!("tanda tangan {} tidak sah", kind(expected))
            }
            (EnvelopeError::BadSignature { expected }, Lang::En) => {
                format!("the {expected}'s signature does not verify")
            }
        }
    }
}

/// `name` with its indefinite article: "an election package", "a report".
fn a(name: &str) -> String {
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// Encodes `value` and signs it into a file's bytes.
pub fn seal<T: Serialize>(kind: SignedKind, key: &SigningKey, value: &T) -> Vec<u8> {
    // postcard to a Vec only fails for types serde cannot express; ours are plain data.
    let body = postcard::to_stdvec(value).unwrap_or_default();
    let signature = sign(kind, key, &body);
    let mut out = Vec::with_capacity(8 + body.len() + 64);
    out.extend_from_slice(kind.magic());
    out.extend_from_slice(&body);
    out.extend_from_slice(&signature);
    out
}

/// A signed file taken apart but not yet trusted.
#[derive(Debug, Clone)]
pub struct Opened<'a, T> {
    /// The decoded body.
    pub value: T,
    /// The body's bytes, as signed.
    pub body: &'a [u8],
    /// The signature over the context and the body.
    pub signature: [u8; 64],
}

/// Splits and decodes a signed file of `kind`, at most `max` bytes, without checking the
/// signature (the caller knows which key should have made it).
pub fn open<T: DeserializeOwned>(
    kind: SignedKind,
    bytes: &[u8],
    max: usize,
) -> Result<Opened<'_, T>, EnvelopeError> {
    let expected = kind.name();
    // The kind first: a file of another kind is named as such, whatever its size.
    if bytes.len() >= 8 && bytes[..8] != kind.magic()[..] {
        return Err(wrong_kind(kind, &bytes[..8]));
    }
    if bytes.len() > max {
        return Err(EnvelopeError::TooLarge {
            expected,
            len: bytes.len(),
            max,
        });
    }
    if bytes.len() < 8 + 64 {
        return Err(EnvelopeError::TooShort {
            expected,
            len: bytes.len(),
        });
    }
    let rest = &bytes[8..];
    let (body, sig) = rest.split_at(rest.len() - 64);
    let mut signature = [0u8; 64];
    signature.copy_from_slice(sig);
    let (value, trailing) =
        postcard::take_from_bytes::<T>(body).map_err(|e| EnvelopeError::Malformed {
            expected,
            detail: e.to_string(),
        })?;
    if !trailing.is_empty() {
        return Err(EnvelopeError::Malformed {
            expected,
            detail: format!("{} unexpected bytes after the content", trailing.len()),
        });
    }
    Ok(Opened {
        value,
        body,
        signature,
    })
}

fn wrong_kind(expected: SignedKind, magic: &[u8]) -> EnvelopeError {
    match SignedKind::from_magic(magic) {
        Some(found) => EnvelopeError::WrongKind {
            expected: expected.name(),
            found: found.name(),
        },
        None => EnvelopeError::NotOurs {
            expected: expected.name(),
        },
    }
}

impl<T> Opened<'_, T> {
    /// The value, if `key` signed it as `kind`.
    pub fn verified_by(self, kind: SignedKind, key: &VerifyingKey) -> Result<T, EnvelopeError> {
        if verify(kind, key, self.body, &self.signature) {
            Ok(self.value)
        } else {
            Err(EnvelopeError::BadSignature {
                expected: kind.name(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn a_signature_for_one_kind_does_not_pass_as_another() {
        let k = key(1);
        let body = b"same bytes";
        let sig = sign(SignedKind::DeviceCertificate, &k, body);
        assert!(verify(
            SignedKind::DeviceCertificate,
            &k.verifying_key(),
            body,
            &sig
        ));
        assert!(!verify(
            SignedKind::ElectionPackage,
            &k.verifying_key(),
            body,
            &sig
        ));
    }

    #[test]
    fn sealed_files_open_and_name_what_is_wrong() {
        let k = key(2);
        let file = seal(SignedKind::Report, &k, &(7u32, 9u64));
        let opened = open::<(u32, u64)>(SignedKind::Report, &file, 1024).unwrap();
        assert_eq!(
            opened
                .verified_by(SignedKind::Report, &k.verifying_key())
                .unwrap(),
            (7, 9)
        );
        let wrong = open::<(u32, u64)>(SignedKind::ElectionPackage, &file, 1024).unwrap_err();
        assert_eq!(
            wrong,
            EnvelopeError::WrongKind {
                expected: "election package",
                found: "report"
            }
        );
        assert_eq!(
            wrong.to_string(),
            "this is a report, not an election package"
        );
        let mut tampered = file.clone();
        tampered[9] ^= 1;
        let opened = open::<(u32, u64)>(SignedKind::Report, &tampered, 1024).unwrap();
        assert!(matches!(
            opened.verified_by(SignedKind::Report, &k.verifying_key()),
            Err(EnvelopeError::BadSignature { .. })
        ));
        assert!(matches!(
            open::<(u32, u64)>(SignedKind::Report, &file, 10),
            Err(EnvelopeError::TooLarge { .. })
        ));
        assert!(matches!(
            open::<(u32, u64)>(SignedKind::Report, b"hello", 1024),
            Err(EnvelopeError::TooShort { .. })
        ));
    }
}
