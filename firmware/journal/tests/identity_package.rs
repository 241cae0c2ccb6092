//! Election packages and device certificates: built from the examples, signed, read back, and
//! refused with a reason when wrong.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use support::{JABAR, JAKARTA, PILKADA, example_toml, key};
use tps_base::bounded::{List, Text};
use tps_base::election::BallotType;
use tps_base::time::TimeZone;
use tps_journal::identity::cert::{CertificateError, CertificateRequest, DeviceCertificate};
use tps_journal::identity::package::{
    Candidate, ElectionPackage, MAX_CANDIDATES, MAX_PACKAGE_FILE, MAX_PARTICIPANTS, PackageError,
    Participant, SignedPackage,
};
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

#[test]
fn the_examples_party_ballots_carry_their_candidates() {
    let jakarta = ElectionPackage::from_toml(&example_toml(JAKARTA)).unwrap();
    let dpr = jakarta.ballot(BallotType::Dpr).unwrap();
    assert_eq!(dpr.participants.len(), 18);
    // DKI Jakarta II elects 7: no party lists more, and the largest lists are full.
    let longest = dpr.participants.iter().map(|p| p.candidates.len()).max();
    assert_eq!(longest, Some(7));
    let pdip = dpr.participant(3).unwrap();
    assert_eq!(
        pdip.candidates.iter().map(|c| c.number).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<u16>>()
    );
    assert!(pdip.candidate(7).is_some() && pdip.candidate(8).is_none());
    let prov = jakarta.ballot(BallotType::DprdProvinsi).unwrap();
    assert_eq!(
        prov.participants.iter().map(|p| p.candidates.len()).max(),
        Some(10)
    );
    // A pair and a DPD candidate are themselves the participant: no lists.
    for b in [BallotType::Ppwp, BallotType::Dpd] {
        let spec = jakarta.ballot(b).unwrap();
        assert!(spec.participants.iter().all(|p| p.candidates.is_empty()));
    }
    let jabar = ElectionPackage::from_toml(&example_toml(JABAR)).unwrap();
    for b in jabar.ballots.iter() {
        let listed = b.participants.iter().any(|p| !p.candidates.is_empty());
        assert_eq!(listed, b.ballot.lists_candidates(), "{}", b.ballot);
    }
}

/// The Jakarta example with `edit` made to the DPR ballot's first party (PKB, 7 candidates).
fn with_pkb(edit: impl Fn(&str) -> String) -> (String, usize) {
    let good = example_toml(JAKARTA);
    let start = good
        .find("name = \"Partai Kebangkitan Bangsa\"\ncandidates")
        .unwrap();
    let end = start + good[start..].find("\n]\n").unwrap();
    let text = format!(
        "{}{}{}",
        &good[..start],
        edit(&good[start..end]),
        &good[end..]
    );
    let line = text[..start].lines().count() + 2;
    (text, line)
}

