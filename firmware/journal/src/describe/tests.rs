use super::*;
use tps_base::bounded::{List, Text};
use tps_base::election::{BallotType, MaleFemale, ParticipantId, ParticipantKind, TpsCode};
use tps_base::power::PowerState;
use tps_base::time::ClockStatus;
use tps_domain::event::{
    Absent, Genesis, Incident, IncidentKind, MirrorRepair, Missing, Outcome, Recovery, ReportKind,
};
use tps_domain::input::{
    BallotTally, BallotUsage, BoxLock, EnvelopeSeal, Exception, ItemCheck, ItemCount,
    Reconciliation, StepInput, Turnout,
};
use tps_domain::pin::PinHash;

fn stamp(i: u64) -> Stamp {
    Stamp {
        wall_ms: 1_707_868_800_000 + i as i64 * 60_000,
        mono_ms: i,
        clock: ClockStatus::Trusted,
    }
}

fn rec(seq: u64, body: RecordBody) -> Record {
    Record {
        seq,
        prev: [0; 32],
        stamp: stamp(seq),
        body,
    }
}

fn text<const N: usize>(s: &str) -> Text<N> {
    Text::new(s).unwrap()
}

fn registration(person: u16, role: Role, name: &str, letter: &str) -> RecordBody {
    RecordBody::PersonRegistered {
        person: PersonId(person),
        role,
        name: text(name),
        letter: text(letter),
        id_number: Text::empty(),
        pin: PinHash {
            memory_kib: 64,
            iterations: 1,
            salt: [0; 16],
            hash: [0; 32],
        },
        present: true,
        by: (person != 0).then_some(PersonId(0)),
    }
}

fn register(seq: u64, person: u16, role: Role, name: &str) -> Record {
    rec(seq, registration(person, role, name, ""))
}

const PARTY_3: Role = Role::Saksi(ParticipantId {
    kind: ParticipantKind::Partai,
    number: 3,
});

/// The chair, a saksi, a ballot count proposed, the saksi's confirmation and one by nobody known.
fn a_confirmed_count() -> Vec<Record> {
    vec![
        register(0, 0, Role::CHAIR, "Budi Santoso"),
        register(1, 1, PARTY_3, "Siti Aminah"),
        rec(
            2,
            RecordBody::StepProposed {
                step: text("hitung-surat-suara"),
                input: Box::new(StepInput::BallotCount {
                    counts: List::from_slice(&[BallotTally {
                        ballot: BallotType::Ppwp,
                        counted: 299,
                        dapil_ok: true,
                    }])
                    .unwrap(),
                    exception: None,
                }),
                corrects: None,
                reason: None,
            },
        ),
        rec(
            3,
            RecordBody::Confirmed {
                person: PersonId(1),
                proposal: 2,
            },
        ),
        rec(
            4,
            RecordBody::Confirmed {
                person: PersonId(9),
                proposal: 2,
            },
        ),
    ]
}

#[test]
fn a_confirmation_names_the_person_their_role_and_the_step() {
    let lines = describe_all(&a_confirmed_count(), Some(TimeZone::Wib), Lang::En, None);
    assert_eq!(
        lines[3].text,
        "Siti Aminah (Witness, Political party no. 3) confirmed the proposal for step \
         'hitung-surat-suara' (record 2)"
    );
    assert_eq!(
        lines[3].by,
        vec!["Siti Aminah (Witness, Political party no. 3)"]
    );
    assert_eq!(
        lines[1].by,
        vec!["Budi Santoso (KPPS chair)"],
        "the chair accepted the registration"
    );
    assert!(lines[2].text.contains("PPWP 299"), "{}", lines[2].text);
    assert!(lines[4].text.starts_with("person #9 (not registered)"));
    assert_eq!(
        lines[3].render(Some(TimeZone::Wib)),
        "    3  2024-02-14 07:03:00 WIB  Siti Aminah (Witness, Political party no. 3) \
         confirmed the proposal for step 'hitung-surat-suara' (record 2)  [by Siti Aminah \
         (Witness, Political party no. 3)]"
    );
}

