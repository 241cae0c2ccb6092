//! A signed, numbered sequence of QR codes (`TPSH1`) carrying one text too long for a single code
//! readable off 58 mm thermal paper: a C.Hasil of one ballot type. Each part carries the SHA-256
//! of the part before it; the last part carries the device certificate and one signature over
//! itself, so the whole chain checks offline with the authority's key alone.
//!
//! ```text
//! TPSH1*1/2*32.73.08.1004.007*DPR*57*<prev: 64 zeros>*<chunk>
//! TPSH1*2/2*32.73.08.1004.007*DPR*57*<prev: SHA-256 of part 1, 64 HEX>*<chunk>*<head, 64 HEX>*<certificate, HEX>*<signature, 128 HEX>
//! ```
//! Every character is in the QR code's alphanumeric set (no space), so a code holds the text in
//! its compact mode. Grammar, hashing and caps: FORMAT.md, "The result QR sequence".

use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::Digest;

use tps_base::election::{BallotType, TpsCode};
use tps_base::text::Lang;
use tps_journal::identity::cert::{DeviceCertificate, MAX_CERTIFICATE_FILE};
use tps_journal::identity::signed::{self, SignedKind};

const PREFIX: &str = "TPSH1";
const SEP: char = '*';

/// The most parts in one sequence (our own choice: 16 parts hold more than [`MAX_PAYLOAD`]).
pub const MAX_PARTS: usize = 16;
/// The longest part text, in characters. A QR code of version 18 at level M holds 816
/// alphanumeric characters (measured with the `qrcode` crate); 800 leaves a margin. Version 18
/// at 3 dots a module is what the closing report prints and phones read (FORMAT.md, the receipt
/// QR code).
pub const MAX_PART_TEXT: usize = 800;
/// The longest payload (our own choice; it always fits [`MAX_PARTS`] parts).
pub const MAX_PAYLOAD: usize = 8192;
/// The most texts a verifier takes at once, duplicates included (our own choice).
pub const MAX_TEXTS: usize = 4 * MAX_PARTS;

/// Whether `c` may appear in a payload: digits, upper-case letters and `$ % + - . / :`.
pub fn payload_char(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_uppercase() || "$%+-./:".contains(c)
}

/// Whether `c` may appear in a part's text: a payload character or the separator `*`.
fn part_char(c: char) -> bool {
    payload_char(c) || c == SEP
}

/// Why a sequence cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The payload is empty.
    #[error("the payload is empty")]
    EmptyPayload,
    /// The payload is longer than [`MAX_PAYLOAD`].
    #[error("the payload is {len} characters; at most {MAX_PAYLOAD}")]
    PayloadTooLong {
        /// Its length.
        len: usize,
    },
    /// The payload holds a character outside [`payload_char`]'s set.
    #[error("the payload has {found:?} at character {at}, outside 0-9 A-Z $ % + - . / :")]
    PayloadCharacter {
        /// Where (0-based).
        at: usize,
        /// What.
        found: char,
    },
    /// The certificate does not decode, or names another device than the one signing.
    #[error("the device certificate is not one of device {0}")]
    Certificate(String),
}

/// Why a set of part texts is not a valid sequence. `part` numbers count the texts as given,
/// from 1; `index` numbers are the parts' own numbers (`i` of `i/N`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum SequenceError {
    /// No text was given.
    NoParts,
    /// More texts than [`MAX_TEXTS`] were given.
    TooManyTexts {
        /// How many.
        count: usize,
    },
    /// A text is longer than [`MAX_PART_TEXT`].
    PartTooLong {
        /// Which text.
        part: usize,
        /// Its length in bytes.
        len: usize,
    },
    /// A text holds a character no part holds (a control character, lower case, a space...).
    ForeignCharacter {
        /// Which text.
        part: usize,
        /// Where in it (0-based, in characters).
        at: usize,
    },
    /// A text does not start with `TPSH1*`.
    NotOurs {
        /// Which text.
        part: usize,
    },
    /// A text has the prefix but a field is missing or does not parse; says which.
    Malformed {
        /// Which text.
        part: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// A part says the sequence has more parts than [`MAX_PARTS`].
    TooManyParts {
        /// Which text.
        part: usize,
        /// The count it gives.
        count: usize,
    },
    /// The texts are parts of different sequences (TPS, ballot, record or count differ).
    MixedSequences {
        /// The first text that differs from the first text.
        part: usize,
    },
    /// Two different texts claim the same part number.
    ConflictingPart {
        /// The part number.
        index: usize,
    },
    /// Parts are missing.
    MissingParts {
        /// Their numbers.
        missing: Vec<usize>,
        /// How many parts the sequence has.
        count: usize,
    },
    /// Part `index` does not carry the hash of the part before it (of zeros, for part 1).
    BrokenChain {
        /// The part number.
        index: usize,
    },
    /// The certificate in the last part is not a certificate of this authority.
    Certificate(String),
    /// The signature does not verify under the certified device key.
    BadSignature,
    /// The sequence is for another TPS than the one expected.
    WrongTps {
        /// The TPS expected.
        expected: TpsCode,
        /// The TPS the sequence names.
        found: TpsCode,
    },
}

