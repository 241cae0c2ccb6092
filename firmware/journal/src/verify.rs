//! The auditor's verifier: everything a journal must satisfy, from bytes to trust chain.

use ed25519_dalek::{Signature, VerifyingKey};
use rayon::prelude::*;

pub use super::problem::{GENESIS_ID, Problem, VerifyError};
use super::record::{SignedRecord, goes_back_from, trusted_time_after};
use super::scan::Damage;
use crate::identity::cert::{CertificateError, DeviceCertificate};
use crate::identity::package::{ElectionPackage, SignedPackage};
use crate::identity::signed::{EnvelopeError, SignedKind, append_message};
use tps_base::time::TimeZone;
use tps_domain::event::{Genesis, RecordBody};

/// What a verified journal says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The TPS code the journal is for.
    pub tps: String,
    /// The device that wrote it.
    pub device_id: String,
    /// The device key in the genesis certificate, which every record's signature was checked
    /// against.
    pub device_key: VerifyingKey,
    /// Signed by a development authority: not valid for an election.
    pub development: bool,
    /// How many records it holds.
    pub records: u64,
    /// The first record's wall time (unix ms).
    pub first_ms: i64,
    /// The last record's wall time (unix ms).
    pub last_ms: i64,
    /// The last record's chain hash, which commits to every record.
    pub head_hash: [u8; 32],
    /// The package's time zone, when the package was given.
    pub zone: Option<TimeZone>,
    /// The firmware that began the journal.
    pub firmware_version: String,
}

fn at(seq: u64, problem: impl Into<Problem>) -> VerifyError {
    VerifyError {
        seq,
        problem: problem.into(),
    }
}

/// Which signatures a verification checks. Both check every frame, the chain, the genesis, the
/// certificate, the package and the times; they differ in the signatures (FORMAT.md, "What a
/// verification proves").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Signatures {
    /// Every record's signature, strictly.
    #[default]
    Every,
    /// The last record's signature only, strictly: through the chain hash it commits the device
    /// to every record before it.
    Head,
}

/// Reads frames in order up to the first damage: the records before it, and the damage (a torn
/// tail included) as the error at the record where it is.
pub fn parse_prefix(bytes: &[u8]) -> (Vec<SignedRecord>, Option<VerifyError>) {
    // Reading from memory cannot fail.
    super::read::read_prefix_buffered(bytes)
        .unwrap_or_else(|_| (Vec::new(), Some(at(0, Damage::NotAJournal))))
}

/// Parses every frame strictly: any damage, a torn tail included, is an error.
pub fn parse_strict(bytes: &[u8]) -> Result<Vec<SignedRecord>, VerifyError> {
    match parse_prefix(bytes) {
        (records, None) => Ok(records),
        (_, Some(e)) => Err(e),
    }
}

/// Verifies a journal file against the authority's public key, and against the election package
/// when it is given, checking every signature.
pub fn verify(
    journal: &[u8],
    authority: &VerifyingKey,
    package: Option<&[u8]>,
) -> Result<VerifyReport, VerifyError> {
    verify_with(journal, authority, package, Signatures::Every)
}

/// [`verify`], checking the signatures `which` says. The first problem in record order is
/// reported: a bad signature before damaged bytes is the bad signature.
pub fn verify_with(
    journal: &[u8],
    authority: &VerifyingKey,
    package: Option<&[u8]>,
    which: Signatures,
) -> Result<VerifyReport, VerifyError> {
    let (records, damage) = parse_prefix(journal);
    verify_parsed(&records, damage, authority, package, which)
}

/// The genesis record's certificate, checked against the authority.
fn certificate(genesis: &Genesis, authority: &VerifyingKey) -> Result<DeviceCertificate, Problem> {
    DeviceCertificate::read(&genesis.certificate, authority).map_err(|e| match e {
        CertificateError::Envelope(EnvelopeError::BadSignature { .. }) => {
            Problem::CertificateNotFromAuthority
        }
        other => Problem::CertificateMalformed(other),
    })
}

/// Verifies decoded records: genesis, trust chain, times, and every signature.
pub fn verify_records(
    records: &[SignedRecord],
    authority: &VerifyingKey,
    package: Option<&[u8]>,
) -> Result<VerifyReport, VerifyError> {
    verify_parsed(records, None, authority, package, Signatures::Every)
}

/// [`verify_records`], checking the signatures `which` says.
pub fn verify_records_with(
    records: &[SignedRecord],
    authority: &VerifyingKey,
    package: Option<&[u8]>,
    which: Signatures,
) -> Result<VerifyReport, VerifyError> {
    verify_parsed(records, None, authority, package, which)
}

