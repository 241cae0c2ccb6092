//! Running the built `tps-keys` binary, and writing a kiosk journal with the files it made.
#![allow(dead_code)]
// Test fixtures: a failure here is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use tps_firmware::bounded::{List, Text};
use tps_firmware::event::{Genesis, PowerState, RecordBody};
use tps_firmware::identity::keyfile::{KeyKind, read_signing_key};
use tps_firmware::identity::package::ElectionPackage;
use tps_firmware::journal::{Journal, JournalPaths, SignedRecord};
use tps_firmware::procedure::input::{StepId, StepInput};
use tps_firmware::procedure::people::{PersonId, Role};
use tps_firmware::procedure::pin::PinHash;
use tps_firmware::time::{ClockStatus, Stamp};

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts the run failed with one line on stderr that mentions each of `words`, and no
    /// panic or backtrace.
    pub fn one_line_error(self, code: i32, words: &[&str]) -> Self {
        let run = self.expect(code);
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("backtrace"),
            "{}",
            run.stderr
        );
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line of error, got: {:?}", run.stderr);
        for w in words {
            assert!(
                lines[0].contains(w),
                "{:?} does not mention {w:?}",
                lines[0]
            );
        }
        run
    }
}

/// Runs `tps-keys` with `args` in `dir`, with backtraces on so that a panic could not hide.
pub fn tps_keys(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tps-keys"))
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Paths of a provisioned device in a directory: everything made with the CLI.
#[derive(Debug, Clone)]
pub struct Provisioned {
    pub dir: PathBuf,
    pub authority_key: PathBuf,
    pub authority_pub: PathBuf,
    pub device_key: PathBuf,
    pub certificate: PathBuf,
    pub package: PathBuf,
}

/// authority init, device request, device certify and package build, in `dir`.
pub fn provision(dir: &Path, example: &str, development: bool) -> Provisioned {
    let dev: &[&str] = if development { &["--development"] } else { &[] };
    tps_keys(
        dir,
        &[&["authority", "init", "--out", "auth"], dev].concat(),
    )
    .expect(0);
    tps_keys(
        dir,
        &[
            "device",
            "request",
            "--device-id",
            "pi-0001",
            "--key-out",
            "device.key",
            "--out",
            "device.req",
        ],
    )
    .expect(0);
    tps_keys(
        dir,
        &[
            &[
                "device",
                "certify",
                "device.req",
                "--authority-key",
                "auth/authority.key",
                "--valid-days",
                "730",
                "--not-before",
                "2024-01-01",
                "--out",
                "device.crt",
            ],
            dev,
        ]
        .concat(),
    )
    .expect(0);
    let source = examples().join(example);
    tps_keys(
        dir,
        &[
            "package",
            "build",
            source.to_str().unwrap(),
            "--authority-key",
            "auth/authority.key",
            "--out",
            "package.tpsp",
        ],
    )
    .expect(0);
    Provisioned {
        dir: dir.to_path_buf(),
        authority_key: dir.join("auth/authority.key"),
        authority_pub: dir.join("auth/authority.pub"),
        device_key: dir.join("device.key"),
        certificate: dir.join("device.crt"),
        package: dir.join("package.tpsp"),
    }
}

/// 07:00 local time on the package's date, in unix ms.
pub fn morning(package: &ElectionPackage) -> i64 {
    tps_firmware::time::instant_at(
        package.date,
        tps_firmware::time::LocalTime::new(7, 0),
        package.zone,
    )
    .unwrap()
}

fn body(i: u64) -> RecordBody {
    match i {
        1 => RecordBody::PersonRegistered {
            person: PersonId(0),
            role: Role::CHAIR,
            name: Text::new("Budi Santoso").unwrap(),
            letter: Text::empty(),
            pin: PinHash {
                memory_kib: 64,
                iterations: 1,
                salt: [1; 16],
                hash: [2; 32],
            },
            present: true,
            by: None,
        },
        2 => RecordBody::StepProposed {
            step: StepId::new("persiapan").unwrap(),
            input: Box::new(StepInput::Attendance),
            corrects: None,
            reason: None,
        },
        3 => RecordBody::Confirmed {
            person: PersonId(0),
            proposal: 2,
        },
        i if i.is_multiple_of(2) => RecordBody::PowerChanged {
            state: PowerState::Battery,
        },
        _ => RecordBody::PowerChanged {
            state: PowerState::Mains,
        },
    }
}

/// Writes a journal of `n` records at `dir/journal.tpsj` (mirror `dir/usb/journal.tpsj`) with
/// the provisioned device, and copies the package next to it as a kiosk export does.
pub fn write_journal(p: &Provisioned, dir: &Path, n: u64) -> Vec<SignedRecord> {
    std::fs::create_dir_all(dir.join("usb")).unwrap();
    let key = read_signing_key(&p.device_key, KeyKind::DeviceSecret).unwrap();
    let cert = std::fs::read(&p.certificate).unwrap();
    let pkg = std::fs::read(&p.package).unwrap();
    let package = ElectionPackage::read_unverified(&pkg).unwrap();
    std::fs::write(dir.join("package.tpsp"), &pkg).unwrap();
    let paths = JournalPaths {
        primary: dir.join("journal.tpsj"),
        mirror: dir.join("usb/journal.tpsj"),
    };
    let mut journal = Journal::open(paths, key).unwrap().journal;
    let base = morning(&package);
    (0..n)
        .map(|i| {
            let b = if i == 0 {
                RecordBody::Genesis(Box::new(Genesis {
                    certificate: List::from_slice(&cert).unwrap(),
                    package_hash: ElectionPackage::hash(&pkg),
                    tps: package.tps,
                    firmware_version: Text::new(tps_firmware::FIRMWARE_VERSION).unwrap(),
                }))
            } else {
                body(i)
            };
            let stamp = Stamp {
                wall_ms: base + i as i64 * 60_000,
                mono_ms: 5_000 + i * 60_000,
                clock: ClockStatus::Trusted,
            };
            journal.append(stamp, b).unwrap()
        })
        .collect()
}
