//! The pieces of a journal body up to each 0x00 delimiter, read one at a time: the one frame
//! reader under both the verifier's `read::read_prefix` and the recovery scan
//! (`scan::scan_stream`), apart from them so neither imports the other.

use std::io::{BufRead, Read};

use super::record::{MAGIC, MAX_FRAME};

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
