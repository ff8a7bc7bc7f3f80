//! The crate's layers, checked on its sources: no cycle among its modules, and each kind of
//! extension in a room of its own.
//!
//! - The shared layer (`error`, `graph_error`, `json`, `kind`, `limits`, `redact`, `resource`,
//!   `value`, `operation`, `batch`) imports no kind.
//! - Each kind (`open`, `schema`, and the kinds to come) imports the shared layer only, never
//!   another kind.
//! - `op`, `response` and `extension` (paths of earlier versions) and `lib.rs` only re-export;
//!   `__private` serves the derives. Nothing imports them from inside the crate.
//!
//! A module depends on another when its code (comments and `#[cfg(test)] mod tests` left out)
//! names a path into it with `crate::` or `super::`.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The kinds of extension, each a room under `src/`.
const KINDS: &[&str] = &["open", "schema", "directory", "attributes"];

/// Modules that only re-export (or serve the derives): importing them from inside would hide a
/// dependency.
const FACADES: &[&str] = &["op", "response", "extension", "__private"];

type Module = Vec<String>;

/// Every module of `src/` (`["open", "op", "create"]`) with its source.
fn modules(dir: &Path, prefix: &Module, out: &mut BTreeMap<Module, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut p = prefix.clone();
            p.push(name);
            modules(&path, &p, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut p = prefix.clone();
            if name != "mod" && !(prefix.is_empty() && name == "lib") {
                p.push(name);
            }
            out.insert(p, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The code of a file: without its test module and its comment lines.
fn code(source: &str) -> String {
    let end = [
        "#[cfg(test)]\nmod tests",
        "#[cfg(test)]\npub(crate) mod tests",
    ]
    .iter()
    .filter_map(|m| source.find(m))
    .min()
    .unwrap_or(source.len());
    source[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths named after each `root::` (`crate` or `super`), `{a, b::c}` groups expanded.
fn paths(code: &str, root: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let needle = format!("{root}::");
    let mut rest = code;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + needle.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        expand(rest, Vec::new(), &mut out);
    }
    out
}

/// Reads `a::b::{c, d::e}` (or `{a, b}`) at the start of `text` into full paths.
fn expand(text: &str, base: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = base;
    let mut rest = text;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        expand(group[start..i].trim(), path.clone(), out);
                        return;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(group[start..i].trim(), path.clone(), out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            return;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        path.push(rest[..end].to_owned());
        rest = &rest[end..];
        match rest.strip_prefix("::") {
            Some(r) => rest = r,
            None => {
                out.push(path);
                return;
            }
        }
    }
}

/// The module a path names: its longest prefix that is a module.
fn resolve(path: &[String], mods: &BTreeMap<Module, String>) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|k| path[..k].to_vec())
        .find(|p| mods.contains_key(p))
}

fn dependencies(mods: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut deps = BTreeMap::new();
    for (m, source) in mods {
        let code = code(source);
        let mut to = BTreeSet::new();
        for p in paths(&code, "crate") {
            to.extend(resolve(&p, mods));
        }
        // `super::x` from the file of `a::b` (or `a::b::mod`) names `a::x`.
        let parent: Module = m[..m.len().saturating_sub(1)].to_vec();
        for p in paths(&code, "super") {
            let mut full = parent.clone();
            full.extend(p);
            to.extend(resolve(&full, mods));
        }
        to.remove(m);
        deps.insert(m.clone(), to);
    }
    deps
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

fn kind_of(m: &Module) -> Option<&str> {
    m.first().map(String::as_str).filter(|f| KINDS.contains(f))
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(deps: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    struct T<'a> {
        deps: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Module) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        let deps = t.deps;
        for w in deps.get(v).into_iter().flatten() {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(name(w));
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        deps,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in deps.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn crate_modules() -> BTreeMap<Module, String> {
    let mut mods = BTreeMap::new();
    modules(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &Vec::new(),
        &mut mods,
    );
    mods
}

#[test]
fn no_cycle_among_the_modules() {
    let mods = crate_modules();
    assert!(mods.len() > 40, "the sources were found: {}", mods.len());
    let cycles = cycles(&dependencies(&mods));
    assert!(
        cycles.is_empty(),
        "modules that depend on each other: {cycles:?}"
    );
}

#[test]
fn each_kind_imports_the_shared_layer_only() {
    let mods = crate_modules();
    let deps = dependencies(&mods);
    let mut wrong = Vec::new();
    for (m, to) in &deps {
        if m.is_empty() || FACADES.contains(&m[0].as_str()) {
            continue;
        }
        for t in to {
            let facade = t.first().is_some_and(|f| FACADES.contains(&f.as_str()));
            let other_kind = kind_of(t).is_some() && kind_of(t) != kind_of(m);
            if facade || other_kind {
                wrong.push(format!("{} -> {}", name(m), name(t)));
            }
        }
    }
    assert!(wrong.is_empty(), "imports across rooms: {wrong:#?}");
    // The rule has something to hold: both kinds are there, and both use the shared layer.
    for kind in ["open", "schema"] {
        assert!(
            deps.iter()
                .any(|(m, to)| kind_of(m) == Some(kind) && to.iter().any(|t| t[0] == "operation")),
            "{kind}"
        );
    }
}

/// The checker sees what it must: a cycle and an import across rooms, written here by hand.
#[test]
fn the_checks_catch_what_they_look_for() {
    let mut mods = BTreeMap::new();
    let m = |s: &str| s.split("::").map(str::to_owned).collect::<Module>();
    mods.insert(
        m("error"),
        "use crate::open::object::ExtensionObject;".to_owned(),
    );
    mods.insert(
        m("open::object"),
        "use crate::{error::Error, value};".to_owned(),
    );
    mods.insert(m("value"), String::new());
    mods.insert(
        m("schema::data"),
        "fn f() { crate::open::object::x(); }".to_owned(),
    );
    let deps = dependencies(&mods);
    assert_eq!(
        cycles(&deps),
        vec![vec!["error".to_owned(), "open::object".to_owned()]]
    );
    assert!(deps[&m("schema::data")].contains(&m("open::object")));
    assert!(deps[&m("open::object")].contains(&m("value")));
}
