//! Cross-crate end-to-end tests live in tests/tests/.
#![forbid(unsafe_code)]
