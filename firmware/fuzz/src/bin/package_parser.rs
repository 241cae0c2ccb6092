//! Fuzz target: the signed election package file (envelope, postcard body, validation) and the
//! package TOML that `tps-keys package build` reads, on arbitrary bytes. None may panic.
#![forbid(unsafe_code)]

use ed25519_dalek::SigningKey;
use tps_journal::identity::package::{ElectionPackage, SignedPackage};

fn main() {
    let authority = SigningKey::from_bytes(&[1; 32]).verifying_key();
    afl::fuzz!(|data: &[u8]| {
        let _ = ElectionPackage::read_unverified(data);
        let _ = ElectionPackage::read(data, &authority);
        if let Ok(text) = std::str::from_utf8(data) {
            let _ = ElectionPackage::from_toml(text);
        }
    });
}
