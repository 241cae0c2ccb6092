//! The kiosk at run time: identity, journal and engine together. A command is decided, its
//! records signed and made durable on both media, and only then applied to the state; the caller
//! (the screen, a scenario) moves on when `submit` returns.
//!
//! Time comes in as a [`ClockReading`] with every call; the kiosk never reads a clock.

pub mod alarm;
pub mod atomic;
pub mod enrol;
pub mod export;
pub mod files;
pub mod provision;
mod space;
pub mod technician;

use std::path::PathBuf;

pub use alarm::Alarm;
pub use files::{DataDir, Identity, IdentityError};

use crate::report::{Report, ReportError};
use tps_base::bounded::{List, Text};
use tps_base::power::PowerState;
use tps_base::text::Bilingual;
use tps_base::time::{ClockStatus, Stamp};
use tps_domain::event::{Genesis, RecordBody, Recovery, ReportKind};
use tps_domain::pin::PinKey;
use tps_drivers::storage::{StorageError, StorageStatus};
use tps_engine::state::ApplyError;
use tps_engine::{Command, Refusal, State, decide};
use tps_journal::identity::package::SignedPackage;
use tps_journal::store::{JournalError, Opened, WriteGate};
use tps_journal::verify::{Signatures, VerifyError, verify_records_with};
use tps_journal::{Journal, SignedRecord};

/// What the RTC and the boot timer said when the caller asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockReading {
    /// RTC wall time, unix ms (UTC).
    pub wall_ms: i64,
    /// The RTC's oscillator-stop flag: its time is not trustworthy.
    pub oscillator_stopped: bool,
    /// Milliseconds since this boot (a monotonic source).
    pub since_boot_ms: u64,
}

/// What became of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: these records are durable on both media.
    Done(Vec<SignedRecord>),
    /// Refused; the refusal's own record (a wrong PIN) is durable when it has one.
    Refused(Refusal),
}

/// Why the kiosk could not act.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KioskError {
    /// The kiosk is in an alarm that stops recording.
    #[error("the kiosk is in an alarm: {0:?}")]
    Alarm(Alarm),
    /// The record is on the primary (the state shows it) but not on the mirror: it is copied
    /// there when a stick is back, and the kiosk is in this alarm until then.
    #[error("saved on the primary only, waiting for the mirror: {0:?}")]
    WaitingForMirror(Alarm),
    /// The (simulated) power was cut while a record was written.
    #[error("power was cut")]
    PowerCut,
}

