//! Running a scenario on a [`SimStation`]: one line per event, the first failed expectation
//! stops the run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use tps_firmware::election::{ParticipantId, ParticipantKind};
use tps_firmware::event::ReportKind;
use tps_firmware::identity::keyfile::{self, KeyKind};
use tps_firmware::identity::package::SignedPackage;
use tps_firmware::journal::SignedRecord;
use tps_firmware::journal::read::read_prefix;
use tps_firmware::journal::scan::scan_stream;
use tps_firmware::journal::verify::{Signatures, verify_parsed};
use tps_firmware::kiosk::enrol::EnrolError;
use tps_firmware::kiosk::{Alarm, DataDir, Outcome};
use tps_firmware::procedure::clock::SetClock;
use tps_firmware::procedure::command::OutcomeInput;
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::{Command, Phase};
use tps_firmware::text::Lang;
use tps_firmware::time::instant_at;
use tps_hal_sim::{HostileStick, Supply};

use super::authority::Answer;
use super::entries::entries;
use super::parse::{Event, Fields, Scenario, ScenarioError};
use crate::station::{SIM_DEVICE_ID, SimStation, StationError};

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The scenario file is wrong.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// What the scenario expected did not happen.
    #[error("{file}:{line}: expectation failed: {detail}")]
    Expectation {
        /// The scenario file.
        file: PathBuf,
        /// The line of the expectation.
        line: usize,
        /// What was expected, and what happened.
        detail: String,
    },
    /// The station failed.
    #[error("station: {0}")]
    Station(#[from] StationError),
    /// The simulated world could not be set up as the event asks (keys, stick, files).
    #[error("{0}")]
    Setup(String),
}

/// What a finished run leaves behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// How many events ran.
    pub events: usize,
    /// How many records the journal holds at the end.
    pub records: u64,
    /// The printer's output files.
    pub receipts: Vec<PathBuf>,
}

/// A registered person as the scenario knows them.
struct Known {
    id: PersonId,
    role: Role,
    pin: String,
}

struct Runner<'a> {
    scenario: &'a Scenario,
    /// Election day and zone, from the package: the scenario's times are local to them.
    date: tps_firmware::time::Date,
    zone: tps_firmware::time::TimeZone,
    station: SimStation,
    people: BTreeMap<String, Known>,
    /// (seq, chain hash) of every record a `Done` acknowledged.
    acknowledged: Vec<(u64, [u8; 32])>,
    /// The package source, and the authority that answers a blank device's request.
    package_toml: String,
    authority: ed25519_dalek::SigningKey,
    out: &'a mut dyn Write,
}

fn participant(f: &Fields<'_>, text: &str) -> Result<ParticipantId, ScenarioError> {
    let (kind, number) = text
        .rsplit_once('-')
        .ok_or_else(|| f.error(format!("participant `{text}` is not KIND-NUMBER")))?;
    let kind = match kind {
        "ppwp" => ParticipantKind::PasanganPresiden,
        "partai" => ParticipantKind::Partai,
        "dpd" => ParticipantKind::CalonDpd,
        "gubernur" => ParticipantKind::PasanganGubernur,
        "bupati" | "walikota" => ParticipantKind::PasanganBupatiWalikota,
        other => {
            return Err(f.error(format!(
                "participant kind `{other}` is not ppwp, partai, dpd, gubernur or bupati"
            )));
        }
    };
    let number = number
        .parse()
        .map_err(|_| f.error(format!("participant number in `{text}` is not a number")))?;
    Ok(ParticipantId { kind, number })
}

fn role(f: &Fields<'_>) -> Result<Role, ScenarioError> {
    let text = f.required("role")?;
    Ok(match text.as_str() {
        "ketertiban" => Role::Ketertiban,
        "pengawas" => Role::PengawasTps,
        "pemantau" => Role::Pemantau,
        "pewarta" => Role::Pewarta,
        "panwaslu" => Role::Panwaslu,
        "saksi" => Role::Saksi(participant(f, &f.required("participant")?)?),
        other => match other.strip_prefix("kpps-").and_then(|n| n.parse().ok()) {
            Some(n) => Role::Kpps(n),
            None => {
                return Err(f.error(format!(
                    "role `{other}` is not kpps-N, ketertiban, saksi, pengawas, pemantau or pewarta"
                )));
            }
        },
    })
}

fn pin(f: &Fields<'_>, text: &str) -> Result<Pin, ScenarioError> {
    // A malformed PIN in a scenario is the scenario's mistake, except where the scenario
    // plays one on purpose: that is the engine's to refuse.
    Pin::parse(text).map_err(|_| f.error(format!("pin `{text}` is not 6 digits")))
}

