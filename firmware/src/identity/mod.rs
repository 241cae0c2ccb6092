//! The trust chain: authority and device keys, device certificates, the election package, and
//! the one signed-file envelope they all use.

pub mod cert;
pub mod keyfile;
pub mod package;
pub mod signed;
