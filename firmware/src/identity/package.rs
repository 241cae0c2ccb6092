//! The election package: what the authority tells a device about its TPS and its election.
//! Authored as TOML by a technician, built and signed by `tps-keys package build`.

use ed25519_dalek::{SigningKey, VerifyingKey};
use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::cert::parse_device_id;
use super::signed::{self, EnvelopeError, SignedKind};
use crate::bounded::{List, Text};
use crate::election::{BallotType, ElectionKind, MaleFemale, ParticipantId, TpsCode};
use crate::procedure::spec::{self, Procedure};
use crate::text::Lang;
use crate::time::{Date, TimeZone};

/// One participant on a ballot: its ballot number and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Participant {
    /// Its number on the ballot.
    pub number: u16,
    /// Its name.
    pub name: Text<96>,
}

impl Participant {
    /// Its number and name, as the ballot shows them: "3. Partai Demokrasi Indonesia
    /// Perjuangan".
    pub fn title(&self) -> String {
        format!("{}. {}", self.number, self.name)
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
    /// Boxed: 64 participants are 6 KiB, and a package of 8 ballot types held inline made
    /// decoding need over 2 MiB of stack in a debug build.
    pub participants: Box<List<Participant, 64>>,
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

/// The largest signed package file.
pub const MAX_PACKAGE_FILE: usize = 8 + ElectionPackage::POSTCARD_MAX_SIZE + 64;

/// Why a package (or its TOML source) is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum PackageError {
    /// The TOML source does not parse; the parser's own words.
    Toml(String),
    /// A field of the TOML source has a value the package cannot hold, at `line`.
    Field {
        /// The line of the TOML source, from 1.
        line: usize,
        /// What is wrong with the value.
        problem: String,
    },
    /// The package breaks a rule of its procedure or of the format: no ballot, a ballot type
    /// twice, too many ballots or devices, a DPT out of range, another election kind.
    Invalid(String),
    /// The signed package file is not sound.
    Envelope(#[from] EnvelopeError),
}

impl PackageError {
    /// What is wrong, in `lang`. The details of a source's mistake are English (they come from
    /// the TOML reader and the procedure, for the technician who writes the source), so the
    /// Indonesian says where, not what.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PackageError::Envelope(e), _) => e.message(lang),
            (PackageError::Toml(_), Lang::Id) => "sumber paket pemilu tidak dapat dibaca".into(),
            (PackageError::Toml(detail) | PackageError::Invalid(detail), Lang::En) => {
                detail.clone()
            }
            (PackageError::Field { line, .. }, Lang::Id) => {
                format!("baris {line} sumber paket pemilu salah")
            }
            (PackageError::Field { line, problem }, Lang::En) => format!("line {line}: {problem}"),
            (PackageError::Invalid(_), Lang::Id) => {
                "isi paket pemilu tidak sesuai dengan tata cara pemilunya".into()
            }
        }
    }
}