impl Runner<'_> {
    fn say(&mut self, step: &str, action: &str, outcome: &str) {
        let time = tps_firmware::time::format_clock(self.station.hw().clock.now_ms(), self.zone);
        let _ = writeln!(self.out, "{time}  {step:<20} {action:<14} {outcome}");
    }

    fn person(&self, f: &Fields<'_>, name: &str) -> Result<(PersonId, String), ScenarioError> {
        self.people
            .get(name)
            .map(|k| (k.id, k.pin.clone()))
            .ok_or_else(|| {
                f.error(format!(
                    "no one named `{name}` was registered in this scenario"
                ))
            })
    }

    /// The people named in list `key`, each with their own PIN.
    fn with_pins(&self, f: &Fields<'_>, key: &str) -> Result<Vec<(PersonId, Pin)>, ScenarioError> {
        f.strings(key)?
            .iter()
            .map(|n| {
                let (id, p) = self.person(f, n)?;
                Ok((id, pin(f, &p)?))
            })
            .collect()
    }

    fn chair_pin(&self, f: &Fields<'_>) -> Result<Pin, ScenarioError> {
        let known = self
            .people
            .values()
            .find(|k| k.role.is_chair())
            .ok_or_else(|| f.error("the chair (kpps-1) must be registered first"))?;
        match f.string("chair_pin")? {
            Some(p) => pin(f, &p),
            None => pin(f, &known.pin),
        }
    }

    fn current_step(&self) -> String {
        self.station
            .kiosk()
            .ok()
            .and_then(|k| k.state().current_spec().map(|s| s.id.clone()))
            .unwrap_or_else(|| "-".into())
    }

    /// Moves the simulated world to the event's time, then lets the drivers see it.
    fn advance_to(&mut self, event: &Event) -> Result<(), RunError> {
        let clock = &self.station.hw().clock;
        match event.at {
            Some(t) => {
                let target = instant_at(self.date, t, self.zone).unwrap_or(0);
                let now = clock.now_ms();
                if target > now {
                    clock.advance((target - now) as u64);
                }
            }
            None => clock.advance(u64::from(event.after_seconds) * 1000),
        }
        self.settle()
    }

    /// A few poll periods, so debounced inputs are seen.
    fn settle(&mut self) -> Result<(), RunError> {
        for _ in 0..6 {
            self.station.hw().clock.advance(10);
            if self.station.kiosk().is_ok() {
                self.station.poll_hardware()?;
            }
        }
        Ok(())
    }

    /// Submits a command and checks the outcome against `expect` (default: done).
    fn command(&mut self, f: &Fields<'_>, command: Command, label: &str) -> Result<(), RunError> {
        let expect = f.string("expect")?.unwrap_or_else(|| "done".into());
        let step = self.current_step();
        let result = match command {
            Command::SetClock(set) => self.station.set_clock(set),
            other => self.station.submit(&other),
        };
        let got = match result {
            Ok(Outcome::Done(records)) => {
                self.acknowledged
                    .extend(records.iter().map(|r| (r.record.seq, r.hash)));
                self.say(&step, label, "done");
                "done".to_string()
            }
            Ok(Outcome::Refused(r)) => {
                self.say(
                    &step,
                    label,
                    &format!("refused ({}): {}", r.kind(), r.message(Lang::Id)),
                );
                format!("refused:{}", r.kind())
            }
            Err(StationError::Kiosk(tps_firmware::kiosk::KioskError::PowerCut)) => {
                self.say(&step, label, "POWER CUT during the write");
                "power-cut".into()
            }
            Err(StationError::NotRunning(_)) if self.station.power_is_cut() => {
                self.say(&step, label, "no power");
                "power-cut".into()
            }
            Err(StationError::Kiosk(
                tps_firmware::kiosk::KioskError::Alarm(a)
                | tps_firmware::kiosk::KioskError::WaitingForMirror(a),
            )) => {
                self.say(&step, label, &format!("alarm: {}", a.message(Lang::Id)));
                format!("alarm:{}", alarm_name(&a))
            }
            Err(e) => return Err(e.into()),
        };
        // `expect` may list alternatives: "done|power-cut".
        if !expect.split('|').any(|e| e.trim() == got) {
            return Err(RunError::Expectation {
                file: self.scenario.file.clone(),
                line: f.event.line,
                detail: format!("expected {expect}, got {got}"),
            });
        }
        Ok(())
    }

    fn expectation(&self, f: &Fields<'_>, ok: bool, detail: String) -> Result<(), RunError> {
        if ok {
            Ok(())
        } else {
            Err(RunError::Expectation {
                file: self.scenario.file.clone(),
                line: f.event.line,
                detail,
            })
        }
    }

    /// The provisioning actions of a blank device (hal-sim/scenarios/README.md).
    fn provisioning(&mut self, f: &Fields<'_>, action: &str) -> Result<(), RunError> {
        let step = self.current_step();
        let got = match action {
            "authority-answers" => {
                let answer = Answer::read(f)?;
                f.finish()?;
                let usb = self.station.hw().usb.clone();
                answer
                    .write(&usb, SIM_DEVICE_ID, &self.package_toml, &self.authority)
                    .map_err(RunError::Setup)?;
                self.say(
                    &step,
                    action,
                    "certificate, package and authority key on the stick",
                );
                return Ok(());
            }
            "provision-request" => match self.station.provision_request() {
                Ok(written) => {
                    self.say(&step, action, &written.instructions().en);
                    "requested".to_string()
                }
                Err(e) => self.enrol_refused(&step, action, &e),
            },
            "provision-check" => match self.station.provision_inspect() {
                Ok(offer) => {
                    self.say(&step, action, &offer.summary().en.replace('\n', "; "));
                    "checked".to_string()
                }
                Err(e) => self.enrol_refused(&step, action, &e),
            },
            "provision-install" => {
                let pin = f.required("pin")?;
                let again = f.string("pin_again")?.unwrap_or_else(|| pin.clone());
                let result = self
                    .station
                    .provision_inspect()
                    .map_err(StationError::Enrol)
                    .and_then(|offer| self.station.provision_install(&offer, &pin, &again));
                match result {
                    Ok(()) if self.station.kiosk().is_ok() => {
                        self.say(&step, action, "installed; the kiosk started");
                        "installed".to_string()
                    }
                    Ok(()) => {
                        let why = self.station.kiosk().err().unwrap_or_default().to_string();
                        self.say(&step, action, &format!("installed; did not start: {why}"));
                        "not-started".to_string()
                    }
                    Err(StationError::Enrol(e)) => self.enrol_refused(&step, action, &e),
                    Err(e) => return Err(e.into()),
                }
            }
            _ => {
                // "reprovision"
                let pin = f.required("pin")?;
                match self.station.reprovision(&pin) {
                    Ok(archive) => {
                        self.people.clear();
                        self.acknowledged.clear();
                        self.say(
                            &step,
                            action,
                            &format!("election put aside in {}", archive.display()),
                        );
                        "done".to_string()
                    }
                    Err(e) => {
                        self.say(
                            &step,
                            action,
                            &format!("rejected ({}): {}", e.kind(), e.message(Lang::Id)),
                        );
                        format!("rejected:{}", e.kind())
                    }
                }
            }
        };
        let expect = f.string("expect")?.unwrap_or_else(|| match action {
            "provision-request" => "requested".into(),
            "provision-check" => "checked".into(),
            "provision-install" => "installed".into(),
            _ => "done".into(),
        });
        f.finish()?;
        // A rejected provisioning leaves the device as blank as it was.
        if got.starts_with("rejected:")
            && action != "reprovision"
            && !self.station.needs_provisioning()
        {
            return Err(RunError::Expectation {
                file: self.scenario.file.clone(),
                line: f.event.line,
                detail: "rejected, yet the device is provisioned".into(),
            });
        }
        self.expectation(f, got == expect, format!("expected {expect}, got {got}"))
    }

    fn enrol_refused(&mut self, step: &str, action: &str, e: &EnrolError) -> String {
        self.say(
            step,
            action,
            &format!("rejected ({}): {}", e.kind(), e.message(Lang::Id)),
        );
        format!("rejected:{}", e.kind())
    }

    fn event(&mut self, event: &Event) -> Result<(), RunError> {
        self.advance_to(event)?;
        let f = Fields::new(event, &self.scenario.file);
        let action = event.action.as_str();
        match action {
            "register" => {
                let role = role(&f)?;
                let name = f.required("name")?;
                let pin_text = f.required("pin")?;
                let letter = f.string("letter")?.unwrap_or_default();
                let id_number = f.string("id_number")?.unwrap_or_default();
                let chair_pin = if role.is_chair() {
                    None
                } else {
                    Some(self.chair_pin(&f)?)
                };
                let mut salt = [0u8; 16];
                getrandom::fill(&mut salt).map_err(|e| RunError::Setup(e.to_string()))?;
                let id = self
                    .station
                    .kiosk()
                    .map(|k| PersonId(k.state().people.len() as u16))
                    .map_err(|e| RunError::Setup(e.to_string()))?;
                let command = Command::Register {
                    role,
                    name: name.clone(),
                    letter,
                    id_number,
                    pin: pin(&f, &pin_text)?,
                    salt,
                    chair_pin,
                };
                f.finish()?;
                self.command(&f, command, "register")?;
                let registered = self
                    .station
                    .kiosk()
                    .ok()
                    .is_some_and(|k| k.state().people.len() > usize::from(id.0));
                if registered {
                    self.people.insert(
                        name,
                        Known {
                            id,
                            role,
                            pin: pin_text,
                        },
                    );
                }
            }
            "presence" => {
                let (person, _) = self.person(&f, &f.required("who")?)?;
                let present = f.bool("present")?.unwrap_or(true);
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(
                    &f,
                    Command::SetPresence {
                        person,
                        present,
                        chair_pin,
                    },
                    if present { "comes in" } else { "goes out" },
                )?;
            }
            "propose" | "correct" => {
                let step = f.required("step")?;
                let state = self
                    .station
                    .kiosk()
                    .map(|k| k.state())
                    .map_err(|e| RunError::Setup(e.to_string()))?;
                let (_, spec) = state.procedure().step(&step).ok_or_else(|| {
                    f.error(format!("no step `{step}` in {}", state.procedure().id))
                })?;
                let input = entries(&f, state, spec)?;
                let command = if action == "propose" {
                    Command::Propose { step, input }
                } else {
                    Command::Correct {
                        step,
                        input,
                        reason: f.required("reason")?,
                    }
                };
                f.finish()?;
                self.command(&f, command, action)?;
            }
            "confirm" => {
                let who = f.strings("who")?;
                if who.is_empty() {
                    return Err(f.error("`who` lists the people confirming").into());
                }
                let forced = f.string("pin")?;
                f.finish()?;
                for name in who {
                    let (person, own) = self.person(&f, &name)?;
                    let pin = pin(&f, forced.as_deref().unwrap_or(&own))?;
                    self.command(
                        &f,
                        Command::Confirm { person, pin },
                        &format!("confirm {name}"),
                    )?;
                }
            }
            "object" => {
                let name = f.required("who")?;
                let (person, own) = self.person(&f, &name)?;
                let reason = f.required("reason")?;
                f.finish()?;
                self.command(
                    &f,
                    Command::Object {
                        person,
                        pin: pin(&f, &own)?,
                        reason,
                    },
                    &format!("object {name}"),
                )?;
            }
            "complete" => {
                let chair_pin = self.chair_pin(&f)?;
                let proceed = f.bool("proceed_without_quorum")?.unwrap_or(false);
                f.finish()?;
                self.command(
                    &f,
                    Command::Complete {
                        chair_pin,
                        proceed_without_quorum: proceed,
                    },
                    "complete",
                )?;
            }
            "announce-dpk" => {
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(&f, Command::AnnounceDpk { chair_pin }, action)?;
            }
            "announce-break" => {
                let minutes = f.uint("minutes")?.unwrap_or(30);
                // A number no break can take stays one the engine refuses, not a wrapped one.
                let minutes = u16::try_from(minutes).unwrap_or(u16::MAX);
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(&f, Command::AnnounceBreak { minutes, chair_pin }, action)?;
            }
            "end-voting" => {
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(&f, Command::EndVoting { chair_pin }, action)?;
            }
            "confirm-nihil" => {
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(&f, Command::ConfirmNihil { chair_pin }, action)?;
            }
            "decline" => {
                let name = f.required("who")?;
                let (person, _) = self.person(&f, &name)?;
                let reason = f.required("reason")?;
                let confirmers = self.with_pins(&f, "confirmers")?;
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(
                    &f,
                    Command::RecordDeclined {
                        person,
                        reason,
                        confirmers,
                        chair_pin,
                    },
                    &format!("decline {name}"),
                )?;
            }
            "resolve" => {
                let name = f.required("of")?;
                let (person, _) = self.person(&f, &name)?;
                let state = self
                    .station
                    .kiosk()
                    .map(|k| k.state())
                    .map_err(|e| RunError::Setup(e.to_string()))?;
                // The oldest keberatan of that person still without an outcome.
                let objection = state
                    .objections
                    .iter()
                    .find(|o| o.person == person && o.outcome.is_none())
                    .map(|o| o.seq)
                    .ok_or_else(|| f.error(format!("`{name}` has no objection to resolve")))?;
                let outcome = match f.required("outcome")?.as_str() {
                    "explained" => OutcomeInput::Explained {
                        note: f.required("note")?,
                    },
                    // The latest correction completed.
                    "accepted" => OutcomeInput::Accepted {
                        correction: state
                            .completed
                            .iter()
                            .filter(|c| !c.corrected.is_empty())
                            .map(|c| c.proposal)
                            .max()
                            .ok_or_else(|| f.error("no correction was made to accept"))?,
                    },
                    "not-accepted" => OutcomeInput::NotAccepted {
                        advice: f.required("advice")?,
                        followed: f.bool("followed")?.unwrap_or(true),
                        why_not: f.string("why_not")?.unwrap_or_default(),
                    },
                    other => {
                        return Err(f
                            .error(format!(
                                "outcome `{other}` is not explained, accepted or not-accepted"
                            ))
                            .into());
                    }
                };
                let confirmers = self.with_pins(&f, "confirmers")?;
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(
                    &f,
                    Command::ResolveObjection {
                        objection,
                        outcome,
                        confirmers,
                        chair_pin,
                    },
                    &format!("resolve {name}"),
                )?;
            }
            "incident" => {
                let text = f.required("text")?;
                let raised_by = match f.string("raised_by")? {
                    Some(n) => Some(self.person(&f, &n)?.0),
                    None => None,
                };
                let witnesses = self.with_pins(&f, "witnesses")?;
                let chair_pin = self.chair_pin(&f)?;
                f.finish()?;
                self.command(
                    &f,
                    Command::ReportIncident {
                        text,
                        raised_by,
                        witnesses,
                        chair_pin,
                    },
                    "incident",
                )?;
            }
            "print" => {
                let name = f.required("report")?;
                let kind = match name.as_str() {
                    "opening" => ReportKind::Opening,
                    "closing" => ReportKind::Closing,
                    other => match other
                        .strip_prefix("c-hasil-")
                        .and_then(tps_firmware::election::BallotType::parse)
                    {
                        Some(b) => ReportKind::Result(b),
                        None => {
                            return Err(f
                                .error(format!(
                                    "report `{other}` is not opening, closing or c-hasil-TYPE"
                                ))
                                .into());
                        }
                    },
                };
                let expect = f.string("expect")?.unwrap_or_else(|| "printed".into());
                f.finish()?;
                let step = self.current_step();
                let got = match self.station.print_report(kind) {
                    Ok(()) => {
                        self.say(&step, "print", "printed");
                        "printed".to_string()
                    }
                    Err(StationError::Printer(e)) => {
                        self.say(&step, "print", &format!("printer: {e}"));
                        "printer-error".to_string()
                    }
                    Err(e) => return Err(e.into()),
                };
                self.expectation(&f, got == expect, format!("expected {expect}, got {got}"))?;
            }
            "export" => {
                let expect = f.string("expect")?.unwrap_or_else(|| "exported".into());
                f.finish()?;
                let step = self.current_step();
                let got = match self.station.export_for_pps() {
                    Ok(e) => {
                        let said = format!("{} files in {}", e.files, e.folder);
                        self.say(&step, "export", &said);
                        "exported".to_string()
                    }
                    Err(e) => {
                        self.say(&step, "export", &e.message().en);
                        format!("failed:{}", e.kind())
                    }
                };
                self.expectation(&f, got == expect, format!("expected {expect}, got {got}"))?;
            }
            "usb-pull-after" => {
                let bytes = f.uint("bytes")?.ok_or_else(|| f.error("needs `bytes`"))?;
                f.finish()?;
                self.station.hw().usb.pull_after(u64::from(bytes));
                let step = self.current_step();
                self.say(&step, action, "armed");
            }
            "lid-open" | "lid-close" | "usb-unplug" | "usb-plug" | "usb-plug-new" | "usb-full"
            | "sd-full" | "sd-freed" | "paper-out" | "paper-in" | "printer-offline"
            | "printer-online" | "oscillator-stop" | "power" | "usb-plug-hostile" => {
                self.hardware(&f, action)?;
            }
            "cut-power" => {
                match f.uint("after_bytes")? {
                    Some(n) => self.station.hw().power_cut.cut_after(n as usize),
                    None => self.station.cut_power()?,
                }
                f.finish()?;
                let step = self.current_step();
                self.say(&step, action, "armed");
            }
            "provision-request" | "provision-check" | "authority-answers" | "provision-install"
            | "reprovision" => self.provisioning(&f, action)?,
            "restart" => {
                f.finish()?;
                self.station.restart()?;
                let step = self.current_step();
                match self.station.kiosk() {
                    Ok(_) => self.say(&step, "restart", "resumed"),
                    Err(e) => {
                        let e = e.to_string();
                        self.say(&step, "restart", &format!("did not start: {e}"))
                    }
                }
                self.check_nothing_lost(&f)?;
            }
            "set-clock" => {
                let to = f.required("to")?;
                let by = f.string("by")?.unwrap_or_else(|| "teknisi".into());
                let t = tps_firmware::time::LocalTime::parse(&to)
                    .ok_or_else(|| f.error(format!("to = \"{to}\" is not HH:MM")))?;
                let witnesses = f
                    .strings("witnesses")?
                    .iter()
                    .map(|n| {
                        let (id, p) = self.person(&f, n)?;
                        Ok((id, pin(&f, &p)?))
                    })
                    .collect::<Result<Vec<_>, ScenarioError>>()?;
                // Before anyone registered there is no chair to ask.
                let chair_pin = if self.people.is_empty() {
                    None
                } else {
                    Some(self.chair_pin(&f)?)
                };
                let confirm_crossing = f.bool("confirm_crossing")?.unwrap_or(false);
                f.finish()?;
                let set = SetClock {
                    new_ms: instant_at(self.date, t, self.zone).unwrap_or(0),
                    by,
                    chair_pin,
                    witnesses,
                    confirm_crossing,
                };
                self.command(&f, Command::SetClock(set), &format!("set-clock {to}"))?;
            }
            "rtc-moved" => {
                let to = f.required("to")?;
                f.finish()?;
                let t = tps_firmware::time::LocalTime::parse(&to)
                    .ok_or_else(|| f.error(format!("to = \"{to}\" is not HH:MM")))?;
                self.station
                    .hw()
                    .rtc
                    .set_time_ms(instant_at(self.date, t, self.zone).unwrap_or(0));
                let step = self.current_step();
                self.say(
                    &step,
                    action,
                    &format!("RTC moved to {to} outside the kiosk"),
                );
            }
            "check" => self.check(&f)?,
            other => return Err(f.error(format!("unknown action `{other}`")).into()),
        }
        Ok(())
    }

    fn hardware(&mut self, f: &Fields<'_>, action: &str) -> Result<(), RunError> {
        let hw = self.station.hw();
        let detail = match action {
            "lid-open" => {
                hw.lid.open();
                "lid opened".to_string()
            }
            "lid-close" => {
                hw.lid.close();
                "lid closed".into()
            }
            "usb-unplug" => {
                hw.usb
                    .unplug()
                    .map_err(|e| RunError::Setup(e.to_string()))?;
                "USB stick pulled out".into()
            }
            "usb-plug" => {
                hw.usb.plug().map_err(|e| RunError::Setup(e.to_string()))?;
                "USB stick plugged in".into()
            }
            "usb-plug-new" => {
                hw.usb
                    .plug_new()
                    .map_err(|e| RunError::Setup(e.to_string()))?;
                "a new, empty USB stick plugged in".into()
            }
            "usb-plug-hostile" => {
                let outside = self.outside_file()?;
                let primary = self.station.data_dir().journal().primary;
                let hw = self.station.hw();
                let (hostile, what) = match f.required("file")?.as_str() {
                    "fifo" => (HostileStick::Fifo, "a FIFO"),
                    "link-to-primary" => (
                        HostileStick::FileLink(primary),
                        "a link to the primary journal",
                    ),
                    "link-outside" => (HostileStick::FileLink(outside), "a link outside"),
                    "stick-link-outside" => {
                        let dir = outside.parent().map(Path::to_path_buf).unwrap_or_default();
                        (HostileStick::DirLink(dir), "its directory a link outside")
                    }
                    other => {
                        return Err(f
                            .error(format!(
                                "file `{other}` is not fifo, link-to-primary, link-outside or stick-link-outside"
                            ))
                            .into());
                    }
                };
                hw.usb
                    .plug_hostile(&hostile)
                    .map_err(|e| RunError::Setup(e.to_string()))?;
                format!("a USB stick whose mirror is {what} plugged in")
            }
            "usb-full" => {
                hw.usb.fill();
                "USB stick full".into()
            }
            "sd-full" => {
                hw.sd.fill();
                "SD card full".into()
            }
            "sd-freed" => {
                hw.sd.free();
                "SD card has room again".into()
            }
            "paper-out" => {
                hw.printer.set_paper(false);
                "printer out of paper".into()
            }
            "paper-in" => {
                hw.printer.set_paper(true);
                "paper loaded".into()
            }
            "printer-offline" => {
                hw.printer.set_online(false);
                "printer switched off".into()
            }
            "printer-online" => {
                hw.printer.set_online(true);
                "printer switched on".into()
            }
            "oscillator-stop" => {
                hw.rtc.stop_oscillator();
                "RTC oscillator stopped".into()
            }
            _ => {
                let supply = match f.required("supply")?.as_str() {
                    "mains" => Supply::Mains,
                    "battery" => Supply::Battery,
                    "battery-low" => Supply::BatteryLow,
                    other => {
                        return Err(f
                            .error(format!(
                                "supply `{other}` is not mains, battery or battery-low"
                            ))
                            .into());
                    }
                };
                hw.power.set(supply);
                format!("power: {supply:?}")
            }
        };
        f.finish()?;
        self.settle()?;
        let step = self.current_step();
        self.say(&step, action, &detail);
        Ok(())
    }

    fn check(&mut self, f: &Fields<'_>) -> Result<(), RunError> {
        let kiosk = self
            .station
            .kiosk()
            .map_err(|e| RunError::Setup(format!("the kiosk is not running: {e}")))?;
        let state = kiosk.state();
        let mut checked = Vec::new();
        if let Some(step) = f.string("current_step")? {
            let now = self.current_step();
            self.expectation(f, now == step, format!("current step is {now}, not {step}"))?;
            checked.push(format!("step {step}"));
        }
        if let Some(phase) = f.string("phase")? {
            let now = phase_name(state.phase());
            self.expectation(f, now == phase, format!("phase is {now}, not {phase}"))?;
            checked.push(format!("phase {phase}"));
        }
        if let Some(alarm) = f.string("alarm")? {
            let alarms: Vec<&str> = kiosk.alarms().iter().map(alarm_name).collect();
            self.expectation(
                f,
                alarms.contains(&alarm.as_str()),
                format!("alarm {alarm} expected, alarms are {alarms:?}"),
            )?;
            checked.push(format!("alarm {alarm}"));
        }
        if f.bool("no_alarm")? == Some(true) {
            let alarms: Vec<&str> = kiosk.alarms().iter().map(alarm_name).collect();
            self.expectation(
                f,
                alarms.is_empty(),
                format!("no alarm expected, alarms are {alarms:?}"),
            )?;
            checked.push("no alarm".into());
        }
        if let Some(n) = f.uint("incidents")? {
            let have = state.incidents.len();
            self.expectation(
                f,
                have == n as usize,
                format!("{have} special incidents, not {n}"),
            )?;
            checked.push(format!("{n} incidents"));
        }
        if let Some(n) = f.uint("people")? {
            let have = state.people.len();
            self.expectation(
                f,
                have == n as usize,
                format!("{have} people registered, not {n}"),
            )?;
            checked.push(format!("{n} people"));
        }
        if let Some(text) = f.string("printed_contains")? {
            let printed = self.station.hw().printer.receipt_texts().join("\n");
            self.expectation(
                f,
                printed.contains(&text),
                format!("nothing printed contains {text:?}"),
            )?;
            checked.push(format!("printed {text:?}"));
        }
        if let Some(min) = f.uint("records_at_least")? {
            let have = kiosk.records();
            self.expectation(
                f,
                have >= u64::from(min),
                format!("{have} records, fewer than {min}"),
            )?;
            checked.push(format!("≥{min} records"));
        }
        if f.bool("outside_untouched")? == Some(true) {
            let path = self.outside_file()?;
            // Compared only when its length is right: nothing of a grown file is read.
            let kept = std::fs::metadata(&path)
                .is_ok_and(|m| m.len() == OUTSIDE_BYTES.len() as u64)
                && std::fs::read(&path).is_ok_and(|b| b == OUTSIDE_BYTES);
            self.expectation(f, kept, format!("{} was changed", path.display()))?;
            checked.push("nothing written outside".into());
        }
        let wanted = f.strings("journal_has")?;
        if !wanted.is_empty() {
            let have = self.primary_kinds()?;
            // The kinds named must appear in the primary journal in this order.
            let mut rest = have.iter();
            let found = wanted.iter().all(|w| rest.any(|h| h == w));
            self.expectation(
                f,
                found,
                format!("the journal does not hold {wanted:?} in that order: {have:?}"),
            )?;
            checked.push(format!("journal has {}", wanted.join(", ")));
        }
        f.finish()?;
        if checked.is_empty() {
            return Err(f.error("a check needs something to check").into());
        }
        let step = self.current_step();
        self.say(&step, "check", &format!("ok: {}", checked.join(", ")));
        Ok(())
    }

    /// A file outside the data and mirror directories that a hostile stick links to (made on
    /// first use): `DIR/outside/journal.tpsj`.
    fn outside_file(&self) -> Result<PathBuf, RunError> {
        let dir = self.station.data_dir().dir.join("outside");
        let path = dir.join("journal.tpsj");
        if !path.exists() {
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&path, OUTSIDE_BYTES))
                .map_err(|e| RunError::Setup(format!("{}: {e}", path.display())))?;
        }
        Ok(path)
    }

    /// Streams the primary journal, handing each good record to `each`.
    fn scan_primary(&self, each: impl FnMut(SignedRecord)) -> Result<(), RunError> {
        let path = self.station.data_dir().journal().primary;
        let fail = |e: String| RunError::Setup(format!("{}: {e}", path.display()));
        let file = std::fs::File::open(&path).map_err(|e| fail(e.to_string()))?;
        scan_stream(std::io::BufReader::new(file), each)
            .map_err(|e| fail(e.to_string()))?
            .map_err(|e| fail(e.to_string()))?;
        Ok(())
    }

    /// The kind of every record in the primary journal, in order.
    fn primary_kinds(&self) -> Result<Vec<&'static str>, RunError> {
        let mut kinds = Vec::new();
        self.scan_primary(|r| kinds.push(r.record.body.kind_name()))?;
        Ok(kinds)
    }

    /// Every acknowledged record is still in the journal, unchanged.
    fn check_nothing_lost(&self, f: &Fields<'_>) -> Result<(), RunError> {
        let mut hashes = Vec::new();
        self.scan_primary(|r| hashes.push(r.hash))?;
        for (seq, hash) in &self.acknowledged {
            // Records are numbered by their place (the scan checked).
            let kept = hashes.get(*seq as usize) == Some(hash);
            self.expectation(f, kept, format!("acknowledged record {seq} was lost"))?;
        }
        Ok(())
    }
}

