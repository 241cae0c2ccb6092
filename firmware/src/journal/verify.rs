//! The auditor's verifier: everything a journal must satisfy, from bytes to trust chain.

use ed25519_dalek::{Signature, VerifyingKey};

use super::record::{
    MAGIC, SignedRecord, decode_frame, goes_back_from, split_frames, trusted_time_after,
};
use super::scan::{Damage, check_link};
use crate::event::{Genesis, RecordBody};
use crate::identity::cert::{CertificateError, DeviceCertificate};
use crate::identity::package::{ElectionPackage, PackageError};
use crate::identity::signed::{EnvelopeError, SignedKind};
use crate::time::TimeZone;

/// Why a journal does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    #[error(transparent)]
    Structure(#[from] Damage),
    #[error("the journal is empty")]
    Empty,
    #[error("record 0 is not a genesis record")]
    NoGenesis,
    #[error("a genesis record after record 0")]
    GenesisAgain,
    #[error("bad signature")]
    BadSignature,
    #[error("time goes backwards: {this} ms is before {previous} ms")]
    TimeBackwards { previous: i64, this: i64 },
    #[error("monotonic counter goes backwards: {this} after {previous}")]
    MonotonicBackwards { previous: u64, this: u64 },
    #[error("the device certificate is not signed by this authority")]
    CertificateNotFromAuthority,
    #[error("the device certificate is malformed: {0}")]
    CertificateMalformed(String),
    #[error("the device certificate is not valid at this record's time ({at_ms} ms)")]
    CertificateNotValid { at_ms: i64 },
    #[error("the device public key is weak (small order)")]
    WeakDeviceKey,
    #[error("the election package's hash does not match the one in the genesis record")]
    PackageMismatch,
    #[error("the election package is not valid: {0}")]
    PackageInvalid(String),
}

/// A problem at a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {seq}: {problem}")]
pub struct VerifyError {
    pub seq: u64,
    pub problem: Problem,
}

/// What a verified journal says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub tps: String,
    pub device_id: String,
    /// Signed by a development authority: not valid for an election.
    pub development: bool,
    pub records: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    pub head_hash: [u8; 32],
    /// The package's time zone, when the package was given.
    pub zone: Option<TimeZone>,
    pub firmware_version: String,
}

fn at(seq: u64, problem: impl Into<Problem>) -> VerifyError {
    VerifyError {
        seq,
        problem: problem.into(),
    }
}

/// Records verified per signature batch; on a failed batch each is checked alone to name it.
/// Batch verification gets cheaper per signature as the batch grows (Pippenger's multiscalar
/// multiplication): 512 cost about a quarter more per record than one batch of 5,000, 4,096
/// within a few percent. A polling day's journal (a few hundred records) is one batch.
const BATCH: usize = 4096;

/// Parses every frame strictly: any damage, a torn tail included, is an error.
pub fn parse_strict(bytes: &[u8]) -> Result<Vec<SignedRecord>, VerifyError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(at(0, Damage::NotAJournal));
    }
    let mut records: Vec<SignedRecord> = Vec::new();
    for raw in split_frames(&bytes[MAGIC.len()..], MAGIC.len()) {
        let seq = records.last().map_or(0, |r| r.record.seq + 1);
        if !raw.terminated {
            return Err(at(
                seq,
                Damage::TornTail {
                    bytes: raw.bytes.len(),
                },
            ));
        }
        if raw.bytes.is_empty() {
            return Err(at(seq, Damage::EmptyFrame));
        }
        let rec = decode_frame(raw.bytes).map_err(|e| at(seq, Damage::Frame(e)))?;
        check_link(&rec, records.last()).map_err(|d| at(seq, d))?;
        records.push(rec);
    }
    Ok(records)
}

/// Verifies a journal file against the authority's public key, and against the election package
/// when it is given.
pub fn verify(
    journal: &[u8],
    authority: &VerifyingKey,
    package: Option<&[u8]>,
) -> Result<VerifyReport, VerifyError> {
    let records = parse_strict(journal)?;
    verify_records(&records, authority, package)
}

/// The genesis record's certificate, checked against the authority.
fn certificate(genesis: &Genesis, authority: &VerifyingKey) -> Result<DeviceCertificate, Problem> {
    DeviceCertificate::read(&genesis.certificate, authority).map_err(|e| match e {
        CertificateError::Envelope(EnvelopeError::BadSignature { .. }) => {
            Problem::CertificateNotFromAuthority
        }
        other => Problem::CertificateMalformed(other.to_string()),
    })
}

/// Verifies decoded records: genesis, trust chain, times, and every signature (in batches).
pub fn verify_records(
    records: &[SignedRecord],
    authority: &VerifyingKey,
    package: Option<&[u8]>,
) -> Result<VerifyReport, VerifyError> {
    let first = records.first().ok_or_else(|| at(0, Problem::Empty))?;
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
        let parsed = ElectionPackage::read(pkg, authority)
            .map_err(|e: PackageError| at(0, Problem::PackageInvalid(e.to_string())))?;
        if ElectionPackage::hash(pkg) != genesis.package_hash {
            return Err(at(0, Problem::PackageMismatch));
        }
        zone = Some(parsed.zone);
    }

    // Everything but signatures, in order; the first such problem bounds the signature pass.
    let mut structural: Option<VerifyError> = None;
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
    let checked = structural
        .as_ref()
        .map_or(records.len(), |e| e.seq as usize);
    if let Some(bad) = first_bad_signature(&records[..checked], &device_key) {
        return Err(at(bad, Problem::BadSignature));
    }
    if let Some(e) = structural {
        return Err(e);
    }
    let last = records.last().unwrap_or(first);
    Ok(VerifyReport {
        tps: genesis.tps.to_string(),
        device_id: cert.device_id.to_string(),
        development: cert.development,
        records: records.len() as u64,
        first_ms: first.record.stamp.wall_ms,
        last_ms: last.record.stamp.wall_ms,
        head_hash: last.hash,
        zone,
        firmware_version: genesis.firmware_version.to_string(),
    })
}

/// The sequence number of the first record whose signature fails, checking in batches.
pub fn first_bad_signature(records: &[SignedRecord], key: &VerifyingKey) -> Option<u64> {
    let context = SignedKind::JournalRecord.context();
    let keys = vec![*key; records.len().min(BATCH)];
    // Every message of a batch in one buffer (context || record bytes, back to back), reused.
    let mut buffer: Vec<u8> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(keys.len());
    for chunk in records.chunks(BATCH) {
        buffer.clear();
        ends.clear();
        for r in chunk {
            buffer.extend_from_slice(context);
            buffer.extend_from_slice(&r.bytes);
            ends.push(buffer.len());
        }
        let messages: Vec<&[u8]> = ends
            .iter()
            .scan(0, |start, &end| {
                let m = buffer.get(*start..end);
                *start = end;
                m
            })
            .collect();
        let signatures: Vec<Signature> = chunk
            .iter()
            .map(|r| Signature::from_bytes(&r.signature))
            .collect();
        if ed25519_dalek::verify_batch(&messages, &signatures, &keys[..chunk.len()]).is_ok() {
            continue;
        }
        // The batch failed: find the culprit, strictly, one by one.
        for ((r, m), s) in chunk.iter().zip(&messages).zip(&signatures) {
            if key.verify_strict(m, s).is_err() {
                return Some(r.record.seq);
            }
        }
    }
    None
}
