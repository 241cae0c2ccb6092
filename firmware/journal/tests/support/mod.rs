//! Fixtures shared by the journal and identity tests: keys, certificates, packages built from
//! `keys/examples`, and journals written through [`Journal`] or framed in memory.
#![allow(dead_code)]
// Test fixtures: a failure here is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use tps_base::bounded::{List, Text};
use tps_base::power::PowerState;
use tps_base::time::{ClockStatus, Stamp};
use tps_domain::event::{Genesis, RecordBody};
use tps_domain::input::{StepId, StepInput};
use tps_domain::people::{PersonId, Role};
use tps_domain::pin::PinHash;
use tps_journal::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_journal::identity::package::{ElectionPackage, SignedPackage};
use tps_journal::record::{MAGIC, Record, SignedRecord};
use tps_journal::verify::{VerifyError, VerifyReport, verify};
use tps_journal::{Journal, JournalError, JournalPaths, Opened, Trust};

/// 2024-01-01T00:00:00Z and 2025-12-31T00:00:00Z: certificates cover both 2024 elections.
pub const VALID_FROM: i64 = 1_704_067_200_000;
pub const VALID_TO: i64 = 1_767_139_200_000;
/// 2024-02-14 06:00 WIB (23:00 UTC the day before): the Pemilu meeting's morning.
pub const PEMILU_MORNING: i64 = 1_707_865_200_000;

pub const JAKARTA: &str = "election-pemilu-2024.toml";
pub const JABAR: &str = "election-pemilu-2024-jabar.toml";
pub const PILKADA: &str = "election-pilkada-2024.toml";

pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

/// One of `keys/examples`, found above the crate that includes this module (the journal's tests
/// and keys' tests both do).
pub fn example_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("keys/examples"))
        .find(|dir| dir.is_dir())
        .unwrap()
        .join(name)
}

pub fn example_toml(name: &str) -> String {
    std::fs::read_to_string(example_path(name)).unwrap()
}

/// The device id of every test certificate, which the test packages name.
pub const DEVICE_ID: &str = "pi-0001";
/// The firmware version the test journals' genesis records hold (the runtime, `tps-firmware`,
/// writes its own; the journal only carries it).
pub const FIRMWARE_VERSION: &str = concat!("tps-kiosk ", env!("CARGO_PKG_VERSION"));

/// A signed package file built from one of `keys/examples`, naming [`DEVICE_ID`].
pub fn package(name: &str, authority: &SigningKey) -> Vec<u8> {
    ElectionPackage::from_toml(&example_toml(name))
        .unwrap()
        .for_devices(&[DEVICE_ID])
        .unwrap()
        .seal(authority)
}

/// A certificate file for `device`, issued by `authority`.
pub fn certificate(
    device: &SigningKey,
    device_id: &str,
    authority: &SigningKey,
    development: bool,
) -> Vec<u8> {
    let request =
        CertificateRequest::read(&CertificateRequest::create(device_id, device).unwrap()).unwrap();
    DeviceCertificate::issue(&request, authority, VALID_FROM, VALID_TO, development).unwrap()
}

pub fn genesis(certificate: &[u8], package: &[u8]) -> RecordBody {
    let parsed = ElectionPackage::read_unverified(package).unwrap();
    RecordBody::Genesis(Box::new(Genesis {
        certificate: List::from_slice(certificate).unwrap(),
        package_hash: ElectionPackage::hash(package),
        tps: parsed.tps,
        firmware_version: Text::new(FIRMWARE_VERSION).unwrap(),
    }))
}

/// The stamp of the `i`th record: a minute apart from `base`, trusted.
pub fn stamp(base: i64, i: u64) -> Stamp {
    Stamp {
        wall_ms: base + i as i64 * 60_000,
        mono_ms: 1_000 + i * 60_000,
        clock: ClockStatus::Trusted,
    }
}

fn pin() -> PinHash {
    PinHash {
        memory_kib: 64,
        iterations: 1,
        salt: [1; 16],
        hash: [2; 32],
    }
}

/// A varied body for record `i` (never a genesis).
pub fn body(i: u64) -> RecordBody {
    match i % 6 {
        1 => RecordBody::PersonRegistered {
            person: PersonId(0),
            role: Role::CHAIR,
            name: Text::new("Budi Santoso").unwrap(),
            letter: Text::empty(),
            id_number: Text::empty(),
            pin: pin(),
            present: true,
            by: None,
        },
        2 => RecordBody::StepProposed {
            step: StepId::new("persiapan").unwrap(),
            input: Box::new(StepInput::Attendance),
            corrects: None,
            reason: None,
        },
        3 => RecordBody::Confirmed {
            person: PersonId(0),
            proposal: i - 1,
        },
        4 => RecordBody::TamperChanged {
            open: i.is_multiple_of(2),
        },
        5 => RecordBody::PowerChanged {
            state: PowerState::Battery,
        },
        _ => RecordBody::PowerChanged {
            state: PowerState::Mains,
        },
    }
}