/// ... and a ballot type by its name in the procedure, never by its code.
#[test]
fn with_its_procedure_a_step_is_named_by_its_title_in_the_reader_s_language() {
    let procedure = tps_domain::spec::builtin("pemilu-2024").unwrap();
    let records = a_confirmed_count();
    let id = describe_all(&records, Some(TimeZone::Wib), Lang::Id, Some(&procedure));
    assert_eq!(
        id[2].text,
        "Langkah 'Hitung surat suara, termasuk cadangan 2%' diajukan: surat suara dihitung (Presiden dan Wakil Presiden 299)"
    );
    assert_eq!(
        id[3].text,
        "Siti Aminah (Saksi Partai Politik no. 3) mengonfirmasi pengajuan langkah \
         'Hitung surat suara, termasuk cadangan 2%' (catatan 2)"
    );
    let en = describe_all(&records, Some(TimeZone::Wib), Lang::En, Some(&procedure));
    assert!(
        en[3]
            .text
            .ends_with("'Count the ballots, including the 2% reserve' (record 2)"),
        "{}",
        en[3].text
    );
}

#[test]
fn a_confirmation_in_indonesian_names_the_person_their_role_and_the_step() {
    let lines = describe_all(&a_confirmed_count(), Some(TimeZone::Wib), Lang::Id, None);
    assert_eq!(
        lines[3].text,
        "Siti Aminah (Saksi Partai Politik no. 3) mengonfirmasi pengajuan langkah \
         'hitung-surat-suara' (catatan 2)"
    );
    assert_eq!(
        lines[1].by,
        vec!["Budi Santoso (Ketua KPPS)"],
        "the chair accepted the registration"
    );
    assert_eq!(
        lines[2].text,
        "Langkah 'hitung-surat-suara' diajukan: surat suara dihitung (PPWP 299)"
    );
    assert!(lines[4].text.starts_with("orang #9 (tidak terdaftar)"));
    assert_eq!(
        lines[3].render(Some(TimeZone::Wib)),
        "    3  2024-02-14 07:03:00 WIB  Siti Aminah (Saksi Partai Politik no. 3) \
         mengonfirmasi pengajuan langkah 'hitung-surat-suara' (catatan 2)  [oleh Siti Aminah \
         (Saksi Partai Politik no. 3)]"
    );
}

#[test]
fn typed_text_cannot_break_the_line() {
    let records = vec![
        register(0, 0, Role::CHAIR, "Budi\nSantoso"),
        rec(
            1,
            RecordBody::Objected {
                person: PersonId(0),
                proposal: None,
                reason: text("line one\nline two\r\x1b[2J"),
            },
        ),
    ];
    for lang in [Lang::Id, Lang::En] {
        for line in describe_all(&records, None, lang, None) {
            let shown = line.render(None);
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
        }
    }
}

