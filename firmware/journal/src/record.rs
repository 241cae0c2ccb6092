//! Records and their frames: the byte format of FORMAT.md.

use ed25519_dalek::SigningKey;
use postcard::experimental::max_size::MaxSize;
use sha2::{Digest, Sha256};

use crate::identity::signed::{self, SignedKind};
use tps_base::text::Lang;
pub use tps_domain::record::{Record, goes_back_from, trusted_time_after};

/// The first bytes of every journal file.
pub const MAGIC: &[u8; 8] = b"TPSJRNL1";

/// The largest record, in postcard bytes.
pub const MAX_RECORD: usize = Record::POSTCARD_MAX_SIZE;
/// The largest frame payload: record, signature, CRC.
pub const MAX_PAYLOAD: usize = MAX_RECORD + 64 + 4;
/// The largest frame on disk, without its delimiter.
pub const MAX_FRAME: usize = cobs::max_encoding_length(MAX_PAYLOAD);

/// Slice-by-16 tables: the CRC runs over every byte a verification reads, and the 16 KiB of
/// tables make it several times faster than the one-table default.
const CRC: crc::Crc<u32, crc::Table<16>> =
    crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_32_ISO_HDLC);

/// A record with its exact bytes, signature and chain hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRecord {
    /// The record.
    pub record: Record,
    /// The postcard bytes the signature covers (after the context prefix).
    pub bytes: Vec<u8>,
    /// The device's ed25519 signature over the context and `bytes`.
    pub signature: [u8; 64],
    /// SHA-256 of `bytes || signature`: the next record's `prev`.
    pub hash: [u8; 32],
}

/// SHA-256 of `bytes || signature`: a record's chain hash.
pub fn chain_hash(bytes: &[u8], signature: &[u8; 64]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(bytes);
    h.update(signature);
    h.finalize().into()
}

impl SignedRecord {
    /// Encodes and signs `record`.
    pub fn sign(record: Record, key: &SigningKey) -> Self {
        // Encoding plain data into a Vec cannot fail.
        let bytes = postcard::to_stdvec(&record).unwrap_or_default();
        let signature = signed::sign(SignedKind::JournalRecord, key, &bytes);
        let hash = chain_hash(&bytes, &signature);
        Self {
            record,
            bytes,
            signature,
            hash,
        }
    }

    /// The frame as written to disk, delimiter included.
    pub fn frame(&self) -> Vec<u8> {
        let mut payload = Vec::with_capacity(self.bytes.len() + 68);
        payload.extend_from_slice(&self.bytes);
        payload.extend_from_slice(&self.signature);
        let crc = CRC.checksum(&payload);
        payload.extend_from_slice(&crc.to_le_bytes());
        let mut frame = cobs::encode_vec(&payload);
        frame.push(0);
        frame
    }
}

/// Why a frame cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum FrameError {
    /// Longer than `MAX_FRAME`: refused before decoding.
    TooLarge {
        /// The frame's length.
        len: usize,
        /// `MAX_FRAME`.
        max: usize,
    },
    /// Not valid COBS.
    BadEncoding,
    /// Shorter than the smallest payload: one byte of record, signature and CRC.
    TooShort,
    /// The CRC-32 does not match the bytes: damaged on the medium.
    BadCrc,
    /// The decoder's words (technical English), or what follows the record.
    Malformed(String),
}

impl FrameError {
    /// What is wrong with the frame, in `lang`. The decoder's detail of a record that does not
    /// decode is technical English, so only the English says it.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FrameError::TooLarge { len, max }, Lang::Id) => {
                format!("{len} byte, melebihi ukuran catatan terbesar ({max} byte)")
            }
            (FrameError::TooLarge { len, max }, Lang::En) => {
                format!("frame of {len} bytes is larger than the largest record ({max} bytes)")
            }
            (FrameError::BadEncoding, Lang::Id) => "pengodean COBS-nya tidak sah".into(),
            (FrameError::BadEncoding, Lang::En) => "frame is not valid COBS".into(),
            (FrameError::TooShort, Lang::Id) => "terlalu pendek untuk berisi satu catatan".into(),
            (FrameError::TooShort, Lang::En) => "frame is too short to hold a record".into(),
            (FrameError::BadCrc, Lang::Id) => {
                "kode pemeriksa (CRC) tidak cocok, isinya berubah".into()
            }
            (FrameError::BadCrc, Lang::En) => "CRC mismatch".into(),
            (FrameError::Malformed(_), Lang::Id) => "isinya tidak dapat dibaca".into(),
            (FrameError::Malformed(detail), Lang::En) => {
                format!("record does not decode: {detail}")
            }
        }
    }
}

/// Decodes one frame (without its delimiter). Refuses oversized frames before allocating.
pub fn decode_frame(frame: &[u8]) -> Result<SignedRecord, FrameError> {
    if frame.len() > MAX_FRAME {
        return Err(FrameError::TooLarge {
            len: frame.len(),
            max: MAX_FRAME,
        });
    }
    let mut decoded = [0u8; MAX_FRAME];
    let payload = unstuff(frame, &mut decoded).ok_or(FrameError::BadEncoding)?;
    if payload.len() < 68 + 1 {
        return Err(FrameError::TooShort);
    }
    let (content, crc) = payload.split_at(payload.len() - 4);
    let mut crc_bytes = [0u8; 4];
    crc_bytes.copy_from_slice(crc);
    if CRC.checksum(content) != u32::from_le_bytes(crc_bytes) {
        return Err(FrameError::BadCrc);
    }
    let (bytes, sig) = content.split_at(content.len() - 64);
    let mut signature = [0u8; 64];
    signature.copy_from_slice(sig);
    let (record, rest) = postcard::take_from_bytes::<Record>(bytes)
        .map_err(|e| FrameError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(FrameError::Malformed(format!(
            "{} bytes after the record",
            rest.len()
        )));
    }
    Ok(SignedRecord {
        record,
        bytes: bytes.to_vec(),
        // `content` is `bytes || signature` already: one pass, no copy into the hasher's buffer.
        hash: Sha256::digest(content).into(),
        signature,
    })
}

