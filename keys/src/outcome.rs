//! What a command prints and the failures it found, shared by every command.

use serde::Serialize;

use crate::error::CliError;

/// What a command prints, and the verification failures it found (exit 1 when any).
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub failures: Vec<CliError>,
}

impl Outcome {
    pub fn ok(stdout: String) -> Self {
        Self {
            stdout,
            failures: Vec::new(),
        }
    }
}

/// Pretty JSON with a final newline.
pub fn json<T: Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| CliError::Usage(format!("cannot write JSON: {e}")))
}
