//! Counts the package cannot hold and seals written wrongly (issue 11): a count above what was
//! delivered (the DPT plus the reserve, seed 004 line 68) is refused as impossible, never taken
//! as a difference to explain; a missing seal number names the seal; one seal number written for
//! two seals is refused, naming both. Nothing is recorded by any of these refusals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::*;
use tps_firmware::election::MaleFemale;
use tps_firmware::procedure::Command;
use tps_firmware::procedure::input::{Exception, StepInput};
use tps_firmware::procedure::refusal::{CountOf, Refusal, SealPlace};
use tps_firmware::procedure::validate::seal_key;
use tps_firmware::text::Lang;

fn at_step(step: &str) -> Day {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, step);
    day.prepare_for(step);
    day
}

/// `command` is refused and leaves the journal as it was.
fn refused_unrecorded(day: &mut Day, command: impl FnOnce(&Day) -> Command) -> Refusal {
    let command = command(day);
    let before = day.records.len();
    let r = day.refused(command);
    assert_eq!(day.records.len(), before, "a refusal recorded something");
    r
}

fn counted(day: &Day, index: usize, counted: u32, note: bool) -> Command {
    let StepInput::BallotCount { mut counts, .. } = day.counts() else {
        unreachable!()
    };
    counts.as_mut_slice()[index].counted = counted;
    Command::Propose {
        step: "hitung-surat-suara".into(),
        input: StepInput::BallotCount {
            counts,
            exception: note.then(|| Exception {
                action: "PPS dihubungi".try_into().unwrap(),
                pps_contacted: true,
            }),
        },
    }
}

#[test]
fn a_count_above_what_was_delivered_is_impossible_even_with_a_kejadian_khusus() {
    let mut day = at_step("hitung-surat-suara");
    // DPD: 296 on the DPT, 302 delivered. "302" typed twice reads 302302.
    let r = refused_unrecorded(&mut day, |d| counted(d, 2, 302_302, true));
    assert_eq!(r.kind(), "impossible-count");
    assert_eq!(
        r.message(Lang::Id),
        "Surat suara DPD dihitung: 302302, padahal yang diterima hanya 302 (DPT ditambah cadangan). Angka itu tidak mungkin; periksa dan hitung ulang."
    );
    assert_eq!(
        r.message(Lang::En),
        "Regional Representatives Council (DPD) ballots counted: 302302, but only 302 were delivered (the DPT plus the reserve). That number is impossible; check and count again."
    );
    // One over is impossible too; the largest number the record holds is refused, no overflow.
    for n in [303, u32::MAX] {
        let r = refused_unrecorded(&mut day, |d| counted(d, 2, n, false));
        assert!(
            matches!(r, Refusal::ImpossibleCount { what: CountOf::Counted, given, delivered: 302, .. } if given == n),
            "{r:?}"
        );
    }
    // One short is still a difference the chair explains with a kejadian khusus.
    let r = refused_unrecorded(&mut day, |d| counted(d, 2, 301, false));
    assert_eq!(r.kind(), "exception-required");
    day.ok(counted(&day, 2, 301, true));
}

#[test]
fn a_close_out_figure_above_what_was_delivered_is_impossible() {
    let mut day = at_step("rekap");
    let good = day.correct_input("rekap");
    for (what, value) in [
        (CountOf::Used, 3_000),
        (CountOf::Unused, u32::MAX),
        (CountOf::Damaged, 400),
    ] {
        let StepInput::Reconciliation(mut rec) = good.clone() else {
            unreachable!()
        };
        let b = &mut rec.ballots.as_mut_slice()[0];
        match what {
            CountOf::Used => b.used = value,
            CountOf::Unused => b.unused = value,
            _ => b.damaged = value,
        }
        let r = refused_unrecorded(&mut day, |_| Command::Propose {
            step: "rekap".into(),
            input: StepInput::Reconciliation(rec),
        });
        assert!(
            matches!(&r, Refusal::ImpossibleCount { what: w, given, .. } if *w == what && *given == value),
            "{r:?}"
        );
        assert!(r.message(Lang::Id).contains(&value.to_string()));
        assert!(r.message(Lang::En).contains("were delivered"));
    }
    // More men on the DPT than registered stays the close-out's own mismatch.
    let over = day.reconciliation(
        MaleFemale {
            male: 150,
            female: 110,
        },
        MaleFemale::default(),
        MaleFemale::default(),
    );
    let r = refused_unrecorded(&mut day, |_| Command::Propose {
        step: "rekap".into(),
        input: over,
    });
    assert_eq!(r.kind(), "does-not-reconcile");
}