impl SequenceError {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use SequenceError as E;
        match (self, lang) {
            (E::NoParts, Lang::Id) => "tidak ada kode QR yang diberikan".into(),
            (E::NoParts, Lang::En) => "no QR code text was given".into(),
            (E::TooManyTexts { count }, Lang::Id) => {
                format!("{count} kode QR diberikan; paling banyak {MAX_TEXTS}")
            }
            (E::TooManyTexts { count }, Lang::En) => {
                format!("{count} QR code texts were given; at most {MAX_TEXTS}")
            }
            (E::PartTooLong { part, len }, Lang::Id) => {
                format!("kode {part}: {len} karakter, paling panjang {MAX_PART_TEXT}")
            }
            (E::PartTooLong { part, len }, Lang::En) => {
                format!("code {part}: {len} characters, at most {MAX_PART_TEXT}")
            }
            (E::ForeignCharacter { part, at }, Lang::Id) => {
                format!(
                    "kode {part}: karakter ke-{} tidak boleh ada di kode ini",
                    at + 1
                )
            }
            (E::ForeignCharacter { part, at }, Lang::En) => {
                format!(
                    "code {part}: character {} has no place in such a code",
                    at + 1
                )
            }
            (E::NotOurs { part }, Lang::Id) => {
                format!("kode {part} bukan bagian rangkaian QR TPS Kiosk")
            }
            (E::NotOurs { part }, Lang::En) => {
                format!("code {part} is not part of a TPS Kiosk QR sequence")
            }
            (E::Malformed { part, .. }, Lang::Id) => format!("kode {part} rusak"),
            (E::Malformed { part, what }, Lang::En) => {
                format!("code {part} is malformed: {what}")
            }
            (E::TooManyParts { part, count }, Lang::Id) => {
                format!("kode {part} menyebut {count} bagian; paling banyak {MAX_PARTS}")
            }
            (E::TooManyParts { part, count }, Lang::En) => {
                format!("code {part} says {count} parts; at most {MAX_PARTS}")
            }
            (E::MixedSequences { part }, Lang::Id) => format!(
                "kode {part} dari rangkaian lain (TPS, jenis surat suara, catatan atau jumlah \
                 bagian berbeda dari kode 1)"
            ),
            (E::MixedSequences { part }, Lang::En) => format!(
                "code {part} is of another sequence (TPS, ballot type, record or number of \
                 parts differ from code 1's)"
            ),
            (E::ConflictingPart { index }, Lang::Id) => {
                format!("dua kode berbeda mengaku bagian {index}")
            }
            (E::ConflictingPart { index }, Lang::En) => {
                format!("two different codes claim to be part {index}")
            }
            (E::MissingParts { missing, count }, Lang::Id) => {
                format!("bagian {} dari {count} tidak ada", list(missing))
            }
            (E::MissingParts { missing, count }, Lang::En) => {
                format!("part {} of {count} missing", list(missing))
            }
            (E::BrokenChain { index }, Lang::Id) => {
                format!("rantai putus: bagian {index} tidak memuat hash bagian sebelumnya")
            }
            (E::BrokenChain { index }, Lang::En) => {
                format!("broken chain: part {index} does not carry the previous part's hash")
            }
            (E::Certificate(e), Lang::Id) => {
                format!("sertifikat perangkat di kode terakhir tidak sah untuk otoritas ini ({e})")
            }
            (E::Certificate(e), Lang::En) => {
                format!("the device certificate in the last code is not this authority's ({e})")
            }
            (E::BadSignature, Lang::Id) => {
                "tanda tangan rangkaian bukan dari perangkat bersertifikat".into()
            }
            (E::BadSignature, Lang::En) => {
                "the sequence's signature is not the certified device's".into()
            }
            (E::WrongTps { expected, found }, Lang::Id) => {
                format!("rangkaian untuk TPS {found}, bukan TPS {expected}")
            }
            (E::WrongTps { expected, found }, Lang::En) => {
                format!("the sequence is TPS {found}'s, not TPS {expected}'s")
            }
        }
    }
}