/// The first problem, in record order, among `records` and the `damage` that follows them (as
/// [`parse_prefix`] gives them).
pub fn verify_parsed(
    records: &[SignedRecord],
    damage: Option<VerifyError>,
    authority: &VerifyingKey,
    package: Option<&[u8]>,
    which: Signatures,
) -> Result<VerifyReport, VerifyError> {
    let Some(first) = records.first() else {
        return Err(damage.unwrap_or_else(|| at(0, Problem::Empty)));
    };
    let RecordBody::Genesis(genesis) = &first.record.body else {
        return Err(at(0, Problem::NoGenesis));
    };
    let cert = certificate(genesis, authority).map_err(|p| at(0, p))?;
    let device_key = VerifyingKey::from_bytes(&cert.public_key)
        .ok()
        .filter(|k| !k.is_weak())
        .ok_or_else(|| at(0, Problem::WeakDeviceKey))?;
    let mut zone = None;
    if let Some(pkg) = package {
        let parsed =
            ElectionPackage::read(pkg, authority).map_err(|e| at(0, Problem::PackageInvalid(e)))?;
        if ElectionPackage::hash(pkg) != genesis.package_hash {
            return Err(at(0, Problem::PackageMismatch));
        }
        if parsed.tps != genesis.tps {
            return Err(at(
                0,
                Problem::TpsMismatch {
                    genesis: genesis.tps.to_string(),
                    package: parsed.tps.to_string(),
                },
            ));
        }
        if !parsed.names_device(&cert.device_id) {
            return Err(at(
                0,
                Problem::DeviceNotInPackage {
                    device: cert.device_id.to_string(),
                },
            ));
        }
        zone = Some(parsed.zone);
    }

    // Everything but signatures, in order; the first such problem bounds the signature pass.
    let mut structural = damage;
    let mut last_trusted: Option<i64> = None;
    let mut last_mono: Option<u64> = None;
    for r in records {
        let seq = r.record.seq;
        let stamp = r.record.stamp;
        let problem = if seq > 0 && matches!(r.record.body, RecordBody::Genesis(_)) {
            Some(Problem::GenesisAgain)
        } else if let Some(previous) = last_mono.filter(|&m| stamp.mono_ms <= m) {
            Some(Problem::MonotonicBackwards {
                previous,
                this: stamp.mono_ms,
            })
        } else if let Some(previous) = goes_back_from(last_trusted, &stamp, &r.record.body) {
            Some(Problem::TimeBackwards {
                previous,
                this: stamp.wall_ms,
            })
        } else if stamp.clock.is_trusted() && !cert.valid_at(stamp.wall_ms) {
            Some(Problem::CertificateNotValid {
                at_ms: stamp.wall_ms,
            })
        } else {
            None
        };
        if let Some(problem) = problem {
            structural = Some(at(seq, problem));
            break;
        }
        last_mono = Some(stamp.mono_ms);
        last_trusted = trusted_time_after(last_trusted, &stamp, &r.record.body);
    }
    // Records are numbered from 0 by their place (the parser checked), so a sequence number is
    // an index.
    let checked = structural
        .as_ref()
        .map_or(records.len(), |e| (e.seq as usize).min(records.len()));
    let bad = match which {
        Signatures::Every => first_bad_signature(&records[..checked], &device_key),
        Signatures::Head => records[..checked]
            .last()
            .filter(|r| !signature_holds(r, &device_key))
            .map(|r| r.record.seq),
    };
    if let Some(bad) = bad {
        return Err(at(bad, Problem::BadSignature));
    }
    if let Some(e) = structural {
        return Err(e);
    }
    let last = records.last().unwrap_or(first);
    Ok(VerifyReport {
        tps: genesis.tps.to_string(),
        device_id: cert.device_id.to_string(),
        device_key,
        development: cert.development,
        records: records.len() as u64,
        first_ms: first.record.stamp.wall_ms,
        last_ms: last.record.stamp.wall_ms,
        head_hash: last.hash,
        zone,
        firmware_version: genesis.firmware_version.to_string(),
    })
}

/// FORMAT.md's signature rule: a record's signature is valid if and only if ed25519-dalek's
/// `verify_strict` accepts it (canonical S; small-order R and key refused; cofactorless).
pub fn signature_holds(record: &SignedRecord, key: &VerifyingKey) -> bool {
    let mut message =
        Vec::with_capacity(SignedKind::JournalRecord.context().len() + record.bytes.len());
    append_message(SignedKind::JournalRecord, &record.bytes, &mut message);
    key.verify_strict(&message, &Signature::from_bytes(&record.signature))
        .is_ok()
}

