//! A whole polling day driven through the screens by touch, as a KPPS chair would: registering
//! everyone, every step with its entries and the witnesses' PINs, voting, the DPK announcement,
//! closing, the queue, and the close-out reconciliation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Kiosk, SAKSI, from_box_to_open_polls, init_backend};

/// Everyone who witnesses here: all are inside, so all respond to every step.
const WITNESSES: [&str; 4] = ["Bu Pengawas", "Saksi Satu", "Saksi Dua", "Saksi Tiga"];
use tps_firmware::procedure::Phase;
use tps_kiosk_screens::Screen;

const OATH_TAKERS: [&str; 8] = [
    "Anggota Dua",
    "Anggota Tiga",
    "Anggota Empat",
    "Anggota Lima",
    "Anggota Enam",
    "Anggota Tujuh",
    "Linmas Satu",
    "Linmas Dua",
];

fn register_everyone(k: &mut Kiosk) {
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    let kpps = ["Dua", "Tiga", "Empat", "Lima", "Enam", "Tujuh"];
    for (i, n) in kpps.iter().enumerate() {
        k.register(
            &format!("Anggota KPPS {}", i + 2),
            None,
            &format!("Anggota {n}"),
            "",
        );
    }
    k.register("Petugas Ketertiban TPS", None, "Linmas Satu", "");
    k.register("Petugas Ketertiban TPS", None, "Linmas Dua", "");
    k.register("Pengawas TPS", None, "Bu Pengawas", "");
    k.register(
        SAKSI,
        Some("1. H. Anies Rasyid Baswedan - Dr. (H.C.) H. A. Muhaimin Iskandar"),
        "Saksi Satu",
        "SM/01/2024",
    );
    k.register(
        SAKSI,
        Some("2. H. Prabowo Subianto - Gibran Rakabuming Raka"),
        "Saksi Dua",
        "SM/02/2024",
    );
    k.register(
        SAKSI,
        Some("3. Partai Demokrasi Indonesia Perjuangan"),
        "Saksi Tiga",
        "SM-PDIP-3",
    );
}

#[test]
fn a_whole_day_by_touch_from_registration_to_close_out() {
    init_backend();
    let mut k = Kiosk::new();
    assert_eq!(k.screen(), Screen::SelfCheck);
    k.tap("Mulai");
    assert_eq!(k.screen(), Screen::Progress);

    register_everyone(&mut k);
    let state = k.state();
    assert_eq!(state.people.len(), 13);
    assert!(state.people.iter().all(|p| p.present));

    // 1. Preparation: every item present.
    k.open_current_step();
    assert_eq!(k.screen(), Screen::Step);
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    assert!(k.enabled("Lanjut"));
    k.complete();
    assert_eq!(k.state().completed.len(), 1);
    assert_eq!(k.notice(), "Tersimpan: Persiapan TPS.");

    // 2. Attendance: already taken; nothing to fill in.
    k.at("06:15");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();

    // 3. The oath at 07:00: every KPPS member and security staff member confirms.
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    assert!(!k.enabled("Lanjut"));
    k.confirm(&OATH_TAKERS);
    k.complete();

    // 4 to 9. The box opened and counted, shown empty and locked, the envelope seals, the
    // ballots counted with the reserve, the explanations, the polls opened.
    from_box_to_open_polls(&mut k, &WITNESSES);
    assert_eq!(k.phase(), Phase::Voting);
    assert_eq!(k.screen(), Screen::Voting);
    assert!(!k.enabled("Umumkan pemilih DPK"));
    assert!(!k.enabled("Tutup pemungutan suara"));

    // The DPK announcement at 12:00.
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    let chair = k.chair_pin();
    k.pin(&chair);
    assert!(k.state().dpk_announced_ms.is_some());

    // 10. Closing at 13:00 with three voters still queuing; then the last of them has voted.
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    assert_eq!(k.screen(), Screen::Step);
    k.tap("Pemilih yang masih antre");
    k.type_number("3");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    assert_eq!(k.phase(), Phase::Queue);
    assert_eq!(k.screen(), Screen::Voting);
    k.at("13:10");
    k.tap("Pemilih terakhir sudah memilih");
    k.pin(&chair);
    assert_eq!(k.phase(), Phase::CloseOut);
    assert_eq!(k.screen(), Screen::Step);

    // 11. Close-out: 210 DPT voters, 3 DPTb, 1 DPK; 2 damaged ballots per type.
    k.at("13:30");
    k.fill_close_out(|_, delivered| delivered - 214 - 2);
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    // Nothing to record all day: "Lanjut" waits for the chair's NIHIL (seed 004 line 58).
    assert!(!k.enabled("Lanjut"));
    assert!(k.value("Alasan Lanjut belum bisa").contains("NIHIL"));
    k.tap("Konfirmasi NIHIL");
    k.pin(&chair);
    assert!(k.state().nihil_ms.is_some());
    assert!(!k.has("Konfirmasi NIHIL"));
    k.complete();

    // The close-out done, the count is next: the PPWP box's step opens.
    let state = k.state();
    assert_eq!(state.phase(), Phase::Counting);
    assert_eq!(
        state.current_spec().map(|s| s.id.as_str()),
        Some("kotak-ppwp")
    );
    assert!(state.incidents.is_empty(), "{:?}", state.incidents);
    assert_eq!(k.screen(), Screen::Step);
    assert_eq!(
        k.notice(),
        "Tersimpan: Penggunaan surat suara dan kehadiran pemilih."
    );
}
