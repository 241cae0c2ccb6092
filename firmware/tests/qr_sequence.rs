//! The signed QR sequence (`TPSH1`) that carries a C.Hasil too long for one code: round trip,
//! every way a set of texts can be wrong, any order or repetition of a valid set, and the codes
//! printed on the simulated 58 mm paper read back by a real decoder (zbarimg).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ed25519_dalek::SigningKey;
use proptest::prelude::*;

use tps_firmware::drivers::printer::{Line, Receipt, escpos_bytes};
use tps_firmware::election::{BallotType, TpsCode};
use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_firmware::report::Codes;
use tps_firmware::report::sequence::{
    self, EncodeError, MAX_PART_TEXT, MAX_PARTS, MAX_PAYLOAD, MAX_TEXTS, QrSequence, SequenceError,
};
use tps_firmware::text::Lang;

const DEVICE: &str = "pi-0001";

fn keys() -> (SigningKey, SigningKey, Vec<u8>) {
    let authority = SigningKey::from_bytes(&[1; 32]);
    let device = SigningKey::from_bytes(&[2; 32]);
    let request =
        CertificateRequest::read(&CertificateRequest::create(DEVICE, &device).unwrap()).unwrap();
    let cert = DeviceCertificate::issue(&request, &authority, 0, i64::MAX, false).unwrap();
    (authority, device, cert)
}

fn tps() -> TpsCode {
    TpsCode::parse("32.73.08.1004.007").unwrap()
}

/// A DPR result: 18 parties, each with its own votes and 10 candidates'.
fn large_payload() -> String {
    let mut entries = Vec::new();
    for party in 1..=18 {
        entries.push(format!("{party}:{}", 100 + party * 7));
        for c in 1..=10 {
            entries.push(format!("{party}.{c}:{}", (party * 131 + c * 97) % 1000));
        }
    }
    entries.push("SAH:2893/TIDAK-SAH:12".into());
    entries.join("/")
}

fn sign(payload: &str) -> Vec<String> {
    let (_, device, cert) = keys();
    sequence::encode(
        tps(),
        BallotType::Dpr,
        (DEVICE, &cert),
        (57, [9; 32]),
        payload,
        &device,
    )
    .unwrap()
}

fn check(parts: &[String]) -> Result<QrSequence, SequenceError> {
    let (authority, ..) = keys();
    let s = QrSequence::decode(parts)?;
    s.verify(&authority.verifying_key())?;
    Ok(s)
}

fn qr_version(text: &str) -> i16 {
    let qr =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
    match qr.version() {
        qrcode::Version::Normal(v) => v,
        qrcode::Version::Micro(v) => -v,
    }
}

#[test]
fn a_large_result_round_trips_in_parts_that_fit_a_thermal_qr() {
    let payload = large_payload();
    assert!(payload.len() > 1600, "{}", payload.len());
    let parts = sign(&payload);
    assert!(parts.len() > 1);
    for p in &parts {
        assert!(p.len() <= MAX_PART_TEXT);
        assert!(qr_version(p) <= 18, "{p}");
    }
    let s = check(&parts).unwrap();
    assert_eq!(s.payload, payload);
    assert_eq!(s.header.tps, tps());
    assert_eq!(s.header.ballot, BallotType::Dpr);
    assert_eq!(s.header.seq, 57);
    assert_eq!(s.head, [9; 32]);
    let (authority, ..) = keys();
    let cert = s.verify(&authority.verifying_key()).unwrap();
    assert_eq!(cert.device_id.as_str(), DEVICE);
    s.expect_tps(tps()).unwrap();
    // A short result is one code.
    let one = sign("1:120/2:98/3:77");
    assert_eq!(one.len(), 1);
    assert_eq!(check(&one).unwrap().payload, "1:120/2:98/3:77");
}

/// A verifier scans the codes in any order, some twice; the sequence gives them back in the
/// order printed, so that their digest is the one the kiosk's `ReportPrinted` record holds.
#[test]
fn the_parts_come_back_in_printed_order_for_the_printed_digest() {
    let parts = sign(&large_payload());
    let mut scanned: Vec<String> = parts.iter().rev().cloned().collect();
    scanned.push(parts[0].clone());
    let s = check(&scanned).unwrap();
    assert_eq!(s.parts(), parts.as_slice());
    assert_eq!(
        Codes::Sequence(s.parts().to_vec()).digest(),
        Codes::Sequence(parts).digest()
    );
}

