//! `tps-keys`: the technicians' and auditors' tool. Authority keys, device provisioning,
//! election packages, journal verification and audit. See README.md beside this crate.
//!
//! Exit codes: 0 success, 1 verification failed, 2 usage or I/O error (or a malformed input).
#![forbid(unsafe_code)]

mod audit;
mod chasil;
mod error;
mod files;
mod journal;
mod outcome;
mod package;
mod printed_record;
mod provision;
mod receipt;
mod receipt_args;
mod sequence;
mod sequence_journal;
mod verify_args;
mod words;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tps_firmware::text::Lang;
use tps_firmware::time::Date;

use crate::error::{CliError, EXIT_VERIFY, one_line};
use crate::outcome::Outcome;

#[derive(Debug, Parser)]
#[command(
    name = "tps-keys",
    version,
    about = "TPS Kiosk keys, provisioning, election packages, journal verification and audit",
    after_help = "Exit codes: 0 success, 1 verification failed, 2 usage or I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The authority's key pair (KPU Kabupaten/Kota; keep the secret key offline).
    #[command(subcommand)]
    Authority(AuthorityCommand),
    /// Device keys, certificate requests and certificates.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Election packages: build one from TOML and sign it, or show one.
    #[command(subcommand)]
    Package(PackageCommand),
    /// Verify or show a kiosk's journal.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Check a printed report's QR code against the kiosk's journal.
    #[command(subcommand)]
    Receipt(ReceiptCommand),
    /// Verify every *.tpsj journal under a directory, in parallel on all cores.
    Audit {
        /// The directory to search (recursively).
        dir: PathBuf,
        /// The authority's public key file.
        #[arg(long)]
        authority: PathBuf,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
        /// Check every record's signature strictly, not only the head's (the default checks
        /// every frame, chain hash, certificate and package, and the last record's signature).
        #[arg(long)]
        every_signature: bool,
        /// A journal whose day is incomplete (no close-out and closing report) fails.
        #[arg(long)]
        require_complete: bool,
        /// Accept journals under a development certificate or authority (simulator, tests).
        #[arg(long)]
        allow_development: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AuthorityCommand {
    /// Create DIR/authority.key (mode 0600) and DIR/authority.pub. Never overwrites.
    Init {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Mark the authority as a development one (simulator, tests): never for an election.
        #[arg(long)]
        development: bool,
    },
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// Generate a device key (mode 0600) and a certificate request for it.
    Request {
        /// 1 to 32 letters, digits, '-' or '_'.
        #[arg(long)]
        device_id: String,
        /// Where to write the device's secret key (never overwritten).
        #[arg(long, value_name = "FILE")]
        key_out: PathBuf,
        /// Where to write the certificate request.
        #[arg(long, value_name = "REQ")]
        out: PathBuf,
    },
    /// Issue a device certificate for a request, signed by the authority.
    Certify {
        /// The certificate request file.
        request: PathBuf,
        /// The authority's secret key file.
        #[arg(long, value_name = "FILE")]
        authority_key: PathBuf,
        /// How many days the certificate is valid.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=36_500))]
        valid_days: u32,
        #[arg(long, value_name = "CERT")]
        out: PathBuf,
        /// Issue a development certificate (never valid for an election).
        #[arg(long)]
        development: bool,
        /// Valid from the start of this day (midnight WIT) instead of from now.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        not_before: Option<Date>,
    },
}

#[derive(Debug, Subcommand)]
enum PackageCommand {
    /// Check a TOML package source and sign it.
    Build {
        /// The TOML source (see keys/examples).
        source: PathBuf,
        #[arg(long, value_name = "FILE")]
        authority_key: PathBuf,
        #[arg(long, value_name = "PKG")]
        out: PathBuf,
        /// A device allowed to run the package, by its certificate's device id (repeat for
        /// spares; at least one). A kiosk refuses a package that does not name it.
        #[arg(long = "device", value_name = "ID", required = true)]
        devices: Vec<String>,
    },
    /// Show a package; with --authority, check its signature (exit 1 if bad).
    Show {
        package: PathBuf,
        /// The authority's public key file.
        #[arg(long, value_name = "PUB")]
        authority: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum JournalCommand {
    /// Verify a journal: structure, chain, certificate, signatures, and the package.
    Verify {
        journal: PathBuf,
        /// The authority's public key file.
        #[arg(long, value_name = "PUB")]
        authority: PathBuf,
        /// The mirror copy (USB stick) to verify and compare with the journal.
        #[arg(long, value_name = "FILE")]
        mirror: Option<PathBuf>,
        /// The election package (default: package.tpsp next to the journal, if present).
        #[arg(long, value_name = "PKG")]
        package: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
        /// Accept a journal under a development certificate or authority (simulator, tests);
        /// without it such a journal fails (exit 1).
        #[arg(long)]
        allow_development: bool,
    },
    /// List every record in plain words (signatures are not checked).
    Show {
        journal: PathBuf,
        /// The election package, for local times (default: package.tpsp next to the journal).
        #[arg(long, value_name = "PKG")]
        package: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
}

/// A language the auditor's commands speak.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Language {
    /// Bahasa Indonesia
    Id,
    /// English
    En,
}

/// `--lang`: the language of what a command prints (its report, and `--json`'s reasons).
#[derive(Debug, Clone, Copy, clap::Args)]
struct LangArg {
    /// The language of the report and of --json's reasons; stderr stays in English.
    #[arg(long, value_enum, default_value_t = Language::En)]
    lang: Language,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l.lang {
            Language::Id => Lang::Id,
            Language::En => Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
enum ReceiptCommand {
    /// Verify a receipt code: signed by the journal's device, naming a record the journal has,
    /// with the figures the journal gives there.
    Verify {
        /// The code under the QR (TPSK2|...), as a phone's QR reader gives it; for a C.Hasil
        /// printed as a sequence of QR codes (TPSH1*...), repeat --code once per code, in any
        /// order.
        #[arg(long, value_name = "TEXT", conflicts_with = "code_file")]
        code: Vec<String>,
        /// A file holding the code, or a sequence's codes one a line (blank lines ignored).
        #[arg(long, value_name = "FILE")]
        code_file: Option<PathBuf>,
        /// The kiosk's journal, to cross-check the code against (without it, the code is checked
        /// from what it carries: certificate and signature).
        #[arg(long, value_name = "JOURNAL")]
        journal: Option<PathBuf>,
        /// The authority's public key file.
        #[arg(long, value_name = "PUB")]
        authority: PathBuf,
        /// The election package (default: package.tpsp next to the journal, if present).
        #[arg(long, value_name = "PKG")]
        package: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("'{s}' is not a real date as YYYY-MM-DD"))
}

fn run(command: Command) -> Result<Outcome, CliError> {
    match command {
        Command::Authority(AuthorityCommand::Init { out, development }) => {
            provision::authority_init(&out, development)
        }
        Command::Device(DeviceCommand::Request {
            device_id,
            key_out,
            out,
        }) => provision::device_request(&device_id, &key_out, &out),
        Command::Device(DeviceCommand::Certify {
            request,
            authority_key,
            valid_days,
            out,
            development,
            not_before,
        }) => provision::device_certify(&provision::Certify {
            request,
            authority_key,
            valid_days,
            out,
            development,
            not_before,
        }),
        Command::Package(PackageCommand::Build {
            source,
            authority_key,
            out,
            devices,
        }) => package::build(&source, &authority_key, &out, &devices),
        Command::Package(PackageCommand::Show {
            package,
            authority,
            json,
        }) => package::show(&package, authority.as_deref(), json),
        Command::Journal(JournalCommand::Verify {
            journal,
            authority,
            mirror,
            package,
            json,
            lang,
            allow_development,
        }) => journal::verify(&verify_args::VerifyArgs {
            journal: &journal,
            authority: &authority,
            mirror: mirror.as_deref(),
            package: package.as_deref(),
            json,
            lang: lang.into(),
            allow_development,
        }),
        Command::Journal(JournalCommand::Show {
            journal,
            package,
            json,
            lang,
        }) => journal::show(&journal, package.as_deref(), json, lang.into()),
        Command::Audit {
            dir,
            authority,
            json,
            lang,
            every_signature,
            require_complete,
            allow_development,
        } => audit::audit(&audit::AuditArgs {
            root: &dir,
            authority: &authority,
            json,
            lang: lang.into(),
            every_signature,
            require_complete,
            allow_development,
        }),
        Command::Receipt(ReceiptCommand::Verify {
            code,
            code_file,
            journal,
            authority,
            package,
            json,
            lang,
        }) => receipt::verify(&receipt::ReceiptArgs {
            codes: &code,
            code_file: code_file.as_deref(),
            journal: journal.as_deref(),
            authority: &authority,
            package: package.as_deref(),
            json,
            lang: lang.into(),
        }),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a message.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn report_error(e: &CliError) {
    eprintln!("tps-keys: error: {}", one_line(&e.to_string()));
}

/// A value outside an option's fixed set (`--lang xx`), said on one line with the values it
/// accepts, like every other error of this tool; `None` for other command-line errors, which
/// clap reports itself.
fn invalid_choice(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    if e.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let arg = e.get(ContextKind::InvalidArg)?;
    let value = e.get(ContextKind::InvalidValue)?;
    let accepted = e.get(ContextKind::ValidValue)?;
    Some(format!(
        "invalid value '{value}' for {arg}: accepted values are {accepted}"
    ))
}

fn main() -> ExitCode {
    let result = match Cli::try_parse() {
        Ok(cli) => run(cli.command),
        Err(e) => match invalid_choice(&e) {
            Some(message) => Err(CliError::Usage(message)),
            None => e.exit(),
        },
    };
    match result {
        Ok(outcome) => {
            print(&outcome.stdout);
            if outcome.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                for f in &outcome.failures {
                    report_error(f);
                }
                ExitCode::from(EXIT_VERIFY)
            }
        }
        Err(e) => {
            report_error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::path::Path;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn exit_codes() {
        assert_eq!(crate::error::EXIT_USAGE, 2);
        assert_eq!(
            CliError::verification(Path::new("j"), "record 3: bad signature").exit_code(),
            1
        );
        assert_eq!(CliError::Usage("x".into()).exit_code(), 2);
    }
}
