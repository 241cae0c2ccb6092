//! The technician's PIN: set when the device is provisioned (typed twice, the same weak-PIN rules
//! as the KPPS PINs), it guards what only a technician does (provisioning again after an
//! election, setting the clock before the day, the export).
//!
//! The file `DIR/technician.pin` (mode 0600, replaced atomically) holds the salted Argon2id hash
//! keyed with the device's [`PinKey`] and the count of wrong PINs since the last right one, signed
//! with the device key: an edited, truncated or foreign file is refused, never taken as "no PIN".
//! Wrong PINs get the KPPS PINs' delay ([`PinPolicy::delay_after`]), counted on the monotonic
//! clock from the last wrong PIN or, after a restart, from the restart: the count survives in the
//! file, so switching the kiosk off and on never shortens a delay.

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use serde::{Deserialize, Serialize};

use super::atomic;
use super::files::{DataDir, Identity};
use tps_base::text::{Bilingual, Lang};
use tps_domain::pin::{Pin, PinHash, PinKey, PinPolicy, PinProblem};
use tps_engine::Refusal;
use tps_journal::identity::file::{self, OpenError};
use tps_journal::identity::package::SignedPackage;

/// The file's first bytes: what it is and its version.
const MAGIC: &[u8; 8] = b"TPSTPIN1";
/// The largest file the kiosk reads: the magic, the record (well under 128 bytes), a signature.
const MAX_FILE: u64 = 256;

/// What the file holds, under the device's signature.
#[derive(Serialize, Deserialize)]
struct Stored {
    hash: PinHash,
    /// Wrong PINs since the last right one.
    failures: u16,
}

/// Why the technician PIN could not be set or was not accepted.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum TechnicianError {
    /// The PIN breaks the weak-PIN rules.
    Weak(PinProblem),
    /// The two PINs typed when setting it differ.
    Mismatch,
    /// A wrong PIN; `wait_ms` is the delay before the next try, if one now applies.
    Wrong {
        /// Consecutive wrong PINs, this one included.
        failures: u16,
        /// The wait before the next try (ms), if one applies.
        wait_ms: Option<u64>,
    },
    /// Too many wrong PINs: no PIN is tried for `wait_ms` more.
    Locked {
        /// Milliseconds left.
        wait_ms: u64,
    },
    /// No technician PIN is set on this device.
    NotSet {
        /// The PIN file.
        path: PathBuf,
    },
    /// The PIN file is not one this device wrote (edited, truncated, a link, too large).
    Damaged {
        /// The PIN file.
        path: PathBuf,
        /// What is wrong with it.
        why: Bilingual,
    },
    /// Reading or writing the PIN file failed.
    Io {
        /// The PIN file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The operating system's random source failed (for the salt).
    Random,
    /// The procedure's Argon2 parameters are out of range.
    Policy,
    /// The device's identity (its key, its package) cannot be read, so no PIN can be checked.
    Identity {
        /// What cannot be read.
        why: Bilingual,
    },
}