/// One record of every kind, every kind of step input and every kind of incident, with what
/// people typed in Indonesian (as they would at a TPS) so that any English in a line is ours.
pub(crate) fn one_of_everything() -> Vec<Record> {
    let exception = || {
        Some(Exception {
            action: text("lapor ke PPS"),
            pps_contacted: true,
        })
    };
    let propose = |input: StepInput| RecordBody::StepProposed {
        step: text("persiapan"),
        input: Box::new(input),
        corrects: None,
        reason: None,
    };
    let incident = |kind: IncidentKind, raised_by: Option<PersonId>| {
        RecordBody::Incident(Incident {
            kind,
            text: text("menunggu 30 menit"),
            raised_by,
            witnesses: List::from_slice(&[PersonId(0)]).unwrap(),
            refers_to: Some(5),
        })
    };
    let voters = MaleFemale { male: 5, female: 6 };
    let bodies = vec![
        RecordBody::Genesis(Box::new(Genesis {
            certificate: List::new(),
            package_hash: [7; 32],
            tps: TpsCode::parse("31.71.01.1001.012").unwrap(),
            firmware_version: text("tps-kiosk 0.1.0"),
        })),
        RecordBody::Started {
            firmware_version: text("tps-kiosk 0.1.0"),
            recovery: Recovery {
                primary_quarantined: 12,
                mirror_quarantined: 3,
                mirror_repair: MirrorRepair::CopiedToMirror { records: 2 },
            },
        },
        registration(0, Role::CHAIR, "Budi Santoso", ""),
        registration(1, PARTY_3, "Siti Aminah", "SM-3/077"),
        RecordBody::PresenceChanged {
            person: PersonId(1),
            present: false,
            by: PersonId(0),
        },
        RecordBody::PinFailed {
            person: PersonId(1),
            failures: 3,
        },
        RecordBody::StepProposed {
            step: text("persiapan"),
            input: Box::new(StepInput::Checklist {
                items: List::from_slice(&[ItemCheck {
                    item: text("kotak"),
                    present: false,
                }])
                .unwrap(),
                exception: exception(),
            }),
            corrects: Some(1),
            reason: Some(text("salah ketik")),
        },
        RecordBody::Confirmed {
            person: PersonId(1),
            proposal: 6,
        },
        RecordBody::Objected {
            person: PersonId(1),
            proposal: Some(6),
            reason: text("jumlahnya keliru"),
        },
        RecordBody::StepCompleted {
            step: text("persiapan"),
            proposal: 6,
            chair: PersonId(0),
        },
        incident(IncidentKind::Reported, Some(PersonId(1))),
        incident(
            IncidentKind::StepException {
                step: text("persiapan"),
            },
            Some(PersonId(0)),
        ),
        incident(
            IncidentKind::QuorumWaived {
                step: text("pembukaan"),
                missing: Box::new(Missing {
                    pengawas: true,
                    saksi_participants: 2,
                    witnesses: 1,
                    absent: List::from_slice(&[Absent {
                        person: PersonId(1),
                        left_ms: Some(1_707_868_800_000),
                    }])
                    .unwrap(),
                }),
            },
            Some(PersonId(0)),
        ),
        incident(
            IncidentKind::Declined {
                step: text("persiapan"),
                person: PersonId(1),
            },
            Some(PersonId(0)),
        ),
        RecordBody::DpkAnnounced { chair: PersonId(0) },
        RecordBody::VotingEnded { chair: PersonId(0) },
        RecordBody::ClockAnomaly {
            rtc_ms: 1_707_868_800_000,
            journal_ms: 1_707_868_800_000 + 192_000,
        },
        RecordBody::ClockSet {
            old_ms: 1_707_868_800_000,
            new_ms: 1_707_868_800_000 + 3_600_000,
            by: text("Teknisi Andi"),
        },
        RecordBody::TamperChanged { open: true },
        RecordBody::TamperChanged { open: false },
        RecordBody::PowerChanged {
            state: PowerState::Battery,
        },
        RecordBody::PowerChanged {
            state: PowerState::BatteryLow,
        },
        RecordBody::PowerChanged {
            state: PowerState::Mains,
        },
        RecordBody::MirrorRestored { records_copied: 4 },
        RecordBody::MirrorRemoved,
        RecordBody::TamperWhileOff {
            opened_ms: Some(1_707_868_800_000),
        },
        RecordBody::TamperWhileOff { opened_ms: None },
        RecordBody::ClockMoved {
            rtc_ms: 1_707_868_800_000 + 3_600_000,
            expected_ms: 1_707_868_800_000,
        },
        RecordBody::BreakAnnounced {
            chair: PersonId(0),
            minutes: 30,
        },
        RecordBody::ReportPrinted {
            kind: ReportKind::Opening,
            digest: [0xab; 32],
        },
        RecordBody::ReportPrinted {
            kind: ReportKind::Closing,
            digest: [0xab; 32],
        },
        propose(StepInput::Attendance),
        propose(StepInput::Oath),
        propose(StepInput::BoxInventory {
            items: List::from_slice(&[ItemCount {
                item: text("segel"),
                count: 10,
            }])
            .unwrap(),
            exception: exception(),
        }),
        propose(StepInput::EmptyBox {
            locks: List::from_slice(&[BoxLock {
                ballot: BallotType::Dpd,
                seal: text("GBK-0103"),
            }])
            .unwrap(),
        }),
        propose(StepInput::SealCheck {
            seals: List::from_slice(&[EnvelopeSeal {
                ballot: BallotType::Dpr,
                seal: text("SGL-07702"),
                intact: false,
            }])
            .unwrap(),
            exception: exception(),
        }),
        propose(StepInput::BallotCount {
            counts: List::from_slice(&[BallotTally {
                ballot: BallotType::Ppwp,
                counted: 302,
                dapil_ok: false,
            }])
            .unwrap(),
            exception: None,
        }),
        propose(StepInput::Explanations {
            topics: List::from_slice(&[text("tata-cara-memilih")]).unwrap(),
        }),
        propose(StepInput::PollsOpen),
        propose(StepInput::PollsClose { queued: 4 }),
        propose(StepInput::Reconciliation(Reconciliation {
            ballots: List::from_slice(&[BallotUsage {
                ballot: BallotType::Ppwp,
                used: 11,
                unused: 288,
                damaged: 0,
                dptb_voters: 0,
            }])
            .unwrap(),
            turnout: Turnout {
                dpt: voters,
                dptb: MaleFemale::default(),
                dpk: MaleFemale::default(),
            },
            disabled_voters: MaleFemale { male: 0, female: 1 },
        })),
        RecordBody::ObjectionResolved {
            objection: 7,
            outcome: Box::new(Outcome::Explained {
                note: text("prosedur sudah dijelaskan"),
            }),
            chair: PersonId(0),
            witnesses: List::from_slice(&[PersonId(1)]).unwrap(),
        },
        RecordBody::ObjectionResolved {
            objection: 7,
            outcome: Box::new(Outcome::Accepted { correction: 6 }),
            chair: PersonId(0),
            witnesses: List::new(),
        },
        RecordBody::ObjectionResolved {
            objection: 7,
            outcome: Box::new(Outcome::NotAccepted {
                advice: text("hitung ulang DPD"),
                followed: false,
                why_not: Some(text("sudah dihitung dua kali")),
            }),
            chair: PersonId(0),
            witnesses: List::from_slice(&[PersonId(1)]).unwrap(),
        },
        RecordBody::NihilConfirmed { chair: PersonId(0) },
    ];
    let mut records: Vec<Record> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, b)| rec(i as u64, b))
        .collect();
    // Stamps from a clock that could not be trusted, which a line says.
    records[16].stamp.clock = ClockStatus::BehindJournal;
    records[17].stamp.clock = ClockStatus::OscillatorStopped;
    records
}

