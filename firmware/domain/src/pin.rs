//! Personal PINs: six digits each person sets when registered, used to confirm or object.
//! Only a salted, slow, keyed hash (Argon2id with the device's PIN key as its secret) is kept. The
//! salt comes with the command (the caller draws it from the operating system), so hashing stays a
//! pure function.

use core::fmt;
use std::cell::RefCell;

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A PIN as typed. Never stored, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin([u8; 6]);

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(******)")
    }
}

/// Why a PIN cannot be set or used.
/// The engine's `Refusal::WeakPin` says it, in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    /// Not exactly six digits.
    NotSixDigits,
    /// Fewer distinct digits than the policy asks for.
    TooFewDistinctDigits {
        /// The fewest the policy allows.
        min: u8,
    },
    /// Four or more equal digits in a row (1111).
    RepeatedRun,
    /// Four or more consecutive digits in a row, up or down (1234, 9876).
    SequentialRun,
}

impl Pin {
    /// Six ASCII digits.
    pub fn parse(s: &str) -> Result<Self, PinProblem> {
        let bytes = s.as_bytes();
        if bytes.len() != 6 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(PinProblem::NotSixDigits);
        }
        let mut digits = [0u8; 6];
        for (d, b) in digits.iter_mut().zip(bytes) {
            *d = b - b'0';
        }
        Ok(Pin(digits))
    }

    /// Refuses PINs that are easy to guess or see over a shoulder.
    pub fn check_strength(&self, policy: &PinPolicy) -> Result<(), PinProblem> {
        let mut seen = [false; 10];
        for &d in &self.0 {
            seen[usize::from(d)] = true;
        }
        let distinct = seen.iter().filter(|s| **s).count();
        if distinct < usize::from(policy.min_distinct_digits) {
            return Err(PinProblem::TooFewDistinctDigits {
                min: policy.min_distinct_digits,
            });
        }
        let run = usize::from(policy.max_run);
        for w in self.0.windows(run + 1) {
            if w.windows(2).all(|p| p[0] == p[1]) {
                return Err(PinProblem::RepeatedRun);
            }
            let up = w.windows(2).all(|p| p[1] == p[0] + 1);
            let down = w.windows(2).all(|p| p[0] == p[1] + 1);
            if up || down {
                return Err(PinProblem::SequentialRun);
            }
        }
        Ok(())
    }

    fn as_bytes(&self) -> [u8; 6] {
        self.0.map(|d| d + b'0')
    }
}

/// The device's secret input to every PIN hash, derived from its signing key and never recorded.
/// A six-digit PIN has only a million values, and people reuse them (a bank card's, a phone's):
/// without this key, anyone holding a copy of the journal (the USB mirror during the day, an
/// auditor's file after it) could try them all. With it, only the device can check a PIN.
#[derive(Clone, PartialEq, Eq)]
pub struct PinKey([u8; 32]);

impl fmt::Debug for PinKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PinKey(..)")
    }
}

impl PinKey {
    /// Domain separation: the device key's bytes serve only as ed25519 keys elsewhere.
    const CONTEXT: &'static [u8] = b"TPS-KIOSK/pin-key/v1";

    /// The PIN key of the device whose ed25519 secret key is `device_secret`.
    pub fn of_device(device_secret: &[u8; 32]) -> Self {
        let mut h = Sha256::new();
        h.update(Self::CONTEXT);
        h.update(device_secret);
        Self(h.finalize().into())
    }
}

/// Argon2id parameters and the wrong-PIN rules. Part of the procedure data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinPolicy {
    /// Fewest different digits a PIN must have.
    pub min_distinct_digits: u8,
    /// Longest allowed run of equal or consecutive digits (3 refuses 1111 and 1234).
    pub max_run: u8,
    /// Wrong PINs allowed before a delay applies.
    pub free_tries: u16,
    /// The first delay; each further wrong PIN doubles it.
    pub first_delay_seconds: u32,
    /// The longest delay.
    pub max_delay_seconds: u32,
    /// Argon2id memory cost, in KiB.
    pub argon2_memory_kib: u32,
    /// Argon2id passes.
    pub argon2_iterations: u32,
}

/// A stored PIN: Argon2id parameters, salt and hash (keyed with the device's [`PinKey`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct PinHash {
    /// Argon2id memory cost the hash was made with, in KiB.
    pub memory_kib: u32,
    /// Argon2id passes the hash was made with.
    pub iterations: u32,
    /// The person's random salt.
    pub salt: [u8; 16],
    /// The Argon2id output.
    pub hash: [u8; 32],
}

impl fmt::Debug for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PinHash(argon2id m={} t={})",
            self.memory_kib, self.iterations
        )
    }
}

thread_local! {
    /// Argon2's working memory (19 MiB with the Pi's parameters), kept and reused for every PIN
    /// on the thread: allocating it afresh each time lets the C allocator's heap grow to several
    /// times that over a day.
    static ARGON2_MEMORY: RefCell<Vec<argon2::Block>> = const { RefCell::new(Vec::new()) };
}

