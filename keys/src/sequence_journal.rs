//! `receipt verify --journal` of a C.Hasil's QR sequence (`TPSH1`): the codes against the
//! kiosk's verified journal, as [`crate::receipt`] checks a `TPSK2` receipt code. The codes must
//! be the journal's device's and TPS's, stand on a record the journal has with that chain hash,
//! and carry the count the journal gives for their ballot type at that record.

use tps_firmware::chasil;
use tps_firmware::election::BallotType;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::journal::SignedRecord;
use tps_firmware::journal::verify::{VerifyError, VerifyReport};
use tps_firmware::procedure::State;
use tps_firmware::report::sequence::QrSequence;
use tps_firmware::report::{self, Codes};
use tps_firmware::text::Lang;

use crate::printed_record::{completes_correction, genesis_certificate, printed_at};

/// Why a sequence does not match the journal.
#[derive(Debug)]
pub enum Mismatch {
    /// The journal itself does not verify; nothing else is checked against it then.
    Journal(VerifyError),
    /// The certificate in the codes names another device than the journal's.
    Device { codes: String, journal: String },
    /// The codes are another TPS's.
    Tps { codes: String, journal: String },
    /// The journal's record `seq` has another chain hash than the codes'.
    ChainHash { seq: u64 },
    /// The codes name a record the journal does not have.
    NoSuchRecord { records: usize, seq: u64 },
    /// The certificate in the codes is not the one the journal began with.
    CertificateNotJournals,
    /// The count the codes carry is not the one the journal gives at their record: both
    /// payloads.
    Figures { codes: String, journal: String },
    /// The journal has no count of the ballot type at the codes' record.
    NotCounted { ballot: BallotType, seq: u64 },
    /// Replaying the journal failed; the detail is the replay's own (English) words.
    FiguresUnknown(String),
}

impl Mismatch {
    /// What is wrong, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Mismatch::Journal(e), Lang::Id) => {
                format!("jurnal tidak lolos verifikasi: {}", e.message(lang))
            }
            (Mismatch::Journal(e), Lang::En) => {
                format!("the journal does not verify: {}", e.message(lang))
            }
            (Mismatch::Device { codes, journal }, Lang::Id) => format!(
                "kode menyebut perangkat {codes}, sedangkan jurnal ini milik perangkat {journal}"
            ),
            (Mismatch::Device { codes, journal }, Lang::En) => {
                format!("the codes name device {codes}, the journal is device {journal}'s")
            }
            (Mismatch::Tps { codes, journal }, Lang::Id) => {
                format!("kode menyebut TPS {codes}, sedangkan jurnal ini milik TPS {journal}")
            }
            (Mismatch::Tps { codes, journal }, Lang::En) => {
                format!("the codes name TPS {codes}, the journal is TPS {journal}'s")
            }
            (Mismatch::ChainHash { seq }, Lang::Id) => {
                format!("hash rantai catatan {seq} di jurnal berbeda dari yang tertera di kode")
            }
            (Mismatch::ChainHash { seq }, Lang::En) => {
                format!("record {seq} in the journal has another chain hash than the codes'")
            }
            (Mismatch::NoSuchRecord { records, seq }, Lang::Id) => {
                format!("jurnal berisi {records} catatan; kode menyebut catatan {seq}")
            }
            (Mismatch::NoSuchRecord { records, seq }, Lang::En) => {
                format!("the journal has {records} records; the codes name record {seq}")
            }
            (Mismatch::CertificateNotJournals, Lang::Id) => {
                "sertifikat perangkat di kode bukan sertifikat di awal jurnal".into()
            }
            (Mismatch::CertificateNotJournals, Lang::En) => {
                "the device certificate in the codes is not the one the journal began with".into()
            }
            (Mismatch::Figures { codes, journal }, Lang::Id) => {
                format!("angka berbeda dari jurnal: kode {codes}, jurnal {journal}")
            }
            (Mismatch::Figures { codes, journal }, Lang::En) => {
                format!("the figures differ from the journal's: codes {codes}, journal {journal}")
            }
            (Mismatch::NotCounted { ballot, seq }, Lang::Id) => format!(
                "jurnal belum memuat hasil hitung surat suara {} pada catatan {seq}",
                ballot.code()
            ),
            (Mismatch::NotCounted { ballot, seq }, Lang::En) => format!(
                "the journal has no count of the {} ballot at record {seq}",
                ballot.code()
            ),
            (Mismatch::FiguresUnknown(_), Lang::Id) => {
                "angka tidak dapat dihitung ulang dari jurnal".into()
            }
            (Mismatch::FiguresUnknown(e), Lang::En) => {
                format!("the figures cannot be recomputed: {e}")
            }
        }
    }

    /// Whether the fault is the journal's own (the error names the journal file, not the codes).
    pub fn is_journals(&self) -> bool {
        matches!(self, Mismatch::Journal(_))
    }
}