/// Why the kiosk could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The device's key, certificate or package could not be loaded.
    #[error("device identity: {0}")]
    Identity(#[from] IdentityError),
    /// The journal files could not be opened or repaired.
    #[error("journal: {0}")]
    Journal(#[from] JournalError),
    /// The journal's records do not verify (chain, signatures, certificate or package).
    #[error("journal does not verify: {0}")]
    Verify(#[from] VerifyError),
    /// A record of the journal is refused by the engine on replay.
    #[error("journal does not replay: {0}")]
    Apply(#[from] ApplyError),
    /// The journal was begun with another certificate, or the package does not give a procedure.
    #[error("journal belongs to another device or election: {0}")]
    Foreign(String),
    /// Outside the simulator, a day is not begun with this certificate.
    #[error("{}", .0.message())]
    Certificate(CertificateRefusal),
}

/// Why a real kiosk does not begin a day (write the genesis record) with its certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateRefusal {
    /// A development certificate, made by the simulator's authority.
    Development,
    /// The certificate is not valid at this time (expired, or not yet valid).
    NotValidNow {
        /// The first moment it is valid (unix ms).
        not_before_ms: i64,
        /// The last moment it is valid (unix ms).
        not_after_ms: i64,
        /// The TPS's time zone, to show them in.
        zone: crate::time::TimeZone,
    },
}

impl CertificateRefusal {
    /// What is wrong, in both languages (a sentence without its full stop).
    pub fn reason(&self) -> Bilingual {
        match self {
            CertificateRefusal::Development => Bilingual::new(
                "Sertifikat perangkat ini sertifikat UJI COBA dan tidak boleh dipakai pada hari pemungutan suara",
                "This device's certificate is a DEVELOPMENT one and must not run an election day",
            ),
            CertificateRefusal::NotValidNow {
                not_before_ms,
                not_after_ms,
                zone,
            } => {
                let from = tps_base::time::format_local(*not_before_ms, *zone);
                let to = tps_base::time::format_local(*not_after_ms, *zone);
                Bilingual::new(
                    format!(
                        "Sertifikat perangkat tidak berlaku pada waktu ini (berlaku {from} s.d. {to})"
                    ),
                    format!(
                        "The device certificate is not valid at this time (valid {from} to {to})"
                    ),
                )
            }
        }
    }

    /// What is wrong and what to do, in both languages.
    pub fn message(&self) -> String {
        let Bilingual { id, en } = self.reason();
        format!(
            "{id}. Hari belum dimulai; tidak ada yang dicatat. Hubungi teknisi melalui PPS. / {en}. The day has not begun; nothing was recorded. Call a technician through PPS."
        )
    }
}

/// A line of the start-up self-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub name: Bilingual,
    /// Whether it passed.
    pub ok: bool,
    /// What was found.
    pub detail: Bilingual,
    /// What to do when it failed.
    pub action: Option<Bilingual>,
}

/// What start-up found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartReport {
    /// Records in the journal.
    pub records: u64,
    /// What recovery found and repaired.
    pub recovery: Recovery,
    /// Quarantine files written.
    pub quarantined: Vec<PathBuf>,
    /// The certificate is a development one (the simulator's).
    pub development: bool,
}

/// A change the hardware reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HardwareEvent {
    /// The lid switch changed.
    Lid {
        /// Whether the lid is now open.
        open: bool,
    },
    /// The UPS reports another supply.
    Power(PowerState),
    /// The USB stick came back.
    UsbPlugged,
    /// The USB stick was pulled out: steps stop until it is back.
    UsbUnplugged,
}

/// Whether a write failed for want of room: on the USB stick that calls for another stick, not
/// for the same one plugged back in.
fn no_room(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
}

/// The boot's reading half, before anything is written: the identity, the journal opened (and
/// recovered), and the state its verified records rebuild. The replay bench times exactly this.
pub fn load(dir: &DataDir) -> Result<(Identity, Opened, State), StartError> {
    let identity = Identity::load(dir)?;
    let opened = Journal::open(dir.journal(), identity.key.clone(), identity.trust())?;
    let state = replay(&identity, &opened.records)?;
    Ok((identity, opened, state))
}

/// The state a journal's records rebuild, once they are shown to be this device's: they verify
/// (certificate, package, chain, times, the head's signature), were begun with this device's
/// certificate, and each applies. No records: the state before any.
fn replay(identity: &Identity, records: &[SignedRecord]) -> Result<State, StartError> {
    let mut state = State::new(
        identity.package.clone(),
        PinKey::of_device(&identity.key.to_bytes()),
    )
    .map_err(|e| StartError::Foreign(e.to_string()))?;
    if records.is_empty() {
        return Ok(state);
    }
    // The fast check (FORMAT.md, "What a verification proves"): every frame, the chain, the
    // certificate and package, and the head's signature, which commits to every record before.
    verify_records_with(
        records,
        &identity.authority,
        Some(&identity.package_bytes),
        Signatures::Head,
    )?;
    if let Some(RecordBody::Genesis(g)) = records.first().map(|r| &r.record.body)
        && g.certificate.as_slice() != identity.certificate_bytes.as_slice()
    {
        return Err(StartError::Foreign(
            "the journal was started with another device certificate".into(),
        ));
    }
    for r in records {
        state.apply(&r.record)?;
    }
    Ok(state)
}

