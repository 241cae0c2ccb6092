//! Reading a journal file: no larger than the most a day can hold (opened with
//! [`crate::identity::file::open_regular`]), and streamed frame by frame so that memory is
//! bounded by the largest frame, never by the file. `frames::Pieces` is the one frame reader:
//! the verifier's [`read_prefix`] and the kiosk's recovery scan ([`super::scan::scan_stream`])
//! both read through it.

use std::io::{BufRead, BufReader, Read};

use super::frames::{Piece, Pieces, read_magic};
use super::problem::VerifyError;
use super::record::{MAGIC, MAX_FRAME, SignedRecord, decode_frame};
use super::scan::{Damage, check_link};
use crate::record::FrameError;

/// The most records one journal holds: the kiosk's own bound, about 200 times a busy polling
/// day (a few hundred records). FORMAT.md, "Sizes".
pub const MAX_RECORDS: u64 = 65_536;

/// The largest journal file: the magic and [`MAX_RECORDS`] frames of the largest size, each with
/// its delimiter (512,491,528 bytes). A larger file is refused before it is read.
pub const MAX_JOURNAL_FILE: u64 = MAGIC.len() as u64 + MAX_RECORDS * (MAX_FRAME as u64 + 1);

fn at(seq: u64, damage: Damage) -> VerifyError {
    VerifyError {
        seq,
        problem: damage.into(),
    }
}

/// Streams frames in order up to the first damage: the records before it, and the damage (a
/// torn tail included) as the error at the record where it is. Memory beyond the records kept
/// is one frame.
pub fn read_prefix<R: Read>(
    reader: R,
) -> std::io::Result<(Vec<SignedRecord>, Option<VerifyError>)> {
    read_prefix_buffered(BufReader::new(reader))
}

/// [`read_prefix`] from a reader that buffers already (bytes in memory are read in place, not
/// copied through a second buffer).
pub fn read_prefix_buffered<R: BufRead>(
    mut r: R,
) -> std::io::Result<(Vec<SignedRecord>, Option<VerifyError>)> {
    if read_magic(&mut r)? != MAGIC {
        return Ok((Vec::new(), Some(at(0, Damage::NotAJournal))));
    }
    let mut records: Vec<SignedRecord> = Vec::new();
    let mut pieces = Pieces::new(r, MAGIC.len());
    loop {
        let seq = records.last().map_or(0, |r| r.record.seq + 1);
        let damage = match pieces.next_piece()?.1 {
            Piece::End => return Ok((records, None)),
            Piece::Torn(bytes) => Damage::TornTail { bytes },
            Piece::TooLarge(len) => Damage::Frame(FrameError::TooLarge {
                len,
                max: MAX_FRAME,
            }),
            Piece::Frame if pieces.frame().is_empty() => Damage::EmptyFrame,
            Piece::Frame => {
                let previous = records.last().map(|p| (p.record.seq, p.hash));
                match decode_frame(pieces.frame())
                    .map_err(Damage::Frame)
                    .and_then(|rec| check_link(&rec, previous).map(|()| rec))
                {
                    Ok(rec) => {
                        records.push(rec);
                        continue;
                    }
                    Err(d) => d,
                }
            }
        };
        return Ok((records, Some(at(seq, damage))));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::record::Record;
    use ed25519_dalek::SigningKey;
    use tps_base::time::{ClockStatus, Stamp};
    use tps_domain::event::RecordBody;

    fn frame() -> Vec<u8> {
        let key = SigningKey::from_bytes(&[9; 32]);
        let stamp = Stamp {
            wall_ms: 1_707_868_800_000,
            mono_ms: 42,
            clock: ClockStatus::Trusted,
        };
        let body = RecordBody::TamperChanged { open: true };
        let (seq, prev) = (3, [1; 32]);
        SignedRecord::sign(
            Record {
                seq,
                prev,
                stamp,
                body,
            },
            &key,
        )
        .frame()
    }

    /// Each piece with its offset; the unterminated last one is a torn tail.
    #[test]
    fn pieces_find_the_unterminated_tail() {
        let a = frame();
        let mut body = a.clone();
        body.extend_from_slice(&a[..5]);
        let mut pieces = Pieces::new(&body[..], 8);
        assert_eq!(pieces.next_piece().unwrap(), (8, Piece::Frame));
        assert_eq!(pieces.frame(), &a[..a.len() - 1]);
        assert_eq!(pieces.next_piece().unwrap(), (8 + a.len(), Piece::Torn(5)));
        assert_eq!(pieces.next_piece().unwrap(), (8 + a.len() + 5, Piece::End));
    }

    /// A piece one byte over the largest frame is counted, not kept, and the next is read.
    #[test]
    fn a_piece_over_the_ceiling_is_counted_not_kept() {
        let a = frame();
        let mut body = vec![1u8; MAX_FRAME + 1];
        body.push(0);
        body.extend_from_slice(&a);
        let mut pieces = Pieces::new(&body[..], 8);
        assert_eq!(
            pieces.next_piece().unwrap(),
            (8, Piece::TooLarge(MAX_FRAME + 1))
        );
        assert!(pieces.frame().is_empty());
        assert_eq!(
            pieces.next_piece().unwrap(),
            (8 + MAX_FRAME + 2, Piece::Frame)
        );
        assert_eq!(pieces.frame(), &a[..a.len() - 1]);
    }
}
