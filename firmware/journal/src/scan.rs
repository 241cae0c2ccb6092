//! Reading a journal file's structure: magic, frames, sequence and chain, and where a torn tail
//! begins. Signatures are checked by the verifier, not here.

use std::io::BufRead;

use super::frames::{Piece, Pieces, read_magic};
use super::record::{FrameError, MAGIC, MAX_FRAME, SignedRecord, decode_frame};
use tps_base::text::Lang;

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
    SequenceGap {
        /// The sequence number due there.
        expected: u64,
        /// The one the record holds.
        found: u64,
    },
    /// A record numbered before its place.
    SequenceRepeat {
        /// The sequence number due there.
        expected: u64,
        /// The one the record holds.
        found: u64,
    },
    /// The previous-record hash is not the record before's chain hash.
    BrokenChain {
        /// The record before's sequence number.
        previous: u64,
    },
    /// The last frame has no delimiter: a write cut off.
    TornTail {
        /// How many bytes the torn frame holds.
        bytes: usize,
    },
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
    /// The sequence number due there.
    pub seq: u64,
    /// The byte offset in the file.
    pub offset: usize,
    /// What is wrong there.
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
    /// The good records, in order.
    pub records: Vec<SignedRecord>,
    /// Bytes from the start of the file to the end of the last good record (0 when even the
    /// magic is incomplete).
    pub good_len: usize,
    /// Bytes after `good_len` that hold no valid record: the torn tail of a cut write.
    pub tail_len: usize,
}

/// Where a streamed journal file's good records end ([`scan_stream`]); an absent file is the
/// default, an empty one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Extent {
    /// How many good records the file holds.
    pub records: u64,
    /// Bytes from the start of the file to the end of the last good record (0 when even the
    /// magic is incomplete).
    pub good_len: usize,
    /// Bytes after `good_len` that hold no valid record: the torn tail of a cut write.
    pub tail_len: usize,
}

impl Extent {
    /// The file's length in bytes.
    pub fn len(&self) -> usize {
        self.good_len + self.tail_len
    }

    /// Whether the file is empty (or absent).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Checks one decoded record against the one before it, given as its sequence number and chain
/// hash.
pub fn check_link(record: &SignedRecord, previous: Option<(u64, [u8; 32])>) -> Result<(), Damage> {
    let expected = previous.map_or(0, |(seq, _)| seq + 1);
    let found = record.record.seq;
    if found != expected {
        return Err(if found < expected {
            Damage::SequenceRepeat { expected, found }
        } else {
            Damage::SequenceGap { expected, found }
        });
    }
    let prev_hash = previous.map_or([0u8; 32], |(_, hash)| hash);
    if record.record.prev != prev_hash {
        return Err(Damage::BrokenChain {
            previous: expected.saturating_sub(1),
        });
    }
    Ok(())
}

/// Reads a journal file in memory: [`scan_stream`], keeping every good record.
pub fn scan(bytes: &[u8]) -> Result<Scan, Located> {
    let mut records = Vec::new();
    // Reading from memory cannot fail.
    let extent = scan_stream(bytes, |r| records.push(r)).unwrap_or(Err(Located {
        seq: 0,
        offset: 0,
        damage: Damage::NotAJournal,
    }))?;
    Ok(Scan {
        records,
        good_len: extent.good_len,
        tail_len: extent.tail_len,
    })
}

/// Reads a journal file frame by frame, handing each good record to `each` in order and keeping
/// none: memory is one frame ([`super::read`]), never the file. A bad last frame with nothing
/// valid after it is a torn tail (reported in [`Extent::tail_len`]); any other damage is an
/// error naming the first bad record (the records before it were handed to `each` already).
/// The outer error is the reader's.
pub fn scan_stream<R: BufRead>(
    mut reader: R,
    mut each: impl FnMut(SignedRecord),
) -> std::io::Result<Result<Extent, Located>> {
    let magic = read_magic(&mut reader)?;
    if magic != MAGIC {
        // A file cut off inside its magic holds nothing yet: all of it is a torn tail.
        if magic.len() < MAGIC.len() && MAGIC.starts_with(&magic) {
            return Ok(Ok(Extent {
                records: 0,
                good_len: 0,
                tail_len: magic.len(),
            }));
        }
        return Ok(Err(Located {
            seq: 0,
            offset: 0,
            damage: Damage::NotAJournal,
        }));
    }
    let mut pieces = Pieces::new(reader, MAGIC.len());
    let mut previous: Option<(u64, [u8; 32])> = None;
    let mut good = Extent {
        records: 0,
        good_len: MAGIC.len(),
        tail_len: 0,
    };
    let (seq, offset, damage) = loop {
        let seq = previous.map_or(0, |(s, _)| s + 1);
        let (offset, piece) = pieces.next_piece()?;
        let damage = match piece {
            Piece::End => return Ok(Ok(good)),
            // A last piece without its delimiter, even one that decodes: the write stopped
            // short.
            Piece::Torn(_) => return Ok(Ok(torn(good, pieces.offset()))),
            Piece::TooLarge(len) => Damage::Frame(FrameError::TooLarge {
                len,
                max: MAX_FRAME,
            }),
            Piece::Frame if pieces.frame().is_empty() => Damage::EmptyFrame,
            Piece::Frame => match decode_frame(pieces.frame())
                .map_err(Damage::from)
                .and_then(|rec| check_link(&rec, previous).map(|()| rec))
            {
                Ok(rec) => {
                    previous = Some((rec.record.seq, rec.hash));
                    good.records += 1;
                    good.good_len = pieces.offset();
                    each(rec);
                    continue;
                }
                Err(damage) => damage,
            },
        };
        break (seq, offset, damage);
    };
    // Damage with a valid frame after it is not a cut write.
    loop {
        pieces.skip_empty()?;
        match pieces.next_piece()?.1 {
            Piece::End | Piece::Torn(_) => return Ok(Ok(torn(good, pieces.offset()))),
            Piece::Frame if decode_frame(pieces.frame()).is_ok() => {
                return Ok(Err(Located {
                    seq,
                    offset,
                    damage,
                }));
            }
            Piece::Frame | Piece::TooLarge(_) => {}
        }
    }
}

fn torn(good: Extent, total: usize) -> Extent {
    Extent {
        tail_len: total - good.good_len,
        ..good
    }
}