/// English words that give away a line left untranslated (checked without regard to case).
const ENGLISH: &[&str] = &[
    " the ",
    " by ",
    " of ",
    " and ",
    " to ",
    "confirmed",
    "registered",
    "step",
    "witness",
    "proposal",
    "record",
    "incident",
    "clock",
    "power",
    "ballot",
    "polls",
    "report",
    "mirror",
    "journal",
    "present",
    "untrusted",
    "device",
    "opened",
    "closed",
    "counted",
    "checked",
    "exception",
    "letter",
    "person",
    "wrong",
    "technician",
    "announced",
    "declared",
    "voters",
];

#[test]
fn every_kind_of_record_has_words_in_both_languages() {
    let records = one_of_everything();
    let en = describe_all(&records, Some(TimeZone::Wit), Lang::En, None);
    let id = describe_all(&records, Some(TimeZone::Wit), Lang::Id, None);
    for (en, id) in en.iter().zip(&id) {
        for line in [en, id] {
            assert!(!line.text.is_empty());
            assert!(!line.render(Some(TimeZone::Wit)).contains('\n'));
        }
        assert_ne!(en.text, id.text, "not translated: {}", en.text);
        let shown = id.render(Some(TimeZone::Wit)).to_lowercase();
        for word in ENGLISH {
            assert!(!shown.contains(word), "English {word:?} in: {shown}");
        }
    }

    assert!(en[0].text.contains("TPS 31.71.01.1001.012"));
    assert!(en[1].text.contains("12 bytes"));
    assert!(en[6].text.starts_with("Correction of proposal record 1"));
    assert!(en[12].text.contains("the Pengawas TPS"));
    assert!(en[16].text.contains("3 min 12 s earlier"));
    assert!(en[17].text.contains("forward 1 h 0 min"));
    assert!(en[17].text.contains("2024-02-14 09:00:00 WIT"));

    assert!(id[0].text.contains("TPS 31.71.01.1001.012"));
    assert!(id[1].text.contains("12 byte"));
    assert!(
        id[3].text.contains("surat mandat SM-3/077"),
        "{}",
        id[3].text
    );
    assert!(
        id[6]
            .text
            .starts_with("Koreksi atas pengajuan pada catatan 1")
    );
    assert!(id[6].text.contains("PPS sudah dihubungi"), "{}", id[6].text);
    assert!(
        id[12].text.contains(
            "tanpa konfirmasi dari Pengawas TPS, saksi dari 2 peserta lagi, 1 saksi/pengawas \
             lagi dan Siti Aminah (Saksi Partai Politik no. 3) (keluar pukul 2024-02-14 09:00:00 \
             WIT)"
        ),
        "{}",
        id[12].text
    );
    assert!(id[16].text.contains("3 menit 12 detik lebih awal"));
    assert!(id[17].text.contains("dimajukan 1 jam 0 menit"));
    assert!(id[17].text.contains("2024-02-14 09:00:00 WIT"));
    assert_eq!(id[7].by, vec!["Siti Aminah (Saksi Partai Politik no. 3)"]);
}

