//! No import cycle between the files of our crates (issue 14): a file that names an item of
//! another file (a `use`, or a path such as `crate::journal::record::MAGIC` or `view::MAX_PEOPLE`
//! in code) depends on it, and no chain of such dependencies may lead back to where it started.
//!
//! The checker parses every file of each crate with `syn`, builds the module tree from the
//! `mod` declarations (from `lib.rs` or `main.rs`), and resolves each path to the file that
//! defines the module it names: `crate::`, `self::`, `super::`, a child module, or a name a
//! `use` brought in (so `super::Thing`, re-exported by the parent from a sibling, leads to the
//! sibling). A path that stops at an item, such as `super::helper` defined in a parent
//! `mod.rs`, depends on that parent's file.
//!
//! Left out on purpose: `#[cfg(test)]` code (a test may reach anything it checks), macro bodies
//! (tokens, not paths), and a parent's `mod child;` declaration (owning a module is not using
//! it; a parent that calls or re-exports its child does depend on it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// A module's path from its crate root: `["procedure", "decide"]`.
type ModPath = Vec<String>;

/// One module: the file it lives in, what its `use` items bring in, and the paths it names.
#[derive(Debug, Default)]
struct Module {
    file: PathBuf,
    /// A name brought in by `use` (its alias), to the path it was brought from.
    uses: BTreeMap<String, Vec<String>>,
    /// Every path the module names, as written (the `use` paths included).
    paths: Vec<Vec<String>>,
}

/// A crate's modules, by path.
#[derive(Debug, Default)]
struct Crate {
    modules: BTreeMap<ModPath, Module>,
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// Flattens a `use` tree into (name it binds, full path); a glob binds nothing and is named `*`.
fn flatten_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    out: &mut Vec<(String, Vec<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            let name = prefix.last().cloned().unwrap_or_default();
            out.push((name, prefix.clone()));
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push((n.ident.to_string(), path));
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push((r.rename.to_string(), path));
        }
        syn::UseTree::Glob(_) => out.push(("*".into(), prefix.clone())),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, out);
            }
        }
    }
}

/// Walks one file's syntax, module by module (inline modules included).
struct FileVisitor<'a> {
    krate: &'a mut Crate,
    file: PathBuf,
    module: ModPath,
    /// Files of `mod x;` declarations still to read: (module path, file).
    pending: Vec<(ModPath, PathBuf)>,
    /// The directory that holds this module's child module files.
    child_dir: PathBuf,
}

impl FileVisitor<'_> {
    fn current(&mut self) -> &mut Module {
        let file = self.file.clone();
        self.krate
            .modules
            .entry(self.module.clone())
            .or_insert_with(|| Module {
                file,
                ..Module::default()
            })
    }
}

