//! Reading a journal file's structure: magic, frames, sequence and chain, and where a torn tail
//! begins. Signatures are checked by the verifier, not here.

use super::record::{FrameError, MAGIC, SignedRecord, decode_frame, split_frames};
use crate::text::Lang;

/// What is wrong at a place in a journal file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum Damage {
    /// The file does not start with the journal magic.
    NotAJournal,
    /// A frame that cannot be read.
    Frame(#[from] FrameError),
    /// Two delimiters with nothing between them.
    EmptyFrame,
    /// A record numbered past its place.
    SequenceGap { expected: u64, found: u64 },
    /// A record numbered before its place.
    SequenceRepeat { expected: u64, found: u64 },
    /// The previous-record hash is not the record before's chain hash.
    BrokenChain { previous: u64 },
    /// The last frame has no delimiter: a write cut off.
    TornTail { bytes: usize },
}

impl Damage {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Damage::NotAJournal, Lang::Id) => {
                "bukan berkas jurnal (kode awal berkas salah)".into()
            }
            (Damage::NotAJournal, Lang::En) => "not a journal file (bad magic)".into(),
            (Damage::Frame(e), Lang::Id) => format!("data catatan rusak: {}", e.message(lang)),
            (Damage::Frame(e), Lang::En) => format!("bad frame: {}", e.message(lang)),
            (Damage::EmptyFrame, Lang::Id) => "data catatan kosong".into(),
            (Damage::EmptyFrame, Lang::En) => "empty frame".into(),
            (Damage::SequenceGap { expected, found }, Lang::Id) => {
                format!("nomor urut melompat: seharusnya catatan {expected}, ternyata {found}")
            }
            (Damage::SequenceGap { expected, found }, Lang::En) => {
                format!("sequence gap: expected record {expected}, found {found}")
            }
            (Damage::SequenceRepeat { expected, found }, Lang::Id) => format!(
                "nomor urut berulang: catatan {found} muncul lagi di tempat catatan {expected}"
            ),
            (Damage::SequenceRepeat { expected, found }, Lang::En) => {
                format!("sequence repeat: record {found} again where {expected} was expected")
            }
            (Damage::BrokenChain { previous }, Lang::Id) => format!(
                "rantai hash terputus: hash catatan sebelumnya tidak cocok dengan catatan {previous}"
            ),
            (Damage::BrokenChain { previous }, Lang::En) => {
                format!("broken chain: the previous-record hash does not match record {previous}")
            }
            (Damage::TornTail { bytes }, Lang::Id) => {
                format!("data terakhir tidak lengkap ({bytes} byte): penulisan terputus")
            }
            (Damage::TornTail { bytes }, Lang::En) => {
                format!("incomplete last frame ({bytes} bytes): the write was cut off")
            }
        }
    }
}

/// Damage at the record that would have had sequence number `seq`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct Located {
    pub seq: u64,
    pub offset: usize,
    pub damage: Damage,
}

impl Located {
    /// Where and what, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (seq, offset, damage) = (self.seq, self.offset, self.damage.message(lang));
        match lang {
            Lang::Id => format!("catatan {seq} (byte {offset}): {damage}"),
            Lang::En => format!("record {seq} (byte {offset}): {damage}"),
        }
    }
}

/// A journal file read up to its last good record.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub records: Vec<SignedRecord>,
    /// Bytes from the start of the file to the end of the last good record (0 when even the
    /// magic is incomplete).
    pub good_len: usize,
    /// Bytes after `good_len` that hold no valid record: the torn tail of a cut write.
    pub tail_len: usize,
}

/// Checks one decoded record against the one before it.
pub fn check_link(record: &SignedRecord, previous: Option<&SignedRecord>) -> Result<(), Damage> {
    let expected = previous.map_or(0, |p| p.record.seq + 1);
    let found = record.record.seq;
    if found != expected {
        return Err(if found < expected {
            Damage::SequenceRepeat { expected, found }
        } else {
            Damage::SequenceGap { expected, found }
        });
    }
    let prev_hash = previous.map_or([0u8; 32], |p| p.hash);
    if record.record.prev != prev_hash {
        return Err(Damage::BrokenChain {
            previous: expected.saturating_sub(1),
        });
    }
    Ok(())
}

/// Reads a journal file. A bad last frame with nothing valid after it is a torn tail (reported in
/// `tail_len`); any other damage is an error naming the first bad record.
pub fn scan(bytes: &[u8]) -> Result<Scan, Located> {
    if bytes.len() < MAGIC.len() {
        if MAGIC.starts_with(bytes) {
            return Ok(Scan {
                records: Vec::new(),
                good_len: 0,
                tail_len: bytes.len(),
            });
        }
        return Err(Located {
            seq: 0,
            offset: 0,
            damage: Damage::NotAJournal,
        });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(Located {
            seq: 0,
            offset: 0,
            damage: Damage::NotAJournal,
        });
    }
    let mut records: Vec<SignedRecord> = Vec::new();
    let mut good_len = MAGIC.len();
    // Frames are split lazily: a file of a million empty frames costs no memory.
    let mut frames = split_frames(&bytes[MAGIC.len()..], MAGIC.len());
    while let Some(raw) = frames.next() {
        let seq = records.last().map_or(0, |r| r.record.seq + 1);
        let result = if raw.bytes.is_empty() {
            Err(Damage::EmptyFrame)
        } else {
            decode_frame(raw.bytes)
                .map_err(Damage::from)
                .and_then(|rec| check_link(&rec, records.last()).map(|()| rec))
        };
        match result {
            Ok(rec) if raw.terminated => {
                good_len = raw.offset + raw.bytes.len() + 1;
                records.push(rec);
            }
            // A complete-looking record without its delimiter: the write stopped one byte short.
            Ok(_) => return Ok(torn(records, good_len, bytes.len())),
            Err(damage) => {
                let later_valid = frames
                    .clone()
                    .any(|f| f.terminated && decode_frame(f.bytes).is_ok());
                if later_valid {
                    return Err(Located {
                        seq,
                        offset: raw.offset,
                        damage,
                    });
                }
                return Ok(torn(records, good_len, bytes.len()));
            }
        }
    }
    Ok(Scan {
        records,
        good_len,
        tail_len: 0,
    })
}

fn torn(records: Vec<SignedRecord>, good_len: usize, total: usize) -> Scan {
    Scan {
        records,
        good_len,
        tail_len: total - good_len,
    }
}