fn argon2_hash(
    pin: &Pin,
    key: &PinKey,
    salt: &[u8; 16],
    memory_kib: u32,
    iterations: u32,
) -> Option<[u8; 32]> {
    let params = argon2::Params::new(memory_kib, iterations, 1, Some(32)).ok()?;
    let blocks = params.block_count();
    let hasher = argon2::Argon2::new_with_secret(
        &key.0,
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params,
    )
    .ok()?;
    let mut out = [0u8; 32];
    ARGON2_MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        memory.resize(blocks, argon2::Block::default());
        hasher
            .hash_password_into_with_memory(&pin.as_bytes(), salt, &mut out, &mut memory[..])
            .ok()
    })?;
    Some(out)
}

impl PinHash {
    /// Hashes `pin` with the policy's parameters. `None` only if the policy's parameters are out
    /// of Argon2's range, which the procedure tests rule out.
    pub fn new(pin: &Pin, key: &PinKey, salt: [u8; 16], policy: &PinPolicy) -> Option<Self> {
        let hash = argon2_hash(
            pin,
            key,
            &salt,
            policy.argon2_memory_kib,
            policy.argon2_iterations,
        )?;
        Some(Self {
            memory_kib: policy.argon2_memory_kib,
            iterations: policy.argon2_iterations,
            salt,
            hash,
        })
    }

    /// Whether `pin` is the one hashed here under `key` (compared in constant time).
    pub fn matches(&self, pin: &Pin, key: &PinKey) -> bool {
        match argon2_hash(pin, key, &self.salt, self.memory_kib, self.iterations) {
            Some(h) => {
                h.iter()
                    .zip(&self.hash)
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
            }
            None => false,
        }
    }
}

impl PinPolicy {
    /// After `failures` consecutive wrong PINs, the earliest time another try is allowed,
    /// counted from the last failure; `None` while tries are still free.
    pub fn delay_after(&self, failures: u16) -> Option<u64> {
        if failures < self.free_tries {
            return None;
        }
        let doublings = u32::from(failures - self.free_tries).min(20);
        let seconds = u64::from(self.first_delay_seconds)
            .saturating_mul(1u64 << doublings)
            .min(u64::from(self.max_delay_seconds));
        Some(seconds * 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn cheap_policy() -> PinPolicy {
        PinPolicy {
            min_distinct_digits: 3,
            max_run: 3,
            free_tries: 5,
            first_delay_seconds: 30,
            max_delay_seconds: 3600,
            argon2_memory_kib: 64,
            argon2_iterations: 1,
        }
    }

    #[test]
    fn weak_pins_are_refused_with_the_reason() {
        let p = cheap_policy();
        let check = |s: &str| Pin::parse(s).and_then(|pin| pin.check_strength(&p));
        assert_eq!(check("12345"), Err(PinProblem::NotSixDigits));
        assert_eq!(check("12a456"), Err(PinProblem::NotSixDigits));
        assert_eq!(
            check("112112"),
            Err(PinProblem::TooFewDistinctDigits { min: 3 })
        );
        assert_eq!(check("911113"), Err(PinProblem::RepeatedRun));
        assert_eq!(check("901234"), Err(PinProblem::SequentialRun));
        assert_eq!(check("298765"), Err(PinProblem::SequentialRun));
        assert_eq!(check("123957"), Ok(()));
        assert_eq!(check("271828"), Ok(()));
    }

    #[test]
    fn the_hash_matches_only_its_pin() {
        let p = cheap_policy();
        let key = PinKey::of_device(&[1; 32]);
        let pin = Pin::parse("271828").unwrap();
        let hash = PinHash::new(&pin, &key, [7; 16], &p).unwrap();
        assert!(hash.matches(&pin, &key));
        assert!(!hash.matches(&Pin::parse("271829").unwrap(), &key));
        // The same PIN with another salt hashes differently.
        assert_ne!(
            PinHash::new(&pin, &key, [8; 16], &p).unwrap().hash,
            hash.hash
        );
        assert_eq!(format!("{pin:?}"), "Pin(******)");
        assert_eq!(format!("{key:?}"), "PinKey(..)");
    }

    #[test]
    fn without_the_device_key_no_pin_matches_its_hash() {
        // Someone holding only the journal tries PINs unkeyed or under another device's key: even
        // the right PIN does not match.
        let p = cheap_policy();
        let device = PinKey::of_device(&[1; 32]);
        let other = PinKey::of_device(&[2; 32]);
        let pin = Pin::parse("271828").unwrap();
        let hash = PinHash::new(&pin, &device, [7; 16], &p).unwrap();
        assert!(!hash.matches(&pin, &other));
        let unkeyed = argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(p.argon2_memory_kib, p.argon2_iterations, 1, Some(32)).unwrap(),
        );
        let mut out = [0u8; 32];
        unkeyed
            .hash_password_into(b"271828", &hash.salt, &mut out)
            .unwrap();
        assert_ne!(out, hash.hash);
    }

    #[test]
    fn the_delay_doubles_after_the_free_tries() {
        let p = cheap_policy();
        assert_eq!(p.delay_after(4), None);
        assert_eq!(p.delay_after(5), Some(30_000));
        assert_eq!(p.delay_after(6), Some(60_000));
        assert_eq!(p.delay_after(7), Some(120_000));
        assert_eq!(p.delay_after(60), Some(3_600_000));
    }
}