impl TechnicianError {
    /// A short stable name for scenarios and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            TechnicianError::Weak(_) => "weak-pin",
            TechnicianError::Mismatch => "pin-mismatch",
            TechnicianError::Wrong { .. } => "wrong-technician-pin",
            TechnicianError::Locked { .. } => "technician-pin-locked",
            TechnicianError::NotSet { .. } => "no-technician-pin",
            TechnicianError::Damaged { .. } => "technician-pin-damaged",
            TechnicianError::Io { .. } => "io",
            TechnicianError::Random => "random",
            TechnicianError::Policy => "pin-policy",
            TechnicianError::Identity { .. } => "identity",
        }
    }

    /// What is wrong and what to do, in both languages.
    pub fn bilingual(&self) -> Bilingual {
        let wait = |ms: u64| ms.div_ceil(1000);
        match self {
            TechnicianError::Weak(p) => {
                let r = Refusal::WeakPin(*p);
                Bilingual::new(r.message(Lang::Id), r.message(Lang::En))
            }
            TechnicianError::Mismatch => Bilingual::new(
                "Kedua PIN teknisi tidak sama; ketik ulang keduanya.",
                "The two technician PINs differ; type both again.",
            ),
            TechnicianError::Wrong {
                failures,
                wait_ms: None,
            } => Bilingual::new(
                format!("PIN teknisi salah ({failures}x)."),
                format!("Wrong technician PIN ({failures} times)."),
            ),
            TechnicianError::Wrong {
                failures,
                wait_ms: Some(ms),
            } => Bilingual::new(
                format!(
                    "PIN teknisi salah ({failures}x). Coba lagi setelah {} detik.",
                    wait(*ms)
                ),
                format!(
                    "Wrong technician PIN ({failures} times). Try again in {} seconds.",
                    wait(*ms)
                ),
            ),
            TechnicianError::Locked { wait_ms } => Bilingual::new(
                format!(
                    "Terlalu banyak PIN teknisi salah. Coba lagi setelah {} detik.",
                    wait(*wait_ms)
                ),
                format!(
                    "Too many wrong technician PINs. Try again in {} seconds.",
                    wait(*wait_ms)
                ),
            ),
            TechnicianError::NotSet { path } => Bilingual::new(
                format!(
                    "{}: PIN teknisi belum dipasang; perangkat harus disiapkan ulang oleh otoritas.",
                    path.display()
                ),
                format!(
                    "{}: no technician PIN is set; the device must be provisioned again by the authority.",
                    path.display()
                ),
            ),
            TechnicianError::Damaged { path, why } => Bilingual::new(
                format!(
                    "{}: berkas PIN teknisi rusak atau diubah ({}); tidak ada yang dibuka. Perangkat harus disiapkan ulang oleh otoritas.",
                    path.display(),
                    why.id
                ),
                format!(
                    "{}: the technician PIN file is damaged or was changed ({}); nothing was unlocked. The device must be provisioned again by the authority.",
                    path.display(),
                    why.en
                ),
            ),
            TechnicianError::Io { path, source } => Bilingual::new(
                format!("{}: gagal membaca/menulis: {source}", path.display()),
                format!("{}: could not be read or written: {source}", path.display()),
            ),
            TechnicianError::Random => Bilingual::new(
                "Sumber acak sistem gagal; PIN teknisi tidak dipasang.",
                "The system's random source failed; the technician PIN was not set.",
            ),
            TechnicianError::Policy => Bilingual::new(
                "Parameter PIN dalam prosedur tidak berlaku.",
                "The procedure's PIN parameters are out of range.",
            ),
            TechnicianError::Identity { why } => Bilingual::new(
                format!(
                    "Identitas perangkat tidak terbaca ({}); PIN teknisi tidak dapat diperiksa.",
                    why.id
                ),
                format!(
                    "The device identity cannot be read ({}); the technician PIN cannot be checked.",
                    why.en
                ),
            ),
        }
    }

    /// What went wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.bilingual().get(lang).to_string()
    }
}

fn render(stored: &Stored, key: &SigningKey) -> Result<Vec<u8>, TechnicianError> {
    let mut bytes = MAGIC.to_vec();
    // Encoding this fixed-size record fails only on out-of-range values, which it cannot hold.
    bytes.extend(postcard::to_allocvec(stored).map_err(|_| TechnicianError::Policy)?);
    let signature = key.sign(&bytes);
    bytes.extend(signature.to_bytes());
    Ok(bytes)
}

fn damaged(path: &Path, id: &str, en: &str) -> TechnicianError {
    TechnicianError::Damaged {
        path: path.to_path_buf(),
        why: Bilingual::new(id, en),
    }
}

