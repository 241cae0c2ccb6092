//! Reading the printed QR codes back as a phone would, with a real decoder: `zbarimg` (Debian:
//! zbar-tools), where it is installed. Tests that need it skip, saying so, where it is not.

use std::path::Path;
use std::process::Command;

/// Whether `zbarimg` can be run here.
pub fn zbar_available() -> bool {
    Command::new("zbarimg").arg("--version").output().is_ok()
}

/// The QR codes `zbarimg` reads off the image at `png`, one text each, in the order it finds
/// them; `Err` says why it could not (not installed, or no code found), in its own words.
pub fn read_qr_codes(png: &Path) -> Result<Vec<String>, String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(png)
        .output()
        .map_err(|e| format!("zbarimg: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}