fn list(numbers: &[usize]) -> String {
    numbers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What every part of one sequence says alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The TPS.
    pub tps: TpsCode,
    /// The ballot type whose result this is.
    pub ballot: BallotType,
    /// The journal record the result stands on.
    pub seq: u64,
    /// How many parts.
    pub count: usize,
}

/// A sequence, decoded and chained, its signature not yet checked ([`QrSequence::verify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSequence {
    /// What every part says.
    pub header: Header,
    /// The chain hash of journal record `header.seq`.
    pub head: [u8; 32],
    /// The parts' chunks joined, in part order.
    pub payload: String,
    /// The device certificate file from the last part.
    pub certificate: Vec<u8>,
    /// The last part's signature.
    pub signature: [u8; 64],
    /// What the signature covers: the last part's text before its last `*`.
    signed: String,
    /// The part texts, in part order, each once.
    parts: Vec<String>,
}

/// The device id a certificate names, if it decodes.
fn certified_device(certificate: &[u8]) -> Option<String> {
    DeviceCertificate::read_unverified(certificate)
        .ok()
        .map(|c| c.device_id.to_string())
}

fn hash_hex(text: &str) -> String {
    hex::encode_upper(sha2::Sha256::digest(text.as_bytes()))
}

/// The fields before the chunk, for part `index` of `header`, with the trailing `*`.
fn head_fields(header: &Header, index: usize, prev: &str) -> String {
    format!(
        "{PREFIX}{SEP}{index}/{}{SEP}{}{SEP}{}{SEP}{}{SEP}{prev}{SEP}",
        header.count,
        header.tps,
        header.ballot.code(),
        header.seq
    )
}

/// The part texts for `payload`: as few parts as hold it, each at most [`MAX_PART_TEXT`]
/// characters, the last signed by `key` and carrying the device's `certificate` file.
pub fn encode(
    tps: TpsCode,
    ballot: BallotType,
    (device_id, certificate): (&str, &[u8]),
    (seq, head): (u64, [u8; 32]),
    payload: &str,
    key: &SigningKey,
) -> Result<Vec<String>, EncodeError> {
    if payload.is_empty() {
        return Err(EncodeError::EmptyPayload);
    }
    if payload.len() > MAX_PAYLOAD {
        return Err(EncodeError::PayloadTooLong { len: payload.len() });
    }
    if let Some((at, found)) = payload.chars().enumerate().find(|(_, c)| !payload_char(*c)) {
        return Err(EncodeError::PayloadCharacter { at, found });
    }
    if certificate.len() > MAX_CERTIFICATE_FILE
        || certified_device(certificate).as_deref() != Some(device_id)
    {
        return Err(EncodeError::Certificate(device_id.to_string()));
    }
    // The last part's fields after its chunk, signature included.
    let tail = 3 + 64 + 2 * certificate.len() + 128;
    let zeros = "0".repeat(64);
    for count in 1..=MAX_PARTS {
        let header = Header {
            tps,
            ballot,
            seq,
            count,
        };
        // Room for the chunk of each part; the prev field is 64 characters whatever it holds.
        let room: Vec<usize> = (1..=count)
            .map(|i| {
                let last = if i == count { tail } else { 0 };
                MAX_PART_TEXT.saturating_sub(head_fields(&header, i, &zeros).len() + last)
            })
            .collect();
        if room.iter().sum::<usize>() < payload.len() {
            continue;
        }
        let mut parts = Vec::with_capacity(count);
        let mut rest = payload;
        let mut prev = zeros.clone();
        for (i, room) in (1..=count).zip(room) {
            let (chunk, after) = rest.split_at(room.min(rest.len()));
            rest = after;
            let mut text = format!("{}{chunk}", head_fields(&header, i, &prev));
            if i == count {
                text.push_str(&format!(
                    "{SEP}{}{SEP}{}",
                    hex::encode_upper(head),
                    hex::encode_upper(certificate)
                ));
                let signature = signed::sign(SignedKind::QrSequence, key, text.as_bytes());
                text.push_str(&format!("{SEP}{}", hex::encode_upper(signature)));
            }
            prev = hash_hex(&text);
            parts.push(text);
        }
        return Ok(parts);
    }
    // Unreachable while MAX_PAYLOAD fits MAX_PARTS parts (a test checks it).
    Err(EncodeError::PayloadTooLong { len: payload.len() })
}

