//! Records in plain English, one line each, for `tps-keys journal show`, the kiosk's history
//! screen and reports.
//!
//! Describing is a fold: a [`Describer`] remembers who registered (so a confirmation names the
//! person and their role) and which step each proposal was for (so a confirmation names the
//! step). It does no I/O and reads no clock. Whoever adds a [`RecordBody`] variant extends
//! [`Describer::describe`].

use std::collections::BTreeMap;

use crate::event::{
    Genesis, Incident, IncidentKind, MirrorRepair, Missing, PowerState, RecordBody, Recovery,
    ReportKind,
};
use crate::identity::cert::DeviceCertificate;
use crate::journal::record::Record;
use crate::procedure::input::{Exception, StepInput};
use crate::procedure::people::{PersonId, Role};
use crate::procedure::refusal::who_is_missing;
use crate::procedure::text::Lang;
use crate::time::{ClockStatus, Stamp, TimeZone};

/// One record, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub seq: u64,
    pub stamp: Stamp,
    /// The record's kind, as [`RecordBody::kind_name`] names it.
    pub kind: &'static str,
    /// What happened, in one line of plain English.
    pub text: String,
    /// Who confirmed it with their PIN (name and role), when someone did.
    pub by: Vec<String>,
}

impl Line {
    /// `seq  time  text  [by ...]`, the line `journal show` prints.
    pub fn render(&self, zone: Option<TimeZone>) -> String {
        let mut out = format!("{:>5}  {}", self.seq, stamp_text(&self.stamp, zone));
        out.push_str("  ");
        out.push_str(&self.text);
        if !self.by.is_empty() {
            out.push_str("  [by ");
            out.push_str(&self.by.join(", "));
            out.push(']');
        }
        out
    }
}

