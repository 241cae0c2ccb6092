//! What a verified journal's records say about a printed report, whichever its codes
//! (a `TPSK2` receipt code in [`crate::receipt`], a C.Hasil's `TPSH1` sequence in
//! [`crate::sequence_journal`]): the certificate the journal began with, the record of the print,
//! and the corrections made after it.

use tps_firmware::event::RecordBody;
use tps_firmware::journal::SignedRecord;

/// The device certificate file the journal began with (its genesis record's), if it has one.
pub fn genesis_certificate(records: &[SignedRecord]) -> Option<&[u8]> {
    records.first().and_then(|r| match &r.record.body {
        RecordBody::Genesis(g) => Some(g.certificate.as_slice()),
        _ => None,
    })
}

/// The record at which the kiosk recorded printing codes with this `digest`, if it did.
pub fn printed_at(records: &[SignedRecord], digest: [u8; 32]) -> Option<u64> {
    records.iter().find_map(|r| match &r.record.body {
        RecordBody::ReportPrinted { digest: d, .. } if *d == digest => Some(r.record.seq),
        _ => None,
    })
}

/// Whether `body` completes a correction: a step completed whose proposal was made with
/// `corrects`.
pub fn completes_correction(records: &[SignedRecord], body: &RecordBody) -> bool {
    let RecordBody::StepCompleted { proposal, .. } = body else {
        return false;
    };
    records.get(*proposal as usize).is_some_and(|p| {
        matches!(
            &p.record.body,
            RecordBody::StepProposed {
                corrects: Some(_),
                ..
            }
        )
    })
}
