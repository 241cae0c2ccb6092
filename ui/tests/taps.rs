//! How many taps the day of `hal-sim/scenarios/full-day.toml` takes through the window: the
//! same people, steps, figures, confirmations and prints, made by touch with the on-screen
//! keyboard and keypad only (every key is a tap). The count is printed, for the note on issue 11.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Kiosk, SAKSI, init_backend};
use tps_firmware::procedure::Phase;

/// Who confirms the oath in the scenario: the KPPS members and the security staff.
const OATH_TAKERS: [&str; 7] = [
    "Budi Santoso",
    "Dewi Lestari",
    "Agus Salim",
    "Rina Wulandari",
    "Joko Prasetyo",
    "Yanti Kusuma",
    "Pak Linmas Ujang",
];

/// The witnesses of every step from the box on.
const WITNESSES: [&str; 4] = [
    "Hendra Gunawan",
    "Saksi Paslon 02 Rahmat",
    "Saksi PDIP Wati",
    "Saksi PKS Fajar",
];

/// An observer or journalist: name, letter and the identity number they hand over.
fn register_with_id(k: &mut Kiosk, role: &str, name: &str, letter: &str, id_number: &str) {
    k.tap("Daftarkan orang");
    k.tap("Peran");
    k.tap(role);
    k.tap("Nama");
    k.type_text(name);
    k.tap("Nomor surat mandat/tugas");
    k.type_text(letter);
    k.tap("Nomor identitas (NIK KTP atau kartu pers)");
    k.type_text(id_number);
    k.tap("Buat PIN");
    let pin = support::PINS[k.people.len()].to_string();
    k.pin(&pin);
    k.pin(&pin);
    let chair = k.chair_pin();
    k.pin(&chair);
    assert_eq!(k.notice(), format!("Tersimpan: {name} terdaftar."));
    k.people.push((name.to_string(), pin));
}

/// Each step from the box to the open polls, as the scenario times them.
fn opening(k: &Kiosk) {
    for (at, fill) in [
        ("07:04", Kiosk::fill_box as fn(&Kiosk)),
        ("07:08", Kiosk::fill_locks),
        ("07:12", Kiosk::fill_seals),
        ("07:16", Kiosk::fill_counts),
    ] {
        k.at(at);
        fill(k);
        k.tap("Ajukan untuk konfirmasi");
        k.confirm(&WITNESSES);
        k.complete();
    }
    k.at("07:22");
    k.tick_topics();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:25");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
}

