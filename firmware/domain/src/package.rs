//! The election package's contents: what the authority tells a device about its TPS and its
//! election, as plain data. The engine reads it; the signed file and its TOML source are
//! identity's (`tps_journal::identity::package`).

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};
use tps_base::bounded::{List, Text};
use tps_base::election::{BallotType, ElectionKind, MaleFemale, ParticipantId, TpsCode};
use tps_base::time::{Date, TimeZone};

/// The most participants one ballot lists: our own bound.
pub const MAX_PARTICIPANTS: usize = 64;

/// The most candidates a party lists on one ballot. A party lists at most as many candidates as
/// its dapil has seats (UU 7/2017 Pasal 244), and a dapil has at most 10 DPR seats or 12 DPRD
/// seats (Pasal 187, 189, 192); the procedure's `candidates_max` gives each ballot type's own
/// bound within this one. The law is public but not in `shared/reference/seeds/`.
pub const MAX_CANDIDATES: usize = 12;

/// One candidate on a party's list: their number under the party on the ballot and their name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Candidate {
    /// Their number in the party's list, from 1.
    pub number: u16,
    /// Their name.
    pub name: Text<96>,
}

/// One participant on a ballot: its ballot number and name, and on a party ballot
/// ([`BallotType::lists_candidates`]) the party's candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Participant {
    /// Its number on the ballot.
    pub number: u16,
    /// Its name.
    pub name: Text<96>,
    /// The party's candidates in this dapil, in list order; empty on a ballot without lists
    /// (a PPWP or Pilkada pair, a DPD candidate). Boxed: a full list is 1.2 KiB, and 64 of them
    /// held inline would be 77 KiB per ballot on the stack while decoding.
    pub candidates: Box<List<Candidate, MAX_CANDIDATES>>,
}

impl Participant {
    /// Its number and name, as the ballot shows them: "3. Partai Demokrasi Indonesia
    /// Perjuangan".
    pub fn title(&self) -> String {
        format!("{}. {}", self.number, self.name)
    }

    /// The candidate with list number `number`, if the party lists one.
    pub fn candidate(&self, number: u16) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.number == number)
    }
}

/// One ballot type at this TPS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct BallotSpec {
    /// The ballot type.
    pub ballot: BallotType,
    /// The electoral district (daerah pemilihan) the ballots must be for.
    pub dapil: Text<64>,
    /// Ballots delivered: DPT plus the procedure's reserve.
    pub delivered: u32,
    /// Boxed: 64 participants are 6 KiB without their candidates, and a package of 8 ballot
    /// types held inline made decoding need over 2 MiB of stack in a debug build.
    pub participants: Box<List<Participant, MAX_PARTICIPANTS>>,
}

impl BallotSpec {
    /// The participant with ballot number `number`, if this ballot lists one.
    pub fn participant(&self, number: u16) -> Option<&Participant> {
        self.participants.iter().find(|p| p.number == number)
    }
}

/// Names of the TPS's administrative regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Region {
    /// The province.
    pub province: Text<48>,
    /// The regency (kabupaten) or city (kota).
    pub regency: Text<48>,
    /// The district (kecamatan).
    pub district: Text<48>,
    /// The village (kelurahan/desa).
    pub village: Text<48>,
}

/// A signed statement of one TPS's election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct ElectionPackage {
    /// The TPS's code.
    pub tps: TpsCode,
    /// Where the TPS is.
    pub address: Text<160>,
    /// The names of its regions.
    pub region: Region,
    /// The kind of election.
    pub election: ElectionKind,
    /// Election day.
    pub date: Date,
    /// The TPS's time zone.
    pub zone: TimeZone,
    /// Voters on the TPS's permanent list (DPT).
    pub dpt: MaleFemale,
    /// In the procedure's counting order.
    pub ballots: List<BallotSpec, 8>,
    /// The id of the procedure the day follows (`pemilu-2024`...).
    pub procedure: Text<32>,
    /// The devices allowed to run this package, by certificate device id (`tps-keys package
    /// build --device ID`). A device the list does not name refuses the package, and a journal
    /// begun by one does not verify. Up to [`MAX_DEVICES`].
    pub devices: List<Text<32>, MAX_DEVICES>,
}

/// The most devices one package names: our own bound (a TPS's kiosk and its spares).
pub const MAX_DEVICES: usize = 8;

impl ElectionPackage {
    /// Whether the package names the device `id`.
    pub fn names_device(&self, id: &str) -> bool {
        self.devices.iter().any(|d| d.as_str() == id)
    }

    /// This TPS's ballot spec of that type, if it has one.
    pub fn ballot(&self, ballot: BallotType) -> Option<&BallotSpec> {
        self.ballots.iter().find(|b| b.ballot == ballot)
    }

    /// This TPS's ballot types, in counting order.
    pub fn ballot_types(&self) -> Vec<BallotType> {
        self.ballots.iter().map(|b| b.ballot).collect()
    }

    /// The name of a participant, if it stands on any of this TPS's ballots.
    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.ballots
            .iter()
            .filter(|b| b.ballot.participant_kind() == id.kind)
            .flat_map(|b| b.participants.iter())
            .find(|p| p.number == id.number)
    }

    /// Every distinct participant a saksi can represent.
    pub fn participants(&self) -> Vec<(ParticipantId, &Participant)> {
        let mut out: Vec<(ParticipantId, &Participant)> = Vec::new();
        for b in self.ballots.iter() {
            for p in b.participants.iter() {
                let id = ParticipantId {
                    kind: b.ballot.participant_kind(),
                    number: p.number,
                };
                if !out.iter().any(|(seen, _)| *seen == id) {
                    out.push((id, p));
                }
            }
        }
        out
    }
}
