//! One signature rule on every path: a record's signature is valid if and only if
//! `verify_strict` accepts it, whatever the other records are, at every prefix; the first problem
//! is reported in record order.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity};
use ed25519_dalek::{Signature, SigningKey};
use proptest::prelude::*;
use sha2::{Digest, Sha512};
use support::{Chain, file_bytes, frame_ends, next_record, stamp};
use tps_journal::identity::signed::{SignedKind, signed_message};
use tps_journal::record::{Record, SignedRecord, chain_hash};
use tps_journal::scan::Damage;
use tps_journal::verify::{Problem, Signatures, VerifyError, verify_with};

/// A signature the strict rule refuses, made with the device's own secret key.
#[derive(Debug, Clone, Copy)]
enum Forgery {
    /// R is the identity point (and S = k·a): cofactorless verification without the
    /// small-order check accepts it.
    IdentityR,
    /// R is a point of this small order (2, 4 or 8).
    SmallOrderR(u64),
    /// An honest R plus a point of this small order: cofactored (batch) verification may
    /// accept it.
    MixedR(u64),
    /// An honest signature with S + ℓ in place of S.
    NonCanonicalS,
}

const ALL: [Forgery; 8] = [
    Forgery::IdentityR,
    Forgery::SmallOrderR(2),
    Forgery::SmallOrderR(4),
    Forgery::SmallOrderR(8),
    Forgery::MixedR(2),
    Forgery::MixedR(4),
    Forgery::MixedR(8),
    Forgery::NonCanonicalS,
];

