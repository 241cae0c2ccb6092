//! Election packages and device certificates: built from the examples, signed, read back, and
//! refused with a reason when wrong.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use support::{JABAR, JAKARTA, PILKADA, example_toml, key};
use tps_base::bounded::{List, Text};
use tps_base::election::BallotType;
use tps_base::time::TimeZone;
use tps_journal::identity::cert::{CertificateError, CertificateRequest, DeviceCertificate};
use tps_journal::identity::package::{ElectionPackage, PackageError, Participant, SignedPackage};
use tps_journal::identity::signed::EnvelopeError;

#[test]
fn the_examples_build_with_the_procedures_reserve() {
    let jakarta = ElectionPackage::from_toml(&example_toml(JAKARTA)).unwrap();
    assert_eq!(jakarta.tps.to_string(), "31.71.01.1001.012");
    assert_eq!(jakarta.zone, TimeZone::Wib);
    assert_eq!(jakarta.dpt.total(), 293);
    // 293 voters plus 2% rounded up.
    assert!(jakarta.ballots.iter().all(|b| b.delivered == 299));
    assert_eq!(jakarta.ballots.len(), 4, "DKI Jakarta has no DPRD Kab/Kota");

    let jabar = ElectionPackage::from_toml(&example_toml(JABAR)).unwrap();
    assert_eq!(
        jabar.ballot_types(),
        vec![
            BallotType::Ppwp,
            BallotType::Dpr,
            BallotType::Dpd,
            BallotType::DprdProvinsi,
            BallotType::DprdKabKota
        ]
    );

    let pilkada = ElectionPackage::from_toml(&example_toml(PILKADA)).unwrap();
    assert_eq!(pilkada.zone, TimeZone::Wit);
    // 409 voters plus 2.5% rounded up (10.225 -> 11).
    assert!(pilkada.ballots.iter().all(|b| b.delivered == 420));
    assert_eq!(
        pilkada
            .ballot(BallotType::BupatiWalikota)
            .map(|b| b.participants.len()),
        Some(3)
    );
}

#[test]
fn a_sealed_package_reads_back_only_with_its_authority() {
    let authority = key(1);
    let package = ElectionPackage::from_toml(&example_toml(JABAR)).unwrap();
    let file = package.seal(&authority);
    assert_eq!(
        ElectionPackage::read(&file, &authority.verifying_key()).unwrap(),
        package
    );
    assert_eq!(
        ElectionPackage::read(&file, &key(9).verifying_key()).unwrap_err(),
        PackageError::Envelope(EnvelopeError::BadSignature {
            expected: "election package"
        })
    );
    let mut tampered = file.clone();
    tampered[20] ^= 0x01;
    assert!(ElectionPackage::read(&tampered, &authority.verifying_key()).is_err());
}

#[test]
fn a_file_of_another_kind_is_named() {
    let authority = key(1);
    let cert = support::certificate(&key(2), "pi-1", &authority, false);
    assert_eq!(
        ElectionPackage::read_unverified(&cert).unwrap_err(),
        PackageError::Envelope(EnvelopeError::WrongKind {
            expected: "election package",
            found: "device certificate"
        })
    );
    let package = support::package(JAKARTA, &authority);
    assert!(matches!(
        DeviceCertificate::read_unverified(&package),
        Err(CertificateError::Envelope(EnvelopeError::WrongKind {
            found: "election package",
            ..
        }))
    ));
    assert!(matches!(
        ElectionPackage::read_unverified(&package[..package.len() / 2]),
        Err(PackageError::Envelope(_))
    ));
}