/// What the file a hostile stick links to holds, and must still hold.
const OUTSIDE_BYTES: &[u8] = b"not the kiosk's file";

fn alarm_name(a: &Alarm) -> &'static str {
    match a {
        Alarm::Tamper => "tamper",
        Alarm::TamperWhileOff => "tamper-while-off",
        Alarm::Journal { .. } => "journal",
        Alarm::Clock => "clock",
        Alarm::ClockMoved => "clock-moved",
        Alarm::MirrorMissing => "mirror-missing",
        Alarm::MirrorFull => "mirror-full",
        Alarm::MirrorRefused { .. } => "mirror-refused",
        Alarm::Storage { .. } => "storage",
        Alarm::CertificateNotValid => "certificate-not-valid",
        _ => "other",
    }
}

fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Opening => "opening",
        Phase::Voting => "voting",
        Phase::Queue => "queue",
        Phase::CloseOut => "close-out",
        Phase::Counting => "counting",
        Phase::Finished => "finished",
    }
}

/// Runs `scenario` in `dir` (which must not hold a journal yet), writing one line per event to
/// `out`. Leaves the journal, its mirror and what was printed (`dir/printer/`) behind.
pub fn run(scenario: &Scenario, dir: &Path, out: &mut dyn Write) -> Result<Summary, RunError> {
    let package_toml = match super::builtin_package(&scenario.package) {
        Some(t) => t.to_string(),
        None => {
            let path = scenario
                .file
                .parent()
                .unwrap_or(Path::new("."))
                .join(&scenario.package);
            std::fs::read_to_string(&path).map_err(|e| {
                RunError::Setup(format!(
                    "{}: package `{}` is neither built in ({}) nor a readable file {}: {e}",
                    scenario.file.display(),
                    scenario.package,
                    super::BUILTIN_PACKAGES.map(|(n, _)| n).join(", "),
                    path.display()
                ))
            })?
        }
    };
    let package = tps_firmware::identity::package::ElectionPackage::from_toml(&package_toml)
        .map_err(|e| RunError::Setup(format!("package {}: {e}", scenario.package)))?;
    let start = instant_at(package.date, scenario.start, package.zone).unwrap_or(0);
    if DataDir::new(dir).journal().primary.exists() {
        return Err(RunError::Setup(format!(
            "{} already holds a journal; a scenario starts on an empty data directory",
            dir.display()
        )));
    }
    let station = if scenario.blank {
        SimStation::open_as_is(dir, start)?
    } else {
        SimStation::open(dir, &package_toml, start)?
    };
    let authority =
        keyfile::generate_signing_key().map_err(|e| RunError::Setup(format!("random: {e}")))?;
    let _ = writeln!(
        out,
        "scenario: {} ({})",
        scenario.title,
        scenario.file.display()
    );
    let mut runner = Runner {
        scenario,
        date: package.date,
        zone: package.zone,
        station,
        people: BTreeMap::new(),
        acknowledged: Vec::new(),
        package_toml,
        authority,
        out,
    };
    let result = scenario.events.iter().try_for_each(|e| runner.event(e));
    let printer_dir = dir.join("printer");
    std::fs::create_dir_all(&printer_dir)
        .map_err(|e| RunError::Setup(format!("{}: {e}", printer_dir.display())))?;
    let receipts = runner
        .station
        .hw()
        .printer
        .save_receipts(&printer_dir)
        .map_err(|e| RunError::Setup(e.to_string()))?;
    result?;
    // The journal the day left behind verifies against the (development) authority.
    let data = runner.station.data_dir().clone();
    let (authority, _) =
        keyfile::read_verifying_key(&data.authority_pub(), KeyKind::AuthorityPublic)
            .map_err(|e| RunError::Setup(e.to_string()))?;
    // Streamed: the records are held for the verifier, never the file's bytes.
    let journal =
        std::fs::File::open(data.journal().primary).map_err(|e| RunError::Setup(e.to_string()))?;
    let (records, damage) = read_prefix(journal).map_err(|e| RunError::Setup(e.to_string()))?;
    // The package is the simulator's own, written by the station (bounded by the package size).
    let package_bytes =
        std::fs::read(data.package()).map_err(|e| RunError::Setup(e.to_string()))?;
    let report = verify_parsed(
        &records,
        damage,
        &authority,
        Some(&package_bytes),
        Signatures::Every,
    )
    .map_err(|e| RunError::Setup(format!("the journal does not verify: {e}")))?;
    let _ = writeln!(
        runner.out,
        "journal verified: {} records, head {}{}",
        report.records,
        &hex::encode(report.head_hash)[..16],
        if report.development {
            " (DEVELOPMENT authority)"
        } else {
            ""
        }
    );
    Ok(Summary {
        events: scenario.events.len(),
        records: report.records,
        receipts,
    })
}
