//! The station runs a day without a screen (issue 14): `tps-station`, and every crate of ours it
//! depends on, never depends on Slint or on the UI crates. Cargo then refuses any `use slint` in
//! them; this test keeps a dependency from being added back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

/// The crates a screenless crate may not depend on.
fn is_ui(name: &str) -> bool {
    name == "slint"
        || name.starts_with("slint-")
        || name.starts_with("i-slint-")
        || name.starts_with("tps-kiosk")
}

fn read(manifest: &Path) -> Table {
    std::fs::read_to_string(manifest)
        .unwrap()
        .parse::<Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()))
}

/// Every (crate, UI dependency) pair reachable through the normal dependencies of the crate
/// at `dir`, following our own path dependencies (given directly or through the workspace's).
fn ui_dependencies(dir: &Path, workspace: &Table) -> Vec<(String, String)> {
    let paths = workspace["workspace"]["dependencies"].as_table().unwrap();
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        if !seen.insert(dir.clone()) {
            continue;
        }
        let manifest = read(&dir.join("Cargo.toml"));
        let name = manifest["package"]["name"].as_str().unwrap().to_string();
        let Some(deps) = manifest.get("dependencies").and_then(Value::as_table) else {
            continue;
        };
        for (dep, spec) in deps {
            if is_ui(dep) {
                found.push((name.clone(), dep.clone()));
            }
            let (base, path) = if spec.get("workspace").and_then(Value::as_bool) == Some(true) {
                (top(), paths.get(dep).and_then(|d| d.get("path")))
            } else {
                (dir.clone(), spec.get("path"))
            };
            if let Some(path) = path.and_then(Value::as_str) {
                todo.push(base.join(path));
            }
        }
    }
    found
}

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_station_and_what_it_imports_never_depend_on_slint() {
    let workspace = read(&top().join("Cargo.toml"));
    let found = ui_dependencies(&top().join("ui/station"), &workspace);
    assert!(
        found.is_empty(),
        "screenless crates depending on the UI: {found:?}"
    );
    // The check sees a UI dependency where there is one: the UI crate itself.
    let ui = ui_dependencies(&top().join("ui"), &workspace);
    assert!(
        ui.iter()
            .any(|(krate, dep)| krate == "tps-kiosk" && dep == "slint"),
        "{ui:?}"
    );
}
