//! Nothing that can be tapped moves while a screen is shown (issue 11): the screens are driven
//! through their states by touch (each digit typed, each confirmation, a notice shown and gone)
//! and every button's place and size is compared with where it was first seen on the same
//! screen (the same step, the same overlay).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, HashMap};

use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use slint::{ComponentHandle, Model};
use support::{Kiosk, WITNESSES, explain_after_oath, init_backend, through_the_oath, to_voting};
use tps_kiosk_screens::{
    AskAdapter, EditorAdapter, PickerAdapter, PinAdapter, Screen, Shell, StepAdapter,
};

/// A button's place and size on the window, in logical pixels.
type Rect = (i32, i32, i32, i32);

/// Where each button of each screen was first seen.
#[derive(Default)]
struct Watch {
    seen: HashMap<String, BTreeMap<(String, usize), Rect>>,
    looks: usize,
}

impl Watch {
    /// Which screen is shown: the screen, its step, and what covers it.
    fn screen(k: &Kiosk) -> String {
        let app = &k.ui.app;
        let step = if k.screen() == Screen::Step {
            app.global::<StepAdapter>().get_number()
        } else {
            0
        };
        let pin = app.global::<PinAdapter>();
        let overlay = if app.global::<AskAdapter>().get_shown() {
            "ask".to_string()
        } else if pin.get_shown() {
            format!("pin {} {}", pin.get_stage(), pin.get_purpose())
        } else if app.global::<PickerAdapter>().get_shown() {
            "picker".to_string()
        } else {
            format!("editor {}", app.global::<EditorAdapter>().get_mode())
        };
        let lang = if app.global::<Shell>().get_english() {
            "en"
        } else {
            "id"
        };
        format!("{:?} {step} {overlay} {lang}", k.screen())
    }

    /// The buttons on the window now (those in view), the lists scrolled to their top (as
    /// after a tap that scrolled them, the chair sees them again from the top) or `where_it_is`.
    fn buttons(k: &Kiosk, where_it_is: bool) -> BTreeMap<(String, usize), Rect> {
        if !where_it_is {
            k.scroll_to_top();
        }
        let mut out = BTreeMap::new();
        let mut counts: HashMap<String, usize> = HashMap::new();
        for e in ElementQuery::from_root(&k.ui.app)
            .match_descendants()
            .match_accessible_role(AccessibleRole::Button)
            .find_all()
        {
            let size = e.size();
            if size.width < 1.0 || size.height < 1.0 {
                continue;
            }
            let label = e
                .accessible_label()
                .map(|l| l.to_string())
                .unwrap_or_default();
            let n = counts.entry(label.clone()).or_default();
            let at = e.absolute_position();
            out.insert(
                (label, *n),
                (
                    at.x.round() as i32,
                    at.y.round() as i32,
                    size.width.round() as i32,
                    size.height.round() as i32,
                ),
            );
            *n += 1;
        }
        out
    }

    /// Compares every button on the window with where it was first seen on this screen.
    fn look(&mut self, k: &Kiosk, after: &str) {
        self.compare(k, after, false);
    }

    /// As [`Watch::look`], with the lists left where the chair has scrolled them: what is in
    /// view there is compared with where it was first seen at that place.
    fn look_here(&mut self, k: &Kiosk, after: &str) {
        self.compare(k, after, true);
    }

    fn compare(&mut self, k: &Kiosk, after: &str, where_it_is: bool) {
        self.looks += 1;
        let mut screen = Self::screen(k);
        if where_it_is {
            screen.push_str(" (scrolled)");
        }
        let now = Self::buttons(k, where_it_is);
        let seen = self.seen.entry(screen.clone()).or_default();
        for (key, rect) in now {
            let first = *seen.entry(key.clone()).or_insert(rect);
            assert_eq!(
                first,
                rect,
                "on {screen}, the button {:?} moved or changed size after {after:?} \
                 (notice: {:?})",
                key.0,
                k.notice()
            );
        }
    }

    /// Taps `label`, then looks.
    fn tap(&mut self, k: &Kiosk, label: &str) {
        k.tap(label);
        self.look(k, label);
    }

    /// Types `digits` on the keypad one by one, then "Selesai", looking after each.
    fn number(&mut self, k: &Kiosk, digits: &str) {
        for d in digits.chars() {
            self.tap(k, &d.to_string());
        }
        self.tap(k, "Selesai");
    }

    /// `name` confirms with their PIN; the "Tersimpan" notice shows, then is closed.
    fn confirm(&mut self, k: &Kiosk, name: &str) {
        self.tap(k, "Konfirmasi");
        self.tap(k, name);
        self.tap(k, "Saya sudah memegang layar");
        let pin = k.pin_of(name);
        self.number_ok(k, &pin);
        assert_eq!(k.notice(), "Tersimpan: konfirmasi.", "{name} confirming");
        self.tap(k, "Tutup pesan");
    }

