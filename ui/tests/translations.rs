//! Every word the screens say through `@tr` has its English in ui/lang/en, and the English file
//! holds nothing the screens no longer say. (The engine's texts come in both languages from the
//! firmware and are chosen by the controllers.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn slint_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            slint_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "slint") {
            out.push(path);
        }
    }
}

/// The string literal starting at `s` (just after its opening quote), unescaped.
fn literal(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return out,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    panic!("unterminated string: {s}");
}

fn said_by_screens() -> BTreeSet<String> {
    let mut files = Vec::new();
    slint_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("ui"),
        &mut files,
    );
    let mut said = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (at, _) in text.match_indices("@tr(\"") {
            said.insert(literal(&text[at + 5..]));
        }
    }
    said
}

fn translated() -> Vec<(String, String)> {
    let po = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("lang/en/LC_MESSAGES/tps-kiosk-screens.po"),
    )
    .unwrap();
    let mut out = Vec::new();
    let mut id = None;
    for line in po.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            id = Some(literal(rest));
        } else if let Some(rest) = line.strip_prefix("msgstr \"")
            && let Some(id) = id.take().filter(|i| !i.is_empty())
        {
            out.push((id, literal(rest)));
        }
    }
    out
}

#[test]
fn every_screen_word_has_its_english_and_no_english_is_stale() {
    let said = said_by_screens();
    assert!(said.len() > 100, "only {} @tr strings found", said.len());
    let po = translated();
    let ids: BTreeSet<String> = po.iter().map(|(i, _)| i.clone()).collect();
    let missing: Vec<_> = said.difference(&ids).collect();
    assert!(missing.is_empty(), "no English for: {missing:#?}");
    let stale: Vec<_> = ids.difference(&said).collect();
    assert!(
        stale.is_empty(),
        "English for words no screen says: {stale:#?}"
    );
    for (id, en) in &po {
        assert!(!en.is_empty(), "empty English for {id:?}");
        assert_eq!(
            id.matches("{}").count(),
            en.matches("{}").count(),
            "placeholders differ: {id:?} / {en:?}"
        );
    }
}