/// Whether a real kiosk may begin a day now with its certificate: not a development one, and
/// valid at this time.
fn certificate_may_begin(identity: &Identity, now_ms: i64) -> Result<(), CertificateRefusal> {
    let cert = &identity.certificate;
    if cert.development {
        return Err(CertificateRefusal::Development);
    }
    if !cert.valid_at(now_ms) {
        return Err(CertificateRefusal::NotValidNow {
            not_before_ms: cert.not_before_ms,
            not_after_ms: cert.not_after_ms,
            zone: identity.package.zone,
        });
    }
    Ok(())
}

/// A running kiosk.
#[derive(Debug)]
pub struct Kiosk {
    identity: Identity,
    journal: Journal,
    state: State,
    /// The monotonic counter at boot; a stamp's `mono_ms` is this plus the time since boot.
    mono_base: u64,
    alarms: Vec<Alarm>,
    /// The wall time and the time since boot when the clock was last taken as right: the RTC
    /// must keep pace with the monotonic clock from there ([`Kiosk::watch_drift`]).
    clock_base: (i64, u64),
}

/// How far the RTC may part from the monotonic clock within one boot before it counts as moved:
/// 2 s for the RTC's whole seconds at both ends, plus 5 s per hour. The kiosk's own numbers: a
/// DS3231 keeps ±2 ppm (7 ms an hour) and the Pi's crystal about ±50 ppm (0.2 s an hour), so
/// only a clock changed outside the kiosk goes past them.
pub const DRIFT_SLACK_MS: u64 = 2_000;
/// See [`DRIFT_SLACK_MS`].
pub const DRIFT_PER_HOUR_MS: u64 = 5_000;

impl Kiosk {
    /// Starts the kiosk on `dir`: loads the identity, opens (recovering) and verifies the
    /// journal, replays it, and records the start.
    pub fn start(dir: &DataDir, reading: ClockReading) -> Result<(Kiosk, StartReport), StartError> {
        Self::start_with(dir, reading, None)
    }

    /// As [`Kiosk::start`], with the simulator's write gate in place from the first write.
    pub fn start_with(
        dir: &DataDir,
        reading: ClockReading,
        gate: Option<Box<dyn WriteGate>>,
    ) -> Result<(Kiosk, StartReport), StartError> {
        let (identity, mut opened, state) = load(dir)?;
        if opened.records.is_empty() && dir.election_device {
            certificate_may_begin(&identity, reading.wall_ms).map_err(StartError::Certificate)?;
        }
        if let Some(gate) = gate {
            opened.journal.set_write_gate(gate);
        }
        let mono_base = opened.journal.head().last_mono.map_or(0, |m| m + 1);
        let report = StartReport {
            records: opened.records.len() as u64,
            recovery: opened.recovery.clone(),
            quarantined: opened.quarantined,
            development: identity.certificate.development,
        };
        let mut kiosk = Kiosk {
            identity,
            journal: opened.journal,
            state,
            mono_base,
            alarms: Vec::new(),
            clock_base: (reading.wall_ms, reading.since_boot_ms),
        };
        if opened.records.is_empty() {
            let genesis = RecordBody::Genesis(Box::new(Genesis {
                certificate: List::from_slice(&kiosk.identity.certificate_bytes)
                    .map_err(|e| StartError::Foreign(format!("certificate: {e}")))?,
                package_hash: tps_journal::identity::package::ElectionPackage::hash(
                    &kiosk.identity.package_bytes,
                ),
                tps: kiosk.identity.package.tps,
                firmware_version: Text::truncated(crate::FIRMWARE_VERSION),
            }));
            kiosk.append_quietly(genesis, reading);
        }
        kiosk.append_quietly(
            RecordBody::Started {
                firmware_version: Text::truncated(crate::FIRMWARE_VERSION),
                recovery: opened.recovery,
            },
            reading,
        );
        if kiosk.state.lid_open {
            kiosk.raise(Alarm::Tamper);
        }
        if let Some(problem) = opened.mirror_refused {
            kiosk.refuse_mirror(problem);
        }
        kiosk.check_clock(reading);
        Ok((kiosk, report))
    }

