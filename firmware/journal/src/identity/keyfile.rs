//! Key files: short text files a technician can recognise.
//!
//! ```text
//! tps-kiosk authority secret key v1
//! 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//! ```
//! The first line names the kind, the second is the 32-byte key in hex. Lines starting with `#`
//! are comments. Secret key files are created with mode 0600 and never overwritten.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};

/// The kinds of key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// The authority's signing key (kept offline).
    AuthoritySecret,
    /// The authority's public key, which verifiers trust.
    AuthorityPublic,
    /// A kiosk's signing key.
    DeviceSecret,
    /// A kiosk's public key.
    DevicePublic,
}

impl KeyKind {
    const ALL: [KeyKind; 4] = [
        KeyKind::AuthoritySecret,
        KeyKind::AuthorityPublic,
        KeyKind::DeviceSecret,
        KeyKind::DevicePublic,
    ];

    fn header(self) -> &'static str {
        match self {
            KeyKind::AuthoritySecret => "tps-kiosk authority secret key v1",
            KeyKind::AuthorityPublic => "tps-kiosk authority public key v1",
            KeyKind::DeviceSecret => "tps-kiosk device secret key v1",
            KeyKind::DevicePublic => "tps-kiosk device public key v1",
        }
    }

    /// The kind in running text: "a device secret key".
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::AuthoritySecret => "an authority secret key",
            KeyKind::AuthorityPublic => "an authority public key",
            KeyKind::DeviceSecret => "a device secret key",
            KeyKind::DevicePublic => "a device public key",
        }
    }

    fn is_secret(self) -> bool {
        matches!(self, KeyKind::AuthoritySecret | KeyKind::DeviceSecret)
    }
}

/// Why a key file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// The key file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// Writing a key where a file already stands: keys are never overwritten.
    #[error("{path}: already exists; a key is never overwritten")]
    AlreadyExists {
        /// The file that exists.
        path: PathBuf,
    },
    /// The first line after the comments is no key file header.
    #[error("{path}: not a TPS Kiosk key file (expected {expected})")]
    NotAKeyFile {
        /// The file.
        path: PathBuf,
        /// The kind that was expected.
        expected: &'static str,
    },
    /// A key file of another kind than asked for (a public key where a secret one was wanted).
    #[error("{path}: this is {found}, not {expected}")]
    WrongKind {
        /// The file.
        path: PathBuf,
        /// The kind that was expected.
        expected: &'static str,
        /// The kind the file is.
        found: &'static str,
    },
    /// The key line is not 64 hexadecimal digits.
    #[error("{path}: the key is not 64 hexadecimal digits")]
    BadKey {
        /// The file.
        path: PathBuf,
    },
    /// A public key of small order, which would accept forged signatures.
    #[error("{path}: the public key is weak (small order) and is refused")]
    WeakKey {
        /// The file.
        path: PathBuf,
    },
}

/// A 32-byte key as read from a file, with any comment lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyText {
    /// What kind of key it is.
    pub kind: KeyKind,
    /// The key's 32 bytes.
    pub bytes: [u8; 32],
    /// The comment lines (`# ...`), without the `#`.
    pub comments: Vec<String>,
}

impl KeyText {
    /// The key file's text: comments, header line, key in hexadecimal.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.comments {
            out.push_str("# ");
            out.push_str(c);
            out.push('\n');
        }
        out.push_str(self.kind.header());
        out.push('\n');
        out.push_str(&hex::encode(self.bytes));
        out.push('\n');
        out
    }

    /// Reads a key file's text, which must be of kind `expected`; `path` is for the error.
    pub fn parse(text: &str, expected: KeyKind, path: &Path) -> Result<Self, KeyFileError> {
        let mut comments = Vec::new();
        let mut lines = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.strip_prefix('#') {
                Some(c) => comments.push(c.trim().to_string()),
                None => lines.push(line),
            }
        }
        let header = lines.first().copied().unwrap_or_default();
        let Some(kind) = KeyKind::ALL.into_iter().find(|k| k.header() == header) else {
            return Err(KeyFileError::NotAKeyFile {
                path: path.to_path_buf(),
                expected: expected.name(),
            });
        };
        if kind != expected {
            return Err(KeyFileError::WrongKind {
                path: path.to_path_buf(),
                expected: expected.name(),
                found: kind.name(),
            });
        }
        let mut bytes = [0u8; 32];
        match lines.as_slice() {
            [_, key] if hex::decode_to_slice(key, &mut bytes).is_ok() => {}
            _ => {
                return Err(KeyFileError::BadKey {
                    path: path.to_path_buf(),
                });
            }
        }
        Ok(Self {
            kind,
            bytes,
            comments,
        })
    }
}

