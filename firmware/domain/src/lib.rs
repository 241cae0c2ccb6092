//! What the engine and the journal share, so neither imports the other: the record catalogue
//! ([`event`]) and the record ([`record`]), the election package's contents ([`package`]), the
//! procedure as data ([`spec`]) and the inputs, people and PINs it names, the phrases both
//! say ([`phrase`]), and the count's figures with the arithmetic they must satisfy ([`tally`]) and their text in a
//! printed C.Hasil's QR codes ([`chasil`]).
//! Plain data and pure functions; imports only the base (`tps-base`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod chasil;
pub mod event;
pub mod input;
pub mod package;
pub mod people;
pub mod phrase;
pub mod pin;
pub mod record;
pub mod spec;
pub mod tally;
