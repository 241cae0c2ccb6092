//! Why a journal does not verify, at which record, in both languages: apart from `verify` so
//! the reader (`read`), which `verify` calls, reports damage in the same terms without
//! importing it back.

use super::scan::Damage;
use crate::identity::cert::CertificateError;
use crate::identity::package::PackageError;
use tps_base::text::Lang;

/// Why a journal does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum Problem {
    /// The bytes: magic, frames, sequence or chain (rules 1 and 2).
    Structure(#[from] Damage),
    /// The file holds the magic and no record.
    Empty,
    /// Record 0 is not a genesis record.
    NoGenesis,
    /// A genesis record after record 0.
    GenesisAgain,
    /// The signature fails the strict rule.
    BadSignature,
    /// A trusted time earlier than the newest trusted time before it (rule 5).
    TimeBackwards {
        /// The newest trusted time before (unix ms).
        previous: i64,
        /// This record's (unix ms).
        this: i64,
    },
    /// The monotonic counter did not increase.
    MonotonicBackwards {
        /// The previous record's monotonic time.
        previous: u64,
        /// This record's.
        this: u64,
    },
    /// The genesis certificate is not signed by this authority.
    CertificateNotFromAuthority,
    /// The genesis certificate does not decode or breaks a certificate rule.
    CertificateMalformed(CertificateError),
    /// A trusted record's time lies outside the certificate's validity.
    CertificateNotValid {
        /// The record's time (unix ms).
        at_ms: i64,
    },
    /// The certificate's device key is of small order.
    WeakDeviceKey,
    /// The package's hash is not the one in the genesis record.
    PackageMismatch,
    /// The package does not verify under the authority or breaks a package rule.
    PackageInvalid(PackageError),
    /// The genesis record's TPS is not the package's.
    TpsMismatch {
        /// The TPS the genesis record names.
        genesis: String,
        /// The TPS the package is for.
        package: String,
    },
    /// The package does not name the device that began the journal.
    DeviceNotInPackage {
        /// The device's id.
        device: String,
    },
}

/// Record 0, which starts the journal and holds the certificate and the package's hash, as the
/// Indonesian texts name it.
pub const GENESIS_ID: &str = "catatan awal jurnal";

impl Problem {
    /// What is wrong, in `lang`: the reason an auditor reads.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::Structure(d), _) => d.message(lang),
            (Problem::WeakDeviceKey, _) => CertificateError::WeakPublicKey.message(lang),
            (Problem::Empty, Lang::Id) => "jurnal kosong".into(),
            (Problem::Empty, Lang::En) => "the journal is empty".into(),
            (Problem::NoGenesis, Lang::Id) => format!("catatan 0 bukan {GENESIS_ID}"),
            (Problem::NoGenesis, Lang::En) => "record 0 is not a genesis record".into(),
            (Problem::GenesisAgain, Lang::Id) => format!("ada {GENESIS_ID} lagi setelah catatan 0"),
            (Problem::GenesisAgain, Lang::En) => "a genesis record after record 0".into(),
            (Problem::BadSignature, Lang::Id) => "tanda tangan tidak sah".into(),
            (Problem::BadSignature, Lang::En) => "bad signature".into(),
            (Problem::TimeBackwards { previous, this }, Lang::Id) => {
                format!("waktu mundur: {this} ms lebih awal dari {previous} ms")
            }
            (Problem::TimeBackwards { previous, this }, Lang::En) => {
                format!("time goes backwards: {this} ms is before {previous} ms")
            }
            (Problem::MonotonicBackwards { previous, this }, Lang::Id) => {
                format!("pencacah waktu perangkat mundur: {this} setelah {previous}")
            }
            (Problem::MonotonicBackwards { previous, this }, Lang::En) => {
                format!("monotonic counter goes backwards: {this} after {previous}")
            }
            (Problem::CertificateNotFromAuthority, Lang::Id) => {
                "sertifikat perangkat tidak ditandatangani oleh otoritas ini".into()
            }
            (Problem::CertificateNotFromAuthority, Lang::En) => {
                "the device certificate is not signed by this authority".into()
            }
            (Problem::CertificateMalformed(e), Lang::Id) => {
                format!("sertifikat perangkat rusak: {}", e.message(lang))
            }
            (Problem::CertificateMalformed(e), Lang::En) => {
                format!("the device certificate is malformed: {}", e.message(lang))
            }
            (Problem::CertificateNotValid { at_ms }, Lang::Id) => {
                format!("sertifikat perangkat tidak berlaku pada waktu catatan ini ({at_ms} ms)")
            }
            (Problem::CertificateNotValid { at_ms }, Lang::En) => {
                format!("the device certificate is not valid at this record's time ({at_ms} ms)")
            }
            (Problem::PackageMismatch, Lang::Id) => {
                format!("hash paket pemilu tidak cocok dengan yang tercatat di {GENESIS_ID}")
            }
            (Problem::PackageMismatch, Lang::En) => {
                "the election package's hash does not match the one in the genesis record".into()
            }
            (Problem::PackageInvalid(e), Lang::Id) => {
                format!("paket pemilu tidak sah: {}", e.message(lang))
            }
            (Problem::PackageInvalid(e), Lang::En) => {
                format!("the election package is not valid: {}", e.message(lang))
            }
            (Problem::DeviceNotInPackage { device }, Lang::Id) => {
                format!("paket pemilu tidak menyebut perangkat {device} yang memulai jurnal")
            }
            (Problem::DeviceNotInPackage { device }, Lang::En) => {
                format!(
                    "the election package does not name device {device}, which began the journal"
                )
            }
            (Problem::TpsMismatch { genesis, package }, Lang::Id) => {
                format!("TPS di {GENESIS_ID} ({genesis}) bukan TPS paket pemilu ({package})")
            }
            (Problem::TpsMismatch { genesis, package }, Lang::En) => format!(
                "the genesis record's TPS ({genesis}) is not the election package's ({package})"
            ),
        }
    }
}

/// A problem at a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct VerifyError {
    /// The record's sequence number.
    pub seq: u64,
    /// What is wrong with it.
    pub problem: Problem,
}

impl VerifyError {
    /// The record and the reason, in `lang`: "record 5: bad signature", "catatan 5: tanda
    /// tangan tidak sah".
    pub fn message(&self, lang: Lang) -> String {
        let (seq, problem) = (self.seq, self.problem.message(lang));
        match lang {
            Lang::Id => format!("catatan {seq}: {problem}"),
            Lang::En => format!("record {seq}: {problem}"),
        }
    }
}
