//! Election packages: building one from its TOML source, and showing one.

use std::path::Path;

use serde::Serialize;
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};

use crate::error::CliError;
use crate::files::{self, DEVELOPMENT_MARK};
use crate::outcome::Outcome;

/// The largest TOML source read.
const MAX_SOURCE: u64 = 1 << 20;

/// Reads a package file without checking its signature.
pub fn read_package(path: &Path) -> Result<(ElectionPackage, Vec<u8>), CliError> {
    let bytes = files::read(path, "an election package", files::MAX_SIGNED_FILE)?;
    let package = ElectionPackage::read_unverified(&bytes).map_err(|e| CliError::input(path, e))?;
    Ok((package, bytes))
}

/// `package build`.
pub fn build(
    source: &Path,
    authority_key: &Path,
    out: &Path,
    devices: &[String],
) -> Result<Outcome, CliError> {
    files::must_not_exist(out)?;
    let text = files::read_text(source, "an election package source (TOML)", MAX_SOURCE)?;
    let ids: Vec<&str> = devices.iter().map(String::as_str).collect();
    let package = ElectionPackage::from_toml(&text)
        .and_then(|p| p.for_devices(&ids))
        .map_err(|e| CliError::input(source, e))?;
    let (authority, development) = files::read_secret(authority_key, KeyKind::AuthoritySecret)?;
    let bytes = package.seal(&authority);
    files::write_new(out, &bytes)?;
    let mut text = String::new();
    if development {
        text.push_str(&format!("!!! signed by a {DEVELOPMENT_MARK} !!!\n"));
    }
    text.push_str(&format!(
        "election package {} for TPS {} ({} {}, {}), {} ballot types, devices {}\nsha256 {}\n",
        out.display(),
        package.tps,
        package.election.name(),
        package.date,
        package.zone,
        package.ballots.len(),
        ids.join(", "),
        hex::encode(ElectionPackage::hash(&bytes))
    ));
    Ok(Outcome::ok(text))
}

#[derive(Serialize)]
struct ParticipantJson<'a> {
    number: u16,
    name: &'a str,
    /// A party's candidates, on a party ballot; absent elsewhere.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<CandidateJson<'a>>,
}

#[derive(Serialize)]
struct CandidateJson<'a> {
    number: u16,
    name: &'a str,
}

#[derive(Serialize)]
struct BallotJson<'a> {
    #[serde(rename = "type")]
    ballot: &'static str,
    dapil: &'a str,
    delivered: u32,
    participants: Vec<ParticipantJson<'a>>,
}

#[derive(Serialize)]
struct RegionJson<'a> {
    province: &'a str,
    regency: &'a str,
    district: &'a str,
    village: &'a str,
}

#[derive(Serialize)]
struct PackageJson<'a> {
    file: String,
    tps: String,
    address: &'a str,
    region: RegionJson<'a>,
    election: &'static str,
    procedure: &'a str,
    date: String,
    zone: &'static str,
    utc_offset_hours: i8,
    dpt_male: u32,
    dpt_female: u32,
    dpt_total: u32,
    ballots: Vec<BallotJson<'a>>,
    /// The device ids allowed to run it.
    devices: Vec<&'a str>,
    sha256: String,
    /// "verified", "bad" or "not checked".
    signature: &'static str,
}

/// What `package show` found about the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
    NotChecked,
    Verified,
    Bad,
}

impl Signature {
    fn name(self) -> &'static str {
        match self {
            Signature::NotChecked => "not checked",
            Signature::Verified => "verified",
            Signature::Bad => "bad",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Signature::NotChecked => "not checked (give --authority)",
            Signature::Verified => "verified with the authority's public key",
            Signature::Bad => "BAD: not signed by this authority",
        }
    }
}

/// `package show`.
pub fn show(path: &Path, authority: Option<&Path>, json: bool) -> Result<Outcome, CliError> {
    let (package, bytes) = read_package(path)?;
    let mut failures = Vec::new();
    let mut signature = Signature::NotChecked;
    if let Some(pub_path) = authority {
        let (key, _) = files::read_public(pub_path, KeyKind::AuthorityPublic)?;
        match ElectionPackage::read(&bytes, &key) {
            Ok(_) => signature = Signature::Verified,
            Err(e) => {
                signature = Signature::Bad;
                failures.push(CliError::verification(
                    path,
                    format!("{e} (authority {})", pub_path.display()),
                ));
            }
        }
    }
    let p = &package;
    let text = if json {
        let value = PackageJson {
            file: path.display().to_string(),
            tps: p.tps.to_string(),
            address: &p.address,
            region: RegionJson {
                province: &p.region.province,
                regency: &p.region.regency,
                district: &p.region.district,
                village: &p.region.village,
            },
            election: p.election.name(),
            procedure: &p.procedure,
            date: p.date.to_string(),
            zone: p.zone.abbreviation(),
            utc_offset_hours: p.zone.utc_offset_hours(),
            dpt_male: p.dpt.male,
            dpt_female: p.dpt.female,
            dpt_total: p.dpt.total(),
            ballots: p
                .ballots
                .iter()
                .map(|b| BallotJson {
                    ballot: b.ballot.code(),
                    dapil: &b.dapil,
                    delivered: b.delivered,
                    participants: b
                        .participants
                        .iter()
                        .map(|x| ParticipantJson {
                            number: x.number,
                            name: &x.name,
                            candidates: x
                                .candidates
                                .iter()
                                .map(|c| CandidateJson {
                                    number: c.number,
                                    name: &c.name,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            devices: p.devices.iter().map(|d| d.as_str()).collect(),
            sha256: hex::encode(ElectionPackage::hash(&bytes)),
            signature: signature.name(),
        };
        crate::outcome::json(&value)?
    } else {
        let mut t = format!(
            "Election package {}\n\
             TPS        {}\n\
             Address    {}\n\
             Village    {} (kelurahan/desa)\n\
             District   {} (kecamatan)\n\
             Regency    {}\n\
             Province   {}\n\
             Election   {} (procedure {})\n\
             Date       {} ({}, UTC+{})\n\
             DPT        {} voters: {} male, {} female\n\
             Devices    {}\n\
             SHA-256    {}\n\
             Signature  {}\n",
            path.display(),
            p.tps,
            p.address,
            p.region.village,
            p.region.district,
            p.region.regency,
            p.region.province,
            p.election.name(),
            p.procedure,
            p.date,
            p.zone,
            p.zone.utc_offset_hours(),
            p.dpt.total(),
            p.dpt.male,
            p.dpt.female,
            p.devices
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            hex::encode(ElectionPackage::hash(&bytes)),
            signature.text()
        );
        for b in p.ballots.iter() {
            t.push_str(&format!(
                "Ballot {}: dapil {}, {} delivered, {} participants\n",
                b.ballot,
                b.dapil,
                b.delivered,
                b.participants.len()
            ));
            for x in b.participants.iter() {
                t.push_str(&format!("  {:>3}  {}\n", x.number, x.name));
                for c in x.candidates.iter() {
                    t.push_str(&format!("         {:>2}. {}\n", c.number, c.name));
                }
            }
        }
        t
    };
    Ok(Outcome {
        stdout: text,
        failures,
    })
}