/// The sequence number of the first record whose signature fails, each checked strictly, in
/// parallel on every core. Batch verification is not used: it accepts signatures the strict
/// rule refuses (R = identity), and its verdict on some depends on the other records.
pub fn first_bad_signature(records: &[SignedRecord], key: &VerifyingKey) -> Option<u64> {
    records
        .par_iter()
        .position_first(|r| !signature_holds(r, key))
        .and_then(|i| records.get(i))
        .map(|r| r.record.seq)
}

#[cfg(test)]
mod messages {
    //! Every reason the verifier can give, in both languages.
    use super::*;
    use crate::identity::package::PackageError;
    use crate::record::FrameError;
    use crate::scan::Located;
    use tps_base::text::Lang;

    /// A sample of every variant of [`Problem`] and of every error it holds, and what it said in
    /// English before it spoke Indonesian (after "record 5: ").
    fn samples() -> Vec<(Problem, &'static str)> {
        let frame = |e| Problem::Structure(Damage::Frame(e));
        let package = |e| Problem::PackageInvalid(PackageError::Envelope(e));
        let decoder = "Hit the end of buffer, expected more data";
        vec![
            (
                Problem::Structure(Damage::NotAJournal),
                "not a journal file (bad magic)",
            ),
            (
                frame(FrameError::TooLarge {
                    len: 2000,
                    max: 1500,
                }),
                "bad frame: frame of 2000 bytes is larger than the largest record (1500 bytes)",
            ),
            (
                frame(FrameError::BadEncoding),
                "bad frame: frame is not valid COBS",
            ),
            (
                frame(FrameError::TooShort),
                "bad frame: frame is too short to hold a record",
            ),
            (frame(FrameError::BadCrc), "bad frame: CRC mismatch"),
            (
                frame(FrameError::Malformed(decoder.into())),
                "bad frame: record does not decode: Hit the end of buffer, expected more data",
            ),
            (Problem::Structure(Damage::EmptyFrame), "empty frame"),
            (
                Problem::Structure(Damage::SequenceGap {
                    expected: 4,
                    found: 6,
                }),
                "sequence gap: expected record 4, found 6",
            ),
            (
                Problem::Structure(Damage::SequenceRepeat {
                    expected: 4,
                    found: 3,
                }),
                "sequence repeat: record 3 again where 4 was expected",
            ),
            (
                Problem::Structure(Damage::BrokenChain { previous: 2 }),
                "broken chain: the previous-record hash does not match record 2",
            ),
            (
                Problem::Structure(Damage::TornTail { bytes: 17 }),
                "incomplete last frame (17 bytes): the write was cut off",
            ),
            (Problem::Empty, "the journal is empty"),
            (Problem::NoGenesis, "record 0 is not a genesis record"),
            (Problem::GenesisAgain, "a genesis record after record 0"),
            (Problem::BadSignature, "bad signature"),
            (
                Problem::TimeBackwards {
                    previous: 1_707_868_800_000,
                    this: 1_707_868_700_000,
                },
                "time goes backwards: 1707868700000 ms is before 1707868800000 ms",
            ),
            (
                Problem::MonotonicBackwards {
                    previous: 500,
                    this: 400,
                },
                "monotonic counter goes backwards: 400 after 500",
            ),
            (
                Problem::CertificateNotFromAuthority,
                "the device certificate is not signed by this authority",
            ),
            (
                Problem::CertificateNotValid {
                    at_ms: 1_707_868_800_000,
                },
                "the device certificate is not valid at this record's time (1707868800000 ms)",
            ),
            (
                Problem::WeakDeviceKey,
                "the device public key is weak (small order)",
            ),
            (
                Problem::PackageMismatch,
                "the election package's hash does not match the one in the genesis record",
            ),
            (
                Problem::TpsMismatch {
                    genesis: "31.71.01.1001.001".into(),
                    package: "31.71.01.1001.002".into(),
                },
                "the genesis record's TPS (31.71.01.1001.001) is not the election package's \
                 (31.71.01.1001.002)",
            ),
            (
                Problem::DeviceNotInPackage {
                    device: "pi-0002".into(),
                },
                "the election package does not name device pi-0002, which began the journal",
            ),
            (
                Problem::CertificateMalformed(CertificateError::WrongAuthority),
                "the device certificate is malformed: the certificate names another authority \
                 than the one that signed it",
            ),
            (
                Problem::CertificateMalformed(CertificateError::BadDeviceId),
                "the device certificate is malformed: the device id is empty or has characters \
                 other than letters, digits, '-' and '_'",
            ),
            (
                Problem::CertificateMalformed(CertificateError::BadPublicKey),
                "the device certificate is malformed: the device public key is not a valid \
                 ed25519 key",
            ),
            (
                Problem::CertificateMalformed(CertificateError::WeakPublicKey),
                "the device certificate is malformed: the device public key is weak (small order)",
            ),
            (
                Problem::CertificateMalformed(CertificateError::BadValidity),
                "the device certificate is malformed: the validity period is empty or runs \
                 backwards",
            ),
            (
                Problem::CertificateMalformed(CertificateError::Envelope(
                    EnvelopeError::TooShort {
                        expected: "device certificate",
                        len: 40,
                    },
                )),
                "the device certificate is malformed: the file is 40 bytes, too short to be a \
                 signed device certificate",
            ),
            (
                Problem::PackageInvalid(PackageError::Toml("TOML parse error".into())),
                "the election package is not valid: TOML parse error",
            ),
            (
                Problem::PackageInvalid(PackageError::Field {
                    line: 3,
                    problem: "unknown field".into(),
                }),
                "the election package is not valid: line 3: unknown field",
            ),
            (
                Problem::PackageInvalid(PackageError::Invalid(
                    "election kind does not match the procedure".into(),
                )),
                "the election package is not valid: election kind does not match the procedure",
            ),
            (
                package(EnvelopeError::TooShort {
                    expected: "election package",
                    len: 40,
                }),
                "the election package is not valid: the file is 40 bytes, too short to be a \
                 signed election package",
            ),
            (
                package(EnvelopeError::TooLarge {
                    expected: "election package",
                    len: 9000,
                    max: 4096,
                }),
                "the election package is not valid: the file is 9000 bytes; an election package \
                 is at most 4096",
            ),
            (
                package(EnvelopeError::WrongKind {
                    expected: "election package",
                    found: "device certificate",
                }),
                "the election package is not valid: this is a device certificate, not an \
                 election package",
            ),
            (
                package(EnvelopeError::NotOurs {
                    expected: "election package",
                }),
                "the election package is not valid: this is not a TPS Kiosk file (expected an \
                 election package)",
            ),
            (
                package(EnvelopeError::Malformed {
                    expected: "election package",
                    detail: decoder.into(),
                }),
                "the election package is not valid: the election package is malformed: Hit the \
                 end of buffer, expected more data",
            ),
            (
                package(EnvelopeError::BadSignature {
                    expected: "election package",
                }),
                "the election package is not valid: the election package's signature does not \
                 verify",
            ),
        ]
    }