#[test]
fn the_full_day_scenario_by_touch_counts_its_taps() {
    init_backend();
    let mut k = Kiosk::new();
    k.at("05:45");
    k.tap("Mulai");
    k.tap("Daftarkan Ketua KPPS");
    // The register form opens with the chair's role chosen.
    k.tap("Nama");
    k.type_text("Siti Aminah");
    k.tap("Buat PIN");
    let pin = support::PINS[0];
    k.pin(pin);
    k.pin(pin);
    k.people.push(("Siti Aminah".into(), pin.into()));
    for (n, name) in OATH_TAKERS.iter().take(6).enumerate() {
        k.register(&format!("Anggota KPPS {}", n + 2), None, name, "");
    }
    k.register("Petugas Ketertiban TPS", None, "Pak Linmas Ujang", "");
    k.open_current_step();
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();

    k.at("06:20");
    k.tap("Buka daftar hadir");
    k.register("Pengawas TPS", None, "Hendra Gunawan", "");
    for (participant, name, letter) in [
        (
            "2. H. Prabowo Subianto - Gibran Rakabuming Raka",
            "Saksi Paslon 02 Rahmat",
            "SM/02/TPS007/2024",
        ),
        (
            "3. Partai Demokrasi Indonesia Perjuangan",
            "Saksi PDIP Wati",
            "SM-PDIP/3273/077",
        ),
        (
            "8. Partai Keadilan Sejahtera",
            "Saksi PKS Fajar",
            "MANDAT/PKS/0931",
        ),
    ] {
        k.register(SAKSI, Some(participant), name, letter);
    }
    register_with_id(
        &mut k,
        "Pemantau",
        "Pemantau JPPR Lina",
        "ST/JPPR/II/2024/12",
        "3171016502880004",
    );
    register_with_id(
        &mut k,
        "Pewarta",
        "Pewarta Kompas Dimas",
        "ST/KOMPAS/II/2024/03",
        "PWI-0912.3317",
    );
    k.tap("Kembali ke langkah");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();

    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&OATH_TAKERS);
    k.complete();
    k.tick_topics();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    opening(&k);
    assert_eq!(k.phase(), Phase::Voting);

    k.tap("Cetak laporan pembukaan");
    k.tap_sure("Cetak sekarang");
    k.tap("Kembali");
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    k.pin(&k.chair_pin());
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("4");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    assert_eq!(k.phase(), Phase::Queue);
    k.at("13:12");
    k.tap("Pemilih terakhir sudah memilih");
    k.pin(&k.chair_pin());

    // The close-out with the scenario's figures; NIHIL; the closing report.
    k.at("13:30");
    let damaged = |code: &str| match code {
        "PPWP" => 1,
        "DPD" => 2,
        _ => 0,
    };
    for (code, delivered) in k.ballots() {
        let used = 118 + 131 + 2 + 1 + 1 + 1;
        for (cell, n) in [
            ("Digunakan", used),
            ("Tidak digunakan", delivered - used - damaged(&code)),
            ("Rusak atau keliru coblos", damaged(&code)),
            ("Diterima pemilih DPTb", 3),
        ] {
            k.tap(&format!("{code} · {cell}"));
            k.type_number(&n.to_string());
        }
    }
    for (list, male, female) in [
        ("DPT (daftar pemilih tetap)", 118, 131),
        ("DPTb (pemilih pindahan)", 2, 1),
        ("DPK (daftar pemilih khusus)", 1, 1),
        ("Pemilih penyandang disabilitas", 2, 1),
    ] {
        k.tap(&format!("{list} · Laki-laki"));
        k.type_number(&male.to_string());
        k.tap(&format!("{list} · Perempuan"));
        k.type_number(&female.to_string());
    }
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.tap("Konfirmasi NIHIL");
    k.pin(&k.chair_pin());
    k.complete();
    assert_eq!(k.phase(), Phase::Counting);
    k.tap("Beranda");
    k.tap("Cetak laporan penutupan");
    k.tap_sure("Cetak sekarang");
    assert!(
        k.hw.printer
            .receipt_texts()
            .iter()
            .any(|t| t.contains("LAPORAN PENUTUPAN"))
    );
    let before_count = k.taps.get();

    // The count, as the scenario times it: each box opened and counted, every vote typed.
    k.tap("Kembali");
    k.tap("Buka langkah sekarang");
    for i in 0..k.ballots().len() {
        for fill in [Kiosk::fill_box_open as fn(&Kiosk, usize), Kiosk::fill_count] {
            fill(&k, i);
            k.tap("Ajukan untuk konfirmasi");
            k.confirm(&WITNESSES);
            k.complete();
        }
        // Its C.Hasil, a copy for each saksi and the Pengawas TPS.
        k.tap("Beranda");
        k.tap("Cetak C.Hasil");
        k.tap_sure("Cetak sekarang");
        k.tap("Kembali");
        k.tap("Buka langkah sekarang");
    }
    let code = k.ballots()[4].0.to_uppercase();
    assert!(
        k.hw.printer
            .receipt_texts()
            .iter()
            .any(|t| t.contains(&format!("C.HASIL {code}")))
    );
    k.fill_sealing();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    k.tap("Nama petugas PPS penerima");
    k.type_text("Asep Hidayat");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    assert_eq!(k.phase(), Phase::Finished);

    let taps = k.taps.get();
    println!(
        "the full-day scenario by touch: {taps} taps, of which the count, the seals and the \
         hand-over {}",
        taps - before_count
    );
    // Every person and PIN typed key by key: far more than the scenario's 57 events, and the
    // issue's first walk took about 1,100.
    assert!(taps > 57 * 5, "{taps}");
}
