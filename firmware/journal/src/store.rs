//! The journal on disk: durable appends to a primary file and a mirror (the USB stick), and
//! recovery when the kiosk starts.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};

use super::error::MirrorProblem;
pub use super::error::{JournalError, JournalPaths, Medium, Untrusted};
use super::mirror;
use super::read::{MAX_JOURNAL_FILE, MAX_RECORDS};
use super::record::{MAGIC, Record, SignedRecord, goes_back_from, trusted_time_after};
use super::scan::{Extent, scan_stream};
use super::verify::verify_records;
use tps_base::time::Stamp;
use tps_domain::event::{MirrorRepair, RecordBody, Recovery};

/// What a copy's records must verify against before any of them is copied onto the other medium:
/// the authority's key, this device's certificate file and the election package.
#[derive(Debug, Clone, Copy)]
pub struct Trust<'a> {
    /// The authority's public key, which certifies the device.
    pub authority: &'a VerifyingKey,
    /// This device's certificate file, as the genesis record must hold it.
    pub certificate: &'a [u8],
    /// The signed election package file.
    pub package: &'a [u8],
}

impl Trust<'_> {
    /// Whether every record is this device's: it verifies against the authority and package,
    /// and its genesis holds this device's certificate.
    fn check(&self, records: &[SignedRecord]) -> Result<(), Untrusted> {
        verify_records(records, self.authority, Some(self.package)).map_err(Untrusted::Verify)?;
        match records.first().map(|r| &r.record.body) {
            Some(RecordBody::Genesis(g)) if g.certificate.as_slice() == self.certificate => Ok(()),
            _ => Err(Untrusted::OtherDevice),
        }
    }
}

/// A seam for the simulator: power cuts and full media. The real device never cuts its own power
/// and finds out a medium is full from the write itself.
pub trait WriteGate: Send {
    /// How many of the next `wanted` bytes reach the disk before power is cut.
    fn allow(&mut self, wanted: usize) -> usize;
    /// Whether `medium` has no room for the next write (a full SD card or USB stick).
    fn full(&mut self, _medium: Medium) -> bool {
        false
    }
}

/// The newest record, as the next append needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Head {
    /// The next record's sequence number.
    pub next_seq: u64,
    /// The newest record's chain hash (zeros before any).
    pub prev: [u8; 32],
    /// The newest record's monotonic time.
    pub last_mono: Option<u64>,
    /// The newest trusted wall time among the records (unix ms).
    pub last_trusted_wall: Option<i64>,
}

impl Head {
    fn after(records: &[SignedRecord]) -> Self {
        let mut head = Head::default();
        for r in records {
            head.advance(r);
        }
        head
    }

    fn advance(&mut self, r: &SignedRecord) {
        self.next_seq = r.record.seq + 1;
        self.prev = r.hash;
        self.last_mono = Some(r.record.stamp.mono_ms);
        self.last_trusted_wall =
            trusted_time_after(self.last_trusted_wall, &r.record.stamp, &r.record.body);
    }
}

struct OpenFile {
    file: File,
    len: u64,
}

/// An open journal: both files level, ready to append.
pub struct Journal {
    paths: JournalPaths,
    key: SigningKey,
    primary: OpenFile,
    mirror: Option<OpenFile>,
    head: Head,
    gate: Option<Box<dyn WriteGate>>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("paths", &self.paths)
            .field("head", &self.head)
            .field("mirror_present", &self.mirror.is_some())
            .finish()
    }
}

/// The result of opening: the journal, its records, and what recovery did.
#[derive(Debug)]
pub struct Opened {
    /// The journal, ready to append.
    pub journal: Journal,
    /// Every record of the longer copy, in order, for the replay.
    pub records: Vec<SignedRecord>,
    /// What start-up found and repaired.
    pub recovery: Recovery,
    /// Quarantine files written, if any.
    pub quarantined: Vec<PathBuf>,
    /// The file on the USB stick was refused as the mirror: the journal opened without it.
    pub mirror_refused: Option<MirrorProblem>,
}

fn io(medium: Medium, path: &Path) -> impl FnOnce(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        medium,
        path: path.to_path_buf(),
        source,
    }
}

/// fsync of the directory holding `path`, so a newly created or renamed file's name is durable
/// too (a bare file name's directory is the current one).
pub fn sync_dir(path: &Path) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

