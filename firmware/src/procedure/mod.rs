//! The regulated voting-day sequence: the procedure data and the engine that interprets it.
//! Pure: no I/O, no clock. Time is an argument.

pub mod input;
pub mod people;
pub mod pin;
pub mod spec;
pub mod text;
