//! Every way of tampering with a journal is caught by the verifier, at the right record.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use support::{
    Chain, JABAR, PEMILU_MORNING, body, file_bytes, frame_ends, key, next_record, stamp,
};
use tps_domain::event::RecordBody;
use tps_journal::scan::Damage;
use tps_journal::verify::{Problem, VerifyError, verify};

fn check(chain: &Chain, bytes: &[u8]) -> Result<u64, VerifyError> {
    chain.verify(bytes).map(|r| r.records)
}

fn seq_of(chain: &Chain, bytes: &[u8]) -> u64 {
    check(chain, bytes).unwrap_err().seq
}

#[test]
fn a_flipped_bit_anywhere_is_caught_at_its_record() {
    let chain = Chain::pemilu();
    let records = chain.records(6);
    let original = file_bytes(&records);
    assert_eq!(check(&chain, &original), Ok(6));
    let ends = frame_ends(&records);
    assert_eq!(*ends.last().unwrap(), original.len());
    for offset in 0..original.len() {
        let expected = support::record_at(&ends, offset);
        for bit in 0..8 {
            let mut bytes = original.clone();
            bytes[offset] ^= 1 << bit;
            match check(&chain, &bytes) {
                Ok(n) => panic!("byte {offset} bit {bit} flipped, yet {n} records verify"),
                Err(e) => assert_eq!(
                    e.seq, expected,
                    "byte {offset} bit {bit} is in record {expected}, but: {e}"
                ),
            }
        }
    }
}

#[test]
fn a_damaged_magic_is_not_a_journal() {
    let chain = Chain::pemilu();
    let mut bytes = chain.bytes(3);
    bytes[0] = b'X';
    assert_eq!(
        check(&chain, &bytes),
        Err(VerifyError {
            seq: 0,
            problem: Problem::Structure(Damage::NotAJournal)
        })
    );
    assert_eq!(seq_of(&chain, b""), 0);
    assert_eq!(seq_of(&chain, b"TPSJ"), 0);
}

#[test]
fn truncation_inside_a_record_is_caught() {
    let chain = Chain::pemilu();
    let records = chain.records(6);
    let bytes = file_bytes(&records);
    let ends = frame_ends(&records);
    // In the middle of record 3.
    let cut = (ends[2] + ends[3]) / 2;
    assert_eq!(
        check(&chain, &bytes[..cut]),
        Err(VerifyError {
            seq: 3,
            problem: Problem::Structure(Damage::TornTail {
                bytes: cut - ends[2]
            })
        })
    );
    // Without the last delimiter.
    assert_eq!(seq_of(&chain, &bytes[..bytes.len() - 1]), 5);
    // A hole cut from the middle of record 2 to the middle of record 4.
    let mut holed = bytes[..(ends[1] + ends[2]) / 2].to_vec();
    holed.extend_from_slice(&bytes[(ends[3] + ends[4]) / 2..]);
    assert_eq!(seq_of(&chain, &holed), 2);
    // Only the magic: an empty journal.
    assert_eq!(
        check(&chain, &bytes[..8]),
        Err(VerifyError {
            seq: 0,
            problem: Problem::Empty
        })
    );
}

/// A cut exactly between records leaves a shorter journal that verifies: the verifier cannot
/// know what is missing, which is why its report gives the record count and head hash to compare
/// with the printed report.
#[test]
fn truncation_between_records_shows_in_the_count_and_head() {
    let chain = Chain::pemilu();
    let records = chain.records(6);
    let bytes = file_bytes(&records);
    let ends = frame_ends(&records);
    let full = chain.verify(&bytes).unwrap();
    let short = chain.verify(&bytes[..ends[3]]).unwrap();
    assert_eq!(short.records, 4);
    assert_eq!(short.head_hash, records[3].hash);
    assert_ne!(short.head_hash, full.head_hash);
}

#[test]
fn deleted_swapped_and_duplicated_records_are_named() {
    let chain = Chain::pemilu();
    let records = chain.records(6);

    let mut deleted = records.clone();
    deleted.remove(3);
    assert_eq!(
        check(&chain, &file_bytes(&deleted)),
        Err(VerifyError {
            seq: 3,
            problem: Problem::Structure(Damage::SequenceGap {
                expected: 3,
                found: 4
            })
        })
    );

    let mut swapped = records.clone();
    swapped.swap(2, 3);
    assert_eq!(seq_of(&chain, &file_bytes(&swapped)), 2);

    let mut duplicated = records.clone();
    duplicated.insert(4, records[3].clone());
    assert_eq!(
        check(&chain, &file_bytes(&duplicated)),
        Err(VerifyError {
            seq: 4,
            problem: Problem::Structure(Damage::SequenceRepeat {
                expected: 4,
                found: 3
            })
        })
    );

    let mut genesis_deleted = records.clone();
    genesis_deleted.remove(0);
    assert_eq!(seq_of(&chain, &file_bytes(&genesis_deleted)), 0);
}

#[test]
fn a_record_spliced_from_another_devices_journal_breaks_the_chain() {
    let chain = Chain::pemilu();
    let other = Chain::new(1, 7, support::JAKARTA, PEMILU_MORNING);
    let mut records = chain.records(6);
    let theirs = other.records(6);
    records[3] = theirs[3].clone();
    assert_eq!(
        check(&chain, &file_bytes(&records)),
        Err(VerifyError {
            seq: 3,
            problem: Problem::Structure(Damage::BrokenChain { previous: 2 })
        })
    );
    // Their whole journal verifies on its own, and is a different device's.
    assert_eq!(check(&other, &file_bytes(&theirs)), Ok(6));
}

