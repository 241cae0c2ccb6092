//! Words of the election itself: kinds of election, ballot types, participants, TPS codes.
//! What the rules say about them (reserves, colours, order) lives in the procedure data.

use core::fmt;

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

/// Which election a package is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, MaxSize)]
pub enum ElectionKind {
    /// General election (President, DPR, DPD, DPRD).
    Pemilu,
    /// Regional head election (Governor, Regent/Mayor).
    Pilkada,
}

impl ElectionKind {
    /// Parses "pemilu" or "pilkada" (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "pemilu" => Some(Self::Pemilu),
            "pilkada" => Some(Self::Pilkada),
            _ => None,
        }
    }

    /// The lower-case name package files use: "pemilu" or "pilkada".
    pub fn name(self) -> &'static str {
        match self {
            Self::Pemilu => "pemilu",
            Self::Pilkada => "pilkada",
        }
    }
}

/// A kind of ballot paper.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, MaxSize,
)]
pub enum BallotType {
    /// President and Vice President.
    Ppwp,
    /// Dewan Perwakilan Rakyat (the national parliament).
    Dpr,
    /// Dewan Perwakilan Daerah (the regional representatives' council).
    Dpd,
    /// DPRD of the province.
    DprdProvinsi,
    /// DPRD of the regency or city.
    DprdKabKota,
    /// Governor and Vice Governor (Pilkada).
    Gubernur,
    /// Regent or Mayor and their deputy (Pilkada).
    BupatiWalikota,
}

impl BallotType {
    /// Every ballot type, in the order the forms list them.
    pub const ALL: [BallotType; 7] = [
        BallotType::Ppwp,
        BallotType::Dpr,
        BallotType::Dpd,
        BallotType::DprdProvinsi,
        BallotType::DprdKabKota,
        BallotType::Gubernur,
        BallotType::BupatiWalikota,
    ];

    /// The code used in package files and on screen: PPWP, DPR, DPD, DPRD-PROV, DPRD-KABKOTA,
    /// GUBERNUR, BUPATI-WALIKOTA.
    pub fn code(self) -> &'static str {
        match self {
            BallotType::Ppwp => "PPWP",
            BallotType::Dpr => "DPR",
            BallotType::Dpd => "DPD",
            BallotType::DprdProvinsi => "DPRD-PROV",
            BallotType::DprdKabKota => "DPRD-KABKOTA",
            BallotType::Gubernur => "GUBERNUR",
            BallotType::BupatiWalikota => "BUPATI-WALIKOTA",
        }
    }

    /// The name the forms give the ballot type in short (Model C.Hasil-PPWP, -DPR, -DPD,
    /// -DPRD Prov, -DPRD Kab/Kota; Gubernur and Bupati/Walikota on the Pilkada -KWK forms), at
    /// most 15 characters: for a chip on the screen or a receipt's table. Never the code.
    pub fn short_name(self) -> &'static str {
        match self {
            BallotType::Ppwp => "PPWP",
            BallotType::Dpr => "DPR",
            BallotType::Dpd => "DPD",
            BallotType::DprdProvinsi => "DPRD Prov",
            BallotType::DprdKabKota => "DPRD Kab/Kota",
            BallotType::Gubernur => "Gubernur",
            BallotType::BupatiWalikota => "Bupati/Walikota",
        }
    }

    /// Parses a code (any case) as [`code`](Self::code) gives it.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|b| b.code().eq_ignore_ascii_case(code))
    }

    /// Whether a party on this ballot lists its candidates (DPR and both DPRD ballots), so that
    /// a vote goes to the party alone or to one of its candidates (issue 13; the C.Hasil of these
    /// ballots counts both). A PPWP or Pilkada pair and a DPD candidate are themselves the
    /// participant.
    pub fn lists_candidates(self) -> bool {
        self.participant_kind() == ParticipantKind::Partai
    }

    /// Who stands on this ballot: saksi represent these.
    pub fn participant_kind(self) -> ParticipantKind {
        match self {
            BallotType::Ppwp => ParticipantKind::PasanganPresiden,
            BallotType::Dpr | BallotType::DprdProvinsi | BallotType::DprdKabKota => {
                ParticipantKind::Partai
            }
            BallotType::Dpd => ParticipantKind::CalonDpd,
            BallotType::Gubernur => ParticipantKind::PasanganGubernur,
            BallotType::BupatiWalikota => ParticipantKind::PasanganBupatiWalikota,
        }
    }
}

impl fmt::Display for BallotType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What kind of election participant a saksi can represent. A party stands on the DPR and both
/// DPRD ballots but is one participant.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, MaxSize,
)]
pub enum ParticipantKind {
    /// A presidential ticket (PPWP ballot).
    PasanganPresiden,
    /// A political party (DPR and both DPRD ballots).
    Partai,
    /// A DPD candidate.
    CalonDpd,
    /// A governor ticket (Pilkada).
    PasanganGubernur,
    /// A regent or mayor ticket (Pilkada).
    PasanganBupatiWalikota,
}

