//! The regulated voting-day sequence: the procedure data and the engine that interprets it.
//! Pure: no I/O, no clock. Time is an argument.
//!
//! `decide(&state, &command, &now)` gives the records to make or a [`Refusal`]; the caller makes
//! them durable in the journal, then `state.apply(&record)`. Boot replays the journal.

pub mod clock;
pub mod command;
pub mod decide;
pub mod input;
pub mod people;
pub mod pin;
pub mod quorum;
pub mod refusal;
pub mod spec;
pub mod state;

#[cfg(test)]
mod refusal_catalogue;
pub mod validate;
pub mod view;

pub use command::Command;
pub use decide::{decide, preview_completion};
pub use refusal::Refusal;
pub use state::{Phase, State};
