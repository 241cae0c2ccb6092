//! Where the kiosk's log lines go: to journald when systemd runs it (the Pi's unit, so a
//! technician reads them with `journalctl -u tps-kiosk`), to stderr otherwise.

use log::{LevelFilter, Log, Metadata, Record};
use systemd_journal_logger::{JournalLog, connected_to_journal};

/// Installs the logger once, at start. Informational lines and above are kept.
pub fn init() {
    log::set_max_level(LevelFilter::Info);
    if connected_to_journal() {
        match JournalLog::new() {
            Ok(journal) => {
                if journal
                    .with_syslog_identifier("tps-kiosk".to_owned())
                    .install()
                    .is_ok()
                {
                    return;
                }
            }
            Err(e) => eprintln!("tps-kiosk: journald unavailable, logging to stderr: {e}"),
        }
    }
    // Only fails when a logger is already installed, which then keeps the lines.
    let _ = log::set_logger(&Stderr);
}

/// One line per message on stderr, with its level.
#[derive(Debug)]
struct Stderr;

impl Log for Stderr {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            eprintln!(
                "tps-kiosk: {}: {}",
                record.level().as_str().to_lowercase(),
                record.args()
            );
        }
    }

    fn flush(&self) {}
}