    /// As [`Watch::confirm`], with the screen in English.
    fn confirm_en(&mut self, k: &Kiosk, name: &str) {
        self.tap(k, "Confirm");
        self.tap(k, name);
        self.tap(k, "I am holding the screen");
        let pin = k.pin_of(name);
        self.number_ok(k, &pin);
        assert_eq!(k.notice(), "Saved: confirmation.", "{name} confirming");
        self.tap(k, "Close the message");
    }

    /// Types a PIN one digit at a time, then "OK".
    fn number_ok(&mut self, k: &Kiosk, digits: &str) {
        for d in digits.chars() {
            self.tap(k, &d.to_string());
        }
        self.tap(k, "OK");
    }
}

#[test]
fn the_step_screen_holds_still_while_typing_confirming_and_saying_saved() {
    init_backend();
    let mut k = Kiosk::new();
    through_the_oath(&mut k);
    explain_after_oath(&k);
    k.at("07:05");
    let mut w = Watch::default();
    w.look(&k, "opening the box step");
    for (item, count) in k.equipment(tps_firmware::procedure::spec::Stage::Box) {
        w.tap(&k, &format!("{item} · Jumlah"));
        w.number(&k, &count.to_string());
    }
    w.tap(&k, "Ajukan untuk konfirmasi");
    assert!(k.notice().starts_with("Tersimpan"), "{}", k.notice());
    w.tap(&k, "Tutup pesan");
    w.confirm(&k, WITNESSES[0]);
    // The same in English: the other witnesses confirm.
    w.tap(&k, "Bahasa / Language");
    for name in &WITNESSES[1..] {
        w.confirm_en(&k, name);
    }
    assert!(k.enabled("Next"));
    assert!(w.looks > 40, "{} looks", w.looks);
}

/// From a fresh kiosk to the close-out at 13:30 (three voters were still queuing at 13:00),
/// every field of it empty.
fn to_close_out(k: &mut Kiosk) {
    to_voting(k);
    let chair = k.chair_pin();
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    k.pin(&chair);
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("3");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    k.at("13:10");
    k.tap("Pemilih terakhir sudah memilih");
    k.pin(&chair);
    k.at("13:30");
    assert_eq!(k.screen(), Screen::Step);
}

/// The engine's note on the close-out's row of the ballot type `code`, as the screen has it.
fn note_of(k: &Kiosk, code: &str) -> String {
    let rows = k.ui.app.global::<StepAdapter>().get_rows();
    rows.iter()
        .find(|r| r.kind == 3 && r.code == code)
        .map(|r| r.note.to_string())
        .unwrap()
}

#[test]
fn the_close_out_holds_still_while_its_counts_are_typed() {
    init_backend();
    let mut k = Kiosk::new();
    to_close_out(&mut k);
    let mut w = Watch::default();
    w.look(&k, "opening the close-out");
    for (code, delivered) in k.ballots() {
        for (cell, n) in [
            ("Digunakan", 214),
            ("Tidak digunakan", delivered - 214 - 2),
            ("Rusak atau keliru coblos", 2),
            ("Diterima pemilih DPTb", 3),
        ] {
            w.tap(&k, &format!("{code} · {cell}"));
            w.number(&k, &n.to_string());
        }
    }
    for (list, male, female) in [
        ("DPT (daftar pemilih tetap)", 100, 110),
        ("DPTb (pemilih pindahan)", 2, 1),
        ("DPK (daftar pemilih khusus)", 1, 0),
        ("Pemilih penyandang disabilitas", 1, 2),
    ] {
        w.tap(&k, &format!("{list} · Laki-laki"));
        w.number(&k, &male.to_string());
        w.tap(&k, &format!("{list} · Perempuan"));
        w.number(&k, &female.to_string());
    }
    w.tap(&k, "Ajukan untuk konfirmasi");
    w.tap(&k, "Tutup pesan");
    for name in WITNESSES {
        w.confirm(&k, name);
    }
    assert!(w.looks > 100, "{} looks", w.looks);
}