// The TOML source's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    procedure: Spanned<String>,
    election: Spanned<String>,
    date: Spanned<String>,
    zone: Spanned<String>,
    tps: TpsSource,
    dpt: MaleFemaleSource,
    ballot: Vec<BallotSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TpsSource {
    code: Spanned<String>,
    address: Spanned<String>,
    province: Spanned<String>,
    regency: Spanned<String>,
    district: Spanned<String>,
    village: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MaleFemaleSource {
    male: u32,
    female: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BallotSource {
    #[serde(rename = "type")]
    ballot: Spanned<String>,
    dapil: Spanned<String>,
    #[serde(default)]
    delivered: Option<Spanned<u32>>,
    participants: Spanned<Vec<ParticipantSource>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParticipantSource {
    number: u16,
    name: String,
}

/// Parsing context: turns byte offsets into line numbers for errors.
struct Ctx<'a> {
    text: &'a str,
}

impl Ctx<'_> {
    fn err<T>(&self, at: &Spanned<T>, problem: impl Into<String>) -> PackageError {
        let line = self.text[..at.span().start.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1;
        PackageError::Field {
            line,
            problem: problem.into(),
        }
    }

    fn text<const N: usize>(
        &self,
        field: &str,
        s: &Spanned<String>,
    ) -> Result<Text<N>, PackageError> {
        let trimmed = s.get_ref().trim();
        if trimmed.is_empty() {
            return Err(self.err(s, format!("{field} is empty")));
        }
        Text::new(trimmed).map_err(|_| self.err(s, format!("{field} is longer than {N} bytes")))
    }
}

impl ElectionPackage {
    /// Parses and checks a TOML source, computing each ballot type's delivered count from the
    /// DPT and the procedure's reserve.
    pub fn from_toml(text: &str) -> Result<Self, PackageError> {
        let src: Source = toml::from_str(text).map_err(|e| PackageError::Toml(e.to_string()))?;
        let ctx = Ctx { text };
        let procedure = spec::builtin(src.procedure.get_ref())
            .map_err(|e| ctx.err(&src.procedure, e.to_string()))?;
        let election = ElectionKind::parse(src.election.get_ref())
            .ok_or_else(|| ctx.err(&src.election, "election must be \"pemilu\" or \"pilkada\""))?;
        if election != procedure.election {
            return Err(ctx.err(
                &src.election,
                format!(
                    "procedure {} is for a {} election, not {}",
                    procedure.id,
                    procedure.election.name(),
                    election.name()
                ),
            ));
        }
        let date = Date::parse(src.date.get_ref())
            .ok_or_else(|| ctx.err(&src.date, "date must be a real date as YYYY-MM-DD"))?;
        let zone = TimeZone::parse(src.zone.get_ref())
            .ok_or_else(|| ctx.err(&src.zone, "zone must be WIB, WITA or WIT"))?;
        let tps = TpsCode::parse(src.tps.code.get_ref()).ok_or_else(|| {
            ctx.err(
                &src.tps.code,
                "TPS code must look like 31.71.01.1001.001 (province.regency.district.village.TPS)",
            )
        })?;
        let dpt = MaleFemale {
            male: src.dpt.male,
            female: src.dpt.female,
        };
        if dpt.total() == 0 || dpt.total() > procedure.max_voters_per_tps {
            return Err(PackageError::Invalid(format!(
                "dpt: {} voters; a TPS has 1 to {} for {}",
                dpt.total(),
                procedure.max_voters_per_tps,
                procedure.id
            )));
        }
        let delivered = procedure.delivered_for(dpt.total());
        let mut ballots = Vec::new();
        for b in &src.ballot {
            ballots.push(ballot(&ctx, &procedure, b, delivered)?);
        }
        if ballots.is_empty() {
            return Err(PackageError::Invalid("no [[ballot]] is given".into()));
        }
        // Counting order is the procedure's; a type given twice is an error.
        let order = |b: &BallotSpec| {
            procedure
                .ballots
                .iter()
                .position(|r| r.ballot == b.ballot)
                .unwrap_or(usize::MAX)
        };
        ballots.sort_by_key(order);
        if let Some(w) = ballots.windows(2).find(|w| w[0].ballot == w[1].ballot) {
            return Err(PackageError::Invalid(format!(
                "ballot type {} is given twice",
                w[0].ballot
            )));
        }
        Ok(ElectionPackage {
            tps,
            address: ctx.text("tps.address", &src.tps.address)?,
            region: Region {
                province: ctx.text("tps.province", &src.tps.province)?,
                regency: ctx.text("tps.regency", &src.tps.regency)?,
                district: ctx.text("tps.district", &src.tps.district)?,
                village: ctx.text("tps.village", &src.tps.village)?,
            },
            election,
            date,
            zone,
            dpt,
            ballots: List::try_from(ballots)
                .map_err(|_| PackageError::Invalid("more than 8 ballot types".into()))?,
            procedure: Text::new(&procedure.id)
                .map_err(|_| PackageError::Invalid("procedure id too long".into()))?,
            devices: List::new(),
        })
    }

    /// The package for the devices `ids` (each a well-formed device id, none twice).
    pub fn for_devices(mut self, ids: &[&str]) -> Result<Self, PackageError> {
        let mut devices: Vec<Text<32>> = Vec::new();
        for id in ids {
            let id = parse_device_id(id)
                .map_err(|e| PackageError::Invalid(format!("device {id:?}: {e}")))?;
            if devices.contains(&id) {
                return Err(PackageError::Invalid(format!("device {id} is named twice")));
            }
            devices.push(id);
        }
        self.devices = List::try_from(devices).map_err(|_| {
            PackageError::Invalid(format!("more than {MAX_DEVICES} devices are named"))
        })?;
        Ok(self)
    }

    /// Whether the package names the device `id`.
    pub fn names_device(&self, id: &str) -> bool {
        self.devices.iter().any(|d| d.as_str() == id)
    }

    /// Signs the package into a file.
    pub fn seal(&self, authority: &SigningKey) -> Vec<u8> {
        signed::seal(SignedKind::ElectionPackage, authority, self)
    }

    /// Reads a package file and checks the authority's signature and the content's rules.
    pub fn read(bytes: &[u8], authority: &VerifyingKey) -> Result<Self, PackageError> {
        let package =
            signed::open::<ElectionPackage>(SignedKind::ElectionPackage, bytes, MAX_PACKAGE_FILE)?
                .verified_by(SignedKind::ElectionPackage, authority)?;
        package.check()?;
        Ok(package)
    }

    /// Reads a package file without checking who signed it.
    pub fn read_unverified(bytes: &[u8]) -> Result<Self, PackageError> {
        let package =
            signed::open::<ElectionPackage>(SignedKind::ElectionPackage, bytes, MAX_PACKAGE_FILE)?
                .value;
        package.check()?;
        Ok(package)
    }

    /// The hash a journal's genesis record holds.
    pub fn hash(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }

    /// The package's procedure.
    pub fn procedure(&self) -> Result<std::sync::Arc<Procedure>, PackageError> {
        spec::builtin(&self.procedure).map_err(|e| PackageError::Invalid(e.to_string()))
    }

    /// Rules a signed package must still satisfy (a signature does not make nonsense valid).
    fn check(&self) -> Result<(), PackageError> {
        let procedure = self.procedure()?;
        if procedure.election != self.election {
            return Err(PackageError::Invalid(
                "election kind does not match the procedure".into(),
            ));
        }
        for b in self.ballots.iter() {
            if procedure.ballot_rule(b.ballot).is_none() {
                return Err(PackageError::Invalid(format!(
                    "ballot type {} is not part of {}",
                    b.ballot, procedure.id
                )));
            }
        }
        Ok(())
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

fn ballot(
    ctx: &Ctx<'_>,
    procedure: &Procedure,
    b: &BallotSource,
    delivered: u32,
) -> Result<BallotSpec, PackageError> {
    let ballot_type = BallotType::parse(b.ballot.get_ref()).ok_or_else(|| {
        ctx.err(
            &b.ballot,
            format!(
                "unknown ballot type '{}'; {} has {}",
                b.ballot.get_ref(),
                procedure.id,
                procedure
                    .ballots
                    .iter()
                    .map(|r| r.ballot.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    if procedure.ballot_rule(ballot_type).is_none() {
        return Err(ctx.err(
            &b.ballot,
            format!("ballot type {ballot_type} is not part of {}", procedure.id),
        ));
    }
    if let Some(given) = &b.delivered
        && *given.get_ref() != delivered
    {
        return Err(ctx.err(
            given,
            format!(
                "delivered = {} but DPT plus the reserve is {delivered}",
                given.get_ref()
            ),
        ));
    }
    let mut participants = Vec::new();
    for p in b.participants.get_ref() {
        let name = p.name.trim();
        if p.number == 0 || name.is_empty() {
            return Err(ctx.err(
                &b.participants,
                format!("{ballot_type}: every participant needs a number from 1 and a name"),
            ));
        }
        if participants
            .iter()
            .any(|q: &Participant| q.number == p.number)
        {
            return Err(ctx.err(
                &b.participants,
                format!(
                    "{ballot_type}: participant number {} appears twice",
                    p.number
                ),
            ));
        }
        participants.push(Participant {
            number: p.number,
            name: Text::new(name).map_err(|_| {
                ctx.err(
                    &b.participants,
                    format!("{ballot_type}: participant name '{name}' is longer than 96 bytes"),
                )
            })?,
        });
    }
    if participants.is_empty() {
        return Err(ctx.err(&b.participants, format!("{ballot_type}: no participants")));
    }
    Ok(BallotSpec {
        ballot: ballot_type,
        dapil: ctx.text("dapil", &b.dapil)?,
        delivered,
        participants: Box::new(List::try_from(participants).map_err(|_| {
            ctx.err(
                &b.participants,
                format!("{ballot_type}: more than 64 participants"),
            )
        })?),
    })
}
