//! Each PIN says what it signs; a consequential action asks once more; the confirmer list holds
//! its order and says why someone's confirmation does not count; the waiting screen takes a late
//! witness and leaves by itself once the witnesses are complete (issue 11). Both languages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use slint::{ComponentHandle, Model as _};
use support::{Kiosk, PINS, SAKSI, explain_after_oath, init_backend, to_voting};
use tps_firmware::event::{RecordBody, ReportKind};
use tps_firmware::procedure::Refusal;
use tps_firmware::procedure::view::preview_confirmation;
use tps_kiosk_screens::{AskAdapter, PickerAdapter, Screen};

const PRABOWO: &str = "2. H. Prabowo Subianto - Gibran Rakabuming Raka";

/// What the PIN pad says the PIN signs (its label in either language).
fn signs(k: &Kiosk) -> String {
    [k.value("PIN ini untuk"), k.value("This PIN is for")].concat()
}

/// What the "Yakin?" dialog says will be done.
fn asked(k: &Kiosk) -> String {
    [k.value("Yang akan dilakukan"), k.value("What will be done")].concat()
}

/// A PIN typed in English: the screen taken if it is handed over, the digits, "OK".
fn pin_en(k: &Kiosk, pin: &str) {
    if k.has("I am holding the screen") {
        k.tap("I am holding the screen");
    }
    for d in pin.chars() {
        k.tap(&d.to_string());
    }
    k.tap("OK");
}

/// The names the picker lists, in order, with whether each may be chosen and why not.
fn picker(k: &Kiosk) -> Vec<(String, bool, String)> {
    let choices = k.ui.app.global::<PickerAdapter>().get_choices();
    choices
        .iter()
        .map(|c| (c.label.to_string(), c.enabled, c.detail.to_string()))
        .collect()
}

fn id_of(k: &Kiosk, name: &str) -> tps_firmware::procedure::people::PersonId {
    k.state()
        .people
        .iter()
        .find(|p| p.name.as_str() == name)
        .unwrap()
        .id
}

/// The chair, a KPPS member, the Pengawas TPS and a saksi; the oath proposed at 07:00.
fn at_the_oath() -> Kiosk {
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.register("Anggota KPPS 2", None, "Budi Santoso", "");
    k.register("Pengawas TPS", None, "Bu Pengawas", "");
    k.register(SAKSI, Some(PRABOWO), "Saksi Satu", "SM/01/2024");
    k.open_current_step();
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("06:20");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    k
}

#[test]
fn the_oath_pin_names_the_step_and_a_saksi_is_told_why_their_confirmation_does_not_count() {
    init_backend();
    let k = at_the_oath();
    let oath = k.state().step_title(2);
    k.tap("Konfirmasi");
    let before = picker(&k);
    let names: Vec<&str> = before.iter().map(|(n, _, _)| n.as_str()).collect();
    // Everyone but the chair (who confirms with "Lanjut"), in the order registered.
    assert_eq!(names, ["Budi Santoso", "Bu Pengawas", "Saksi Satu"]);
    assert!(before[0].1, "{before:?}");
    // A saksi on the oath: greyed, with the engine's reason.
    assert!(!before[2].1);
    assert_eq!(
        before[2].2,
        format!(
            "Konfirmasi Saksi Satu (Saksi 2. H. Prabowo Subianto - Gibran Rakabuming Raka) tidak dihitung untuk '{}': langkah ini dikonfirmasi oleh peran lain.",
            oath.id
        )
    );
    assert!(!k.enabled("Saksi Satu"));
    assert!(matches!(
        preview_confirmation(&k.state(), id_of(&k, "Saksi Satu")),
        Err(Refusal::ConfirmationDoesNotCount { .. })
    ));

    k.tap("Budi Santoso");
    assert_eq!(
        signs(&k),
        format!("Budi Santoso mengonfirmasi Langkah 3: {}", oath.id)
    );
    k.pin(PINS[1]);
    assert_eq!(k.notice(), "Tersimpan: konfirmasi.");
    assert!(
        !k.enabled("Konfirmasi"),
        "nobody left whose confirmation counts"
    );

    // In English: what the chair's PIN signs.
    k.tap("Bahasa / Language");
    k.tap("Next");
    assert_eq!(
        signs(&k),
        format!("Ibu Ketua completes step 3: {}", oath.en)
    );
    k.pin(PINS[0]);
    assert_eq!(k.state().completed.len(), 3);
}

