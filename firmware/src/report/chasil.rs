//! The printed C.Hasil of one ballot type (issue 13, "What leaves the TPS"): the count in
//! figures a person reads on 58 mm paper, then the same figures as a `CH1` payload
//! ([`tps_domain::chasil`]) in a signed `TPSH1` sequence of QR codes ([`super::sequence`]) that
//! `tps-keys receipt verify` checks offline with the authority's key alone.

use ed25519_dalek::SigningKey;

use tps_base::election::BallotType;
use tps_domain::chasil::{self, PayloadError};
use tps_domain::package::{ElectionPackage, Participant};
use tps_domain::tally::Tally;
use tps_drivers::printer::{Align, COLUMNS, Line, Receipt};

use super::sequence::{self, EncodeError};

/// Why a C.Hasil cannot be printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChasilError {
    /// The package has no ballot of the type counted.
    #[error("the package has no {} ballot", .0.code())]
    BallotNotInPackage(BallotType),
    /// The tally has no payload (a participant or candidate twice, or absurd figures).
    #[error("the count has no C.Hasil payload: {0}")]
    Payload(PayloadError),
    /// The payload does not make a sequence of QR codes (the certificate is not the device's).
    #[error("the C.Hasil QR codes cannot be made: {0}")]
    Sequence(EncodeError),
}

/// A C.Hasil ready to print: the receipt, and what its QR codes hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChasilReport {
    /// The ballot type counted.
    pub ballot: BallotType,
    /// What to print.
    pub receipt: Receipt,
    /// The `CH1` payload the codes carry.
    pub payload: String,
    /// The `TPSH1` part texts, one QR code each, in order.
    pub parts: Vec<String>,
}

/// The figures' column: 5 wide (a TPS counts at most a few hundred), wider only for a larger
/// figure.
const FIGURE: usize = 5;

/// A line with `left` at the paper's left edge and `right` right-aligned in the figures' column;
/// `left` cut short to leave the column and a space.
fn spread(left: &str, right: &str) -> Line {
    let right = format!("{right:>FIGURE$}");
    let room = COLUMNS.saturating_sub(right.chars().count() + 1);
    let left: String = left.chars().take(room).collect();
    let pad = COLUMNS.saturating_sub(left.chars().count() + right.chars().count());
    Line::text(format!("{left}{}{right}", " ".repeat(pad)))
}

fn centred(text: String, bold: bool) -> Line {
    Line::Text {
        text,
        bold,
        double: false,
        align: Align::Center,
    }
}

/// The lines of one participant: its number, name and votes; on a party ballot then its
/// party-only votes and each candidate's, indented.
fn participant_lines(
    lines: &mut Vec<Line>,
    p: &tps_domain::tally::ParticipantVotes,
    on: Option<&Participant>,
    lists: bool,
) {
    let name = on.map_or(String::new(), |q| q.name.to_string());
    lines.push(spread(
        &format!("{}. {name}", p.number),
        &p.votes.to_string(),
    ));
    if !lists && p.party_only == 0 && p.candidates.is_empty() {
        return;
    }
    lines.push(spread("   Suara partai saja", &p.party_only.to_string()));
    for c in p.candidates.iter() {
        let name = on
            .and_then(|q| q.candidate(c.number))
            .map_or(String::new(), |x| x.name.to_string());
        lines.push(spread(
            &format!("   {}. {name}", c.number),
            &c.votes.to_string(),
        ));
    }
}

/// The C.Hasil of `tally` at `package`'s TPS, its codes signed by the device (`device`: its id
/// and certificate file; `key`) and standing on journal record `head` (sequence number and chain
/// hash), as the closing report's code does. One receipt: print it once per copy (one per saksi
/// present and one for the Pengawas TPS).
pub fn build(
    package: &ElectionPackage,
    tally: &Tally,
    device: (&str, &[u8]),
    head: (u64, [u8; 32]),
    key: &SigningKey,
) -> Result<ChasilReport, ChasilError> {
    let ballot = tally.ballot;
    let spec = package
        .ballot(ballot)
        .ok_or(ChasilError::BallotNotInPackage(ballot))?;
    let payload = chasil::encode(tally).map_err(ChasilError::Payload)?;
    let parts = sequence::encode(package.tps, ballot, device, head, &payload, key)
        .map_err(ChasilError::Sequence)?;
    let mut lines = vec![
        centred(
            format!("C.HASIL {}", ballot.short_name().to_uppercase()),
            true,
        ),
        Line::Rule,
        Line::text(format!("TPS: {}", package.tps)),
        Line::text(format!(
            "{}, {}",
            package.region.village, package.region.district
        )),
        Line::text(format!(
            "{}, {}",
            package.region.regency, package.region.province
        )),
        Line::text(format!("Dapil: {}", spec.dapil)),
        Line::text(format!("Tanggal: {}", package.date)),
        Line::text(format!("Perangkat: {}", device.0)),
        Line::Rule,
        spread("No. Peserta", "Suara"),
    ];
    let lists = ballot.lists_candidates();
    for p in tally.participants.iter() {
        participant_lines(&mut lines, p, spec.participant(p.number), lists);
    }
    let total = u64::from(tally.valid) + u64::from(tally.invalid);
    lines.extend([
        Line::Rule,
        spread("Suara sah", &tally.valid.to_string()),
        spread("Suara tidak sah", &tally.invalid.to_string()),
        spread("Jumlah", &total.to_string()),
        Line::Rule,
        Line::text(format!("Catatan ke: {}", head.0)),
        Line::text(format!("Hash {}", &hex::encode(head.1)[..16])),
    ]);
    let n = parts.len();
    for (i, part) in parts.iter().enumerate() {
        lines.push(centred(format!("QR {}/{n}", i + 1), true));
        lines.push(Line::Qr {
            payload: part.clone(),
        });
    }
    lines.push(centred("Periksa: tps-keys receipt verify".into(), false));
    lines.push(Line::Feed(2));
    Ok(ChasilReport {
        ballot,
        receipt: Receipt { lines },
        payload,
        parts,
    })
}
