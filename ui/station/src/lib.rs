//! The TPS Kiosk's station without a screen: the kiosk with its devices ([`station`]), the thread
//! that owns it for the screen ([`worker`]), the scripted days ([`scenario`], [`headless`]), and
//! what the screens and the scenarios share: the parser of a step's form fields ([`draft`]) and
//! the texts composed from data ([`words`], [`notes`]). No Slint: the screens are `tps-kiosk`'s.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod draft;
pub mod draft_file;
pub mod headless;
pub mod notes;
pub mod scenario;
pub mod station;
pub mod words;
pub mod worker;
