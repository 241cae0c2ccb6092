//! A journal written through the store verifies, and the report says what an auditor needs.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use support::{Chain, Dir, JABAR, JAKARTA, PEMILU_MORNING, PILKADA, stamp};
use tps_base::time::TimeZone;
use tps_domain::event::{MirrorRepair, RecordBody};
use tps_journal::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_journal::identity::package::SignedPackage;
use tps_journal::verify::VerifyReport;
use tps_journal::verify::{Problem, VerifyError, verify};

/// 2024-11-27 06:00 WIT.
const PILKADA_MORNING: i64 = 1_732_654_800_000;

fn write_and_verify(chain: &Chain, n: u64) -> (Dir, VerifyReport, Vec<[u8; 32]>) {
    let dir = Dir::new();
    let appended = chain.write(&dir.paths, n);
    let primary = std::fs::read(&dir.paths.primary).unwrap();
    let mirror = std::fs::read(&dir.paths.mirror).unwrap();
    assert_eq!(primary, mirror, "both media hold the same bytes");
    assert_eq!(
        primary,
        chain.bytes(n),
        "the store writes exactly the documented frames"
    );
    let report = chain.verify(&primary).unwrap();
    (dir, report, appended.iter().map(|r| r.hash).collect())
}

#[test]
fn each_example_package_round_trips_through_a_journal() {
    for (example, base, tps, zone) in [
        (JAKARTA, PEMILU_MORNING, "31.71.01.1001.012", TimeZone::Wib),
        (JABAR, PEMILU_MORNING, "32.73.08.1004.007", TimeZone::Wib),
        (PILKADA, PILKADA_MORNING, "91.71.02.1005.003", TimeZone::Wit),
    ] {
        let chain = Chain::new(1, 2, example, base);
        let (_dir, report, hashes) = write_and_verify(&chain, 9);
        assert_eq!(report.tps, tps);
        assert_eq!(report.device_id, "pi-0001");
        assert!(!report.development);
        assert_eq!(report.records, 9);
        assert_eq!(report.first_ms, base);
        assert_eq!(report.last_ms, base + 8 * 60_000);
        assert_eq!(report.head_hash, hashes[8]);
        assert_eq!(report.zone, Some(zone));
        assert_eq!(report.firmware_version, support::FIRMWARE_VERSION);
    }
}

#[test]
fn without_the_package_the_report_has_no_zone() {
    let chain = Chain::pemilu();
    let bytes = chain.bytes(4);
    let report = verify(&bytes, &chain.authority.verifying_key(), None).unwrap();
    assert_eq!(report.zone, None);
    assert_eq!(report.records, 4);
}

#[test]
fn a_development_certificate_is_reported() {
    let mut chain = Chain::pemilu();
    chain.certificate = support::certificate(&chain.device, "sim-01", &chain.authority, true);
    let report = verify(&chain.bytes(3), &chain.authority.verifying_key(), None).unwrap();
    assert!(report.development);
    assert_eq!(report.device_id, "sim-01");
}

#[test]
fn reopening_resumes_the_chain() {
    let chain = Chain::pemilu();
    let dir = Dir::new();
    let written = chain.write(&dir.paths, 4);
    let opened = chain.open(&dir.paths).unwrap();
    assert_eq!(opened.records, written);
    assert_eq!(opened.recovery.mirror_repair, MirrorRepair::None);
    assert_eq!(opened.recovery.primary_quarantined, 0);
    assert!(opened.quarantined.is_empty());
    let mut journal = opened.journal;
    let fifth = journal
        .append(stamp(chain.base, 4), support::body(4))
        .unwrap();
    assert_eq!(fifth.record.seq, 4);
    assert_eq!(fifth.record.prev, written[3].hash);
    let report = verify(
        &std::fs::read(&dir.paths.mirror).unwrap(),
        &chain.authority.verifying_key(),
        None,
    )
    .unwrap();
    assert_eq!(report.records, 5);
    assert_eq!(report.head_hash, fifth.hash);
}

#[test]
fn the_store_refuses_times_the_verifier_would_refuse() {
    let chain = Chain::pemilu();
    let dir = Dir::new();
    let mut journal = chain.open(&dir.paths).unwrap().journal;
    journal
        .append(stamp(chain.base, 1), chain.genesis())
        .unwrap();
    let before = dir.snapshot();
    // Same monotonic time again.
    assert!(
        journal
            .append(stamp(chain.base, 1), support::body(1))
            .is_err()
    );
    // Trusted wall time going backwards.
    let mut back = stamp(chain.base, 2);
    back.wall_ms = chain.base - 1;
    assert!(journal.append(back, support::body(2)).is_err());
    assert_eq!(dir.snapshot(), before, "a refused append writes nothing");
}

#[test]
fn a_record_outside_the_certificate_validity_is_named() {
    let mut chain = Chain::pemilu();
    let request =
        CertificateRequest::read(&CertificateRequest::create("pi-0001", &chain.device).unwrap())
            .unwrap();
    // Valid until two minutes after the first record.
    chain.certificate = DeviceCertificate::issue(
        &request,
        &chain.authority,
        support::VALID_FROM,
        chain.base + 2 * 60_000,
        false,
    )
    .unwrap();
    let err = verify(&chain.bytes(5), &chain.authority.verifying_key(), None).unwrap_err();
    assert_eq!(
        err,
        VerifyError {
            seq: 3,
            problem: Problem::CertificateNotValid {
                at_ms: chain.base + 3 * 60_000
            }
        }
    );
}

#[test]
fn genesis_names_the_package_by_hash() {
    let chain = Chain::pemilu();
    let records = chain.records(2);
    let RecordBody::Genesis(g) = &records[0].record.body else {
        panic!("record 0 is the genesis");
    };
    assert_eq!(
        g.package_hash,
        tps_journal::identity::package::ElectionPackage::hash(&chain.package)
    );
    assert_eq!(g.certificate.as_slice(), chain.certificate.as_slice());
}