#[test]
fn the_largest_payload_fits_the_most_parts_and_a_longer_one_is_refused() {
    let (_, device, cert) = keys();
    let enc = |payload: &str| {
        sequence::encode(
            tps(),
            BallotType::BupatiWalikota,
            (DEVICE, &cert),
            (u64::MAX, [0xFF; 32]),
            payload,
            &device,
        )
    };
    let parts = enc(&"9".repeat(MAX_PAYLOAD)).unwrap();
    assert!(parts.len() <= MAX_PARTS);
    assert!(parts.iter().all(|p| p.len() <= MAX_PART_TEXT));
    assert_eq!(check(&parts).unwrap().payload.len(), MAX_PAYLOAD);
    assert_eq!(
        enc(&"9".repeat(MAX_PAYLOAD + 1)),
        Err(EncodeError::PayloadTooLong {
            len: MAX_PAYLOAD + 1
        })
    );
    assert_eq!(enc(""), Err(EncodeError::EmptyPayload));
    assert_eq!(
        enc("1=120;2=98"),
        Err(EncodeError::PayloadCharacter { at: 1, found: '=' })
    );
    assert_eq!(
        enc("1:120 2:98"),
        Err(EncodeError::PayloadCharacter { at: 5, found: ' ' })
    );
    assert_eq!(
        enc("A*B"),
        Err(EncodeError::PayloadCharacter { at: 1, found: '*' })
    );
    let other = sequence::encode(
        tps(),
        BallotType::Dpr,
        ("pi-0002", &cert),
        (1, [0; 32]),
        "1:2",
        &device,
    );
    assert_eq!(other, Err(EncodeError::Certificate("pi-0002".into())));
}

#[test]
fn every_hostile_set_of_texts_is_named() {
    let parts = sign(&large_payload());
    let n = parts.len();
    let (authority, ..) = keys();
    let err = |texts: &[String]| check(texts).unwrap_err();

    assert_eq!(err(&[]), SequenceError::NoParts);
    let many: Vec<String> = std::iter::repeat_n(parts[0].clone(), MAX_TEXTS + 1).collect();
    assert_eq!(
        err(&many),
        SequenceError::TooManyTexts {
            count: MAX_TEXTS + 1
        }
    );
    // Missing part.
    assert_eq!(
        err(&parts[1..]),
        SequenceError::MissingParts {
            missing: vec![1],
            count: n
        }
    );
    // Oversize, foreign characters, not ours.
    let long = format!("{}{}", parts[0], "9".repeat(MAX_PART_TEXT));
    assert!(matches!(
        err(&[long]),
        SequenceError::PartTooLong { part: 1, .. }
    ));
    for hostile in [
        "TPSH1*1/1*\n",
        "TPSH1*1/1*\u{1b}[2J",
        "tpsh1*1/1",
        "TPSH1 1/1",
        "ä",
    ] {
        assert!(
            matches!(
                err(&[hostile.to_string()]),
                SequenceError::ForeignCharacter { part: 1, .. }
            ),
            "{hostile:?}"
        );
    }
    assert_eq!(
        err(&["TPSK2*X".to_string()]),
        SequenceError::NotOurs { part: 1 }
    );
    assert!(matches!(
        err(&["TPSH1*1/1*32.73.08.1004.007".to_string()]),
        SequenceError::Malformed { part: 1, .. }
    ));
    let leading_zero = parts[n - 1].replacen(&format!("*{n}/{n}*"), &format!("*0{n}/{n}*"), 1);
    assert_eq!(
        err(&[leading_zero]),
        SequenceError::Malformed {
            part: 1,
            what: "the part number is not I/N"
        }
    );
    assert_eq!(
        err(&[parts[n - 1].replacen(&format!("*{n}/{n}*"), &format!("*{n}/99*"), 1)]),
        SequenceError::TooManyParts { part: 1, count: 99 }
    );
    // Wrong TPS: parts of two TPSs are mixed; a whole sequence of another TPS is wrong.
    let other_tps = parts[1].replacen("32.73.08.1004.007", "32.73.08.1004.008", 1);
    let mixed = [parts[0].clone(), other_tps];
    assert_eq!(err(&mixed), SequenceError::MixedSequences { part: 2 });
    let s = QrSequence::decode(&parts).unwrap();
    let expected = TpsCode::parse("32.73.08.1004.008").unwrap();
    assert_eq!(
        s.expect_tps(expected),
        Err(SequenceError::WrongTps {
            expected,
            found: tps()
        })
    );
    // Two sequences of the same TPS and ballot: another record.
    let (_, device, cert) = keys();
    let later = sequence::encode(
        tps(),
        BallotType::Dpr,
        (DEVICE, &cert),
        (58, [9; 32]),
        &large_payload(),
        &device,
    )
    .unwrap();
    let mixed = [parts[0].clone(), later[1].clone()];
    assert_eq!(err(&mixed), SequenceError::MixedSequences { part: 2 });
    // Same header, another payload: part 2 of it conflicts, or breaks the chain.
    let changed = sign(&large_payload().replacen("1:107", "1:108", 1));
    let both = [parts.clone(), vec![changed[0].clone()]].concat();
    assert_eq!(err(&both), SequenceError::ConflictingPart { index: 1 });
    let mut spliced = parts.clone();
    spliced[0] = changed[0].clone();
    assert_eq!(err(&spliced), SequenceError::BrokenChain { index: 2 });
    // The last part re-signed by another key: bad signature; another authority: certificate.
    let forged = {
        let last = &parts[n - 1];
        let cut = last.rfind('*').unwrap();
        let sig = tps_firmware::identity::signed::sign(
            tps_firmware::identity::signed::SignedKind::QrSequence,
            &SigningKey::from_bytes(&[3; 32]),
            &last.as_bytes()[..cut],
        );
        let mut f = parts.clone();
        f[n - 1] = format!("{}*{}", &last[..cut], hex::encode_upper(sig));
        f
    };
    assert_eq!(err(&forged), SequenceError::BadSignature);
    let other = SigningKey::from_bytes(&[4; 32]).verifying_key();
    assert!(matches!(
        QrSequence::decode(&parts).unwrap().verify(&other),
        Err(SequenceError::Certificate(_))
    ));
    // A signature for a receipt code (another context) does not pass.
    let (_, device, _) = keys();
    let last = &parts[n - 1];
    let cut = last.rfind('*').unwrap();
    let sig = tps_firmware::identity::signed::sign(
        tps_firmware::identity::signed::SignedKind::Report,
        &device,
        &last.as_bytes()[..cut],
    );
    let mut f = parts.clone();
    f[n - 1] = format!("{}*{}", &last[..cut], hex::encode_upper(sig));
    assert_eq!(err(&f), SequenceError::BadSignature);
    assert!(
        QrSequence::decode(&parts)
            .unwrap()
            .verify(&authority.verifying_key())
            .is_ok()
    );
    // Every message says the part in both languages.
    let e = SequenceError::MissingParts {
        missing: vec![2, 3],
        count: 4,
    };
    assert_eq!(e.message(Lang::En), "part 2, 3 of 4 missing");
    assert_eq!(e.message(Lang::Id), "bagian 2, 3 dari 4 tidak ada");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_order_and_repetition_verifies(picks in proptest::collection::vec(0usize..64, 0..12), seed in any::<u64>()) {
        let parts = sign(&large_payload());
        let mut texts: Vec<String> = parts.clone();
        texts.extend(picks.iter().map(|i| parts[i % parts.len()].clone()));
        // A permutation drawn from the seed.
        let mut s = seed;
        for i in (1..texts.len()).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            texts.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(check(&texts).unwrap().payload, large_payload());
    }

    #[test]
    fn any_single_byte_changed_fails(which in 0usize..8, at in 0usize..MAX_PART_TEXT, to in 0u8..128) {
        let parts = sign(&large_payload());
        let which = which % parts.len();
        let mut bytes = parts[which].clone().into_bytes();
        let at = at % bytes.len();
        prop_assume!(bytes[at] != to);
        bytes[at] = to;
        let mut texts = parts.clone();
        texts[which] = String::from_utf8(bytes).unwrap();
        prop_assert!(check(&texts).is_err());
    }
}

