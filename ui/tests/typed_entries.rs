//! Typed entries survive a hard power cut: the current step's entries, and the figures of a
//! correction being drafted, are kept in a draft file on the primary storage as each key is
//! typed (outside the journal), come back after the restart, and go once the step is recorded
//! or the correction submitted or abandoned. A draft file that is not one (truncated, huge,
//! garbage, another step's, values no field takes, a correction of a step that cannot be
//! corrected) is ignored: the kiosk starts, the journal keeps every record, and the form is
//! empty.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use slint::ComponentHandle;
use support::{Kiosk, WITNESSES, explain_after_oath, init_backend, through_the_oath, to_voting};
use tps_firmware::procedure::spec::Stage;
use tps_kiosk_screens::{Screen, StepAdapter};
use tps_station::draft_file;

/// A kiosk at the box step (07:05), nothing typed yet.
fn at_the_box() -> Kiosk {
    let mut k = Kiosk::new();
    through_the_oath(&mut k);
    explain_after_oath(&k);
    k.at("07:05");
    k
}

/// After a restart: "Mulai" leads back to the step the day is at.
fn back_to_the_step(k: &Kiosk) {
    assert_eq!(k.screen(), Screen::SelfCheck);
    k.tap("Mulai");
    assert_eq!(k.screen(), Screen::Step);
}

#[test]
fn what_was_typed_is_back_after_a_hard_power_cut_and_gone_once_recorded() {
    init_backend();
    let k = at_the_box();
    let items = k.equipment(Stage::Box);
    let (first, count) = items[0].clone();
    let (second, _) = items[1].clone();
    k.tap(&format!("{first} · Jumlah"));
    k.type_number(&count.to_string());
    // The second count is being typed when the power goes: two keys, no "Selesai".
    k.tap(&format!("{second} · Jumlah"));
    k.tap("4");
    k.tap("2");
    let records = k.journal().len();

    let k = k.hard_restart();
    back_to_the_step(&k);
    assert_eq!(k.value(&format!("{first} · Jumlah")), count.to_string());
    assert_eq!(k.value(&format!("{second} · Jumlah")), "42");
    // The draft is not a record: the restart added only its own.
    let journal = k.journal();
    assert_eq!(journal.len(), records + 1);
    // In English the same figures.
    let first_en = {
        let state = k.state();
        let ballots = state.package().ballot_types();
        let mut items = state.procedure().equipment_for(Stage::Box, &ballots);
        items.next().unwrap().name.en.clone()
    };
    k.tap("Bahasa / Language");
    assert_eq!(k.value(&format!("{first_en} · Count")), count.to_string());
    k.tap("Bahasa / Language");

    // Put right and recorded: the draft goes with it, and the next step starts empty after
    // another cut.
    k.retype_number(&format!("{second} · Jumlah"), &items[1].1.to_string());
    for (item, n) in items.iter().skip(2) {
        k.tap(&format!("{item} · Jumlah"));
        k.type_number(&n.to_string());
    }
    assert!(k.dir.path().join(draft_file::FILE_NAME).exists());
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    assert!(!k.dir.path().join(draft_file::FILE_NAME).exists());
    let k = k.hard_restart();
    back_to_the_step(&k);
    let (code, _) = k.ballots()[0].clone();
    assert_eq!(k.value(&format!("{code} · Nomor segel")), "");
}

