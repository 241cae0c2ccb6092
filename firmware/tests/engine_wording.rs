//! Issue 8, "Indonesian as the forms write it": ballot types are named as the forms name them,
//! never by the package's internal codes ("DPRD-KABKOTA", "GUB"), and a saksi is named by the
//! participant they witness for, never "Saksi Partai Politik no. 1". For a full simulated day of
//! each shipped package, everything a user reads is checked in both languages: the refusals the
//! day met (each kind that names a ballot, a participant or a person), both printed reports, the
//! journal in words and the procedure's own steps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use std::collections::BTreeSet;

use engine_support::*;
use tps_firmware::election::{BallotType, ParticipantId, ParticipantKind};
use tps_firmware::event::ReportKind;
use tps_firmware::journal::describe::Describer;
use tps_firmware::procedure::command::OutcomeInput;
use tps_firmware::procedure::input::{BallotTally, EnvelopeSeal, StepInput};
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::pin::Pin;
use tps_firmware::procedure::{Command, Refusal};
use tps_firmware::text::Lang;

/// The package's internal ballot codes that no form writes, and the receipt abbreviations the
/// opening report used to print. (PPWP, DPR and DPD are the forms' own words: Model C.Hasil-PPWP.)
fn internal_codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = BallotType::ALL
        .iter()
        .map(|b| b.code())
        .filter(|c| !["PPWP", "DPR", "DPD"].contains(c))
        .collect();
    codes.extend(["DPRD-P", "DPRD-K", "GUB", "BUP/WK"]);
    codes
}

/// `code` stands alone in `text` (not inside a longer word such as "GUBERNUR" for "GUB").
fn has_token(text: &str, code: &str) -> bool {
    let joins = |c: char| c.is_alphanumeric() || c == '-' || c == '/';
    text.match_indices(code).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + code.len()..].chars().next();
        !before.is_some_and(joins) && !after.is_some_and(joins)
    })
}

/// A saksi named by kind and number, the way issue 8 asks never to name them.
fn numbered_saksi(text: &str) -> bool {
    [
        ParticipantKind::PasanganPresiden,
        ParticipantKind::Partai,
        ParticipantKind::CalonDpd,
        ParticipantKind::PasanganGubernur,
        ParticipantKind::PasanganBupatiWalikota,
    ]
    .iter()
    .any(|k| {
        text.contains(&format!("{} no. ", k.label_id()))
            || text.contains(&format!("{} no. ", k.label_en()))
    })
}

/// What a user reads, each with where it came from.
#[derive(Default)]
struct Read {
    texts: Vec<(String, String)>,
}

impl Read {
    fn add(&mut self, from: impl Into<String>, text: impl Into<String>) {
        self.texts.push((from.into(), text.into()));
    }

    fn refusal(&mut self, r: &Refusal) {
        for lang in [Lang::Id, Lang::En] {
            self.add(format!("refusal {} ({lang:?})", r.kind()), r.message(lang));
        }
    }