/// One part text taken apart.
struct Part<'a> {
    header: Header,
    index: usize,
    prev: &'a str,
    chunk: &'a str,
    /// Head, certificate and signature: the last part's.
    tail: Option<(&'a str, &'a str, &'a str)>,
}

fn number(field: &str) -> Option<u64> {
    let canonical = !field.is_empty()
        && field.bytes().all(|b| b.is_ascii_digit())
        && (field == "0" || !field.starts_with('0'));
    canonical.then(|| field.parse().ok()).flatten()
}

fn upper_hex(field: &str, len: usize) -> bool {
    field.len() == len
        && field
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'F'))
}

fn parse_part(part: usize, text: &str) -> Result<Part<'_>, SequenceError> {
    if text.len() > MAX_PART_TEXT {
        return Err(SequenceError::PartTooLong {
            part,
            len: text.len(),
        });
    }
    if let Some(at) = text.chars().position(|c| !part_char(c)) {
        return Err(SequenceError::ForeignCharacter { part, at });
    }
    let fields: Vec<&str> = text.split(SEP).collect();
    if fields.first() != Some(&PREFIX) {
        return Err(SequenceError::NotOurs { part });
    }
    let bad = |what| SequenceError::Malformed { part, what };
    let (Some(position), Some(tps), Some(ballot), Some(seq), Some(prev), Some(chunk)) = (
        fields.get(1),
        fields.get(2),
        fields.get(3),
        fields.get(4),
        fields.get(5),
        fields.get(6),
    ) else {
        return Err(bad("too few fields"));
    };
    let (index, count) = position
        .split_once('/')
        .and_then(|(i, n)| Some((number(i)?, number(n)?)))
        .ok_or(bad("the part number is not I/N"))?;
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    if count > MAX_PARTS {
        return Err(SequenceError::TooManyParts { part, count });
    }
    let index = usize::try_from(index).unwrap_or(usize::MAX);
    if index == 0 || index > count {
        return Err(bad("the part number is not between 1 and the count"));
    }
    let header = Header {
        tps: TpsCode::parse(tps)
            .filter(|t| t.to_string() == *tps)
            .ok_or(bad("the TPS code is not PP.RR.DD.VVVV.TTT"))?,
        ballot: BallotType::ALL
            .into_iter()
            .find(|b| b.code() == *ballot)
            .ok_or(bad("unknown ballot type"))?,
        seq: number(seq).ok_or(bad("the record number is not a number"))?,
        count,
    };
    if !upper_hex(prev, 64) {
        return Err(bad("the previous part's hash is not 64 hex digits"));
    }
    let tail = match (index == count, &fields[7..]) {
        (false, []) => None,
        (true, [head, cert, sig]) => {
            if !upper_hex(head, 64) {
                return Err(bad("the head hash is not 64 hex digits"));
            }
            if cert.is_empty() || !upper_hex(cert, cert.len()) || cert.len() % 2 != 0 {
                return Err(bad("the certificate is not hex"));
            }
            if cert.len() > 2 * MAX_CERTIFICATE_FILE {
                return Err(bad("the certificate is too long"));
            }
            if !upper_hex(sig, 128) {
                return Err(bad("the signature is not 128 hex digits"));
            }
            Some((*head, *cert, *sig))
        }
        _ => return Err(bad("wrong number of fields")),
    };
    Ok(Part {
        header,
        index,
        prev,
        chunk,
        tail,
    })
}

