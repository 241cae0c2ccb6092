//! What the chair cannot do, and is told why: "Ajukan" and "Lanjut" stay disabled with the
//! engine's reason beside them; the 30-minute wait counts down to the separate "go on without all
//! witnesses"; a wrong PIN stays on the PIN pad; alarms cover the screen and say nothing is lost.
//! Also: English one tap away, and a restart that resumes at the same step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use slint::ComponentHandle;
use support::{Kiosk, init_backend};
use tps_firmware::event::IncidentKind;
use tps_firmware::procedure::spec::Stage;
use tps_kiosk_screens::{AlarmAdapter, Screen, StepAdapter};

/// A kiosk with only the chair registered, at the first step's screen.
fn chair_only() -> Kiosk {
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.open_current_step();
    k
}

fn prepare(k: &Kiosk) {
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("06:15");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
}

#[test]
fn lanjut_stays_disabled_with_the_engines_reason_until_the_rules_allow_it() {
    init_backend();
    let k = chair_only();

    // Something missing: the engine asks what was done about it before the step can go on.
    let items = k.equipment(Stage::Preparation);
    for (i, (item, _)) in items.iter().enumerate() {
        k.tap(&format!(
            "{item}: {}",
            if i == 0 { "Tidak ada" } else { "Ada" }
        ));
    }
    assert!(!k.enabled("Ajukan untuk konfirmasi"));
    assert_eq!(
        k.value("Alasan Ajukan belum bisa"),
        format!(
            "{} tidak ada. Hubungi PPS dan tuliskan tindakan yang dilakukan (kejadian khusus).",
            items[0].0
        )
    );
    k.tap("Tindakan yang dilakukan");
    k.type_text("PPS mengantar bilik cadangan");
    k.tap("PPS sudah dihubungi");
    k.tap("Ajukan untuk konfirmasi");
    assert!(k.enabled("Lanjut"));
    k.complete();
    assert!(matches!(
        k.state().incidents[0].incident.kind,
        IncidentKind::StepException { .. }
    ));
    k.at("06:15");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();

    // Too early for the oath.
    k.at("06:59");
    assert!(!k.enabled("Ajukan untuk konfirmasi"));
    assert_eq!(
        k.value("Alasan Ajukan belum bisa"),
        "'Pembukaan rapat dan sumpah/janji' baru boleh mulai pukul 07:00 WIB."
    );
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    // A wrong PIN stays on the PIN pad, with the engine's words; the right one goes through.
    k.tap("Lanjut");
    k.pin("999999");
    assert_eq!(k.value("Kesalahan PIN"), "PIN Ibu Ketua salah (1x).");
    let chair = k.chair_pin();
    k.pin(&chair);
    assert_eq!(k.state().completed.len(), 3);

    support::explain_after_oath(&k);

    // The box: no witness has confirmed, so "Lanjut" waits, saying for whom and until when.
    k.at("07:05");
    k.fill_box();
    k.tap("Ajukan untuk konfirmasi");
    assert!(!k.enabled("Lanjut"));
    assert_eq!(
        k.value("Alasan Lanjut belum bisa"),
        "Tidak hadir: 2 saksi/pengawas lagi. Tunggu paling lama sampai pukul 07:30 WIB."
    );
    assert_eq!(
        k.control("Lanjut").accessible_description().unwrap(),
        k.value("Alasan Lanjut belum bisa")
    );

    // The 30-minute rule: a countdown to 07:30, then a separate way on.
    k.tap("Menunggu saksi (aturan 30 menit)");
    assert_eq!(k.screen(), Screen::Waiting);
    assert_eq!(k.value("Sisa waktu menunggu"), "25 menit lagi");
    assert!(!k.enabled("Lanjut tanpa saksi yang tidak hadir"));
    k.at("07:29");
    assert_eq!(k.value("Sisa waktu menunggu"), "1 menit lagi");
    assert!(!k.enabled("Lanjut tanpa saksi yang tidak hadir"));
    k.at("07:30");
    assert_eq!(k.value("Sisa waktu menunggu"), "sekarang");
    assert!(k.enabled("Lanjut tanpa saksi yang tidak hadir"));
    k.tap("Kembali ke langkah");
    // The ordinary "Lanjut" still refuses: going on without witnesses is a separate choice.
    assert!(!k.enabled("Lanjut"));
    k.tap("Menunggu saksi (aturan 30 menit)");
    k.tap_sure("Lanjut tanpa saksi yang tidak hadir");
    k.pin(&chair);
    let state = k.state();
    assert_eq!(state.completed.len(), 5);
    assert!(
        state
            .incidents
            .iter()
            .any(|n| matches!(n.incident.kind, IncidentKind::QuorumWaived { .. }))
    );
    assert_eq!(
        k.ui.app.global::<StepAdapter>().get_number(),
        6,
        "on to the next step"
    );
}