    fn check(&self) {
        let codes = internal_codes();
        let mut bad = Vec::new();
        for (from, text) in &self.texts {
            for code in &codes {
                if has_token(text, code) {
                    bad.push(format!("{from}: internal code {code:?} in {text:?}"));
                }
            }
            if numbered_saksi(text) {
                bad.push(format!("{from}: a saksi by number in {text:?}"));
            }
            // One spelling, "DPTb", everywhere.
            for other in ["DPTB", "DPT-b", "DPT-B", "DPTb-"] {
                if text.contains(other) {
                    bad.push(format!("{from}: {other:?} in {text:?}"));
                }
            }
            // "Rekap" is the PPK/KPU tally, nothing done at a TPS.
            if text.to_lowercase().contains("rekap") {
                bad.push(format!("{from}: \"rekap\" in {text:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

fn register_command(role: Role, name: &str, letter: &str, pin: &str, chair_pin: Pin) -> Command {
    Command::Register {
        role,
        name: name.into(),
        letter: letter.into(),
        id_number: String::new(),
        pin: engine_support::pin(pin),
        salt: [3; 16],
        chair_pin: Some(chair_pin),
    }
}

/// `input`'s per-ballot list with its first entry changed by `f`.
fn first_seal_broken(input: StepInput) -> StepInput {
    let StepInput::SealCheck { seals, exception } = input else {
        panic!("not a seal check")
    };
    let seals: Vec<EnvelopeSeal> = seals
        .iter()
        .enumerate()
        .map(|(i, s)| EnvelopeSeal {
            intact: i != 0,
            ..s.clone()
        })
        .collect();
    StepInput::SealCheck {
        seals: seals.try_into().unwrap(),
        exception,
    }
}

fn counts_changed(input: StepInput, drop_last: bool) -> StepInput {
    let StepInput::BallotCount { counts, exception } = input else {
        panic!("not a ballot count")
    };
    let mut counts: Vec<BallotTally> = counts.iter().cloned().collect();
    if drop_last {
        counts.pop();
    } else {
        let last = counts.len() - 1;
        counts[last].counted -= 1;
    }
    StepInput::BallotCount {
        counts: counts.try_into().unwrap(),
        exception,
    }
}

/// A day of `package` with the refusals that name ballots, participants and people met on the
/// way, then everything a user reads of it.
fn a_day_read(package: &str) {
    let mut day = Day::new(package);
    let mut read = Read::default();
    let mut kinds = BTreeSet::new();
    let mut refused = |read: &mut Read, r: Refusal| {
        kinds.insert(r.kind());
        read.refusal(&r);
    };

    day.at("05:45");
    let people = day.register_everyone();
    let participants: Vec<ParticipantId> = day
        .state
        .package()
        .participants()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let first = people.saksi[0];
    let first_name = day.state.person(first).unwrap().name.to_string();
    let first_letter = day.state.person(first).unwrap().letter.to_string();
    let Role::Saksi(first_part) = day.state.person(first).unwrap().role else {
        panic!("not a saksi")
    };
    // The same person and mandate for another participant.
    let other = *participants.iter().find(|p| **p != first_part).unwrap();
    let chair = day.chair_pin();
    let r = day.refused(register_command(
        Role::Saksi(other),
        &first_name,
        &first_letter,
        "135790",
        chair.clone(),
    ));
    refused(&mut read, r);
    // A second saksi of the first participant registers outside; a third is one too many; the
    // second may not come in while the first is inside.
    let second = day.register(Role::Saksi(first_part), "Saksi Pengganti");
    let r = day.refused(register_command(
        Role::Saksi(first_part),
        "Saksi Ketiga",
        "SM-99",
        "135790",
        chair.clone(),
    ));
    refused(&mut read, r);
    let r = day.refused(Command::SetPresence {
        person: second,
        present: true,
        chair_pin: chair.clone(),
    });
    refused(&mut read, r);
    let r = day.refused(register_command(
        Role::PengawasTps,
        "Pengawas Kedua",
        "",
        "135790",
        chair.clone(),
    ));
    refused(&mut read, r);

    let mut objection = None;
    for step in day.step_ids() {
        if step == "tutup-pemungutan" {
            // A keberatan while voting, explained to the saksi before the close-out.
            day.at("10:00");
            let objector = people.saksi[1];
            let pin = day.pin_of(objector);
            day.ok(Command::Object {
                person: objector,
                pin: pin.clone(),
                reason: "Jumlah surat suara tidak diumumkan".into(),
            });
            let seq = day.state.objections[0].seq;
            let chair_pin = day.chair_pin();
            day.ok(Command::ResolveObjection {
                objection: seq,
                outcome: OutcomeInput::Explained {
                    note: "KPPS mengumumkan jumlahnya".into(),
                },
                confirmers: vec![(objector, pin)],
                chair_pin,
            });
            objection = Some((objector, seq));
        }
        day.prepare_for(&step);
        let input = day.correct_input(&step);
        match step.as_str() {
            "cek-segel" => {
                let r = day.refused(Command::Propose {
                    step: step.clone(),
                    input: first_seal_broken(input.clone()),
                });
                refused(&mut read, r);
            }
            "hitung-surat-suara" => {
                for drop_last in [true, false] {
                    let r = day.refused(Command::Propose {
                        step: step.clone(),
                        input: counts_changed(input.clone(), drop_last),
                    });
                    refused(&mut read, r);
                }
            }
            "rekap" => {
                let StepInput::Reconciliation(mut wrong) = input.clone() else {
                    panic!("not a close-out")
                };
                let mut ballots: Vec<_> = wrong.ballots.iter().cloned().collect();
                ballots[0].used += 1;
                wrong.ballots = ballots.try_into().unwrap();
                let r = day.refused(Command::Propose {
                    step: step.clone(),
                    input: StepInput::Reconciliation(wrong),
                });
                refused(&mut read, r);
            }
            _ => {}
        }
        day.propose(&step, input);
        let who = day.confirmers(&people, &step);
        if step == "kotak-kosong" {
            // Nobody has confirmed: the witnesses inside are named.
            let r = day.try_complete(false).unwrap_err();
            refused(&mut read, r);
            // One saksi neither confirms nor objects: recorded, confirmed by the Pengawas.
            let pengawas_pin = day.pin_of(people.pengawas);
            let chair_pin = day.chair_pin();
            day.ok(Command::RecordDeclined {
                person: first,
                reason: "tidak bersedia".into(),
                confirmers: vec![(people.pengawas, pengawas_pin)],
                chair_pin,
            });
            let rest: Vec<PersonId> = who.iter().copied().filter(|p| *p != first).collect();
            day.confirm(&rest);
        } else {
            day.confirm(&who);
        }
        day.complete();
    }
    for expected in [
        "saksi-twice",
        "too-many-saksi",
        "saksi-already-inside",
        "role-full",
        "exception-required",
        "ballot-types-mismatch",
        "does-not-reconcile",
        "missing-witnesses",
    ] {
        assert!(kinds.contains(expected), "{expected} not met: {kinds:?}");
    }

    for kind in [ReportKind::Opening, ReportKind::Closing] {
        read.add(format!("{kind:?} report"), report_text(&day, kind));
    }
    let package = day.state.package().clone();
    let procedure = day.state.procedure().clone();
    for lang in [Lang::Id, Lang::En] {
        let mut describer = Describer::new(Some(package.zone), lang, Some(&procedure))
            .naming_participants(
                package
                    .participants()
                    .into_iter()
                    .map(|(id, p)| (id, p.title())),
            );
        let shown: Vec<String> = day
            .records
            .iter()
            .map(|r| describer.describe(r).render(Some(package.zone)))
            .collect();
        // Each saksi of the day is named by their participant.
        for saksi in people.saksi.iter().chain([&second]) {
            let role = day.state.person(*saksi).unwrap().role;
            let named = day.state.role_label(role).get(lang).to_string();
            assert!(
                named.contains(&day.state.participant_name(match role {
                    Role::Saksi(p) => p,
                    _ => unreachable!(),
                })),
                "{named}"
            );
            assert!(
                shown.iter().any(|l| l.contains(&named)),
                "{named} is not in the journal ({lang:?})"
            );
        }
        // The keberatan, by the saksi named by participant, and its outcome.
        let (objector, seq) = objection.unwrap();
        let objector = day
            .state
            .role_label(day.state.person(objector).unwrap().role);
        let (objected, outcome) = match lang {
            Lang::Id => (
                "mengajukan keberatan",
                format!("Penyelesaian keberatan pada catatan {seq}"),
            ),
            Lang::En => (
                "objected",
                format!("Outcome of the objection in record {seq}"),
            ),
        };
        assert!(
            shown
                .iter()
                .any(|l| l.contains(objector.get(lang)) && l.contains(objected)),
            "no keberatan by {} ({lang:?})",
            objector.get(lang)
        );
        assert!(shown.iter().any(|l| l.contains(&outcome)), "{outcome}");
        for (i, line) in shown.into_iter().enumerate() {
            read.add(format!("journal line {i} ({lang:?})"), line);
        }
        for step in &procedure.steps {
            read.add(format!("step {}", step.id), step.title.get(lang));
            for (i, text) in step.instructions.iter().enumerate() {
                read.add(format!("step {} instruction {i}", step.id), text.get(lang));
            }
        }
    }
    read.check();
}

#[test]
fn a_pemilu_day_names_ballots_and_saksi_as_the_forms_do() {
    a_day_read(PEMILU_JABAR);
}

#[test]
fn a_pilkada_day_names_ballots_and_saksi_as_the_forms_do() {
    a_day_read(PILKADA_PAPUA);
}

#[test]
fn the_checks_catch_what_they_look_for() {
    // The checks themselves can fail: a code inside a sentence, a numbered saksi.
    assert!(has_token("Surat suara DPRD-KABKOTA rusak", "DPRD-KABKOTA"));
    assert!(has_token(" GUB    SGL-1", "GUB"));
    assert!(!has_token("Surat suara Gubernur", "GUB"));
    assert!(!has_token("DPRD-PROV", "DPRD-P"));
    assert!(numbered_saksi("Siti (Saksi Partai Politik no. 3)"));
    assert!(numbered_saksi("Siti (Witness, Political party no. 3)"));
    assert!(!numbered_saksi("Siti (Saksi 3. Partai Demokrasi)"));
}

#[test]
fn the_chair_explains_voting_and_duties_right_after_the_oath_the_rest_after_the_count() {
    // Seed 004 line 46 follows the oath (line 45); lines 72-79 come after the count.
    for package in [PEMILU_JABAR, PILKADA_PAPUA] {
        let day = Day::new(package);
        let steps = day.step_ids();
        let at = |id: &str| steps.iter().position(|s| s == id).unwrap();
        assert_eq!(at("penjelasan-awal"), at("sumpah") + 1);
        assert!(at("penjelasan-awal") < at("buka-kotak"));
        assert!(at("penjelasan") > at("hitung-surat-suara"));
        let procedure = day.state.procedure();
        let topics = |step: &str| -> BTreeSet<String> {
            let (_, spec) = procedure.step(step).unwrap();
            procedure.topics_of(spec).map(|t| t.id.clone()).collect()
        };
        let first = topics("penjelasan-awal");
        assert!(first.contains("tata-cara-memilih") && first.contains("pembagian-tugas"));
        let later = topics("penjelasan");
        for t in [
            "jumlah-surat-suara",
            "tata-cara-keberatan",
            "tata-cara-pemantauan",
        ] {
            assert!(later.contains(t) && !first.contains(t), "{t}");
        }
    }
}

#[test]
fn the_empty_box_step_closes_and_locks_the_boxes_and_seals_nothing() {
    // Seed 004 line 67: show the box empty, close it, lock it; the sealing is after the count.
    for package in [PEMILU_JABAR, PILKADA_PAPUA] {
        let day = Day::new(package);
        let (_, spec) = day.state.procedure().step("kotak-kosong").unwrap();
        let texts: Vec<String> = std::iter::once(&spec.title)
            .chain(&spec.instructions)
            .flat_map(|b| [b.id.to_lowercase(), b.en.to_lowercase()])
            .collect();
        assert!(texts.iter().any(|t| t.contains("kunci")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("lock")), "{texts:?}");
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("segel") || t.contains("seal")),
            "{texts:?}"
        );
    }
}

#[test]
fn the_pilkada_forms_are_the_kwk_models() {
    // The Pilkada procedure names its forms Model C.Hasil-KWK and the others -KWK.
    for (package, kwk) in [(PEMILU_JABAR, false), (PILKADA_PAPUA, true)] {
        let day = Day::new(package);
        let forms: Vec<_> = day
            .state
            .procedure()
            .equipment
            .iter()
            .filter(|e| e.name.id.starts_with("Formulir"))
            .collect();
        assert!(forms.len() >= 3, "Pilkada: {kwk}");
        for form in forms {
            assert_eq!(form.name.id.contains("-KWK"), kwk, "{}", form.name.id);
        }
    }
}

#[test]
fn the_close_out_names_the_voter_lists_as_the_forms_do() {
    // Issue 8: "DPK (daftar pemilih khusus)", "DPTb (pemilih pindahan)"; the close-out is
    // "Penggunaan surat suara dan kehadiran pemilih".
    for package in [PEMILU_JABAR, PILKADA_PAPUA] {
        let day = Day::new(package);
        let (_, spec) = day.state.procedure().step("rekap").unwrap();
        assert_eq!(
            spec.title.id,
            "Penggunaan surat suara dan kehadiran pemilih"
        );
        let said: String = spec.instructions.iter().map(|b| b.id.clone()).collect();
        assert!(said.contains("DPTb (pemilih pindahan)"), "{said}");
        assert!(said.contains("DPK (daftar pemilih khusus)"), "{said}");
    }
}