impl QrSequence {
    /// Puts the parts together: in any order, an exact duplicate ignored. Checks each text, that
    /// all are of one sequence, that none is missing, and the chain; not the signature.
    pub fn decode<S: AsRef<str>>(texts: &[S]) -> Result<Self, SequenceError> {
        if texts.is_empty() {
            return Err(SequenceError::NoParts);
        }
        if texts.len() > MAX_TEXTS {
            return Err(SequenceError::TooManyTexts { count: texts.len() });
        }
        let mut parsed = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            parsed.push((text.as_ref(), parse_part(i + 1, text.as_ref())?));
        }
        let header = parsed[0].1.header;
        if let Some(i) = parsed.iter().position(|(_, p)| p.header != header) {
            return Err(SequenceError::MixedSequences { part: i + 1 });
        }
        let mut slots: Vec<Option<(&str, &Part<'_>)>> = vec![None; header.count];
        for (text, part) in &parsed {
            match &mut slots[part.index - 1] {
                Some((seen, _)) if seen != text => {
                    return Err(SequenceError::ConflictingPart { index: part.index });
                }
                slot => *slot = Some((text, part)),
            }
        }
        let parts: Vec<(&str, &Part<'_>)> = slots.iter().flatten().copied().collect();
        if parts.len() < header.count {
            let missing = (1..=header.count)
                .filter(|i| slots[i - 1].is_none())
                .collect();
            return Err(SequenceError::MissingParts {
                missing,
                count: header.count,
            });
        }
        let mut expected = "0".repeat(64);
        let mut payload = String::new();
        for (text, part) in &parts {
            if part.prev != expected {
                return Err(SequenceError::BrokenChain { index: part.index });
            }
            expected = hash_hex(text);
            payload.push_str(part.chunk);
        }
        let malformed = |what| SequenceError::Malformed {
            part: header.count,
            what,
        };
        let (last_text, last) = parts[header.count - 1];
        let (head, cert, sig) = last.tail.ok_or(malformed("no signature"))?;
        if payload.is_empty() {
            return Err(malformed("the payload is empty"));
        }
        let mut head_bytes = [0; 32];
        let mut signature = [0; 64];
        hex::decode_to_slice(head, &mut head_bytes)
            .and_then(|()| hex::decode_to_slice(sig, &mut signature))
            .map_err(|_| malformed("hex"))?;
        Ok(QrSequence {
            header,
            head: head_bytes,
            payload,
            certificate: hex::decode(cert).map_err(|_| malformed("hex"))?,
            signature,
            signed: last_text[..last_text.len() - sig.len() - 1].to_string(),
            parts: parts.iter().map(|(text, _)| text.to_string()).collect(),
        })
    }

    /// Checks the certificate under the `authority` key and the signature under the certified
    /// device key; gives the certificate.
    pub fn verify(&self, authority: &VerifyingKey) -> Result<DeviceCertificate, SequenceError> {
        let cert = DeviceCertificate::read(&self.certificate, authority)
            .map_err(|e| SequenceError::Certificate(e.message(Lang::En)))?;
        let key = cert
            .device_key()
            .map_err(|e| SequenceError::Certificate(e.message(Lang::En)))?;
        if signed::verify(
            SignedKind::QrSequence,
            &key,
            self.signed.as_bytes(),
            &self.signature,
        ) {
            Ok(cert)
        } else {
            Err(SequenceError::BadSignature)
        }
    }

    /// Checks that the sequence is `expected`'s.
    pub fn expect_tps(&self, expected: TpsCode) -> Result<(), SequenceError> {
        if self.header.tps == expected {
            Ok(())
        } else {
            Err(SequenceError::WrongTps {
                expected,
                found: self.header.tps,
            })
        }
    }

    /// The part texts in part order (1 to N), each once, as the kiosk printed them: what its
    /// `ReportPrinted` record's digest commits to (`report::Codes::digest`).
    pub fn parts(&self) -> &[String] {
        &self.parts
    }

    /// Whether `text` looks like a part of a sequence (its prefix), to tell it from a `TPSK2`
    /// receipt code.
    pub fn is_part(text: &str) -> bool {
        text.trim_start().starts_with(PREFIX)
    }
}
