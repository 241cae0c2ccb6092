//! The printed C.Hasil: the figures a person reads on 58 mm paper, and its QR codes, printed on
//! the simulated printer and read back from the PNG by a real decoder (zbarimg), verify with the
//! authority's key and give back the very count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ed25519_dalek::SigningKey;

use tps_firmware::bounded::{List, Text};
use tps_firmware::chasil;
use tps_firmware::drivers::printer::{COLUMNS, Line, escpos_bytes};
use tps_firmware::election::{BallotType, ElectionKind, MaleFemale, TpsCode};
use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_firmware::identity::package::ElectionPackage;
use tps_firmware::report::chasil::{ChasilError, build};
use tps_firmware::report::sequence::QrSequence;
use tps_firmware::tally::Tally;
use tps_firmware::time::{Date, TimeZone};

use tps_domain::package::{BallotSpec, Candidate, Participant, Region};

const DEVICE: &str = "pi-0001";

fn keys() -> (SigningKey, SigningKey, Vec<u8>) {
    let authority = SigningKey::from_bytes(&[1; 32]);
    let device = SigningKey::from_bytes(&[2; 32]);
    let request =
        CertificateRequest::read(&CertificateRequest::create(DEVICE, &device).unwrap()).unwrap();
    let cert = DeviceCertificate::issue(&request, &authority, 0, i64::MAX, false).unwrap();
    (authority, device, cert)
}

fn text<const N: usize>(s: &str) -> Text<N> {
    Text::new(s).unwrap()
}

/// A party of a Jakarta dapil's size: 10 candidates, names longer than the paper is wide.
fn party(number: u16) -> Participant {
    let candidates: Vec<Candidate> = (1..=10)
        .map(|n| Candidate {
            number: n,
            name: text(&format!("Calon Sintetis Nomor {n} Partai {number} Panjang")),
        })
        .collect();
    Participant {
        number,
        name: text(&format!(
            "Partai Sintetis Nomor {number} Persatuan Indonesia Raya"
        )),
        candidates: Box::new(List::try_from(candidates).unwrap()),
    }
}

/// The largest DPR ballot of issue 13 (18 parties of 10 candidates; the example package's DPR
/// dapil lists 7), as plain data.
fn package() -> ElectionPackage {
    let parties: Vec<Participant> = (1..=17).chain([24]).map(party).collect();
    ElectionPackage {
        tps: TpsCode::parse("31.71.01.1001.012").unwrap(),
        address: text("Jl. Contoh 1"),
        region: Region {
            province: text("DKI Jakarta"),
            regency: text("Kota Administrasi Jakarta Pusat"),
            district: text("Gambir"),
            village: text("Gambir"),
        },
        election: ElectionKind::Pemilu,
        date: Date::parse("2024-02-14").unwrap(),
        zone: TimeZone::Wib,
        dpt: MaleFemale {
            male: 150,
            female: 150,
        },
        ballots: List::try_from(vec![BallotSpec {
            ballot: BallotType::Dpr,
            dapil: text("DKI Jakarta II"),
            delivered: 306,
            participants: Box::new(List::try_from(parties).unwrap()),
        }])
        .unwrap(),
        procedure: text("pemilu-2024"),
        devices: List::new(),
    }
}

/// A count of that ballot that adds up, each figure drawn from `figure(party, candidate)`
/// (candidate 0: the party-only votes).
fn tally(figure: impl Fn(u32, u32) -> u32) -> Tally {
    let p = package();
    let mut t = Tally::blank(p.ballot(BallotType::Dpr).unwrap());
    let mut valid = 0;
    for x in t.participants.as_mut_slice() {
        let n = u32::from(x.number);
        x.party_only = figure(n, 0);
        for c in x.candidates.as_mut_slice() {
            c.votes = figure(n, u32::from(c.number));
        }
        x.votes = x.party_only + x.candidates.iter().map(|c| c.votes).sum::<u32>();
        valid += x.votes;
    }
    t.valid = valid;
    t.invalid = 7;
    t
}

/// A TPS's count: at most 300 voters, so most candidates have a handful of votes.
fn realistic() -> Tally {
    tally(|p, c| (p * 7 + c * 3) % 3 + u32::from(c == 0) * (p % 9))
}

fn qr_version(text: &str) -> i16 {
    let qr =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
    match qr.version() {
        qrcode::Version::Normal(v) => v,
        qrcode::Version::Micro(v) => -v,
    }
}

fn printed(t: &Tally) -> tps_firmware::report::chasil::ChasilReport {
    let (_, device, cert) = keys();
    build(&package(), t, (DEVICE, &cert), (57, [9; 32]), &device).unwrap()
}