impl<'ast> Visit<'ast> for FileVisitor<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if is_cfg_test(&m.attrs) {
            return;
        }
        let name = m.ident.to_string();
        let mut path = self.module.clone();
        path.push(name.clone());
        match &m.content {
            Some((_, items)) => {
                let saved_dir = self.child_dir.clone();
                self.child_dir = self.child_dir.join(&name);
                self.module.push(name);
                self.current();
                for item in items {
                    self.visit_item(item);
                }
                self.module.pop();
                self.child_dir = saved_dir;
            }
            None => {
                let flat = self.child_dir.join(format!("{name}.rs"));
                let nested = self.child_dir.join(&name).join("mod.rs");
                let file = if flat.exists() { flat } else { nested };
                assert!(file.exists(), "no file for module {}", path.join("::"));
                self.pending.push((path, file));
            }
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if is_cfg_test(&u.attrs) {
            return;
        }
        let mut flat = Vec::new();
        flatten_use(&u.tree, &mut Vec::new(), &mut flat);
        let module = self.current();
        for (name, path) in flat {
            module.paths.push(path.clone());
            if name != "*" {
                module.uses.insert(name, path);
            }
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_cfg_test(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if !is_cfg_test(&i.attrs) {
            syn::visit::visit_item_impl(self, i);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.current().paths.push(segments);
        }
        syn::visit::visit_path(self, p);
    }
}

/// Reads a crate from its root file (`lib.rs` or `main.rs`).
fn read_crate(root: &Path) -> Crate {
    let mut krate = Crate::default();
    let mut pending = vec![(ModPath::new(), root.to_path_buf())];
    while let Some((module, file)) = pending.pop() {
        let source = fs::read_to_string(&file).unwrap();
        let ast = syn::parse_file(&source)
            .unwrap_or_else(|e| panic!("{}: does not parse: {e}", file.display()));
        let dir = file.parent().unwrap().to_path_buf();
        let is_owner = module.is_empty() || file.file_name().is_some_and(|n| n == "mod.rs");
        let child_dir = if is_owner {
            dir
        } else {
            dir.join(module.last().unwrap())
        };
        let mut visitor = FileVisitor {
            krate: &mut krate,
            file: file.clone(),
            module: module.clone(),
            pending: Vec::new(),
            child_dir,
        };
        visitor.current();
        visitor.visit_file(&ast);
        pending.extend(visitor.pending);
    }
    krate
}

impl Crate {
    /// The module whose file defines what `path`, named inside module `at`, refers to; `None`
    /// for a path outside the crate (std, another crate, a local name).
    fn resolve(&self, at: &ModPath, path: &[String], depth: usize) -> Option<ModPath> {
        if depth > 16 {
            return None;
        }
        let (first, rest) = path.split_first()?;
        let mut cur: ModPath = match first.as_str() {
            "crate" => ModPath::new(),
            "self" => at.clone(),
            "super" => at[..at.len().checked_sub(1)?].to_vec(),
            name => {
                let mut child = at.clone();
                child.push(name.to_string());
                if self.modules.contains_key(&child) {
                    child
                } else {
                    // A name a `use` of this module brought in: resolve where it came from.
                    let from = self.modules.get(at)?.uses.get(name)?;
                    if from.as_slice() == path {
                        return None;
                    }
                    let mut full = from.clone();
                    full.extend(rest.iter().cloned());
                    return self.resolve(at, &full, depth + 1);
                }
            }
        };
        let mut rest = rest;
        while let Some((seg, tail)) = rest.split_first() {
            if seg == "super" {
                cur.pop();
                rest = tail;
                continue;
            }
            let mut child = cur.clone();
            child.push(seg.clone());
            if self.modules.contains_key(&child) {
                cur = child;
                rest = tail;
                continue;
            }
            // An item of `cur`: if `cur` brought it in with a `use`, it lives where that leads.
            if let Some(from) = self.modules.get(&cur).and_then(|m| m.uses.get(seg))
                && let Some(there) = self.resolve(&cur, from, depth + 1)
            {
                return Some(there);
            }
            break;
        }
        Some(cur)
    }

    /// Which file depends on which, with one path that shows each dependency.
    fn file_graph(&self) -> BTreeMap<PathBuf, BTreeMap<PathBuf, String>> {
        let mut graph: BTreeMap<PathBuf, BTreeMap<PathBuf, String>> = BTreeMap::new();
        for (at, module) in &self.modules {
            let from = graph.entry(module.file.clone()).or_default();
            for path in &module.paths {
                let Some(target) = self.resolve(at, path, 0) else {
                    continue;
                };
                let to = &self.modules[&target].file;
                if *to != module.file {
                    from.entry(to.clone()).or_insert_with(|| path.join("::"));
                }
            }
        }
        graph
    }
}

/// The strongly connected groups of more than one file (Tarjan): one cycle through each, and
/// all its files.
fn cycles(
    graph: &BTreeMap<PathBuf, BTreeMap<PathBuf, String>>,
) -> Vec<(Vec<PathBuf>, Vec<PathBuf>)> {
    struct Tarjan<'g> {
        graph: &'g BTreeMap<PathBuf, BTreeMap<PathBuf, String>>,
        index: BTreeMap<&'g PathBuf, usize>,
        low: BTreeMap<&'g PathBuf, usize>,
        stack: Vec<&'g PathBuf>,
        on_stack: BTreeSet<&'g PathBuf>,
        groups: Vec<Vec<&'g PathBuf>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g PathBuf) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flat_map(|e| e.keys()) {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    self.groups.push(group);
                }
            }
        }
    }
    let mut t = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    // One shortest cycle through the first file of each group (breadth first, inside it).
    t.groups
        .iter()
        .map(|group| {
            let members: BTreeSet<&PathBuf> = group.iter().copied().collect();
            let start = *members.iter().next().unwrap();
            let mut came_from: BTreeMap<&PathBuf, &PathBuf> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([start]);
            'search: while let Some(v) = queue.pop_front() {
                for w in graph[v].keys().filter(|w| members.contains(w)) {
                    if w == start {
                        came_from.insert(start, v);
                        break 'search;
                    }
                    if !came_from.contains_key(w) {
                        came_from.insert(w, v);
                        queue.push_back(w);
                    }
                }
            }
            let mut cycle = vec![start.clone()];
            let mut v = came_from[start];
            while v != start {
                cycle.push(v.clone());
                v = came_from[v];
            }
            cycle.push(start.clone());
            cycle.reverse();
            // The group's other files, after the cycle, for the report.
            (
                cycle,
                group.iter().map(|p| (*p).clone()).collect::<Vec<_>>(),
            )
        })
        .collect()
}