/// The primary journal file opened for reading; `None` when it does not exist yet. A file larger
/// than any journal can be is refused before a byte of it is read. Any other failure to open is
/// an error: an unreadable file must not pass for an empty one.
fn open_primary(path: &Path) -> Result<Option<File>, JournalError> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_JOURNAL_FILE => {
            return Err(JournalError::TooLarge {
                path: path.to_path_buf(),
                size: m.len(),
            });
        }
        _ => {}
    }
    match File::open(path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(JournalError::Io {
            medium: Medium::Primary,
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Streams one journal file (`None`: not there yet, an empty one) frame by frame, handing each
/// good record to `each`: memory is one frame, never the file, and at most
/// [`MAX_JOURNAL_FILE`] bytes are read whatever the file does meanwhile.
fn scan_file(
    medium: Medium,
    path: &Path,
    file: Option<&File>,
    each: impl FnMut(SignedRecord),
) -> Result<Extent, JournalError> {
    let Some(file) = file else {
        return Ok(Extent::default());
    };
    scan_stream(BufReader::new(Read::take(file, MAX_JOURNAL_FILE)), each)
        .map_err(io(medium, path))?
        .map_err(|at| JournalError::Damaged { medium, at })
}

/// One copy read beside another whose records' chain hashes are `known`.
struct Beside {
    extent: Extent,
    /// The first record at which the two copies differ.
    diverged: Option<u64>,
    /// The records this copy holds beyond `known` (none once the copies differ): the only
    /// records of it kept.
    extra: Vec<SignedRecord>,
}

fn scan_beside(
    medium: Medium,
    path: &Path,
    file: Option<&File>,
    known: &[[u8; 32]],
) -> Result<Beside, JournalError> {
    let (mut at, mut diverged, mut extra) = (0usize, None, Vec::new());
    let extent = scan_file(medium, path, file, |r| {
        match known.get(at) {
            Some(hash) if diverged.is_none() && *hash != r.hash => diverged = Some(r.record.seq),
            None if diverged.is_none() => extra.push(r),
            _ => {}
        }
        at += 1;
    })?;
    Ok(Beside {
        extent,
        diverged,
        extra,
    })
}

/// The mirror file, checked again and created if need be, for [`open_medium`].
fn mirror_file(paths: &JournalPaths) -> Result<File, JournalError> {
    match mirror::open(paths, true)? {
        mirror::Found::Stick(Some(file)) => Ok(file),
        _ => Err(JournalError::MirrorMissing),
    }
}

/// Opens (creating if needed) one journal file already scanned to `extent`, quarantines its torn
/// tail (copied from the file, not from memory), and returns it ready to append, with the
/// quarantine file if one was written.
fn open_medium(
    medium: Medium,
    path: &Path,
    extent: &Extent,
    opened: Option<File>,
) -> Result<(OpenFile, Option<PathBuf>), JournalError> {
    let mut file = match opened {
        Some(file) => file,
        None => OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io(medium, path))?,
    };
    // A new (or empty) file: its name must be durable too.
    if extent.is_empty() {
        file.sync_all()
            .and_then(|()| sync_dir(path))
            .map_err(io(medium, path))?;
    }
    let good_len = extent.good_len;
    let mut quarantine = None;
    if extent.tail_len > 0 {
        let q = quarantine_path(path);
        write_tail(&file, good_len as u64, extent.tail_len as u64, &q).map_err(io(medium, &q))?;
        file.set_len(good_len as u64)
            .and_then(|()| file.sync_all())
            .map_err(io(medium, path))?;
        quarantine = Some(q);
    }
    let mut len = good_len as u64;
    if len == 0 {
        file.write_all(MAGIC)
            .and_then(|()| file.sync_data())
            .map_err(io(medium, path))?;
        len = MAGIC.len() as u64;
    }
    file.seek(SeekFrom::End(0)).map_err(io(medium, path))?;
    Ok((OpenFile { file, len }, quarantine))
}

fn quarantine_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut n = 1;
    loop {
        let candidate = path.with_file_name(format!("{name}.quarantine-{n}"));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Copies the `len` bytes of `from` at `start` into the new file `to`, through a fixed buffer.
fn write_tail(from: &File, start: u64, len: u64, to: &Path) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(to)?;
    let mut source = from;
    source.seek(SeekFrom::Start(start))?;
    let copied = std::io::copy(&mut Read::take(source, len), &mut f)?;
    if copied != len {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    f.sync_all()?;
    sync_dir(to)
}

/// Appends the records `from` has beyond `to`'s, frame by frame.
fn level(
    to: &mut OpenFile,
    extra: &[SignedRecord],
    gate: &mut Option<Box<dyn WriteGate>>,
    medium: Medium,
    path: &Path,
) -> Result<(), JournalError> {
    if !extra.is_empty() {
        refuse_if_full(gate, medium, path)?;
    }
    // Frame by frame through a fixed buffer, made durable once at the end.
    let write = || -> std::io::Result<u64> {
        let mut out = BufWriter::with_capacity(1 << 16, &to.file);
        let mut written = 0;
        for r in extra {
            let frame = r.frame();
            out.write_all(&frame)?;
            written += frame.len() as u64;
        }
        out.flush()?;
        drop(out);
        to.file.sync_data()?;
        Ok(written)
    };
    to.len += write().map_err(io(medium, path))?;
    Ok(())
}

impl Journal {
    /// Opens the journal: quarantines torn tails, refuses damage, brings primary and mirror level.
    /// Before either copy is brought level with the other, every record of the longer one must
    /// be this device's ([`Trust`]); otherwise nothing on either medium is changed.
    /// When the mirror's directory is absent the journal opens without it; appends then fail
    /// with [`JournalError::MirrorMissing`] until [`Journal::restore_mirror`] succeeds.
    ///
    /// Memory: each medium is read once, frame by frame ([`scan_stream`]): one frame
    /// ([`super::MAX_FRAME`]` + 1` bytes) and an 8 KiB read buffer, never the file, and a torn
    /// tail is copied to its quarantine file through a fixed buffer. What is kept is one
    /// [`SignedRecord`] per record of the longer copy (the mirror's only where it goes beyond the
    /// primary), which [`Opened::records`] hands to the replay, and a 32-byte chain hash per
    /// primary record to compare the mirror with: about 600 bytes plus the record's postcard
    /// bytes (at most [`super::MAX_RECORD`]) each, so at most about 126 MiB at
    /// [`MAX_RECORDS`] records of the largest size, 0.6 to 2 KiB a record in practice (a day's
    /// few hundred records: well under 1 MiB). Padding, garbage or a repeated record on a stick
    /// costs nothing: only good records are kept.
    pub fn open(
        paths: JournalPaths,
        key: SigningKey,
        trust: Trust<'_>,
    ) -> Result<Opened, JournalError> {
        // Read both before changing either, so damage in one leaves both untouched.
        let primary_file = open_primary(&paths.primary)?;
        let mut records = Vec::new();
        let p_extent = scan_file(
            Medium::Primary,
            &paths.primary,
            primary_file.as_ref(),
            |r| records.push(r),
        )?;
        drop(primary_file);
        let p_n = records.len();
        let (mut mirror_found, mirror_refused) = match mirror::open(&paths, false) {
            Ok(mirror::Found::NoStick) => (None, None),
            Ok(mirror::Found::Stick(file)) => {
                let known: Vec<[u8; 32]> = records.iter().map(|r| r.hash).collect();
                let m = scan_beside(Medium::Mirror, &paths.mirror, file.as_ref(), &known)?;
                (Some(m), None)
            }
            // A refused stick is left alone: the journal opens without it, as without a stick.
            Err(JournalError::MirrorRefused { problem, .. }) => (None, Some(problem)),
            Err(e) => return Err(e),
        };
        let mut m_n = 0;
        if let Some(m) = mirror_found.as_mut() {
            if let Some(seq) = m.diverged {
                return Err(JournalError::Diverged { seq });
            }
            // The records both copies hold are the same (hash for hash): the longer copy is the
            // primary's records followed by the mirror's extra ones.
            m_n = usize::try_from(m.extent.records).unwrap_or(usize::MAX);
            records.append(&mut m.extra);
            let longer = match p_n.cmp(&m_n) {
                std::cmp::Ordering::Less => Some(Medium::Mirror),
                std::cmp::Ordering::Greater => Some(Medium::Primary),
                std::cmp::Ordering::Equal => None,
            };
            if let Some(medium) = longer {
                trust
                    .check(&records)
                    .map_err(|reason| JournalError::NotThisDevice { medium, reason })?;
            }
        }

        let (mut primary, p_quarantine) =
            open_medium(Medium::Primary, &paths.primary, &p_extent, None)?;
        let mut quarantined: Vec<PathBuf> = p_quarantine.into_iter().collect();
        let mut recovery = Recovery {
            primary_quarantined: p_extent.tail_len as u64,
            mirror_quarantined: 0,
            mirror_repair: MirrorRepair::None,
        };
        let mut mirror = None;
        if let Some(m_found) = mirror_found {
            let file = mirror_file(&paths)?;
            let (mut m, m_quarantine) =
                open_medium(Medium::Mirror, &paths.mirror, &m_found.extent, Some(file))?;
            quarantined.extend(m_quarantine);
            recovery.mirror_quarantined = m_found.extent.tail_len as u64;
            if m_n < p_n {
                level(
                    &mut m,
                    &records[m_n..],
                    &mut None,
                    Medium::Mirror,
                    &paths.mirror,
                )?;
                let copied = (p_n - m_n) as u64;
                // A mirror without even a whole magic is new (absent, or cut off before its magic
                // was written).
                recovery.mirror_repair = if m_found.extent.good_len > 0 {
                    MirrorRepair::CopiedToMirror { records: copied }
                } else {
                    MirrorRepair::MirrorCreated { records: copied }
                };
            } else if p_n < m_n {
                level(
                    &mut primary,
                    &records[p_n..],
                    &mut None,
                    Medium::Primary,
                    &paths.primary,
                )?;
                recovery.mirror_repair = MirrorRepair::CopiedToPrimary {
                    records: (m_n - p_n) as u64,
                };
            }
            mirror = Some(m);
        }
        let head = Head::after(&records);
        Ok(Opened {
            journal: Journal {
                paths,
                key,
                primary,
                mirror,
                head,
                gate: None,
            },
            records,
            recovery,
            quarantined,
            mirror_refused,
        })
    }

    /// The newest record, as the next append needs it.
    pub fn head(&self) -> Head {
        self.head
    }

    /// Whether the mirror is open and its USB stick is in.
    pub fn mirror_present(&self) -> bool {
        self.mirror.is_some() && self.paths.mirror.parent().is_some_and(Path::is_dir)
    }

    /// Installs the simulator's write gate.
    pub fn set_write_gate(&mut self, gate: Box<dyn WriteGate>) {
        self.gate = Some(gate);
    }

    /// Signs `body` as the next record and makes it durable on both media before returning.
    /// Without the mirror nothing is written ([`JournalError::MirrorMissing`]).
    pub fn append(&mut self, stamp: Stamp, body: RecordBody) -> Result<SignedRecord, JournalError> {
        self.append_to(stamp, body, true).map(|(record, _)| record)
    }

    /// Signs `body` as the next record and makes it durable on the primary, and on the mirror
    /// too when it is present: for what must never wait for the stick (the lid, the power, the
    /// stick itself, start-up). Returns the record and whether the mirror has it; a mirror
    /// missing now gets it from [`Journal::restore_mirror`].
    pub fn append_even_without_mirror(
        &mut self,
        stamp: Stamp,
        body: RecordBody,
    ) -> Result<(SignedRecord, bool), JournalError> {
        self.append_to(stamp, body, false)
    }

    fn append_to(
        &mut self,
        stamp: Stamp,
        body: RecordBody,
        need_mirror: bool,
    ) -> Result<(SignedRecord, bool), JournalError> {
        // What a verifier reads is bounded by MAX_RECORDS (FORMAT.md); the kiosk never writes
        // a journal it would refuse to read back.
        if self.head.next_seq >= MAX_RECORDS {
            return Err(JournalError::Full);
        }
        if let Some(last) = self.head.last_mono
            && stamp.mono_ms <= last
        {
            return Err(JournalError::NotMonotonic {
                last,
                got: stamp.mono_ms,
            });
        }
        if let Some(last) = goes_back_from(self.head.last_trusted_wall, &stamp, &body) {
            return Err(JournalError::TimeBackwards {
                last,
                got: stamp.wall_ms,
            });
        }
        if !self.mirror_present() {
            self.mirror = None;
            if need_mirror {
                return Err(JournalError::MirrorMissing);
            }
        }
        let record = SignedRecord::sign(
            Record {
                seq: self.head.next_seq,
                prev: self.head.prev,
                stamp,
                body,
            },
            &self.key,
        );
        let frame = record.frame();
        write_durably(
            &mut self.primary,
            &frame,
            &mut self.gate,
            Medium::Primary,
            &self.paths.primary,
        )?;
        self.head.advance(&record);
        let Some(mirror) = self.mirror.as_mut() else {
            return Ok((record, false));
        };
        if let Err(e) = write_durably(
            mirror,
            &frame,
            &mut self.gate,
            Medium::Mirror,
            &self.paths.mirror,
        ) {
            self.mirror = None;
            return Err(match e {
                JournalError::Io { source, .. } => JournalError::MirrorWrite {
                    record: Box::new(record),
                    source,
                },
                other => other,
            });
        }
        Ok((record, true))
    }

    /// Brings a re-inserted mirror level with the primary. Returns how many records were copied.
    /// A stick whose file cannot be the mirror is refused ([`JournalError::MirrorRefused`]) and
    /// left as it is.
    pub fn restore_mirror(&mut self) -> Result<u64, JournalError> {
        let file = match mirror::open(&self.paths, false)? {
            mirror::Found::NoStick => return Err(JournalError::MirrorMissing),
            mirror::Found::Stick(file) => file,
        };
        // The mirror's chain hashes only; of the primary, only the records the mirror lacks.
        let mut known = Vec::new();
        let m = scan_file(Medium::Mirror, &self.paths.mirror, file.as_ref(), |r| {
            known.push(r.hash);
        })?;
        drop(file);
        let primary =
            File::open(&self.paths.primary).map_err(io(Medium::Primary, &self.paths.primary))?;
        let p = scan_beside(Medium::Primary, &self.paths.primary, Some(&primary), &known)?;
        drop(primary);
        if let Some(seq) = p.diverged {
            return Err(JournalError::Diverged { seq });
        }
        if m.records > p.extent.records {
            return Err(JournalError::Diverged {
                seq: p.extent.records,
            });
        }
        let opened = mirror_file(&self.paths)?;
        let (mut file, _) = open_medium(Medium::Mirror, &self.paths.mirror, &m, Some(opened))?;
        let copied = p.extra.len();
        level(
            &mut file,
            &p.extra,
            &mut self.gate,
            Medium::Mirror,
            &self.paths.mirror,
        )?;
        self.mirror = Some(file);
        Ok(copied as u64)
    }
}

/// A medium the simulator made full answers as a real full one would, before anything is
/// written.
fn refuse_if_full(
    gate: &mut Option<Box<dyn WriteGate>>,
    medium: Medium,
    path: &Path,
) -> Result<(), JournalError> {
    if gate.as_mut().is_some_and(|g| g.full(medium)) {
        return Err(JournalError::Io {
            medium,
            path: path.to_path_buf(),
            source: std::io::ErrorKind::StorageFull.into(),
        });
    }
    Ok(())
}

fn write_durably(
    target: &mut OpenFile,
    frame: &[u8],
    gate: &mut Option<Box<dyn WriteGate>>,
    medium: Medium,
    path: &Path,
) -> Result<(), JournalError> {
    refuse_if_full(gate, medium, path)?;
    let allowed = gate.as_mut().map_or(frame.len(), |g| g.allow(frame.len()));
    if allowed < frame.len() {
        // The simulated cut: what reached the disk stays there, as after a real one.
        let _ = target.file.write_all(&frame[..allowed]);
        let _ = target.file.sync_data();
        return Err(JournalError::PowerCut);
    }
    let result = target
        .file
        .write_all(frame)
        .and_then(|()| target.file.sync_data());
    if let Err(source) = result {
        // Undo a partial write so the file still ends at a record boundary.
        let _ = target.file.set_len(target.len);
        let _ = target.file.sync_data();
        return Err(JournalError::Io {
            medium,
            path: path.to_path_buf(),
            source,
        });
    }
    target.len += frame.len() as u64;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use tps_base::time::ClockStatus;

    /// The most records a journal can hold is the most it accepts: the next is refused and
    /// nothing is written to either medium.
    #[test]
    fn a_journal_at_its_record_limit_takes_no_more() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("usb")).unwrap();
        let paths = JournalPaths {
            primary: dir.path().join("journal.tpsj"),
            mirror: dir.path().join("usb/journal.tpsj"),
            mirror_on_own_device: false,
        };
        let key = SigningKey::from_bytes(&[1; 32]);
        let authority = key.verifying_key();
        let trust = Trust {
            authority: &authority,
            certificate: &[],
            package: &[],
        };
        let mut journal = Journal::open(paths.clone(), key, trust).unwrap().journal;
        let stamp = |mono_ms| Stamp {
            wall_ms: 1_707_865_200_000,
            mono_ms,
            clock: ClockStatus::Trusted,
        };
        let lid = |open| RecordBody::TamperChanged { open };
        journal.append(stamp(1), lid(true)).unwrap();
        journal.head.next_seq = MAX_RECORDS;
        let before = (
            std::fs::read(&paths.primary).unwrap(),
            std::fs::read(&paths.mirror).unwrap(),
        );
        assert!(matches!(
            journal.append(stamp(2), lid(false)),
            Err(JournalError::Full)
        ));
        assert!(matches!(
            journal.append_even_without_mirror(stamp(3), lid(false)),
            Err(JournalError::Full)
        ));
        let after = (
            std::fs::read(&paths.primary).unwrap(),
            std::fs::read(&paths.mirror).unwrap(),
        );
        assert_eq!(before, after);
    }
}
