//! The regulated voting-day sequence: the engine that interprets the procedure data
//! (`tps_domain::spec`). Pure: no I/O, no clock. Time is an argument. It takes plain data the
//! domain crate defines (the package's contents, `tps_domain::package`; the records,
//! `tps_domain::record`) and never imports the journal or identity: it sees no file, signature
//! or frame.
//!
//! `decide(&state, &command, &now)` gives the records to make or a [`Refusal`]; the caller makes
//! them durable in the journal, then `state.apply(&record)`. Boot replays the journal.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod clock;
pub mod clock_refusal;
pub mod command;
pub mod decide;
mod pin_check;
pub mod quorum;
pub mod refusal;
pub mod state;

#[cfg(test)]
mod refusal_catalogue;
pub mod validate;
pub mod view;

pub use command::Command;
pub use decide::{decide, preview_completion};
pub use refusal::Refusal;
pub use state::{Phase, State};
// The procedure's data and the inputs it names, under the paths the crates above have named.
pub use tps_domain::{input, people, pin, spec, tally};