fn read_key(path: &Path, expected: KeyKind) -> Result<KeyText, KeyFileError> {
    let not_a_key_file = || KeyFileError::NotAKeyFile {
        path: path.to_path_buf(),
        expected: expected.name(),
    };
    // A key file is under 1 KiB; a large file is not read into memory.
    let bytes = super::read_at_most(path, 4096).map_err(|source| {
        if source.kind() == std::io::ErrorKind::FileTooLarge {
            not_a_key_file()
        } else {
            KeyFileError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let text = String::from_utf8(bytes).map_err(|_| not_a_key_file())?;
    KeyText::parse(&text, expected, path)
}

/// Writes a key file that must not exist yet; secret keys get mode 0600.
pub fn write_key(path: &Path, key: &KeyText) -> Result<(), KeyFileError> {
    let mode = if key.kind.is_secret() { 0o600 } else { 0o644 };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                KeyFileError::AlreadyExists {
                    path: path.to_path_buf(),
                }
            } else {
                KeyFileError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
    file.write_all(key.render().as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| KeyFileError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// A fresh signing key from the operating system's random source.
pub fn generate_signing_key() -> Result<SigningKey, getrandom::Error> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads the signing key of kind `kind` from `path`.
pub fn read_signing_key(path: &Path, kind: KeyKind) -> Result<SigningKey, KeyFileError> {
    read_key(path, kind).map(|k| SigningKey::from_bytes(&k.bytes))
}

/// A public key and the comments in its file (e.g. the development marker).
pub fn read_verifying_key(
    path: &Path,
    kind: KeyKind,
) -> Result<(VerifyingKey, Vec<String>), KeyFileError> {
    let text = read_key(path, kind)?;
    let key = VerifyingKey::from_bytes(&text.bytes).map_err(|_| KeyFileError::BadKey {
        path: path.to_path_buf(),
    })?;
    if key.is_weak() {
        return Err(KeyFileError::WeakKey {
            path: path.to_path_buf(),
        });
    }
    Ok((key, text.comments))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn secret_keys_are_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.key");
        let key = generate_signing_key().unwrap();
        let text = KeyText {
            kind: KeyKind::DeviceSecret,
            bytes: key.to_bytes(),
            comments: vec![],
        };
        write_key(&path, &text).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(matches!(
            write_key(&path, &text),
            Err(KeyFileError::AlreadyExists { .. })
        ));
        let back = read_signing_key(&path, KeyKind::DeviceSecret).unwrap();
        assert_eq!(back.to_bytes(), key.to_bytes());
    }

    #[test]
    fn a_wrong_key_file_says_what_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.key");
        let text = KeyText {
            kind: KeyKind::DeviceSecret,
            bytes: [5; 32],
            comments: vec![],
        };
        write_key(&path, &text).unwrap();
        let err = read_signing_key(&path, KeyKind::AuthoritySecret).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: this is a device secret key, not an authority secret key",
                path.display()
            )
        );
        std::fs::write(dir.path().join("junk"), "hello\nworld\n").unwrap();
        assert!(matches!(
            read_signing_key(&dir.path().join("junk"), KeyKind::DeviceSecret),
            Err(KeyFileError::NotAKeyFile { .. })
        ));
        std::fs::write(
            dir.path().join("short"),
            "tps-kiosk device secret key v1\nabcd\n",
        )
        .unwrap();
        assert!(matches!(
            read_signing_key(&dir.path().join("short"), KeyKind::DeviceSecret),
            Err(KeyFileError::BadKey { .. })
        ));
    }

    #[test]
    fn a_small_order_public_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("weak.pub");
        // The identity point encodes as 1 followed by zeros: order 1, weak.
        let mut bytes = [0u8; 32];
        bytes[0] = 1;
        let text = KeyText {
            kind: KeyKind::AuthorityPublic,
            bytes,
            comments: vec![],
        };
        write_key(&path, &text).unwrap();
        assert!(matches!(
            read_verifying_key(&path, KeyKind::AuthorityPublic),
            Err(KeyFileError::WeakKey { .. })
        ));
    }
}
