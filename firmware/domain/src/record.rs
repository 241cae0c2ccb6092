//! The record the device signs: its place in the chain, its stamp and its body from the
//! catalogue ([`crate::event`]), and rule 5 of the journal's FORMAT.md for trusted time. Plain
//! data the engine replays and the journal frames, signs and stores.

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};
use tps_base::time::Stamp;

use crate::event::RecordBody;

/// What the device signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, MaxSize)]
pub struct Record {
    /// The record's place in the journal, from 0.
    pub seq: u64,
    /// Chain hash of the previous record (zeros for record 0).
    pub prev: [u8; 32],
    /// When it was made.
    pub stamp: Stamp,
    /// What it records.
    pub body: RecordBody,
}

/// Rule 5 of FORMAT.md for trusted time: the newest trusted wall time once a record with
/// `stamp` and `body` follows one whose newest was `last`. A record on a trusted clock moves it
/// forward; a technician's `ClockSet` makes its new time the reference, even if earlier.
pub fn trusted_time_after(last: Option<i64>, stamp: &Stamp, body: &RecordBody) -> Option<i64> {
    match body {
        RecordBody::ClockSet { new_ms, .. } => Some(*new_ms),
        _ if stamp.clock.is_trusted() => Some(last.map_or(stamp.wall_ms, |t| t.max(stamp.wall_ms))),
        _ => last,
    }
}

/// The newest trusted time `last` if a record with `stamp` and `body` would go back before it,
/// which rule 5 forbids (a `ClockSet` may).
pub fn goes_back_from(last: Option<i64>, stamp: &Stamp, body: &RecordBody) -> Option<i64> {
    last.filter(|&t| {
        stamp.clock.is_trusted()
            && stamp.wall_ms < t
            && !matches!(body, RecordBody::ClockSet { .. })
    })
}