    /// The state of the day.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The device's identity.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Why a real kiosk would not begin a day at `now_ms` with its certificate (a development
    /// one, or one not valid then); `None` when it would. A record stamped outside the
    /// certificate's validity makes the journal fail verification.
    pub fn certificate_refusal(&self, now_ms: i64) -> Option<CertificateRefusal> {
        certificate_may_begin(&self.identity, now_ms).err()
    }

    /// The alarms the kiosk is in.
    pub fn alarms(&self) -> &[Alarm] {
        &self.alarms
    }

    /// The first alarm that stops steps, if any.
    pub fn blocking_alarm(&self) -> Option<&Alarm> {
        self.alarms.iter().find(|a| a.blocks_commands())
    }

    /// How many records the journal holds.
    pub fn records(&self) -> u64 {
        self.journal.head().next_seq
    }

    /// Whether the mirror is open and its USB stick is in.
    pub fn mirror_present(&self) -> bool {
        self.journal.mirror_present()
    }

    /// The stamp a record made now would get.
    pub fn stamp(&self, reading: ClockReading) -> Stamp {
        let head = self.journal.head();
        let mono =
            (self.mono_base + reading.since_boot_ms).max(head.last_mono.map_or(0, |m| m + 1));
        let clock = if reading.oscillator_stopped {
            ClockStatus::OscillatorStopped
        } else if self.alarms.contains(&Alarm::ClockMoved) {
            ClockStatus::Moved
        } else if head.last_trusted_wall.is_some_and(|t| reading.wall_ms < t) {
            ClockStatus::BehindJournal
        } else {
            ClockStatus::Trusted
        };
        Stamp {
            wall_ms: reading.wall_ms,
            mono_ms: mono,
            clock,
        }
    }

    /// Decides `command`, makes its records durable, applies them.
    pub fn submit(
        &mut self,
        command: &Command,
        reading: ClockReading,
    ) -> Result<Outcome, KioskError> {
        if let Some(alarm) = self.blocking_alarm() {
            return Err(KioskError::Alarm(alarm.clone()));
        }
        self.watch_drift(reading);
        self.check_clock(reading);
        let stamp = self.stamp(reading);
        match decide(&self.state, command, &stamp) {
            Ok(bodies) => {
                let mut done = Vec::with_capacity(bodies.len());
                for body in bodies {
                    done.push(self.append(body, reading)?);
                }
                self.clock_was_set(&done, reading);
                Ok(Outcome::Done(done))
            }
            Err(refusal) => {
                if let Some(body) = refusal.journal_entry() {
                    self.append(body, reading)?;
                }
                Ok(Outcome::Refused(refusal))
            }
        }
    }

    /// Records a hardware change, durable on the primary at once, stick or no stick (the stick
    /// gets it when it is back). Returns the record; `None` when nothing was recorded (a stick
    /// plugged in that could not be brought level raises its alarm instead).
    pub fn hardware(
        &mut self,
        event: HardwareEvent,
        reading: ClockReading,
    ) -> Result<Option<SignedRecord>, KioskError> {
        self.watch_drift(reading);
        let body = match event {
            HardwareEvent::Lid { open } => {
                if open {
                    self.raise(Alarm::Tamper);
                } else {
                    self.clear(&Alarm::Tamper);
                }
                RecordBody::TamperChanged { open }
            }
            HardwareEvent::Power(state) => RecordBody::PowerChanged { state },
            HardwareEvent::UsbPlugged => return self.restore_mirror(reading),
            HardwareEvent::UsbUnplugged => {
                // Steps wait for the stick; the pull itself is a record, on the primary.
                self.clear(&Alarm::MirrorFull);
                self.alarms
                    .retain(|a| !matches!(a, Alarm::MirrorRefused { .. }));
                self.raise(Alarm::MirrorMissing);
                RecordBody::MirrorRemoved
            }
        };
        self.append_even_without_mirror(body, reading).map(Some)
    }

