//! What can go wrong, and the exit code each kind of failure gives.

use std::path::{Path, PathBuf};

use tps_firmware::identity::keyfile::KeyFileError;

/// Exit code: verification failed.
pub const EXIT_VERIFY: u8 = 1;
/// Exit code: usage or I/O error, or an input file that is malformed.
pub const EXIT_USAGE: u8 = 2;

/// Why a command failed. Every variant that concerns a file names it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not what the command needs (malformed, wrong kind, too large, a directory).
    #[error("{}: {problem}", path.display())]
    Input { path: PathBuf, problem: String },
    /// A key file is missing, malformed or of the wrong kind (the error names the file).
    #[error(transparent)]
    Key(#[from] KeyFileError),
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// The operating system's random source failed.
    #[error("cannot draw a random key: {0}")]
    Random(String),
    /// A signature, chain or certificate does not verify.
    #[error("{}: {problem}", path.display())]
    Verification { path: PathBuf, problem: String },
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Verification { .. } => EXIT_VERIFY,
            _ => EXIT_USAGE,
        }
    }

    pub fn input(path: &Path, problem: impl std::fmt::Display) -> Self {
        CliError::Input {
            path: path.to_path_buf(),
            problem: one_line(&problem.to_string()),
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        CliError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn verification(path: &Path, problem: impl std::fmt::Display) -> Self {
        CliError::Verification {
            path: path.to_path_buf(),
            problem: one_line(&problem.to_string()),
        }
    }
}

/// A message folded into one line. Parser errors (TOML's in particular) come with a source
/// excerpt and a caret on separate lines; keep the words, drop the drawing.
pub fn one_line(message: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in message.lines() {
        let t = line.trim();
        let drawing = t.is_empty()
            || t.starts_with('|')
            || t.chars().all(|c| c == '^' || c == '-' || c.is_whitespace())
            || t.split_once('|').is_some_and(|(n, _)| {
                !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit())
            });
        if !drawing {
            parts.push(
                t.chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect(),
            );
        }
    }
    match parts.split_first() {
        Some((first, rest)) if !rest.is_empty() => format!("{first}: {}", rest.join("; ")),
        Some((first, _)) => first.clone(),
        None => message.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_become_one_line() {
        let msg = "TOML parse error at line 3, column 1\n  |\n3 | [tps\n  | ^\ninvalid table header\nexpected `.`, `]`\n";
        assert_eq!(
            one_line(msg),
            "TOML parse error at line 3, column 1: invalid table header; expected `.`, `]`"
        );
        assert_eq!(one_line("plain"), "plain");
    }
}