#[test]
fn the_receipt_shows_every_figure_within_the_paper() {
    let t = realistic();
    let report = printed(&t);
    let texts: Vec<&str> = report
        .receipt
        .lines
        .iter()
        .filter_map(|l| match l {
            Line::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts[0], "C.HASIL DPR");
    assert!(texts.contains(&"TPS: 31.71.01.1001.012"));
    // The table, from its head to the total, is within the paper's width: nothing wraps.
    let head = texts
        .iter()
        .position(|l| l.starts_with("No. Peserta"))
        .unwrap();
    let end = texts.iter().position(|l| l.starts_with("Jumlah")).unwrap();
    assert!(
        texts[head..=end]
            .iter()
            .all(|l| l.chars().count() <= COLUMNS),
        "{texts:#?}"
    );
    // Party 24's row: its number, its name cut short, its votes at the right edge.
    let votes = t.participants[17].votes.to_string();
    let row = texts
        .iter()
        .find(|l| l.starts_with("24. Partai Sintetis"))
        .unwrap();
    assert!(
        row.ends_with(&format!(" {votes}")) && row.len() == COLUMNS,
        "{row}"
    );
    // A row per party, per party-only figure and per candidate.
    assert_eq!(
        texts.iter().filter(|l| l.starts_with("   ")).count(),
        18 * 11
    );
    let total = format!("{}", t.valid + t.invalid);
    assert!(
        texts
            .iter()
            .any(|l| l.starts_with("Suara sah") && l.ends_with(&t.valid.to_string()))
    );
    assert!(
        texts
            .iter()
            .any(|l| l.starts_with("Jumlah") && l.ends_with(&total))
    );
    let qrs: Vec<&str> = report
        .receipt
        .lines
        .iter()
        .filter_map(|l| match l {
            Line::Qr { payload } => Some(payload.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        qrs,
        report.parts.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let n = qrs.len();
    assert!(texts.contains(&format!("QR {n}/{n}").as_str()));
    assert_eq!(chasil::decode(&report.payload).unwrap(), t);
}

#[test]
fn a_count_without_its_ballot_or_with_a_party_twice_is_not_printed() {
    let (_, device, cert) = keys();
    let mut t = realistic();
    t.ballot = BallotType::Dpd;
    assert_eq!(
        build(&package(), &t, (DEVICE, &cert), (57, [9; 32]), &device),
        Err(ChasilError::BallotNotInPackage(BallotType::Dpd))
    );
    let mut t = realistic();
    let again = t.participants[0].clone();
    t.participants.push(again).unwrap();
    assert_eq!(
        build(&package(), &t, (DEVICE, &cert), (57, [9; 32]), &device),
        Err(ChasilError::Payload(
            chasil::PayloadError::ParticipantTwice { participant: 1 }
        ))
    );
}

/// The receipt printed the way the kiosk prints it (ESC/POS to the simulated 58 mm printer,
/// drawn one pixel a dot), its codes read back by zbarimg, verify and give back the count;
/// prints how many codes and which versions, for a TPS's count and for one with every figure
/// at 3 digits (more than a TPS of 300 voters can count). Skipped, saying so, only where
/// `zbarimg` (Debian: zbar-tools) is not installed.
#[test]
fn the_printed_codes_read_back_verify_and_give_the_count() {
    if !tps_hal_sim::render::zbar_available() {
        eprintln!("SKIPPED: zbarimg is not installed (apt-get install zbar-tools)");
        return;
    }
    let (authority, ..) = keys();
    let dir = tempfile::tempdir().unwrap();
    let worst = tally(|p, c| 100 + (p * 131 + c * 97) % 900);
    for (name, t) in [("realistic", realistic()), ("3-digit", worst)] {
        let report = printed(&t);
        let receipts = tps_hal_sim::render::parse_receipts(&escpos_bytes(&report.receipt).unwrap());
        assert_eq!(receipts.len(), 1);
        let png = dir.path().join(format!("{name}.png"));
        std::fs::write(&png, receipts[0].to_png().unwrap()).unwrap();
        let read = tps_hal_sim::render::read_qr_codes(&png).unwrap();
        assert_eq!(read.len(), report.parts.len(), "{name}");
        let s = QrSequence::decode(&read).unwrap();
        s.verify(&authority.verifying_key()).unwrap();
        s.expect_tps(package().tps).unwrap();
        assert_eq!(s.header.ballot, BallotType::Dpr);
        assert_eq!(chasil::decode(&s.payload).unwrap(), t);
        let versions: Vec<i16> = report.parts.iter().map(|p| qr_version(p)).collect();
        assert!(versions.iter().all(|v| (1..=18).contains(v)));
        println!(
            "C.Hasil DPR 18 parties x 10 candidates, {name} figures (valid {}): {} payload \
             characters, {} QR codes, versions {versions:?}",
            t.valid,
            report.payload.len(),
            report.parts.len()
        );
    }
}