    /// Records that the tamper latch found the lid opened while the kiosk was off (at
    /// `opened_ms`, the latch's time when it kept one), and raises the tamper alarm. The caller
    /// clears the latch only when this returns `Ok`: the record is durable on the primary.
    pub fn tamper_while_off(
        &mut self,
        opened_ms: Option<i64>,
        reading: ClockReading,
    ) -> Result<SignedRecord, KioskError> {
        self.raise(Alarm::TamperWhileOff);
        self.append_even_without_mirror(RecordBody::TamperWhileOff { opened_ms }, reading)
    }

    /// Appends `body` durably on the primary, and on the mirror when it is there; without the
    /// mirror the record waits on the primary for the stick ([`Journal::restore_mirror`]).
    fn append_even_without_mirror(
        &mut self,
        body: RecordBody,
        reading: ClockReading,
    ) -> Result<SignedRecord, KioskError> {
        let stamp = self.stamp(reading);
        self.certificate_covers(&stamp)?;
        match self.journal.append_even_without_mirror(stamp, body) {
            Ok((record, mirrored)) => {
                self.apply(&record)?;
                if !mirrored {
                    self.raise(Alarm::MirrorMissing);
                }
                Ok(record)
            }
            Err(e) => Err(self.failed(e)),
        }
    }

    /// The file on the stick cannot be the mirror: the chair is told to replace the stick.
    fn refuse_mirror(&mut self, problem: tps_journal::mirror::MirrorProblem) {
        self.clear(&Alarm::MirrorMissing);
        self.raise(Alarm::MirrorRefused {
            detail: problem.describe().en.to_string(),
        });
    }

    /// The stick is back: bring the mirror level and record it.
    fn restore_mirror(
        &mut self,
        reading: ClockReading,
    ) -> Result<Option<SignedRecord>, KioskError> {
        let copied = match self.journal.restore_mirror() {
            Ok(n) => n,
            Err(JournalError::MirrorMissing) => return Ok(None),
            Err(JournalError::MirrorRefused { problem, .. }) => {
                self.refuse_mirror(problem);
                return Ok(None);
            }
            // The stick plugged in has no room for the records it lacks: another one is needed.
            Err(JournalError::Io { source, .. }) if no_room(&source) => {
                self.clear(&Alarm::MirrorMissing);
                self.raise(Alarm::MirrorFull);
                return Ok(None);
            }
            Err(e) => {
                self.raise(Alarm::Journal {
                    detail: e.to_string(),
                });
                return Ok(None);
            }
        };
        self.clear(&Alarm::MirrorMissing);
        self.clear(&Alarm::MirrorFull);
        self.alarms
            .retain(|a| !matches!(a, Alarm::MirrorRefused { .. }));
        self.append(
            RecordBody::MirrorRestored {
                records_copied: copied,
            },
            reading,
        )
        .map(Some)
    }

    /// Appends, applies, and turns storage failures into alarms.
    fn append(
        &mut self,
        body: RecordBody,
        reading: ClockReading,
    ) -> Result<SignedRecord, KioskError> {
        let stamp = self.stamp(reading);
        self.certificate_covers(&stamp)?;
        match self.journal.append(stamp, body) {
            Ok(record) => {
                self.apply(&record)?;
                Ok(record)
            }
            Err(e) => Err(self.failed(e)),
        }
    }

    /// A record is written only under a certificate valid at its time: a verifier refuses any
    /// other (FORMAT.md), so one would bend the whole record. The kiosk stops in an alarm
    /// instead; it clears once the clock is within the certificate again.
    fn certificate_covers(&mut self, stamp: &Stamp) -> Result<(), KioskError> {
        if self.identity.certificate.valid_at(stamp.wall_ms) {
            self.clear(&Alarm::CertificateNotValid);
            return Ok(());
        }
        self.raise(Alarm::CertificateNotValid);
        Err(KioskError::Alarm(Alarm::CertificateNotValid))
    }