#[test]
fn a_hostile_draft_file_is_ignored_and_the_journal_keeps_every_record() {
    init_backend();
    let mut k = at_the_box();
    let items = k.equipment(Stage::Box);
    let (first, count) = items[0].clone();
    k.tap(&format!("{first} · Jumlah"));
    k.type_number(&count.to_string());
    let path = k.dir.path().join(draft_file::FILE_NAME);
    let sound = std::fs::read_to_string(&path).unwrap();
    let long = format!(
        "step = \"buka-kotak\"\n[values]\n\"item:{}\" = \"{}\"\n",
        1,
        "9".repeat(5)
    );
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", sound.as_bytes()[..sound.len() / 2].to_vec()),
        (
            "garbage",
            (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        (
            "another step",
            sound.replace("buka-kotak", "sumpah").into_bytes(),
        ),
        ("a count longer than the field takes", long.into_bytes()),
        (
            "a line break",
            sound.replace(&count.to_string(), "1\\n2").into_bytes(),
        ),
        (
            "a choice no form has",
            b"step = \"buka-kotak\"\n[choices]\n\"x\" = 7\n".to_vec(),
        ),
    ];
    assert!(sound.contains("buka-kotak"), "{sound}");
    for (what, bytes) in hostile {
        std::fs::write(&path, &bytes).unwrap();
        let before = k.journal();
        k = k.hard_restart();
        back_to_the_step(&k);
        assert_eq!(k.value(&format!("{first} · Jumlah")), "", "{what}");
        let after = k.journal();
        assert_eq!(&after[..before.len()], &before[..], "{what}");
        assert_eq!(k.state().completed.len(), 4, "{what}");
    }
    // Huge (a sparse file of 64 MiB): not read beyond the bound.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(64 << 20).unwrap();
    drop(file);
    k = k.hard_restart();
    back_to_the_step(&k);
    assert_eq!(k.value(&format!("{first} · Jumlah")), "");
    // The chair types again and it is kept again.
    k.tap(&format!("{first} · Jumlah"));
    k.type_number(&count.to_string());
    let k = k.hard_restart();
    back_to_the_step(&k);
    assert_eq!(k.value(&format!("{first} · Jumlah")), count.to_string());
}

const BALLOT_COUNT: &str = "8. Hitung surat suara, termasuk cadangan 2%";

/// From the open polls, the correction of the ballot count opened: one DPR ballot less, and the
/// reason; what was done about the difference is being typed (keys, no "Selesai"). Returns
/// the DPR figure typed.
fn correcting_the_count(k: &Kiosk) -> u32 {
    let (dpr, delivered) = k.ballots()[1].clone();
    assert_eq!(dpr, "DPR");
    k.tap("Beranda");
    k.tap(BALLOT_COUNT);
    k.tap("Koreksi");
    k.retype_number("DPR · Dihitung", &(delivered - 1).to_string());
    k.tap("Alasan koreksi");
    k.type_text("Salah hitung DPR");
    k.tap("Tindakan yang dilakukan");
    k.type_keys("PPS");
    delivered - 1
}

/// The correction of the ballot count is on the screen with these figures.
fn the_correction_shows(k: &Kiosk, dpr: u32, action: &str) {
    assert_eq!(k.screen(), Screen::Step);
    let step = k.ui.app.global::<StepAdapter>();
    assert!(step.get_correction());
    assert!(!step.get_proposed());
    assert_eq!(step.get_number(), 8);
    assert_eq!(k.value("DPR · Dihitung"), dpr.to_string());
    assert_eq!(k.value("Alasan koreksi"), "Salah hitung DPR");
    assert_eq!(k.value("Tindakan yang dilakukan"), action);
}

#[test]
fn a_correction_being_typed_is_back_after_a_hard_power_cut_and_gone_once_submitted_or_abandoned() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("09:10");
    let path = k.dir.path().join(draft_file::FILE_NAME);

    // Abandoned ("Batal"): nothing is kept, and the restart goes back to the voting.
    correcting_the_count(&k);
    k.tap("Selesai");
    assert!(path.exists());
    k.tap("Batal koreksi");
    assert_eq!(k.screen(), Screen::Progress);
    assert!(!path.exists());
    let k = k.hard_restart();
    k.tap("Mulai");
    assert_eq!(k.screen(), Screen::Voting);

    // Begun again, and the power goes while the action is being typed.
    let dpr = correcting_the_count(&k);
    let records = k.journal().len();
    let k = k.hard_restart();
    assert_eq!(k.screen(), Screen::SelfCheck);
    k.tap("Mulai");
    the_correction_shows(&k, dpr, "PPS");
    // The draft is not a record: the restart added only its own.
    assert_eq!(k.journal().len(), records + 1);
    // In English the same figures.
    k.tap("Bahasa / Language");
    assert_eq!(k.value("DPR · Counted"), dpr.to_string());
    k.tap("Bahasa / Language");

    // Finished and submitted: the correction leaves the draft file (the submitted one waits for
    // its confirmations in the journal).
    k.tap("Tindakan yang dilakukan");
    k.type_text(" dihubungi");
    assert_eq!(k.value("Tindakan yang dilakukan"), "PPS dihubungi");
    k.tap("PPS sudah dihubungi");
    k.tap_sure("Ajukan koreksi");
    assert_eq!(
        k.notice(),
        "Tersimpan: koreksi diajukan; sekarang konfirmasi dengan PIN."
    );
    assert!(!path.exists());
    let k = k.hard_restart();
    back_to_the_step(&k);
    let step = k.ui.app.global::<StepAdapter>();
    assert!(step.get_correction() && step.get_proposed());
    k.confirm(&WITNESSES);
    k.complete();
    assert_eq!(k.screen(), Screen::Progress);
    assert!(!path.exists());
}

#[test]
fn a_hostile_correction_in_the_draft_file_is_ignored_and_never_applied_to_another_step() {
    init_backend();
    let mut k = Kiosk::new();
    to_voting(&mut k);
    k.at("09:10");
    let dpr = correcting_the_count(&k);
    k.tap("Selesai");
    let path = k.dir.path().join(draft_file::FILE_NAME);
    let sound = std::fs::read_to_string(&path).unwrap();
    assert!(
        sound.contains("[correction]\nstep = \"hitung-surat-suara\""),
        "{sound}"
    );
    let figure = format!("\"count:DPR\" = \"{dpr}\"");
    assert!(sound.contains(&figure), "{sound}");
    let hostile: Vec<(&str, String)> = vec![
        (
            "a step that is not corrected",
            sound.replace("\"hitung-surat-suara\"", "\"persiapan\""),
        ),
        (
            "no step of the procedure",
            sound.replace("\"hitung-surat-suara\"", "\"hitung-surat-suara-2\""),
        ),
        (
            "a figure longer than its field",
            sound.replace(&figure, "\"count:DPR\" = \"1234567\""),
        ),
        (
            "another current step",
            sound.replacen("step = \"", "step = \"x", 1),
        ),
        ("truncated", sound[..sound.len() * 2 / 3].to_string()),
    ];
    for (what, text) in hostile {
        std::fs::write(&path, text).unwrap();
        let before = k.journal();
        k = k.hard_restart();
        assert_eq!(k.screen(), Screen::SelfCheck, "{what}");
        k.tap("Mulai");
        assert_eq!(k.screen(), Screen::Voting, "{what}");
        assert!(k.ui.model.borrow().correcting.is_none(), "{what}");
        assert_eq!(&k.journal()[..before.len()], &before[..], "{what}");
    }
    // The sound file brings it back.
    std::fs::write(&path, &sound).unwrap();
    let k = k.hard_restart();
    k.tap("Mulai");
    the_correction_shows(&k, dpr, "PPS");
}