#[test]
fn incidents_are_named_as_the_kiosk_names_them() {
    let records = one_of_everything();
    for lang in [Lang::Id, Lang::En] {
        let lines = describe_all(&records, None, lang, None);
        for (line, record) in lines.iter().zip(&records) {
            if let RecordBody::Incident(incident) = &record.body {
                let title = incident.kind.title();
                assert!(line.text.contains(title.get(lang)), "{}", line.text);
            }
        }
    }
    let id = describe_all(&records, None, Lang::Id, None);
    assert_eq!(
        id[10].text,
        "Kejadian khusus, dilaporkan oleh Siti Aminah (Saksi Partai Politik no. 3): menunggu \
         30 menit (tentang catatan 5)"
    );
    assert_eq!(
        id[13].text,
        "Kejadian khusus: Saksi hadir tidak bersedia menanggapi: Siti Aminah (Saksi Partai Politik \
         no. 3) pada langkah 'persiapan': menunggu 30 menit (tentang catatan 5)"
    );
}

#[test]
fn times_without_a_zone_are_utc() {
    assert_eq!(
        format_time(1_707_868_800_000, None),
        "2024-02-14 00:00:00 UTC"
    );
    assert_eq!(
        format_time(1_707_868_800_000, Some(TimeZone::Wita)),
        "2024-02-14 08:00:00 WITA"
    );
}

#[test]
fn a_monitor_is_listed_with_their_letter_and_their_id_number() {
    let mut body = registration(1, Role::Pemantau, "Rina Wati", "ST-07/JPPR/2024");
    if let RecordBody::PersonRegistered { id_number, .. } = &mut body {
        *id_number = text("3171014506900002");
    }
    let records = [register(0, 0, Role::CHAIR, "Budi Santoso"), rec(1, body)];
    let id = describe_all(&records, None, Lang::Id, None);
    assert_eq!(
        id[1].text,
        "Rina Wati didaftarkan sebagai Pemantau (#1), surat tugas ST-07/JPPR/2024, nomor \
         identitas 3171014506900002, hadir"
    );
    let en = describe_all(&records, None, Lang::En, None);
    assert_eq!(
        en[1].text,
        "Registered Rina Wati as Election monitor (#1), letter ST-07/JPPR/2024, ID number \
         3171014506900002, present"
    );
}
