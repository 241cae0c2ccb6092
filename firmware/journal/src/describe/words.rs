//! The small helpers every describer file uses: apart from `mod.rs` so a file it calls (such
//! as `device`) uses them without importing `mod.rs` back.

use tps_base::text::Lang;

/// The Indonesian or the English of a short text.
pub(super) fn tr<T>(lang: Lang, id: T, en: T) -> T {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// Text someone typed, made safe for one line: control characters (newlines, tabs, escape
/// sequences) become spaces.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The first bytes of a hash, in hex, to tell one from another.
pub(super) fn short_hex(bytes: &[u8]) -> String {
    let mut s = hex::encode(&bytes[..bytes.len().min(8)]);
    s.push('…');
    s
}