#[test]
fn toml_mistakes_name_the_line() {
    let good = example_toml(JAKARTA);
    let bad_ballot = good.replacen("type = \"DPD\"", "type = \"DPRX\"", 1);
    let err = ElectionPackage::from_toml(&bad_ballot).unwrap_err();
    let line = bad_ballot.lines().position(|l| l.contains("DPRX")).unwrap() + 1;
    assert!(
        matches!(&err, PackageError::Field { line: l, problem } if *l == line && problem.contains("unknown ballot type 'DPRX'")),
        "{err}"
    );
    let pilkada_ballot_in_pemilu = good.replacen("type = \"DPD\"", "type = \"GUBERNUR\"", 1);
    assert!(
        ElectionPackage::from_toml(&pilkada_ballot_in_pemilu)
            .unwrap_err()
            .to_string()
            .contains("not part of pemilu-2024")
    );
    let bad_zone = good.replacen("zone = \"WIB\"", "zone = \"CET\"", 1);
    let zone_line = bad_zone.lines().position(|l| l.contains("CET")).unwrap() + 1;
    assert_eq!(
        ElectionPackage::from_toml(&bad_zone).unwrap_err(),
        PackageError::Field {
            line: zone_line,
            problem: "zone must be WIB, WITA or WIT".into()
        }
    );
    assert!(matches!(
        ElectionPackage::from_toml("procedure = "),
        Err(PackageError::Toml(_))
    ));
}

/// Regression: decoding a package once needed over 2 MiB of stack in a debug build (64
/// participants held inline in each of 8 ballot types), overflowing a spawned thread.
#[test]
fn the_largest_package_decodes_on_a_small_thread_stack() {
    let authority = key(1);
    let mut package = ElectionPackage::from_toml(&example_toml(JABAR)).unwrap();
    let name = Text::new(&"N".repeat(96)).unwrap();
    let full: Vec<Participant> = (1..=64)
        .map(|number| Participant {
            number,
            name: name.clone(),
        })
        .collect();
    let mut ballots = Vec::new();
    for _ in 0..8 {
        let mut b = package.ballots[0].clone();
        b.participants = Box::new(List::try_from(full.clone()).unwrap());
        ballots.push(b);
    }
    package.ballots = List::try_from(ballots).unwrap();
    let file = package.seal(&authority);
    let normal = support::package(JABAR, &authority);
    let verifying = authority.verifying_key();
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || {
            assert!(ElectionPackage::read(&normal, &verifying).is_ok());
            // Eight PPWP ballots is nonsense the content check refuses, after decoding.
            assert!(matches!(
                ElectionPackage::read_unverified(&file),
                Ok(_) | Err(PackageError::Invalid(_))
            ));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn certificates_carry_the_request_and_the_validity() {
    let device = key(3);
    let authority = key(4);
    let request_file = CertificateRequest::create("tps-31710110010012", &device).unwrap();
    let request = CertificateRequest::read(&request_file).unwrap();
    let cert_file = DeviceCertificate::issue(&request, &authority, 100, 200, true).unwrap();
    let cert = DeviceCertificate::read(&cert_file, &authority.verifying_key()).unwrap();
    assert_eq!(&*cert.device_id, "tps-31710110010012");
    assert_eq!(cert.public_key, device.verifying_key().to_bytes());
    assert_eq!(cert.authority, authority.verifying_key().to_bytes());
    assert!(cert.development);
    assert!(cert.valid_at(100) && cert.valid_at(200));
    assert!(!cert.valid_at(99) && !cert.valid_at(201));
    assert_eq!(
        DeviceCertificate::issue(&request, &authority, 200, 200, false).unwrap_err(),
        CertificateError::BadValidity
    );
    // A request signed by a key other than the one it names is refused.
    let mut forged = request_file.clone();
    let other = key(5).verifying_key().to_bytes();
    let at = forged
        .windows(32)
        .position(|w| w == device.verifying_key().to_bytes())
        .unwrap();
    forged[at..at + 32].copy_from_slice(&other);
    assert!(matches!(
        CertificateRequest::read(&forged),
        Err(CertificateError::Envelope(
            EnvelopeError::BadSignature { .. }
        ))
    ));
}
