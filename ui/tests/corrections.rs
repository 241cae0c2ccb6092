//! A completed step corrected through the screens: from the home screen's list, its form with
//! the figures that stand, the new figure and the reason; then the step's own confirmations
//! and "Lanjut". The old figures stay on record and the list says the step was corrected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use slint::ComponentHandle;
use support::{Kiosk, WITNESSES, init_backend, to_voting};
use tps_firmware::procedure::input::StepInput;
use tps_kiosk_screens::{Screen, StepAdapter};

const BALLOT_COUNT: &str = "8. Hitung surat suara, termasuk cadangan 2%";

#[test]
fn the_ballot_count_is_corrected_with_its_reason_and_the_witnesses_pins() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("09:10");
    let index = 7;
    let before = k.state().completed_step(index).unwrap().clone();
    let (dpr, delivered) = k.ballots()[1].clone();
    assert_eq!(dpr, "DPR");

    // A step whose figures are not correctable says so; the ballot count may be corrected.
    k.tap("Beranda");
    k.tap("1. Persiapan TPS");
    assert!(!k.has("Koreksi"));
    assert_eq!(
        k.value("Alasan Koreksi belum bisa"),
        "'Persiapan TPS' tidak dapat dikoreksi."
    );
    k.tap(BALLOT_COUNT);
    k.tap("Koreksi");
    assert_eq!(k.screen(), Screen::Step);
    let step = k.ui.app.global::<StepAdapter>();
    assert!(step.get_correction());
    assert_eq!(step.get_number(), 8);
    // The figures that stand, ready to change; nothing goes without a reason.
    assert_eq!(k.value("DPR · Dihitung"), delivered.to_string());
    assert!(!k.enabled("Ajukan koreksi"));
    assert_eq!(
        k.value("Alasan Ajukan belum bisa"),
        "Alasan wajib diisi.",
        "the engine's word on a correction without a reason"
    );

    // One DPR ballot was miscounted: the engine asks what was done about the difference.
    k.retype_number("DPR · Dihitung", &(delivered - 1).to_string());
    k.tap("Alasan koreksi");
    k.type_text("Salah hitung DPR");
    assert!(!k.enabled("Ajukan koreksi"));
    k.tap("Tindakan yang dilakukan");
    k.type_text("PPS dihubungi");
    k.tap("PPS sudah dihubungi");
    k.tap_sure("Ajukan koreksi");
    assert_eq!(
        k.notice(),
        "Tersimpan: koreksi diajukan; sekarang konfirmasi dengan PIN."
    );

    // The step's quorum again, then the chair.
    assert!(!k.enabled("Lanjut"));
    k.confirm(&WITNESSES);
    k.complete();
    assert_eq!(k.screen(), Screen::Progress);
    assert_eq!(
        k.notice(),
        "Tersimpan: koreksi Hitung surat suara, termasuk cadangan 2%."
    );
    let after = k.state().completed_step(index).unwrap().clone();
    assert_eq!(after.corrected, vec![before.proposal]);
    let StepInput::BallotCount { counts, .. } = &after.input else {
        panic!("{:?}", after.input);
    };
    assert_eq!(counts[1].counted, delivered - 1);
    assert!(k.shows("dikoreksi 1x"));
    // The step keeps its first completion time; the panel says when it was corrected.
    assert!(k.shows("Langkah 8 · selesai pukul 07:14"));
    k.at("09:40");
    assert!(k.shows("Dikoreksi 1 kali, terakhir pukul 09:10: angka terakhir yang berlaku."));

    // The polls are still open: the day goes on where it was.
    k.tap("Kembali");
    k.tap("Buka langkah sekarang");
    assert_eq!(k.screen(), Screen::Voting);
}