/// What a verified journal says about a sequence.
#[derive(Debug, Default)]
pub struct Examined {
    /// Each way the codes differ from the journal.
    pub mismatches: Vec<Mismatch>,
    /// Whether the count was compared (it needs the election package).
    pub figures_checked: bool,
    /// The record at which the kiosk recorded printing these very codes.
    pub printed_at_record: Option<u64>,
    /// The record of a later correction that changed this ballot type's count.
    pub superseded_by: Option<u64>,
}

/// The payload of the count of `ballot` that stands in `state`, if counted.
fn payload(state: &State, ballot: BallotType) -> Option<Result<String, String>> {
    report::counted(state, ballot).map(|t| chasil::encode(t).map_err(|e| e.text().en))
}

/// What a replay of the journal says: the count's payload at the codes' record (or why there
/// is none), and the first later correction that changed it.
struct Replayed {
    at_record: Result<String, Mismatch>,
    superseded_by: Option<u64>,
}

/// Replays `records` once: the payload of `ballot`'s count after record `seq`, then the first
/// record after `seq` that completes a correction (a step proposed with `corrects`) after which
/// the count's payload is no longer `printed`. A replay that fails after `seq` leaves the
/// codes' figures checked and says nothing of a correction.
fn replay(
    records: &[SignedRecord],
    seq: u64,
    package: &[u8],
    ballot: BallotType,
    printed: &str,
) -> Replayed {
    let unknown = |e: String| Replayed {
        at_record: Err(Mismatch::FiguresUnknown(e)),
        superseded_by: None,
    };
    let package = match ElectionPackage::read_unverified(package) {
        Ok(p) => p,
        Err(e) => return unknown(e.to_string()),
    };
    let mut state = match State::for_replay(package) {
        Ok(s) => s,
        Err(e) => return unknown(e.to_string()),
    };
    let mut at_record = None;
    for r in records {
        if let Err(e) = state.apply(&r.record) {
            return match at_record {
                None => unknown(e.to_string()),
                Some(at_record) => Replayed {
                    at_record,
                    superseded_by: None,
                },
            };
        }
        if r.record.seq == seq {
            at_record = Some(match payload(&state, ballot) {
                None => Err(Mismatch::NotCounted { ballot, seq }),
                Some(p) => p.map_err(Mismatch::FiguresUnknown),
            });
            continue;
        }
        let changed = || payload(&state, ballot).is_some_and(|now| now.as_deref() != Ok(printed));
        if r.record.seq > seq && completes_correction(records, &r.record.body) && changed() {
            return Replayed {
                at_record: at_record.unwrap_or(Err(Mismatch::NotCounted { ballot, seq })),
                superseded_by: Some(r.record.seq),
            };
        }
    }
    Replayed {
        at_record: at_record.unwrap_or(Err(Mismatch::NotCounted { ballot, seq })),
        superseded_by: None,
    }
}

/// Checks `sequence` (its certificate `device_id`, when it is the authority's) against the
/// verified journal `records`; the count too when the journal's `package` is at hand.
pub fn examine(
    sequence: &QrSequence,
    verified: &VerifyReport,
    records: &[SignedRecord],
    package: Option<&[u8]>,
    device_id: Option<&str>,
) -> Examined {
    let mut mismatches = Vec::new();
    let h = &sequence.header;
    if let Some(device) = device_id.filter(|d| *d != verified.device_id) {
        mismatches.push(Mismatch::Device {
            codes: device.to_string(),
            journal: verified.device_id.clone(),
        });
    }
    if h.tps.to_string() != verified.tps {
        mismatches.push(Mismatch::Tps {
            codes: h.tps.to_string(),
            journal: verified.tps.clone(),
        });
    }
    match records.get(h.seq as usize) {
        Some(r) if r.hash == sequence.head => {}
        Some(_) => mismatches.push(Mismatch::ChainHash { seq: h.seq }),
        None => mismatches.push(Mismatch::NoSuchRecord {
            records: records.len(),
            seq: h.seq,
        }),
    }
    if genesis_certificate(records) != Some(sequence.certificate.as_slice()) {
        mismatches.push(Mismatch::CertificateNotJournals);
    }
    let mut superseded_by = None;
    if let Some(package) = package {
        // Payloads are compared: the kiosk signed `chasil::encode` of the count, and a payload
        // decodes only in that canonical form, so the same figures are the same payload.
        let replayed = replay(records, h.seq, package, h.ballot, &sequence.payload);
        match replayed.at_record {
            Ok(journal) if journal == sequence.payload => {}
            Ok(journal) => mismatches.push(Mismatch::Figures {
                codes: sequence.payload.clone(),
                journal,
            }),
            Err(m) => mismatches.push(m),
        }
        superseded_by = replayed.superseded_by;
    }
    // The kiosk's digest: the part texts in printed order, joined by line feeds.
    let digest = Codes::Sequence(sequence.parts().to_vec()).digest();
    Examined {
        mismatches,
        figures_checked: package.is_some(),
        printed_at_record: printed_at(records, digest),
        superseded_by,
    }
}