/// Everything a test journal is made of.
#[derive(Debug)]
pub struct Chain {
    pub authority: SigningKey,
    pub device: SigningKey,
    pub certificate: Vec<u8>,
    pub package: Vec<u8>,
    pub base: i64,
}

impl Chain {
    /// Authority seed 1, device seed 2, the Jakarta Pemilu package.
    pub fn pemilu() -> Self {
        Self::new(1, 2, JAKARTA, PEMILU_MORNING)
    }

    pub fn new(authority_seed: u8, device_seed: u8, example: &str, base: i64) -> Self {
        let authority = key(authority_seed);
        let device = key(device_seed);
        let certificate = certificate(&device, DEVICE_ID, &authority, false);
        let package = package(example, &authority);
        Self {
            authority,
            device,
            certificate,
            package,
            base,
        }
    }

    pub fn genesis(&self) -> RecordBody {
        genesis(&self.certificate, &self.package)
    }

    /// The body of record `i`: the genesis first, then [`body`].
    pub fn body(&self, i: u64) -> RecordBody {
        if i == 0 { self.genesis() } else { body(i) }
    }

    /// Genesis and `n - 1` further records, signed with `key` and framed in memory exactly as
    /// [`Journal::append`] writes them.
    pub fn records_signed_by(&self, n: u64, key: &SigningKey) -> Vec<SignedRecord> {
        let mut out: Vec<SignedRecord> = Vec::new();
        for i in 0..n {
            out.push(next_record(
                out.last(),
                stamp(self.base, i),
                self.body(i),
                key,
            ));
        }
        out
    }

    pub fn records(&self, n: u64) -> Vec<SignedRecord> {
        self.records_signed_by(n, &self.device)
    }

    /// A journal file's bytes with `n` records.
    pub fn bytes(&self, n: u64) -> Vec<u8> {
        file_bytes(&self.records(n))
    }

    /// Opens the journal at `paths` with this chain's device key.
    pub fn open(&self, paths: &JournalPaths) -> Result<Opened, JournalError> {
        let authority = self.authority.verifying_key();
        let trust = Trust {
            authority: &authority,
            certificate: &self.certificate,
            package: &self.package,
        };
        Journal::open(paths.clone(), self.device.clone(), trust)
    }

    /// Writes `n` records through the journal store to `paths`, returning the appended records.
    pub fn write(&self, paths: &JournalPaths, n: u64) -> Vec<SignedRecord> {
        let mut journal = self.open(paths).unwrap().journal;
        (0..n)
            .map(|i| journal.append(stamp(self.base, i), self.body(i)).unwrap())
            .collect()
    }

    /// Verifies a journal file against this chain's authority and package.
    pub fn verify(&self, bytes: &[u8]) -> Result<VerifyReport, VerifyError> {
        verify(bytes, &self.authority.verifying_key(), Some(&self.package))
    }
}

/// The record after `previous`, signed with `key`.
pub fn next_record(
    previous: Option<&SignedRecord>,
    stamp: Stamp,
    body: RecordBody,
    key: &SigningKey,
) -> SignedRecord {
    SignedRecord::sign(
        Record {
            seq: previous.map_or(0, |p| p.record.seq + 1),
            prev: previous.map_or([0; 32], |p| p.hash),
            stamp,
            body,
        },
        key,
    )
}

/// The magic followed by each record's frame.
pub fn file_bytes(records: &[SignedRecord]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for r in records {
        out.extend_from_slice(&r.frame());
    }
    out
}

/// Where each record's frame ends (delimiter included), in a file of `records`.
pub fn frame_ends(records: &[SignedRecord]) -> Vec<usize> {
    let mut end = MAGIC.len();
    records
        .iter()
        .map(|r| {
            end += r.frame().len();
            end
        })
        .collect()
}

/// The sequence number of the record whose frame holds byte `offset` (0 for the magic).
pub fn record_at(ends: &[usize], offset: usize) -> u64 {
    ends.iter().position(|&e| offset < e).unwrap_or(ends.len()) as u64
}

/// A temporary directory with `journal.tpsj` and `usb/journal.tpsj` (the USB directory created).
#[derive(Debug)]
pub struct Dir {
    pub dir: tempfile::TempDir,
    pub paths: JournalPaths,
}

impl Dir {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let paths = JournalPaths {
            primary: dir.path().join("journal.tpsj"),
            mirror: dir.path().join("usb").join("journal.tpsj"),
            mirror_on_own_device: false,
        };
        std::fs::create_dir(dir.path().join("usb")).unwrap();
        Self { dir, paths }
    }

    pub fn usb(&self) -> PathBuf {
        self.dir.path().join("usb")
    }

    /// Every file under the directory with its bytes, sorted by path.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    out.push((path, bytes));
                }
            }
        }
        out.sort();
        out
    }
}
