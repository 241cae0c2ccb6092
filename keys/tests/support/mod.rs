//! Running the built `tps-keys` binary, and writing a kiosk journal with the files it made.
#![allow(dead_code)]
// Test fixtures: a failure here is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use tps_firmware::identity::keyfile::{KeyKind, read_signing_key};
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::journal::{JournalPaths, SignedRecord};

/// The firmware tests' fixtures: their [`fixtures::Chain`] writes journals through the store.
#[path = "../../../firmware/journal/tests/support/mod.rs"]
mod fixtures;

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

/// The path of one of `keys/examples`, as an argument.
pub fn example(name: &str) -> String {
    examples().join(name).to_str().unwrap().to_string()
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

/// `package build SOURCE --authority-key KEY --out OUT` in `dir`.
pub fn build_package(dir: &Path, source: &str, key: &str, out: &str) -> Run {
    tps_keys(
        dir,
        &[
            "package",
            "build",
            source,
            "--authority-key",
            key,
            "--out",
            out,
            "--device",
            "pi-0001",
        ],
    )
}

/// `journal verify JOURNAL --authority auth/authority.pub` and `extra` in `dir`.
pub fn verify_journal(dir: &Path, journal: &str, extra: &[&str]) -> Run {
    tps_keys(
        dir,
        &[
            &[
                "journal",
                "verify",
                journal,
                "--authority",
                "auth/authority.pub",
            ],
            extra,
        ]
        .concat(),
    )
}

/// device request (`device.key`, `device.req`) and device certify (`device.crt`, two years
/// from 2024-01-01) in `dir`, signed with the authority's secret key at `authority_key`.
pub fn certify_device(dir: &Path, device_id: &str, authority_key: &str, development: bool) {
    tps_keys(
        dir,
        &[
            "device",
            "request",
            "--device-id",
            device_id,
            "--key-out",
            "device.key",
            "--out",
            "device.req",
        ],
    )
    .expect(0);
    let dev: &[&str] = if development { &["--development"] } else { &[] };
    tps_keys(
        dir,
        &[
            &[
                "device",
                "certify",
                "device.req",
                "--authority-key",
                authority_key,
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
}

/// authority init, device request, device certify and package build, in `dir`.
pub fn provision(dir: &Path, example_name: &str, development: bool) -> Provisioned {
    let dev: &[&str] = if development { &["--development"] } else { &[] };
    tps_keys(
        dir,
        &[&["authority", "init", "--out", "auth"], dev].concat(),
    )
    .expect(0);
    certify_device(dir, "pi-0001", "auth/authority.key", development);
    build_package(
        dir,
        &example(example_name),
        "auth/authority.key",
        "package.tpsp",
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

/// Writes a journal of `n` records at `dir/journal.tpsj` (mirror `dir/usb/journal.tpsj`) with
/// the provisioned device, from 07:00 local time a minute apart, and copies the package next to
/// it as a kiosk export does.
pub fn write_journal(p: &Provisioned, dir: &Path, n: u64) -> Vec<SignedRecord> {
    std::fs::create_dir_all(dir.join("usb")).unwrap();
    let package = std::fs::read(&p.package).unwrap();
    std::fs::write(dir.join("package.tpsp"), &package).unwrap();
    let chain = fixtures::Chain {
        authority: read_signing_key(&p.authority_key, KeyKind::AuthoritySecret).unwrap(),
        device: read_signing_key(&p.device_key, KeyKind::DeviceSecret).unwrap(),
        certificate: std::fs::read(&p.certificate).unwrap(),
        base: morning(&ElectionPackage::read_unverified(&package).unwrap()),
        package,
    };
    let paths = JournalPaths {
        primary: dir.join("journal.tpsj"),
        mirror: dir.join("usb/journal.tpsj"),
        mirror_on_own_device: false,
    };
    chain.write(&paths, n)
}
