//! Reading a journal file: no larger than the most a day can hold (opened with
//! [`crate::identity::file::open_regular`]), and streamed frame by frame so that memory is
//! bounded by the largest frame, never by the file.

use std::io::{BufRead, BufReader, Read};

use super::record::{MAGIC, MAX_FRAME, SignedRecord, decode_frame};
use super::scan::{Damage, check_link};
use super::verify::VerifyError;
use crate::journal::record::FrameError;

/// The most records one journal holds: the kiosk's own bound, about 200 times a busy polling
/// day (a few hundred records). FORMAT.md, "Sizes".
pub const MAX_RECORDS: u64 = 65_536;

/// The largest journal file: the magic and [`MAX_RECORDS`] frames of the largest size, each with
/// its delimiter (92,798,984 bytes). A larger file is refused before it is read.
pub const MAX_JOURNAL_FILE: u64 = MAGIC.len() as u64 + MAX_RECORDS * (MAX_FRAME as u64 + 1);

/// The next piece of the stream up to a 0x00 delimiter, holding at most [`MAX_FRAME`] bytes of
/// it: a longer piece is counted, not kept.
enum Piece {
    End,
    Frame(Vec<u8>),
    /// The stream ended without a delimiter after this many bytes.
    Torn(usize),
    /// A piece longer than [`MAX_FRAME`], of this length, delimiter found.
    TooLarge(usize),
}

fn next_piece<R: BufRead>(r: &mut R, buf: &mut Vec<u8>) -> std::io::Result<Piece> {
    buf.clear();
    let limit = MAX_FRAME as u64 + 1;
    let n = r.by_ref().take(limit).read_until(0, buf)?;
    if n == 0 {
        return Ok(Piece::End);
    }
    if buf.last() == Some(&0) {
        buf.pop();
        return Ok(Piece::Frame(std::mem::take(buf)));
    }
    if (n as u64) < limit {
        return Ok(Piece::Torn(n));
    }
    // Too long to be a frame: count the rest up to the delimiter, keeping nothing.
    let mut len = n;
    loop {
        let available = r.fill_buf()?;
        if available.is_empty() {
            return Ok(Piece::Torn(len));
        }
        match available.iter().position(|&b| b == 0) {
            Some(i) => {
                len += i;
                r.consume(i + 1);
                return Ok(Piece::TooLarge(len));
            }
            None => {
                let all = available.len();
                len += all;
                r.consume(all);
            }
        }
    }
}

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
    let mut magic = Vec::with_capacity(MAGIC.len());
    r.by_ref()
        .take(MAGIC.len() as u64)
        .read_to_end(&mut magic)?;
    if magic != MAGIC {
        return Ok((Vec::new(), Some(at(0, Damage::NotAJournal))));
    }
    let mut records: Vec<SignedRecord> = Vec::new();
    let mut buf = Vec::new();
    loop {
        let seq = records.last().map_or(0, |r| r.record.seq + 1);
        let damage = match next_piece(&mut r, &mut buf)? {
            Piece::End => return Ok((records, None)),
            Piece::Torn(bytes) => Damage::TornTail { bytes },
            Piece::TooLarge(len) => Damage::Frame(FrameError::TooLarge {
                len,
                max: MAX_FRAME,
            }),
            Piece::Frame(frame) if frame.is_empty() => Damage::EmptyFrame,
            Piece::Frame(frame) => {
                match decode_frame(&frame)
                    .map_err(Damage::Frame)
                    .and_then(|rec| check_link(&rec, records.last()).map(|()| rec))
                {
                    Ok(rec) => {
                        records.push(rec);
                        buf = frame;
                        continue;
                    }
                    Err(d) => d,
                }
            }
        };
        return Ok((records, Some(at(seq, damage))));
    }
}
