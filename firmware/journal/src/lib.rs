//! The signed, hash-chained, append-only journal (the byte format is in FORMAT.md beside this
//! file) and the trust chain it rests on ([`identity`]). Imports the base and the domain
//! (`tps-domain`: the record catalogue, the package's contents), never the engine.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(test)]
mod catalogue;
pub mod describe;
mod error;
mod frames;
pub mod identity;
pub mod mirror;
mod problem;
pub mod read;
pub mod record;
pub mod scan;
pub mod store;
pub mod verify;

pub use record::{MAX_FRAME, MAX_RECORD, Record, SignedRecord};
pub use store::{Journal, JournalError, JournalPaths, Opened, Trust, Untrusted};
pub use verify::{VerifyError, VerifyReport, verify};
