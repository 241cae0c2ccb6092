//! Fuzz target: every reader of a journal file (the streaming recovery scanner, the streaming
//! prefix reader the verifiers use, the strict parser, the verifier and the describer) on
//! arbitrary bytes. None may panic, and each must stay within
//! its memory bounds (AFL's memory limit catches an unbounded allocation).
#![forbid(unsafe_code)]

use ed25519_dalek::SigningKey;
use tps_journal::describe::describe_all;
use tps_journal::read::read_prefix_buffered;
use tps_journal::scan::scan;
use tps_journal::verify::{parse_strict, verify};
use tps_base::text::Lang;

fn main() {
    let authority = SigningKey::from_bytes(&[1; 32]).verifying_key();
    afl::fuzz!(|data: &[u8]| {
        if let Ok(found) = scan(data) {
            let records: Vec<_> = found.records.iter().map(|r| &r.record).collect();
            let _ = describe_all(records, None, Lang::Id, None);
        }
        let _ = read_prefix_buffered(data);
        let _ = parse_strict(data);
        let _ = verify(data, &authority, None);
    });
}
