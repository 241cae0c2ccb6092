//! The election package: what the authority tells a device about its TPS and its election.
//! Authored as TOML by a technician, built and signed by `tps-keys package build`. Its contents
//! are plain data in `tps_domain::package` (what the engine reads); this module adds the TOML
//! source and the signed file through [`SignedPackage`].

use ed25519_dalek::{SigningKey, VerifyingKey};
use postcard::experimental::max_size::MaxSize;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::cert::parse_device_id;
use super::signed::{self, EnvelopeError, SignedKind};
use tps_base::bounded::{List, Text};
use tps_base::election::{BallotType, ElectionKind, MaleFemale, TpsCode};
use tps_base::text::Lang;
use tps_base::time::{Date, TimeZone};
pub use tps_domain::package::{
    BallotSpec, Candidate, ElectionPackage, MAX_CANDIDATES, MAX_DEVICES, MAX_PARTICIPANTS,
    Participant, Region,
};
use tps_domain::spec::{self, BallotRule, Procedure};

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
    /// twice, too many ballots or devices, a DPT out of range, another election kind, a
    /// candidate list longer than its ballot type allows.
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
    #[serde(default)]
    candidates: Option<Spanned<Vec<CandidateSource>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateSource {
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

/// The signed package file and its TOML source: what identity adds to the package's contents
/// (`tps_domain::package`, plain data the engine reads). Bring it into scope to build, seal or
/// read a package.
pub trait SignedPackage: Sized {
    /// Parses and checks a TOML source, computing each ballot type's delivered count from the
    /// DPT and the procedure's reserve.
    fn from_toml(text: &str) -> Result<Self, PackageError>;
    /// The package for the devices `ids` (each a well-formed device id, none twice).
    fn for_devices(self, ids: &[&str]) -> Result<Self, PackageError>;
    /// Signs the package into a file.
    fn seal(&self, authority: &SigningKey) -> Vec<u8>;
    /// Reads a package file and checks the authority's signature and the content's rules.
    fn read(bytes: &[u8], authority: &VerifyingKey) -> Result<Self, PackageError>;
    /// Reads a package file without checking who signed it.
    fn read_unverified(bytes: &[u8]) -> Result<Self, PackageError>;
    /// The hash a journal's genesis record holds.
    fn hash(bytes: &[u8]) -> [u8; 32];
    /// The package's procedure.
    fn procedure(&self) -> Result<std::sync::Arc<Procedure>, PackageError>;
}

impl SignedPackage for ElectionPackage {
    /// Parses and checks a TOML source, computing each ballot type's delivered count from the
    /// DPT and the procedure's reserve.
    fn from_toml(text: &str) -> Result<Self, PackageError> {
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
    fn for_devices(mut self, ids: &[&str]) -> Result<Self, PackageError> {
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

    /// Signs the package into a file.
    fn seal(&self, authority: &SigningKey) -> Vec<u8> {
        signed::seal(SignedKind::ElectionPackage, authority, self)
    }

    /// Reads a package file and checks the authority's signature and the content's rules.
    fn read(bytes: &[u8], authority: &VerifyingKey) -> Result<Self, PackageError> {
        let package =
            signed::open::<ElectionPackage>(SignedKind::ElectionPackage, bytes, MAX_PACKAGE_FILE)?
                .verified_by(SignedKind::ElectionPackage, authority)?;
        check(&package)?;
        Ok(package)
    }

    /// Reads a package file without checking who signed it.
    fn read_unverified(bytes: &[u8]) -> Result<Self, PackageError> {
        let package =
            signed::open::<ElectionPackage>(SignedKind::ElectionPackage, bytes, MAX_PACKAGE_FILE)?
                .value;
        check(&package)?;
        Ok(package)
    }

    /// The hash a journal's genesis record holds.
    fn hash(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }

    /// The package's procedure.
    fn procedure(&self) -> Result<std::sync::Arc<Procedure>, PackageError> {
        spec::builtin(&self.procedure).map_err(|e| PackageError::Invalid(e.to_string()))
    }
}

/// Rules a signed package must still satisfy (a signature does not make nonsense valid).
fn check(package: &ElectionPackage) -> Result<(), PackageError> {
    let procedure = package.procedure()?;
    if procedure.election != package.election {
        return Err(PackageError::Invalid(
            "election kind does not match the procedure".into(),
        ));
    }
    for b in package.ballots.iter() {
        let Some(rule) = procedure.ballot_rule(b.ballot) else {
            return Err(PackageError::Invalid(format!(
                "ballot type {} is not part of {}",
                b.ballot, procedure.id
            )));
        };
        if let Some(p) = b
            .participants
            .iter()
            .find(|p| p.candidates.len() > usize::from(rule.candidates_max))
        {
            return Err(PackageError::Invalid(format!(
                "{}: participant {} lists {} candidates, at most {} allowed",
                b.ballot,
                p.number,
                p.candidates.len(),
                rule.candidates_max
            )));
        }
    }
    Ok(())
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
    let Some(rule) = procedure.ballot_rule(ballot_type) else {
        return Err(ctx.err(
            &b.ballot,
            format!("ballot type {ballot_type} is not part of {}", procedure.id),
        ));
    };
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
            candidates: Box::new(candidates(ctx, procedure, rule, p)?),
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
                format!("{ballot_type}: more than {MAX_PARTICIPANTS} participants"),
            )
        })?),
    })
}

/// A party's candidate list, checked: only on a ballot that lists candidates, each with a number
/// from 1 (none twice) and a name, at most the ballot type's `candidates_max` of them.
fn candidates(
    ctx: &Ctx<'_>,
    procedure: &Procedure,
    rule: &BallotRule,
    p: &ParticipantSource,
) -> Result<List<Candidate, MAX_CANDIDATES>, PackageError> {
    let Some(given) = &p.candidates else {
        return Ok(List::new());
    };
    let ballot = rule.ballot;
    let who = format!("{ballot}: participant {} ({})", p.number, p.name.trim());
    if !ballot.lists_candidates() && !given.get_ref().is_empty() {
        return Err(ctx.err(
            given,
            format!(
                "{who} lists candidates, but only a party ballot (DPR, DPRD-PROV, DPRD-KABKOTA) \
                 has candidate lists; on {ballot} the participant is the candidate"
            ),
        ));
    }
    if given.get_ref().len() > usize::from(rule.candidates_max) {
        return Err(ctx.err(
            given,
            format!(
                "{who} lists {} candidates; a party lists at most one per seat, and a {ballot} \
                 dapil has at most {} seats ({})",
                given.get_ref().len(),
                rule.candidates_max,
                procedure.id
            ),
        ));
    }
    let mut list: List<Candidate, MAX_CANDIDATES> = List::new();
    for c in given.get_ref() {
        let name = c.name.trim();
        if c.number == 0 || name.is_empty() {
            return Err(ctx.err(
                given,
                format!("{who}: every candidate needs a number from 1 and a name"),
            ));
        }
        if list.iter().any(|q| q.number == c.number) {
            return Err(ctx.err(
                given,
                format!("{who}: candidate number {} appears twice", c.number),
            ));
        }
        let name = Text::new(name).map_err(|_| {
            ctx.err(
                given,
                format!("{who}: candidate name '{name}' is longer than 96 bytes"),
            )
        })?;
        list.push(Candidate {
            number: c.number,
            name,
        })
        .map_err(|_| {
            ctx.err(
                given,
                format!("{who}: more than {MAX_CANDIDATES} candidates"),
            )
        })?;
    }
    Ok(list)
}