/// A point of exactly `order` (2, 4 or 8), checked.
fn small_order_point(order: u64) -> EdwardsPoint {
    let hex = match order {
        2 => "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        4 => "0000000000000000000000000000000000000000000000000000000000000000",
        _ => "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    };
    let bytes: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
    let t = CompressedEdwardsY(bytes).decompress().unwrap();
    assert!((t * Scalar::from(order)).is_identity());
    assert!(!(t * Scalar::from(order / 2)).is_identity());
    t
}

/// The order ℓ of the base point, little-endian.
const ELL: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn add_ell(s: [u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(s[i]) + u16::from(ELL[i]) + carry;
        out[i] = v as u8;
        carry = v >> 8;
    }
    out
}

fn wide(h: Sha512) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

/// RFC 8032 signing by hand, with R (and S) bent as `how` says.
fn forge(key: &SigningKey, message: &[u8], how: Forgery) -> [u8; 64] {
    let expanded: [u8; 64] = Sha512::digest(key.to_bytes()).into();
    let mut clamped = [0u8; 32];
    clamped.copy_from_slice(&expanded[..32]);
    clamped[0] &= 248;
    clamped[31] &= 127;
    clamped[31] |= 64;
    let a = Scalar::from_bytes_mod_order(clamped);
    let public = key.verifying_key().to_bytes();
    assert_eq!(EdwardsPoint::mul_base(&a).compress().to_bytes(), public);
    let r = wide(
        Sha512::new()
            .chain_update(&expanded[32..])
            .chain_update(message),
    );
    let (big_r, r) = match how {
        Forgery::IdentityR => (EdwardsPoint::identity(), Scalar::ZERO),
        Forgery::SmallOrderR(o) => (small_order_point(o), Scalar::ZERO),
        Forgery::MixedR(o) => (EdwardsPoint::mul_base(&r) + small_order_point(o), r),
        Forgery::NonCanonicalS => (EdwardsPoint::mul_base(&r), r),
    };
    let big_r = big_r.compress().to_bytes();
    let k = wide(
        Sha512::new()
            .chain_update(big_r)
            .chain_update(public)
            .chain_update(message),
    );
    let mut s = (r + k * a).to_bytes();
    if let Forgery::NonCanonicalS = how {
        s = add_ell(s);
    }
    let mut signature = [0u8; 64];
    signature[..32].copy_from_slice(&big_r);
    signature[32..].copy_from_slice(&s);
    signature
}

fn forged_record(record: Record, key: &SigningKey, how: Forgery) -> SignedRecord {
    let bytes = postcard::to_stdvec(&record).unwrap();
    let signature = forge(key, &signed_message(SignedKind::JournalRecord, &bytes), how);
    SignedRecord {
        hash: chain_hash(&bytes, &signature),
        record,
        bytes,
        signature,
    }
}

/// `n` records of a chain, those in `forged` signed as their forgery says, the rest honestly
/// (each record's `prev` the real hash of the one before).
fn journal(chain: &Chain, n: u64, forged: &[(u64, Forgery)]) -> Vec<SignedRecord> {
    let mut out: Vec<SignedRecord> = Vec::new();
    for i in 0..n {
        let record = match forged.iter().find(|(at, _)| *at == i) {
            Some(&(_, how)) => forged_record(
                Record {
                    seq: i,
                    prev: out.last().map_or([0; 32], |p| p.hash),
                    stamp: stamp(chain.base, i),
                    body: chain.body(i),
                },
                &chain.device,
                how,
            ),
            None => next_record(
                out.last(),
                stamp(chain.base, i),
                chain.body(i),
                &chain.device,
            ),
        };
        out.push(record);
    }
    out
}

fn check(chain: &Chain, bytes: &[u8], which: Signatures) -> Result<u64, VerifyError> {
    verify_with(
        bytes,
        &chain.authority.verifying_key(),
        Some(&chain.package),
        which,
    )
    .map(|r| r.records)
}

fn bad_signature(seq: u64) -> VerifyError {
    VerifyError {
        seq,
        problem: Problem::BadSignature,
    }
}

#[test]
fn the_forgeries_are_what_they_claim() {
    // The identity-R signature passes the plain (non-strict) check: only the strict rule
    // refuses it. Every forgery fails the strict check.
    let chain = Chain::pemilu();
    let key = chain.device.verifying_key();
    for how in ALL {
        let message = b"any message";
        let sig = Signature::from_bytes(&forge(&chain.device, message, how));
        assert!(key.verify_strict(message, &sig).is_err(), "{how:?}");
        if let Forgery::IdentityR = how {
            use ed25519_dalek::Verifier;
            assert!(key.verify(message, &sig).is_ok());
        }
    }
}

#[test]
fn each_forgery_is_refused_at_its_own_record_at_every_prefix() {
    let chain = Chain::pemilu();
    let n = 24;
    for how in ALL {
        for at in [1, 10, n - 1] {
            let records = journal(&chain, n, &[(at, how)]);
            let bytes = file_bytes(&records);
            let ends = frame_ends(&records);
            for (len, &end) in ends.iter().enumerate() {
                let got = check(&chain, &bytes[..end], Signatures::Every);
                if (len as u64) < at {
                    assert_eq!(got, Ok(len as u64 + 1), "{how:?} at {at}, prefix {len}");
                } else {
                    assert_eq!(got, Err(bad_signature(at)), "{how:?} at {at}, prefix {len}");
                }
            }
            // The fast mode checks the head: a prefix that ends at the forgery is refused there.
            let head = check(&chain, &bytes[..ends[at as usize]], Signatures::Head);
            assert_eq!(head, Err(bad_signature(at)), "{how:?} at {at}, head");
        }
    }
}

#[test]
fn the_verdict_on_a_record_does_not_depend_on_the_others() {
    // Every mix of forgeries before and after: the first one is named, whatever follows.
    let chain = Chain::pemilu();
    for (i, first) in ALL.iter().enumerate() {
        for later in ALL.iter().skip(i) {
            let records = journal(&chain, 16, &[(4, *first), (9, *later), (12, *first)]);
            let got = check(&chain, &file_bytes(&records), Signatures::Every);
            assert_eq!(got, Err(bad_signature(4)), "{first:?} then {later:?}");
        }
    }
}

#[test]
fn a_bad_signature_before_a_torn_tail_is_the_bad_signature() {
    let chain = Chain::pemilu();
    let records = journal(&chain, 70, &[(3, Forgery::MixedR(8))]);
    let mut bytes = file_bytes(&records);
    let cut = bytes.len() - 7;
    bytes.truncate(cut);
    assert_eq!(
        check(&chain, &bytes, Signatures::Every),
        Err(bad_signature(3))
    );
    // Honest records with the same torn tail: the torn tail, at the record it cut.
    let honest = chain.bytes(70);
    assert!(matches!(
        check(&chain, &honest[..cut], Signatures::Every),
        Err(VerifyError {
            seq: 69,
            problem: Problem::Structure(Damage::TornTail { .. })
        })
    ));
}

#[test]
fn a_bad_signature_before_broken_bytes_is_the_bad_signature() {
    let chain = Chain::pemilu();
    let records = journal(&chain, 20, &[(5, Forgery::IdentityR)]);
    let mut bytes = file_bytes(&records);
    let ends = frame_ends(&records);
    bytes[ends[14] + 3] ^= 0x40; // a CRC error in record 15
    assert_eq!(
        check(&chain, &bytes, Signatures::Every),
        Err(bad_signature(5))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Every prefix of a valid journal verifies in both modes; a cut inside a frame is a torn
    /// tail, never a bad signature.
    #[test]
    fn every_prefix_of_a_valid_journal_verifies(n in 1u64..60, cut in any::<prop::sample::Index>()) {
        let chain = Chain::new(3, 4, support::JAKARTA, support::PEMILU_MORNING);
        let records = chain.records(n);
        let bytes = file_bytes(&records);
        let ends = frame_ends(&records);
        for (i, &end) in ends.iter().enumerate() {
            for which in [Signatures::Every, Signatures::Head] {
                prop_assert_eq!(check(&chain, &bytes[..end], which), Ok(i as u64 + 1));
            }
        }
        let cut = cut.index(bytes.len() + 1);
        let result = check(&chain, &bytes[..cut], Signatures::Every);
        if cut <= 8 {
            prop_assert!(result.is_err());
        } else if let Some(i) = ends.iter().position(|&e| e == cut) {
            prop_assert_eq!(result, Ok(i as u64 + 1));
        } else {
            prop_assert!(matches!(
                result,
                Err(VerifyError { problem: Problem::Structure(Damage::TornTail { .. }), .. })
            ), "{:?}", result);
        }
    }
}

/// The test vectors beside FORMAT.md: a valid journal with its authority key and package, and
/// invalid ones, each with the first error the reference verifier gives (`expected.txt`). They
/// are made here, from fixed keys (ed25519 signatures are deterministic), so that a change of
/// format shows as a difference with the committed files. `TPS_WRITE_VECTORS=1` rewrites them.
mod vectors {
    use super::*;
    use std::path::PathBuf;
    use tps_base::bounded::Text;
    use tps_base::text::Lang;
    use tps_base::time::ClockStatus;
    use tps_domain::event::RecordBody;
    use tps_journal::identity::keyfile::{KeyKind, KeyText};
    use tps_journal::verify::verify;

    fn dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/vectors")
    }

    /// Re-frames `records` after changing record `at` with `edit` and re-signing it and every
    /// record after it (so only the intended problem is there).
    fn resigned(chain: &Chain, n: u64, at: u64, edit: impl Fn(&mut Record)) -> Vec<SignedRecord> {
        let mut out: Vec<SignedRecord> = Vec::new();
        for i in 0..n {
            let mut record = Record {
                seq: i,
                prev: out.last().map_or([0; 32], |p| p.hash),
                stamp: stamp(chain.base, i),
                body: chain.body(i),
            };
            if i == at {
                edit(&mut record);
            }
            out.push(SignedRecord::sign(record, &chain.device));
        }
        out
    }

    /// Every vector: file name and bytes.
    fn make() -> Vec<(&'static str, Vec<u8>)> {
        let chain = Chain::pemilu();
        let n = 12;
        let valid = chain.records(n);
        let good = file_bytes(&valid);
        let ends = frame_ends(&valid);
        let mut v: Vec<(&'static str, Vec<u8>)> = vec![("valid.tpsj", good.clone())];
        let mut bad_magic = good.clone();
        bad_magic[7] = b'2';
        v.push(("bad-magic.tpsj", bad_magic));
        v.push(("empty.tpsj", b"TPSJRNL1".to_vec()));
        v.push(("torn-tail.tpsj", good[..ends[5] - 9].to_vec()));
        let mut bad_crc = good.clone();
        bad_crc[ends[2] + 20] ^= 0x01;
        v.push(("bad-crc.tpsj", bad_crc));
        let mut gap = valid.clone();
        gap.remove(3);
        v.push(("sequence-gap.tpsj", file_bytes(&gap)));
        let chain_broken = resigned(&chain, n, 4, |r| r.prev = [7; 32]);
        v.push(("broken-chain.tpsj", file_bytes(&chain_broken)));
        for (name, how) in [
            ("identity-r.tpsj", Forgery::IdentityR),
            ("small-order-r.tpsj", Forgery::SmallOrderR(8)),
            ("mixed-order-r.tpsj", Forgery::MixedR(4)),
            ("non-canonical-s.tpsj", Forgery::NonCanonicalS),
        ] {
            v.push((name, file_bytes(&journal(&chain, n, &[(2, how)]))));
        }
        let back = resigned(&chain, n, 6, |r| r.stamp.wall_ms -= 10 * 60_000);
        v.push(("time-backwards.tpsj", file_bytes(&back)));
        let mono = resigned(&chain, n, 7, |r| r.stamp.mono_ms = 5);
        v.push(("monotonic-backwards.tpsj", file_bytes(&mono)));
        let again = resigned(&chain, n, 8, |r| r.body = chain.genesis());
        v.push(("second-genesis.tpsj", file_bytes(&again)));
        // A technician sets the clock back an hour at record 5: valid (rule 5).
        let clock_set = resigned(&chain, n, 5, |r| {
            r.body = RecordBody::ClockSet {
                old_ms: r.stamp.wall_ms,
                new_ms: r.stamp.wall_ms - 3_600_000,
                by: Text::new("teknisi").unwrap(),
            };
        });
        // ...so the records after it may be an hour earlier than before.
        let mut earlier: Vec<SignedRecord> = clock_set[..6].to_vec();
        for i in 6..n {
            let mut s = stamp(chain.base, i);
            s.wall_ms -= 3_600_000;
            s.clock = ClockStatus::Trusted;
            earlier.push(next_record(earlier.last(), s, chain.body(i), &chain.device));
        }
        v.push(("valid-clock-set-back.tpsj", file_bytes(&earlier)));
        let mut bad_then_torn = file_bytes(&journal(&chain, n, &[(3, Forgery::MixedR(8))]));
        bad_then_torn.truncate(bad_then_torn.len() - 5);
        v.push(("bad-signature-then-torn-tail.tpsj", bad_then_torn));
        // A device of the same authority that the package does not name.
        let other = Chain {
            device: support::key(9),
            certificate: support::certificate(&support::key(9), "pi-0009", &chain.authority, false),
            ..Chain::pemilu()
        };
        v.push(("device-not-in-package.tpsj", other.bytes(3)));
        v
    }

    /// What the reference verifier says of each vector, one line each.
    fn answers(files: &[(&str, Vec<u8>)], authority: &[u8], package: &[u8]) -> String {
        let (key, _) = {
            let text = std::str::from_utf8(authority).unwrap();
            let k =
                KeyText::parse(text, KeyKind::AuthorityPublic, std::path::Path::new("a")).unwrap();
            (
                ed25519_dalek::VerifyingKey::from_bytes(&k.bytes).unwrap(),
                (),
            )
        };
        files
            .iter()
            .map(|(name, bytes)| match verify(bytes, &key, Some(package)) {
                Ok(r) => format!(
                    "{name}: OK {} records, head {}\n",
                    r.records,
                    hex::encode(r.head_hash)
                ),
                Err(e) => format!("{name}: {}\n", e.message(Lang::En)),
            })
            .collect()
    }

    #[test]
    fn the_committed_vectors_are_what_the_reference_verifier_says() {
        let chain = Chain::pemilu();
        let authority = KeyText {
            kind: KeyKind::AuthorityPublic,
            bytes: chain.authority.verifying_key().to_bytes(),
            comments: vec!["test vector authority (seed 0x01 x 32): never for an election".into()],
        }
        .render()
        .into_bytes();
        let files = make();
        let expected = answers(&files, &authority, &chain.package);
        let mut all = files.clone();
        all.push(("authority.pub", authority.clone()));
        all.push(("package.tpsp", chain.package.clone()));
        all.push(("expected.txt", expected.clone().into_bytes()));
        if std::env::var_os("TPS_WRITE_VECTORS").is_some() {
            std::fs::create_dir_all(dir()).unwrap();
            for (name, bytes) in &all {
                std::fs::write(dir().join(name), bytes).unwrap();
            }
        }
        // The committed files are exactly what is made here...
        for (name, bytes) in &all {
            let committed = std::fs::read(dir().join(name))
                .unwrap_or_else(|e| panic!("{name}: {e} (TPS_WRITE_VECTORS=1 writes them)"));
            assert!(
                &committed == bytes,
                "{name} drifted (TPS_WRITE_VECTORS=1 rewrites)"
            );
        }
        // ...and the verifier, reading the committed files, gives exactly the expected answers.
        let read = |name: &str| std::fs::read(dir().join(name)).unwrap();
        let committed: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, _)| (*n, read(n))).collect();
        let said = answers(&committed, &read("authority.pub"), &read("package.tpsp"));
        assert_eq!(said, String::from_utf8(read("expected.txt")).unwrap());
        // Every invalid vector fails, each valid one verifies.
        for line in said.lines() {
            let ok = line.contains(": OK ");
            assert_eq!(ok, line.starts_with("valid"), "{line}");
        }
    }
}