#[test]
fn the_close_out_keeps_room_for_its_notes_so_nothing_moves_when_one_comes_or_goes() {
    init_backend();
    let mut k = Kiosk::new();
    k.ui.app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    to_close_out(&mut k);
    let ballots = k.ballots();
    let (first, delivered) = ballots[0].clone();
    let (next, _) = ballots[1].clone();
    let unused = delivered - 214 - 2;
    // Every figure right but the first ballot type's unused ones, typed last: the engine
    // checks the close-out once every figure is there.
    for (list, male, female) in [
        ("DPT (daftar pemilih tetap)", 100, 110),
        ("DPTb (pemilih pindahan)", 2, 1),
        ("DPK (daftar pemilih khusus)", 1, 0),
        ("Pemilih penyandang disabilitas", 1, 2),
    ] {
        k.tap(&format!("{list} · Laki-laki"));
        k.type_number(&male.to_string());
        k.tap(&format!("{list} · Perempuan"));
        k.type_number(&female.to_string());
    }
    for (code, delivered) in &ballots {
        for (cell, n) in [
            ("Digunakan", 214),
            ("Tidak digunakan", delivered - 214 - 2),
            ("Rusak atau keliru coblos", 2),
            ("Diterima pemilih DPTb", 3),
        ] {
            if *code == first && cell == "Tidak digunakan" {
                continue;
            }
            k.tap(&format!("{code} · {cell}"));
            k.type_number(&n.to_string());
        }
    }
    assert_eq!(note_of(&k, &first), "");
    // The chair's way to the one field left: the form scrolls its row to the top, the next
    // row's fields below it, and the keypad opens on it.
    let mut w = Watch::default();
    k.tap("Ke isian kosong pertama");
    slint::platform::update_timers_and_animations();
    k.tap("Batal");
    w.look_here(&k, "the form scrolled to the first empty field");
    let in_view = |w: &Watch| {
        w.seen
            .values()
            .flat_map(|b| b.keys())
            .any(|(label, _)| *label == format!("{next} · Digunakan"))
    };
    assert!(in_view(&w), "the next row is in view");
    // One too many, digit by digit: the note comes under the row; the next row's fields and
    // every button stay where they were.
    let typing = |w: &mut Watch, n: u32| {
        k.tap(&format!("{first} · Tidak digunakan"));
        w.look_here(&k, "the keypad opened");
        for d in n.to_string().chars() {
            k.tap(&d.to_string());
            w.look_here(&k, &d.to_string());
        }
        k.tap("Selesai");
        w.look_here(&k, "Selesai");
    };
    typing(&mut w, unused + 1);
    let note = note_of(&k, &first);
    assert!(
        note.contains(&format!(
            "= {}, bukan {delivered} yang diterima",
            delivered + 1
        )),
        "{note:?}"
    );
    // Put right: the note goes, and nothing moves back.
    typing(&mut w, unused);
    assert_eq!(note_of(&k, &first), "");
    assert!(k.enabled("Ajukan untuk konfirmasi"));
    assert!(w.looks > 5, "{} looks", w.looks);
}

#[test]
fn the_registration_attendance_and_waiting_screens_hold_still() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    let mut w = Watch::default();
    w.look(&k, "the attendance list");
    // A registration, typed key by key, its PINs digit by digit.
    w.tap(&k, "Daftarkan orang");
    w.tap(&k, "Peran");
    w.tap(&k, "Pengawas TPS");
    w.tap(&k, "Nama");
    for ch in "Bu Pengawas".chars() {
        let key = if ch == ' ' {
            "spasi".to_string()
        } else {
            ch.to_string()
        };
        if !k.has(&key) {
            w.tap(&k, "Huruf besar");
        }
        w.tap(&k, &key);
    }
    w.tap(&k, "Selesai");
    w.tap(&k, "Buat PIN");
    w.tap(&k, "Saya sudah memegang layar");
    w.number_ok(&k, support::PINS[1]);
    w.number_ok(&k, support::PINS[1]);
    w.tap(&k, "Saya sudah memegang layar");
    w.number_ok(&k, support::PINS[0]);
    assert_eq!(k.notice(), "Tersimpan: Bu Pengawas terdaftar.");
    w.tap(&k, "Tutup pesan");
    // "Keluar" asks once more; "Tidak" leaves everything where it was.
    w.tap(&k, "Keluar: Bu Pengawas");
    w.tap(&k, "Tidak, kembali");
    k.people
        .push(("Bu Pengawas".into(), support::PINS[1].into()));

    // The waiting screen through its countdown, a confirmation and the end of the wait.
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
    w.confirm(&k, "Bu Pengawas");
    w.tap(&k, "Menunggu saksi (aturan 30 menit)");
    assert_eq!(k.screen(), Screen::Waiting, "one witness short");
    for at in ["07:10", "07:29", "07:30"] {
        k.at(at);
        w.look(&k, at);
    }
    w.tap(&k, "Lanjut tanpa saksi yang tidak hadir");
    w.tap(&k, "Tidak, kembali");
    assert!(w.looks > 60, "{} looks", w.looks);
}

#[test]
fn the_voting_and_report_screens_hold_still_through_the_day_and_a_print() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    let mut w = Watch::default();
    for at in ["07:31", "09:59", "11:05", "12:00"] {
        k.at(at);
        w.look(&k, at);
    }
    w.tap(&k, "Umumkan pemilih DPK");
    w.number_ok(&k, &k.chair_pin());
    w.tap(&k, "Tutup pesan");
    for at in ["12:01", "12:59", "13:00"] {
        k.at(at);
        w.look(&k, at);
    }
    w.tap(&k, "Cetak laporan pembukaan");
    w.tap(&k, "Cetak sekarang");
    w.tap(&k, "Tidak, kembali");
    w.tap(&k, "Cetak sekarang");
    w.tap(&k, "Ya, cetak");
    assert_eq!(k.notice(), "Tersimpan: laporan pembukaan tercetak.");
    w.tap(&k, "Tutup pesan");
    w.tap(&k, "Bahasa / Language");
    w.tap(&k, "Print now");
    w.tap(&k, "Yes, print");
    w.tap(&k, "Close the message");
    assert_eq!(k.state().reports.len(), 2);
}