/// Every crate root of the workspace whose files are ours.
fn roots() -> Vec<PathBuf> {
    let top = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    [
        "firmware/src/lib.rs",
        "hal-sim/src/lib.rs",
        "keys/src/main.rs",
        "ui/src/lib.rs",
        "ui/src/main.rs",
        "ui/screens/src/lib.rs",
        "tests/src/lib.rs",
    ]
    .iter()
    .map(|r| top.join(r))
    .collect()
}

fn describe(cycle: &[PathBuf], graph: &BTreeMap<PathBuf, BTreeMap<PathBuf, String>>) -> String {
    let top = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let name = |p: &PathBuf| p.strip_prefix(&top).unwrap_or(p).display().to_string();
    let mut out = name(&cycle[0]);
    for pair in cycle.windows(2) {
        out.push_str(&format!(
            " -[{}]-> {}",
            graph[&pair[0]][&pair[1]],
            name(&pair[1])
        ));
    }
    out
}

/// The groups of files that import one another today, each as its sorted files: left for the
/// crate split of issue 14 (next session). The test fails on any group not listed here, and on
/// a listed group that is gone or has changed, so this list stays the truth.
const KNOWN: &[&[&str]] = &[
    &["firmware/src/board/config.rs", "firmware/src/board/mod.rs"],
    &[
        "firmware/src/drivers/printer/escpos.rs",
        "firmware/src/drivers/printer/mod.rs",
    ],
    &[
        "firmware/src/journal/describe/device.rs",
        "firmware/src/journal/describe/mod.rs",
    ],
    &[
        "firmware/src/journal/mirror.rs",
        "firmware/src/journal/store.rs",
    ],
    &[
        "firmware/src/journal/read.rs",
        "firmware/src/journal/scan.rs",
        "firmware/src/journal/verify.rs",
    ],
    &[
        "firmware/src/verification/mod.rs",
        "firmware/src/verification/report.rs",
    ],
    &[
        "firmware/src/procedure/clock.rs",
        "firmware/src/procedure/command.rs",
        "firmware/src/procedure/decide.rs",
        "firmware/src/procedure/quorum.rs",
        "firmware/src/procedure/refusal.rs",
        "firmware/src/procedure/state.rs",
        "firmware/src/procedure/validate.rs",
        "firmware/src/procedure/view.rs",
    ],
    &[
        "hal-sim/src/render/image.rs",
        "hal-sim/src/render/mod.rs",
        "hal-sim/src/render/parse.rs",
    ],
    &[
        "keys/src/audit.rs",
        "keys/src/journal.rs",
        "keys/src/main.rs",
        "keys/src/package.rs",
        "keys/src/provision.rs",
        "keys/src/receipt.rs",
    ],
    &[
        "ui/src/controllers/alarm.rs",
        "ui/src/controllers/ask.rs",
        "ui/src/controllers/attendance.rs",
        "ui/src/controllers/clock.rs",
        "ui/src/controllers/entry.rs",
        "ui/src/controllers/export.rs",
        "ui/src/controllers/incident.rs",
        "ui/src/controllers/incident_list.rs",
        "ui/src/controllers/mod.rs",
        "ui/src/controllers/progress.rs",
        "ui/src/controllers/provision.rs",
        "ui/src/controllers/register.rs",
        "ui/src/controllers/report.rs",
        "ui/src/controllers/reprovision.rs",
        "ui/src/controllers/respond.rs",
        "ui/src/controllers/self_check.rs",
        "ui/src/controllers/shell.rs",
        "ui/src/controllers/signs.rs",
        "ui/src/controllers/step.rs",
        "ui/src/controllers/voting.rs",
        "ui/src/controllers/waiting.rs",
    ],
    &["ui/src/scenario/mod.rs", "ui/src/scenario/run.rs"],
    &["ui/src/station/mod.rs", "ui/src/station/sim.rs"],
];