/// A stamp's wall time, with a warning when the clock was not trusted.
pub fn stamp_text(stamp: &Stamp, zone: Option<TimeZone>) -> String {
    let time = format_time(stamp.wall_ms, zone);
    match stamp.clock {
        ClockStatus::Trusted => time,
        ClockStatus::OscillatorStopped => format!("{time} (clock untrusted: oscillator stopped)"),
        ClockStatus::BehindJournal => format!("{time} (clock untrusted: behind the journal)"),
    }
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS ZONE`, in UTC when no zone is known.
pub fn format_time(ms: i64, zone: Option<TimeZone>) -> String {
    match zone {
        Some(zone) => crate::time::format_local(ms, zone),
        None => match time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) {
            Ok(t) => format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            Err(_) => format!("@{ms}ms"),
        },
    }
}

/// A length of time in words: `2 h 5 min`, `3 min 12 s`, `800 ms`.
pub fn format_duration(ms: i64) -> String {
    let abs = ms.unsigned_abs();
    let (h, m, s) = (abs / 3_600_000, abs / 60_000 % 60, abs / 1000 % 60);
    match (h, m, s) {
        (0, 0, 0) => format!("{abs} ms"),
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// Text someone typed, made safe for one line: control characters (newlines, tabs, escape
/// sequences) become spaces.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[derive(Debug, Clone)]
struct Person {
    name: String,
    role: Role,
}

/// Describes records in journal order, remembering people and proposals.
#[derive(Debug, Clone, Default)]
pub struct Describer {
    zone: Option<TimeZone>,
    people: BTreeMap<PersonId, Person>,
    /// Proposal record seq to its step id.
    proposals: BTreeMap<u64, String>,
}

impl Describer {
    /// A describer that shows times inside records (clock changes) in `zone`, or UTC.
    pub fn new(zone: Option<TimeZone>) -> Self {
        Self {
            zone,
            ..Self::default()
        }
    }

    /// `Name (role)` of a registered person, or `person #N (not registered)`.
    pub fn person(&self, id: PersonId) -> String {
        match self.people.get(&id) {
            Some(p) => format!("{} ({})", p.name, p.role.label_en()),
            None => format!("person {id} (not registered)"),
        }
    }

    fn proposal(&self, seq: u64) -> String {
        match self.proposals.get(&seq) {
            Some(step) => format!("the proposal for step '{step}' (record {seq})"),
            None => format!("proposal record {seq}"),
        }
    }

    /// Describes the next record and remembers what later records need from it.
    pub fn describe(&mut self, record: &Record) -> Line {
        let (text, by) = self.text(record);
        Line {
            seq: record.seq,
            stamp: record.stamp,
            kind: record.body.kind_name(),
            text,
            by,
        }
    }

    fn text(&mut self, record: &Record) -> (String, Vec<String>) {
        match &record.body {
            RecordBody::Genesis(g) => (genesis(g), vec![]),
            RecordBody::Started {
                firmware_version,
                recovery,
            } => (
                format!(
                    "Kiosk started (firmware {}); {}",
                    clean(firmware_version),
                    recovery_text(recovery)
                ),
                vec![],
            ),
            RecordBody::PersonRegistered {
                person,
                role,
                name,
                letter,
                present,
                by,
                ..
            } => {
                self.people.insert(
                    *person,
                    Person {
                        name: clean(name),
                        role: *role,
                    },
                );
                let mut text = format!(
                    "Registered {} as {} ({person})",
                    clean(name),
                    role.label_en()
                );
                if !letter.is_empty() {
                    text.push_str(&format!(", letter {}", clean(letter)));
                }
                text.push_str(if *present {
                    ", present"
                } else {
                    ", not present"
                });
                let by = by.map(|b| self.person(b)).into_iter().collect();
                (text, by)
            }
            RecordBody::PresenceChanged {
                person,
                present,
                by,
                ..
            } => {
                let verb = if *present { "came in" } else { "went out" };
                (
                    format!("{} {verb}", self.person(*person)),
                    vec![self.person(*by)],
                )
            }
            RecordBody::PinFailed { person, failures } => (
                format!(
                    "Wrong PIN for {} ({failures} in a row)",
                    self.person(*person)
                ),
                vec![],
            ),
            RecordBody::StepProposed {
                step,
                input,
                corrects,
                reason,
            } => {
                self.proposals.insert(record.seq, clean(step));
                let mut text = match corrects {
                    Some(old) => format!(
                        "Correction of {} proposed: {}",
                        self.proposal(*old),
                        step_input(input)
                    ),
                    None => format!("Step '{}' proposed: {}", clean(step), step_input(input)),
                };
                if let Some(reason) = reason {
                    text.push_str(&format!("; reason: {}", clean(reason)));
                }
                (text, vec![])
            }
            RecordBody::Confirmed { person, proposal } => (
                format!(
                    "{} confirmed {}",
                    self.person(*person),
                    self.proposal(*proposal)
                ),
                vec![self.person(*person)],
            ),
            RecordBody::Objected {
                person,
                proposal,
                reason,
            } => {
                let about = match proposal {
                    Some(p) => format!(" to {}", self.proposal(*p)),
                    None => String::new(),
                };
                (
                    format!(
                        "{} objected{about}: {}",
                        self.person(*person),
                        clean(reason)
                    ),
                    vec![self.person(*person)],
                )
            }
            RecordBody::StepCompleted {
                step,
                proposal,
                chair,
            } => (
                format!(
                    "Step '{}' completed by {} ({})",
                    clean(step),
                    self.person(*chair),
                    self.proposal(*proposal)
                ),
                vec![self.person(*chair)],
            ),
            RecordBody::Incident(incident) => self.incident(incident),
            RecordBody::DpkAnnounced { chair } => (
                format!(
                    "{} announced that voters on the DPK may now vote",
                    self.person(*chair)
                ),
                vec![self.person(*chair)],
            ),
            RecordBody::VotingEnded { chair } => (
                format!(
                    "{} declared voting over: the last queued voter has voted",
                    self.person(*chair)
                ),
                vec![self.person(*chair)],
            ),
            RecordBody::ClockAnomaly { rtc_ms, journal_ms } => (
                format!(
                    "Clock anomaly: the RTC read {}, {} earlier than the journal's {}; nothing was decided on it",
                    format_time(*rtc_ms, self.zone),
                    format_duration(journal_ms.saturating_sub(*rtc_ms)),
                    format_time(*journal_ms, self.zone)
                ),
                vec![],
            ),
            RecordBody::ClockSet { old_ms, new_ms, by } => {
                let diff = new_ms.saturating_sub(*old_ms);
                let direction = if diff < 0 { "back" } else { "forward" };
                (
                    format!(
                        "Clock set {direction} {} by technician {}: from {} to {}",
                        format_duration(diff),
                        clean(by),
                        format_time(*old_ms, self.zone),
                        format_time(*new_ms, self.zone)
                    ),
                    vec![],
                )
            }
            RecordBody::TamperChanged { open } => (
                if *open {
                    "Enclosure lid OPENED (tamper alarm)".to_string()
                } else {
                    "Enclosure lid closed".to_string()
                },
                vec![],
            ),
            RecordBody::PowerChanged { state } => (
                match state {
                    PowerState::Mains => "Power: back on mains",
                    PowerState::Battery => "Power: mains lost, running on battery",
                    PowerState::BatteryLow => "Power: battery low",
                }
                .to_string(),
                vec![],
            ),
            RecordBody::MirrorRestored { records_copied } => (
                format!("USB mirror restored: {records_copied} records copied to it"),
                vec![],
            ),
            RecordBody::ReportPrinted { kind, digest } => (
                format!(
                    "{} report printed (digest {})",
                    match kind {
                        ReportKind::Opening => "Opening",
                        ReportKind::Closing => "Closing",
                    },
                    short_hex(digest)
                ),
                vec![],
            ),
        }
    }

    fn incident(&self, incident: &Incident) -> (String, Vec<String>) {
        let what = match &incident.kind {
            IncidentKind::Reported => match incident.raised_by {
                Some(p) => format!("Incident reported by {}", self.person(p)),
                None => "Incident reported".to_string(),
            },
            IncidentKind::StepException { step } => {
                format!(
                    "Incident: step '{}' went ahead with an exception",
                    clean(step)
                )
            }
            IncidentKind::QuorumWaived { step, missing } => format!(
                "Incident: step '{}' went ahead without its full quorum under the 30-minute rule (missing {})",
                clean(step),
                self.missing(missing)
            ),
            IncidentKind::LateOpening => "Incident: the polls opened late".to_string(),
        };
        let mut text = what;
        if !incident.text.is_empty() {
            text.push_str(": ");
            text.push_str(&clean(&incident.text));
        }
        if let Some(r) = incident.refers_to {
            text.push_str(&format!(" (about record {r})"));
        }
        let by = incident.witnesses.iter().map(|w| self.person(*w)).collect();
        (text, by)
    }

    fn missing(&self, missing: &Missing) -> String {
        let names: Vec<String> = missing
            .oath_takers
            .iter()
            .map(|p| self.person(*p))
            .collect();
        let who = who_is_missing(
            missing.pengawas,
            missing.saksi_participants,
            missing.witnesses,
            &names,
            Lang::En,
        );
        if who.is_empty() {
            "nobody".to_string()
        } else {
            who
        }
    }
}