    /// The variant a sample is of, down to the error it holds. The matches have no wildcard: a
    /// new variant must be named here, and then needs a sample.
    fn variant(p: &Problem) -> String {
        let frame = |e: &FrameError| match e {
            FrameError::TooLarge { .. } => "TooLarge",
            FrameError::BadEncoding => "BadEncoding",
            FrameError::TooShort => "TooShort",
            FrameError::BadCrc => "BadCrc",
            FrameError::Malformed(_) => "Malformed",
        };
        let damage = |d: &Damage| match d {
            Damage::NotAJournal => "NotAJournal".to_string(),
            Damage::Frame(e) => format!("Frame/{}", frame(e)),
            Damage::EmptyFrame => "EmptyFrame".into(),
            Damage::SequenceGap { .. } => "SequenceGap".into(),
            Damage::SequenceRepeat { .. } => "SequenceRepeat".into(),
            Damage::BrokenChain { .. } => "BrokenChain".into(),
            Damage::TornTail { .. } => "TornTail".into(),
        };
        let envelope = |e: &EnvelopeError| match e {
            EnvelopeError::TooShort { .. } => "TooShort",
            EnvelopeError::TooLarge { .. } => "TooLarge",
            EnvelopeError::WrongKind { .. } => "WrongKind",
            EnvelopeError::NotOurs { .. } => "NotOurs",
            EnvelopeError::Malformed { .. } => "Malformed",
            EnvelopeError::BadSignature { .. } => "BadSignature",
        };
        match p {
            Problem::Structure(d) => format!("Structure/{}", damage(d)),
            Problem::Empty => "Empty".into(),
            Problem::NoGenesis => "NoGenesis".into(),
            Problem::GenesisAgain => "GenesisAgain".into(),
            Problem::BadSignature => "BadSignature".into(),
            Problem::TimeBackwards { .. } => "TimeBackwards".into(),
            Problem::MonotonicBackwards { .. } => "MonotonicBackwards".into(),
            Problem::CertificateNotFromAuthority => "CertificateNotFromAuthority".into(),
            Problem::CertificateMalformed(e) => format!(
                "CertificateMalformed/{}",
                match e {
                    CertificateError::Envelope(_) => "Envelope",
                    CertificateError::BadDeviceId => "BadDeviceId",
                    CertificateError::BadPublicKey => "BadPublicKey",
                    CertificateError::WeakPublicKey => "WeakPublicKey",
                    CertificateError::BadValidity => "BadValidity",
                    CertificateError::WrongAuthority => "WrongAuthority",
                }
            ),
            Problem::CertificateNotValid { .. } => "CertificateNotValid".into(),
            Problem::WeakDeviceKey => "WeakDeviceKey".into(),
            Problem::PackageMismatch => "PackageMismatch".into(),
            Problem::TpsMismatch { .. } => "TpsMismatch".into(),
            Problem::DeviceNotInPackage { .. } => "DeviceNotInPackage".into(),
            Problem::PackageInvalid(e) => format!(
                "PackageInvalid/{}",
                match e {
                    PackageError::Toml(_) => "Toml",
                    PackageError::Field { .. } => "Field",
                    PackageError::Invalid(_) => "Invalid",
                    PackageError::Envelope(e) => envelope(e),
                }
            ),
        }
    }