    /// What a failed append means for the chair: its alarm.
    fn failed(&mut self, error: JournalError) -> KioskError {
        match error {
            JournalError::MirrorWrite { record, source } => {
                // It is on the primary: the state must follow, but it is not acknowledged.
                if let Err(e) = self.apply(&record) {
                    return e;
                }
                log::warn!("mirror write failed: {source}");
                // A full stick must be replaced; any other failure, plugged back in.
                let alarm = if no_room(&source) {
                    Alarm::MirrorFull
                } else {
                    Alarm::MirrorMissing
                };
                self.raise(alarm.clone());
                KioskError::WaitingForMirror(alarm)
            }
            JournalError::MirrorMissing => {
                self.raise(Alarm::MirrorMissing);
                KioskError::Alarm(Alarm::MirrorMissing)
            }
            JournalError::PowerCut => KioskError::PowerCut,
            e => {
                let alarm = Alarm::Storage {
                    detail: e.to_string(),
                };
                self.raise(alarm.clone());
                KioskError::Alarm(alarm)
            }
        }
    }

    fn apply(&mut self, record: &SignedRecord) -> Result<(), KioskError> {
        if let Err(e) = self.state.apply(&record.record) {
            let alarm = Alarm::Journal {
                detail: e.to_string(),
            };
            self.raise(alarm.clone());
            return Err(KioskError::Alarm(alarm));
        }
        Ok(())
    }

    /// Start-up records: failures become alarms (the screen shows them), not errors.
    /// Without the mirror they are made durable on the primary, as hardware changes are, and
    /// copied to the stick when it is back.
    fn append_quietly(&mut self, body: RecordBody, reading: ClockReading) {
        // Failures raise their alarm inside `failed`.
        let _ = self.append_even_without_mirror(body, reading);
    }

    /// Within one boot the RTC must keep pace with the monotonic clock: one that runs faster or
    /// slower by more than [`DRIFT_SLACK_MS`] plus [`DRIFT_PER_HOUR_MS`] an hour was changed
    /// outside the kiosk. That is recorded, and raises [`Alarm::ClockMoved`]; the new pace is
    /// watched from there.
    fn watch_drift(&mut self, reading: ClockReading) {
        if reading.oscillator_stopped {
            return;
        }
        let (wall0, since0) = self.clock_base;
        let elapsed = reading.since_boot_ms.saturating_sub(since0);
        let expected_ms = wall0.saturating_add(i64::try_from(elapsed).unwrap_or(i64::MAX));
        let allowed =
            DRIFT_SLACK_MS.saturating_add(elapsed.saturating_mul(DRIFT_PER_HOUR_MS) / 3_600_000);
        if reading.wall_ms.abs_diff(expected_ms) <= allowed {
            return;
        }
        self.clock_base = (reading.wall_ms, reading.since_boot_ms);
        self.raise(Alarm::ClockMoved);
        self.append_quietly(
            RecordBody::ClockMoved {
                rtc_ms: reading.wall_ms,
                expected_ms,
            },
            reading,
        );
    }

    /// A witnessed setting of the clock is the new reference for [`Kiosk::watch_drift`]; the
    /// station sets the RTC once this returns.
    fn clock_was_set(&mut self, done: &[SignedRecord], reading: ClockReading) {
        for r in done {
            if let RecordBody::ClockSet { new_ms, .. } = r.record.body {
                self.clock_base = (new_ms, reading.since_boot_ms);
                self.clear(&Alarm::Clock);
                self.clear(&Alarm::ClockMoved);
            }
        }
    }

    fn check_clock(&mut self, reading: ClockReading) {
        if self.stamp(reading).clock.is_trusted() {
            self.clear(&Alarm::Clock);
        } else {
            self.raise(Alarm::Clock);
        }
    }

