//! Hostile bytes: no reader panics, and no mutation of a valid journal verifies.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::sync::LazyLock;

use proptest::collection::vec;
use proptest::prelude::*;
use support::Chain;
use tps_journal::record::{MAGIC, decode_frame};
use tps_journal::scan::scan;
use tps_journal::verify::{parse_strict, verify};

struct Fixture {
    chain: Chain,
    bytes: Vec<u8>,
}

static VALID: LazyLock<Fixture> = LazyLock::new(|| {
    let chain = Chain::pemilu();
    let bytes = chain.bytes(6);
    Fixture { chain, bytes }
});

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Insert { at: usize, byte: u8 },
    Delete { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Delete { at }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match *m {
        Mutation::Flip { at, bit } => {
            let i = at % bytes.len();
            bytes[i] ^= 1 << bit;
        }
        Mutation::Set { at, byte } => {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        Mutation::Insert { at, byte } => bytes.insert(at % (bytes.len() + 1), byte),
        Mutation::Delete { at } => {
            let i = at % bytes.len();
            bytes.remove(i);
        }
    }
}

/// Arbitrary bytes, or arbitrary bytes after the journal magic, or a piece of a valid journal.
fn journalish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..2048),
        vec(any::<u8>(), 0..2048).prop_map(|tail| {
            let mut b = MAGIC.to_vec();
            b.extend(tail);
            b
        }),
        (any::<usize>(), vec(mutation(), 0..8)).prop_map(|(cut, ms)| {
            let mut b = VALID.bytes.clone();
            b.truncate(cut % (b.len() + 1));
            for m in &ms {
                apply(&mut b, m);
            }
            b
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_readers_never_panic(bytes in journalish()) {
        let _ = scan(&bytes);
        let _ = parse_strict(&bytes);
        let _ = decode_frame(&bytes);
        if bytes.len() > MAGIC.len() {
            let _ = decode_frame(&bytes[MAGIC.len()..]);
        }
        let key = VALID.chain.authority.verifying_key();
        let _ = verify(&bytes, &key, None);
        let _ = verify(&bytes, &key, Some(&bytes));
    }

    #[test]
    fn scan_and_parse_strict_agree_on_complete_files(bytes in journalish()) {
        // What the strict parser accepts, the recovering scanner accepts whole.
        if let Ok(records) = parse_strict(&bytes) {
            let found = scan(&bytes).unwrap();
            prop_assert_eq!(found.records, records);
            prop_assert_eq!(found.tail_len, 0);
            prop_assert_eq!(found.good_len, bytes.len());
        }
    }

    #[test]
    fn no_mutation_of_a_valid_journal_verifies(mutations in vec(mutation(), 1..5)) {
        let fixture = &*VALID;
        let mut bytes = fixture.bytes.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let result = fixture.chain.verify(&bytes);
        if bytes == fixture.bytes {
            prop_assert!(result.is_ok());
        } else {
            prop_assert!(result.is_err(), "{:?} verified", mutations);
        }
    }
}
