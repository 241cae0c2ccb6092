//! The text in a report's QR code: the report's key figures, the journal position they come
//! from, and the device's signature over all of it.
//!
//! ```text
//! TPSK2|O|32.73.08.1004.007|sim-0001|57|<head hash, 64 HEX>|PPWP=302/302;DPR=302/302;KK=0;KB=0|<device certificate file, HEX>|<signature, 128 HEX>
//! ```
//! Fields are separated by `|`: version, kind (`O` opening, `C` closing), TPS code, device id,
//! sequence number of the newest record when printed, that record's chain hash, the figures, the
//! device certificate file, and an ed25519 signature (context `tps-kiosk/v1/report\0`) over
//! everything before the last `|`. Hex is upper case, so a QR code holds it in its compact
//! alphanumeric mode. With the certificate in the code, the receipt checks offline: the
//! certificate by the authority's key, the signature by the certificate's device key. With the
//! journal, also that its record at that sequence number has that chain hash and those figures.

use core::fmt;

use ed25519_dalek::{SigningKey, VerifyingKey};

use tps_domain::event::ReportKind;
use tps_journal::identity::signed::{self, SignedKind};

const VERSION: &str = "TPSK2";

/// The longest device certificate file a code carries.
const MAX_CERTIFICATE: usize = tps_journal::identity::cert::MAX_CERTIFICATE_FILE;

/// A parsed or freshly signed receipt code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCode {
    /// Which report.
    pub kind: ReportKind,
    /// The TPS code.
    pub tps: String,
    /// The device that signed it.
    pub device_id: String,
    /// The journal record the report stands on.
    pub seq: u64,
    /// That record's chain hash, which commits to the journal up to it.
    pub head: [u8; 32],
    /// The report's figures, as (name, value).
    pub figures: Vec<(String, String)>,
    /// The device certificate file, so the code checks without the journal.
    pub certificate: Vec<u8>,
    /// The device's signature over the code's text.
    pub signature: [u8; 64],
}

/// Why a receipt code does not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The code does not start with the receipt code's prefix.
    #[error("not a TPS Kiosk receipt code")]
    NotOurs,
    /// The code has the prefix but a field is missing or does not parse; says which.
    #[error("the receipt code is malformed: {0}")]
    Malformed(&'static str),
    /// The code's signature does not verify with the device key it is checked against.
    #[error("the receipt's signature does not verify with this device's key")]
    BadSignature,
}

fn figures_text(figures: &[(String, String)]) -> String {
    figures
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";")
}

impl ReceiptCode {
    fn kind_letter(&self) -> &'static str {
        match self.kind {
            ReportKind::Opening => "O",
            ReportKind::Closing => "C",
            // A C.Hasil's codes are a `TPSH1` sequence (super::sequence), never a receipt code;
            // a letter no parser accepts keeps one from passing for another report.
            ReportKind::Result(_) => "R",
        }
    }

    /// Everything the signature covers.
    fn signed_text(&self) -> String {
        format!(
            "{VERSION}|{}|{}|{}|{}|{}|{}|{}",
            self.kind_letter(),
            self.tps,
            self.device_id,
            self.seq,
            hex::encode_upper(self.head),
            figures_text(&self.figures),
            hex::encode_upper(&self.certificate)
        )
    }

    /// The code for a report, carrying the device's `certificate` file, signed by `key`.
    pub fn sign(
        kind: ReportKind,
        tps: String,
        (device_id, certificate): (&str, &[u8]),
        head: (u64, [u8; 32]),
        figures: Vec<(String, String)>,
        key: &SigningKey,
    ) -> Self {
        let mut code = ReceiptCode {
            kind,
            tps,
            device_id: device_id.to_string(),
            seq: head.0,
            head: head.1,
            figures,
            certificate: certificate.to_vec(),
            signature: [0; 64],
        };
        code.signature = signed::sign(SignedKind::Report, key, code.signed_text().as_bytes());
        code
    }

    /// Parses a code as read from a photo of the receipt.
    pub fn parse(text: &str) -> Result<Self, QrError> {
        let text = text.trim();
        if text.len() > 2048 {
            return Err(QrError::Malformed("too long"));
        }
        let parts: Vec<&str> = text.split('|').collect();
        let [version, kind, tps, device_id, seq, head, figures, cert, sig] = parts.as_slice()
        else {
            return Err(if text.starts_with(VERSION) {
                QrError::Malformed("wrong number of fields")
            } else {
                QrError::NotOurs
            });
        };
        if *version != VERSION {
            return Err(QrError::NotOurs);
        }
        let kind = match *kind {
            "O" => ReportKind::Opening,
            "C" => ReportKind::Closing,
            _ => return Err(QrError::Malformed("unknown report kind")),
        };
        let mut head_bytes = [0u8; 32];
        hex::decode_to_slice(head, &mut head_bytes)
            .map_err(|_| QrError::Malformed("head hash is not 64 hex digits"))?;
        let mut signature = [0u8; 64];
        hex::decode_to_slice(sig, &mut signature)
            .map_err(|_| QrError::Malformed("signature is not 128 hex digits"))?;
        let certificate =
            hex::decode(cert).map_err(|_| QrError::Malformed("certificate is not hex"))?;
        if certificate.len() > MAX_CERTIFICATE {
            return Err(QrError::Malformed("certificate is too long"));
        }
        let figures = if figures.is_empty() {
            Vec::new()
        } else {
            figures
                .split(';')
                .map(|f| {
                    f.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .ok_or(QrError::Malformed("a figure is not NAME=VALUE"))
                })
                .collect::<Result<_, _>>()?
        };
        Ok(ReceiptCode {
            kind,
            tps: tps.to_string(),
            device_id: device_id.to_string(),
            seq: seq
                .parse()
                .map_err(|_| QrError::Malformed("sequence number is not a number"))?,
            head: head_bytes,
            figures,
            certificate,
            signature,
        })
    }

    /// Checks the signature with the device's public key.
    pub fn verify(&self, device_key: &VerifyingKey) -> Result<(), QrError> {
        if signed::verify(
            SignedKind::Report,
            device_key,
            self.signed_text().as_bytes(),
            &self.signature,
        ) {
            Ok(())
        } else {
            Err(QrError::BadSignature)
        }
    }

    /// SHA-256 of the code's text: what the journal's `ReportPrinted` record holds.
    pub fn digest(&self) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(self.to_string().as_bytes()).into()
    }
}

impl fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}|{}",
            self.signed_text(),
            hex::encode_upper(self.signature)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_round_trips_and_tampering_is_caught() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let code = ReceiptCode::sign(
            ReportKind::Closing,
            "32.73.08.1004.007".into(),
            ("sim-0001", &[1, 2, 3]),
            (57, [3; 32]),
            vec![("PPWP".into(), "302/213/87/2".into())],
            &key,
        );
        let text = code.to_string();
        let back = ReceiptCode::parse(&text).unwrap();
        assert_eq!(back, code);
        back.verify(&key.verifying_key()).unwrap();
        let forged = text.replace("302/213/87/2", "302/313/87/2");
        assert_eq!(
            ReceiptCode::parse(&forged)
                .unwrap()
                .verify(&key.verifying_key()),
            Err(QrError::BadSignature)
        );
        assert_eq!(ReceiptCode::parse("hello"), Err(QrError::NotOurs));
        assert!(matches!(
            ReceiptCode::parse("TPSK2|X|a|b|1|00||"),
            Err(QrError::Malformed(_))
        ));
    }
}