fn locks(day: &Day, seals: &[&str]) -> Command {
    let StepInput::EmptyBox { mut locks } = day.empty_box() else {
        unreachable!()
    };
    for (l, s) in locks.as_mut_slice().iter_mut().zip(seals) {
        l.seal = (*s).try_into().unwrap();
    }
    Command::Propose {
        step: "kotak-kosong".into(),
        input: StepInput::EmptyBox { locks },
    }
}

#[test]
fn an_empty_seal_number_names_the_seal() {
    let mut day = at_step("kotak-kosong");
    let r = refused_unrecorded(&mut day, |d| locks(d, &["GBK-1", "GBK-2", " \t "]));
    assert_eq!(r.kind(), "missing-seal");
    assert_eq!(
        r.message(Lang::Id),
        "Nomor segel kotak suara DPD wajib diisi."
    );
    assert_eq!(
        r.message(Lang::En),
        "The number of the Regional Representatives Council (DPD) ballot box seal is required."
    );
    let r = refused_unrecorded(&mut day, |d| locks(d, &[""]));
    assert!(
        matches!(
            r,
            Refusal::MissingSeal {
                place: SealPlace::BoxLock(_)
            }
        ),
        "{r:?}"
    );
}

#[test]
fn seal_numbers_differing_only_in_spaces_or_case_are_one_seal() {
    // Our own choice (validate::seal_key): spaces and case do not make another seal.
    assert_eq!(seal_key(" gbk 0100 "), seal_key("GBK0100"));
    assert_ne!(seal_key("GBK-0100"), seal_key("GBK-0101"));
    assert_ne!(seal_key("GBK-0100"), seal_key("GBK0100"));
    let mut day = at_step("kotak-kosong");
    let r = refused_unrecorded(&mut day, |d| locks(d, &["GBK-1", "gbk - 1"]));
    assert_eq!(r.kind(), "seal-twice");
    let id = r.message(Lang::Id);
    assert!(
        id.starts_with("Nomor segel gbk - 1 tertulis dua kali: segel kotak suara "),
        "{id}"
    );
    assert!(r.message(Lang::En).contains("is written twice"));
    let Refusal::SealTwice { places, .. } = r else {
        unreachable!()
    };
    assert_ne!(places.0, places.1, "both places are named, and they differ");
}

#[test]
fn a_box_seal_reused_on_an_envelope_is_refused_naming_both() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "cek-segel");
    day.prepare_for("cek-segel");
    let StepInput::SealCheck { mut seals, .. } = day.seals() else {
        unreachable!()
    };
    // The first box was locked with GBK-0100 (engine_support::Day::empty_box).
    seals.as_mut_slice()[1].seal = "gbk- 0100".try_into().unwrap();
    let r = refused_unrecorded(&mut day, |_| Command::Propose {
        step: "cek-segel".into(),
        input: StepInput::SealCheck {
            seals,
            exception: None,
        },
    });
    assert!(
        matches!(
            &r,
            Refusal::SealTwice { places, .. }
                if matches!(**places, (SealPlace::BoxLock(_), SealPlace::Envelope(_)))
        ),
        "{r:?}"
    );
    let en = r.message(Lang::En);
    assert!(
        en.contains("ballot box seal and ") && en.contains("ballot envelope seal"),
        "{en}"
    );
    // The seals as given pass.
    let input = day.seals();
    day.propose("cek-segel", input);
}

#[test]
fn a_correction_may_keep_its_own_seal_numbers() {
    let mut day = Day::pemilu();
    let people = day.register_everyone();
    day.progress_to(&people, "cek-segel");
    // The box step corrected with the same numbers: they replace its own, not twice.
    let input = day.empty_box();
    day.ok(Command::Correct {
        step: "kotak-kosong".into(),
        input,
        reason: "Nomor dibaca ulang".into(),
    });
}