/// Reads and checks the PIN file at `path` against the device key.
fn read(path: &Path, key: &SigningKey) -> Result<Stored, TechnicianError> {
    let bytes = file::read_regular(path, MAX_FILE).map_err(|e| match e {
        OpenError::Io(source) if source.kind() == std::io::ErrorKind::NotFound => {
            TechnicianError::NotSet {
                path: path.to_path_buf(),
            }
        }
        OpenError::Io(source) => TechnicianError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => TechnicianError::Damaged {
            path: path.to_path_buf(),
            why: Bilingual::new(other.message(Lang::Id), other.message(Lang::En)),
        },
    })?;
    let short = || damaged(path, "terpotong", "truncated");
    let body_len = bytes.len().checked_sub(64).ok_or_else(short)?;
    if body_len < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(damaged(
            path,
            "bukan berkas PIN teknisi",
            "not a technician PIN file",
        ));
    }
    let (body, signature) = bytes.split_at(body_len);
    let signature = Signature::from_slice(signature).map_err(|_| short())?;
    key.verifying_key().verify(body, &signature).map_err(|_| {
        damaged(
            path,
            "tanda tangan perangkat tidak cocok",
            "the device's signature does not match",
        )
    })?;
    postcard::from_bytes(&body[MAGIC.len()..])
        .map_err(|_| damaged(path, "isi tidak terbaca", "its content cannot be read"))
}

fn write(path: &Path, stored: &Stored, key: &SigningKey) -> Result<(), TechnicianError> {
    let bytes = render(stored, key)?;
    atomic::replace(path, &bytes, 0o600).map_err(|source| TechnicianError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The PIN as typed twice, checked against the weak-PIN rules: what [`set`] stores.
pub fn check_new(first: &str, second: &str, policy: &PinPolicy) -> Result<Pin, TechnicianError> {
    let pin = Pin::parse(first).map_err(TechnicianError::Weak)?;
    pin.check_strength(policy).map_err(TechnicianError::Weak)?;
    if first != second {
        return Err(TechnicianError::Mismatch);
    }
    Ok(pin)
}

/// Sets the technician PIN of the device with `key` in `dir` (replacing any earlier one), the
/// PIN typed twice.
pub fn set(
    dir: &DataDir,
    key: &SigningKey,
    policy: &PinPolicy,
    first: &str,
    second: &str,
) -> Result<(), TechnicianError> {
    let pin = check_new(first, second, policy)?;
    let bytes = sealed(key, policy, &pin)?;
    let path = dir.technician_pin();
    atomic::replace(&path, &bytes, 0o600).map_err(|source| TechnicianError::Io { path, source })
}

/// The PIN file's bytes for a checked new `pin` (provisioning installs them with the rest).
pub(crate) fn sealed(
    key: &SigningKey,
    policy: &PinPolicy,
    pin: &Pin,
) -> Result<Vec<u8>, TechnicianError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| TechnicianError::Random)?;
    let pin_key = PinKey::of_device(&key.to_bytes());
    let hash = PinHash::new(pin, &pin_key, salt, policy).ok_or(TechnicianError::Policy)?;
    render(&Stored { hash, failures: 0 }, key)
}

/// The wrong-PIN delay of one boot: the monotonic time of the boot and of the last wrong PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    boot_mono: u64,
    last_failure_mono: Option<u64>,
}

impl Gate {
    /// The gate of a boot at `boot_mono` (monotonic ms): a delay owed from before the restart
    /// runs again in full from here.
    pub fn new(boot_mono: u64) -> Self {
        Self {
            boot_mono,
            last_failure_mono: None,
        }
    }

    /// Checks `pin` against the technician PIN of the device whose identity is in `dir`, under
    /// its package's PIN rules.
    pub fn unlock_device(
        &mut self,
        dir: &DataDir,
        identity: &Identity,
        pin: &str,
        now_mono: u64,
    ) -> Result<(), TechnicianError> {
        let procedure = identity
            .package
            .procedure()
            .map_err(|e| TechnicianError::Identity {
                why: Bilingual::new(e.message(Lang::Id), e.message(Lang::En)),
            })?;
        self.unlock(dir, &identity.key, &procedure.pin, pin, now_mono)
    }

