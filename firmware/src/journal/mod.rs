//! The signed, hash-chained, append-only journal. The byte format is in FORMAT.md beside this
//! file.

#[cfg(test)]
mod catalogue;
pub mod describe;
pub mod mirror;
pub mod read;
pub mod record;
pub mod scan;
pub mod store;
pub mod verify;

pub use record::{MAX_FRAME, MAX_RECORD, Record, SignedRecord};
pub use store::{Journal, JournalError, JournalPaths, Opened, Trust, Untrusted};
pub use verify::{VerifyError, VerifyReport, verify};