#[test]
fn a_kpps_member_does_not_count_on_a_witnessed_step_and_the_list_holds_its_order_in_english() {
    init_backend();
    let k = at_the_oath();
    k.confirm(&["Budi Santoso"]);
    k.complete();
    explain_after_oath(&k);
    k.at("07:05");
    k.fill_box();
    k.tap("Ajukan untuk konfirmasi");
    k.tap("Bahasa / Language");
    k.tap("Confirm");
    let list = picker(&k);
    let budi = list.iter().find(|(n, _, _)| n == "Budi Santoso").unwrap();
    assert!(!budi.1);
    assert!(
        budi.2
            .starts_with("Budi Santoso's confirmation (KPPS member 2) does not count for"),
        "{}",
        budi.2
    );
    assert!(list.iter().any(|(n, ok, _)| n == "Bu Pengawas" && *ok));
    k.tap("Bu Pengawas");
    let title = k.state().step_title(4);
    assert_eq!(
        signs(&k),
        format!("Bu Pengawas confirms step 5: {}", title.en)
    );
    pin_en(&k, PINS[2]);
    assert_eq!(k.notice(), "Saved: confirmation.");
    // The list keeps its order: the Pengawas stays where they were, ticked and greyed.
    k.tap("Confirm");
    let after = picker(&k);
    let names = |l: &[(String, bool, String)]| l.iter().map(|c| c.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&after), names(&list));
    let pengawas = after.iter().find(|(n, _, _)| n == "Bu Pengawas").unwrap();
    assert_eq!(
        (pengawas.1, pengawas.2.as_str()),
        (false, "✓ Bu Pengawas has already confirmed.")
    );
    assert!(after.iter().any(|(n, ok, _)| n == "Saksi Satu" && *ok));
    // Ticked (drawn as done), not as a refusal; only the one who confirmed.
    let done: Vec<bool> =
        k.ui.app
            .global::<PickerAdapter>()
            .get_choices()
            .iter()
            .map(|c| c.done)
            .collect();
    let expected: Vec<bool> = names(&after).iter().map(|n| n == "Bu Pengawas").collect();
    assert_eq!(done, expected);
}

#[test]
fn registering_and_leaving_say_who_records_whom_and_leaving_asks_once_more() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    // A new person: their own PIN, then the chair's, each saying what it is for.
    k.tap("Daftarkan orang");
    k.tap("Peran");
    k.tap("Pengawas TPS");
    k.tap("Nama");
    k.type_text("Bu Pengawas");
    k.tap("Buat PIN");
    assert_eq!(signs(&k), "Bu Pengawas memilih PIN sebagai Pengawas TPS");
    k.pin(PINS[1]);
    k.pin(PINS[1]);
    assert_eq!(
        signs(&k),
        "Ketua KPPS mendaftarkan Bu Pengawas sebagai Pengawas TPS"
    );
    k.pin(PINS[0]);
    assert_eq!(k.notice(), "Tersimpan: Bu Pengawas terdaftar.");

    // "Keluar" asks once more, saying what it records; "Tidak" records nothing.
    let records = k.journal().len();
    k.tap("Keluar: Bu Pengawas");
    assert!(k.ui.app.global::<AskAdapter>().get_shown());
    assert!(
        asked(&k).starts_with("Bu Pengawas (Pengawas TPS) dicatat keluar dari TPS."),
        "{}",
        asked(&k)
    );
    k.tap("Tidak, kembali");
    assert!(!k.ui.app.global::<AskAdapter>().get_shown());
    assert_eq!(k.journal().len(), records);
    assert!(k.state().people[1].present);
    k.tap("Keluar: Bu Pengawas");
    k.tap("Ya, catat keluar");
    assert_eq!(signs(&k), "Ketua KPPS mencatat bahwa Bu Pengawas keluar");
    k.pin(PINS[0]);
    assert!(!k.state().people[1].present);

    // In English, coming back in.
    k.tap("Bahasa / Language");
    k.tap("Enters: Bu Pengawas");
    assert_eq!(
        signs(&k),
        "The KPPS chair records that Bu Pengawas comes in"
    );
    pin_en(&k, PINS[0]);
    assert!(k.state().people[1].present);
    k.tap("Leaves: Bu Pengawas");
    assert!(
        asked(&k).starts_with(
            "Bu Pengawas (TPS supervisor (Pengawas TPS)) is recorded as leaving the TPS."
        ),
        "{}",
        asked(&k)
    );
    k.tap("No, go back");
    assert!(k.state().people[1].present);
}

/// The journal's prints.
fn prints(k: &Kiosk) -> usize {
    k.journal()
        .into_iter()
        .filter(|r| matches!(r.body, RecordBody::ReportPrinted { .. }))
        .count()
}