/// Describes every record, in order.
pub fn describe_all<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    zone: Option<TimeZone>,
) -> Vec<Line> {
    let mut describer = Describer::new(zone);
    records.into_iter().map(|r| describer.describe(r)).collect()
}

fn short_hex(bytes: &[u8]) -> String {
    let mut s = hex::encode(&bytes[..bytes.len().min(8)]);
    s.push('…');
    s
}

fn genesis(g: &Genesis) -> String {
    let device = match DeviceCertificate::read_unverified(&g.certificate) {
        Ok(cert) if cert.development => {
            format!(
                "device {} (DEVELOPMENT certificate)",
                clean(&cert.device_id)
            )
        }
        Ok(cert) => format!("device {}", clean(&cert.device_id)),
        Err(_) => "a device with an unreadable certificate".to_string(),
    };
    format!(
        "Journal begun for TPS {} by {device}, firmware {}, election package {}",
        g.tps,
        clean(&g.firmware_version),
        short_hex(&g.package_hash)
    )
}

fn recovery_text(r: &Recovery) -> String {
    let mut parts = Vec::new();
    if r.primary_quarantined > 0 {
        parts.push(format!(
            "{} bytes of a cut-off write quarantined from the primary journal",
            r.primary_quarantined
        ));
    }
    if r.mirror_quarantined > 0 {
        parts.push(format!(
            "{} bytes of a cut-off write quarantined from the mirror",
            r.mirror_quarantined
        ));
    }
    match r.mirror_repair {
        MirrorRepair::None => {}
        MirrorRepair::CopiedToMirror { records } => {
            parts.push(format!("{records} records copied to the mirror"));
        }
        MirrorRepair::CopiedToPrimary { records } => {
            parts.push(format!(
                "{records} records copied from the mirror to the primary"
            ));
        }
        MirrorRepair::MirrorCreated { records } => {
            parts.push(format!("mirror created with {records} records"));
        }
    }
    if parts.is_empty() {
        "journal intact".to_string()
    } else {
        parts.join("; ")
    }
}