/// COBS-decodes `frame` (at most [`MAX_FRAME`] bytes) into `out`: the payload, or `None` when it
/// is not valid COBS. Runs between zeros are copied whole rather than byte by byte; a frame
/// holding a zero (never one split at the delimiters) is left to the `cobs` crate, whose answer
/// this gives in every other case too.
fn unstuff<'a>(frame: &[u8], out: &'a mut [u8; MAX_FRAME]) -> Option<&'a [u8]> {
    if frame.is_empty() || frame.contains(&0) {
        let report = cobs::decode(frame, out).ok()?;
        return out.get(..report.frame_size());
    }
    let (mut read, mut written) = (0, 0);
    while let Some(&code) = frame.get(read) {
        let run = frame.get(read + 1..read + usize::from(code))?;
        out.get_mut(written..written + run.len())?
            .copy_from_slice(run);
        read += usize::from(code);
        written += run.len();
        if code != 0xFF && read < frame.len() {
            *out.get_mut(written)? = 0;
            written += 1;
        }
    }
    out.get(..written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tps_base::time::{ClockStatus, Stamp};
    use tps_domain::event::RecordBody;

    fn sample() -> SignedRecord {
        let key = SigningKey::from_bytes(&[9; 32]);
        SignedRecord::sign(
            Record {
                seq: 3,
                prev: [1; 32],
                stamp: Stamp {
                    wall_ms: 1_707_868_800_000,
                    mono_ms: 42,
                    clock: ClockStatus::Trusted,
                },
                body: RecordBody::TamperChanged { open: true },
            },
            &key,
        )
    }

    #[test]
    fn a_frame_round_trips_and_has_one_delimiter() {
        let rec = sample();
        let frame = rec.frame();
        assert_eq!(frame.iter().filter(|&&b| b == 0).count(), 1);
        assert_eq!(*frame.last().unwrap(), 0);
        let back = decode_frame(&frame[..frame.len() - 1]).unwrap();
        assert_eq!(back, rec);
    }

    #[test]
    fn damage_is_named() {
        let frame = sample().frame();
        let body = &frame[..frame.len() - 1];
        let mut flipped = body.to_vec();
        flipped[10] ^= 0x01;
        if flipped[10] != 0 {
            assert_eq!(decode_frame(&flipped), Err(FrameError::BadCrc));
        }
        assert!(matches!(
            decode_frame(&vec![1u8; MAX_FRAME + 1]),
            Err(FrameError::TooLarge { .. })
        ));
        assert!(decode_frame(&body[..20]).is_err());
    }
}

#[cfg(test)]
mod format_doc {
    //! FORMAT.md states these; a third party writes a verifier from it.
    use super::*;
    use tps_base::bounded::Text;
    use tps_domain::event::RecordBody;

    #[test]
    fn the_documented_sizes_hold() {
        assert_eq!(MAX_RECORD, 7720);
        assert_eq!(MAX_PAYLOAD, 7788);
        assert_eq!(MAX_FRAME, 7819);
        assert_eq!(crate::identity::cert::MAX_CERTIFICATE_FILE, 190);
        assert_eq!(crate::identity::package::MAX_PACKAGE_FILE, 667_443);
        assert_eq!(crate::read::MAX_RECORDS, 65_536);
        assert_eq!(crate::read::MAX_JOURNAL_FILE, 512_491_528);
    }

    #[test]
    fn the_documented_numbers_hold() {
        assert_eq!(CRC.checksum(b"123456789"), 0xCBF4_3926);
        assert_eq!(MAGIC, b"TPSJRNL1");
        let clock_set = RecordBody::ClockSet {
            old_ms: 1,
            new_ms: 2,
            by: Text::truncated("t"),
        };
        assert_eq!(postcard::to_stdvec(&clock_set).unwrap()[0], 13);
        assert!((7000..8000).contains(&MAX_FRAME), "MAX_FRAME = {MAX_FRAME}");
        assert_eq!(
            crate::identity::signed::SignedKind::JournalRecord
                .context()
                .len(),
            28
        );
    }
}

#[cfg(test)]
mod unstuffing {
    //! The run-copying COBS decoder gives the `cobs` crate's answer on every input.
    use super::*;
    use proptest::prelude::*;

    fn crate_answer(frame: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; frame.len()];
        let report = cobs::decode(frame, &mut out).ok()?;
        out.truncate(report.frame_size());
        Some(out)
    }

    proptest! {
        #[test]
        fn agrees_with_the_cobs_crate(frame in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut out = [0u8; MAX_FRAME];
            prop_assert_eq!(unstuff(&frame, &mut out).map(<[u8]>::to_vec), crate_answer(&frame));
        }

        #[test]
        fn decodes_what_cobs_encodes(payload in proptest::collection::vec(any::<u8>(), 0..1400)) {
            let frame = cobs::encode_vec(&payload);
            let mut out = [0u8; MAX_FRAME];
            prop_assert_eq!(unstuff(&frame, &mut out), Some(&payload[..]));
        }
    }
}