    fn raise(&mut self, alarm: Alarm) {
        if !self.alarms.contains(&alarm) {
            self.alarms.push(alarm);
        }
    }

    fn clear(&mut self, alarm: &Alarm) {
        self.alarms.retain(|a| a != alarm);
    }

    /// The opening or closing report as of now, signed by the device.
    pub fn report(&self, kind: ReportKind) -> Result<Report, ReportError> {
        let head = self.journal.head();
        crate::report::build(
            &self.state,
            kind,
            (
                &self.identity.certificate.device_id,
                &self.identity.certificate_bytes,
            ),
            (head.next_seq.saturating_sub(1), head.prev),
            &self.identity.key,
        )
    }

    /// Records that a report was printed.
    pub fn report_printed(
        &mut self,
        report: &Report,
        reading: ClockReading,
    ) -> Result<SignedRecord, KioskError> {
        if let Some(alarm) = self.blocking_alarm() {
            return Err(KioskError::Alarm(alarm.clone()));
        }
        self.append(
            RecordBody::ReportPrinted {
                kind: report.kind,
                digest: report.codes.digest(),
            },
            reading,
        )
    }

    /// The start-up self-check as the screen lists it; `storage` is the room left on both media,
    /// as the station last looked.
    pub fn self_check(
        &self,
        reading: ClockReading,
        storage: &Result<StorageStatus, StorageError>,
    ) -> Vec<Check> {
        let cert = &self.identity.certificate;
        let stamp = self.stamp(reading);
        let technician = alarm::call_technician();
        let mirror_present = self.journal.mirror_present();
        let check = |id: &str, en: &str, ok: bool, detail: Bilingual, action: &Bilingual| Check {
            name: Bilingual::new(id, en),
            ok,
            detail,
            action: (!ok).then(|| action.clone()),
        };
        let records = self.records();
        vec![
            check(
                "Kunci perangkat",
                "Device key",
                true,
                Bilingual::same(cert.device_id.to_string()),
                &technician,
            ),
            check(
                "Sertifikat perangkat",
                "Device certificate",
                cert.valid_at(reading.wall_ms) && !cert.development,
                if cert.development {
                    Bilingual::new(
                        "UJI COBA: tidak sah untuk pemilu",
                        "DEVELOPMENT: not valid for an election",
                    )
                } else if cert.valid_at(reading.wall_ms) {
                    Bilingual::new("sah", "valid")
                } else {
                    Bilingual::new("tidak sah pada waktu ini", "not valid at this time")
                },
                &technician,
            ),
            check(
                "Paket pemilu",
                "Election package",
                true,
                Bilingual::same(format!(
                    "TPS {} {}",
                    self.identity.package.tps, self.identity.package.region.village
                )),
                &technician,
            ),
            check(
                "Jam",
                "Clock",
                stamp.clock.is_trusted(),
                Bilingual::same(tps_base::time::format_local(
                    reading.wall_ms,
                    self.identity.package.zone,
                )),
                &Alarm::Clock.instructions(),
            ),
            check(
                "Jurnal",
                "Journal",
                !self.alarms.iter().any(Alarm::is_journal_fault),
                Bilingual::new(
                    format!("{records} catatan, terverifikasi"),
                    format!("{records} records, verified"),
                ),
                &technician,
            ),
            check(
                "Cadangan (flashdisk)",
                "Mirror (USB stick)",
                mirror_present,
                if mirror_present {
                    Bilingual::new("terpasang", "plugged in")
                } else {
                    Bilingual::new("tidak ada", "missing")
                },
                &Alarm::MirrorMissing.instructions(),
            ),
            space::storage_check(storage),
            check(
                "Penutup perangkat",
                "Enclosure lid",
                !self.state.lid_open,
                if self.state.lid_open {
                    Bilingual::new("terbuka", "open")
                } else {
                    Bilingual::new("terkunci", "closed")
                },
                &Alarm::Tamper.instructions(),
            ),
        ]
    }
}