#[test]
fn printing_asks_once_more_saying_which_print_it_is() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("07:31");
    k.tap("Cetak laporan pembukaan");
    k.tap("Cetak sekarang");
    assert_eq!(
        asked(&k),
        "Mencetak laporan pembukaan (cetakan ke-1); cetakan ini dicatat di jurnal."
    );
    k.tap("Tidak, kembali");
    assert_eq!(prints(&k), 0);
    assert!(k.hw.printer.receipt_texts().is_empty());
    k.tap_sure("Cetak sekarang");
    assert_eq!(prints(&k), 1);
    k.tap("Bahasa / Language");
    k.tap("Print now");
    assert_eq!(
        asked(&k),
        "Prints the opening report (print number 2); the print is recorded in the journal."
    );
    k.tap("Yes, print");
    assert_eq!(prints(&k), 2);
    assert_eq!(
        k.state().reports.last().map(|r| r.1),
        Some(ReportKind::Opening)
    );
}

/// Registers a late witness from the waiting screen: role (and participant), name, their PIN
/// twice, the chair's; back on the waiting screen.
fn register_from_waiting(k: &mut Kiosk, role: &str, participant: Option<&str>, name: &str) {
    k.tap("Daftarkan saksi yang datang");
    assert_eq!(k.screen(), Screen::Register);
    k.tap("Peran");
    k.tap(role);
    if let Some(p) = participant {
        k.tap(p);
    }
    k.tap("Nama");
    k.type_text(name);
    if participant.is_some() {
        k.tap("Nomor surat mandat/tugas");
        k.type_text("SM/09/2024");
    }
    k.tap("Buat PIN");
    let pin = PINS[k.people.len()].to_string();
    k.pin(&pin);
    k.pin(&pin);
    let chair = k.chair_pin();
    k.pin(&chair);
    assert_eq!(k.notice(), format!("Tersimpan: {name} terdaftar."));
    k.people.push((name.to_string(), pin));
    assert_eq!(k.screen(), Screen::Waiting, "back to the wait");
}

#[test]
fn the_waiting_screen_takes_late_witnesses_and_leaves_by_itself_once_they_are_complete() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.open_current_step();
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("06:20");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    explain_after_oath(&k);
    k.at("07:05");
    k.fill_box();
    k.tap("Ajukan untuk konfirmasi");
    k.tap("Menunggu saksi (aturan 30 menit)");
    assert_eq!(k.screen(), Screen::Waiting);

    // The Pengawas TPS arrives: registered from here, confirms from here; one more is missing.
    k.at("07:10");
    register_from_waiting(&mut k, "Pengawas TPS", None, "Bu Pengawas");
    k.tap("Konfirmasi saksi yang datang");
    k.tap("Bu Pengawas");
    k.pin(PINS[1]);
    assert_eq!(k.notice(), "Tersimpan: konfirmasi.");
    assert_eq!(k.screen(), Screen::Waiting, "still one witness short");

    // A saksi arrives; in English they confirm, and the wait is over by itself.
    k.at("07:15");
    register_from_waiting(&mut k, SAKSI, Some(PRABOWO), "Saksi Satu");
    k.tap("Bahasa / Language");
    k.tap("Confirm a witness who came");
    k.tap("Saksi Satu");
    pin_en(&k, PINS[2]);
    assert_eq!(k.notice(), "Saved: confirmation.");
    assert_eq!(
        k.screen(),
        Screen::Step,
        "the waiting screen left by itself"
    );
    assert!(k.enabled("Next"));
    k.tap("Next");
    let box_title = k.state().step_title(4);
    assert_eq!(
        signs(&k),
        format!("Ibu Ketua completes step 5: {}", box_title.en)
    );
    k.pin(PINS[0]);
    assert_eq!(k.state().completed.len(), 5);
}

#[test]
fn going_on_without_witnesses_asks_once_more_with_what_is_missing() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.open_current_step();
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("06:20");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    explain_after_oath(&k);
    k.at("07:05");
    k.fill_box();
    k.tap("Ajukan untuk konfirmasi");
    k.tap("Menunggu saksi (aturan 30 menit)");
    k.at("07:30");
    let title = k.state().step_title(4);
    k.tap("Lanjut tanpa saksi yang tidak hadir");
    let what = asked(&k);
    assert!(
        what.starts_with(&format!(
            "'{}' diselesaikan tanpa saksi yang tidak hadir. Tidak hadir: 2 saksi/pengawas lagi.",
            title.id
        )),
        "{what}"
    );
    assert!(what.ends_with("Ketidakhadiran mereka dicatat sebagai kejadian khusus."));
    k.tap("Tidak, kembali");
    assert_eq!(k.state().completed.len(), 4);
    k.tap("Bahasa / Language");
    k.tap("Go on without the absent witnesses");
    assert!(asked(&k).starts_with(&format!(
        "'{}' is completed without the witnesses who are absent.",
        title.en
    )));
    k.tap("Yes, go on without them");
    assert_eq!(
        signs(&k),
        format!(
            "Ibu Ketua completes step 5: {} without the absent witnesses",
            title.en
        )
    );
    k.pin(PINS[0]);
    assert_eq!(k.state().completed.len(), 5);
}
