//! The command line.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use tps_firmware::text::Lang;

/// TPS Kiosk: the polling-station touchscreen, its simulator and the scenario runner.
#[derive(Debug, Clone, Parser)]
#[command(name = "tps-kiosk", version)]
pub struct Args {
    /// Run on simulated hardware: the kiosk screen in a window and the simulator's controls in
    /// a second window.
    #[arg(long)]
    pub sim: bool,
    /// No window: run a scripted day (with --scenario) and report how it went.
    #[arg(long)]
    pub headless: bool,
    /// The scenario file for --headless.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Where the journal and the device identity live. A restart on the same directory resumes
    /// at the same screen and step. Default: a directory under the user's data directory (on
    /// the Pi without --sim: /var/lib/tps-kiosk).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// With --sim: leave a new data directory blank (no identity), so the kiosk starts in
    /// provisioning as a new device does; its USB stick is DIR/mirror.
    #[arg(long)]
    pub blank: bool,
    /// The election package (TOML source) to provision a new data directory with. Default: the
    /// built-in example TPS in Kota Bandung (Pemilu 2024).
    #[arg(long, value_name = "FILE.toml")]
    pub package: Option<PathBuf>,
    /// On the Pi: the directory on the USB stick that holds the journal's mirror.
    #[arg(long, value_name = "DIR")]
    pub mirror: Option<PathBuf>,
    /// On the Pi: the board file with the pin table.
    #[arg(long, value_name = "FILE")]
    pub board: Option<PathBuf>,
    /// The language the screen starts in.
    #[arg(long, value_enum, default_value_t = LangArg::Id)]
    pub lang: LangArg,
}

/// A language on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Bahasa Indonesia
    Id,
    /// English
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Id => Lang::Id,
            LangArg::En => Lang::En,
        }
    }
}

/// Where a provisioned Pi keeps its data.
pub const PI_DATA_DIR: &str = "/var/lib/tps-kiosk";
/// Where the Pi's USB stick is mounted (the journal's mirror).
pub const PI_MIRROR_DIR: &str = "/media/tps-usb/tps-kiosk";
/// The Pi's board file (the pin table).
pub const PI_BOARD_FILE: &str = "/etc/tps-kiosk/board.toml";

impl Args {
    /// The mirror directory on the Pi: the one given, or the USB stick's default mount.
    pub fn mirror_dir(&self) -> PathBuf {
        self.mirror
            .clone()
            .unwrap_or_else(|| PathBuf::from(PI_MIRROR_DIR))
    }

    /// The board file on the Pi.
    pub fn board_file(&self) -> PathBuf {
        self.board
            .clone()
            .unwrap_or_else(|| PathBuf::from(PI_BOARD_FILE))
    }

    /// The data directory: the one given, or `tps-kiosk/sim` under the user's data directory
    /// (`$XDG_DATA_HOME`, `~/.local/share`), or under the temporary directory without a home.
    pub fn data_dir(&self) -> PathBuf {
        if let Some(d) = &self.data {
            return d.clone();
        }
        if cfg!(feature = "rpi") && !self.sim {
            return PathBuf::from(PI_DATA_DIR);
        }
        let base = std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|h| PathBuf::from(h).join(".local").join("share"))
            })
            .unwrap_or_else(std::env::temp_dir);
        base.join("tps-kiosk").join("sim")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_parse() {
        let a = Args::parse_from(["tps-kiosk", "--sim", "--data", "/tmp/x", "--lang", "en"]);
        assert!(a.sim);
        assert!(!a.blank);
        assert!(Args::parse_from(["tps-kiosk", "--sim", "--blank"]).blank);
        assert_eq!(a.data_dir(), PathBuf::from("/tmp/x"));
        assert_eq!(Lang::from(a.lang), Lang::En);
        let b = Args::parse_from(["tps-kiosk", "--headless", "--scenario", "day.toml"]);
        assert!(b.headless);
        assert_eq!(b.scenario, Some(PathBuf::from("day.toml")));
        assert_eq!(Lang::from(b.lang), Lang::Id);
    }
}