/// The codes printed the way the kiosk prints them (ESC/POS to the simulated 58 mm printer,
/// drawn one pixel a dot) and read back by zbarimg verify; prints how many codes and which
/// version. Skipped, saying so, only where `zbarimg` (Debian: zbar-tools) is not installed.
#[test]
fn the_printed_sequence_reads_back_through_a_real_decoder() {
    if !tps_hal_sim::render::zbar_available() {
        eprintln!("SKIPPED: zbarimg is not installed (apt-get install zbar-tools)");
        return;
    }
    let payload = large_payload();
    let parts = sign(&payload);
    let dir = tempfile::tempdir().unwrap();
    let mut read = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let receipt = Receipt {
            lines: vec![
                Line::text(format!("C.Hasil DPR {}/{}", i + 1, parts.len())),
                Line::Qr {
                    payload: part.clone(),
                },
            ],
        };
        let printed = tps_hal_sim::render::parse_receipts(&escpos_bytes(&receipt).unwrap());
        let png = dir.path().join(format!("part-{}.png", i + 1));
        std::fs::write(&png, printed[0].to_png().unwrap()).unwrap();
        read.extend(tps_hal_sim::render::read_qr_codes(&png).unwrap());
    }
    // Scanned in reverse, as a saksi might.
    read.reverse();
    assert_eq!(check(&read).unwrap().payload, payload);
    let versions: Vec<i16> = parts.iter().map(|p| qr_version(p)).collect();
    let modules = |v: i16| 17 + 4 * v as usize;
    println!(
        "{} characters of payload: {} QR codes, versions {versions:?}, {} dots a module",
        payload.len(),
        parts.len(),
        384 / (modules(versions[0]) + 8)
    );
    assert!(versions.iter().all(|v| (1..=18).contains(v)));
}