#[test]
fn alarms_cover_the_screen_say_what_to_do_and_that_nothing_is_lost() {
    init_backend();
    let k = chair_only();
    let alarm = || k.ui.app.global::<AlarmAdapter>();
    assert!(!alarm().get_shown());
    k.lid(true);
    assert!(alarm().get_shown());
    assert_eq!(k.value("Alarm"), "Penutup perangkat: terbuka");
    assert!(
        k.has("Tidak ada catatan yang hilang: semua yang sudah tersimpan tetap ada di jurnal.")
    );
    k.lid(false);
    assert!(!alarm().get_shown());

    k.hw.usb.unplug().unwrap();
    k.poll();
    // The stick is noticed when the kiosk next writes: a step is refused and the alarm shows.
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    assert!(alarm().get_shown(), "notice: {}", k.notice());
    assert_eq!(k.value("Alarm"), "Flashdisk cadangan tidak ada");
    k.hw.usb.plug().unwrap();
    k.poll();
    assert!(!alarm().get_shown());

    // The RTC set back an hour behind the kiosk's back: the kiosk sees it against its
    // monotonic clock, the engine refuses, the alarm says what to do, and the chair may look at
    // the screens behind it.
    k.hw.rtc.set_time_ms(k.hw.rtc.time_ms() - 3_600_000);
    k.poll();
    k.tap("Ajukan untuk konfirmasi");
    assert!(alarm().get_shown());
    assert_eq!(k.value("Alarm"), "Jam perangkat berubah di luar kiosk");
    k.tap("Mengerti, tampilkan layar");
    assert!(!alarm().get_shown());
    assert_eq!(
        k.notice(),
        "Jam perangkat diubah di luar kiosk. Tidak ada langkah yang dapat dilakukan sampai teknisi menyetel jam dengan disaksikan Ketua KPPS dan Pengawas TPS."
    );
}

#[test]
fn english_is_one_tap_away_on_every_screen_engine_texts_included() {
    init_backend();
    let k = chair_only();
    prepare(&k);
    k.at("06:59");
    assert!(k.has("Lanjut"));
    k.tap("Bahasa / Language");
    assert!(k.has("Next") && !k.has("Lanjut"));
    assert!(k.has("Home"));
    assert_eq!(
        k.value("Why it cannot be submitted yet"),
        "'Opening the meeting and the oath' is allowed from 07:00 WIB."
    );
    k.tap("Home");
    assert!(k.has("Open the current step"));
    k.tap("Bahasa / Language");
    assert!(k.has("Buka langkah sekarang"));
}

#[test]
fn a_restart_on_the_same_directory_resumes_at_the_same_step() {
    init_backend();
    let k = chair_only();
    prepare(&k);
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    let records = k.state().last_seq;
    let chair = k.chair_pin();
    // The simulated RTC keeps its time while the kiosk is off.
    std::fs::write(
        tps_kiosk::sim_panel::clock_file(k.dir.path()),
        k.hw.rtc.time_ms().to_string(),
    )
    .unwrap();
    let Kiosk { dir, ui, .. } = k;
    drop(ui);

    let mut again = Kiosk::open(dir);
    assert_eq!(again.screen(), Screen::SelfCheck);
    assert!(again.state().last_seq > records, "the start is recorded");
    again.people.push(("Ibu Ketua".into(), chair));
    again.tap("Mulai");
    assert_eq!(again.screen(), Screen::Step);
    let step = again.ui.app.global::<StepAdapter>();
    assert_eq!(step.get_number(), 3);
    assert!(
        step.get_proposed(),
        "the open proposal survived the restart"
    );
    assert!(again.enabled("Lanjut"));
    again.complete();
    assert_eq!(again.state().completed.len(), 3);
}

/// A pemantau or pewarta hands over a letter of assignment and an identity document (seed 004
/// line 28): the form asks for both numbers, "Buat PIN" waits for the ID number, and the
/// attendance list shows them. Other roles are never asked for one.
#[test]
fn a_monitor_is_registered_with_their_letter_and_id_number() {
    init_backend();
    let mut k = Kiosk::new();
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");

    k.tap("Daftarkan orang");
    k.tap("Peran");
    k.tap("Pengawas TPS");
    assert!(!k.has("Nomor identitas (NIK KTP atau kartu pers)"));
    k.tap("Peran");
    k.tap("Pewarta");
    k.tap("Nama");
    k.type_text("Dimas");
    k.tap("Nomor surat mandat/tugas");
    k.type_text("ST 03");
    assert!(!k.enabled("Buat PIN"), "registered without an ID number");
    k.tap("Nomor identitas (NIK KTP atau kartu pers)");
    k.type_text("3171014506900002");
    assert!(k.enabled("Buat PIN"));
    let pin = support::PINS[1];
    k.tap("Buat PIN");
    k.pin(pin);
    k.pin(pin);
    k.pin(&k.chair_pin());
    assert_eq!(k.notice(), "Tersimpan: Dimas terdaftar.");
    k.people.push(("Dimas".into(), pin.into()));

    let press = k.state().people.last().unwrap().clone();
    assert_eq!(
        (press.letter.as_str(), press.id_number.as_str()),
        ("ST 03", "3171014506900002")
    );
    assert!(k.shows("Pewarta · ST 03 · identitas 3171014506900002"));
}
