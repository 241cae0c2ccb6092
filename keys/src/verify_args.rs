//! What `journal verify` is asked to do.

use std::path::Path;

use tps_firmware::text::Lang;

/// What `journal verify` is asked to do.
#[derive(Debug)]
pub struct VerifyArgs<'a> {
    pub journal: &'a Path,
    pub authority: &'a Path,
    pub mirror: Option<&'a Path>,
    pub package: Option<&'a Path>,
    pub json: bool,
    pub lang: Lang,
    /// Accept a development certificate or authority (the simulator's): otherwise it fails.
    pub allow_development: bool,
}
