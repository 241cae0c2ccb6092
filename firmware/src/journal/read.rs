//! Reading a journal file: no larger than the most a day can hold (opened with
//! [`crate::identity::file::open_regular`]), and streamed frame by frame so that memory is
//! bounded by the largest frame, never by the file. `Pieces` is the one frame reader: the
//! verifier's [`read_prefix`] and the kiosk's recovery scan ([`super::scan::scan_stream`]) both
//! read through it.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    End,
    /// A delimited piece of at most [`MAX_FRAME`] bytes, in [`Pieces::frame`].
    Frame,
    /// The stream ended without a delimiter after this many bytes.
    Torn(usize),
    /// A piece longer than [`MAX_FRAME`], of this length, delimiter found.
    TooLarge(usize),
}

/// The pieces of a journal body, read one at a time through a buffer of at most
/// [`MAX_FRAME`]` + 1` bytes, with the file offset of each.
pub(crate) struct Pieces<R> {
    reader: R,
    buf: Vec<u8>,
    offset: usize,
}

impl<R: BufRead> Pieces<R> {
    /// The pieces of `reader`, whose first byte is at `offset` in the file.
    pub(crate) fn new(reader: R, offset: usize) -> Self {
        Self {
            reader,
            buf: Vec::with_capacity(MAX_FRAME + 1),
            offset,
        }
    }

    /// The offset of the next piece: after [`Piece::End`] or [`Piece::Torn`], the file's length.
    pub(crate) fn offset(&self) -> usize {
        self.offset
    }

    /// The bytes of the last [`Piece::Frame`], without its delimiter.
    pub(crate) fn frame(&self) -> &[u8] {
        &self.buf
    }

    /// Skips empty pieces (a run of delimiters), which never hold a frame: a search for the next
    /// valid frame through a file of zeros costs no call per byte.
    pub(crate) fn skip_empty(&mut self) -> std::io::Result<()> {
        loop {
            let available = self.reader.fill_buf()?;
            let zeros = available
                .iter()
                .position(|&b| b != 0)
                .unwrap_or(available.len());
            if zeros == 0 {
                return Ok(());
            }
            self.reader.consume(zeros);
            self.offset += zeros;
        }
    }

    /// The next piece and the offset of its first byte.
    pub(crate) fn next_piece(&mut self) -> std::io::Result<(usize, Piece)> {
        let start = self.offset;
        let piece = next_piece(&mut self.reader, &mut self.buf)?;
        self.offset += match piece {
            Piece::End => 0,
            Piece::Frame => self.buf.len() + 1,
            Piece::Torn(n) => n,
            Piece::TooLarge(n) => n + 1,
        };
        Ok((start, piece))
    }
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
        return Ok(Piece::Frame);
    }
    if (n as u64) < limit {
        return Ok(Piece::Torn(n));
    }
    // Too long to be a frame: count the rest up to the delimiter, keeping nothing.
    buf.clear();
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

/// The file's first bytes, up to the magic's length (fewer when the file is shorter).
pub(crate) fn read_magic<R: Read>(r: &mut R) -> std::io::Result<Vec<u8>> {
    let mut magic = Vec::with_capacity(MAGIC.len());
    r.take(MAGIC.len() as u64).read_to_end(&mut magic)?;
    Ok(magic)
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
    use crate::event::RecordBody;
    use crate::journal::record::Record;
    use crate::time::{ClockStatus, Stamp};
    use ed25519_dalek::SigningKey;

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