fn exception_text(e: Option<&Exception>) -> String {
    match e {
        Some(e) => format!(
            "; exception: {}{}",
            clean(&e.action),
            if e.pps_contacted {
                " (PPS contacted)"
            } else {
                " (PPS not contacted)"
            }
        ),
        None => String::new(),
    }
}

fn step_input(input: &StepInput) -> String {
    match input {
        StepInput::Checklist { items, exception } => format!(
            "equipment checklist, {} of {} items present{}",
            items.iter().filter(|i| i.present).count(),
            items.len(),
            exception_text(exception.as_ref())
        ),
        StepInput::Attendance => "attendance taken".to_string(),
        StepInput::Oath => "oath taken by the KPPS and security staff".to_string(),
        StepInput::BoxInventory { items, exception } => format!(
            "ballot box opened, {} documents counted ({}){}",
            items.iter().map(|i| u32::from(i.count)).sum::<u32>(),
            items
                .iter()
                .map(|i| format!("{} {}", clean(&i.item), i.count))
                .collect::<Vec<_>>()
                .join(", "),
            exception_text(exception.as_ref())
        ),
        StepInput::EmptyBox { locks } => format!(
            "ballot boxes shown empty and locked ({})",
            locks
                .iter()
                .map(|l| format!("{} seal {}", l.ballot, clean(&l.seal)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        StepInput::SealCheck { seals, exception } => format!(
            "ballot envelope seals checked ({}){}",
            seals
                .iter()
                .map(|s| format!(
                    "{} seal {} {}",
                    s.ballot,
                    clean(&s.seal),
                    if s.intact { "intact" } else { "BROKEN" }
                ))
                .collect::<Vec<_>>()
                .join(", "),
            exception_text(exception.as_ref())
        ),
        StepInput::BallotCount { counts, exception } => format!(
            "ballots counted ({}){}",
            counts
                .iter()
                .map(|c| format!(
                    "{} {}{}",
                    c.ballot,
                    c.counted,
                    if c.dapil_ok { "" } else { " WRONG DAPIL" }
                ))
                .collect::<Vec<_>>()
                .join(", "),
            exception_text(exception.as_ref())
        ),
        StepInput::Explanations { topics } => format!(
            "explanations given ({})",
            topics
                .iter()
                .map(|t| clean(t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        StepInput::PollsOpen { late_reason } => match late_reason {
            Some(reason) => format!("polls open, late: {}", clean(reason)),
            None => "polls open".to_string(),
        },
        StepInput::PollsClose { queued } => {
            format!("polls closed, {queued} voters still queued may vote")
        }
        StepInput::Reconciliation(r) => format!(
            "close-out: {}; voters {} (DPT {}, DPTb {}, DPK {}), disabled voters {}",
            r.ballots
                .iter()
                .map(|b| format!(
                    "{} used {} unused {} damaged {}",
                    b.ballot, b.used, b.unused, b.damaged
                ))
                .collect::<Vec<_>>()
                .join(", "),
            r.turnout.total(),
            r.turnout.dpt.total(),
            r.turnout.dptb.total(),
            r.turnout.dpk.total(),
            r.disabled_voters.total()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounded::{List, Text};
    use crate::election::{ParticipantId, ParticipantKind, TpsCode};
    use crate::procedure::input::{BallotTally, ItemCheck};
    use crate::procedure::pin::PinHash;

    fn stamp(i: u64) -> Stamp {
        Stamp {
            wall_ms: 1_707_868_800_000 + i as i64 * 60_000,
            mono_ms: i,
            clock: ClockStatus::Trusted,
        }
    }

    fn rec(seq: u64, body: RecordBody) -> Record {
        Record {
            seq,
            prev: [0; 32],
            stamp: stamp(seq),
            body,
        }
    }

    fn register(seq: u64, person: u16, role: Role, name: &str) -> Record {
        rec(
            seq,
            RecordBody::PersonRegistered {
                person: PersonId(person),
                role,
                name: Text::new(name).unwrap(),
                letter: Text::empty(),
                pin: PinHash {
                    memory_kib: 64,
                    iterations: 1,
                    salt: [0; 16],
                    hash: [0; 32],
                },
                present: true,
                by: (person != 0).then_some(PersonId(0)),
            },
        )
    }

    #[test]
    fn a_confirmation_names_the_person_their_role_and_the_step() {
        let records = vec![
            register(0, 0, Role::CHAIR, "Budi Santoso"),
            register(
                1,
                1,
                Role::Saksi(ParticipantId {
                    kind: ParticipantKind::Partai,
                    number: 3,
                }),
                "Siti Aminah",
            ),
            rec(
                2,
                RecordBody::StepProposed {
                    step: Text::new("hitung-surat-suara").unwrap(),
                    input: Box::new(StepInput::BallotCount {
                        counts: List::from_slice(&[BallotTally {
                            ballot: crate::election::BallotType::Ppwp,
                            counted: 299,
                            dapil_ok: true,
                        }])
                        .unwrap(),
                        exception: None,
                    }),
                    corrects: None,
                    reason: None,
                },
            ),
            rec(
                3,
                RecordBody::Confirmed {
                    person: PersonId(1),
                    proposal: 2,
                },
            ),
            rec(
                4,
                RecordBody::Confirmed {
                    person: PersonId(9),
                    proposal: 2,
                },
            ),
        ];
        let lines = describe_all(&records, Some(TimeZone::Wib));
        assert_eq!(
            lines[3].text,
            "Siti Aminah (Witness, Political party no. 3) confirmed the proposal for step \
             'hitung-surat-suara' (record 2)"
        );
        assert_eq!(
            lines[3].by,
            vec!["Siti Aminah (Witness, Political party no. 3)"]
        );
        assert_eq!(
            lines[1].by,
            vec!["Budi Santoso (KPPS chair)"],
            "the chair accepted the registration"
        );
        assert!(lines[2].text.contains("PPWP 299"), "{}", lines[2].text);
        assert!(lines[4].text.starts_with("person #9 (not registered)"));
        assert_eq!(
            lines[3].render(Some(TimeZone::Wib)),
            "    3  2024-02-14 07:03:00 WIB  Siti Aminah (Witness, Political party no. 3) \
             confirmed the proposal for step 'hitung-surat-suara' (record 2)  [by Siti Aminah \
             (Witness, Political party no. 3)]"
        );
    }

    #[test]
    fn typed_text_cannot_break_the_line() {
        let records = vec![
            register(0, 0, Role::CHAIR, "Budi\nSantoso"),
            rec(
                1,
                RecordBody::Objected {
                    person: PersonId(0),
                    proposal: None,
                    reason: Text::new("line one\nline two\r\x1b[2J").unwrap(),
                },
            ),
        ];
        for line in describe_all(&records, None) {
            let shown = line.render(None);
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
        }
    }

    #[test]
    fn every_kind_of_record_has_words() {
        let bodies = vec![
            RecordBody::Genesis(Box::new(Genesis {
                certificate: List::new(),
                package_hash: [7; 32],
                tps: TpsCode::parse("31.71.01.1001.012").unwrap(),
                firmware_version: Text::new("tps-kiosk 0.1.0").unwrap(),
            })),
            RecordBody::Started {
                firmware_version: Text::new("tps-kiosk 0.1.0").unwrap(),
                recovery: Recovery {
                    primary_quarantined: 12,
                    mirror_quarantined: 0,
                    mirror_repair: MirrorRepair::CopiedToMirror { records: 2 },
                },
            },
            RecordBody::PresenceChanged {
                person: PersonId(0),
                present: false,
                by: PersonId(0),
            },
            RecordBody::PinFailed {
                person: PersonId(0),
                failures: 3,
            },
            RecordBody::StepProposed {
                step: Text::new("persiapan").unwrap(),
                input: Box::new(StepInput::Checklist {
                    items: List::from_slice(&[ItemCheck {
                        item: Text::new("kotak").unwrap(),
                        present: true,
                    }])
                    .unwrap(),
                    exception: Some(Exception {
                        action: Text::new("asked PPS").unwrap(),
                        pps_contacted: true,
                    }),
                }),
                corrects: Some(1),
                reason: Some(Text::new("typo").unwrap()),
            },
            RecordBody::StepCompleted {
                step: Text::new("persiapan").unwrap(),
                proposal: 4,
                chair: PersonId(0),
            },
            RecordBody::Incident(Incident {
                kind: IncidentKind::QuorumWaived {
                    step: Text::new("pembukaan").unwrap(),
                    missing: Missing {
                        pengawas: true,
                        saksi_participants: 2,
                        witnesses: 0,
                        oath_takers: List::new(),
                    },
                },
                text: Text::new("waited 30 minutes").unwrap(),
                raised_by: None,
                witnesses: List::from_slice(&[PersonId(0)]).unwrap(),
                refers_to: Some(5),
            }),
            RecordBody::DpkAnnounced { chair: PersonId(0) },
            RecordBody::VotingEnded { chair: PersonId(0) },
            RecordBody::ClockAnomaly {
                rtc_ms: 1_707_868_800_000,
                journal_ms: 1_707_868_800_000 + 192_000,
            },
            RecordBody::ClockSet {
                old_ms: 1_707_868_800_000,
                new_ms: 1_707_868_800_000 + 3_600_000,
                by: Text::new("Teknisi Andi").unwrap(),
            },
            RecordBody::TamperChanged { open: true },
            RecordBody::PowerChanged {
                state: PowerState::BatteryLow,
            },
            RecordBody::MirrorRestored { records_copied: 4 },
            RecordBody::ReportPrinted {
                kind: ReportKind::Closing,
                digest: [0xab; 32],
            },
        ];
        let records: Vec<Record> = bodies
            .into_iter()
            .enumerate()
            .map(|(i, b)| rec(i as u64, b))
            .collect();
        let lines = describe_all(&records, Some(TimeZone::Wit));
        for line in &lines {
            assert!(!line.text.is_empty());
            assert!(!line.text.contains('\n'));
        }
        assert!(lines[0].text.contains("TPS 31.71.01.1001.012"));
        assert!(lines[1].text.contains("12 bytes"));
        assert!(lines[4].text.starts_with("Correction of proposal record 1"));
        assert!(lines[6].text.contains("the Pengawas TPS"));
        assert!(lines[9].text.contains("3 min 12 s earlier"));
        assert!(lines[10].text.contains("forward 1 h 0 min"));
        assert!(lines[10].text.contains("2024-02-14 09:00:00 WIT"));
    }

    #[test]
    fn times_without_a_zone_are_utc() {
        assert_eq!(
            format_time(1_707_868_800_000, None),
            "2024-02-14 00:00:00 UTC"
        );
        assert_eq!(
            format_time(1_707_868_800_000, Some(TimeZone::Wita)),
            "2024-02-14 08:00:00 WITA"
        );
    }
}