    /// Checks `pin` against the technician PIN of the device with `key` in `dir` at monotonic
    /// time `now_mono`. A wrong one is counted in the file before the answer; a right one
    /// clears the count.
    pub fn unlock(
        &mut self,
        dir: &DataDir,
        key: &SigningKey,
        policy: &PinPolicy,
        pin: &str,
        now_mono: u64,
    ) -> Result<(), TechnicianError> {
        let path = dir.technician_pin();
        let mut stored = read(&path, key)?;
        if let Some(delay) = policy.delay_after(stored.failures) {
            let from = self.last_failure_mono.unwrap_or(self.boot_mono);
            let left = from.saturating_add(delay).saturating_sub(now_mono);
            if left > 0 {
                return Err(TechnicianError::Locked { wait_ms: left });
            }
        }
        let pin_key = PinKey::of_device(&key.to_bytes());
        let right = Pin::parse(pin).is_ok_and(|p| stored.hash.matches(&p, &pin_key));
        if right {
            if stored.failures > 0 {
                stored.failures = 0;
                write(&path, &stored, key)?;
            }
            self.last_failure_mono = None;
            return Ok(());
        }
        stored.failures = stored.failures.saturating_add(1);
        write(&path, &stored, key)?;
        self.last_failure_mono = Some(now_mono);
        Err(TechnicianError::Wrong {
            failures: stored.failures,
            wait_ms: policy.delay_after(stored.failures),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn policy() -> PinPolicy {
        PinPolicy {
            min_distinct_digits: 3,
            max_run: 3,
            free_tries: 3,
            first_delay_seconds: 30,
            max_delay_seconds: 3600,
            argon2_memory_kib: 64,
            argon2_iterations: 1,
        }
    }

    fn setup() -> (tempfile::TempDir, DataDir, SigningKey) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        (tmp, dir, SigningKey::from_bytes(&[5; 32]))
    }

    const GOOD: &str = "271828";

    #[test]
    fn weak_or_mismatched_pins_are_refused_and_nothing_is_written() {
        let (_t, dir, key) = setup();
        let p = policy();
        for (a, b, want) in [
            (
                "1111",
                "1111",
                TechnicianError::Weak(PinProblem::NotSixDigits),
            ),
            (
                "27182８",
                "27182８",
                TechnicianError::Weak(PinProblem::NotSixDigits),
            ),
            (
                "111111",
                "111111",
                TechnicianError::Weak(PinProblem::TooFewDistinctDigits { min: 3 }),
            ),
            (
                "912345",
                "912345",
                TechnicianError::Weak(PinProblem::SequentialRun),
            ),
            (
                "955553",
                "955553",
                TechnicianError::Weak(PinProblem::RepeatedRun),
            ),
            (GOOD, "271829", TechnicianError::Mismatch),
        ] {
            let e = set(&dir, &key, &p, a, b).unwrap_err();
            assert_eq!(format!("{e:?}"), format!("{want:?}"));
            assert!(!e.message(Lang::Id).is_empty() && e.message(Lang::Id) != e.message(Lang::En));
            assert!(
                dir.technician_pin().symlink_metadata().is_err(),
                "nothing written after {a}/{b}"
            );
        }
    }

    #[test]
    fn the_pin_unlocks_and_its_file_is_private() {
        let (_t, dir, key) = setup();
        set(&dir, &key, &policy(), GOOD, GOOD).unwrap();
        let meta = std::fs::metadata(dir.technician_pin()).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let bytes = std::fs::read(dir.technician_pin()).unwrap();
        assert!(
            !bytes.windows(6).any(|w| w == GOOD.as_bytes()),
            "the PIN is not stored"
        );
        let mut gate = Gate::new(0);
        gate.unlock(&dir, &key, &policy(), GOOD, 10).unwrap();
        assert!(matches!(
            gate.unlock(&dir, &key, &policy(), "271829", 20),
            Err(TechnicianError::Wrong {
                failures: 1,
                wait_ms: None
            })
        ));
        // Hostile input to the unlock: not a PIN at all counts as a wrong one.
        assert!(matches!(
            gate.unlock(&dir, &key, &policy(), "27182\u{0}8", 30),
            Err(TechnicianError::Wrong { failures: 2, .. })
        ));
        gate.unlock(&dir, &key, &policy(), GOOD, 40).unwrap();
        // The right PIN cleared the count.
        assert!(matches!(
            gate.unlock(&dir, &key, &policy(), "000000", 50),
            Err(TechnicianError::Wrong { failures: 1, .. })
        ));
    }

    #[test]
    fn the_lockout_holds_even_for_the_right_pin_and_survives_a_restart() {
        let (_t, dir, key) = setup();
        let p = policy();
        set(&dir, &key, &p, GOOD, GOOD).unwrap();
        let mut gate = Gate::new(1_000);
        for i in 1..=2 {
            assert!(matches!(
                gate.unlock(&dir, &key, &p, "123957", 1_000 + i),
                Err(TechnicianError::Wrong { wait_ms: None, .. })
            ));
        }
        assert!(matches!(
            gate.unlock(&dir, &key, &p, "123957", 2_000),
            Err(TechnicianError::Wrong {
                failures: 3,
                wait_ms: Some(30_000)
            })
        ));
        assert!(matches!(
            gate.unlock(&dir, &key, &p, GOOD, 31_999),
            Err(TechnicianError::Locked { wait_ms: 1 })
        ));
        // Switched off and on at monotonic 500_000 (much later): the delay runs again in full.
        let mut after_restart = Gate::new(500_000);
        assert!(matches!(
            after_restart.unlock(&dir, &key, &p, GOOD, 510_000),
            Err(TechnicianError::Locked { wait_ms: 20_000 })
        ));
        // Once it has run, a wrong PIN doubles it; then the right one still opens after it.
        assert!(matches!(
            after_restart.unlock(&dir, &key, &p, "123957", 530_000),
            Err(TechnicianError::Wrong {
                failures: 4,
                wait_ms: Some(60_000)
            })
        ));
        after_restart.unlock(&dir, &key, &p, GOOD, 590_000).unwrap();
    }

    #[test]
    fn a_tampered_absent_or_linked_file_unlocks_nothing() {
        let (t, dir, key) = setup();
        let p = policy();
        let mut gate = Gate::new(0);
        assert!(matches!(
            gate.unlock(&dir, &key, &p, GOOD, 1),
            Err(TechnicianError::NotSet { .. })
        ));
        set(&dir, &key, &p, GOOD, GOOD).unwrap();
        let path = dir.technician_pin();
        let good = std::fs::read(&path).unwrap();

        // Every single-byte change, the count reset by hand included, is refused.
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x01;
            std::fs::write(&path, &bad).unwrap();
            assert!(
                matches!(
                    gate.unlock(&dir, &key, &p, GOOD, 1),
                    Err(TechnicianError::Damaged { .. })
                ),
                "byte {i}"
            );
        }
        // Truncated at every length.
        for len in 0..good.len() {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(matches!(
                gate.unlock(&dir, &key, &p, GOOD, 1),
                Err(TechnicianError::Damaged { .. })
            ));
        }
        // Another device's file.
        let other = SigningKey::from_bytes(&[6; 32]);
        set(&dir, &other, &p, GOOD, GOOD).unwrap();
        assert!(matches!(
            gate.unlock(&dir, &key, &p, GOOD, 1),
            Err(TechnicianError::Damaged { .. })
        ));
        // Huge.
        std::fs::write(&path, vec![0u8; 1 << 20]).unwrap();
        assert!(matches!(
            gate.unlock(&dir, &key, &p, GOOD, 1),
            Err(TechnicianError::Damaged { .. })
        ));
        // A link to a good file is not followed.
        let real = t.path().join("elsewhere.pin");
        std::fs::write(&real, &good).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&real, &path).unwrap();
        let e = gate.unlock(&dir, &key, &p, GOOD, 1).unwrap_err();
        assert!(matches!(e, TechnicianError::Damaged { .. }), "{e:?}");
        assert!(e.message(Lang::Id).contains("symlink"));
        // A FIFO does not hang the kiosk.
        std::fs::remove_file(&path).unwrap();
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .unwrap()
                .success()
        );
        assert!(matches!(
            gate.unlock(&dir, &key, &p, GOOD, 1),
            Err(TechnicianError::Damaged { .. })
        ));
    }

    #[test]
    fn setting_again_through_a_planted_link_writes_only_the_data_directory() {
        let (t, dir, key) = setup();
        let victim = t.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        std::os::unix::fs::symlink(&victim, atomic::temporary(&dir.technician_pin())).unwrap();
        std::os::unix::fs::symlink(&victim, dir.technician_pin()).unwrap();
        set(&dir, &key, &policy(), GOOD, GOOD).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        Gate::new(0).unlock(&dir, &key, &policy(), GOOD, 1).unwrap();
    }
}