fn field_error(text: &str) -> (usize, String) {
    match ElectionPackage::from_toml(text) {
        Err(PackageError::Field { line, problem }) => (line, problem),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_candidate_list_is_refused_naming_ballot_party_and_line() {
    let (twice, line) = with_pkb(|s| s.replacen("number = 2,", "number = 1,", 1));
    assert_eq!(
        field_error(&twice),
        (
            line,
            "DPR: participant 1 (Partai Kebangkitan Bangsa): candidate number 1 appears twice"
                .into()
        )
    );
    let (zero, _) = with_pkb(|s| s.replacen("number = 3,", "number = 0,", 1));
    assert!(field_error(&zero).1.contains("a number from 1 and a name"));
    let (nameless, _) = with_pkb(|s| {
        let at = s.find("number = 4, name = \"").unwrap() + "number = 4, name = \"".len();
        let close = at + s[at..].find('"').unwrap();
        format!("{}  {}", &s[..at], &s[close..])
    });
    assert!(
        field_error(&nameless)
            .1
            .contains("a number from 1 and a name")
    );
    let (long, _) = with_pkb(|s| {
        s.replacen(
            "number = 5, name = \"",
            &format!("number = 5, name = \"{}", "X".repeat(90)),
            1,
        )
    });
    assert!(field_error(&long).1.contains("longer than 96 bytes"));
    // Eleven on a DPR list: a DPR dapil has at most 10 seats.
    let (eleven, line) = with_pkb(|s| {
        let more: String = (8..=11)
            .map(|n| format!("  {{ number = {n}, name = \"Calon {n}\" }},\n"))
            .collect();
        format!("{s}\n{}", more.trim_end())
    });
    assert_eq!(
        field_error(&eleven),
        (
            line,
            "DPR: participant 1 (Partai Kebangkitan Bangsa) lists 11 candidates; a party lists \
             at most one per seat, and a DPR dapil has at most 10 seats (pemilu-2024)"
                .into()
        )
    );
    // Ten is the bound, so ten pass.
    let (ten, _) = with_pkb(|s| {
        let more: String = (8..=10)
            .map(|n| format!("  {{ number = {n}, name = \"Calon {n}\" }},\n"))
            .collect();
        format!("{s}\n{}", more.trim_end())
    });
    let package = ElectionPackage::from_toml(&ten).unwrap();
    let dpr = package.ballot(BallotType::Dpr).unwrap();
    assert_eq!(dpr.participant(1).unwrap().candidates.len(), 10);
}

#[test]
fn candidates_are_refused_on_a_ballot_without_lists() {
    let good = example_toml(JAKARTA);
    let pair = "{ number = 2, name = \"H. Prabowo Subianto - Gibran Rakabuming Raka\" }";
    assert!(good.contains(pair));
    let listed = good.replacen(
        pair,
        "{ number = 2, name = \"H. Prabowo Subianto - Gibran Rakabuming Raka\", candidates = [{ number = 1, name = \"Gibran Rakabuming Raka\" }] }",
        1,
    );
    let line = listed
        .lines()
        .position(|l| l.contains("candidates = [{"))
        .unwrap()
        + 1;
    let (at, problem) = field_error(&listed);
    assert_eq!(at, line);
    assert!(
        problem.starts_with(
            "PPWP: participant 2 (H. Prabowo Subianto - Gibran Rakabuming Raka) lists candidates, \
             but only a party ballot"
        ),
        "{problem}"
    );
    // An empty list says nothing, and is accepted.
    let empty = good.replacen(
        pair,
        "{ number = 2, name = \"H. Prabowo Subianto - Gibran Rakabuming Raka\", candidates = [] }",
        1,
    );
    assert!(ElectionPackage::from_toml(&empty).is_ok());
}

/// A signed package is checked again when read: a signature does not make a candidate list on
/// a PPWP ballot valid.
#[test]
fn a_signed_package_with_candidates_on_a_pair_is_refused() {
    let authority = key(1);
    let mut package = ElectionPackage::from_toml(&example_toml(JAKARTA)).unwrap();
    let dpr_list = package.ballot(BallotType::Dpr).unwrap().participants[0]
        .candidates
        .clone();
    // The PPWP ballot's first pair, given the DPR ballot's first list.
    package.ballots.as_mut_slice()[0]
        .participants
        .as_mut_slice()[0]
        .candidates = dpr_list;
    let file = package.seal(&authority);
    assert_eq!(
        ElectionPackage::read(&file, &authority.verifying_key()).unwrap_err(),
        PackageError::Invalid("PPWP: participant 1 lists 7 candidates, at most 0 allowed".into())
    );
}

/// Regression: decoding a package once needed over 2 MiB of stack in a debug build (64
/// participants held inline in each of 8 ballot types), overflowing a spawned thread. The
/// largest package now also lists 12 candidates under each participant.
#[test]
fn the_largest_package_decodes_on_a_small_thread_stack() {
    let authority = key(1);
    let mut package = ElectionPackage::from_toml(&example_toml(JABAR)).unwrap();
    let name = Text::new(&"N".repeat(96)).unwrap();
    let list: Vec<Candidate> = (1..=MAX_CANDIDATES as u16)
        .map(|number| Candidate {
            number,
            name: name.clone(),
        })
        .collect();
    let full: Vec<Participant> = (1..=MAX_PARTICIPANTS as u16)
        .map(|number| Participant {
            number,
            name: name.clone(),
            candidates: Box::new(List::try_from(list.clone()).unwrap()),
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
    assert!(file.len() <= MAX_PACKAGE_FILE, "{} bytes", file.len());
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