#[test]
fn records_signed_by_another_key_fail_their_signature() {
    let chain = Chain::pemilu();
    let intruder = key(66);
    // The whole journal rebuilt with another key under the genesis certificate of the real one.
    let forged = chain.records_signed_by(6, &intruder);
    assert_eq!(
        check(&chain, &file_bytes(&forged)),
        Err(VerifyError {
            seq: 0,
            problem: Problem::BadSignature
        })
    );
    // The real journal up to record 2, then records re-chained and signed by another key.
    let mut records = chain.records(3);
    for i in 3..6 {
        let next = next_record(records.last(), stamp(chain.base, i), body(i), &intruder);
        records.push(next);
    }
    assert_eq!(
        check(&chain, &file_bytes(&records)),
        Err(VerifyError {
            seq: 3,
            problem: Problem::BadSignature
        })
    );
}

#[test]
fn a_record_rewritten_and_re_signed_by_the_device_is_detected_by_the_chain() {
    // What a stolen device key allows: rewriting one record. The next record's hash link still
    // points at the original.
    let chain = Chain::pemilu();
    let mut records = chain.records(6);
    let rewritten = next_record(
        Some(&records[1]),
        stamp(chain.base, 2),
        body(4),
        &chain.device,
    );
    records[2] = rewritten;
    assert_eq!(
        check(&chain, &file_bytes(&records)),
        Err(VerifyError {
            seq: 3,
            problem: Problem::Structure(Damage::BrokenChain { previous: 2 })
        })
    );
}

#[test]
fn a_certificate_from_another_authority_is_refused() {
    let chain = Chain::pemilu();
    let mut rogue = Chain::pemilu();
    let rogue_authority = key(99);
    rogue.certificate = support::certificate(&chain.device, "pi-0001", &rogue_authority, false);
    assert_eq!(
        check(&chain, &rogue.bytes(6)),
        Err(VerifyError {
            seq: 0,
            problem: Problem::CertificateNotFromAuthority
        })
    );
}

#[test]
fn another_tps_package_does_not_match_the_genesis() {
    let chain = Chain::pemilu();
    let bytes = chain.bytes(6);
    let jabar = support::package(JABAR, &chain.authority);
    assert_eq!(
        verify(&bytes, &chain.authority.verifying_key(), Some(&jabar)),
        Err(VerifyError {
            seq: 0,
            problem: Problem::PackageMismatch
        })
    );
    // The same TPS's package, signed by another authority, is not accepted either.
    let foreign = support::package(support::JAKARTA, &key(99));
    assert!(matches!(
        verify(&bytes, &chain.authority.verifying_key(), Some(&foreign)),
        Err(VerifyError {
            seq: 0,
            problem: Problem::PackageInvalid(_)
        })
    ));
}

#[test]
fn a_second_genesis_is_refused() {
    let chain = Chain::pemilu();
    let mut records = chain.records(3);
    let again = next_record(
        records.last(),
        stamp(chain.base, 3),
        chain.genesis(),
        &chain.device,
    );
    records.push(again);
    assert_eq!(
        check(&chain, &file_bytes(&records)),
        Err(VerifyError {
            seq: 3,
            problem: Problem::GenesisAgain
        })
    );
}

#[test]
fn a_bad_signature_is_named_exactly_in_a_long_journal() {
    // Every signature is checked on its own, strictly; the culprit is named exactly.
    let chain = Chain::pemilu();
    let intruder = key(66);
    let records = chain.records(4_200);
    for bad in [1usize, 4_095, 4_096, 4_097, 4_199] {
        let mut forged = records[..bad].to_vec();
        let next = next_record(
            forged.last(),
            stamp(chain.base, bad as u64),
            body(bad as u64),
            &intruder,
        );
        forged.push(next);
        assert_eq!(
            check(&chain, &file_bytes(&forged)),
            Err(VerifyError {
                seq: bad as u64,
                problem: Problem::BadSignature
            }),
            "forged record {bad}"
        );
    }
    assert_eq!(check(&chain, &file_bytes(&records)), Ok(4_200));
}

#[test]
fn a_genesis_for_another_tps_fails_at_record_0() {
    // The device signed a genesis naming TPS 013 while the package (whose hash it holds) is for
    // TPS 012: refused, naming both.
    let chain = Chain::pemilu();
    let RecordBody::Genesis(mut genesis) = chain.genesis() else {
        panic!("not a genesis")
    };
    genesis.tps.tps += 1;
    let record = next_record(
        None,
        stamp(chain.base, 0),
        RecordBody::Genesis(genesis),
        &chain.device,
    );
    let err = check(&chain, &file_bytes(&[record])).unwrap_err();
    assert_eq!(err.seq, 0);
    assert_eq!(
        err.problem,
        Problem::TpsMismatch {
            genesis: "31.71.01.1001.013".into(),
            package: "31.71.01.1001.012".into(),
        }
    );
}

#[test]
fn a_journal_begun_by_a_device_its_package_does_not_name_fails_at_record_0() {
    // Certified by the same authority, but the package names pi-0001 only.
    let chain = Chain::pemilu();
    let device = key(9);
    let certificate = support::certificate(&device, "pi-0009", &chain.authority, false);
    let genesis = support::genesis(&certificate, &chain.package);
    let record = next_record(None, stamp(chain.base, 0), genesis, &device);
    let err = check(&chain, &file_bytes(&[record])).unwrap_err();
    assert_eq!(err.seq, 0);
    assert_eq!(
        err.problem,
        Problem::DeviceNotInPackage {
            device: "pi-0009".into()
        }
    );
}