    /// Variants named by [`variant`], counted: 12 of `Problem` beside its three that hold
    /// errors, 6 of `Damage` beside `Frame`, 5 of `FrameError`, 6 of `CertificateError`, and 3 of
    /// `PackageError` beside `Envelope`, which has 6.
    const VARIANTS: usize = 12 + 6 + 5 + 6 + 3 + 6;

    #[test]
    fn every_variant_has_a_sample() {
        let mut named: Vec<String> = samples().iter().map(|(p, _)| variant(p)).collect();
        named.sort();
        named.dedup();
        assert_eq!(named.len(), VARIANTS, "{named:#?}");
    }

    #[test]
    fn english_is_what_the_verifier_always_said() {
        for (problem, before) in samples() {
            let e = VerifyError { seq: 5, problem };
            assert_eq!(e.message(Lang::En), format!("record 5: {before}"));
            assert_eq!(e.to_string(), e.message(Lang::En));
        }
    }

    /// Words that give away an English message (or English detail left in an Indonesian one).
    const ENGLISH: [&str; 22] = [
        " the ",
        "record",
        "signature",
        "expected",
        "mismatch",
        "journal",
        "bytes",
        " is ",
        " not ",
        "does",
        "malformed",
        "valid",
        "frame",
        "package",
        "certificate",
        "device",
        "authority",
        "before",
        "after",
        "empty",
        "weak",
        "bad ",
    ];

    #[test]
    fn indonesian_is_indonesian_for_every_reason() {
        for (problem, _) in samples() {
            let e = VerifyError { seq: 5, problem };
            let (id, en) = (e.message(Lang::Id), e.message(Lang::En));
            assert!(id.starts_with("catatan 5: "), "{id}");
            assert!(id.len() > "catatan 5: ".len() + 5, "{id}");
            assert_ne!(id, en);
            let lower = id.to_lowercase();
            for word in ENGLISH {
                assert!(
                    !lower.contains(word),
                    "{word:?} in {id:?} (English: {en:?})"
                );
            }
        }
    }

    #[test]
    fn the_reasons_say_what_happened_in_indonesian() {
        let at = |seq, problem| VerifyError { seq, problem }.message(Lang::Id);
        assert_eq!(
            at(5, Problem::BadSignature),
            "catatan 5: tanda tangan tidak sah"
        );
        assert_eq!(
            at(3, Problem::Structure(Damage::BrokenChain { previous: 2 })),
            "catatan 3: rantai hash terputus: hash catatan sebelumnya tidak cocok dengan catatan 2"
        );
        assert_eq!(
            at(0, Problem::CertificateNotFromAuthority),
            "catatan 0: sertifikat perangkat tidak ditandatangani oleh otoritas ini"
        );
        assert_eq!(
            at(
                0,
                Problem::PackageInvalid(PackageError::Envelope(EnvelopeError::WrongKind {
                    expected: "election package",
                    found: "device certificate",
                }))
            ),
            "catatan 0: paket pemilu tidak sah: ini sertifikat perangkat, bukan paket pemilu"
        );
        let located = Located {
            seq: 3,
            offset: 812,
            damage: Damage::Frame(FrameError::BadCrc),
        };
        assert_eq!(
            located.message(Lang::Id),
            "catatan 3 (byte 812): data catatan rusak: kode pemeriksa (CRC) tidak cocok, isinya \
             berubah"
        );
        assert_eq!(
            located.to_string(),
            "record 3 (byte 812): bad frame: CRC mismatch"
        );
    }
}
