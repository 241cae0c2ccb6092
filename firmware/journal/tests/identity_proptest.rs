//! Hostile input to every identity reader: never a panic, and a changed signed file never reads
//! as verified.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::sync::LazyLock;

use proptest::collection::vec;
use proptest::prelude::*;
use support::{JABAR, example_toml, key};
use tps_journal::identity::cert::{CertificateRequest, DeviceCertificate};
use tps_journal::identity::package::{ElectionPackage, SignedPackage};
use tps_journal::identity::signed::SignedKind;

struct Files {
    package: Vec<u8>,
    certificate: Vec<u8>,
    request: Vec<u8>,
    toml: String,
}

static FILES: LazyLock<Files> = LazyLock::new(|| {
    let authority = key(1);
    let device = key(2);
    Files {
        package: support::package(JABAR, &authority),
        certificate: support::certificate(&device, "pi-0001", &authority, false),
        request: CertificateRequest::create("pi-0001", &device).unwrap(),
        toml: example_toml(JABAR),
    }
});

/// Random bytes, random bytes after a signed-file magic, or a valid file with bytes changed,
/// inserted or removed.
fn signed_file(valid: fn(&Files) -> &[u8], kind: SignedKind) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..1024),
        vec(any::<u8>(), 0..1024).prop_map(move |tail| {
            let mut b = kind.magic().to_vec();
            b.extend(tail);
            b
        }),
        (
            vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6),
            any::<usize>()
        )
            .prop_map(move |(edits, cut)| {
                let mut b = valid(&FILES).to_vec();
                for (at, byte, op) in edits {
                    let i = at % (b.len() + 1);
                    match op {
                        0 if i < b.len() => b[i] ^= byte | 1,
                        1 => b.insert(i, byte),
                        _ if i < b.len() => {
                            b.remove(i);
                        }
                        _ => {}
                    }
                }
                if cut % 4 == 0 {
                    b.truncate(cut % (b.len() + 1));
                }
                b
            }),
    ]
}

/// Random text, or the example source with characters changed, inserted or removed.
fn toml_source() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,400}",
        vec((any::<usize>(), any::<char>(), 0u8..3), 1..8).prop_map(|edits| {
            let mut chars: Vec<char> = FILES.toml.chars().collect();
            for (at, c, op) in edits {
                let i = at % (chars.len() + 1);
                match op {
                    0 if i < chars.len() => chars[i] = c,
                    1 => chars.insert(i, c),
                    _ if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ => {}
                }
            }
            chars.into_iter().collect()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn package_readers_never_panic(bytes in signed_file(|f| &f.package, SignedKind::ElectionPackage)) {
        let authority = key(1).verifying_key();
        let _ = ElectionPackage::read_unverified(&bytes);
        match ElectionPackage::read(&bytes, &authority) {
            Ok(p) => prop_assert_eq!(bytes.as_slice(), FILES.package.as_slice(), "{:?} verified", p.tps),
            Err(_) => prop_assert_ne!(bytes.as_slice(), FILES.package.as_slice()),
        }
    }

    #[test]
    fn certificate_readers_never_panic(bytes in signed_file(|f| &f.certificate, SignedKind::DeviceCertificate)) {
        let authority = key(1).verifying_key();
        let _ = DeviceCertificate::read_unverified(&bytes);
        if DeviceCertificate::read(&bytes, &authority).is_ok() {
            prop_assert_eq!(bytes.as_slice(), FILES.certificate.as_slice());
        }
    }

    #[test]
    fn request_reader_never_panics(bytes in signed_file(|f| &f.request, SignedKind::CertificateRequest)) {
        if CertificateRequest::read(&bytes).is_ok() {
            prop_assert_eq!(bytes.as_slice(), FILES.request.as_slice());
        }
    }

    #[test]
    fn package_source_parser_never_panics(text in toml_source()) {
        if let Ok(package) = ElectionPackage::from_toml(&text) {
            // Whatever is accepted seals and reads back as itself.
            let authority = key(1);
            let file = package.seal(&authority);
            prop_assert_eq!(ElectionPackage::read(&file, &authority.verifying_key()).unwrap(), package);
        }
    }
}