#[test]
fn no_file_of_our_crates_imports_itself_through_others() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut groups = BTreeMap::new();
    for root in roots() {
        let krate = read_crate(&root);
        let graph = krate.file_graph();
        for (cycle, group) in cycles(&graph) {
            let mut files: Vec<String> = group
                .iter()
                .map(|p| p.strip_prefix(&top).unwrap_or(p).display().to_string())
                .collect();
            files.sort();
            groups.insert(files, describe(&cycle, &graph));
        }
    }
    let known: BTreeSet<Vec<String>> = KNOWN
        .iter()
        .map(|g| g.iter().map(|f| f.to_string()).collect())
        .collect();
    let new: Vec<String> = groups
        .iter()
        .filter(|(files, _)| !known.contains(*files))
        .map(|(files, cycle)| format!("{files:?}\n  for example {cycle}"))
        .collect();
    let gone: Vec<_> = known.iter().filter(|k| !groups.contains_key(*k)).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "{} import cycle(s) between files not in KNOWN:\n{}\nlisted in KNOWN but gone (remove them): {gone:?}",
        new.len(),
        new.join("\n")
    );
}

#[test]
fn the_checker_finds_a_cycle_and_names_its_paths() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir(src.join("engine")).unwrap();
    fs::write(src.join("lib.rs"), "mod engine;\nmod base;\n").unwrap();
    fs::write(src.join("base.rs"), "pub struct Lang;\n").unwrap();
    fs::write(
        src.join("engine/mod.rs"),
        "mod decide;\nmod view;\npub use view::MAX;\n",
    )
    .unwrap();
    fs::write(
        src.join("engine/decide.rs"),
        "use super::MAX;\nuse crate::base::Lang;\npub fn decide() {}\n\
         #[cfg(test)]\nmod tests { use super::super::view::MAX; }\n",
    )
    .unwrap();
    fs::write(
        src.join("engine/view.rs"),
        "pub const MAX: usize = 3;\nfn show() { super::decide::decide(); }\n",
    )
    .unwrap();
    let krate = read_crate(&src.join("lib.rs"));
    let graph = krate.file_graph();
    let found = cycles(&graph);
    assert_eq!(found.len(), 1, "{found:?}");
    let text = describe(&found[0].0, &graph);
    // `super::MAX` is the parent's re-export of view's MAX: decide.rs depends on view.rs.
    assert!(text.contains("super::MAX"), "{text}");
    assert!(text.contains("super::decide::decide"), "{text}");
    assert!(!text.contains("base.rs"), "{text}");

    // Breaking the cycle (view no longer calls decide) leaves none.
    fs::write(src.join("engine/view.rs"), "pub const MAX: usize = 3;\n").unwrap();
    let krate = read_crate(&src.join("lib.rs"));
    assert!(cycles(&krate.file_graph()).is_empty());
}
