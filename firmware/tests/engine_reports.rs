//! What the reports say about witnesses and keberatan: the Pengawas TPS's arrival (a fact after
//! 06:30, seed 004 line 18), NIHIL as the chair confirmed it, each keberatan with its outcome.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use tps_firmware::event::ReportKind;
use tps_firmware::procedure::Command;
use tps_firmware::procedure::command::OutcomeInput;

#[test]
fn the_opening_report_says_when_the_pengawas_arrived_and_if_after_0630() {
    let mut day = Day::pemilu();
    // Everyone, the Pengawas TPS among them, registers at 06:42.
    day.at("06:42");
    let people = day.register_everyone();
    for step in day.step_ids() {
        if step == "tutup-pemungutan" {
            break;
        }
        if time_for(&step) < "06:45" {
            day.at("06:45");
            let who = day.confirmers(&people, &step);
            day.take_step_with(&step, &who);
        } else {
            day.take_step(&people, &step);
        }
    }
    let opening = report_text(&day, ReportKind::Opening);
    assert!(opening.contains("Pengawas TPS: Bu Pengawas"), "{opening}");
    assert!(opening.contains("tiba: 06:42:00 WIB"), "{opening}");
    assert!(opening.contains("tiba setelah pukul 06:30"), "{opening}");
}

#[test]
fn a_pengawas_on_time_is_no_remark() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "tutup-pemungutan");
    let opening = report_text(&day, ReportKind::Opening);
    assert!(opening.contains("tiba: 05:45:00 WIB"), "{opening}");
    assert!(!opening.contains("tiba setelah"), "{opening}");
}

#[test]
fn the_closing_report_shows_nihil_as_confirmed() {
    let mut day = Day::pemilu();
    full_day(&mut day);
    let closing = report_text(&day, ReportKind::Closing);
    assert!(closing.contains("LAPORAN PENUTUPAN"), "{closing}");
    assert!(closing.contains("PEMUNGUTAN SUARA"), "{closing}");
    assert!(
        closing.contains("Kejadian khusus/keberatan: NIHIL"),
        "{closing}"
    );
    assert!(
        closing.contains("dikonfirmasi Ketua KPPS 13:15:00 WIB"),
        "{closing}"
    );
    assert!(!closing.contains("REKAP"), "{closing}");
}

#[test]
fn the_closing_report_lists_each_objection_with_its_outcome() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "tutup-pemungutan");
    day.at("10:00");
    for (who, reason) in [
        (people.saksi[0], "Antrean tidak tertib"),
        (people.pengawas, "Tinta kurang"),
        (people.saksi[1], "Bilik terlalu dekat"),
    ] {
        let pin = day.pin_of(who);
        day.ok(Command::Object {
            person: who,
            pin,
            reason: reason.into(),
        });
    }
    let seqs: Vec<u64> = day.state.objections.iter().map(|o| o.seq).collect();
    let (pin, chair_pin) = (day.pin_of(people.saksi[0]), day.chair_pin());
    day.ok(Command::ResolveObjection {
        objection: seqs[0],
        outcome: OutcomeInput::Explained {
            note: "Antrean diatur ulang".into(),
        },
        confirmers: vec![(people.saksi[0], pin)],
        chair_pin,
    });
    // Not accepted: the Pengawas TPS's advice, not followed, and why (seed 004 lines 56-57).
    let (pengawas_pin, saksi_pin, chair_pin) = (
        day.pin_of(people.pengawas),
        day.pin_of(people.saksi[1]),
        day.chair_pin(),
    );
    day.ok(Command::ResolveObjection {
        objection: seqs[2],
        outcome: OutcomeInput::NotAccepted {
            advice: "Geser bilik satu meter".into(),
            followed: false,
            why_not: "Tenda terlalu sempit".into(),
        },
        confirmers: vec![
            (people.pengawas, pengawas_pin),
            (people.saksi[1], saksi_pin),
        ],
        chair_pin,
    });
    let opening = report_text(&day, ReportKind::Opening);
    assert!(opening.contains("Keberatan: 3"), "{opening}");
    assert!(
        opening.contains(
            "3. Saksi 2 H.: Bilik terlalu dekat\n    Tidak diterima, dengan saran perbaikan \
             Pengawas TPS\n    Saran: Geser bilik satu meter\n    Tidak diikuti KPPS: Tenda \
             terlalu sempit"
        ),
        "{opening}"
    );
    assert!(
        opening.contains("1. Saksi 1 H.: Antrean tidak tertib"),
        "{opening}"
    );
    assert!(
        opening.contains("Dijelaskan, saksi menerima penjelasan"),
        "{opening}"
    );
    assert!(
        opening.contains("2. Bu Pengawas: Tinta kurang"),
        "{opening}"
    );
    assert!(opening.contains("BELUM ADA HASIL"), "{opening}");
}

/// The closing report says ballot use in the words of the forms and names each ballot type,
/// never by an internal code.
#[test]
fn the_closing_report_uses_the_form_words_and_ballot_names() {
    let mut day = Day::pemilu();
    full_day(&mut day);
    let closing = report_text(&day, ReportKind::Closing);
    for words in [
        "Surat suara DPRD Kabupaten/Kota:",
        " digunakan: ",
        " tidak digunakan: ",
        " rusak atau keliru coblos: ",
    ] {
        assert!(closing.contains(words), "{words:?} in {closing}");
    }
    for code in ["DPRD-KABKOTA", "DPRD-PROV", "Pakai", "Sisa"] {
        assert!(!closing.contains(code), "{code:?} in {closing}");
    }
}

/// The opening report's table names each ballot type as the forms do in short, one row each
/// that neither the paper nor the screen's preview wraps (the preview shows 31 characters, as
/// wide as the "Dibuka: ... WIB" line above the table).
#[test]
fn the_opening_report_table_names_each_ballot_on_one_line() {
    for (package, names) in [
        (
            PEMILU_JABAR,
            &["PPWP", "DPR", "DPD", "DPRD Prov", "DPRD Kab/Kota"][..],
        ),
        (PILKADA_PAPUA, &["Gubernur", "Bupati/Walikota"][..]),
    ] {
        let mut day = Day::new(package);
        full_day(&mut day);
        let opening = report_text(&day, ReportKind::Opening);
        let dibuka = opening.lines().find(|l| l.starts_with("Dibuka: ")).unwrap();
        for name in names {
            let row = opening
                .lines()
                .find(|l| l.starts_with(&format!("{name} ")) && l.ends_with(char::is_numeric))
                .unwrap_or_else(|| panic!("no row for {name} in {opening}"));
            assert!(row.len() <= dibuka.len(), "{row:?} wider than {dibuka:?}");
        }
    }
}