impl ParticipantKind {
    /// The kind's name in Indonesian.
    pub fn label_id(self) -> &'static str {
        match self {
            ParticipantKind::PasanganPresiden => "Pasangan Calon Presiden",
            ParticipantKind::Partai => "Partai Politik",
            ParticipantKind::CalonDpd => "Calon DPD",
            ParticipantKind::PasanganGubernur => "Pasangan Calon Gubernur",
            ParticipantKind::PasanganBupatiWalikota => "Pasangan Calon Bupati/Walikota",
        }
    }

    /// The kind's name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            ParticipantKind::PasanganPresiden => "Presidential ticket",
            ParticipantKind::Partai => "Political party",
            ParticipantKind::CalonDpd => "DPD candidate",
            ParticipantKind::PasanganGubernur => "Governor ticket",
            ParticipantKind::PasanganBupatiWalikota => "Regent/Mayor ticket",
        }
    }
}

/// One election participant: its kind and its ballot number.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, MaxSize,
)]
pub struct ParticipantId {
    /// Which kind of participant.
    pub kind: ParticipantKind,
    /// The participant's ballot number.
    pub number: u16,
}

/// A TPS code: province.regency.district.village.TPS, e.g. `31.71.01.1001.001`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, MaxSize)]
pub struct TpsCode {
    /// Province code (2 digits).
    pub province: u8,
    /// Regency or city code (2 digits).
    pub regency: u8,
    /// District (kecamatan) code (2 digits).
    pub district: u8,
    /// Village (kelurahan/desa) code (4 digits).
    pub village: u16,
    /// The TPS's number in the village (3 digits).
    pub tps: u16,
}

impl TpsCode {
    /// Parses `PP.RR.DD.VVVV.TTT` (the Kemendagri region code followed by the TPS number).
    pub fn parse(s: &str) -> Option<Self> {
        let parts: Vec<&str> = s.trim().split('.').collect();
        let [p, r, d, v, t] = parts.as_slice() else {
            return None;
        };
        let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(p, 2) && digits(r, 2) && digits(d, 2) && digits(v, 4) && digits(t, 3)) {
            return None;
        }
        let code = TpsCode {
            province: p.parse().ok()?,
            regency: r.parse().ok()?,
            district: d.parse().ok()?,
            village: v.parse().ok()?,
            tps: t.parse().ok()?,
        };
        (code.province > 0 && code.tps > 0).then_some(code)
    }
}

impl fmt::Display for TpsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}.{:02}.{:02}.{:04}.{:03}",
            self.province, self.regency, self.district, self.village, self.tps
        )
    }
}

/// A count split by sex, as the forms ask for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, MaxSize)]
pub struct MaleFemale {
    /// Men.
    pub male: u32,
    /// Women.
    pub female: u32,
}

impl MaleFemale {
    /// Men and women together (saturating).
    pub fn total(self) -> u32 {
        self.male.saturating_add(self.female)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tps_codes_round_trip_and_refuse_malformed_codes() {
        let code = TpsCode::parse("31.71.01.1001.001").unwrap();
        assert_eq!(code.to_string(), "31.71.01.1001.001");
        assert!(TpsCode::parse("31.71.01.1001").is_none());
        assert!(TpsCode::parse("31.71.1.1001.001").is_none());
        assert!(TpsCode::parse("31.71.01.1001.000").is_none());
        assert!(TpsCode::parse("3a.71.01.1001.001").is_none());
    }

    #[test]
    fn short_names_fit_a_receipt_column_and_are_not_package_codes() {
        for b in BallotType::ALL {
            let name = b.short_name();
            assert!(name.len() <= 15, "{name}");
            // A code with a dash or all in capitals past four letters is the package's, not
            // the forms'.
            assert!(!name.contains('-'), "{name}");
            assert!(name.len() <= 4 || name != name.to_uppercase(), "{name}");
        }
    }

    #[test]
    fn a_party_is_one_participant_on_three_ballots() {
        assert_eq!(
            BallotType::Dpr.participant_kind(),
            BallotType::DprdKabKota.participant_kind()
        );
        assert_eq!(
            BallotType::parse("dprd-prov"),
            Some(BallotType::DprdProvinsi)
        );
        assert_eq!(BallotType::parse("DPRD"), None);
    }

    #[test]
    fn only_the_party_ballots_list_candidates() {
        let listing: Vec<BallotType> = BallotType::ALL
            .into_iter()
            .filter(|b| b.lists_candidates())
            .collect();
        assert_eq!(
            listing,
            [
                BallotType::Dpr,
                BallotType::DprdProvinsi,
                BallotType::DprdKabKota
            ]
        );
    }
}
