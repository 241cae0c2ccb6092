//! Numbers, seals and typing by touch (issue 11): the first key in a number field replaces what
//! it held; a count the package cannot hold, an empty seal number and one seal number written
//! twice are refused with the engine's words; free text takes a capital where a sentence starts
//! only; countdowns read "27 menit lagi".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use slint::ComponentHandle;
use support::{Kiosk, WITNESSES, explain_after_oath, init_backend, through_the_oath, to_voting};
use tps_kiosk_screens::IncidentAdapter;

/// A small team through the opening steps, up to the boxes shown empty and locked (07:08).
fn to_locks() -> Kiosk {
    let mut k = Kiosk::new();
    through_the_oath(&mut k);
    explain_after_oath(&k);
    k.at("07:05");
    k.fill_box();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    k.at("07:08");
    k
}

/// Why "Ajukan" cannot be pressed, as the step screen shows it.
fn why_not(k: &Kiosk) -> String {
    assert!(!k.enabled("Ajukan untuk konfirmasi"));
    k.value("Alasan Ajukan belum bisa")
}

#[test]
fn seals_are_named_when_missing_and_refused_when_written_twice() {
    init_backend();
    let k = to_locks();
    let ballots = k.ballots();
    let last = ballots.len() - 1;
    for (i, (code, _)) in ballots.iter().enumerate().take(last) {
        k.tap(&format!("{code} · Nomor segel"));
        k.type_text(&format!("GBK-{}", 100 + i));
    }
    // The last box's seal left empty: the refusal names that box.
    assert_eq!(
        why_not(&k),
        "Nomor segel kotak suara DPRD Kabupaten/Kota wajib diisi."
    );
    // Spaces only are empty too.
    let last_field = format!("{} · Nomor segel", ballots[last].0);
    k.tap(&last_field);
    k.type_text("   ");
    assert!(why_not(&k).starts_with("Nomor segel kotak suara DPRD Kabupaten/Kota"));
    // The first box's number again, in other case and spacing: the same seal (our own choice).
    k.tap(&last_field);
    k.type_text("gbk- 100");
    let why = why_not(&k);
    assert!(
        why.starts_with("Nomor segel gbk- 100 tertulis dua kali: segel kotak suara Presiden"),
        "{why}"
    );
    assert!(
        why.contains("dan segel kotak suara DPRD Kabupaten/Kota"),
        "{why}"
    );
    let records = k.journal().len();
    // A seal number of its own: the step goes on. (A text field keeps its value when opened;
    // only a number field's value is replaced by the first key.)
    k.tap(&last_field);
    for _ in "gbk- 100".chars() {
        k.tap("Hapus");
    }
    k.type_text("GBK-199");
    assert_eq!(k.value(&last_field), "GBK-199");
    k.tap("Ajukan untuk konfirmasi");
    assert!(k.journal().len() > records);
}

#[test]
fn the_first_digit_replaces_a_number_and_an_impossible_count_is_refused() {
    init_backend();
    let k = to_locks();
    k.fill_locks();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    k.at("07:11");
    k.fill_seals();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    k.at("07:14");
    k.fill_counts();
    let (code, delivered) = k.ballots()[0].clone();
    let field = format!("{code} · Dihitung");
    assert_eq!(k.value(&field), delivered.to_string());

    // Reopened, the field's value goes when the first digit is typed: 300, not 302300.
    k.tap(&field);
    k.type_number("300");
    assert_eq!(k.value(&field), "300");
    // Erasing first clears the value as shown, and typing starts afresh.
    k.tap(&field);
    k.tap("Hapus");
    k.type_number("0301");
    assert_eq!(k.value(&field), "301", "a leading zero is dropped");

    // Twenty digits: the keypad keeps six; more than delivered is impossible, not a difference.
    let records = k.journal().len();
    k.tap(&field);
    k.type_number("12345678901234567890");
    assert_eq!(k.value(&field), "123456");
    assert_eq!(
        why_not(&k),
        format!(
            "Surat suara Presiden dan Wakil Presiden dihitung: 123456, padahal yang diterima hanya {delivered} (DPT ditambah cadangan). Angka itu tidak mungkin; periksa dan hitung ulang."
        )
    );
    // A note about what was done does not make it possible.
    k.tap("Tindakan yang dilakukan");
    k.type_text("PPS dihubungi");
    assert!(why_not(&k).contains("tidak mungkin"));
    // One over delivered is impossible too; the right count goes on.
    k.tap(&field);
    k.type_number(&(delivered + 1).to_string());
    assert!(why_not(&k).contains("tidak mungkin"));
    assert_eq!(k.journal().len(), records, "a refused count was recorded");
    k.tap(&field);
    k.type_number(&delivered.to_string());
    k.tap("Tindakan yang dilakukan");
    k.tap("Hapus");
    k.tap("Selesai");
    k.tap("Ajukan untuk konfirmasi");
    assert!(k.journal().len() > records);
}

#[test]
fn free_text_takes_a_capital_where_a_sentence_starts_only() {
    init_backend();
    let k = to_locks();
    k.tap("Kejadian khusus");
    k.tap("Uraian kejadian");
    // A capital to begin with, then small letters, also after a space.
    for key in [
        "S", "e", "g", "e", "l", "spasi", "l", "e", "p", "a", "s", ".", "spasi",
    ] {
        k.tap(key);
    }
    // After the sentence's end and a space, a capital again.
    assert!(k.has("P") && !k.has("p"));
    for key in ["P", "p", "s", "spasi", "d", "i"] {
        k.tap(key);
    }
    k.tap("Selesai");
    assert_eq!(
        k.ui.app.global::<IncidentAdapter>().get_text(),
        "Segel lepas. Pps di"
    );
}

#[test]
fn countdowns_say_how_long_and_sekarang_only_when_due() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("08:32");
    assert!(k.has("Pengumuman pemilih DPK: 3 jam 28 menit lagi"));
    assert!(k.has("Penutupan pemungutan suara: 4 jam 28 menit lagi"));
    k.at("12:33");
    assert!(k.has("Penutupan pemungutan suara: 27 menit lagi"));
    // The DPK announcement is due now; once made it says so.
    assert!(k.has("Pengumuman pemilih DPK: sekarang"));
    k.tap("Umumkan pemilih DPK");
    let chair = k.chair_pin();
    k.pin(&chair);
    assert!(k.has("Pengumuman DPK sudah dilakukan: sudah"));
    assert!(!k.has("Pengumuman DPK sudah dilakukan: sekarang"));
    k.at("12:59");
    k.tap("Bahasa / Language");
    assert!(k.has("Closing the polls: in 1 min"));
}
