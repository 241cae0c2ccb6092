//! The witness rule by touch: a saksi inside who stays silent keeps the polls from closing, and
//! the red "proceed without the absent witnesses" is never offered for them; the chair records
//! "declined to respond", the Pengawas TPS confirms with their PIN, and the step goes on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Kiosk, init_backend, to_voting};
use tps_firmware::event::IncidentKind;
use tps_firmware::procedure::Phase;

#[test]
fn a_silent_saksi_inside_is_recorded_as_declining_never_skipped() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    let chair = k.chair_pin();
    k.pin(&chair);
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("0");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&["Bu Pengawas", "Saksi Satu"]);

    // 13:45: long after the 30 minutes, Saksi Dua is inside and silent. "Lanjut" waits, naming
    // them, and there is no way around them.
    k.at("13:45");
    assert!(!k.enabled("Lanjut"));
    let why = k.value("Alasan Lanjut belum bisa");
    assert!(why.starts_with("Belum menanggapi: Saksi Dua."), "{why}");
    assert!(!k.has("Menunggu saksi (aturan 30 menit)"));

    // "Tidak menanggapi": the chair picks Saksi Dua and writes why; the Pengawas confirms.
    k.tap("Tidak menanggapi");
    k.tap("Saksi Dua");
    k.type_text("Tidak mau konfirmasi dan tidak mengajukan keberatan");
    let pengawas = k.pin_of("Bu Pengawas");
    k.pin(&pengawas);
    k.pin(&chair);
    assert_eq!(
        k.notice(),
        "Tersimpan: tidak bersedia menanggapi, dicatat sebagai kejadian khusus."
    );
    let state = k.state();
    let declined = state
        .incidents
        .iter()
        .find(|n| matches!(n.incident.kind, IncidentKind::Declined { .. }))
        .expect("a kejadian khusus");
    assert_eq!(declined.incident.witnesses.len(), 1);
    assert!(!k.has("Tidak menanggapi"));

    // Now the chair's own "Lanjut" closes the polls; nobody was waived.
    k.complete();
    assert_eq!(k.phase(), Phase::CloseOut);
    assert!(
        !k.state()
            .incidents
            .iter()
            .any(|n| matches!(n.incident.kind, IncidentKind::QuorumWaived { .. }))
    );
}

/// A keberatan "not accepted" by touch (seed 004 lines 56-57): the Pengawas TPS's advice (saran
/// perbaikan) is recorded with their PIN, the KPPS does not follow it and says why, and the saksi
/// and the chair confirm; the closing report and the journal keep all of it.
#[test]
fn advice_not_followed_is_recorded_with_the_reason_by_touch() {
    use tps_firmware::event::{Outcome, RecordBody};
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    let chair = k.chair_pin();
    k.pin(&chair);
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("0");
    k.tap("Ajukan untuk konfirmasi");
    k.tap("Keberatan");
    k.tap("Saksi Satu");
    k.type_text("Masih ada pemilih di luar pagar");
    k.pin(&k.pin_of("Saksi Satu"));
    assert_eq!(k.notice(), "Tersimpan: keberatan.");

    k.tap("Hasil keberatan");
    k.tap("Saksi Satu");
    // Both "not accepted" outcomes are offered: advice followed, or not followed and why.
    assert!(k.has("Tidak diterima, dengan saran perbaikan Pengawas TPS: saran diikuti KPPS"));
    k.tap("Tidak diterima, dengan saran perbaikan Pengawas TPS: saran tidak diikuti KPPS");
    k.type_text("Periksa antrean di luar pagar");
    k.type_text("Pintu ditutup pukul tiga belas dan tidak ada yang antre");
    k.pin(&k.pin_of("Bu Pengawas"));
    k.pin(&k.pin_of("Saksi Satu"));
    k.pin(&chair);
    assert_eq!(k.notice(), "Tersimpan: hasil keberatan.");

    let state = k.state();
    let (_, outcome) = state.objections[0].outcome.clone().expect("an outcome");
    assert_eq!(
        outcome,
        Outcome::NotAccepted {
            advice: "Periksa antrean di luar pagar".try_into().unwrap(),
            followed: false,
            why_not: Some(
                "Pintu ditutup pukul tiga belas dan tidak ada yang antre"
                    .try_into()
                    .unwrap()
            ),
        }
    );
    // On the journal, confirmed by the Pengawas TPS and the saksi, with the chair.
    let witnesses = k
        .journal()
        .into_iter()
        .find_map(|r| match r.body {
            RecordBody::ObjectionResolved { witnesses, .. } => Some(witnesses),
            _ => None,
        })
        .expect("the outcome on the journal");
    assert_eq!(witnesses.len(), 2);
    assert!(!k.has("Hasil keberatan"), "still offered after its outcome");
}

/// Where witnesses confirm, the screens say that a PIN confirmation adds to the signatures and
/// initials on the paper forms and never replaces them (issue 8): on the step's confirmation
/// panel, on the screen handed to the witness, and on the PIN pad, in both languages.
#[test]
fn the_screens_where_witnesses_confirm_say_the_pin_adds_to_the_paper_forms() {
    const ID: &str = "Konfirmasi PIN dicatat sebagai tambahan tanda tangan dan paraf di formulir kertas, bukan penggantinya.";
    const EN: &str = "A PIN confirmation is recorded in addition to the signatures and initials on the paper forms, never instead of them.";
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    // The voting screen asks no one to confirm: the sentence is not there.
    assert_eq!(k.count(ID), 0);
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    let chair = k.chair_pin();
    k.pin(&chair);
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("0");
    k.tap("Ajukan untuk konfirmasi");
    // The step's confirmation panel.
    assert_eq!(k.count(ID), 1);
    // The screen handed to Saksi Satu, then their PIN pad: each says it once more.
    k.tap("Konfirmasi");
    k.tap("Saksi Satu");
    assert!(k.has("Saya sudah memegang layar"));
    assert_eq!(k.count(ID), 2);
    k.tap("Saya sudah memegang layar");
    assert_eq!(k.count(ID), 2);
    let pin = k.pin_of("Saksi Satu");
    k.pin(&pin);
    assert_eq!(k.notice(), "Tersimpan: konfirmasi.");
    assert_eq!(k.count(ID), 1);
    // In English, the same sentence in English.
    k.tap("Bahasa / Language");
    assert_eq!((k.count(ID), k.count(EN)), (0, 1));
}
